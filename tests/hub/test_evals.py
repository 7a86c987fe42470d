"""A model card's model-index → benchmarks in `scorecard enrich`, graded by who measured."""

from __future__ import annotations

import pytest

from model_scorecard.hub.evals import benchmark_facts, dataset_slug, grade_of
from model_scorecard.schema.load import load_catalog

from .conftest import config
from .fakehub import make_repo

OWN = {"task": {"type": "text-generation"},
       "dataset": {"name": "GPQA Diamond", "type": "Idavidrein/gpqa", "config": "gpqa_diamond", "split": "train",
                   "args": {"num_few_shot": 0}},
       "metrics": [{"type": "accuracy", "value": 0.412, "name": "accuracy"}]}
OLL = {"task": {"type": "text-generation"},
       "dataset": {"name": "MMLU-PRO (5-shot)", "type": "TIGER-Lab/MMLU-Pro", "config": "main", "split": "test",
                   "args": {"num_few_shot": 5}},
       "metrics": [{"type": "acc", "value": 30.15, "name": "accuracy"}],
       "source": {"url": "https://huggingface.co/spaces/open-llm-leaderboard/open_llm_leaderboard?query=acme/evals",
                  "name": "Open LLM Leaderboard"}}
BLOG = {"task": {"type": "text-generation"}, "dataset": {"name": "GSM8K", "type": "openai/gsm8k"},
        "metrics": [{"type": "exact_match", "value": 81.0}], "source": {"name": "a blog", "url": "https://blog.example/x"}}
BLEU = {"task": {"type": "translation"}, "dataset": {"name": "WMT", "type": "wmt14"},
        "metrics": [{"type": "bleu", "value": 31.2}]}
CARD = {"model-index": [{"name": "evals", "results": [OWN, OLL, BLOG, BLEU]}]}

CATALOG = """\
schema_version: 1
models:
  - id: evals
    name: Evals
    vendor: Acme
    kind: llm
    access: open-weights
    checkpoint: {value: instruct, source: "https://acme.example/card"}
    hf_id: acme/evals
    benchmarks:
      gsm8k: {value: 80.0, source: "https://acme.example/card", grade: first-party}
"""


@pytest.fixture
def evals_repo(fakehub):
    return fakehub.add(make_repo("acme/evals", config=config("Qwen--Qwen2.5-0.5B"), safetensors={"BF16": 10},
                                 extra_card=CARD))


def test_enrich_reads_the_cards_model_index(cli, fakehub, evals_repo, write, tmp_path):
    catalog = write("c.yaml", CATALOG)
    out = tmp_path / "new.yaml"
    result = cli("enrich", catalog, "-o", out)
    assert result.exit_code == 0, result.output
    assert cli("validate", out).exit_code == 0
    b = load_catalog(out).models[0].benchmarks
    assert sorted(b) == ["gpqa", "gsm8k", "oll_mmlu_pro"]  # BLEU left out
    gpqa = b["gpqa"]
    assert (gpqa.value, gpqa.variant, gpqa.n_shot, gpqa.grade, gpqa.source) == (41.2, "diamond", 0, "first-party",
                                                                                "huggingface")
    assert gpqa.as_of == "2024-09-25" and "acme/evals" in gpqa.note
    assert (b["oll_mmlu_pro"].value, b["oll_mmlu_pro"].grade, b["oll_mmlu_pro"].n_shot) == (30.15, "independent", 5)
    assert b["gsm8k"].value == 80.0 and b["gsm8k"].source == "https://acme.example/card"  # the catalog's wins
    again = tmp_path / "again.yaml"
    assert cli("enrich", catalog, "-o", again, "--overwrite").exit_code == 0
    assert load_catalog(again).models[0].benchmarks["gsm8k"].grade == "third-party"  # the blog's, taken


def test_a_refresh_drops_results_the_card_no_longer_has(cli, fakehub, evals_repo, write, tmp_path):
    catalog = write("c.yaml", CATALOG)
    first = tmp_path / "a.yaml"
    assert cli("enrich", catalog, "-o", first).exit_code == 0
    evals_repo.info["cardData"] = {"license": "apache-2.0"}
    second = tmp_path / "b.yaml"
    assert cli("enrich", first, "-o", second, "--refresh").exit_code == 0
    assert sorted(load_catalog(second).models[0].benchmarks) == ["gsm8k"]


