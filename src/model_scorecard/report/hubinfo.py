"""The terminal view of one Hub answer: a panel of facts, each with where it came from.

Everything shown here that the Hub or a catalog wrote (licence names, links, ids, sources,
problems) is data: it goes through :mod:`model_scorecard.report.escape` (never rich markup,
never a terminal control sequence), and every URL through :func:`model_scorecard.hub.ids.redact_url`.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.panel import Panel
from rich.table import Table

from model_scorecard.report.escape import markup_safe, rich_text
from model_scorecard.units import format_params, format_tokens

__all__ = ["hub_panel"]


def _bytes(n: int) -> str:
    return f"{n / 1e9:.2f} GB ({n:,} bytes)"


def hub_panel(model: Any) -> Panel:
    """``model`` is a :class:`model_scorecard.hub.model.HubModel`."""
    from model_scorecard.hub.ids import redact_url

    src = model.sources
    table = Table(box=box.SIMPLE, show_header=True, header_style="bold", pad_edge=False, expand=False)
    table.add_column("Fact", no_wrap=True)
    table.add_column("Value", overflow="fold")
    table.add_column("Source", style="dim", overflow="fold")

    def row(name: str, value: Any, source: str | None = None) -> None:
        if value not in (None, "", ()):
            table.add_row(name, rich_text(value), rich_text(source or ""))

    gated = {"manual": "yes (authors approve requests)", "auto": "yes (granted on request)", False: "no"}
    row("Revision", f"{model.revision or 'default branch'} → {model.sha or '?'}", src.get("repo"))
    row("Licence", model.license, src.get("license"))
    row("Licence name", model.license_name)
    row("Licence link", redact_url(model.license_link) if model.license_link else None)
    row("Gated", gated.get(model.gated, model.gated) if isinstance(model.gated, (str, bool)) else None,
        "Hub model_info")
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
        row("Quantization", f"{q.get('method') or '?'} {q.get('precision') or ''}".strip()
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
            table.add_row(label, rich_text(redact_url(problem), style="yellow"), "")
    cached = "from the cache" if model.from_cache else "fetched now"
    return Panel(table, title=f"[bold]{markup_safe(model.repo_id)}[/bold]",
                 subtitle=markup_safe(f"{redact_url(model.url)} · {cached}, {model.fetched_at}"), expand=False)


_GATED = {"no": "no", "auto": "yes, auto: access is granted on request; downloads need HF_TOKEN",
          "manual": "yes, manual: the authors approve each access request; downloads need HF_TOKEN"}


def _architecture_line(arch: Any) -> str:
    def v(name: str) -> Any:
        fact = getattr(arch, name)
        return fact.value if fact is not None else None

    heads = f"{v('num_heads')} heads" if v("num_heads") else ""
    if heads and v("num_kv_heads") and v("num_kv_heads") != v("num_heads"):
        heads += f" ({v('num_kv_heads')} KV)"
    if heads and v("head_dim"):
        heads += f" × {v('head_dim')}"
    experts = f"{v('num_experts')} experts" if v("num_experts") else ""
    if experts and v("experts_per_token"):
        experts += f", {v('experts_per_token')} per token"
    parts = [v("model_type"), f"{v('num_layers')} layers" if v("num_layers") else "",
             f"hidden {v('hidden_size'):,}" if v("hidden_size") else "", heads,
             f"vocabulary {v('vocab_size'):,}" if v("vocab_size") else "", experts,
             f"sliding window {v('sliding_window'):,}" if v("sliding_window") else ""]
    return " · ".join(str(p) for p in parts if p)


def entry_hub_table(entry: Any) -> Table | None:
    """``scorecard show``: an entry's Hub repository, architecture and licence status, each with its source.

    ``entry`` is a :class:`model_scorecard.schema.catalog.ModelEntry`; None when it says none of these.
    A licence whose terms are unknown (not in the licence table, or listed for review) says so.
    """
    from model_scorecard.tables.licences import license_gap, license_info

    table = Table(title="Hub and licence", header_style="bold", show_header=True)
    table.add_column("Fact", no_wrap=True)
    table.add_column("Value", overflow="fold")
    table.add_column("Source", style="dim", overflow="fold")

    def src(fact: Any) -> Any:
        source = fact.source or entry.source or ""
        return rich_text(source + (f" ({fact.as_of})" if fact.as_of else ""))

    hub = entry.hub
    if entry.hf_id:
        table.add_row("Hugging Face id", rich_text(entry.hf_id), "")
    if hub.revision is not None:
        table.add_row("Revision", rich_text(hub.revision.value), src(hub.revision))
    if hub.gated is not None:
        gated = _GATED.get(hub.gated.value, hub.gated.value)
        table.add_row("Gated", rich_text(gated, style="yellow" if hub.gated.value != "no" else ""), src(hub.gated))
    if hub.last_modified is not None:
        table.add_row("Last modified", hub.last_modified.value.isoformat(), src(hub.last_modified))
    for label, fact in (("Library", hub.library), ("Pipeline", hub.pipeline_tag)):
        if fact is not None:
            table.add_row(label, rich_text(fact.value), src(fact))
    line = _architecture_line(entry.architecture)
    if line:
        first = next(f for f in (getattr(entry.architecture, n) for n in type(entry.architecture).model_fields
                                 if n not in ("source", "as_of", "note")) if f is not None)
        table.add_row("Architecture", rich_text(line), src(first))
    terms = entry.license_terms
    has_terms = any(getattr(terms, n) is not None for n in type(terms).model_fields
                    if n not in ("source", "as_of", "note"))
    lid = entry.license.value if entry.license is not None else None
    if lid is not None or entry.hf_id:
        info = license_info(lid)
        gap = None if has_terms else license_gap(lid)
        value = rich_text(lid or "none stated")
        if info is not None:
            value.append_text(rich_text(f" ({info.name}, {info.category})"))
        if gap:
            value.append("\n")
            value.append_text(rich_text(gap, style="yellow"))
        table.add_row("Licence", value, src(entry.license) if entry.license is not None else "")
    return table if table.row_count else None
