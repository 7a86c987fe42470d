"""The 2025–2026 families: gpt-oss, Qwen3.5 (Gated DeltaNet hybrid), gemma-3 as a whole
multimodal checkpoint, configs routed by ``architectures``, and unknown decoders read as a
generic Llama-like decoder (an approximation).

Every total below was measured with ``benchmarks/verify_param_counts.py`` (torch 2.14.1,
transformers 5.25.0, meta device; per-category breakdowns agree too) and is pinned in
``test_architecture.TRANSFORMERS_TOTALS``; the text-model counts here are the parameters
outside the vision tower and projector of the same measured model.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from model_scorecard.calc.architecture import (
    CHUNKED_ATTENTION,
    CONV,
    FULL_ATTENTION,
    LINEAR_ATTENTION,
    MAMBA,
    SLIDING_ATTENTION,
    SUPPORTED_MODEL_TYPES,
    Architecture,
    InvalidArchitectureConfig,
    UnsupportedArchitecture,
    architecture_from_config,
)
from model_scorecard.calc.capacity import kv_capacity
from model_scorecard.calc.memory import (
    ENGINES,
    PRECISIONS,
    as_dict,
    estimate_memory,
    kv_cache_bytes,
    state_bytes_per_sequence,
)
from model_scorecard.report.vram import summary_rows

CONFIGS = Path(__file__).parent / "configs"
H100 = 81_559 * 2**20


def load(name: str) -> dict:
    return json.loads((CONFIGS / f"{name}.json").read_text(encoding="utf-8"))


def arch(name: str) -> Architecture:
    return architecture_from_config(load(name))


# fixture -> (total, active, text (None: text only), KV elements per token at full context,
#             state elements per sequence); totals and text counts measured (transformers 5.25.0)
FAMILIES = {
    "openai--gpt-oss-120b": (116_829_156_672, 5_711_982_912, None, 36 * 2 * 8 * 64, 0),
    "Qwen--Qwen3.5-9B": (9_409_813_744, 8_953_803_264, 8_953_803_264, 8 * 2 * 4 * 256, 13_172_736),
    "Qwen--Qwen3.6-35B-A3B": (35_107_181_936, 3_901_560_176 - 446_571_248, 34_660_610_688, 10 * 2 * 2 * 256, 16_465_920),
    "google--gemma-3-4b-it": (4_300_079_472, 3_880_263_168, 3_880_263_168, 34 * 2 * 4 * 256, 0),
    "meta-llama--Llama-4-Scout-17B-16E": (108_641_793_536, 17_172_894_720, 107_769_861_120, 48 * 2 * 8 * 128, 0),
    "ai21labs--AI21-Jamba-1.5-Mini": (51_570_323_328, 12_110_311_296, None, 4 * 2 * 8 * 128, 688_128 + 3_670_016),
    "zai-org--GLM-4.5-Air": (106_852_245_504, 13_424_123_904, None, 46 * 2 * 8 * 128, 0),
    "HuggingFaceTB--SmolLM3-3B-Base": (3_075_098_624, 3_075_098_624, None, 36 * 2 * 4 * 128, 0),
    "ibm-granite--granite-3.3-8b-instruct": (8_170_864_640, 8_170_864_640, None, 40 * 2 * 8 * 128, 0),
    "nvidia--Nemotron-H-8B-Base-8K": (8_100_852_736, 8_100_852_736, None, 4 * 2 * 8 * 128, 737_280 + 25_165_824),
    "LiquidAI--LFM2.5-VL-1.6B": (1_596_625_904, 1_170_340_608, 1_170_340_608, 6 * 2 * 8 * 64, 10 * 2048 * 2),
    "allenai--OLMo-2-1124-7B": (7_298_617_344, 7_298_617_344, None, 32 * 2 * 32 * 128, 0),
    "allenai--Olmo-3.1-32B-Instruct": (32_233_522_176, 32_233_522_176, None, 64 * 2 * 8 * 128, 0),
    "LGAI-EXAONE--EXAONE-4.0-32B": (32_003_216_384, 32_003_216_384, None, 64 * 2 * 8 * 128, 0),
    "mistralai--Devstral-Small-2-24B-Instruct-2512": (24_011_361_280, 23_572_403_200, 23_572_403_200,
                                                      40 * 2 * 8 * 128, 0),
}


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_counts_kv_and_state(name: str) -> None:
    total, active, text, kv_per_token, state = FAMILIES[name]
    a = arch(name)
    assert (a.total_params, a.active_params, a.text_params) == (total, active, text)
    assert sum(a.kv_elements_per_token_by_layer) == kv_per_token
    assert a.state_elements_per_sequence == state
    assert sum(a.param_breakdown.values()) == total
    if text is not None:
        assert a.param_breakdown["vision"] == total - text


def test_published_figures() -> None:
    # OpenAI's gpt-oss model card: 116.83B total, 5.13B active -- its active figure leaves the
    # input embedding table (201,088 x 2,880) out; ours counts everything a token touches.
    oss = arch("openai--gpt-oss-120b")
    assert round(oss.total_params / 1e9, 2) == 116.83
    assert round((oss.active_params - oss.param_breakdown["embeddings"]) / 1e9, 2) == 5.13
    # Qwen: "Qwen3.5-9B", "Qwen3.6-35B-A3B" (35B total, 3B active); the Hub shows gemma-3-4b as 4.3B.
    assert round(arch("Qwen--Qwen3.5-9B").total_params / 1e9) == 9
    q36 = arch("Qwen--Qwen3.6-35B-A3B")
    assert round(q36.total_params / 1e9) == 35 and 3e9 < q36.active_params < 4e9
    assert round(arch("google--gemma-3-4b-it").total_params / 1e9, 1) == 4.3


# --- gpt-oss -----------------------------------------------------------------------------


def test_gpt_oss_sinks_biases_and_alternating_windows() -> None:
    a = arch("openai--gpt-oss-120b")
    assert a.layer_types == (SLIDING_ATTENTION, FULL_ATTENTION) * 18 and a.sliding_window == 128
    per_layer = (2880 * 4096 + 4096) + 2 * (2880 * 512 + 512) + (4096 * 2880 + 2880) + 64  # + 64 sinks
    assert a.param_breakdown["attention"] == 36 * per_layer
    assert a.param_breakdown["router"] == 36 * (2880 * 128 + 128)  # the router has a bias
    assert (a.num_experts, a.experts_per_token, a.moe_layer_indices) == (128, 4, tuple(range(36)))
    # a sliding layer holds 128 tokens at most; the full layers the whole context
    assert a.kv_cache_elements(131_072) == 18 * 1024 * 131_072 + 18 * 1024 * 128
    no_window = architecture_from_config({**load("openai--gpt-oss-120b"), "sliding_window": None})
    assert set(no_window.layer_types) == {FULL_ATTENTION} and no_window.total_params == a.total_params


def test_gpt_oss_refuses_more_experts_per_token_than_experts() -> None:
    with pytest.raises(InvalidArchitectureConfig, match="num_experts_per_tok") as info:
        architecture_from_config({**load("openai--gpt-oss-120b"), "num_experts_per_tok": 129})
    assert info.value.field == "num_experts_per_tok"


# --- Qwen3.5: Gated DeltaNet state -----------------------------------------------------


def test_qwen3_5_state_is_conv_plus_recurrent_of_the_linear_layers() -> None:
    a = arch("Qwen--Qwen3.6-35B-A3B")
    assert a.layer_types == ((LINEAR_ATTENTION,) * 3 + (FULL_ATTENTION,)) * 10
    conv_width = 2 * 16 * 128 + 32 * 128
    assert a.conv_state_elements == 30 * conv_width * (4 - 1)
    assert a.recurrent_state_elements == 30 * 32 * 128 * 128
    assert a.recurrent_state_dtype == "float32"  # mamba_ssm_dtype in the config
    # the KV cache counts only the ten attention layers, and does not include the state
    assert a.kv_cache_elements(1000) == 10 * 2 * 2 * 256 * 1000
    assert [n for n, kind in zip(a.kv_elements_per_token_by_layer, a.layer_types) if kind == LINEAR_ATTENTION] \
        == [0] * 30


def test_qwen3_5_reads_the_interval_without_layer_types() -> None:
    cfg = load("Qwen--Qwen3.5-9B")
    text = {k: v for k, v in cfg["text_config"].items() if k != "layer_types"}
    a = architecture_from_config({**cfg, "text_config": {**text, "full_attention_interval": 2}})
    assert a.layer_types == (LINEAR_ATTENTION, FULL_ATTENTION) * 16


@pytest.mark.parametrize(("change", "field"), [
    ({"layer_types": ["linear_attention"] * 3}, "text_config.layer_types"),
    ({"linear_num_value_heads": 2**14 + 1}, "text_config.linear_num_value_heads"),
    ({"linear_conv_kernel_dim": "4"}, "text_config.linear_conv_kernel_dim"),
    ({"num_experts_per_tok": 300}, "text_config.num_experts_per_tok"),
])
def test_qwen3_5_bad_values_are_named(change: dict, field: str) -> None:
    cfg = load("Qwen--Qwen3.6-35B-A3B")
    with pytest.raises(InvalidArchitectureConfig) as info:
        architecture_from_config({**cfg, "text_config": {**cfg["text_config"], **change}})
    assert info.value.field == field


def test_a_nested_config_that_is_not_an_object_is_refused_by_name() -> None:
    with pytest.raises(InvalidArchitectureConfig) as info:
        architecture_from_config({**load("Qwen--Qwen3.5-9B"), "vision_config": [1, 2]})
    assert info.value.field == "vision_config"


# --- routing by architectures, and the generic approximation ----------------------------


def test_a_renamed_model_type_is_routed_by_its_architectures_class() -> None:
    # Kimi K2 ships model_type "kimi_k2" with architectures ["DeepseekV3ForCausalLM"]
    v3 = load("deepseek-ai--DeepSeek-V3")
    renamed = architecture_from_config({**v3, "model_type": "kimi_k2"})
    assert renamed.model_type == "kimi_k2" and renamed.counted_class == "DeepseekV3ForCausalLM"
    assert renamed.total_params == architecture_from_config(v3).total_params
    assert not renamed.approximate


def _unknown() -> dict:
    cfg = load("meta-llama--Meta-Llama-3-8B")
    return {**cfg, "model_type": "some_new_decoder", "architectures": ["SomeNewDecoderForCausalLM"]}


def test_an_unknown_decoder_with_the_standard_keys_is_an_approximation() -> None:
    a = architecture_from_config(_unknown())
    assert a.approximate and a.family == "generic" and "approximation" in a.counted_class
    # the generic decoder is Llama's layout: on Llama's own config it gives Llama's count
    assert a.total_params == 8_030_261_248
    assert {"hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "vocab_size",
            "num_key_value_heads"} <= set(a.keys_read)
    assert "some_new_decoder" not in SUPPORTED_MODEL_TYPES
    assert not arch("meta-llama--Meta-Llama-3-8B").approximate


def test_an_unknown_config_without_the_standard_keys_is_still_unsupported() -> None:
    cfg = _unknown()
    del cfg["intermediate_size"]
    with pytest.raises(UnsupportedArchitecture):
        architecture_from_config(cfg)


def test_the_generic_reading_still_names_bad_values() -> None:
    with pytest.raises(InvalidArchitectureConfig) as info:
        architecture_from_config({**_unknown(), "num_key_value_heads": 5})
    assert "num_key_value_heads" in str(info.value)


# --- memory, capacity, JSON and the vram summary ---------------------------------------


def test_memory_counts_the_state_per_sequence_apart_from_the_kv_cache() -> None:
    a = arch("Qwen--Qwen3.6-35B-A3B")
    per_sequence = a.conv_state_elements * 2 + a.recurrent_state_elements * 4  # bf16 conv, fp32 recurrent
    assert state_bytes_per_sequence(a) == per_sequence
    assert state_bytes_per_sequence(a, 2) == per_sequence / 2  # heads split over tensor parallelism
    est = estimate_memory(a, precision=PRECISIONS["bf16"], context=32_768, batch=4)
    assert est.kv_state_bytes == 4 * per_sequence
    assert est.kv_cache_bytes == kv_cache_bytes(a, 32_768, 4, 2)
    assert est.total_bytes == est.weights_bytes + est.kv_cache_bytes + est.kv_state_bytes + est.overhead_bytes
    doc = as_dict(est)
    assert doc["kv_state_bytes"] == 4 * per_sequence
    assert list(doc).index("kv_state_bytes") == list(doc).index("kv_bytes_per_token") + 1
    assert any("constant state" in note for note in est.assumptions)
    rows = {row[0]: row for row in summary_rows(est, gib=False)}
    assert "Recurrent state" in rows and "recurrent state" in rows["Total (one GPU's worth)"][2]


def test_a_model_without_state_shows_nothing_new() -> None:
    est = estimate_memory(arch("meta-llama--Meta-Llama-3-8B"), precision=PRECISIONS["bf16"], context=8192)
    assert est.kv_state_bytes == 0 and not est.approximate
    doc = as_dict(est)
    assert "kv_state_bytes" not in doc and "approximate" not in doc
    assert [r[0] for r in summary_rows(est, gib=False)] == ["Weights", "KV cache", "Engine overhead",
                                                           "Total (one GPU's worth)"]


def test_capacity_subtracts_the_state_of_each_sequence() -> None:
    a = arch("Qwen--Qwen3.6-35B-A3B")
    engine = ENGINES["vllm"]
    cap = kv_capacity(a, weights_total_bytes=a.total_params * 2, gpu_memory_bytes=H100, tensor_parallel=1,
                      context_tokens=65_536, kv_bytes_per_element=2, engine=engine)
    one = engine.kv_cache_bytes(a, 65_536, 1, 2) + state_bytes_per_sequence(a)
    assert cap.sequence_kv_bytes_per_gpu == one
    assert cap.max_sequences == int(cap.kv_budget_bytes_per_gpu // one)


def test_the_approximation_is_said_in_json_and_summary() -> None:
    est = estimate_memory(architecture_from_config(_unknown()), precision=PRECISIONS["bf16"], context=8192)
    assert as_dict(est)["approximate"] is True
    assert any(row[0] == "Approximation" for row in summary_rows(est, gib=False))
    assert any("approximation" in note for note in est.assumptions)


def test_chunked_layers_hold_at_most_one_chunk() -> None:
    base = arch("meta-llama--Meta-Llama-3-8B")
    chunked = replace(base, layer_types=(CHUNKED_ATTENTION, CHUNKED_ATTENTION, CHUNKED_ATTENTION, FULL_ATTENTION) * 8,
                      attention_chunk_size=8192)
    per_layer = 2 * 8 * 128
    assert chunked.kv_cache_elements(100_000) == 24 * per_layer * 8192 + 8 * per_layer * 100_000
    assert kv_cache_bytes(chunked, 100_000, 1, 2) == (24 * per_layer * (8192 + 16) + 8 * per_layer * 100_000) * 2


# --- Llama 4 -----------------------------------------------------------------------------


def test_llama4_scout_chunks_three_layers_in_four_and_counts_the_vision_tower() -> None:
    a = arch("meta-llama--Llama-4-Scout-17B-16E")
    assert a.layer_types == ((CHUNKED_ATTENTION,) * 3 + (FULL_ATTENTION,)) * 12
    assert a.attention_chunk_size == 8192
    per_layer = 2 * 8 * 128
    assert a.kv_cache_elements(1_000_000) == 36 * per_layer * 8192 + 12 * per_layer * 1_000_000
    assert a.kv_cache_elements(4096) == 48 * per_layer * 4096  # below one chunk every layer holds all
    # Meta: 109B total, 17B active (one routed expert + the shared one per layer)
    assert round(a.total_params / 1e9) == 109 and round(a.active_params / 1e9) == 17
    assert (a.num_experts, a.experts_per_token, a.num_shared_experts) == (16, 1, 1)
    assert a.param_breakdown["vision"] == a.total_params - a.text_params == 871_932_416
    assert a.param_breakdown["mlp"] == 0  # every Scout layer is a MoE layer


def test_llama4_interleaved_moe_layers_use_the_wide_dense_mlp() -> None:
    cfg = load("meta-llama--Llama-4-Scout-17B-16E")
    text = {k: v for k, v in cfg["text_config"].items() if k != "moe_layers"}
    a = architecture_from_config({**cfg, "text_config": {**text, "interleave_moe_layer_step": 2}})
    assert a.moe_layer_indices == tuple(range(1, 48, 2))
    assert a.param_breakdown["mlp"] == 24 * 3 * 5120 * 16384


def test_llama4_bad_per_layer_list_is_named() -> None:
    cfg = load("meta-llama--Llama-4-Scout-17B-16E")
    with pytest.raises(InvalidArchitectureConfig) as info:
        architecture_from_config({**cfg, "text_config": {**cfg["text_config"], "no_rope_layers": [1, 0]}})
    assert info.value.field == "text_config.no_rope_layers"


# --- OLMo 2/3, EXAONE 4, Mistral 3 ----------------------------------------------------------


def test_post_norm_families_window_three_layers_in_four() -> None:
    for name in ("allenai--Olmo-3.1-32B-Instruct", "LGAI-EXAONE--EXAONE-4.0-32B"):
        a = arch(name)
        assert a.layer_types == ((SLIDING_ATTENTION,) * 3 + (FULL_ATTENTION,)) * 16 and a.sliding_window == 4096
        assert a.kv_cache_elements(131_072) == 2 * 8 * 128 * (48 * 4096 + 16 * 131_072)
    olmo2 = arch("allenai--OLMo-2-1124-7B")
    assert set(olmo2.layer_types) == {FULL_ATTENTION} and olmo2.sliding_window is None
    # OLMo normalises q and k across all heads, EXAONE per head
    assert arch("allenai--Olmo-3.1-32B-Instruct").param_breakdown["norms"] == 64 * (2 * 5120 + 5120 + 1024) + 5120
    assert arch("LGAI-EXAONE--EXAONE-4.0-32B").param_breakdown["norms"] == 64 * (2 * 5120 + 2 * 128) + 5120


def test_published_post_norm_and_mistral3_figures() -> None:
    # EXAONE 4.0 32B model card: 30.95B parameters without embeddings (input table and head)
    ex = arch("LGAI-EXAONE--EXAONE-4.0-32B")
    assert round((ex.total_params - ex.param_breakdown["embeddings"] - ex.param_breakdown["lm_head"]) / 1e9, 2) == 30.95
    assert round(arch("allenai--OLMo-2-1124-7B").total_params / 1e9, 1) == 7.3  # "OLMo 2 7B": 7.3B on the Hub
    assert round(arch("allenai--Olmo-3.1-32B-Instruct").total_params / 1e9) == 32
    assert round(arch("mistralai--Devstral-Small-2-24B-Instruct-2512").total_params / 1e9) == 24


def test_exaone4_without_layer_types_reads_its_integer_pattern() -> None:
    cfg = {k: v for k, v in load("LGAI-EXAONE--EXAONE-4.0-32B").items() if k != "layer_types"}
    a = architecture_from_config({**cfg, "sliding_window_pattern": 4})
    assert a.layer_types == ((SLIDING_ATTENTION,) * 3 + (FULL_ATTENTION,)) * 16
    with pytest.raises(InvalidArchitectureConfig) as info:  # "LLLG" alone is no pattern transformers reads
        architecture_from_config(cfg)
    assert info.value.field == "sliding_window_pattern"
    no_window = architecture_from_config({**cfg, "sliding_window": None})
    assert set(no_window.layer_types) == {FULL_ATTENTION}


def test_mistral3_counts_the_pixtral_tower_and_ties_by_the_top_level() -> None:
    a = arch("mistralai--Devstral-Small-2-24B-Instruct-2512")
    assert a.param_breakdown["vision"] == 438_958_080 and a.param_breakdown["lm_head"] == 131_072 * 5120
    tied = architecture_from_config({**load("mistralai--Devstral-Small-2-24B-Instruct-2512"),
                                     "tie_word_embeddings": True})
    assert tied.total_params == a.total_params - 131_072 * 5120


# --- Jamba ---------------------------------------------------------------------------------


def test_jamba_attention_one_layer_in_eight_and_mamba_state() -> None:
    a = arch("ai21labs--AI21-Jamba-1.5-Mini")
    assert [i for i, kind in enumerate(a.layer_types) if kind == FULL_ATTENTION] == [4, 12, 20, 28]
    assert a.layer_types.count(MAMBA) == 28 and a.moe_layer_indices == tuple(range(1, 32, 2))
    d_inner = 2 * 4096
    assert a.conv_state_elements == 28 * d_inner * (4 - 1) and a.recurrent_state_elements == 28 * d_inner * 16
    assert a.recurrent_state_dtype == "model"  # no mamba_ssm_dtype: vLLM keeps the model dtype
    # AI21: Jamba 1.5 Mini has 52B parameters, 12B active
    assert round(a.total_params / 1e9) == 52 and round(a.active_params / 1e9) == 12
    assert a.kv_cache_elements(256_000) == 4 * 2 * 8 * 128 * 256_000


def test_jamba_bad_layout_is_named() -> None:
    with pytest.raises(InvalidArchitectureConfig) as info:
        architecture_from_config({**load("ai21labs--AI21-Jamba-1.5-Mini"), "attn_layer_offset": 8})
    assert info.value.field == "attn_layer_offset"


# --- GLM-4.5 ---------------------------------------------------------------------------------


def test_glm4_moe_air() -> None:
    a = arch("zai-org--GLM-4.5-Air")
    assert a.first_dense_layers == 1 and a.moe_layer_indices == tuple(range(1, 46))
    assert a.head_dim == 128 and a.num_heads * a.head_dim == 12_288  # wider than hidden_size 4,096
    assert a.param_breakdown["router"] == 45 * 128 * 4096  # e_score_correction_bias is a buffer
    # Zhipu: GLM-4.5-Air 106B total, 12B active -- its active figure leaves out the input table and the head
    assert round(a.total_params / 1e9) == 107 or round(a.total_params / 1e9, 1) == 106.9
    embed_and_head = a.param_breakdown["embeddings"] + a.param_breakdown["lm_head"]
    assert round((a.active_params - embed_and_head) / 1e9) == 12
    with_norms = architecture_from_config({**load("zai-org--GLM-4.5-Air"), "use_qk_norm": True})
    assert with_norms.total_params == a.total_params + 46 * 2 * 128


def test_smollm3_windows_only_its_nope_layers_when_asked() -> None:
    a = arch("HuggingFaceTB--SmolLM3-3B-Base")
    assert set(a.layer_types) == {FULL_ATTENTION} and a.tie_word_embeddings
    assert round(a.total_params / 1e9, 2) == 3.08  # the Hub's "3.08B"
    windowed = architecture_from_config({**load("HuggingFaceTB--SmolLM3-3B-Base"), "use_sliding_window": True,
                                         "sliding_window": 4096})
    assert windowed.layer_types == ((FULL_ATTENTION,) * 3 + (SLIDING_ATTENTION,)) * 9
    assert windowed.total_params == a.total_params


# --- Qwen3-Next -------------------------------------------------------------------------------


def test_qwen3_next_layer_formula_on_the_reduced_release() -> None:
    a = arch("Qwen--Qwen3-Next-80B-A3B-Instruct-reduced")
    assert a.total_params == 1_654_755_520  # transformers 5.25.0, and the source note's own torchinfo
    assert a.layer_types == (LINEAR_ATTENTION,) and a.moe_layer_indices == (0,)
    assert a.conv_state_elements == (2 * 16 * 128 + 32 * 128) * 3 and a.recurrent_state_elements == 32 * 128 * 128
    assert sum(a.kv_elements_per_token_by_layer) == 0  # one linear-attention layer: no KV cache at all
    assert (a.num_experts, a.experts_per_token, a.num_shared_experts) == (512, 10, 1)


def test_qwen3_next_dense_layers_and_full_attention_layers() -> None:
    cfg = {**load("Qwen--Qwen3-Next-80B-A3B-Instruct-reduced"), "num_hidden_layers": 8, "mlp_only_layers": [0]}
    a = architecture_from_config(cfg)
    assert a.layer_types == ((LINEAR_ATTENTION,) * 3 + (FULL_ATTENTION,)) * 2
    assert a.moe_layer_indices == tuple(range(1, 8)) and a.param_breakdown["mlp"] == 3 * 2048 * 5120
    assert sum(a.kv_elements_per_token_by_layer) == 2 * 2 * 2 * 256


# --- LFM2 ---------------------------------------------------------------------------------------


def test_lfm2_conv_layers_keep_a_short_conv_state() -> None:
    a = arch("LiquidAI--LFM2.5-VL-1.6B")
    assert a.layer_types.count(CONV) == 10 and a.layer_types.count(FULL_ATTENTION) == 6
    assert a.conv_state_elements == 10 * 2048 * (3 - 1) and a.recurrent_state_elements == 0
    assert a.intermediate_size == 8192  # block_ff_dim 12,288 auto-adjusted: two thirds, rounded to 256
    # Liquid AI: LFM2.5-VL-1.6B, its text model LFM2-1.2B (1.17B)
    assert round(a.total_params / 1e9, 1) == 1.6 and round(a.text_params / 1e9, 2) == 1.17
    text = architecture_from_config({**load("LiquidAI--LFM2.5-VL-1.6B")["text_config"], "tie_word_embeddings": True})
    assert text.model_type == "lfm2" and text.total_params == a.text_params


# --- Nemotron-H -----------------------------------------------------------------------------------


def test_nemotron_h_pattern_mamba2_state_and_fp32_ssm_cache() -> None:
    a = arch("nvidia--Nemotron-H-8B-Base-8K")
    assert a.num_layers == 52 and a.layer_types.count(MAMBA) == 24 and a.layer_types.count(FULL_ATTENTION) == 4
    conv_dim = 128 * 64 + 2 * 8 * 128
    assert a.conv_state_elements == 24 * conv_dim * 3 and a.recurrent_state_elements == 24 * 128 * 64 * 128
    assert a.recurrent_state_dtype == "float32"  # NemotronHConfig's mamba_ssm_cache_dtype, which vLLM follows
    assert round(a.total_params / 1e9, 1) == 8.1  # NVIDIA: Nemotron-H-8B
    assert a.kv_cache_elements(8192) == 4 * 2 * 8 * 128 * 8192  # four attention layers hold the context
    # transformers never ties Nemotron-H's head (measured: a tied flag changes nothing)
    assert architecture_from_config({**load("nvidia--Nemotron-H-8B-Base-8K"), "tie_word_embeddings": True}) == a


def test_nemotron_h_refuses_moe_layers_and_bad_patterns() -> None:
    cfg = load("nvidia--Nemotron-H-8B-Base-8K")
    for pattern in ("M-E*", "M-X", ""):
        with pytest.raises(InvalidArchitectureConfig) as info:
            architecture_from_config({**cfg, "hybrid_override_pattern": pattern})
        assert info.value.field == "hybrid_override_pattern"


def test_granite_is_llama_shaped_and_its_multipliers_hold_no_weights() -> None:
    a = arch("ibm-granite--granite-3.3-8b-instruct")
    assert a.tie_word_embeddings and a.param_breakdown["lm_head"] == 0
    assert round(a.total_params / 1e9, 2) == 8.17  # the Hub: 8.17B
    plain = {k: v for k, v in load("ibm-granite--granite-3.3-8b-instruct").items()
             if not k.endswith(("_multiplier", "logits_scaling"))}
    assert architecture_from_config(plain).total_params == a.total_params
