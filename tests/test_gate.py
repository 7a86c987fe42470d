"""The gate's decisions, through the core API: policies, requirements, strictness, baselines."""

from __future__ import annotations

import json
from datetime import date

import pytest

from model_scorecard.errors import InvalidInput
from model_scorecard.gate import (
    Baseline,
    BaselineEntry,
    Policy,
    evaluate_gate,
    load_baseline,
)
from model_scorecard.report.gatefmt import render_json
from model_scorecard.schema.shortlist import load_shortlist

from .gatekit import LAYERS, model

ALL = "- alpha\n- beta\n- gamma\n- delta\n- epsilon\n- zeta\n- eta\n"


def run(path, **policy):
    baseline = policy.pop("baseline", None)
    return evaluate_gate(load_shortlist(path), Policy(**policy), baseline=baseline)


def outcome(result, cid):
    return next(c for c in result.candidates if c.id == cid)


def rules(result, cid):
    return [f.rule for f in outcome(result, cid).failing]


@pytest.mark.parametrize("fail_on, failing, passed", [
    ("not-green", ["gamma", "delta"], False),
    ("walk-away", ["delta"], False),
    ("never", ["gamma", "delta"], True),      # report only: the same findings, the gate passes
])
def test_fail_on(files, fail_on, failing, passed):
    result = run(files.standard(ALL), fail_on=fail_on)
    assert [c.id for c in result.failing] == failing
    assert result.passed is passed
    assert ("report only" in result.verdict_line()) is (fail_on == "never")
    assert result.verdict_line().startswith("gate passed" if passed else "gate FAILED")


def test_walk_away_fails_even_when_only_walk_aways_should(files):
    result = run(files.standard(ALL), fail_on="walk-away")
    assert rules(result, "delta") == ["gate/walk-away"]
    not_green = outcome(result, "gamma").findings[0]
    assert not_green.rule == "gate/not-green" and not not_green.fails  # reported, not failing


def test_min_total_from_candidate_shared_default_and_command_line(files):
    path = files.standard("- alpha\n- id: beta\n  min_total: 25\n- epsilon\n", header="require:\n  min_total: 10\n")
    assert [c.id for c in run(path).failing] == ["beta"]
    result = run(path, min_total=26)             # --min-total is a floor for every candidate
    assert [c.id for c in result.failing] == ["beta"]
    assert [f.message for f in outcome(result, "beta").failing] == [
        "total 24 is below the shortlist's min_total 25", "total 24 is below --min-total 26"]
    result = run(path, min_total=30)             # a total equal to the minimum passes
    assert [c.id for c in result.failing] == ["beta"]


def test_layer_minimums_and_a_layer_without_score(files):
    files.catalog(model("alpha", 95, overrides={"safety_compliance": 75}) + model("eta", 95, kind="diffusion-llm"))
    files.rubric()
    path = files.shortlist("- id: alpha\n  safety_compliance: 4.5\n- id: eta\n  ecosystem_moat: 3\n")
    result = run(path)
    (alpha,) = outcome(result, "alpha").failing
    assert alpha.rule == "gate/layer-minimum" and not alpha.missing_data
    assert "Safety & Compliance 4 is below" in alpha.message
    (eta,) = outcome(result, "eta").failing
    assert eta.rule == "gate/layer-minimum" and eta.missing_data and "no score" in eta.message
    assert outcome(result, "eta").missing_data_only


def test_red_flags_fail_only_when_asked(files):
    path = files.standard("- epsilon\n- id: alpha\n  no_red_flags: true\n")
    result = run(path)
    eps = outcome(result, "epsilon")
    assert eps.passed and [f.rule for f in eps.findings] == ["red-flag/hosting-restricted"]
    path = files.standard("- epsilon\n- alpha\n", header="require:\n  no_red_flags: true\n")
    assert rules(run(path), "epsilon") == ["red-flag/hosting-restricted"]


def test_strict_fails_unknown_evidence_as_missing_data(files):
    path = files.standard("- alpha\n- zeta\n")
    assert run(path).passed
    result = run(path, strict=True)
    (finding,) = outcome(result, "zeta").failing
    assert finding.rule == "gate/unknown-evidence" and finding.missing_data and "cap2" in finding.message
    assert outcome(result, "alpha").passed and not result.passed


def test_evaluation_date_cli_then_shortlist_then_today(files):
    path = files.standard("- alpha\n")
    loaded = load_shortlist(path)
    assert evaluate_gate(loaded, Policy()).report.as_of == date(2026, 11, 23)
    assert evaluate_gate(loaded, Policy()).as_of_source == "shortlist"
    assert evaluate_gate(loaded, Policy(), as_of=date(2025, 1, 2)).report.as_of == date(2025, 1, 2)
    undated = load_shortlist(files.shortlist("- alpha\n", as_of=None))
    assert evaluate_gate(undated, Policy()).as_of_source == "today"


