"""GitLab Code Quality output of the gate: the shape GitLab's widget reads, one issue per finding."""

from __future__ import annotations

import json

from model_scorecard.report.gatefmt import GateFormat, format_for
from tests.conftest import REPO

FAILING = REPO / "examples" / "shortlist-failing.yaml"
PASSING = REPO / "examples" / "shortlist.yaml"
SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def test_gitlab_names_pick_the_format():
    assert format_for("gl-code-quality-report.json") is GateFormat.codequality
    assert format_for("gate.codequality.json") is GateFormat.codequality
    assert format_for("gate.json") is GateFormat.json


def test_one_issue_per_finding_at_the_candidates_line(cli, tmp_path):
    out, sarif = tmp_path / "gl-code-quality-report.json", tmp_path / "gate.sarif"
    done = cli("gate", FAILING, "-o", out, "-o", sarif)
    assert done.exit_code == 1
    issues = json.loads(out.read_text())
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    assert len(issues) == len(results) > 0
    for issue, result in zip(issues, results):
        assert issue["type"] == "issue" and issue["severity"] in SEVERITIES
        assert issue["check_name"] == result["ruleId"]
        assert issue["location"]["lines"]["begin"] == result["locations"][0]["physicalLocation"]["region"]["startLine"]
        assert issue["location"]["path"].endswith("shortlist-failing.yaml")
        assert issue["description"].startswith(result["properties"]["candidate"] + ": ")
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert all(i["severity"] == "major" for i in issues)  # every finding fails an enforced gate here


def test_a_passing_gate_reports_no_failing_issue(cli, tmp_path):
    out = tmp_path / "gate.codequality.json"
    assert cli("gate", PASSING, "-o", out).exit_code == 0
    assert all(i["severity"] == "info" for i in json.loads(out.read_text()))
