"""`scorecard advise` through the command line: options and situation files in, the rule that fired
and its numbers out (table, JSON, Markdown); bad input exits 2 naming file, line and field."""

from __future__ import annotations

import json

import pytest

import model_scorecard.cli.advise  # noqa: F401 - registers the command on the app (until COMMAND_MODULES lists it)
from tests.conftest import REPO


def as_json(cli, *args):
    done = cli("advise", *args, "--format", "json")
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def answers(doc):
    return {q["id"]: q["answers"] for q in doc["questions"]}


def test_every_question_answered_from_options(cli):
    doc = as_json(cli, "--text-share", "0.8", "--private-eval", "0.72", "--latency-ms", "40", "--utilisation", "0.9",
                  "--fixed-cost-share", "0.2", "--eu", "--tokens-per-day", "5000000")
    assert doc["schema_version"] == 1 and doc["kind"] == "advice"
    assert answers(doc) == {"architecture": ["transformer"], "finetune-or-rag": ["RAG first"],
                            "hardware": ["GPU, H100 class"], "moe-break-even": ["MoE"], "h100-vs-a100": ["H100"]}
    fired = next(r for r in doc["questions"][1]["rules"] if r["status"] == "fired")
    assert fired["conditions"] == [{"fact": "private_eval_accuracy", "op": "ge", "value": 0.72, "threshold": 0.7,
                                    "threshold_from": "playbook", "holds": True}]


@pytest.mark.parametrize("flags, want", [(["--jax"], ["TPU v5e"]), (["--no-jax"], ["GPU"])])
def test_batch_hardware_follows_the_jax_flag(cli, flags, want):
    doc = as_json(cli, "--latency-ms", "200", "--batch-heavy", *flags)
    assert answers(doc)["hardware"] == want


def test_edge_and_long_context_research(cli):
    assert answers(as_json(cli, "--edge"))["hardware"] == ["CPU with 4-bit quantisation (ggml/GGUF)"]
    assert answers(as_json(cli, "--research", "--context", "500k"))["hardware"][0].startswith("short-term rental")
    assert answers(as_json(cli, "--research", "--context", "499999"))["hardware"] == []


def test_nothing_known_means_nothing_evaluated(cli):
    doc = as_json(cli)
    assert {q["status"] for q in doc["questions"]} == {"not-evaluated"}
    assert all(r["missing"] for q in doc["questions"] for r in q["rules"])


def test_a_situation_file_and_options_over_it(cli, tmp_path):
    path = tmp_path / "situation.yaml"
    path.write_text("schema_version: 1\ntext_share: 0.5\nvisual_fidelity_drives_margin: true\n"
                    "private_eval_accuracy: 0.6\n")
    doc = as_json(cli, "--situation", path, "--text-share", "0.9")
    assert doc["situation"]["text_share"] == 0.9
    assert answers(doc)["architecture"] == ["transformer", "diffusion (prototype now; watch unified checkpoints)"]
    assert answers(doc)["finetune-or-rag"] == ["fine-tune first (the hybrid recipe), then RAG on top"]


def test_the_table_shows_the_rule_and_its_numbers(cli):
    done = cli("advise", "--private-eval", "0.69", "--model", "8B")
    assert done.exit_code == 0, done.output
    out = done.stdout
    assert "finetune-first" in out and "private_eval_accuracy < 0.7 (is 0.69)" in out
    assert "lora_memory_bytes" in out and " GB" in out and "not evaluated" in out


def test_markdown(cli):
    done = cli("advise", "--eu", "--tokens-per-day", "3000000", "--format", "markdown")
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("# Decision rules")
    assert "| H100 or A100 in the EU | A100 is enough | stay-on-a100 |" in done.stdout


def test_json_is_byte_identical(cli):
    args = ("advise", "--text-share", "0.8", "--format", "json")
    assert cli(*args).stdout_bytes == cli(*args).stdout_bytes


def test_a_bad_situation_file_exits_2_with_file_line_and_field(cli, tmp_path):
    path = tmp_path / "situation.yaml"
    path.write_text("eu: true\ntext_share: 1.4\n")
    done = cli("advise", "--situation", path)
    assert done.exit_code == 2
    assert "situation.yaml:2" in done.output and "text_share" in done.output and "Traceback" not in done.output


def test_a_bad_playbook_exits_2_with_its_position(cli, tmp_path):
    text = (REPO / "rubrics" / "advice" / "roadmap-2024.yaml").read_text(encoding="utf-8")
    path = tmp_path / "book.yaml"
    path.write_text(text.replace("op: lt, value: 50}", "op: lt, value: fifty}"), encoding="utf-8")
    done = cli("advise", "--playbook", path, "--latency-ms", "10")
    assert done.exit_code == 2 and "book.yaml:" in done.output and "when[0].value" in done.output


@pytest.mark.parametrize("args, needle", [(["--text-share", "1.5"], "--text-share"),
                                          (["--context", "lots"], "--context"),
                                          (["--fixed-cost-share", "1"], "--fixed-cost-share")])
def test_bad_options_exit_2_and_name_the_option(cli, args, needle):
    done = cli("advise", *args)
    assert done.exit_code == 2 and needle in done.output and "Traceback" not in done.output


def test_the_example_situation(cli):
    doc = as_json(cli, "--situation", REPO / "examples" / "advise" / "situation.yaml")
    assert answers(doc) == {
        "architecture": ["transformer", "consider a diffusion LLM beside the transformer"],
        "finetune-or-rag": ["fine-tune first (the hybrid recipe), then RAG on top"],
        "hardware": [],  # 150 ms, not batch-heavy, not edge, not research: no row of the matrix
        "moe-break-even": ["dense"],
        "h100-vs-a100": ["H100"]}
    hardware = next(q for q in doc["questions"] if q["id"] == "hardware")
    assert hardware["status"] == "no-rule-fired"
