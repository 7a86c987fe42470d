"""The assumptions under a page of figures, listed or folded behind their count."""

from __future__ import annotations

from typing import Any


def assumptions_text(assumptions: Any, show: bool) -> Any:
    """The assumptions behind a page's figures: all of them, or (terminal default) their count and
    how to see them -- the JSON output always holds them all."""
    from rich.text import Text

    from model_scorecard.report.escape import terminal_text

    items = [a for a in assumptions if a]
    if show:
        return Text("Assumptions:\n" + "\n".join(f"• {terminal_text(a)}" for a in items), style="dim")
    return Text(f"{len(items)} assumptions behind these figures: --assumptions lists them "
                "(--format json always holds them)", style="dim")
