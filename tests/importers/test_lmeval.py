"""lm-evaluation-harness results → benchmarks: metric choice, % and ci, protocol, rubric slugs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from model_scorecard.errors import InvalidInput
from model_scorecard.importers.common import read_json
from model_scorecard.importers.lmeval import (
    WHAT,
    LmEvalOptions,
    import_lm_eval,
    rubric_slug,
)

DATA = Path(__file__).resolve().parent / "data"


def _entry(path: Path = DATA / "lm-eval-results.json", **kw):
    return import_lm_eval(read_json(path, what=WHAT), LmEvalOptions(model_id="m", **kw))


def test_the_sample_gives_one_benchmark_per_top_level_task():
    entry, warnings = _entry()
    b = entry["benchmarks"]
    assert sorted(b) == ["gpqa", "gsm8k", "hellaswag", "mmlu", "mmlu_pro"]  # no subtasks, no perplexity
    assert any("wikitext" in w for w in warnings)
    assert b["mmlu_pro"]["value"] == 45.23 and b["mmlu_pro"]["ci"] == 0.882  # 1.96 × 0.0045 × 100
    assert (b["mmlu_pro"]["n_shot"], b["mmlu_pro"]["cot"]) == (5, True)
    assert b["hellaswag"]["value"] == 78.91 and "acc_norm (filter none)" in b["hellaswag"]["setting"]
    assert b["gsm8k"]["value"] == 74.22 and "flexible-extract" in b["gsm8k"]["setting"]
    gpqa = b["gpqa"]
    assert (gpqa["variant"], gpqa["cot"], gpqa["n_shot"], gpqa["value"]) == ("diamond", True, 0, 31.31)
    assert b["mmlu"]["n_shot"] == 5  # a group: its subtasks' shots, all 5
    assert "task mmlu_pro v2.0" in b["mmlu_pro"]["setting"] and "12032 samples" in b["mmlu_pro"]["setting"]
    for fact in b.values():
        assert (fact["as_of"], fact["grade"], fact["source"]) == ("2025-12-05", "independent", "lm-eval-results.json")
        assert "the run's date" in fact["note"]
    assert (entry["hf_id"], entry["vendor"], entry["name"], entry["access"]) == (
        "Qwen/Qwen2.5-7B-Instruct", "Qwen", "Qwen2.5-7B-Instruct", ["open-weights"])


def test_metric_subtasks_and_source_options():
    entry, _ = _entry(metric="acc", subtasks=True, source="https://ci.example/run/7", as_of=date(2020, 1, 1))
    b = entry["benchmarks"]
    assert b["hellaswag"]["value"] == 60.12 and "mmlu_formal_logic" in b and "mmlu_humanities" in b
    assert "mmlu_pro" not in b  # no acc there (warned)
    assert b["mmlu"]["source"] == "https://ci.example/run/7" and b["mmlu"]["as_of"] == "2025-12-05"  # the file's date wins


def test_without_a_date_as_of_comes_from_the_option_or_the_file(write):
    doc = {"results": {"arc_challenge": {"acc,none": 0.5, "acc_stderr,none": "N/A"}}}
    path = write("r.json", json.dumps(doc))
    fact = _entry(path, as_of=date(2026, 3, 1))[0]["benchmarks"]["arc_challenge"]
    assert fact["as_of"] == "2026-03-01" and "--as-of" in fact["note"] and "ci" not in fact
    fact = _entry(path)[0]["benchmarks"]["arc_challenge"]
    assert "last changed" in fact["note"]


@pytest.mark.parametrize("task, expected", [
    ("gpqa_diamond_cot_zeroshot", ("gpqa", "diamond", True)),
    ("gpqa_main_zeroshot", ("gpqa", "main", False)),
    ("leaderboard_gpqa_extended", ("gpqa", "extended", False)),
    ("leaderboard_mmlu_pro", ("mmlu_pro", None, False)),
    ("gsm8k_cot_zeroshot", ("gsm8k", None, True)),
    ("humaneval", ("humaneval", None, None)),
    ("arc_challenge", None),
])
def test_rubric_slugs(task, expected):
    assert rubric_slug(task) == expected


def test_two_tasks_of_one_benchmark_keep_the_first_under_the_rubric_slug(write):
    doc = {"results": {"gpqa_diamond_zeroshot": {"acc_norm,none": 0.4},
                       "gpqa_diamond_cot_zeroshot": {"exact_match,flexible-extract": 0.5}}}
    entry, warnings = _entry(write("r.json", json.dumps(doc)))
    assert entry["benchmarks"]["gpqa"]["cot"] is False
    assert entry["benchmarks"]["gpqa_diamond_cot_zeroshot"]["value"] == 50.0 and warnings


@pytest.mark.parametrize("doc, where", [
    ({"results": {"mmlu": {"acc,none": "high"}}}, "results.mmlu.acc,none"),
    ({"results": {"mmlu": {"acc,none": 71.2}}}, "results.mmlu.acc,none"),  # a %, not a share
    ({"results": {"mmlu": {"acc,none": 0.7, "acc_stderr,none": -1}}}, "results.mmlu.acc_stderr,none"),
    ({"results": ["mmlu"]}, "results"),
    ({"config": {}}, ""),
    ({"results": {"wikitext": {"word_perplexity,none": 9.1}}}, "results"),
])
def test_a_file_that_is_not_harness_results_is_refused_with_its_place(write, doc, where):
    path = write("bad.json", json.dumps(doc, indent=1))
    with pytest.raises(InvalidInput) as err:
        _entry(path)
    problem = err.value.problems[0]
    assert problem.file == str(path) and problem.field == where and problem.line is not None
