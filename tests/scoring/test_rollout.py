"""The roll-out plan: dated weeks, and each open issue of a model in the week of its phase."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from model_scorecard.errors import UserError
from model_scorecard.schema.load import load_catalog, load_rubric
from model_scorecard.scoring.rollout import (
    TASK_KINDS,
    build_plan,
    plan_end,
    plan_rollout,
    week_bounds,
    week_of,
)
from tests.gatekit import RUBRIC, GateFiles, model

START = date(2026, 12, 28)  # a Monday: week 0 crosses the year end, the plan ends on 2027-03-28
#: The gate-test rubric, asking one criterion backed by evidence per layer.
EVIDENCE_RUBRIC = RUBRIC.replace("unknown: skip\n", "unknown: skip\nmin_evidence: 1\n")
SOURCED = "    source: https://example.test/card\n"


def sourced(mid: str, extra: str = "", **kw: object) -> str:
    """A gate-test entry whose facts all carry a source (so they count as evidence), plus ``extra``."""
    text = model(mid, **kw)  # type: ignore[arg-type]
    head, _, rest = text.partition("    benchmarks:\n")
    return head + SOURCED + "    benchmarks:\n" + rest + extra


def plan_for(tmp_path: Path, entries: str, model_id: str, start: date = START, rubric: str = EVIDENCE_RUBRIC):
    files = GateFiles(tmp_path)
    catalog = files.catalog(entries)
    return plan_rollout(load_catalog(catalog), load_rubric(files.write("rubric.yaml", rubric)), None, model_id, start)


def tasks_by_week(plan, kind: str) -> dict[int, list[str | None]]:
    out: dict[int, list[str | None]] = {}
    for w in plan.weeks:
        for t in w.tasks:
            if t.kind == kind:
                out.setdefault(w.week, []).append(t.ref)
    return out


# -- dates ------------------------------------------------------------------------------------

def test_week_boundaries_cross_the_year_end():
    assert week_bounds(START, 0) == (date(2026, 12, 28), date(2027, 1, 3))
    assert week_bounds(START, 1) == (date(2027, 1, 4), date(2027, 1, 10))
    assert plan_end(START, 13) == date(2027, 3, 28) == START + timedelta(days=90)


def test_week_boundaries_cross_month_ends_and_a_leap_day():
    start = date(2028, 1, 26)
    assert week_bounds(start, 0) == (date(2028, 1, 26), date(2028, 2, 1))
    assert week_bounds(start, 4) == (date(2028, 2, 23), date(2028, 2, 29))   # 2028 is a leap year
    assert week_bounds(start, 5) == (date(2028, 3, 1), date(2028, 3, 7))
    assert plan_end(start, 13) == date(2028, 4, 25)


@pytest.mark.parametrize("day, week", [(date(2026, 12, 28), 0), (date(2027, 1, 3), 0), (date(2027, 1, 4), 1),
                                       (date(2027, 3, 28), 12), (date(2026, 12, 27), -1)])
def test_week_of(day, week):
    assert week_of(day, START) == week


def test_every_week_is_dated_and_consecutive(tmp_path):
    plan = plan_for(tmp_path, sourced("alpha"), "alpha")
    assert [w.week for w in plan.weeks] == list(range(13))
    for before, after in zip(plan.weeks, plan.weeks[1:]):
        assert after.start == before.end + timedelta(days=1)
    assert plan.weeks[0].start == START and plan.weeks[-1].end == plan.end


# -- open issues in their weeks ------------------------------------------------------------------

def test_a_clean_model_has_only_the_template_tasks(tmp_path):
    plan = plan_for(tmp_path, sourced("alpha"), "alpha")
    assert plan.verdict == "green-light" and plan.stop is None
    kinds = {t.kind for w in plan.weeks for t in w.tasks} - {"phase"}
    assert kinds <= {"gate"}  # an API's unrecorded terms of service: a check, not a blocker
    assert plan.blocking == []


def test_red_flags_go_to_the_phase_that_takes_them_up(tmp_path):
    extra = ("    red_flags:\n"
             "      - {id: memorised-books, title: Memorised books, reason: asserted for the test}\n")
    plan = plan_for(tmp_path, sourced("risky", extra), "risky")
    flags = tasks_by_week(plan, "red-flag")
    assert flags == {7: ["memorised-books"]}  # the security and compliance review
    assert all(t.blocking for w in plan.weeks for t in w.tasks if t.kind == "red-flag")


def test_a_licence_red_flag_is_due_in_week_0(tmp_path):
    plan = plan_for(tmp_path, sourced("hosted", hosting_restricted=True), "hosted")
    assert tasks_by_week(plan, "red-flag") == {0: ["hosting-restricted"]}


def test_failed_gates_latency_in_the_canary_weeks_context_before_the_go_no_go(tmp_path):
    extra = "    context_window: 1000\n    serving: {ttft_p95_ms: 900}\n"
    plan = plan_for(tmp_path, sourced("slow", extra), "slow")
    gates = {ref: week for week, refs in tasks_by_week(plan, "gate").items() for ref in refs}
    assert gates["context-fit"] == 0
    assert gates["first-token"] == 5
    blocking = {t.ref for _, t in plan.blocking}
    assert {"context-fit", "first-token"} <= blocking


def test_an_unknown_gate_is_a_check_not_a_blocker(tmp_path):
    plan = plan_for(tmp_path, sourced("alpha"), "alpha")
    licence = [t for w in plan.weeks for t in w.tasks if t.ref == "licence"]
    assert licence and not licence[0].blocking and licence[0].text.startswith("Check gate")


def test_evidence_gaps_are_blocking_in_week_0_and_name_the_lifting_facts(tmp_path):
    plan = plan_for(tmp_path, sourced("thin", skip=("capability", "cap2")), "thin")
    assert plan.verdict == "insufficient-evidence"
    assert tasks_by_week(plan, "evidence") == {0: ["capability"]}
    task = next(t for t in plan.weeks[0].tasks if t.kind == "evidence")
    assert task.blocking and "benchmarks.capability" in task.text


def test_a_shutdown_inside_the_plan_blocks_the_go_no_go_and_marks_its_week(tmp_path):
    plan = plan_for(tmp_path, sourced("sunset", "    operations: {shutdown_date: 2027-02-10}\n"), "sunset")
    shutdown = tasks_by_week(plan, "lifecycle")
    assert shutdown == {0: ["shutdown"], 6: ["shutdown"]}   # 2027-02-10 is in week 6 (2027-02-08 .. 02-14)
    assert all(t.blocking for w in plan.weeks for t in w.tasks if t.kind == "lifecycle")
    assert "week 6" in next(t.text for t in plan.weeks[0].tasks if t.kind == "lifecycle")


def test_a_shutdown_after_the_plan_is_a_reminder_not_a_blocker(tmp_path):
    plan = plan_for(tmp_path, sourced("later", "    operations: {shutdown_date: 2027-03-29}\n"), "later")
    (task,) = [t for w in plan.weeks for t in w.tasks if t.kind == "lifecycle"]
    assert not task.blocking and "1 days after this plan ends" in task.text


def test_blocking_tasks_come_first_in_their_week(tmp_path):
    extra = "    context_window: 1000\n"
    plan = plan_for(tmp_path, sourced("slow", extra), "slow")
    flags = [t.blocking for t in plan.weeks[0].tasks]
    assert flags == sorted(flags, reverse=True)
    assert {t.kind for w in plan.weeks for t in w.tasks} <= set(TASK_KINDS)


# -- verdicts that stop the roll-out ---------------------------------------------------------------

def test_walk_away_says_so_first(tmp_path):
    plan = plan_for(tmp_path, sourced("delta", flags=2), "delta")
    assert plan.verdict == "walk-away"
    assert plan.stop is not None and plan.stop.startswith("Walk away")
    assert plan.to_dict()["stop"] == plan.stop


def test_not_applicable_says_so_first(tmp_path):
    plan = plan_for(tmp_path, sourced("pixels", kind="diffusion-image"), "pixels")
    assert plan.verdict == "not-applicable"
    assert plan.stop is not None and plan.stop.startswith("Not applicable")


# -- which deployment --------------------------------------------------------------------------------

BOTH = ("  - id: both\n    name: both\n    vendor: Acme\n    kind: llm\n    access: [api, open-weights]\n"
        "    params: 8B\n    checkpoint: instruct\n")


def test_a_model_with_two_deployments_asks_which(tmp_path):
    with pytest.raises(UserError) as caught:
        plan_for(tmp_path, BOTH, "both")
    assert "both@api" in str(caught.value) and "both@self-hosted" in str(caught.value)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("deployment", ["api", "self-hosted"])
def test_the_deployment_named_is_planned(tmp_path, deployment):
    plan = plan_for(tmp_path, BOTH, f"both@{deployment}")
    assert plan.key == f"both@{deployment}" and plan.deployment == deployment


@pytest.mark.parametrize("model_id, message", [("nope", "no model 'nope'"), ("both@cloud", "api or self-hosted")])
def test_unknown_ids_and_deployments_are_usage_errors(tmp_path, model_id, message):
    with pytest.raises(UserError, match=message):
        plan_for(tmp_path, BOTH, model_id)


def test_the_plan_is_built_from_a_report_row(tmp_path):
    """build_plan works on any scored row (the library path without plan_rollout)."""
    from model_scorecard.scoring import evaluate

    files = GateFiles(tmp_path)
    report = evaluate(load_catalog(files.catalog(sourced("alpha"))), load_rubric(files.rubric()), None, START)
    plan = build_plan(report.model("alpha"), report, START)
    assert plan.key == "alpha" and plan.start == START
