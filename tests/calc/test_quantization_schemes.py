"""MXFP4, NVFP4 and block-scaled FP8 checkpoints: what a config.json's quantization_config
costs per weight, and which weights the scheme converts (issue 13, item 5).

Reference figures, each from a published source (tests/calc/configs/SOURCES.md):

* gpt-oss-20b: 20,914,757,184 parameters (OpenAI's model card: 20.91B); its safetensors
  index says ``"total_size": 13761264768`` bytes: MXFP4 experts (4.25 bits) and everything
  else in bf16, which is what the config's ``modules_to_not_convert`` says.
* gpt-oss-120b: 116,829,156,672 parameters (116.83B); 65,248,815,744 tensor bytes.
* DeepSeek-V3: ``quant_method: fp8`` with ``weight_block_size: [128, 128]``: one fp32 scale
  per 16,384 weights.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from model_scorecard.calc.memory import weight_bytes
from model_scorecard.calc.quantization import CONVERTED_PARTS, quantization_from_config
from model_scorecard.sizing.target import precision_from_config

CONFIGS = Path(__file__).parent / "configs"
GPT_OSS_20B = json.loads((CONFIGS / "quantized" / "openai--gpt-oss-20b.json").read_text(encoding="utf-8"))
DEEPSEEK_V3 = json.loads((CONFIGS / "deepseek-ai--DeepSeek-V3.json").read_text(encoding="utf-8"))
QWEN3_30B_A3B = json.loads((CONFIGS / "Qwen--Qwen3-30B-A3B.json").read_text(encoding="utf-8"))

# gpt-oss-120b's config.json differs from the 20b's in the depth and the number of experts
# (model card: 36 layers, 128 experts; both alternate sliding and full attention).
GPT_OSS_120B = {**GPT_OSS_20B, "num_hidden_layers": 36, "num_local_experts": 128,
                "layer_types": ["sliding_attention", "full_attention"] * 18}

EMBEDDING = 201_088 * 2_880  # untied: embed_tokens and lm_head each


def _gpt_oss_bytes(config: dict, total_params: int) -> float:
    precision, _ = precision_from_config(config)
    assert precision is not None and precision.keeps_embeddings_16bit
    return weight_bytes(total_params, precision, 2 * EMBEDDING).total_bytes


@pytest.mark.parametrize(("config", "total_params", "checkpoint_bytes"), [
    (GPT_OSS_20B, 20_914_757_184, 13_761_264_768),
    (GPT_OSS_120B, 116_829_156_672, 65_248_815_744),
])
def test_gpt_oss_experts_in_mxfp4_the_rest_in_bf16_give_the_published_bytes(config, total_params,
                                                                             checkpoint_bytes) -> None:
    from model_scorecard.calc.architecture import architecture_from_config
    from model_scorecard.calc.quantization import _gpt_oss_parts

    assert sum(_gpt_oss_parts(config).values()) == total_params  # the published parameter count
    assert architecture_from_config(config).total_params == total_params  # and the architecture's
    info = quantization_from_config(config)
    assert (info["method"], info["precision"], info["scheme_bits"], info["scheme_bits_per_weight"]) == \
        ("mxfp4", "mxfp4", 4, 4.25)
    assert (info["packed_dtype"], info["values_per_element"], info["group_size"]) == ("U8", 2, 32)
    # the bytes: within the 6-decimal rounding of the mixed bits (under 1 MB in 65 GB)
    assert _gpt_oss_bytes(config, total_params) == pytest.approx(checkpoint_bytes, rel=1e-6)
    # counting everything but embeddings and head at 4.25 bits would miss the bf16 attention
    assert 4.25 < info["bits_per_weight"] < 5 and 4 < info["bits"] < info["bits_per_weight"]
    assert "experts in mxfp4" in info["assumes"] and "attention, router" in info["assumes"]
    assert info["not_converted"] == GPT_OSS_20B["quantization_config"]["modules_to_not_convert"]


def test_gpt_oss_scales_row_holds_the_e8m0_scales_only() -> None:
    precision, _ = precision_from_config(GPT_OSS_20B)
    w = weight_bytes(20_914_757_184, precision, 2 * EMBEDDING)
    experts = quantization_from_config(GPT_OSS_20B)["quantized_params"]
    assert experts == 24 * 32 * 3 * 2880 * 2880
    assert w.metadata_bytes == pytest.approx(experts * 8 / 32 / 8, rel=1e-5)  # one byte per 32 expert weights


def test_deepseek_v3_fp8_block_scales() -> None:
    info = quantization_from_config(DEEPSEEK_V3)
    assert (info["method"], info["precision"], info["group_size"]) == ("fp8", "fp8", 128 * 128)
    assert info["bits_per_weight"] == info["scheme_bits_per_weight"] == pytest.approx(8 + 32 / 16384, abs=1e-4)
    assert info["bits"] == 8 and info["packed_dtype"] is None and info["not_converted"] == []
    assert "every linear layer" in info["assumes"]


MODELOPT_NVFP4 = {"quant_method": "modelopt", "quant_algo": "NVFP4", "group_size": 16, "exclude_modules": ["lm_head"]}
CT_NVFP4 = {
    "quant_method": "compressed-tensors", "format": "nvfp4-pack-quantized", "ignore": ["lm_head"],
    "config_groups": {"group_0": {"targets": ["Linear"], "weights": {
        "num_bits": 4, "type": "float", "strategy": "tensor_group", "group_size": 16, "symmetric": True}}},
}


@pytest.mark.parametrize("qc", [
    MODELOPT_NVFP4,
    {"quant_method": "modelopt", "producer": {"name": "modelopt"},
     "quantization": {"quant_algo": "NVFP4", "group_size": 16, "exclude_modules": ["lm_head"]}},
    {**MODELOPT_NVFP4, "quant_algo": "W4A16_NVFP4"},
    CT_NVFP4,
    {**CT_NVFP4, "format": "mixed-precision"},  # the group's own weights say NVFP4
])
def test_nvfp4_configs(qc) -> None:
    info = quantization_from_config({"model_type": "llama", "quantization_config": qc})
    assert (info["precision"], info["bits"], info["group_size"], info["packed_dtype"]) == ("nvfp4", 4, 16, "U8")
    assert info["bits_per_weight"] == 4.5  # + 8/16 for the e4m3 scale; the per-tensor fp32 scale is negligible
    assert info["not_converted"] == ["lm_head"] and "every linear layer" in info["assumes"]


def test_nvfp4_on_experts_only_is_a_mix_counted_from_the_architecture() -> None:
    qc = {**CT_NVFP4, "ignore": ["lm_head", "re:.*self_attn.*", "re:.*mlp.gate$"]}
    info = quantization_from_config({**QWEN3_30B_A3B, "quantization_config": qc})
    from model_scorecard.calc.architecture import architecture_from_config

    parts = architecture_from_config(QWEN3_30B_A3B).param_breakdown
    counted = sum(parts.values()) - parts["embeddings"] - parts["lm_head"]
    assert info["quantized_params"] == parts["experts"]
    expected = (parts["experts"] * 4.5 + (counted - parts["experts"]) * 16) / counted
    assert info["bits_per_weight"] == pytest.approx(expected, abs=1e-6)
    assert info["scheme_bits_per_weight"] == 4.5 and "attention, router" in info["assumes"]


def test_exclusions_of_single_layers_are_reported_not_counted() -> None:
    qc = {**CT_NVFP4, "ignore": ["lm_head", "re:model\\.layers\\.(0|1)\\.mlp.*"]}
    info = quantization_from_config({**QWEN3_30B_A3B, "quantization_config": qc})
    assert info["bits_per_weight"] == 4.5
    assert "re:model\\.layers\\.(0|1)\\.mlp.*" in info["assumes"] and "not counted" in info["assumes"]


def test_a_partial_scheme_on_an_architecture_we_cannot_count_says_so() -> None:
    config = {"model_type": "some_new_moe", "quantization_config": GPT_OSS_20B["quantization_config"]}
    info = quantization_from_config(config)
    assert info["bits_per_weight"] == 4.25 and "underestimate" in info["assumes"]


@pytest.mark.parametrize(("qc", "precision", "bpw"), [
    ({"quant_method": "modelopt", "quant_algo": "FP8"}, "fp8", 8.0),
    ({"quant_method": "modelopt", "quant_algo": "FP8_PB_WO"}, "fp8", 8 + 32 / 16384),
    ({"quant_method": "modelopt", "quant_algo": "MXFP8"}, "mxfp8", 8.25),
    ({"quant_method": "compressed-tensors", "format": "float-quantized", "config_groups": {"g": {"weights": {
        "num_bits": 8, "type": "float", "strategy": "block", "block_structure": [128, 128]}}}}, "fp8", 8 + 16 / 16384),
    ({"quant_method": "compressed-tensors", "format": "mxfp4-pack-quantized", "config_groups": {"g": {"weights": {
        "num_bits": 4, "type": "float", "group_size": 32}}}}, "mxfp4", 4.25),
])
def test_other_schemes(qc, precision, bpw) -> None:
    info = quantization_from_config({"model_type": "llama", "quantization_config": qc})
    assert info["precision"] == precision and info["bits_per_weight"] == pytest.approx(bpw, abs=1e-4)


def test_an_unknown_modelopt_algorithm_is_not_sized() -> None:
    info = quantization_from_config({"quantization_config": {"quant_method": "modelopt", "quant_algo": "W9A9_NEW"}})
    assert info["bits_per_weight"] is None and info["precision"] == "w9a9_new" and "not sized" in info["assumes"]
    assert precision_from_config({"quantization_config": {"quant_method": "modelopt", "quant_algo": "X"}}) == (None, None)


def test_converted_parts_are_breakdown_keys() -> None:
    from model_scorecard.calc.architecture import BREAKDOWN_KEYS

    assert set(CONVERTED_PARTS) <= set(BREAKDOWN_KEYS)
