"""The roll-out template (data/rollout.yaml): the seed's phases on their weeks, checked like users' files."""

from __future__ import annotations

import pytest

from model_scorecard.tables.rollout import load_rollout


def test_the_bundled_template_has_the_seed_phases_on_their_weeks():
    t = load_rollout()
    assert t.weeks == 13
    assert [(p.first_week, p.last_week) for p in t.phases] == [(0, 2), (3, 4), (5, 6), (7, 8), (9, 12)]
    assert t.phase_for("gate", "first-token").id == "stress-canary"
    assert t.phase_for("red-flag", "an-unlisted-flag").id == t.default_phase


def test_a_template_with_a_gap_and_a_stray_task_is_refused_with_every_problem(tmp_path):
    from model_scorecard.errors import InvalidInput

    bad = tmp_path / "rollout.yaml"
    bad.write_text("schema_version: 1\nweeks: 4\ndefault_phase: one\nphases:\n"
                   "  - {id: one, title: One, first_week: 0, last_week: 1, tasks: [{week: 3, text: late}]}\n"
                   "  - {id: two, title: Two, first_week: 3, last_week: 3}\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_rollout(bad)
    messages = " | ".join(p.message for p in caught.value.problems)
    assert "outside phase 'one'" in messages and "starts in week 3" in messages


def test_every_gate_and_red_flag_the_template_names_exists():
    """A typo in rollout.yaml would silently send an issue to the default phase."""
    import inspect

    from model_scorecard.schema.load import load_rubric
    from model_scorecard.scoring import gates

    source = inspect.getsource(gates)
    flags = set(load_rubric("production").red_flags)
    t = load_rollout()
    assert [g for p in t.phases for g in p.gates if f'GateCheck("{g}"' not in source] == []
    assert [f for p in t.phases for f in p.red_flags if f not in flags] == []
