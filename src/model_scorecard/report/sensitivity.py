"""Output of ``scorecard sensitivity``: a rich table for people, JSON for machines.

Light to import (the command module names its format enum at start-up): rich and the JSON
encoder are imported by the functions that use them.
"""

from __future__ import annotations

import io
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from model_scorecard.report.formats import FormatTable, OutputFormat

if TYPE_CHECKING:  # pragma: no cover
    from model_scorecard.scoring.sensitivity import (
        Flip,
        ModelSensitivity,
        SensitivityReport,
    )

VERDICT_STYLE = {"green-light": "bold green", "insufficient-evidence": "magenta", "not-green": "yellow",
                 "walk-away": "bold red", "not-applicable": "dim"}


class SensitivityFormat(str, Enum):
    table = "table"
    json = "json"


def render_json_bytes(report: SensitivityReport) -> bytes:
    from model_scorecard.report.jsonfmt import dumps_bytes

    return dumps_bytes(report.to_dict())


def render_plain(report: SensitivityReport) -> str:
    """The table without colour, for ``-o sensitivity.txt``."""
    from rich.console import Console

    buffer = io.StringIO()
    out = Console(file=buffer, width=200, color_system=None, force_terminal=False)
    for part in renderables(report, 200):
        out.print(part)
    return buffer.getvalue()


FORMATS: FormatTable[SensitivityFormat] = FormatTable(SensitivityFormat, {
    SensitivityFormat.table: OutputFormat(render_plain, (".txt",)),
    SensitivityFormat.json: OutputFormat(render_json_bytes, (".json",)),
})


def format_for(path: str | Path) -> SensitivityFormat:
    """The format ``-o FILE`` asks for by its extension; the plain table when it names none."""
    return FORMATS.format_for(path, SensitivityFormat.table)


def render_bytes(report: SensitivityReport, fmt: SensitivityFormat) -> bytes:
    return FORMATS.render_bytes(report, fmt)


def _num(x: float) -> str:
    return f"{x:g}"


def describe_flip(flip: Flip) -> str:
    """``mmlu 5 → 3.4 (−0.6)`` or ``weight of capability 1 → 2.98 (−0.7)``: what flips the verdict
    (plain text; the terminal shows it through ``escape.rich_text``)."""
    what = flip.id if flip.kind == "criterion" else f"weight of {flip.id}"
    return f"{what} {_num(flip.from_)} → {_num(flip.to)} ({flip.points:+.1f})"


def _flip_cell(m: ModelSensitivity) -> Any:
    from model_scorecard.report.escape import rich_text

    if m.blocked_by:
        return rich_text(f"blocked: {m.blocked_by}", style="dim")
    if m.flip is None:
        return rich_text("no single change", style="dim")
    return rich_text(describe_flip(m.flip))


def renderables(report: SensitivityReport, width: int = 200) -> list[Any]:
    """The table, then a line saying how it was drawn and what a blocked row means (input text,
    the model keys and the rubric's name, through ``escape``: no markup, no control characters)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from model_scorecard.report.escape import rich_text, terminal_text

    table = Table(title="Verdict sensitivity", header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True)
    wide = width >= 120  # narrower: no margin column (total − green light), shorter headers
    table.add_column("#", justify="right")
    table.add_column("Model", min_width=8, overflow="fold")
    table.add_column("Verdict", min_width=7, overflow="fold")
    for name in ("Total", "Margin") if wide else ("Total",):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Smallest flip" if wide else "Flip", min_width=12, overflow="fold")
    for name in ("P(green)", "P(#1)", "Total 5–95 %" if wide else "5–95%"):
        table.add_column(name, justify="right", no_wrap=True)
    rank = 0
    for m in report.models:
        ranked = m.p_rank1 is not None
        rank += ranked
        p_green = (Text("0 (blocked)" if wide else "0", style="dim") if m.blocked_by
                   else Text(f"{m.p_green:.1%}", style="bold"))
        table.add_row(str(rank) if ranked else "–", rich_text(m.key),
                      Text(m.verdict, style=VERDICT_STYLE.get(m.verdict, "")),
                      f"{m.total:.1f}", *([f"{m.margin:+.1f}"] if wide else []), _flip_cell(m), p_green,
                      f"{m.p_rank1:.1%}" if ranked else "–", f"{m.total_p05:.1f}–{m.total_p95:.1f}")
    note = (f"{report.draws:,} draws, seed {report.seed}, layer-weight concentration {report.concentration:g} · "
            f"green light ≥ {report.green_light:g} · rubric {terminal_text(report.rubric_name)} · workload "
            f"{terminal_text(report.workload_name)} · evaluated on {report.as_of}\n"
            "Draws score unknown criteria uniformly from their possible scores, draw estimated figures from their "
            "low–likely–high range and layer weights around the rubric's. Blocked rows (walk-away, a failed gate, "
            "insufficient evidence, not applicable) have P(green) 0: what blocks them holds in every draw.")
    return [table, Text(note, style="dim")]
