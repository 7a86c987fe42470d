"""JSON Schema of what the tool writes: the report of ``scorecard rank --format json`` and the
result of ``scorecard gate -f json`` (``scorecard schema report|gate``, docs/schema/).

Both documents are built from dicts, so their schemas are written by hand in data/
(report.schema.json, gate.schema.json), closed (``additionalProperties: false``) wherever the
structure is fixed, and tested against real outputs so that a key added or renamed in one
place and not the other fails. The parts that come from input models (the workload a report
echoes, a candidate's requirements) are generated from those models here.
"""

from __future__ import annotations

import json
from typing import Any

from model_scorecard import bundled

__all__ = ["OUTPUT_KINDS", "output_schema"]

#: The outputs that have a schema, as ``scorecard schema`` names them.
OUTPUT_KINDS = ("report", "gate")


def _closed(model: Any, *, every_key: bool) -> dict[str, Any]:
    """A model's schema as the tool writes it (serialization); ``every_key``: every field is written."""
    from model_scorecard.schema.editor import EditorSchema

    schema = model.model_json_schema(mode="serialization", schema_generator=EditorSchema)
    if every_key:
        schema["required"] = sorted(schema["properties"])
    return schema


def _read(name: str) -> dict[str, Any]:
    return json.loads(bundled.data_file(name).read_text(encoding="utf-8"))


def output_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``kind``'s JSON output: ``report`` or ``gate``."""
    from model_scorecard.schema.editor import DIALECT
    from model_scorecard.schema.shortlist import Requirements
    from model_scorecard.schema.workload import Workload

    report = _read("report.schema.json")
    report["$defs"]["Workload"] = _closed(Workload, every_key=True)
    if kind == "report":
        schema = report
    elif kind == "gate":
        schema = _read("gate.schema.json")
        defs = report.pop("$defs")
        schema["$defs"].update(defs, Report=report, Requirements=_closed(Requirements, every_key=False))
    else:
        raise ValueError(f"no output schema for {kind!r}; known: {', '.join(OUTPUT_KINDS)}")
    return {"$schema": DIALECT, "$id": f"https://model-scorecard.invalid/schema/{kind}.schema.json", **schema}
