"""``scorecard validate``: check catalogs, rubrics and workload files; every problem at once."""

from __future__ import annotations

from pathlib import Path
from typing import List

import typer

from ..errors import InvalidInput, Problem
from . import app
from .common import emit, guarded


@app.command()
@guarded
def validate(
    files: List[Path] = typer.Argument(..., help="Catalog, rubric or workload YAML files."),
) -> None:
    """Validate catalogs, rubrics and workload files, reporting every problem as file:line:col.

    Example: scorecard validate catalogs/*.yaml rubrics/*.yaml
    """
    from ..loading import validate_file

    problems: list[Problem] = []
    for path in files:
        try:
            kind = validate_file(path)
        except InvalidInput as exc:
            problems.extend(exc.problems)
        else:
            emit(f"ok      {path} ({kind})\n")
    if problems:
        bad = len({p.file for p in problems})
        raise InvalidInput(f"{bad} of {len(files)} file(s) invalid, {len(problems)} problem(s):", problems)
