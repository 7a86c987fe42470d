"""GitHub-flavoured Markdown: a ranking table, then why each model got its verdict.

Input text goes through :func:`.escape.markdown_text` (no HTML, links, images, mentions);
ids are slugs, shown as code.
"""

from __future__ import annotations

from model_scorecard.report.escape import markdown_code as _code
from model_scorecard.report.escape import markdown_text as _cell
from model_scorecard.report.text import context_line, layer_cells, score, signed
from model_scorecard.schema.rubric import LAYER_IDS, LAYER_TITLES
from model_scorecard.scoring.results import Report

VERDICT_MARK = {"green-light": "✅ green-light", "insufficient-evidence": "❔ insufficient-evidence",
                "not-green": "⚠️ not-green", "walk-away": "⛔ walk-away", "not-applicable": "➖ not-applicable"}


def render(report: Report) -> str:
    title = report.catalog_name or "Model scorecard"
    lines = [f"# {_cell(title)}", "", _cell(context_line(report)), ""]
    odds = report.p_green is not None
    head = ["#", "Model", "Verdict", *(LAYER_TITLES[lid] for lid in LAYER_IDS), "Total", "Margin",
            "Pessimistic", "Confidence", *(["P(green)"] if odds else []), "Red flags"]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join(["---:", "---", "---", *["---:"] * 6, "---:", "---:", "---:", "---:",
                                 *(["---:"] if odds else []), "---"]) + "|")
    for rank, m in report.numbered():
        flags = _cell(", ".join(f.id for f in m.red_flags)) or "none"
        key = m.key or m.id
        label = _code(key, in_table=True) if m.name == key else f"{_cell(m.name)} ({_code(key, in_table=True)})"
        row = [str(rank or "–"), label, VERDICT_MARK[m.verdict], *layer_cells(m),
               score(m.total), signed(m.margin), score(m.pessimistic_total), f"{m.confidence:.2f}",
               *([f"{report.p_green.get(key, 0.0):.0%}"] if report.p_green is not None else []), flags]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "## Why", ""]
    for m in report.models:  # collapsed on GitHub: the verdict in the summary, the reasons inside
        lines += ["<details>", f"<summary>{_cell(m.name)} ({_code(m.key or m.id)}) — {VERDICT_MARK[m.verdict]} "
                  f"{score(m.total)}</summary>", "", *(f"- {_cell(r)}" for r in m.reasons), "", "</details>", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