def test_a_quantized_copys_results_are_third_party(fakehub, evals_repo):
    from model_scorecard.hub.client import fetch_model

    model = fetch_model("acme/evals")
    assert grade_of({"dataset_type": "x"}, model)[0] == "first-party"
    copy = model.__class__(**{**model.__dict__, "tags": ("base_model:quantized:acme/base",)})
    assert {f["grade"] for k, f in benchmark_facts(copy).items() if k != "oll_mmlu_pro"} == {"third-party"}


@pytest.mark.parametrize("result, expected", [
    ({"dataset_type": "cais/mmlu"}, ("mmlu", None)),
    ({"dataset_type": "TIGER-Lab/MMLU-Pro"}, ("mmlu_pro", None)),
    ({"dataset_type": "openai_humaneval"}, ("humaneval", None)),
    ({"dataset_type": "Idavidrein/gpqa", "dataset_config": "gpqa_main"}, ("gpqa", "main")),
    ({"dataset_name": "SWE-bench Verified"}, ("swe_bench_verified", None)),
    ({"dataset_type": ""}, None),
])
def test_dataset_slugs(result, expected):
    assert dataset_slug(result) == expected


# The Hub's answer to model_info(expand=["evalResults"]): the repository's .eval_results/*.yaml files,
# each parsed ("data"), or the file's name and why the Hub refused it ("error").
EVAL_RESULTS = [
    {"filename": ".eval_results/gpqa.yaml",
     "data": {"dataset": {"id": "Idavidrein/gpqa", "task_id": "gpqa_diamond"}, "value": 0.455,
              "date": "2026-10-02T12:00:00Z"}},
    {"filename": ".eval_results/hle.yaml",
     "data": {"dataset": {"id": "cais/hle", "task_id": "hle"}, "value": 22.1,
              "source": {"url": "https://huggingface.co/spaces/someone/evals", "name": "Eval logs", "user": "someone"}}},
    {"filename": ".eval_results/hle_with_tools.yaml",
     "data": {"dataset": {"id": "cais/hle", "task_id": "hle"}, "value": 44.9, "notes": "With tools",
              "verifyToken": "signed-by-the-hub"}},
    {"filename": ".eval_results/broken.yaml", "error": "value is required"},
]


def test_enrich_reads_the_repositorys_eval_results_before_the_card(cli, fakehub, evals_repo, write, tmp_path):
    evals_repo.info["evalResults"] = EVAL_RESULTS
    catalog = write("c.yaml", CATALOG)
    out = tmp_path / "new.yaml"
    result = cli("enrich", catalog, "-o", out)
    assert result.exit_code == 0, result.output
    assert cli("validate", out).exit_code == 0
    b = load_catalog(out).models[0].benchmarks
    assert sorted(b) == ["gpqa", "gsm8k", "hle", "hle_with_tools", "oll_mmlu_pro"]
    gpqa = b["gpqa"]  # the entry wins over the card's model-index result (41.2)
    assert (gpqa.value, gpqa.variant, gpqa.grade, gpqa.as_of) == (45.5, "diamond", "first-party", "2026-10-02")
    assert ".eval_results" in gpqa.note and "the day it ran" in gpqa.note
    assert (b["hle"].value, b["hle"].grade, b["hle"].as_of) == (22.1, "third-party", "2024-09-25")
    assert (b["hle_with_tools"].value, b["hle_with_tools"].grade) == (44.9, "independent")
    assert "With tools" in b["hle_with_tools"].setting


def test_eval_results_are_asked_for_in_the_same_request(fakehub, evals_repo):
    from model_scorecard.hub.client import fetch_model

    evals_repo.info["evalResults"] = EVAL_RESULTS[:1]
    model = fetch_model("acme/evals")
    info_requests = [path for _method, path, _headers in fakehub.requests if "/api/models/acme/evals?" in path]
    assert info_requests and all("expand=evalResults" in path for path in info_requests)
    assert [e["dataset_id"] for e in model.eval_entries] == ["Idavidrein/gpqa"]
