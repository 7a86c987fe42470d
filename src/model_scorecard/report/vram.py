"""``scorecard vram`` output: a summary of where the memory goes and a table of GPUs."""

from __future__ import annotations

from typing import Any

from ..calc.memory import MemoryEstimate
from ..units import format_params

GB, GIB = 1e9, 1024**3


def size(n: float, gib: bool) -> str:
    return f"{n / GIB:,.2f} GiB" if gib else f"{n / GB:,.2f} GB"


def summary_rows(est: MemoryEstimate, gib: bool) -> list[tuple[str, str, str]]:
    """(what, how much, from what) for each part of the memory."""
    w = est.weights
    how = f"{format_params(est.params)} params × {est.precision.bits:.3g} bits ({est.precision.name})"
    if w.kept_16bit_params:
        how = (f"{format_params(est.params - w.kept_16bit_params)} params × {est.precision.bits:.3g} bits "
               f"({est.precision.name}) + {format_params(w.kept_16bit_params)} embedding/head params × 16 bits")
    rows = [("Weights", size(est.weights_bytes, gib), f"{how}; params: {est.sources.get('params', '')}")]
    if w.metadata_bytes:
        rows.append(("  of which scales/zeros", size(w.metadata_bytes, gib),
                     f"4-bit values alone: {size(w.values_bytes, gib)}"))
    per_tok = est.kv_bytes_per_token
    rows.append(("KV cache", size(est.kv_cache_bytes, gib),
                 f"{est.batch} × {est.context:,} tokens × {per_tok / 1e3:,.1f} KB/token ({est.kv_dtype}); "
                 f"{est.sources.get('architecture', '')}"))
    rows.append(("Engine overhead", size(est.overhead_bytes, gib),
                 f"{est.engine.name}: activations, CUDA context, CUDA graphs (one GPU)"))
    rows.append(("Total (one GPU's worth)", size(est.total_bytes, gib), "weights + KV cache + overhead"))
    return rows


def gpu_rows(est: MemoryEstimate, gib: bool) -> list[tuple[str, ...]]:
    rows = []
    for f in est.fits:
        count = str(f.count) if f.count else "> 8"
        rows.append((f.gpu, size(f.gpu_memory_bytes, gib), count, "yes" if f.fits else "no",
                     size(f.per_gpu_used_bytes, gib) if f.fits else "—",
                     f"{f.kv_capacity_tokens:,}" if f.fits else "—",
                     f"{f.max_concurrency:,.1f}×" if f.fits else "—"))
    return rows


def render_rich(est: MemoryEstimate, label: str, gib: bool, advice: list[str]) -> list[Any]:
    from rich.table import Table
    from rich.text import Text

    head = Text.assemble((f"{label}", "bold"), f"  ·  {est.precision.name}  ·  context {est.context:,}  ·  "
                         f"batch {est.batch}  ·  engine {est.engine.name}")
    summary = Table(title="Memory", header_style="bold", show_edge=False)
    summary.add_column("Part")
    summary.add_column("Size", justify="right", no_wrap=True)
    summary.add_column("From", overflow="fold")
    for row in summary_rows(est, gib):
        summary.add_row(*row)
    parts: list[Any] = [head, summary]
    if est.fits:
        gpus = Table(title="GPUs (smallest tensor-parallel size that serves one full-context request)",
                     header_style="bold", show_edge=False)
        for name, justify in (("GPU", "left"), ("Memory", "right"), ("Count", "right"), ("Fits", "left"),
                              ("Per-GPU use", "right"), ("KV capacity (tokens)", "right"),
                              ("Max concurrency", "right")):
            gpus.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
        for row in gpu_rows(est, gib):
            gpus.add_row(*row, style=None if row[3] == "yes" else "dim")
        parts.append(gpus)
    for line in advice:
        parts.append(Text(line, style="yellow"))
    parts.append(Text("Assumptions:\n" + "\n".join(f"• {a}" for a in est.assumptions if a), style="dim"))
    return parts
