"""JSON Schema of the input files as an editor reads it (``scorecard schema``, docs/schema/).

Pydantic writes the schema; this generator names each definition by its title, so a fact of
a parameter count is ``ParamCountFact`` rather than the Python spelling of ``Fact[...]``, and
refuses a schema where two different definitions would share a name.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

__all__ = ["DIALECT", "INPUT_KINDS", "EditorSchema", "READABLE_NAME", "input_schema", "schema_of"]

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


def _describe_fact(body: dict[str, Any]) -> None:
    """A fact's definition (``ParamCountFact``) described by what its value is, so an editor's
    hover says "a parameter count …, with where it came from" rather than the generic class's docstring."""
    value = body.get("properties", {}).get("value")
    if not str(body.get("title", "")).endswith("Fact") or value is None:
        return
    kinds = {"boolean": "true or false", "string": "text", "integer": "a whole number", "number": "a number",
             "array": "a list"}
    what = str(value.get("description") or kinds.get(value.get("type"), "a value")).rstrip(".")
    value.setdefault("description", what)
    body["description"] = (f"{what[0].upper()}{what[1:]}, with where it came from: write the value alone, or "
                           "{value: …, source: …, as_of: …, grade: …}.")


class EditorSchema(GenerateJsonSchema):
    """Pydantic's generator with every definition named by its title."""

    def generate(self, schema: Any, mode: Any = "validation") -> dict[str, Any]:
        out = super().generate(schema, mode=mode)
        defs = out.get("$defs")
        if not defs:
            return out
        for body in defs.values():
            _describe_fact(body)
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


#: The input files that have a schema, as ``scorecard schema`` names them.
INPUT_KINDS = ("catalog", "rubric", "workload", "shortlist", "situation", "advice")


def _split(schema: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A model's schema as (its own body, its definitions)."""
    body = {k: v for k, v in schema.items() if k not in ("$defs", "$schema", "$id")}
    return body, dict(schema.get("$defs", {}))


def _either(kind: str, title: str, description: str, key: str, when: dict[str, Any], otherwise: dict[str, Any],
            defs: dict[str, Any]) -> dict[str, Any]:
    """One file of two forms told apart by one key, as ``if``/``then``/``else`` so an editor
    reports the problems of the form the file is in (``anyOf`` would report both)."""
    return {"$schema": DIALECT, "$id": f"https://model-scorecard.invalid/schema/{kind}.schema.json",
            "title": title, "description": description, "type": "object",
            "if": {"required": [key]}, "then": when, "else": otherwise, "$defs": defs}


def _rubric_schema() -> dict[str, Any]:
    """A complete rubric, or one that ``extends:`` another: its layers and criteria partial,
    merged by id over the parent's, a criterion dropped with ``remove: true``, a red flag with
    null. Derived from the complete rubric's schema, so the two forms cannot drift apart."""
    from model_scorecard.schema.rubric import LAYER_TITLES, Rubric

    full, defs = _split(input_schema(Rubric, "rubric"))
    full["properties"].pop("extends", None)
    ext = copy.deepcopy(full)
    ext.update(title="RubricExtension", required=["extends"],
               description="A rubric that extends another: what it sets replaces the parent's; layers and "
                           "criteria merge by id (name a criterion to change some of its keys, a new id adds "
                           "one, `remove: true` drops one); a red flag set to null is dropped.")
    props = ext["properties"]
    props["extends"] = {"type": "string", "minLength": 1, "title": "Extends",
                        "description": "the rubric this one changes: a bundled name (production) or a path "
                                       "relative to this file", "examples": ["production"]}
    layer_ids = list(full["properties"]["layers"]["propertyNames"]["enum"])
    full["properties"]["layers"]["required"] = layer_ids  # a complete rubric has all six
    props["layers"] = {"type": "object", "title": "Layers", "additionalProperties": False,
                       "description": "changes to layers by id; a layer left out is the parent's",
                       "properties": {lid: {"$ref": "#/$defs/LayerChange",
                                            "description": f"changes to the {LAYER_TITLES[lid]} layer"}
                                      for lid in layer_ids}}
    flags = props["red_flags"]["patternProperties"]
    for pattern, rule in flags.items():
        flags[pattern] = {"anyOf": [rule, {"type": "null"}]}
    props["red_flags"]["description"] = "red-flag rules by id, each replacing the parent's rule of that id; " \
                                        "null drops the parent's rule"
    layer = copy.deepcopy(defs["Layer"])
    layer.pop("required", None)
    layer["properties"]["criteria"] = {
        "type": "array", "title": "Criteria", "items": {"$ref": "#/$defs/CriterionChange"},
        "description": "criteria merged by id into the parent layer's: the keys given replace the parent's; "
                       "a new id adds a criterion (then complete: title and one scoring rule)"}
    layer.update(title="LayerChange", description="Changes to one layer of the parent rubric.")
    patch = copy.deepcopy(defs["Criterion"])
    patch.update(title="CriterionPatch", required=["id"],
                 description="A criterion of the parent to change (the keys given replace its own), or a new one.")
    removal = {"type": "object", "title": "CriterionRemoval", "additionalProperties": False,
               "required": ["id", "remove"], "description": "Drops the parent's criterion of this id.",
               "properties": {"id": copy.deepcopy(defs["Criterion"]["properties"]["id"]),
                              "remove": {"const": True, "title": "Remove",
                                         "description": "true: drop this criterion from the parent rubric"}}}
    defs.update(Rubric=full, RubricExtension=ext, LayerChange=layer, CriterionPatch=patch, CriterionRemoval=removal,
                CriterionChange={"title": "CriterionChange", "type": "object",
                                 "description": "A criterion to change, add, or (with remove: true) drop.",
                                 "if": {"required": ["remove"]}, "then": {"$ref": "#/$defs/CriterionRemoval"},
                                 "else": {"$ref": "#/$defs/CriterionPatch"}})
    return _either("rubric", "Rubric file",
                   "A scorecard rubric: complete (six layers of criteria, red flags, thresholds), or extending "
                   "another rubric with `extends:`.", "extends",
                   {"$ref": "#/$defs/RubricExtension"}, {"$ref": "#/$defs/Rubric"}, defs)


def _workload_schema() -> dict[str, Any]:
    """A file of one workload (``--workload FILE``), or a list of workloads (``workloads:``)."""
    from model_scorecard.schema.workload import WorkloadDocument, WorkloadFile

    one, defs = _split(input_schema(WorkloadDocument, "workload"))
    many, more = _split(input_schema(WorkloadFile, "workload"))
    defs.update(more)
    defs.update(WorkloadDocument=one, WorkloadFile=many)
    return _either("workload", "Workload file",
                   "One workload (what `--workload FILE` reads), or a list of workloads under `workloads:`.",
                   "workloads", {"$ref": "#/$defs/WorkloadFile"}, {"$ref": "#/$defs/WorkloadDocument"}, defs)


def schema_of(kind: str) -> dict[str, Any]:
    """The JSON Schema of an input file of ``kind`` (one of :data:`INPUT_KINDS`)."""
    if kind == "rubric":
        return _rubric_schema()
    if kind == "workload":
        return _workload_schema()
    from model_scorecard.schema.advice import Playbook, Situation
    from model_scorecard.schema.catalog import Catalog
    from model_scorecard.schema.shortlist import Shortlist

    models: dict[str, Any] = {"catalog": Catalog, "shortlist": Shortlist, "situation": Situation, "advice": Playbook}
    return input_schema(models[kind], kind)
