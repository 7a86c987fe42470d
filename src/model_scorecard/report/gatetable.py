"""The terminal view of a gate result: a rich table, the reasons, and the verdict last."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from model_scorecard.gate import GateResult
from model_scorecard.report.escape import rich_text as _t
from model_scorecard.report.escape import terminal_text
from model_scorecard.report.table import VERDICT_STYLE
from model_scorecard.report.text import LAYER_SHORT, score
from model_scorecard.schema.rubric import LAYER_IDS, LAYER_TITLES


def gate_renderables(result: GateResult, width: int = 200) -> list[object]:
    """Table, reasons, verdict; below 100 columns the six layer scores are left out.

    Input text (the shortlist's name and path, ids, finding messages that quote names and
    reasons) is shown through :mod:`.escape`: never read as markup, no control character.
    """
    enforced = result.policy.enforced
    layers = LAYER_IDS if width >= 100 else ()
    table = Table(title=_t(f"Model gate: {result.name}"), header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True)
    for name, justify in (("Candidate", "left"), ("Gate", "left"), ("Verdict", "left"), ("Total", "right"),
                          *((LAYER_SHORT[lid], "right") for lid in layers), ("Conf.", "right"),
                          ("Red flags", "left")):
        table.add_column(name, justify=justify, no_wrap=name != "Red flags", overflow="fold")  # type: ignore[arg-type]
    if result.baseline is not None:
        table.add_column("Δ base", justify="right", no_wrap=True)
    for c in result.candidates:
        m = c.model
        gate = Text("pass", style="green") if c.passed else (Text("FAIL", style="bold red") if enforced
                                                            else Text("would fail", style="yellow"))
        row: list[Any] = [_t(c.id), gate, Text(m.verdict, style=VERDICT_STYLE.get(m.verdict, "")), score(m.total),
                             *(score(m.layers[lid].score) for lid in layers), f"{m.confidence:.2f}",
                             _t(", ".join(f.id for f in m.red_flags) or "—")]
        if result.baseline is not None:
            row.append("new" if c.comparison is None else f"{c.comparison.delta:+.1f}")
        table.add_row(*row)
    parts: list[object] = [table]
    lines = Text()
    for c in result.candidates:
        shown = [f for f in c.findings if f.fails or f.rule.startswith("baseline/")]
        if not shown and not (c.comparison and c.comparison.changed_layers):
            continue
        where = f" ({terminal_text(result.shortlist_file)}:{c.where.line})" if c.where.line else ""
        lines.append(f"{terminal_text(c.id)}{where}\n", style="bold")
        for f in shown:
            lines.append(f"  {'✗' if f.fails else '·'} [{terminal_text(f.rule)}] {terminal_text(f.message)}\n",
                         style="red" if f.fails else "dim")
        if c.comparison and c.comparison.changed_layers:
            changes = ", ".join(f"{LAYER_TITLES[lc.layer]} {score(lc.before)} → {score(lc.after)}"
                                for lc in c.comparison.changed_layers)
            lines.append(f"  · layers since the baseline: {changes}\n", style="dim")
    if lines.plain:
        parts.append(lines)
    parts.append(_t(result.verdict_line(), style="bold green" if result.passed and not result.failing
                      else ("bold red" if not result.passed else "bold yellow")))
    return parts
