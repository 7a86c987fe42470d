"""The committed JSON Schemas are ones an editor can use: every property described, readable
definition names, only standard keywords, and every bundled file valid against the schema its
first line names, checked with a real Draft 2020-12 validator."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from model_scorecard.schema.yamlio import load_file

from ..conftest import REPO

jsonschema = pytest.importorskip("jsonschema")

SCHEMAS = REPO / "docs" / "schema"
KINDS = ("catalog", "rubric", "workload", "shortlist", "situation", "advice", "report", "gate")
# JSON Schema 2020-12's keywords (core, applicator, unevaluated, validation, format-annotation,
# content, meta-data vocabularies): anything else is a key an editor ignores.
VOCABULARY = {
    "$schema", "$id", "$ref", "$defs", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "$comment",
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "prefixItems", "items", "contains",
    "properties", "patternProperties", "additionalProperties", "propertyNames", "unevaluatedItems",
    "unevaluatedProperties", "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
    "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains",
    "minContains", "maxProperties", "minProperties", "required", "dependentRequired", "format", "contentEncoding",
    "contentMediaType", "contentSchema", "title", "description", "default", "deprecated", "readOnly", "writeOnly",
    "examples",
}
_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
_VALUES = ("default", "examples", "const", "enum", "required")  # data, not subschemas


def committed(kind: str) -> dict:
    return json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))


def walk(schema: dict, visit, path: str = "#") -> None:
    """Call visit(path, subschema) on every subschema."""
    visit(path, schema)
    for key, value in schema.items():
        if key in _MAPS:
            for name, sub in value.items():
                walk(sub, visit, f"{path}/{key}/{name}")
        elif key in _VALUES:
            continue
        elif isinstance(value, dict):
            walk(value, visit, f"{path}/{key}")
        elif isinstance(value, list):
            for i, sub in enumerate(value):
                if isinstance(sub, dict):
                    walk(sub, visit, f"{path}/{key}/{i}")


@pytest.mark.parametrize("kind", KINDS)
def test_every_property_has_a_description(kind):
    undescribed: list[str] = []
    count = [0]

    def visit(path, schema):
        for name, sub in schema.get("properties", {}).items():
            count[0] += 1
            if not str(sub.get("description", "")).strip():
                undescribed.append(f"{path}/properties/{name}")

    walk(committed(kind), visit)
    assert count[0] > 5 and undescribed == []


@pytest.mark.parametrize("kind", KINDS)
def test_definition_names_are_readable_and_every_reference_resolves(kind):
    schema = committed(kind)
    defs = schema.get("$defs", {})
    assert [n for n in defs if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", n)] == []
    refs: list[str] = []
    walk(schema, lambda path, sub: refs.append(sub["$ref"]) if "$ref" in sub else None)
    assert {r.removeprefix("#/$defs/") for r in refs} <= set(defs)


@pytest.mark.parametrize("kind", KINDS)
def test_only_standard_keywords(kind):
    odd: list[str] = []
    walk(committed(kind), lambda path, sub: odd.extend(f"{path}: {k}" for k in sub if k not in VOCABULARY))
    assert odd == []
    jsonschema.Draft202012Validator.check_schema(committed(kind))


_APPLIES_TO = {"minLength": "string", "maxLength": "string", "pattern": "string", "minItems": "array",
               "maxItems": "array", "prefixItems": "array", "minimum": "number", "maximum": "number",
               "exclusiveMinimum": "number", "exclusiveMaximum": "number"}


@pytest.mark.parametrize("kind", KINDS)
def test_a_typed_keyword_sits_beside_its_type(kind):
    """`minItems` beside an `anyOf` (or a string's `minLength` on an array) constrains nothing."""
    misplaced: list[str] = []

    def visit(path, schema):
        if path.endswith("/propertyNames"):  # the subject is a key: a string
            return
        types = schema.get("type", [])
        types = set(types if isinstance(types, list) else [types]) | ({"number"} if "integer" in types else set())
        misplaced.extend(f"{path}: {k}" for k, t in _APPLIES_TO.items() if k in schema and t not in types)

    walk(committed(kind), visit)
    assert misplaced == []


def test_a_parameter_count_is_named_described_and_bounded():
    schema = committed("catalog")
    params = schema["$defs"]["ModelEntry"]["properties"]["params"]
    assert "70B" in params["description"]
    assert {"$ref": "#/$defs/ParamCountFact"} in params["anyOf"]
    fact = schema["$defs"]["ParamCountFact"]  # what an editor shows for `params: {value: …, source: …}`
    assert "70B" in fact["description"] and "source" in fact["description"]
    bare = next(f for f in params["anyOf"] if f.get("title") == "ParamCount")
    assert {"70B", "7.2b", "1.5T"} <= set(bare["examples"])
    context = schema["$defs"]["ModelEntry"]["properties"]["context_window"]
    assert "128k = 128,000" in context["description"] and "128K = 131,072" in context["description"]
    tokens = next(f for f in context["anyOf"] if f.get("title") == "TokenCount")
    assert {"128k", "128K"} <= set(tokens["examples"])


# -- the bundled files, each against the schema its first line names ----------------------------

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)$")
BUNDLED = sorted([*REPO.glob("catalogs/*.yaml"), *REPO.glob("rubrics/**/*.yaml"), *REPO.glob("examples/**/*.yaml"),
                  REPO / "src" / "model_scorecard" / "data" / "workloads.yaml"])


