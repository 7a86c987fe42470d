"""The gate's artefacts: JUnit XML, SARIF 2.1.0, the GitHub step summary and annotations."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from model_scorecard.gate import Policy, evaluate_gate
from model_scorecard.report.github import (
    MARKER,
    MAX_ANNOTATIONS,
    annotation_lines,
    escape_data,
    escape_property,
    summary_markdown,
)
from model_scorecard.report.junit import render as junit
from model_scorecard.report.sarif import sarif_document
from model_scorecard.schema.shortlist import load_shortlist

from ..conftest import REPO
from ..gatekit import LAYERS, line_of, model

ALL = "- alpha\n- beta\n- gamma\n- delta\n- epsilon\n- zeta\n- eta\n"
SARIF_SCHEMA = REPO.parent / "shared" / "data" / "sarif-schema-2.1.0.json"


def gate(path, **policy):
    return evaluate_gate(load_shortlist(path), Policy(**policy))


# -- JUnit ------------------------------------------------------------------------------------

def test_junit_counts_failures_errors_and_properties(files):
    path = files.standard(ALL.replace("- eta\n", "- id: eta\n  ecosystem_moat: 3\n"))
    root = ET.fromstring(junit(gate(path, strict=True)))
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    # gamma, delta fail on their verdicts; zeta (unknown evidence) and eta (no ecosystem score) lack data
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("7", "2", "2")
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("7", "2", "2")
    by_name = {c.get("name"): c for c in cases}
    assert list(by_name) == ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"]
    assert by_name["alpha"].find("failure") is None and by_name["alpha"].find("error") is None
    failure = by_name["delta"].find("failure")
    assert failure.get("type") == "gate/walk-away" and failure.text.startswith("[gate/walk-away] verdict walk-away")
    assert "[red-flag/flag-0]" in by_name["delta"].find("system-out").text  # the flags themselves inform
    assert by_name["zeta"].find("error").get("type") == "gate/unknown-evidence"
    assert by_name["eta"].find("error") is not None and by_name["eta"].find("failure") is None
    props = {p.get("name"): p.get("value") for p in by_name["beta"].find("properties")}
    assert props["verdict"] == "green-light" and props["total"] == "24"
    assert [props[f"layer.{lid}"] for lid in LAYERS] == ["4"] * 6
    assert {p.get("name"): p.get("value") for p in by_name["eta"].find("properties")}["layer.ecosystem_moat"] == "n/a"
    assert by_name["gamma"].get("line") == str(line_of(path, "- gamma"))
    assert "red-flag/hosting-restricted" in by_name["epsilon"].find("system-out").text  # informational


def test_junit_survives_hostile_text(files):
    files.rubric()
    files.catalog(model("alpha", 55))
    path = files.shortlist("- id: alpha\n  notes: \"a <b> & c \\u0001 ]]> 'q'\"\n", title="x <&> y")
    root = ET.fromstring(junit(gate(path)))
    assert root.find("testsuite").get("name") == "x <&> y"
    assert "a <b> & c" in root.find("testsuite/testcase/system-out").text


# -- SARIF ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sarif_schema():
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"SARIF 2.1.0 schema not found at {SARIF_SCHEMA} (it lives in the shared data folder "
                    "beside the repository, not in it)")
    return json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))


def test_sarif_validates_against_the_2_1_0_schema(files, sarif_schema):
    jsonschema = pytest.importorskip("jsonschema")
    path = files.standard(ALL.replace("- eta\n", "- id: eta\n  ecosystem_moat: 3\n"))
    for policy in ({}, {"strict": True, "fail_on": "never"}):
        doc = sarif_document(gate(path, **policy))
        jsonschema.Draft4Validator(sarif_schema).validate(doc)


def test_sarif_rules_are_stable_and_results_point_at_candidates(files):
    path = files.standard(ALL)
    doc = sarif_document(gate(path))
    run = doc["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rule_ids[:5] == ["gate/not-green", "gate/walk-away", "gate/min-total", "gate/layer-minimum",
                            "gate/unknown-evidence"]
    assert rule_ids[-3:] == ["red-flag/flag-0", "red-flag/flag-1", "red-flag/hosting-restricted"]
    results = {(r["properties"]["candidate"], r["ruleId"]): r for r in run["results"]}
    assert set(results) == {("gamma", "gate/not-green"), ("delta", "gate/walk-away"), ("delta", "red-flag/flag-0"),
                            ("delta", "red-flag/flag-1"), ("epsilon", "red-flag/hosting-restricted")}
    gamma = results[("gamma", "gate/not-green")]
    assert gamma["level"] == "error" and rule_ids[gamma["ruleIndex"]] == "gate/not-green"
    loc = gamma["locations"][0]["physicalLocation"]
    assert loc["region"]["startLine"] == line_of(path, "- gamma")
    assert loc["artifactLocation"]["uri"].endswith("shortlist.yaml")
    assert results[("epsilon", "red-flag/hosting-restricted")]["level"] == "warning"  # a flag that does not fail
    never = sarif_document(gate(path, fail_on="never"))
    assert {r["level"] for r in never["runs"][0]["results"]} == {"warning"}


def test_sarif_links_only_to_addresses_the_package_declares(files, sarif_schema):
    jsonschema = pytest.importorskip("jsonschema")
    path = files.standard(ALL)
    bare = sarif_document(gate(path), urls={})
    driver = bare["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver and all("helpUri" not in r for r in driver["rules"])
    assert all(r["help"]["markdown"].startswith("**") for r in driver["rules"])
    urls = {"homepage": "https://example.org/scorecard", "documentation": "https://example.org/scorecard/docs"}
    linked = sarif_document(gate(path), urls=urls)
    driver = linked["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://example.org/scorecard"
    assert {r["helpUri"] for r in driver["rules"]} == {"https://example.org/scorecard/docs"}
    jsonschema.Draft4Validator(sarif_schema).validate(linked)


# -- GitHub -----------------------------------------------------------------------------------

def test_escaping_follows_the_workflow_command_rules():
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_annotations_are_capped_and_the_rest_summarised(files):
    files.rubric()
    files.catalog("".join(model(f"m{i:02d}", 55) for i in range(13)) + model("good", 95))
    path = files.shortlist("".join(f"- m{i:02d}\n" for i in range(13)) + "- good\n")
    lines = annotation_lines(gate(path), "ci/shortlist.yaml")
    assert len(lines) == MAX_ANNOTATIONS
    assert lines[0].startswith(f"::error file=ci/shortlist.yaml,line={line_of(path, '- m00')},title=m00 fails")
    assert all("\n" not in line for line in lines)
    assert lines[-1].startswith("::error file=ci/shortlist.yaml,title=4 more failing candidate(s)::")
    assert "m09, m10, m11, m12" in lines[-1]
    assert all(x.startswith("::warning ") for x in annotation_lines(gate(path, fail_on="never")))
    assert annotation_lines(gate(files.shortlist("- good\n"))) == []


def test_step_summary_and_annotations_under_github_actions(cli, files, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_WORKSPACE", str(files.root))
    path = files.standard("- alpha\n- gamma\n- id: beta\n  min_total: 25\n  notes: \"50% sure\"\n")
    result = cli("gate", path)
    assert result.exit_code == 1
    errors = [ln for ln in result.stdout.splitlines() if ln.startswith("::error ")]
    assert errors[0].startswith(f"::error file=shortlist.yaml,line={line_of(path, '- gamma')},title=gamma fails")
    assert errors[1].startswith(f"::error file=shortlist.yaml,line={line_of(path, 'id: beta')},")
    assert "total 24 is below the shortlist's min_total 25" in errors[1]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n" + MARKER + "\n")
    assert "| `gamma` | ❌ fail | ⚠️ not-green | 18.0 |" in text
    assert "gate FAILED: 2 of 3 candidate(s) fail: gamma, beta" in text
    # a second run appends another summary; --no-github turns it all off
    cli("gate", path)
    assert summary.read_text(encoding="utf-8").count(MARKER) == 2
    quiet = cli("gate", path, "--no-github")
    assert "::error" not in quiet.stdout and summary.read_text(encoding="utf-8").count(MARKER) == 2


def test_invalid_input_is_annotated_under_github_actions(cli, files, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(files.root))
    path = files.standard("- nobody\n")
    result = cli("gate", path)
    assert result.exit_code == 2
    assert f"::error file=shortlist.yaml,line={line_of(path, 'nobody')},col=" in result.stdout


def test_summary_stays_under_the_comment_limit(files):
    files.rubric()
    long_ids = [f"model-with-a-deliberately-long-identifier-to-fill-the-summary-quickly-{i:04d}" for i in range(1200)]
    files.catalog("".join(model(i, 55) for i in long_ids))
    path = files.shortlist("".join(f"- {i}\n" for i in long_ids))
    text = summary_markdown(gate(path))
    assert len(text) < 65_536 and len(text.encode("utf-8")) < 1024 * 1024
    assert text.startswith(MARKER) and "more candidate(s) not shown" in text
    assert "gate FAILED: 1200 of 1200" in text
    assert len(summary_markdown(gate(path), limit=5_000)) <= 5_000


def test_markdown_is_the_summary_and_escapes_table_cells(files):
    files.rubric()
    files.catalog(model("alpha", 55))
    path = files.shortlist("- alpha\n", title="\"pipes | and <tags>\"")
    text = summary_markdown(gate(path))
    assert "pipes \\| and &lt;tags&gt;" in text
    assert "### Why they fail" in text and "- **`alpha`** (line" in text