def _baseline(**entries):
    layers = dict.fromkeys(LAYERS, 4.0)
    return Baseline("base.json", "2026-11-01",
                    {cid: BaselineEntry(cid, verdict, total, {**layers, **changes})
                     for cid, (verdict, total, changes) in entries.items()})


def test_baseline_regression_fails_and_improvement_passes(files):
    path = files.standard("- alpha\n- beta\n- gamma\n")
    base = _baseline(alpha=("green-light", 24.0, {}),            # improved to 30
                     beta=("green-light", 25.0, {"capability": 5.0}),  # dropped 1 point
                     gamma=("green-light", 24.0, {}),           # verdict worse
                     gone=("green-light", 26.0, {}))
    result = run(path, fail_on="walk-away", baseline=base)
    assert outcome(result, "alpha").passed and outcome(result, "alpha").comparison.delta == 6
    assert rules(result, "beta") == ["baseline/total-drop"]
    assert rules(result, "gamma") == ["baseline/verdict-worse", "baseline/total-drop"]
    beta = outcome(result, "beta")
    assert [(lc.layer, lc.before, lc.after) for lc in beta.comparison.changed_layers] == [("capability", 5.0, 4.0)]
    assert "baseline/layer-drop" in [f.rule for f in beta.findings]  # reported layer by layer, not failing
    assert result.removed_from_baseline == ("gone",)
    # within tolerance: the same drop passes
    result = run(path, fail_on="walk-away", tolerance=1.0, baseline=base)
    assert outcome(result, "beta").passed and not outcome(result, "gamma").passed


def test_candidate_new_to_the_baseline_is_informational(files):
    result = run(files.standard("- alpha\n"), baseline=_baseline())
    (finding,) = outcome(result, "alpha").findings
    assert finding.rule == "baseline/new-candidate" and not finding.fails and result.passed


def test_baseline_round_trip_through_the_json_artefact(files, tmp_path):
    path = files.standard("- alpha\n- beta\n")
    first = tmp_path / "first.json"
    first.write_text(render_json(run(path)), encoding="utf-8")
    base = load_baseline(first)
    assert set(base.entries) == {"alpha", "beta"} and base.entries["beta"].total == 24.0
    result = run(path, baseline=base)
    assert result.passed and all(c.comparison.delta == 0 for c in result.candidates)


@pytest.mark.parametrize("text, message", [
    ("{not json", "not JSON"),
    ('{"schema_version": 1, "models": []}', "not a gate result"),
    ('{"kind": "scorecard-gate", "schema_version": 99}', "schema_version 99"),
    ('{"kind": "scorecard-gate", "schema_version": 1, "candidates": [{"id": "a"}]}', "candidates[0]"),
])
def test_bad_baselines(tmp_path, text, message):
    path = tmp_path / "base.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_baseline(path)
    assert message in str(info.value)
    with pytest.raises(InvalidInput, match="not found"):
        load_baseline(tmp_path / "absent.json")


def test_json_artefact_shape(files):
    doc = json.loads(render_json(run(files.standard(ALL))))
    assert doc["schema_version"] == 1 and doc["kind"] == "scorecard-gate"
    assert doc["passed"] is False and doc["summary"] == {"candidates": 7, "passed": 5, "failed": 2}
    gamma = next(c for c in doc["candidates"] if c["id"] == "gamma")
    assert gamma["verdict"] == "not-green" and gamma["total"] == 18 and list(gamma["layers"]) == list(LAYERS)
    assert gamma["findings"][0]["rule"] == "gate/not-green"
    assert doc["report"]["schema_version"] >= 1  # the full scorecard report rides along


def test_policy_is_checked():
    with pytest.raises(ValueError):
        Policy(fail_on="sometimes")
    with pytest.raises(ValueError):
        Policy(tolerance=-1)


def test_min_p_green_from_the_shortlist_and_the_command_line(files):
    # "zed" is green on its known facts (total 25), but its unknown second capability
    # criterion decides it: drawn from 0–5, about half the draws fall below 24
    files.catalog(model("alpha", 95) + model("zed", 75, skip=("cap2",), overrides={"capability": 95})
                  + model("gamma", 55))
    files.rubric()
    result = run(files.shortlist("- alpha\n- id: zed\n  min_p_green: 0.9\n"))
    assert outcome(result, "zed").model.verdict == "green-light"
    assert rules(result, "alpha") == [] and rules(result, "zed") == ["gate/min-p-green"]
    assert result.passed is False
    assert rules(run(files.shortlist("- alpha\n"), min_p_green=1.0), "alpha") == []
    assert rules(run(files.shortlist("- zed\n"), min_p_green=0.1), "zed") == []
    assert "gate/min-p-green" in rules(run(files.shortlist("- gamma\n"), min_p_green=0.5), "gamma")
