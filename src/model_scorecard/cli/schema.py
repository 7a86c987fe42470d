"""``scorecard schema``: JSON Schema of the input files (catalog, rubric, workload, shortlist, and the
situation and playbook of ``scorecard advise``), for editors, and of the JSON the tool writes
(the report of ``rank --format json``, the result of ``gate -f json``)."""

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
    report = "report"
    gate = "gate"


def schema_text(kind: SchemaKind) -> str:
    from model_scorecard.report.jsonfmt import dumps
    from model_scorecard.report.outputschema import OUTPUT_KINDS, output_schema
    from model_scorecard.schema.editor import schema_of

    schema = output_schema(kind.value) if kind.value in OUTPUT_KINDS else schema_of(kind.value)
    return dumps(schema, sort_keys=True)


@app.command()
@guarded
def schema(
    kind: SchemaKind = typer.Argument(..., help="Which file's schema: an input (catalog … advice) or an output "
                                                    "(report, gate)."),
    output: Optional[Path] = OutputOpt,
) -> None:
    """Print the JSON Schema of an input file, or of the JSON the tool writes.

    Inputs: catalog, rubric (complete, or extending another with extends:), workload (one
    workload, or a list under workloads:), shortlist, situation (scorecard advise
    --situation), advice (a playbook). Outputs: report (scorecard rank --format json), gate
    (scorecard gate -f json). Every field has a description an editor shows on hover.

    The same schemas are committed in docs/schema/; the bundled YAML files name theirs on
    their first line (# yaml-language-server: $schema=...), so an editor with a YAML
    language server checks and completes them.

    Example: scorecard schema shortlist -o shortlist.schema.json
    """
    write_or_emit(schema_text(kind), output)
