"""``scorecard estimate`` output: one table of ranges, then the assumptions.

The model's label, the GPU's name, warnings from the Hub and assumptions quoting them are
input text: shown through ``escape`` (no markup, no control characters).
"""

from __future__ import annotations

from typing import Any


def _ranges_table(title: str | None = None) -> Any:
    from rich.table import Table

    table = Table(title=title, header_style="bold", show_edge=False)
    for name in ("Figure", "Low", "Likely", "High", "Unit"):
        # numbers never wrap or shorten; the figure's name and its unit wrap at words
        table.add_column(name, justify="left" if name in ("Figure", "Unit") else "right",
                         no_wrap=name not in ("Figure", "Unit"))
    return table


def _row(table: Any, what: str, r: Any, unit: str, fmt: str) -> None:
    """A low / likely / high row; nothing when the figure is unknown."""
    if r is not None:
        table.add_row(what, *(format(getattr(r, k), fmt) for k in ("low", "likely", "high")), unit)


def render_rich(est: Any, show_assumptions: bool = True) -> list[Any]:
    """The estimate's figures, how the traffic is served (replicas, utilisation, rent per day,
    and the batch when the KV cache capped it), then the assumptions."""
    from rich.text import Text

    from model_scorecard.report.escape import rich_text, terminal_text
    from model_scorecard.report.notes import assumptions_text

    s, c, sv = est.speed, est.carbon, est.serving
    head = Text.assemble((terminal_text(est.label), "bold"), f"  ·  {est.gpu_count}× {terminal_text(est.gpu)}  ·  "
                         f"{terminal_text(est.memory.estimate.precision.name)}  ·  workload "
                         f"{terminal_text(est.workload)}  ·  batch {est.batch}")
    table = _ranges_table()
    _row(table, "Time to first token", s.ttft_ms, "ms", ",.0f")
    _row(table, "Time per output token", s.tpot_ms, "ms", ",.1f")
    _row(table, "Decode speed per stream", s.decode_tokens_per_s_per_stream, "tokens/s", ",.1f")
    _row(table, "Decode speed, all streams", s.decode_tokens_per_s_aggregate, "tokens/s", ",.0f")
    _row(table, "Self-hosted cost", est.usd_per_1k_tokens, "USD per 1k tokens", ".5f")
    if c is not None:  # no traffic: no per-token carbon
        _row(table, "Energy", c.wh_per_1k_tokens, "Wh per 1k tokens", ".3f")
        _row(table, "Emissions (operational)", c.g_co2e_per_1k_tokens, "gCO2e per 1k tokens", ".3f")
        _row(table, "Emissions (embodied, separate)", c.embodied_g_co2e_per_1k_tokens, "gCO2e per 1k tokens", ".3f")
        _row(table, "Carbon cost", c.eur_per_1k_tokens, "EUR per 1k tokens", ".6f")
    traffic = _ranges_table(f"Serving the traffic (utilisation: {est.utilisation_source})")
    _row(traffic, "Replica throughput", sv.replica_tokens_per_s, "tokens/s", ",.0f")
    _row(traffic, "Replicas", sv.replicas, f"of {est.gpu_count}× {terminal_text(est.gpu)}", ",.0f")
    _row(traffic, "Utilisation", sv.utilisation, "of paid time", ".3g")
    _row(traffic, "GPU rent", sv.usd_per_day, "USD per day", ",.2f")
    notes = []
    if sv.tokens_per_day is not None:
        notes.append(Text(f"traffic {sv.tokens_per_day:,} tokens/day = {sv.demand_tokens_per_s:,.1f} tokens/s"))
    if sv.batch_capped:
        more = (f"; {est.gpu_count_for_batch}× {terminal_text(est.gpu)} would hold it "
                f"(--gpus {est.gpu_count_for_batch})" if est.gpu_count_for_batch else "")
        notes.append(Text(f"batch {sv.batch_requested} capped at {sv.batch}: the KV cache of {est.gpu_count}× "
                          f"{terminal_text(est.gpu)} holds {sv.kv_max_sequences} sequence(s) at the workload's "
                          f"context{more}", style="yellow"))
    if est.usd_per_1k_tokens is None and sv.undefined_note:
        notes.append(Text(terminal_text(sv.undefined_note), style="yellow"))
    warnings = [rich_text(f"warning: {w}", style="yellow") for w in getattr(est.memory, "warnings", ())]  # Hub answers
    return [head, table, traffic, *notes, *warnings,
            Text(f"decode is {s.decode_bound}-bound; low/high are the optimistic/pessimistic ends "
                 "of the stated efficiencies", style="dim"),
            assumptions_text(est.assumptions, show_assumptions)]
