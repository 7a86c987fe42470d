"""`scorecard validate` checks a file of one workload, the file `--workload FILE` reads, and a
workload file takes `schema_version` like every other file (optional, so older files load)."""

from __future__ import annotations

import pytest

from model_scorecard.errors import InvalidInput
from model_scorecard.schema.validate import detect_kind, validate_file
from model_scorecard.schema.workload import Workload, load_workload

ONE = "schema_version: 1\nname: contracts\ninput_tokens: 30000\noutput_tokens: 800\nttft_budget_ms: 900\n"


@pytest.mark.parametrize("data, kind", [
    ({"name": "contracts"}, "workload"),
    ({"input_tokens": 30000}, "workload"),  # a workload's key, though its name is missing
    ({"schema_version": 1, "workloads": []}, "workloads"),
    ({"schema_version": 1, "name": "x", "extends": "production"}, "rubric"),
    ({"API_KEY": "abc"}, None),
    ({"schema_version": 1}, None),
])
def test_detect_kind_tells_a_single_workload(data, kind):
    assert detect_kind(data) == kind


@pytest.mark.parametrize("text", [ONE, ONE.removeprefix("schema_version: 1\n")])
def test_a_single_workload_file_validates_and_loads_with_or_without_its_version(write, text):
    path = write("contracts.yaml", text)
    checked = validate_file(path)
    assert checked.kind == "workload" and type(checked.value) is Workload
    assert checked.value == load_workload(path)
    assert load_workload(path).input_tokens == 30000 and load_workload(path).ttft_budget_ms == 900


@pytest.mark.parametrize("text, where", [
    ("schema_version: 2\nname: contracts\n", ":1:"),
    ("name: contracts\ninput_tokens: lots\n", ":2:"),
    ("name: contracts\nconcurency: 4\n", ":2:"),
    ("input_tokens: 3000\n", ":1:"),  # no name
])
def test_a_bad_single_workload_file_is_located(write, text, where):
    with pytest.raises(InvalidInput) as caught:
        validate_file(write("w.yaml", text))
    assert any(where in str(p) for p in caught.value.problems), caught.value.problems


def test_validate_reports_a_workload_file_through_the_cli(cli, write):
    good, bad = write("good.yaml", ONE), write("bad.yaml", "schema_version: 2\nname: x\n")
    result = cli("validate", good)
    assert result.exit_code == 0 and "(workload)" in result.stdout
    result = cli("validate", good, bad)
    assert result.exit_code == 2 and f"{bad}:1:" in result.stderr and "Traceback" not in result.output


def test_rank_takes_a_workload_file_with_its_version(cli, write):
    path = write("contracts.yaml", ONE)
    result = cli("rank", "--workload", path, "--format", "json")
    assert result.exit_code == 0 and '"name": "contracts"' in result.stdout
