"""``scorecard show``: one model, criterion by criterion, with its evidence."""

from __future__ import annotations

from enum import Enum
from typing import Optional

import typer

from model_scorecard.cli import app
from model_scorecard.cli.common import console, emit, guarded, parse_day
from model_scorecard.cli.options import AsOfOpt, RubricOpt, WorkloadOpt
from model_scorecard.errors import UserError


class ShowFormat(str, Enum):
    table = "table"
    json = "json"
    html = "html"


@app.command()
@guarded
def show(
    first: str = typer.Argument(..., metavar="[CATALOG] MODEL_ID",
                                help="Catalog YAML or bundled catalog name (default: the bundled default catalog), "
                                     "then the model's id."),
    second: Optional[str] = typer.Argument(None, hidden=True),
    rubric: Optional[str] = RubricOpt,
    workload: Optional[str] = WorkloadOpt,
    fmt: ShowFormat = typer.Option(ShowFormat.table, "--format", "-f", help="Output format."),
    as_of: Optional[str] = AsOfOpt,
    hub: bool = typer.Option(False, "--hub", help="Fill facts the catalog lacks from the Hugging Face Hub "
                                                  "(cached; HF_HUB_OFFLINE=1 uses only the cache)."),
    full: bool = typer.Option(False, "--full/--brief", help="--full: the evidence and reason behind every criterion, "
                                                            "and the computed figures with their assumptions."),
) -> None:
    """Show how one model scored: verdict, gates, evidence, every criterion and why.

    The verdict and each step of it (gates, evidence per layer, red flags) come first, then
    every criterion with its evidence, its score and why.

    A model offered both as open weights and as an API is shown once per deployment; name
    one with ID@api or ID@self-hosted.

    Example: scorecard show roadmap-2024 falcon-180b
    """
    from model_scorecard.errors import suggest
    from model_scorecard.schema.load import load_catalog, load_rubric
    from model_scorecard.schema.workload import load_workload
    from model_scorecard.scoring import evaluate

    catalog, model_id = (first, second) if second is not None else (None, first)
    cat = load_catalog(catalog)
    ids = [m.id for m in cat.models]
    entry_id, _, deployment = model_id.partition("@")
    if deployment and deployment not in ("api", "self-hosted"):
        raise UserError(f"'{model_id}': the part after @ names a deployment, api or self-hosted")
    if entry_id in ids:
        model_id = entry_id
    else:
        raise UserError(f"no model '{model_id}' in {catalog or 'the default catalog'}{suggest(model_id, ids)}",
                        hint=f"ids: {', '.join(ids[:20])}{' …' if len(ids) > 20 else ''}")
    loaded_rubric = load_rubric(rubric)
    one = cat.model_copy(update={"models": [m for m in cat.models if m.id == model_id]})
    if hub:
        from model_scorecard.hub.facts import apply_hub_facts

        one = apply_hub_facts(one)
    report = evaluate(one, loaded_rubric, load_workload(workload, loaded_rubric.default_workload), parse_day(as_of))
    results = [m for m in report.models if not deployment or m.deployment == deployment]
    if not results:
        raise UserError(f"'{entry_id}' has no {deployment} deployment (access: "
                        f"{', '.join(one.models[0].access)})")
    if fmt is ShowFormat.json:  # the canonical report, holding this one model
        from model_scorecard.report.jsonfmt import iter_render

        emit(iter_render(report))
        return
    if fmt is ShowFormat.html:  # the ranking page, holding this one model (its deployments)
        from dataclasses import replace

        from model_scorecard.report.html import render

        emit(render(replace(report, models=tuple(results))))
        return
    from model_scorecard.report.hubinfo import entry_hub_table
    from model_scorecard.report.table import model_tables

    out = console()
    for result in results:
        for part in model_tables(result, report, full):
            out.print(part)
    hub_table = entry_hub_table(one.models[0])
    if hub_table is not None:
        out.print(hub_table)
