"""report/advice: the summary rows, the rich page and the Markdown page."""

from __future__ import annotations

from rich.console import Console

from model_scorecard.report.advice import render_markdown, render_rich, summary_rows
from model_scorecard.schema.advice import Situation
from model_scorecard.scoring.advice import advise


def test_summary_rows_say_what_fired_what_is_missing_and_what_failed():
    rows = {q: (a, r, why) for q, a, r, why in summary_rows(advise(Situation(text_share=0.8, eu=False,
                                                                             tokens_per_day=10)))}
    assert rows["Transformer or diffusion"] == ("transformer", "mostly-text", "text_share > 0.7 (is 0.8)")
    assert rows["Fine-tune or RAG (the 70 % rule)"][0] == "not evaluated"
    assert "private_eval_accuracy" in rows["Fine-tune or RAG (the 70 % rule)"][2]
    assert rows["H100 or A100 in the EU"][0] == "no rule fired"


def test_the_rich_page_renders():
    console = Console(width=120, record=True)
    for part in render_rich(advise(Situation(latency_ms=30, model="7B"))):
        console.print(part)
    text = console.export_text()
    assert "latency_ms < 50 (is 30)" in text and "GPU, H100 class" in text and "Figures" in text


def test_markdown_rows_keep_their_columns():
    import re

    page = render_markdown(advise(Situation(text_share=0.8, model="8B", eu=True, tokens_per_day=1)))
    assert "| Transformer or diffusion | transformer | mostly-text |" in page
    width = 0
    for line in page.splitlines():
        if not line.startswith("|"):
            width = 0
            continue
        cells = len(re.findall(r"(?<!\\)\|", line))
        width = width or cells
        assert cells == width, line
