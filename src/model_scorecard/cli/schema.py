"""``scorecard schema``: JSON Schema of the input files (catalog, rubric, workload, shortlist, and the
situation and playbook of ``scorecard advise``), for editors."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from model_scorecard.cli import app
from model_scorecard.cli.common import guarded, write_or_emit
from model_scorecard.cli.options import OutputOpt


class SchemaKind(str, Enum):
    catalog = "catalog"
    rubric = "rubric"
    workload = "workload"
    shortlist = "shortlist"
    situation = "situation"
    advice = "advice"


def schema_text(kind: SchemaKind) -> str:
    from model_scorecard.report.jsonfmt import dumps
    from model_scorecard.schema.editor import schema_of

    return dumps(schema_of(kind.value), sort_keys=True)


@app.command()
@guarded
def schema(
    kind: SchemaKind = typer.Argument(..., help="Which file's schema."),
    output: Optional[Path] = OutputOpt,
) -> None:
    """Print the JSON Schema of a catalog, rubric, workload, shortlist, advise situation or advice playbook file.

    The same schemas are committed in docs/schema/.

    Example: scorecard schema shortlist -o shortlist.schema.json
    """
    write_or_emit(schema_text(kind), output)
