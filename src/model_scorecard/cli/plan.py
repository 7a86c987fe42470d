"""``scorecard plan``: one model's 90-day roll-out as a dated Markdown checklist."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from model_scorecard.cli import app
from model_scorecard.cli.common import guarded, parse_day, write_or_emit
from model_scorecard.cli.options import OutputOpt, RubricOpt, WorkloadOpt


class PlanFormat(str, Enum):
    markdown = "markdown"
    json = "json"


@app.command()
@guarded
def plan(
    model_id: str = typer.Argument(..., metavar="MODEL_ID",
                                   help="The model's catalog id; ID@api or ID@self-hosted for a model offered both ways."),
    catalog: Optional[str] = typer.Option(None, "--catalog", "-c", metavar="NAME|FILE",
                                          help="Catalog YAML or bundled catalog name. Default: the bundled default catalog."),
    rubric: Optional[str] = RubricOpt,
    workload: Optional[str] = WorkloadOpt,
    start: Optional[str] = typer.Option(None, "--start", metavar="YYYY-MM-DD",
                                        help="First day of week 0; the model is scored as of this day. Default: today."),
    fmt: PlanFormat = typer.Option(PlanFormat.markdown, "--format", "-f", help="Output format."),
    output: Optional[Path] = OutputOpt,
) -> None:
    """Plan one model's 90-day roll-out: weeks 0-12, dated, with its open issues as tasks.

    The phases (select and score, golden eval set, stress test and canary, security and
    compliance review, soft launch and full roll-out) come with the model's red flags, failed
    or unknown gates, missing evidence and shutdown dates placed in the week they must be
    closed by. A walk-away or not-applicable model's plan says so first.

    Example: scorecard plan gpt-oss-120b --start 2027-01-04
    """
    from datetime import date

    from model_scorecard.schema.load import load_catalog, load_rubric
    from model_scorecard.schema.workload import load_workload
    from model_scorecard.scoring.rollout import plan_rollout

    day = parse_day(start, "--start") or date.today()
    loaded_rubric = load_rubric(rubric)
    result = plan_rollout(load_catalog(catalog), loaded_rubric,
                          load_workload(workload, loaded_rubric.default_workload), model_id, day)
    if fmt is PlanFormat.json:
        from model_scorecard.report.jsonfmt import dumps_bytes

        write_or_emit(dumps_bytes(result.to_dict()), output)
        return
    from model_scorecard.report.plan import render

    write_or_emit(render(result), output)
