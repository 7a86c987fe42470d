"""JSON Schema of the input files as an editor reads it (``scorecard schema``, docs/schema/).

Pydantic writes the schema; this generator names each definition by its title, so a fact of
a parameter count is ``ParamCountFact`` rather than the Python spelling of ``Fact[...]``, and
refuses a schema where two different definitions would share a name.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

__all__ = ["DIALECT", "EditorSchema", "READABLE_NAME", "input_schema"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: What a definition name looks like in the committed schemas.
READABLE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


def _rename_refs(node: Any, renamed: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                name = value[len("#/$defs/"):]
                value = "#/$defs/" + renamed.get(name, name)
            elif key not in ("default", "examples", "const", "enum"):
                value = _rename_refs(value, renamed)
            out[key] = value
        return out
    if isinstance(node, list):
        return [_rename_refs(item, renamed) for item in node]
    return node


class EditorSchema(GenerateJsonSchema):
    """Pydantic's generator with every definition named by its title."""

    def generate(self, schema: Any, mode: Any = "validation") -> dict[str, Any]:
        out = super().generate(schema, mode=mode)
        defs = out.get("$defs")
        if not defs:
            return out
        renamed: dict[str, str] = {}
        for name, body in defs.items():
            if READABLE_NAME.match(name):
                continue
            title = re.sub(r"[^A-Za-z0-9]", "", str(body.get("title", "")))
            if not title or not title[0].isalpha():
                raise ValueError(f"definition {name!r} has no title to name it by")
            renamed[name] = title
        taken = [renamed.get(n, n) for n in defs]
        clash = sorted({n for n in taken if taken.count(n) > 1})
        if clash:
            raise ValueError(f"two definitions would be named {', '.join(clash)}: give their types distinct names")
        out = _rename_refs(out, renamed)
        out["$defs"] = {renamed.get(n, n): body for n, body in out["$defs"].items()}
        return out


def input_schema(model: Any, kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an input file whose model is ``model``."""
    schema = model.model_json_schema(schema_generator=EditorSchema)
    schema["$schema"] = DIALECT
    schema["$id"] = f"https://model-scorecard.invalid/schema/{kind}.schema.json"
    return schema
