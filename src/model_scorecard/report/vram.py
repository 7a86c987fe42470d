"""``scorecard vram`` output: a summary of where the memory goes and a table of GPUs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from model_scorecard.calc.memory import MemoryEstimate
from model_scorecard.units import format_params

if TYPE_CHECKING:  # pragma: no cover
    from model_scorecard.calc.capacity import BatchFit
    from model_scorecard.calc.diffusion import DiffusionEstimate

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
    if est.sources.get("weights"):  # --exact: the bytes the safetensors headers count
        how = est.sources["weights"]
    rows = [("Weights", size(est.weights_bytes, gib), f"{how}; params: {est.sources.get('params', '')}")]
    if w.metadata_bytes:
        rows.append(("  of which scales/zeros", size(w.metadata_bytes, gib),
                     f"{est.precision.name} values alone ({est.precision.value_bits:.3g} bits each): "
                     f"{size(w.values_bytes, gib)}"))
    per_tok = est.kv_bytes_per_token
    rows.append(("KV cache", size(est.kv_cache_bytes, gib),
                 f"{est.batch} × {est.context:,} tokens × {per_tok / 1e3:,.1f} KB/token ({est.kv_dtype}); "
                 f"{est.sources.get('architecture', '')}"))
    if est.kv_state_bytes:  # hybrid linear-attention / SSM models only
        rows.append(("Recurrent state", size(est.kv_state_bytes, gib),
                     f"{est.batch} × {est.kv_state_bytes / est.batch / 1e6:,.1f} MB per sequence, constant in the "
                     "context (linear-attention/SSM layers)"))
    rows.append(("Engine overhead", size(est.overhead_bytes, gib),
                 f"{est.engine.name}: activations, runtime context"
                 + (", CUDA graphs" if est.engine.cuda_graph_bytes else "") + " (one GPU)"))
    rows.append(("Total (one GPU's worth)", size(est.total_bytes, gib),
                 "weights + KV cache + recurrent state + overhead" if est.kv_state_bytes
                 else "weights + KV cache + overhead"))
    if est.approximate:  # an unknown model_type, read as a generic Llama-like decoder
        rows.append(("Approximation", "", "unknown architecture: parameters and KV cache from a generic "
                     "Llama-like decoder, not an exact count"))
    return rows


def _batch_cell(b: BatchFit | None) -> str:
    """yes; or the tensor-parallel size whose KV cache would hold the batch; or no (none up to 8)."""
    if b is None:
        return "—"
    if b.fits:
        return "yes"
    if b.gpu_count_for_batch is not None:
        return f"needs {b.gpu_count_for_batch}×"
    return "no"


def gpu_rows(est: MemoryEstimate, gib: bool, batch_fits: Sequence[BatchFit]) -> list[tuple[str, ...]]:
    """One row per GPU; ``batch_fits`` (same order as ``est.fits``) gives the largest batch
    at the context and whether the requested batch fits."""
    by_gpu = {b.gpu: b for b in batch_fits}
    rows = []
    for f in est.fits:
        count = str(f.count) if f.count else f"> {f.most_gpus}"
        b = by_gpu.get(f.gpu)
        most = "—" if b is None or not f.fits else "no limit" if b.max_sequences is None else f"{b.max_sequences:,}"
        rows.append((f.gpu, size(f.gpu_memory_bytes, gib), count, "yes" if f.fits else "no",
                     size(f.per_gpu_used_bytes, gib) if f.fits else "—",
                     f"{f.kv_capacity_tokens:,}" if f.fits else "—", most, _batch_cell(b)))
    return rows


def batch_lines(est: MemoryEstimate, batch_fits: Sequence[BatchFit]) -> list[str]:
    """For a single GPU whose KV cache does not hold the batch: what it holds, and what would."""
    if len(batch_fits) != 1 or batch_fits[0].fits or batch_fits[0].gpu_count is None:
        return []
    b = batch_fits[0]
    line = (f"batch {b.batch} × {b.context_tokens:,} tokens does not fit the KV cache of {b.gpu_count}× {b.gpu}: "
            f"it holds {b.max_sequences:,} sequence(s)")
    if b.gpu_count_for_batch is not None:
        line += f"; {b.gpu_count_for_batch}× {b.gpu} hold the batch"
    return [line]


#: GPU-table columns that go first on a terminal narrower than 100 columns.
LESSER_GPU_COLUMNS = ("Per GPU", "KV tokens")


def _layout(head: str, summary_rows: list[tuple[str, str, str]], gpu_title: str, gpu_columns: tuple[str, ...],
            gpu_rows: list[tuple[str, ...]], advice: list[str], assumptions: tuple[str, ...],
            width: int = 200, show_assumptions: bool = True) -> list[Any]:
    """The rich page of `scorecard vram`: heading, memory parts, GPU table, advice, assumptions.

    The cells quote input text (the model's label, sources from the Hub, GPU and component
    names): every string goes to rich as a ``Text`` through ``escape`` (no markup, no controls).
    """
    from rich.table import Table
    from rich.text import Text

    from model_scorecard.report.escape import rich_text, terminal_text

    label, _, rest = head.partition("  ·  ")
    summary = Table(title="Memory", header_style="bold", show_edge=False)
    summary.add_column("Part")
    summary.add_column("Size", justify="right", no_wrap=True)
    summary.add_column("From", overflow="fold")
    for row in summary_rows:
        summary.add_row(*map(rich_text, row))
    parts: list[Any] = [Text.assemble((terminal_text(label), "bold"), f"  ·  {terminal_text(rest)}"), summary]
    from model_scorecard.report.notes import assumptions_text

    if gpu_rows:
        keep = [i for i, name in enumerate(gpu_columns) if width >= 100 or name not in LESSER_GPU_COLUMNS]
        gpus = Table(title=gpu_title, header_style="bold", show_edge=False)
        for i in keep:  # the GPU's name wraps at words; numbers never wrap or shorten
            gpus.add_column(gpu_columns[i], justify="left" if i in (0, 3) else "right", no_wrap=i != 0)
        for row in gpu_rows:  # the fourth column says whether it fits
            gpus.add_row(*(rich_text(row[i]) for i in keep), style=None if row[3] == "yes" else "dim")
        parts.append(gpus)
    parts.extend(rich_text(line, style="yellow") for line in advice)
    parts.append(assumptions_text(assumptions, show_assumptions))
    return parts


def render_rich(est: MemoryEstimate | DiffusionEstimate, label: str, gib: bool, advice: list[str],
                batch_fits: Sequence[BatchFit], width: int = 200, show_assumptions: bool = True) -> list[Any]:
    """The page of ``scorecard vram``; ``batch_fits`` from :class:`~model_scorecard.sizing.vram.VramResult`
    (empty for a diffusion pipeline)."""
    if not isinstance(est, MemoryEstimate):
        return render_diffusion_rich(est, label, gib, advice, width, show_assumptions)
    return _layout(f"{label}  ·  {est.precision.name}  ·  context {est.context:,}  ·  batch {est.batch}  ·  "
                   f"engine {est.engine.name}", summary_rows(est, gib),
                   "GPUs (smallest tensor-parallel size that serves one full-context request)",
                   ("GPU", "Memory", "GPUs", "Fits", "Per GPU", "KV tokens", "Max batch", f"Batch {est.batch}"),
                   gpu_rows(est, gib, batch_fits), [*batch_lines(est, batch_fits), *advice], est.assumptions,
                   width, show_assumptions)


# --------------------------------------------------------------------------- inverse questions

def render_precisions(table: Any, gib: bool, show_assumptions: bool = True) -> list[Any]:
    """``vram MODEL --gpu G --precisions``: every precision on one GPU, the best that fits on one."""
    from rich.table import Table
    from rich.text import Text

    from model_scorecard.report.escape import rich_text, terminal_text

    grid = Table(title=f"Precisions on {terminal_text(table.gpu)} (batch {table.batch} × {table.context:,} tokens)",
                 header_style="bold", show_edge=False)
    for i, name in enumerate(("Precision", "Bits/weight", "Weights", "Total", "GPUs", "1-GPU context")):
        grid.add_column(name, justify="left" if i == 0 else "right", no_wrap=True)
    for row in table.rows:
        needed = f"> {table.most_gpus}" if row.gpus_needed is None else str(row.gpus_needed)
        longest = f"{row.max_context_one_gpu:,}" if row.max_context_one_gpu else "does not fit"
        grid.add_row(*map(rich_text, (row.precision, f"{row.bits_per_weight:.2f}", size(row.weights_bytes, gib),
                                      size(row.total_bytes, gib), needed, longest)),
                     style="bold" if row.precision == table.best else (None if row.gpus_needed == 1 else "dim"))
    verdict = (f"best on one {table.gpu}: {table.best} (the most bits per weight whose batch fits)" if table.best
               else f"no precision in the table fits the batch on one {table.gpu}")
    from model_scorecard.report.notes import assumptions_text

    return [Text(terminal_text(table.label), style="bold"), grid, rich_text(verdict, style="yellow"),
            assumptions_text(table.assumptions, show_assumptions)]


def render_max_context(fit: Any) -> list[Any]:
    """``vram MODEL --gpu G --max-context``: the longest context the batch fits in, per GPU count."""
    from rich.table import Table
    from rich.text import Text

    from model_scorecard.report.escape import rich_text, terminal_text

    grid = Table(title=f"Longest context on {terminal_text(fit.gpu)} ({fit.precision}, batch {fit.batch})",
                 header_style="bold", show_edge=False)
    grid.add_column("GPUs", justify="right")
    grid.add_column("Tokens per request", justify="right", no_wrap=True)
    grid.add_column("Note")
    for gpus, tokens in fit.longest:
        note = ""
        if not tokens:
            note = "the weights and overhead alone do not fit"
        elif fit.window and tokens > fit.window:
            note = f"beyond the model's {fit.window:,}-token window: it serves at most {fit.window:,}"
        grid.add_row(str(gpus), f"{tokens:,}" if tokens else "0", rich_text(note))
    return [Text(terminal_text(fit.label), style="bold"), grid]


# --------------------------------------------------------------------------- diffusion pipelines

_ROLE_NAMES = {"denoiser": "Denoiser", "text_encoder": "Text encoder", "vae": "VAE", "other": "Other"}


def diffusion_summary_rows(est: DiffusionEstimate, gib: bool) -> list[tuple[str, str, str]]:
    """(what, how much, from what) for each component, the activations and the CUDA context."""
    rows = []
    for w in est.components:
        c = w.component
        rows.append((f"{_ROLE_NAMES.get(c.role, c.role)} ({c.name})", size(w.bytes, gib),
                     f"{c.class_name}: {format_params(c.params)} params × {w.bits:.3g} bits; {c.source}"))
    rows.append(("Weights", size(est.weights_bytes, gib), f"{format_params(est.params)} params in all"))
    rows.append(("Activations", size(est.activation_bytes, gib),
                 f"{est.batch} × {est.width}×{est.height} pixels × {est.bytes_per_pixel:,.0f} B/pixel "
                 "(peak: VAE decode)"))
    rows.append(("CUDA context", size(est.context_bytes, gib), "outside PyTorch's allocator"))
    rows.append(("KV cache", size(0, gib), "none: image diffusion keeps no KV cache"))
    rows.append(("Total", size(est.total_bytes, gib), "weights + activations + CUDA context"))
    return rows


def diffusion_gpu_rows(est: DiffusionEstimate, gib: bool) -> list[tuple[str, ...]]:
    return [(f.gpu, size(f.gpu_memory_bytes, gib), "1" if f.fits else "—", "yes" if f.fits else "no",
             size(f.used_bytes, gib), f"{f.max_images:,}") for f in est.fits]


def render_diffusion_rich(est: DiffusionEstimate, label: str, gib: bool, advice: list[str], width: int = 200,
                          show_assumptions: bool = True) -> list[Any]:
    return _layout(f"{label}  ·  {est.pipeline}  ·  {est.precision.name}  ·  {est.width}×{est.height}  ·  "
                   f"batch {est.batch}  ·  diffusers", diffusion_summary_rows(est, gib),
                   "GPUs (one card holds the whole pipeline)",
                   ("GPU", "Memory", "GPUs", "Fits", "Use", "Max images per batch"),
                   diffusion_gpu_rows(est, gib), advice, est.assumptions, width, show_assumptions)
