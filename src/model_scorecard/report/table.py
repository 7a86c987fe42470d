"""The terminal view: a rich table of the ranking, and one model criterion by criterion."""

from __future__ import annotations

import io
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from model_scorecard.report import text
from model_scorecard.report.escape import rich_text as _t
from model_scorecard.report.escape import terminal_text
from model_scorecard.report.text import LAYER_SHORT, layer_cells, score, signed
from model_scorecard.schema.rubric import LAYER_IDS
from model_scorecard.scoring.results import ModelResult, Report
from model_scorecard.units import format_value

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


BAR_CELLS = 20  # one cell per quarter point of a 0-5 layer score


def _bar(value: float | None, threshold: float) -> Text:
    """A 0-5 score as a bar of :data:`BAR_CELLS` cells with a tick where the green-light pace sits."""
    filled = 0 if value is None else round(value / 5 * BAR_CELLS)
    tick = round(threshold / 5 * BAR_CELLS)
    out = Text()
    for i in range(BAR_CELLS):
        if i == tick:
            out.append("|", style="bold")
        out.append("█" if i < filled else "·", style="green" if value is not None and value >= threshold else "yellow")
    if tick >= BAR_CELLS:
        out.append("|", style="bold")
    return out


def _criterion_line(c: Any) -> Text:
    """One criterion on one line (wrapped at word boundaries): score, title, value and its basis."""
    mark = score(c.score) if c.score is not None else {"not-applicable": "n/a", "shown": "ctx", "context": "ctx"}.get(
        c.status, "?")
    line = Text(f"  {mark:>4}  ", style=STATUS_STYLE.get(c.status, ""))
    line.append_text(_t(c.title))
    if c.value is not None and c.status not in ("unknown", "not-applicable"):
        line.append_text(_t(f" — {format_value(c.value)}", style="dim"))
    if c.basis and c.basis != "evidence" and c.status not in ("unknown", "not-applicable"):
        line.append_text(_t(f" ({c.basis})", style="magenta"))
    if c.status == "unknown":
        line.append(" — unknown", style="dim yellow")
    return line


def model_tables(m: ModelResult, report: Report, full: bool = False) -> list[object]:
    """One model, verdict first: the verdict and why, the six layers as bars against the
    green-light pace, gates, red flags, then the criteria -- one line each (``full``: with the
    evidence behind each, why it scored so, and the computed figures; every assumption once).

    Every piece of input text (names, vendor, sources, reasons, titles) is a ``Text`` made by
    :func:`.escape.rich_text`: rich reads no markup in it and no control character gets through.
    """
    who = ", ".join(terminal_text(x) for x in (m.key or m.id, m.vendor, m.kind, f"deployment {m.deployment}"))
    totals = (f"  total {score(m.total)} / 30 (margin {signed(m.margin)}, range "
              f"{score(m.pessimistic_total)}–{score(m.optimistic_total)}, confidence {m.confidence:.2f})\n")
    head = Text.assemble((m.verdict, VERDICT_STYLE[m.verdict]), totals,
                         (f"{terminal_text(m.name)} ", "bold"), (f"({who})\n", "dim"),
                         *(f"• {terminal_text(r)}\n" for r in m.reasons), (context_line(report), "dim"))
    pace = report.green_light / len(LAYER_IDS)
    layers = Text(f"Layers (| marks {pace:g} per layer, the pace of the green light at "
                  f"{report.green_light:g} / 30)\n", style="bold")
    for lid in LAYER_IDS:
        lr = m.layers[lid]
        need = (f"evidence {lr.evidence_count}/{lr.evidence_required}" if lr.evidence_required
                else f"evidence {lr.evidence_share:.0%}")
        layers.append(f"{LAYER_SHORT[lid]:<6}")
        layers.append_text(_bar(lr.score, pace))
        layers.append(f" {score(lr.score):>4}  ")
        layers.append_text(_t(need, style="magenta" if lr.short_of_evidence else "dim"))
        layers.append("\n")
    parts: list[object] = [head, layers]
    if m.gates:
        gates = Text("Gates\n", style="bold")
        for g in m.gates:
            mark, style = GATE_MARK[g.passed]
            gates.append(f"  {mark:<7} ", style=style)
            gates.append_text(_t(f"{g.title}: {g.reason}"))
            gates.append("\n")
        parts.append(gates)
    if m.red_flags:
        flags = Text("Red flags\n", style="bold red")
        for f in m.red_flags:
            flags.append_text(_t(f"  {f.title} ({'derived' if f.derived else 'asserted'}): {f.reason}"))
            flags.append("\n")
        parts.append(flags)
    for lid in LAYER_IDS:
        lr = m.layers[lid]
        block = Text(f"{lr.title}  {score(lr.score)} / 5\n", style="bold")
        for c in (c for c in m.criteria if c.layer == lid):
            if not full and c.status == "not-applicable":
                continue
            block.append_text(_criterion_line(c))
            block.append("\n")
            if full:
                block.append_text(_t(f"        why: {c.reason}\n", style="dim"))
                if c.field and c.source:
                    block.append_text(_t(f"        from: {c.field} ← {c.source}"
                                         + (f" ({c.as_of})" if c.as_of else "") + "\n", style="dim"))
        parts.append(block)
    if full and m.computed:
        notes: list[str] = []
        comp = Text("Computed\n", style="bold")
        for key, c in m.computed.items():
            refs = []
            for a in (c.method, *c.assumptions):
                if a not in notes:
                    notes.append(a)
                refs.append(str(notes.index(a) + 1))
            basis = "" if c.basis == "evidence" else f" [{c.basis}]"
            comp.append_text(_t(f"  {key} = {format_value(c.value)} {c.unit}{basis}  (notes {', '.join(refs)})\n"))
        comp.append_text(_t("".join(f"  [{i}] {n}\n" for i, n in enumerate(notes, 1)), style="dim"))
        parts.append(comp)
    elif not full:
        parts.append(Text("--full shows the evidence and reason behind every criterion and the computed figures",
                          style="dim"))
    return parts


def render_plain(report: Report) -> str:
    """The ranking table as plain text (no colour), for ``-o report.txt``."""
    buffer = io.StringIO()
    out = Console(file=buffer, width=200, color_system=None, force_terminal=False)
    out.print(ranking_table(report))
    out.print(Text(context_line(report)))
    return buffer.getvalue()
