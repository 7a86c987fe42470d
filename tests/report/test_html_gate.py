"""The gate's HTML page: the verdict, a row per candidate, the findings; self-contained and escaped."""

from __future__ import annotations

import pytest

from model_scorecard.gate import Policy, evaluate_gate, load_baseline
from model_scorecard.report.gatefmt import GateFormat, render_gate
from model_scorecard.report.html import render_gate as gate_html
from model_scorecard.schema.rubric import LAYER_IDS
from model_scorecard.schema.shortlist import load_shortlist

from ..gatekit import line_of, model
from ..htmlcheck import assert_self_contained, parse_html

ALL = "- alpha\n- beta\n- gamma\n- delta\n- epsilon\n- zeta\n- eta\n"


@pytest.fixture(autouse=True)
def _not_on_github(monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def gate(path, baseline=None, **policy):
    return evaluate_gate(load_shortlist(path), Policy(**policy), baseline=baseline)


def test_verdict_table_and_findings(files):
    path = files.standard(ALL.replace("- beta\n", "- id: beta\n  notes: [first note, second note]\n"))
    result = gate(path)
    text = gate_html(result)
    root = parse_html(text)
    assert_self_contained(root)
    banner = root.one("p", "banner")
    assert banner.text() == result.verdict_line() and "g-fail" in banner.classes
    table = root.one("table", "gate")
    head = [th.text() for th in table.one("thead").iter("th")]
    assert head == ["Candidate", "Gate", "Verdict", "Total", "Cap", "Safe", "Lat", "Cost", "Ops", "Eco", "Conf.",
                    "Red flags"]
    rows = table.one("tbody").kids("tr")
    assert [r.kids("td")[0].text() for r in rows] == [c.id for c in result.candidates]
    assert [r.kids("td")[1].text() for r in rows] == ["pass", "pass", "FAIL", "FAIL", "pass", "pass", "pass"]
    for row, c in zip(rows, result.candidates):
        cells = [td.text() for td in row.kids("td")]
        assert cells[2] == c.model.verdict and cells[3] == f"{c.model.total:.1f}"
        assert cells[4:10] == ["n/a" if c.model.layers[lid].score is None else f"{c.model.layers[lid].score:.1f}"
                               for lid in LAYER_IDS]
    details = root.all("details", "candidate")
    assert [d.attrs["id"] for d in details] == [f"candidate-{c.id}" for c in result.candidates]
    assert [("open" in d.attrs) for d in details] == [not c.passed for c in result.candidates]
    by_id = dict(zip((c.id for c in result.candidates), details))
    delta = by_id["delta"]
    findings = delta.one("table", "findings").one("tbody").kids("tr")
    assert [r.kids("td")[0].text() for r in findings] == [f.rule for f in result.candidates[3].findings]
    assert [("fails" in r.classes) for r in findings] == [f.fails for f in result.candidates[3].findings]
    assert f"{path.name}:{line_of(path, '- delta')}" in delta.text()
    assert [li.text() for li in by_id["beta"].all("li")][:2] == ["first note", "second note"]
    # the criteria behind each candidate's scores, as in the ranking's page
    assert len(by_id["alpha"].one("table", "criteria").kids("tbody")) == 6


def test_report_only_says_would_fail(files):
    result = gate(files.standard("- alpha\n- gamma\n"), fail_on="never")
    root = parse_html(gate_html(result))
    assert "g-warn" in root.one("p", "banner").classes
    assert [r.kids("td")[1].text() for r in root.one("table", "gate").one("tbody").kids("tr")] == ["pass", "would fail"]


def test_a_passing_gate(files):
    root = parse_html(gate_html(gate(files.standard("- alpha\n- beta\n"))))
    assert "g-pass" in root.one("p", "banner").classes and root.one("p", "banner").text().startswith("gate passed")
    assert not [d for d in root.all("details", "candidate") if "open" in d.attrs]


def test_baseline_changes_layer_by_layer(cli, files, tmp_path):
    files.rubric()
    files.catalog(model("alpha", 95) + model("beta", 75))
    path = files.shortlist("- alpha\n- beta\n")
    base = tmp_path / "base.json"
    assert cli("gate", path, "-o", base).exit_code == 0
    files.catalog(model("alpha", 95) + model("beta", 75, overrides={"capability": 55, "cap2": 55}) + model("new", 95))
    path = files.shortlist("- beta\n- new\n")
    result = gate(path, baseline=load_baseline(base), tolerance=0.0)
    root = parse_html(gate_html(result))
    table = root.one("table", "gate")
    assert [th.text() for th in table.one("thead").iter("th")][-1] == "Δ baseline"
    assert [r.kids("td")[-1].text() for r in table.one("tbody").kids("tr")] == ["-1.0 (was green-light)", "new"]
    changes = root.one("table", "baseline").one("tbody").kids("tr")
    assert [td.text() for td in changes[0].kids("td")] == ["Capability", "4.0", "3.0", "-1.0"]
    (removed,) = [s for s in root.all("section") if s.attrs.get("id") == "removed"]
    assert "alpha" in removed.text()  # in the baseline, no longer shortlisted


def test_hostile_text_is_escaped(files):
    files.rubric()
    files.catalog(model("alpha", 55))
    path = files.shortlist("- id: alpha\n  notes: \"a <b>bold</b> & c \\u0001 ]]> 'q' \\\"dq\\\"\"\n",
                           title="x <script>alert(1)</script> & \"y\"")
    text = gate_html(gate(path))
    root = parse_html(text)
    assert_self_contained(root)
    assert not root.all("b") and "<script>" not in text
    assert root.one("title").text() == "Model gate: x <script>alert(1)</script> & \"y\""
    assert "a <b>bold</b> & c \ufffd ]]> 'q' \"dq\"" in root.text()


def test_cli_writes_html_by_extension_and_identically(cli, files, tmp_path):
    path = files.standard(ALL)
    a, b = tmp_path / "a.html", tmp_path / "b.htm"
    assert cli("gate", path, "-o", a).exit_code == 1
    assert cli("gate", path, "-o", b).exit_code == 1
    assert a.read_bytes() == b.read_bytes()
    assert a.read_text(encoding="utf-8") == render_gate(gate(path), GateFormat.html)
    assert_self_contained(parse_html(a.read_text(encoding="utf-8")))
