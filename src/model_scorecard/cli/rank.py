"""``scorecard rank``: the whole catalog, ranked, with a verdict per model."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from model_scorecard.cli import app
from model_scorecard.cli.common import console, guarded, parse_day, write_or_emit
from model_scorecard.cli.options import (
    AsOfOpt,
    CatalogArg,
    OutputOpt,
    RubricOpt,
    WorkloadOpt,
)
from model_scorecard.report import Format, format_for


@app.command()
@guarded
def rank(
    catalog: Optional[Path] = CatalogArg,
    rubric: Optional[str] = RubricOpt,
    workload: Optional[str] = WorkloadOpt,
    fmt: Optional[Format] = typer.Option(None, "--format", "-f",
                                         help="Output format. Default: the table, or with -o the format its "
                                              "extension names (.json, .csv, .md, .html, .txt)."),
    output: Optional[Path] = OutputOpt,
    as_of: Optional[str] = AsOfOpt,
    top: int = typer.Option(100, "--top", min=0, metavar="N",
                            help="Terminal table: show the best N models (0 = all). Files and other formats hold all."),
    hub: bool = typer.Option(False, "--hub", help="Fill facts the catalog lacks from the Hugging Face Hub for entries "
                                                  "with an hf_id (cached; HF_HUB_OFFLINE=1 uses only the cache)."),
    with_sensitivity: bool = typer.Option(False, "--sensitivity",
                                          help="Add each row's P(green) from `scorecard sensitivity` (seed 0, "
                                               "10,000 draws) to the table, JSON and CSV."),
) -> None:
    """Rank a catalog of models on the six-layer scorecard, best first.

    With -o the file's extension picks the format (ranking.html is HTML) unless --format says.

    Example: scorecard rank current --workload voice -o ranking.html
    """
    from model_scorecard.schema.load import load_catalog, load_rubric
    from model_scorecard.schema.workload import load_workload
    from model_scorecard.scoring import evaluate

    if fmt is None:
        fmt = Format.table if output is None else format_for(output)
    loaded_rubric = load_rubric(rubric)
    cat = load_catalog(catalog)
    if hub:
        from model_scorecard.hub.facts import apply_hub_facts

        cat = apply_hub_facts(cat)
    report = evaluate(cat, loaded_rubric, load_workload(workload, loaded_rubric.default_workload),
                      parse_day(as_of))
    if with_sensitivity:
        from dataclasses import replace

        from model_scorecard.scoring.sensitivity import sensitivity

        robust = sensitivity(report, loaded_rubric)
        report = replace(report, p_green={m.key: m.p_green for m in robust.models})
    if fmt is Format.table and output is None:
        from rich.text import Text

        from model_scorecard.report.table import context_line, ranking_table

        out = console()
        out.print(ranking_table(report, out.width, top))
        out.print(Text(context_line(report), style="dim"))
        return
    from model_scorecard.report import render_chunks

    write_or_emit(render_chunks(report, fmt), output, inputs=[p for p in (catalog, rubric, workload) if p])
