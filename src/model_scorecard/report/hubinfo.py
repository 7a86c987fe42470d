"""The terminal view of one Hub answer: a panel of facts, each with where it came from."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.panel import Panel
from rich.table import Table

from ..units import format_params, format_tokens

__all__ = ["hub_panel"]


def _bytes(n: int) -> str:
    return f"{n / 1e9:.2f} GB ({n:,} bytes)"


def hub_panel(model: Any) -> Panel:
    """``model`` is a :class:`model_scorecard.hub.HubModel`."""
    src = model.sources
    table = Table(box=box.SIMPLE, show_header=True, header_style="bold", pad_edge=False, expand=False)
    table.add_column("Fact", no_wrap=True)
    table.add_column("Value", overflow="fold")
    table.add_column("Source", style="dim", overflow="fold")

    def row(name: str, value: Any, source: str | None = None) -> None:
        if value not in (None, "", ()):
            table.add_row(name, str(value), source or "")

    gated = {"manual": "yes (authors approve requests)", "auto": "yes (granted on request)", False: "no"}
    row("Revision", f"{model.revision or 'default branch'} → {model.sha or '?'}", src.get("repo"))
    row("Licence", model.license, src.get("license"))
    row("Licence name", model.license_name)
    row("Licence link", model.license_link)
    row("Gated", gated.get(model.gated, model.gated) if model.gated is not None else None, "Hub model_info")
    row("Base model", ", ".join(model.base_model))
    row("Downloads (30 days)", f"{model.downloads:,}" if model.downloads is not None else None, src.get("downloads"))
    row("Likes", f"{model.likes:,}" if model.likes is not None else None, src.get("likes"))
    row("Last modified", model.last_modified, "Hub model_info")
    row("Library / pipeline", " / ".join(x for x in (model.library_name, model.pipeline_tag) if x))
    row("Parameters", f"{format_params(model.params)} ({model.params:,})" if model.params else None, src.get("params"))
    row("Active parameters", f"{format_params(model.active_params)} ({model.active_params:,})"
        if model.active_params else None, src.get("active_params"))
    counts = ", ".join(f"{k} {v:,}" for k, v in sorted(model.safetensors_params_by_dtype.items()))
    row("Safetensors elements", counts, src.get("safetensors_total"))
    q = model.quantization
    if q:
        row("Quantization", f"{q['method']} {q.get('precision') or ''}".strip()
            + (f", group {q['group_size']}" if q.get("group_size") else "")
            + (f", {q['bits_per_weight']:g} bits/weight" if q.get("bits_per_weight") else ""), src.get("quantization"))
        row("Unpacked parameters", f"{model.corrected_params:,}" if model.corrected_params else None,
            src.get("corrected_params"))
    row("Context window", format_tokens(model.context_window) if model.context_window else None,
        src.get("context_window"))
    row("Weight bytes (exact)", _bytes(model.weight_bytes) if model.weight_bytes is not None else None,
        src.get("weight_bytes"))
    row("Weight bytes (from counts)", _bytes(model.weight_bytes_from_counts)
        if model.weight_bytes_from_counts is not None else None, src.get("weight_bytes_from_counts"))
    for label, problem in (("config.json", model.config_error), ("Architecture", model.architecture_error),
                           ("Exact bytes", model.exact_error)):
        if problem:
            table.add_row(label, f"[yellow]{problem}[/yellow]", "")
    cached = "from the cache" if model.from_cache else "fetched now"
    return Panel(table, title=f"[bold]{model.repo_id}[/bold]", subtitle=f"{model.url} · {cached}, {model.fetched_at}",
                 expand=False)