def schema_named_by(path: Path) -> Path:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first)
    assert match, f"{path} does not name its schema on its first line"
    target = (path.parent / match["path"]).resolve()
    assert target.parent == SCHEMAS.resolve() and target.is_file(), target
    return target


def errors(schema: dict, data: object) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def test_the_bundled_files_are_all_found():
    names = {p.relative_to(REPO).as_posix() for p in BUNDLED}
    assert {"catalogs/current.yaml", "rubrics/production.yaml", "examples/team-rubric.yaml",
            "rubrics/roadmap-2024.yaml", "examples/shortlist.yaml", "examples/advise/situation.yaml",
            "rubrics/advice/roadmap-2024.yaml", "src/model_scorecard/data/workloads.yaml"} <= names


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_bundled_file_passes_its_schema(path):
    # the tool's own YAML 1.2 reading, as a YAML language server reads the file (dates stay text)
    schema = json.loads(schema_named_by(path).read_text(encoding="utf-8"))
    assert errors(schema, load_file(path).data) == []


# -- what the schemas reject ---------------------------------------------------------------------

def catalog_with(**facts) -> dict:
    return {"schema_version": 1, "models": [{"id": "m", "name": "M", "vendor": "Acme", "kind": "llm",
                                             "access": "open-weights", **facts}]}


@pytest.mark.parametrize("facts", [
    {"params": -5}, {"params": "-5B"}, {"params": {"value": -5, "source": "x"}}, {"params": "70 billion"},
    {"context_window": 0}, {"context_window": "128 kB"}, {"active_params": 1.5},
    {"pricing": {"input_per_1m": -1}}, {"compliance": {"uptime_sla_pct": 101}}, {"release_date": "April 2024"},
    {"operations": {"status": "sunset"}}, {"paramz": "70B"}, {"access": []},
])
def test_the_catalog_schema_rejects_what_validate_rejects(facts, write, cli):
    assert errors(committed("catalog"), catalog_with(**facts))
    import yaml

    path = write("catalog.yaml", yaml.safe_dump(catalog_with(**facts)))
    assert cli("validate", "--no-lint", path).exit_code == 2


@pytest.mark.parametrize("facts", [
    {"params": "70B"}, {"params": "7.2b"}, {"params": "1.5T"}, {"params": 8030261248},
    {"params": {"value": "405B", "source": "https://example.com", "as_of": "2024-07", "grade": "first-party"}},
    {"context_window": "128k"}, {"context_window": "128K"}, {"context_window": 131072}, {"max_output_tokens": "8K"},
])
def test_the_catalog_schema_accepts_size_strings(facts):
    assert errors(committed("catalog"), catalog_with(**facts)) == []


@pytest.fixture
def team_rubric() -> dict:
    return load_file(REPO / "examples" / "team-rubric.yaml").data


@pytest.mark.parametrize("change", [
    lambda r: r["layers"]["ecosystem_moat"]["criteria"][0].update(remove=False),
    lambda r: r["layers"]["ecosystem_moat"]["criteria"][0].update(title="removed, yet retitled"),
    lambda r: r["layers"]["capability"]["criteria"][0].pop("id"),
    lambda r: r["layers"]["capability"]["criteria"][0].update(weight=0),
    lambda r: r["layers"].update(vibes={"weight": 2}),
    lambda r: r.update(colour="red"),
    lambda r: r.update(extends=7),
    lambda r: r.pop("extends"),  # then it is a complete rubric, and five layers are missing
])
def test_the_rubric_schema_rejects_a_bad_extending_rubric(team_rubric, change):
    assert errors(committed("rubric"), team_rubric) == []
    broken = copy.deepcopy(team_rubric)
    change(broken)
    assert errors(committed("rubric"), broken)


def test_a_red_flag_is_dropped_with_null_only_when_extending():
    rubric = {"schema_version": 1, "name": "x", "extends": "production", "red_flags": {"deprecated": None}}
    assert errors(committed("rubric"), rubric) == []
    complete = load_file(REPO / "rubrics" / "production.yaml").data
    complete["red_flags"]["deprecated"] = None
    assert errors(committed("rubric"), complete)


@pytest.mark.parametrize("document, valid", [
    ({"name": "contracts", "input_tokens": 30000}, True),
    ({"schema_version": 1, "name": "contracts", "ttft_budget_ms": 500}, True),
    ({"schema_version": 2, "name": "contracts"}, False),
    ({"input_tokens": 30000}, False),  # a workload needs its name
    ({"schema_version": 1, "workloads": [{"name": "a"}, {"name": "b", "concurrency": 4}]}, True),
    ({"workloads": [{"name": "a"}]}, False),  # a list file states its version
    ({"schema_version": 1, "workloads": [{"name": "a", "gpus": 2}]}, False),
])
def test_the_workload_schema_takes_one_workload_or_a_list(document, valid):
    assert (errors(committed("workload"), document) == []) is valid


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.relative_to(REPO).as_posix())
def test_the_schema_line_is_a_comment_to_every_reader(path):
    """The fast paths and the positioned reader read a bundled file the same with its first line or without."""
    from model_scorecard.schema.yamlfast import Unusual, block_parse, fast_parse
    from model_scorecard.schema.yamlio import loads

    text = path.read_text(encoding="utf-8")
    rest = text.split("\n", 1)[1]
    for parse in (block_parse, fast_parse):
        try:
            with_line = parse(text)
        except Unusual:
            with pytest.raises(Unusual):
                parse(rest)
            continue
        assert with_line == parse(rest)
    assert loads(text).data == loads(rest).data
