"""The terminal view: a rich table of the ranking, and one model criterion by criterion."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from model_scorecard.scoring.results import ModelResult, Report
from model_scorecard.schema.rubric import LAYER_IDS
from model_scorecard.report import text
from model_scorecard.report.escape import rich_text as _t
from model_scorecard.report.escape import terminal_text
from model_scorecard.report.text import LAYER_SHORT, layer_cells, score, signed

__all__ = ["context_line", "model_tables", "ranking_table", "render_plain"]

VERDICT_STYLE = {"green-light": "bold green", "insufficient-evidence": "magenta", "not-green": "yellow",
                 "walk-away": "bold red", "not-applicable": "dim"}
STATUS_STYLE = {"scored": "", "manual": "cyan", "unknown": "dim yellow", "context": "dim cyan", "shown": "dim cyan",
                "not-applicable": "dim"}
# Narrow terminals: the two long verdicts shortened so the scores and red flags stay visible.
SHORT_VERDICT = {"insufficient-evidence": "no-evidence", "not-applicable": "n/a"}
GATE_MARK = {True: ("pass", "green"), False: ("FAIL", "bold red"), None: ("unknown", "dim yellow")}


def context_line(report: Report) -> str:
    """The run's rubric, workload and date in one line, safe for the terminal (the rubric's
    name is input text: see :mod:`.escape`)."""
    return terminal_text(text.context_line(report))


def ranking_table(report: Report, width: int = 200, top: int | None = None) -> Table:
    """The ranking (the first ``top`` models, or all); on a narrow terminal (< 110 columns)
    margin and pessimistic total go, long verdicts are shortened and red flags are counted
    rather than named; below 90 columns the confidence goes too."""
    wide = width >= 110
    table = Table(title="Model scorecard", header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True)
    table.add_column("#", justify="right", no_wrap=True, min_width=len(str(len(report.models))))
    table.add_column("Model", min_width=10, overflow="fold")
    table.add_column("Verdict", no_wrap=True)
    for lid in LAYER_IDS:
        table.add_column(LAYER_SHORT[lid], justify="right", no_wrap=True)
    # below 90 columns confidence goes too, so the red-flag count stays on screen
    for name in ("Total", "Margin", "Pess.", "Conf.") if wide else ("Total", "Conf.") if width >= 90 else ("Total",):
        table.add_column(name, justify="right", no_wrap=True)
    if report.p_green is not None:
        table.add_column("P(green)", justify="right", no_wrap=True)
    table.add_column("Red flags" if wide else "Flags", overflow="fold", justify="left" if wide else "right")
    numbered = report.numbered()
    shown = numbered if not top else numbered[:top]
    if len(shown) < len(report.models):
        table.caption = (f"top {len(shown):,} of {len(report.models):,} models; --top 0 shows all, "
                         "--format csv/json/markdown/html always hold all")
    for rank, m in shown:
        extra = [signed(m.margin), score(m.pessimistic_total)] if wide else []
        verdict = m.verdict if wide else SHORT_VERDICT.get(m.verdict, m.verdict)
        table.add_row(str(rank or "–"), _t(m.key or m.id),
                      Text(verdict, style=VERDICT_STYLE[m.verdict]),
                      *layer_cells(m),
                      Text(score(m.total), style="bold"), *extra,
                      *([f"{m.confidence:.2f}"] if width >= 90 else []),
                      *([f"{report.p_green.get(m.key or m.id, 0.0):.0%}"] if report.p_green is not None else []),
                      _t((", ".join(f.id for f in m.red_flags) or "—") if wide else str(len(m.red_flags)),
                         style="red" if m.red_flags else "dim"))
    return table


def model_tables(m: ModelResult, report: Report) -> list[object]:
    """Header, layer summary, every criterion, red flags and computed figures for one model.

    Every piece of input text (names, vendor, sources, reasons, titles) is a ``Text`` made by
    :func:`.escape.rich_text`: rich reads no markup in it and no control character gets through.
    """
    who = ", ".join(terminal_text(x) for x in (m.key or m.id, m.vendor, m.kind, f"deployment {m.deployment}"))
    totals = (f"  total {score(m.total)} / 30 (margin {signed(m.margin)}, range "
              f"{score(m.pessimistic_total)}–{score(m.optimistic_total)}, confidence {m.confidence:.2f})\n")
    head = Text.assemble((f"{terminal_text(m.name)} ", "bold"), (f"({who})\n", "dim"),
                         (m.verdict, VERDICT_STYLE[m.verdict]), totals,
                         *(f"• {terminal_text(r)}\n" for r in m.reasons), (context_line(report), "dim"))
    crit = Table(title="Criteria", header_style="bold", show_lines=False)
    for name, kw in (("Layer", {}), ("Criterion", {}), ("Status", {}), ("Score", {"justify": "right"}),
                     ("Weight", {"justify": "right"}), ("Evidence", {"overflow": "fold"}),
                     ("Why", {"overflow": "fold"})):
        crit.add_column(name, **kw)
    for lid in LAYER_IDS:
        lr = m.layers[lid]
        need = (f"evidence {lr.evidence_count} of {lr.evidence_required} required"
                if lr.evidence_required else f"evidence {lr.evidence_share:.0%}")
        crit.add_row(_t(lr.title, style="bold"), "", "", Text(score(lr.score), style="bold"),
                     f"{lr.weight:g}", _t(need + (f"; assessed by {lr.assessed_by}" if lr.assessed_by else "")),
                     Text("short of evidence", style="magenta") if lr.short_of_evidence else "")
        for c in (c for c in m.criteria if c.layer == lid):
            evidence = ""
            if c.field:
                evidence = c.field
                if c.source:
                    evidence += f" ← {c.source}" + (f" ({c.as_of})" if c.as_of else "")
            crit.add_row("", _t(c.title), _t(c.status, style=STATUS_STYLE.get(c.status, "")), score(c.score),
                         f"{c.weight:g}", _t(evidence), _t(c.reason))
    parts: list[object] = [head]
    if m.gates:
        gates = Table(title="Gates", header_style="bold")
        for name in ("Gate", "Result", "Why"):
            gates.add_column(name, overflow="fold")
        for g in m.gates:
            mark, style = GATE_MARK[g.passed]
            gates.add_row(_t(g.title), Text(mark, style=style), _t(g.reason))
        parts.append(gates)
    parts.append(crit)
    if m.red_flags:
        flags = Table(title="Red flags", header_style="bold")
        for name in ("Flag", "How", "Reason", "Source"):
            flags.add_column(name, overflow="fold")
        for f in m.red_flags:
            flags.add_row(_t(f.title, style="red"), "derived" if f.derived else "asserted", _t(f.reason),
                          _t(f.source or ""))
        parts.append(flags)
    if m.computed:
        comp = Table(title="Computed", header_style="bold")
        for name in ("Figure", "Value", "Unit", "Method and assumptions"):
            comp.add_column(name, overflow="fold")
        for key, c in m.computed.items():
            basis = "" if c.basis == "evidence" else f" [{c.basis}]"
            comp.add_row(_t(key), _t(str(c.value) + basis), _t(c.unit), _t("; ".join([c.method, *c.assumptions])))
        parts.append(comp)
    return parts


def render_plain(report: Report) -> str:
    """The ranking table as plain text (no colour), for ``-o report.txt``."""
    buffer = io.StringIO()
    out = Console(file=buffer, width=200, color_system=None, force_terminal=False)
    out.print(ranking_table(report))
    out.print(Text(context_line(report)))
    return buffer.getvalue()
