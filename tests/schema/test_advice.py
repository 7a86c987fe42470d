"""schema/advice: the bundled playbook validates; playbooks and situation files with mistakes are
refused with file, line and field."""

from __future__ import annotations

import pytest

from model_scorecard.errors import InvalidInput
from model_scorecard.schema.advice import Situation, load_playbook, load_situation
from tests.conftest import REPO

PLAYBOOK = REPO / "rubrics" / "advice" / "roadmap-2024.yaml"


def test_the_bundled_playbook_validates_and_covers_the_five_questions():
    book = load_playbook(PLAYBOOK)
    assert book.schema_version == 1
    assert [q.id for q in book.questions] == ["architecture", "finetune-or-rag", "hardware", "moe-break-even",
                                              "h100-vs-a100"]
    assert all(r.source for q in book.questions for r in q.rules)


def test_a_situation_file_reads_sizes_and_yes_no(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("schema_version: 1\ntext_share: 0.8\ncontext_tokens: 500k\nedge_fanless: false\n")
    s = load_situation(path)
    assert s.text_share == 0.8 and s.context_tokens == 500_000 and s.edge_fanless is False and s.eu is None


@pytest.mark.parametrize("body, line, field", [
    ("text_share: 1.5\n", 1, "text_share"),
    ("eu: true\nlatency_ms: fast\n", 2, "latency_ms"),
    ("eu: true\ntext_shares: 0.5\n", 2, "text_shares"),
    ("private_eval_accuracy: -0.1\n", 1, "private_eval_accuracy"),
])
def test_a_bad_situation_names_file_line_and_field(tmp_path, body, line, field):
    path = tmp_path / "situation.yaml"
    path.write_text(body)
    with pytest.raises(InvalidInput) as err:
        load_situation(path)
    text = str(err.value)
    assert f"situation.yaml:{line}" in text and field in text


def _playbook(tmp_path, edit):
    text = edit(PLAYBOOK.read_text(encoding="utf-8"))
    path = tmp_path / "book.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("edit, needle", [
    (lambda t: t.replace("{fact: text_share, op: gt, value: 0.70}", "{fact: text_shar, op: gt, value: 0.70}", 1),
     "fact"),
    (lambda t: t.replace("{fact: latency_ms, op: lt, value: 50}", "{fact: latency_ms, op: below, value: 50}"), "op"),
    (lambda t: t.replace("{fact: edge_fanless, op: eq, value: true}", "{fact: edge_fanless, op: gt, value: true}"),
     "yes/no"),
    (lambda t: t.replace("id: stay-on-a100", "id: switch-to-h100"), "duplicate rule id"),
    (lambda t: t.replace("{fact: eu, op: eq, value: true}", "{fact: eu, op: eq, value: 1}", 1), "eu is yes/no"),
    (lambda t: t.replace("{fact: latency_ms, op: lt, value: 50}", "{fact: latency_ms, op: eq, value: true}"),
     "latency_ms is a number"),
    (lambda t: t.replace("schema_version: 1", "schema_version: 2"), "schema_version"),
])
def test_a_bad_playbook_is_refused_with_its_position(tmp_path, edit, needle):
    with pytest.raises(InvalidInput) as err:
        load_playbook(_playbook(tmp_path, edit))
    text = str(err.value)
    assert "book.yaml:" in text and needle in text


def test_every_fact_a_condition_reads_is_one_the_situation_knows():
    book = load_playbook(PLAYBOOK)
    known = set(Situation.model_fields) | {"moe_break_even_utilisation"}
    assert {c.fact for q in book.questions for r in q.rules for c in r.when} <= known


def test_validate_knows_an_advice_playbook(cli):
    from model_scorecard.schema.validate import validate_file

    assert validate_file(PLAYBOOK).kind == "advice"
    done = cli("validate", PLAYBOOK)
    assert done.exit_code == 0 and "(advice)" in done.output
