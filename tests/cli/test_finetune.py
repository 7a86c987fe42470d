"""`scorecard finetune`: the calculator's figures through the command line, with the model resolved as vram does."""

from __future__ import annotations

import json

import pytest

from model_scorecard.calc.architecture import architecture_from_config
from model_scorecard.calc.finetune import LoraSpec, Workload, estimate_finetune
from tests.conftest import REPO

LLAMA3_8B = REPO / "tests" / "calc" / "configs" / "meta-llama--Meta-Llama-3-8B.json"


def as_json(cli, *args):
    done = cli("finetune", *args, "--format", "json")
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def test_a_config_gets_the_calculators_figures_for_its_own_architecture(cli):
    doc = as_json(cli, str(LLAMA3_8B), "--method", "qlora", "--rank", "16", "--seq", "4k")
    arch = architecture_from_config(json.loads(LLAMA3_8B.read_text()))
    want = estimate_finetune(arch, "qlora", workload=Workload(sequence_tokens=4000), lora=LoraSpec(rank=16))
    assert doc["total_bytes"] == round(want.total_bytes)
    assert doc["params"] == 8_030_261_248 and doc["trainable_params"] == want.trainable_params


def test_methods_order_and_the_gpu_verdict(cli):
    full, lora, qlora = (as_json(cli, str(LLAMA3_8B), "--method", m, "--gpu", "L4") for m in ("full", "lora", "qlora"))
    assert full["total_bytes"] > lora["total_bytes"] > qlora["total_bytes"]
    assert full["gpu"]["fits"] is False and qlora["gpu"]["fits"] is True
    assert qlora["gpu"]["name"] == "L4"


def test_a_size_gets_an_assumed_shape_and_says_so(cli):
    doc = as_json(cli, "70B", "--method", "qlora")
    assert doc["params"] == 70_000_000_000
    assert any("assum" in a or "Llama-like" in a for a in doc["assumptions"])


@pytest.mark.parametrize("args", [["8B", "--modules", "q,bogus"], ["8B", "--frozen", "1.5"], ["8B", "--seq", "0"],
                                  ["8B", "--gpu", "nonsense-gpu"]])
def test_bad_input_exits_2_without_a_traceback(cli, args):
    done = cli("finetune", *args)
    assert done.exit_code == 2 and "Traceback" not in done.output
