"""The shortlist's JSON Schema checks an inline ``workload:`` as a Workload, as `scorecard validate` does."""

from __future__ import annotations

import json

import pytest

from ..gatekit import line_of

jsonschema = pytest.importorskip("jsonschema")

BASE = {"schema_version": 1, "catalog": "catalog.yaml", "candidates": ["alpha"]}


@pytest.fixture
def schemas(cli):
    shortlist, workload = (json.loads(cli("schema", kind).stdout) for kind in ("shortlist", "workload"))
    return shortlist, workload


@pytest.fixture
def validator(schemas):
    return jsonschema.Draft202012Validator(schemas[0])


def test_inline_workload_is_the_workload_schema_with_the_name_optional(schemas):
    shortlist, workload = schemas
    forms = shortlist["properties"]["workload"]["anyOf"]
    assert {"type": "string"} in forms and {"type": "null"} in forms
    (ref,) = [f["$ref"] for f in forms if "$ref" in f]
    inline = shortlist["$defs"][ref.rsplit("/", 1)[-1]]
    one = workload["$defs"]["WorkloadDocument"]  # a file of one workload: the same fields and its version
    assert inline["additionalProperties"] is False and one["additionalProperties"] is False
    assert one["required"] == ["name"] and "name" not in inline.get("required", [])
    assert inline["properties"]["name"] == {**one["properties"]["name"], "default": "inline"}
    rest = {k: v for k, v in inline["properties"].items() if k != "name"}
    assert rest == {k: v for k, v in one["properties"].items() if k not in ("name", "schema_version")}


@pytest.mark.parametrize("workload", [
    "chat", "loads/heavy.yaml", None,
    {"input_tokens": 4000, "output_tokens": 100},
    {"name": "support-chat", "input_tokens": 3000, "ttft_budget_ms": 300, "languages": ["en", "de"]},
])
def test_the_schema_accepts_presets_paths_and_inline_workloads(validator, workload):
    assert list(validator.iter_errors({**BASE, "workload": workload})) == []


@pytest.mark.parametrize("workload, where", [
    ({"input_tokens": 4000, "output_tokns": 100}, "output_tokns"),   # unknown key
    ({"input_tokens": "lots"}, "input_tokens"),                      # wrong type
    ({"input_tokens": 1.5}, "input_tokens"),                         # not an integer
    ({"concurrency": 0}, "concurrency"),                             # out of range
    ({"precision": "fp12"}, "precision"),                            # not a choice
    ({"name": "Not A Slug"}, "name"),
    (7, None),
])
def test_the_schema_rejects_a_bad_inline_workload(validator, workload, where):
    errors = list(validator.iter_errors({**BASE, "workload": workload}))
    assert errors, workload
    if where is not None:  # the inline form's error names the field (inside the anyOf's context)
        inline = [e for top in errors for e in top.context if e.schema_path[0] == 1]
        assert any(where in e.message or where in e.absolute_path for e in inline), [e.message for e in inline]


@pytest.mark.parametrize("header, needle, message", [
    ("workload:\n  input_tokens: 4000\n  output_tokns: 100\n", "output_tokns: 100",
     "workload.output_tokns: unknown field 'output_tokns'; did you mean 'output_tokens'?"),
    ("workload:\n  input_tokens: lots\n", "input_tokens: lots", "workload.input_tokens: must be a whole number"),
])
def test_validate_rejects_what_the_schema_rejects(cli, files, validator, header, needle, message):
    from model_scorecard.schema.yamlio import load_file

    path = files.standard("- alpha\n", header=header)
    assert list(validator.iter_errors(load_file(path).data)) != []
    result = cli("validate", path)
    assert result.exit_code == 2, result.output
    assert f"{path}:{line_of(path, needle)}:" in result.stderr and message in result.stderr
    assert "Traceback" not in result.output


def test_validate_and_the_schema_accept_an_inline_workload_without_a_name(cli, files, validator):
    from model_scorecard.schema.yamlio import load_file

    path = files.standard("- alpha\n", header="workload:\n  input_tokens: 4000\n  output_tokens: 100\n")
    assert list(validator.iter_errors(load_file(path).data)) == []
    result = cli("validate", path)
    assert result.exit_code == 0 and f"ok      {path} (shortlist)" in result.stdout
