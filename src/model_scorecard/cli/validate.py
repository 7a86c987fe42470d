"""``scorecard validate``: check catalogs, rubrics, workload files and shortlists; every problem at once."""

from __future__ import annotations

from pathlib import Path
from typing import List

import typer

from model_scorecard.cli import app
from model_scorecard.cli.common import emit, guarded, say
from model_scorecard.errors import InvalidInput, Problem


@app.command()
@guarded
def validate(
    files: List[Path] = typer.Argument(..., help="Catalog, rubric, workload or shortlist YAML files."),
    no_lint: bool = typer.Option(False, "--no-lint", help="Skip the arithmetic lint of catalogs' stated figures."),
) -> None:
    """Validate catalogs, rubrics, workload files and shortlists, reporting every problem as file:line:col.

    The kind is told by the top-level key: models: (catalog), layers: or extends: (rubric),
    workloads: (workload file), candidates: (shortlist), questions: (advice playbook, as
    `scorecard advise --playbook` reads); a file of one workload, as `--workload FILE`
    reads it, by a workload's own keys (name:, input_tokens:, gpu: …). A shortlist is checked as the gate
    would load it: its catalogs, rubric and workload, and that every candidate id exists.

    Catalogs are also linted: the cost and carbon figures they record as stated (claims:,
    cost_claims:) are recomputed; LLM entries must state their checkpoint type; benchmarks
    run with another protocol than the production rubric scores (shots, CoT, variant),
    scored facts sourced only by a third party, and prices or serving figures older than a
    year are named. An error fails validation like a schema error; a warning is printed and
    does not.

    Example: scorecard validate catalogs/*.yaml rubrics/*.yaml examples/shortlist.yaml
    """
    from model_scorecard.schema.validate import validate_file

    problems: list[Problem] = []
    for path in files:
        try:
            checked = validate_file(path)
        except InvalidInput as exc:
            problems.extend(exc.problems)
            continue
        errors: list[Problem] = []
        if checked.kind == "catalog" and not no_lint:
            from model_scorecard.lint import lint_catalog
            from model_scorecard.schema.load import load_rubric

            for finding in lint_catalog(checked.value, checked.doc, rubric=load_rubric("production")):
                if finding.severity == "error":
                    errors.append(finding.as_problem())
                else:
                    say(str(finding))
        problems.extend(errors)
        if not errors:
            emit(f"ok      {path} ({checked.kind})\n")
    if problems:
        bad = len({p.file for p in problems})
        raise InvalidInput(f"{bad} of {len(files)} file(s) invalid, {len(problems)} problem(s):", problems)
