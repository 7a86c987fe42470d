"""``scorecard advise`` output: the answers first, then every rule with the numbers that decided
it, then the figures behind each question. A rich page for people and a Markdown page."""

from __future__ import annotations

from typing import Any

from model_scorecard.report.vram import size

_STATUS = {"fired": "fired", "not-fired": "did not fire", "not-evaluated": "not evaluated"}
_STYLE = {"fired": "green", "not-fired": "dim", "not-evaluated": "yellow"}


def _value(number: Any) -> str:
    from model_scorecard.scoring.advice import show

    value = number.value
    if value is None:
        return "not evaluated"
    if number.unit == "bytes":
        return size(value, False)
    if isinstance(value, list):
        return " – ".join(show(v) for v in value)
    return show(value)


def summary_rows(advice: Any) -> list[tuple[str, str, str, str]]:
    """(question, answer, rule, why) for each question: one row per rule that fired; else what
    was missing, or why no rule fired."""
    rows = []
    for q in advice.questions:
        fired = [r for r in q.rules if r.status == "fired"]
        if fired:
            rows += [(q.title, r.answer, r.id, "; ".join(c.text() for c in r.conditions)) for r in fired]
        elif q.status == "not-evaluated":
            missing = sorted({m for r in q.rules for m in r.missing})
            rows.append((q.title, "not evaluated", "—", "unknown: " + ", ".join(missing)))
        else:
            rows.append((q.title, "no rule fired", "—", "every rule has a condition that fails"))
    return rows


def render_rich(advice: Any) -> list[Any]:
    """The page of ``scorecard advise`` for an :class:`~model_scorecard.scoring.advice.Advice`."""
    from rich.table import Table
    from rich.text import Text

    from model_scorecard.report.escape import rich_text

    parts: list[Any] = [Text.assemble((advice.playbook_title, "bold"), "  ·  ", rich_text(advice.playbook))]
    summary = Table(title="Advice", header_style="bold", show_edge=False)
    for name in ("Question", "Answer", "Rule", "Fired by"):
        summary.add_column(name, overflow="fold")
    for question, answer, rule, why in summary_rows(advice):
        style = "yellow" if answer in ("not evaluated", "no rule fired") else "green"
        summary.add_row(rich_text(question), rich_text(answer, style), rich_text(rule), rich_text(why))
    parts.append(summary)

    rules = Table(title="Every rule: the threshold, the situation's value, where the rule comes from",
                  header_style="bold", show_edge=False)
    for name in ("Rule", "Status", "Conditions"):
        rules.add_column(name, overflow="fold")
    for q in advice.questions:
        for r in q.rules:
            lines = [c.text() for c in r.conditions]
            if r.missing:
                lines.append("unknown: " + ", ".join(r.missing))
            cell = _lines([(line, "") for line in lines] + [(r.source, "dim")])
            rules.add_row(rich_text(f"{q.id}/{r.id}"), rich_text(_STATUS[r.status], _STYLE[r.status]), cell)
    parts.append(rules)

    figures = Table(title="Figures", header_style="bold", show_edge=False)
    for name in ("Figure", "Value", "From"):
        figures.add_column(name, overflow="fold")
    for q in advice.questions:
        for n in q.numbers:
            value = _value(n) if n.unit == "bytes" or n.value is None else f"{_value(n)} {n.unit}"
            figures.add_row(rich_text(f"{q.id}/{n.name}"), rich_text(value), rich_text(n.source, "dim"))
    if figures.row_count:
        parts.append(figures)
    notes = [(f"• {q.title}: {q.note}", "dim") for q in advice.questions if q.note]
    if notes:
        parts.append(_lines(notes))
    return parts


def _lines(lines: list[tuple[str, str]]) -> Any:
    """One rich Text of several lines, each made safe and styled."""
    from rich.text import Text

    from model_scorecard.report.escape import terminal_text

    text = Text()
    for i, (line, style) in enumerate(lines):
        if i:
            text.append("\n")
        text.append(terminal_text(line), style=style)
    return text


def render_markdown(advice: Any) -> str:
    """The same page in GitHub-flavoured Markdown."""
    from model_scorecard.report.escape import markdown_text as md

    lines = [f"# {md(advice.playbook_title)}", "", f"Playbook: {md(advice.playbook)}", "",
             "| Question | Answer | Rule | Fired by |", "|---|---|---|---|"]
    lines += [f"| {md(a)} | {md(b)} | {md(c)} | {md(d)} |" for a, b, c, d in summary_rows(advice)]
    lines += ["", "## Every rule", "", "| Question | Rule | Status | Conditions | Source |", "|---|---|---|---|---|"]
    for q in advice.questions:
        for r in q.rules:
            conditions = "; ".join(c.text() for c in r.conditions)
            if r.missing:
                conditions += "; unknown: " + ", ".join(r.missing)
            lines.append(f"| {md(q.id)} | {md(r.id)} | {md(_STATUS[r.status])} | {md(conditions)} | {md(r.source)} |")
    numbers = [(q, n) for q in advice.questions for n in q.numbers]
    if numbers:
        lines += ["", "## Figures", "", "| Question | Figure | Value | Unit | From |", "|---|---|---|---|---|"]
        lines += [f"| {md(q.id)} | {md(n.name)} | {md(_value(n))} | {md(n.unit)} | {md(n.source)} |"
                  for q, n in numbers]
    notes = [f"- {md(q.title)}: {md(q.note)}" for q in advice.questions if q.note]
    if notes:
        lines += ["", "## Notes", "", *notes]
    return "\n".join(lines) + "\n"
