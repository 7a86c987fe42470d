"""``scorecard advise``: the roadmap's decision rules (a YAML playbook) applied to your situation."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from model_scorecard.cli import app
from model_scorecard.cli.common import console, emit, guarded


class AdviseFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


def _flag(name: str, help: str) -> Optional[bool]:
    return typer.Option(None, f"--{name}/--no-{name}", help=f"{help} Default: unknown.", show_default=False)


#: The option that sets each fact of the situation, for error messages.
_LABELS = {"text_share": "--text-share", "visual_fidelity_drives_margin": "--visual-fidelity",
           "latency_bound": "--latency-bound", "private_eval_accuracy": "--private-eval", "model": "--model",
           "latency_ms": "--latency-ms", "batch_heavy": "--batch-heavy", "jax_team": "--jax", "edge_fanless": "--edge",
           "research": "--research", "context_tokens": "--context", "gpu_utilisation": "--utilisation",
           "fixed_cost_share": "--fixed-cost-share", "tokens_per_day": "--tokens-per-day", "eu": "--eu",
           "a100_tokens_per_s": "--a100-tokens-per-s"}


@app.command()
@guarded
def advise(
    situation: Optional[Path] = typer.Option(None, "--situation", "-s", metavar="FILE",
                                             help="A YAML situation file; options given here override it."),
    playbook: Optional[Path] = typer.Option(None, "--playbook", metavar="FILE",
                                            help="Rules file. Default: the bundled rubrics/advice/roadmap-2024.yaml."),
    text_share: Optional[float] = typer.Option(None, "--text-share", min=0, max=1,
                                               help="Share of the product's output that is text, 0-1."),
    visual_fidelity: Optional[bool] = _flag("visual-fidelity", "Does the margin live or die by visual fidelity?"),
    latency_bound: Optional[bool] = _flag("latency-bound", "Is the text workload bound by generation latency?"),
    private_eval: Optional[float] = typer.Option(None, "--private-eval", min=0, max=1,
                                                 help="Base model's accuracy on your private eval, 0-1."),
    model: Optional[str] = typer.Option(None, "--model", "-m",
                                        help="Model to fine-tune (8B, a config.json, a catalog id): adds the memory "
                                             "of the hybrid recipe."),
    latency_ms: Optional[float] = typer.Option(None, "--latency-ms", min=0, help="Latency budget in ms."),
    batch_heavy: Optional[bool] = _flag("batch-heavy", "Is the workload batch-heavy?"),
    jax: Optional[bool] = _flag("jax", "Does the team run JAX/XLA?"),
    edge: Optional[bool] = _flag("edge", "A fanless edge device?"),
    research: Optional[bool] = _flag("research", "A research workload?"),
    context: Optional[str] = typer.Option(None, "--context", help="Context the workload needs, tokens (500k)."),
    utilisation: Optional[float] = typer.Option(None, "--utilisation", min=0, max=1,
                                                help="Share of paid GPU time spent serving, (0, 1]."),
    fixed_cost_share: Optional[float] = typer.Option(
        None, "--fixed-cost-share", min=0, max=1,
        help="Share of the dense deployment's full-load hourly cost paid whatever the load, [0, 1)."),
    tokens_per_day: Optional[int] = typer.Option(None, "--tokens-per-day", min=0, help="Tokens served per day."),
    eu: Optional[bool] = _flag("eu", "Served from the EU?"),
    a100_tokens_per_s: Optional[float] = typer.Option(None, "--a100-tokens-per-s", min=0,
                                                      help="Measured throughput of one A100 here, tokens/s."),
    fmt: AdviseFormat = typer.Option(AdviseFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """Apply the roadmap's decision rules to your situation, each answer with the facts that fired it.

    Which architecture, fine-tune or RAG, which hardware, MoE or dense, H100 or A100: each rule
    that fired, with the facts and thresholds that fired it. Unknown facts leave a rule not evaluated.

    Example: scorecard advise --text-share 0.8 --private-eval 0.72 --latency-ms 40 --eu --tokens-per-day 5000000
    """
    from model_scorecard.scoring.advice import advise as run
    from model_scorecard.scoring.advice import situation_from

    given = {"text_share": text_share, "visual_fidelity_drives_margin": visual_fidelity,
             "latency_bound": latency_bound, "private_eval_accuracy": private_eval, "model": model,
             "latency_ms": latency_ms, "batch_heavy": batch_heavy, "jax_team": jax, "edge_fanless": edge,
             "research": research, "context_tokens": context, "gpu_utilisation": utilisation,
             "fixed_cost_share": fixed_cost_share, "tokens_per_day": tokens_per_day, "eu": eu,
             "a100_tokens_per_s": a100_tokens_per_s}
    result = run(situation_from(situation, given, _LABELS), playbook)
    if fmt is AdviseFormat.json:
        from model_scorecard.report.jsonfmt import dumps_bytes

        emit(dumps_bytes(result.to_dict()))
        return
    if fmt is AdviseFormat.markdown:
        from model_scorecard.report.advice import render_markdown

        emit(render_markdown(result))
        return
    from model_scorecard.report.advice import render_rich

    out = console()
    for part in render_rich(result):
        out.print(part)
