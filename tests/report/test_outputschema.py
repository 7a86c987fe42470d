"""The committed schemas of the tool's JSON outputs describe the real outputs: the report of
`scorecard rank --format json` and the result of `scorecard gate -f json`, validated with a real
Draft 2020-12 validator. The schemas are closed where the structure is fixed, so a key added,
renamed or dropped on one side and not the other fails here."""

from __future__ import annotations

import json

import pytest

from ..conftest import REPO

jsonschema = pytest.importorskip("jsonschema")

SHORTLISTS = ("examples/shortlist.yaml", "examples/shortlist-failing.yaml")


def committed(kind: str) -> dict:
    return json.loads((REPO / "docs" / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))


def errors(kind: str, data: object) -> list[str]:
    validator = jsonschema.Draft202012Validator(committed(kind))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


@pytest.fixture(scope="module")
def report() -> dict:
    from typer.testing import CliRunner

    from model_scorecard.cli import app

    result = CliRunner().invoke(app, ["rank", "--format", "json", "--sensitivity"], catch_exceptions=False)
    assert result.exit_code == 0
    return json.loads(result.stdout)


@pytest.mark.parametrize("catalog", ["current", "roadmap-2024", str(REPO / "examples" / "team-catalog.yaml")])
def test_the_report_of_rank_matches_its_schema(cli, catalog):
    result = cli("rank", catalog, "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["models"] and errors("report", document) == []


def test_the_report_with_p_green_matches_its_schema(report):
    assert all("p_green" in m for m in report["models"]) and errors("report", report) == []


@pytest.mark.parametrize("shortlist", SHORTLISTS)
def test_the_gate_result_matches_its_schema(cli, shortlist):
    result = cli("gate", REPO / shortlist, "-f", "json")
    assert result.exit_code in (0, 1)
    document = json.loads(result.stdout)
    assert document["candidates"] and errors("gate", document) == []


def test_a_gate_result_against_a_baseline_matches_its_schema(cli, tmp_path):
    baseline = tmp_path / "main.json"
    assert cli("gate", REPO / SHORTLISTS[0], "-o", baseline, "--fail-on", "never").exit_code == 0
    result = cli("gate", REPO / SHORTLISTS[0], "--baseline", baseline, "-f", "json")
    document = json.loads(result.stdout)
    assert document["baseline"] and all(c["baseline"] for c in document["candidates"])
    assert errors("gate", document) == []


@pytest.mark.parametrize("change", [
    lambda r: r.update(generated_at="2026-01-01"),
    lambda r: r["models"][0].update(rank=1),
    lambda r: r["models"][0].pop("verdict"),
    lambda r: r["models"][0]["criteria"][0].update(weight=2),
    lambda r: r["models"][0]["layers"].pop("capability"),
    lambda r: r["models"][0].update(verdict="amber"),
    lambda r: r["rubric"]["criteria"][0].update(protocol="5-shot"),
    lambda r: r["workload"].update(gpus=2),
    lambda r: r["workload"].pop("gpu"),
    lambda r: next(iter(r["models"][0]["computed"].values())).update(confidence=0.5),
])
def test_the_report_schema_is_closed(report, change):
    broken = json.loads(json.dumps(report))
    change(broken)
    assert errors("report", broken)


def test_the_gate_schema_embeds_the_report_and_is_closed(cli):
    document = json.loads(cli("gate", REPO / SHORTLISTS[1], "-f", "json").stdout)
    for change in (lambda d: d.update(extra=1), lambda d: d["candidates"][0].update(rank=1),
                   lambda d: d["candidates"][0]["findings"][0].update(severity="high"),
                   lambda d: d["report"]["models"][0].update(rank=1),
                   lambda d: d["candidates"][0]["requirements"].update(min_totl=3)):
        broken = json.loads(json.dumps(document))
        change(broken)
        assert errors("gate", broken), change


def test_the_schemas_name_what_the_code_names():
    from model_scorecard.gate import FAIL_ON, GATE_KIND, GATE_SCHEMA_VERSION
    from model_scorecard.schema.rubric import LAYER_IDS
    from model_scorecard.scoring.evidence import BASES
    from model_scorecard.scoring.results import REPORT_SCHEMA_VERSION, VERDICTS

    report, gate = committed("report"), committed("gate")
    assert report["properties"]["schema_version"]["const"] == REPORT_SCHEMA_VERSION
    assert gate["properties"]["schema_version"]["const"] == GATE_SCHEMA_VERSION
    assert gate["properties"]["kind"]["const"] == GATE_KIND
    assert tuple(report["$defs"]["Verdict"]["enum"]) == VERDICTS
    assert tuple(report["properties"]["summary"]["required"]) == VERDICTS
    assert tuple(report["$defs"]["ModelResult"]["properties"]["layers"]["required"]) == LAYER_IDS
    assert tuple(report["$defs"]["Computed"]["properties"]["basis"]["enum"]) == BASES
    assert tuple(gate["$defs"]["Policy"]["properties"]["fail_on"]["enum"]) == FAIL_ON
    assert gate["properties"]["report"] == {**gate["properties"]["report"], "$ref": "#/$defs/Report"}
