"""``scorecard estimate`` output: one table of ranges, then the assumptions.

The model's label, the GPU's name, warnings from the Hub and assumptions quoting them are
input text: shown through ``escape`` (no markup, no control characters).
"""

from __future__ import annotations

from typing import Any


def render_rich(est: Any) -> list[Any]:
    from rich.table import Table
    from rich.text import Text

    from .escape import rich_text, terminal_text

    s, c = est.speed, est.carbon
    head = Text.assemble((terminal_text(est.label), "bold"), f"  ·  {est.gpu_count}× {terminal_text(est.gpu)}  ·  "
                         f"{terminal_text(est.memory.estimate.precision.name)}  ·  workload "
                         f"{terminal_text(est.workload)}  ·  batch {est.batch}")
    table = Table(header_style="bold", show_edge=False)
    for name in ("Figure", "Low", "Likely", "High", "Unit"):
        table.add_column(name, justify="left" if name in ("Figure", "Unit") else "right", no_wrap=True)

    def row(what: str, r: Any, unit: str, fmt: str) -> None:
        if r is not None:
            table.add_row(what, *(format(getattr(r, k), fmt) for k in ("low", "likely", "high")), unit)

    row("Time to first token", s.ttft_ms, "ms", ",.0f")
    row("Time per output token", s.tpot_ms, "ms", ",.1f")
    row("Decode speed per stream", s.decode_tokens_per_s_per_stream, "tokens/s", ",.1f")
    row("Decode speed, all streams", s.decode_tokens_per_s_aggregate, "tokens/s", ",.0f")
    row("Self-hosted cost", est.usd_per_1k_tokens, "USD per 1k tokens", ".5f")
    row("Energy", c.wh_per_1k_tokens, "Wh per 1k tokens", ".3f")
    row("Emissions (operational)", c.g_co2e_per_1k_tokens, "gCO2e per 1k tokens", ".3f")
    row("Emissions (embodied, separate)", c.embodied_g_co2e_per_1k_tokens, "gCO2e per 1k tokens", ".3f")
    row("Carbon cost", c.eur_per_1k_tokens, "EUR per 1k tokens", ".6f")
    warnings = [rich_text(f"warning: {w}", style="yellow") for w in getattr(est.memory, "warnings", ())]  # Hub answers
    return [head, table, *warnings,
            Text(f"decode is {s.decode_bound}-bound; low/high are the optimistic/pessimistic ends "
                 "of the stated efficiencies", style="dim"),
            Text("Assumptions:\n" + "\n".join(f"• {terminal_text(a)}" for a in est.assumptions), style="dim")]
