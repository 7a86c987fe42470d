"""``scorecard finetune`` output: where a training step's memory goes, then the assumptions."""

from __future__ import annotations

from typing import Any

from model_scorecard.report.vram import size


def render_rich(plan: Any, gib: bool, show_assumptions: bool = True) -> list[Any]:
    """The page of ``scorecard finetune`` for a :class:`~model_scorecard.sizing.finetune.FinetunePlan`."""
    from rich.table import Table
    from rich.text import Text

    from model_scorecard.report.escape import rich_text, terminal_text

    est = plan.estimate
    head = (f"{est.method}  ·  {est.trainable_params:,} of {est.params:,} parameters trained  ·  "
            f"batch {est.batch} × {est.sequence_tokens:,} tokens")
    table = Table(title="Memory of one training step", header_style="bold", show_edge=False)
    table.add_column("Part")
    table.add_column("Size", justify="right", no_wrap=True)
    rows = [("Weights (frozen base + trainable copy)", est.weights_bytes),
            ("LoRA adapters", est.adapter_weights_bytes), ("fp32 master weights", est.master_weights_bytes),
            ("Gradients", est.gradients_bytes),
            ("Optimizer states" + (" (paged: may move to CPU)" if est.optimizer_paged else ""),
             est.optimizer_states_bytes),
            ("Activations kept for backward", est.activations_bytes), ("Logits at the loss", est.logits_bytes),
            ("Framework overhead", est.overhead_bytes)]
    for name, value in rows:
        if value:
            table.add_row(rich_text(name), size(value, gib))
    table.add_row(Text("Total", style="bold"), Text(size(est.total_bytes, gib), style="bold"))
    parts: list[Any] = [Text.assemble((terminal_text(plan.label), "bold"), f"  ·  {terminal_text(head)}"), table]
    if plan.gpu is not None:
        verdict = (f"fits on one {plan.gpu} ({size(plan.gpu_memory_bytes, gib)})" if plan.fits
                   else f"does not fit on one {plan.gpu} ({size(plan.gpu_memory_bytes, gib)}): shard it, offload, "
                        "checkpoint, or train fewer layers")
        parts.append(rich_text(verdict, style="green" if plan.fits else "yellow"))
    from model_scorecard.report.notes import assumptions_text

    parts.append(assumptions_text(est.assumptions, show_assumptions))
    return parts
