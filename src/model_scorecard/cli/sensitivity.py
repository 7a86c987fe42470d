"""``scorecard sensitivity``: how robust each verdict is -- margin, flip distance, Monte Carlo odds."""

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
from model_scorecard.report.sensitivity import SensitivityFormat


@app.command()
@guarded
def sensitivity(
    catalog: Optional[Path] = CatalogArg,
    rubric: Optional[str] = RubricOpt,
    workload: Optional[str] = WorkloadOpt,
    draws: int = typer.Option(10_000, "--draws", min=1, max=1_000_000, metavar="N",
                              help="Monte Carlo draws."),
    seed: int = typer.Option(0, "--seed", min=0, metavar="N", help="Seed of the draws: the same seed gives the "
                                                                   "same output, byte for byte."),
    concentration: float = typer.Option(50.0, "--concentration", metavar="C",
                                        help="Layer weights are drawn from a Dirichlet of C × the rubric's "
                                             "normalised weights; larger keeps them closer (> 0)."),
    fmt: Optional[SensitivityFormat] = typer.Option(None, "--format", "-f",
                                                    help="Output format. Default: the table, or with -o the format "
                                                         "its extension names (.json, .txt)."),
    output: Optional[Path] = OutputOpt,
    as_of: Optional[str] = AsOfOpt,
) -> None:
    """How robust is each verdict? Margin, the smallest change that flips it, and Monte Carlo odds.

    Per model: the margin over the green light; the smallest single change -- one criterion's
    score or one layer's weight -- that flips green-light and not-green (or what blocks the
    model: walk-away, a failed gate, insufficient evidence); and, over N seeded draws of the
    unknown criteria, the estimated figures' ranges and the layer weights, P(green),
    P(ranked first) and the total's 5th-95th percentile.

    Example: scorecard sensitivity current --draws 10000 --seed 7 -f json -o sensitivity.json
    """
    from model_scorecard.schema.load import load_catalog, load_rubric
    from model_scorecard.schema.workload import load_workload
    from model_scorecard.scoring import evaluate
    from model_scorecard.scoring.sensitivity import sensitivity as analyse

    if fmt is None:
        from model_scorecard.report.sensitivity import format_for

        fmt = SensitivityFormat.table if output is None else format_for(output)
    loaded_rubric = load_rubric(rubric)
    report = evaluate(load_catalog(catalog), loaded_rubric,
                      load_workload(workload, loaded_rubric.default_workload), parse_day(as_of))
    result = analyse(report, loaded_rubric, draws=draws, seed=seed, concentration=concentration)
    if fmt is SensitivityFormat.table and output is None:
        from model_scorecard.report.sensitivity import renderables

        out = console()
        for part in renderables(result, out.width):
            out.print(part)
        return
    from model_scorecard.report.sensitivity import render_bytes

    write_or_emit(render_bytes(result, fmt), output, inputs=[p for p in (catalog, rubric, workload) if p])
