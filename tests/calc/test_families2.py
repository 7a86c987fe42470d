"""More 2025-2026 families: DeepSeek-V3.2 (MLA plus a lightning indexer), Kimi K2 (a DeepSeek-V3
class under its own ``model_type``), Qwen3-Next at full size, and the families added beside them.

Every total and text count below was measured with ``benchmarks/verify_param_counts.py``
(torch CPU, transformers 5.25.0, meta device; the per-category breakdowns agree too) on the
fixture named, and is pinned in ``test_architecture.TRANSFORMERS_TOTALS`` as well. No test here
needs torch or transformers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from model_scorecard.calc.architecture import (
    MLA,
    Architecture,
    InvalidArchitectureConfig,
    architecture_from_config,
)

CONFIGS = Path(__file__).parent / "configs"


def load(name: str) -> dict:
    return json.loads((CONFIGS / f"{name}.json").read_text(encoding="utf-8"))


def arch(name: str) -> Architecture:
    return architecture_from_config(load(name))


# fixture -> (counted class, total, active, text (None: text only), KV elements per token at full
#             context summed over layers, state elements per sequence)
FAMILIES = {
    "deepseek-ai--DeepSeek-V3.2": ("DeepseekV32ForCausalLM", 671_877_929_216, 38_403_807_488, None,
                                   61 * (512 + 64 + 128), 0),
    "moonshotai--Kimi-K2-Instruct": ("DeepseekV3ForCausalLM", 1_026_408_209_408, 32_861_477_888, None,
                                     61 * (512 + 64), 0),
    "Qwen--Qwen3-Next-80B-A3B-Instruct": ("Qwen3NextForCausalLM", 79_674_391_296, 3_874_929_408, None,
                                          12 * 2 * 2 * 256, 19_759_104),
    "MiniMaxAI--MiniMax-M2.7": ("MiniMaxM2ForCausalLM", 228_689_748_992, 11_030_537_216, None, 62 * 2 * 8 * 128, 0),
    "google--gemma-4-31B-it": ("Gemma4ForConditionalGeneration", 31_273_086_512, 30_697_345_280, 30_697_345_280,
                               50 * 2 * 16 * 256 + 10 * 2 * 4 * 512, 0),
    "mistralai--Mamba-Codestral-7B-v0.1": ("Mamba2ForCausalLM", 7_285_403_648, 7_285_403_648, None, 0,
                                           64 * (8192 + 2 * 8 * 128) * 3 + 64 * 128 * 64 * 128),
    "baidu--ERNIE-4.5-0.3B-PT": ("Ernie4_5ForCausalLM", 360_748_032, 360_748_032, None, 18 * 2 * 2 * 128, 0),
    "state-spaces--mamba-2.8b-hf": ("MambaForCausalLM", 2_768_345_600, 2_768_345_600, None, 0,
                                    64 * 5120 * 3 + 64 * 5120 * 16),
}


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_counts_kv_and_state(name: str) -> None:
    counted, total, active, text, kv_per_token, state = FAMILIES[name]
    a = arch(name)
    assert a.counted_class.startswith(counted)
    assert (a.total_params, a.active_params, a.text_params) == (total, active, text)
    assert sum(a.kv_elements_per_token_by_layer) == kv_per_token
    assert a.state_elements_per_sequence == state
    assert sum(a.param_breakdown.values()) == total
    assert not a.approximate


# --- DeepSeek-V3.2 ---------------------------------------------------------------------------


def test_deepseek_v32_is_v3_plus_the_indexer() -> None:
    v32 = arch("deepseek-ai--DeepSeek-V3.2")
    v3 = arch("deepseek-ai--DeepSeek-V3")
    # same trunk as V3 (the same config but for the index_* keys); the indexer per layer:
    # wq_b 1536 x (64 x 128), wk 7168 x 128, its key LayerNorm (weight and bias), weights_proj 7168 x 64
    per_layer = 1536 * 64 * 128 + 7168 * 128 + 2 * 128 + 7168 * 64
    assert v32.total_params - v3.total_params == 61 * per_layer
    assert v32.layer_types == (MLA,) * 61 and v32.index_head_dim == 128
    # each layer caches the latent (512 + 64) and the indexer's 128-wide key
    assert v32.kv_elements_per_token_by_layer == (704,) * 61
    assert v32.kv_cache_elements(1000) == 61 * 704 * 1000
    # DeepSeek: "685B" on the Hub counts the MTP layer (not in DeepseekV32ForCausalLM); 671.9B here
    assert round(v32.total_params / 1e9, 1) == 671.9


def test_deepseek_v32_needs_a_query_latent_and_bounds_the_indexer() -> None:
    cfg = load("deepseek-ai--DeepSeek-V3.2")
    with pytest.raises(InvalidArchitectureConfig, match="q_lora_rank") as err:
        architecture_from_config({**cfg, "q_lora_rank": None})
    assert err.value.field == "q_lora_rank"
    with pytest.raises(InvalidArchitectureConfig, match="index_head_dim") as err:
        architecture_from_config({**cfg, "index_head_dim": 0})
    assert err.value.field == "index_head_dim"
    with pytest.raises(InvalidArchitectureConfig, match="index_n_heads"):
        architecture_from_config({**cfg, "index_n_heads": 10**9})


def test_deepseek_v32_without_index_keys_takes_the_class_defaults_and_says_so() -> None:
    cfg = {k: v for k, v in load("deepseek-ai--DeepSeek-V3.2").items() if not k.startswith("index_")}
    a = architecture_from_config(cfg)
    assert a.total_params == FAMILIES["deepseek-ai--DeepSeek-V3.2"][1]
    assert {"index_n_heads", "index_head_dim"} <= set(a.defaults_used)


# --- Kimi K2 -----------------------------------------------------------------------------------


def test_kimi_k2_is_routed_to_deepseek_v3_by_its_architectures() -> None:
    k2 = arch("moonshotai--Kimi-K2-Instruct")
    assert k2.model_type == "kimi_k2" and k2.counted_class == "DeepseekV3ForCausalLM"
    # Moonshot: "1 trillion total parameters, 32 billion activated" -- DeepSeek's convention,
    # without the input embedding table (163,840 x 7,168)
    assert round(k2.total_params / 1e12, 2) == 1.03
    assert round((k2.active_params - k2.param_breakdown["embeddings"]) / 1e9) == 32
    assert k2.num_experts == 384 and k2.experts_per_token == 8 and k2.first_dense_layers == 1
    assert k2.kv_elements_per_token_by_layer == (576,) * 61


# --- Qwen3-Next at full size -------------------------------------------------------------------


def test_qwen3_next_full_release() -> None:
    q = arch("Qwen--Qwen3-Next-80B-A3B-Instruct")
    # Qwen: "80B total, 3B activated" (80B-A3B)
    assert round(q.total_params / 1e9) == 80 and 3e9 < q.active_params < 4e9
    assert q.layer_types.count("full_attention") == 12 and q.layer_types.count("linear_attention") == 36
    # 36 Gated DeltaNet layers: conv state (2 x 16 x 128 + 32 x 128) x 3, recurrent 32 x 128 x 128
    assert q.conv_state_elements == 36 * (2 * 16 * 128 + 32 * 128) * 3
    assert q.recurrent_state_elements == 36 * 32 * 128 * 128


# --- MiniMax-M2 ---------------------------------------------------------------------------------


def test_minimax_m2_whole_width_qk_norms_and_experts() -> None:
    m = arch("MiniMaxAI--MiniMax-M2.7")
    # MiniMax: "230 billion total parameters with 10 billion active"
    assert round(m.total_params / 1e9) == 229 and round(m.total_params / 1e10) == 23
    assert round((m.active_params - m.param_breakdown["embeddings"] - m.param_breakdown["lm_head"]) / 1e9) == 10
    assert m.param_breakdown["norms"] == 62 * (2 * 3072 + 48 * 128 + 8 * 128) + 3072
    assert m.param_breakdown["router"] == 62 * 256 * 3072
    assert m.layer_types == ("full_attention",) * 62 and m.sliding_window is None
    assert m.kv_cache_elements(10_000) == 62 * 2 * 8 * 128 * 10_000


def test_minimax_m2_refuses_more_experts_per_token_than_experts() -> None:
    cfg = load("MiniMaxAI--MiniMax-M2.7")
    with pytest.raises(InvalidArchitectureConfig, match="num_experts_per_tok") as err:
        architecture_from_config({**cfg, "num_experts_per_tok": 300})
    assert err.value.field == "num_experts_per_tok"


# --- Gemma 4 ------------------------------------------------------------------------------------


def test_gemma4_31b_global_layers_are_wider_and_share_keys_as_values() -> None:
    g = arch("google--gemma-4-31B-it")
    # Google: "31B"; the Hub's safetensors hold 31.27B (the vision tower's std_bias/std_scale are buffers)
    assert round(g.total_params / 1e9, 2) == 31.27
    assert g.layer_types == (("sliding_attention",) * 5 + ("full_attention",)) * 10 and g.sliding_window == 1024
    per_layer = g.kv_elements_per_token_by_layer
    assert per_layer[0] == 2 * 16 * 256 and per_layer[5] == 2 * 4 * 512  # global: 4 KV heads of 512
    # sliding layers hold at most the window; global layers the whole context
    assert g.kv_cache_elements(100_000) == 50 * 2 * 16 * 256 * 1024 + 10 * 2 * 4 * 512 * 100_000
    # global layers have no v_proj (attention_k_eq_v): 10 x 5376 x 2048 fewer than with one
    vision = 3 * 16 * 16 * 1152 + 2 * 10240 * 1152 + 27 * (4 * 1152 * 1152 + 2 * 72 + 3 * 1152 * 4304 + 4 * 1152)
    assert g.param_breakdown["vision"] == vision + 1152 * 5376


def _g4() -> dict:
    return load("google--gemma-4-31B-it")


def test_gemma4_moe_block_sits_beside_the_dense_mlp() -> None:
    # The layout of Gemma 4 26B-A4B (no verbatim config of it was found; this path was checked
    # against transformers 5.25.0 on a small switch config in benchmarks/verify_param_counts.py)
    cfg = _g4()
    text = {**cfg["text_config"], "enable_moe_block": True, "num_experts": 128, "top_k_experts": 8,
            "moe_intermediate_size": 704}
    dense = arch("google--gemma-4-31B-it")
    moe = architecture_from_config({**cfg, "text_config": text})
    h = 5376
    assert moe.total_params - dense.total_params == 60 * (h * 128 + h + 128 + 128 * 3 * h * 704 + 3 * h)
    assert moe.active_params - dense.active_params == 60 * (h * 128 + h + 128 + 8 * 3 * h * 704 + 3 * h)
    assert moe.is_moe and moe.experts_per_token == 8


def test_gemma4_refuses_what_it_does_not_count_by_name() -> None:
    cfg = _g4()
    with pytest.raises(InvalidArchitectureConfig, match="audio") as err:
        architecture_from_config({**cfg, "audio_config": {"hidden_size": 8}})
    assert err.value.field == "audio_config"
    # per-layer inputs and shared-KV layers are counted (test_families3.py); more shared layers than
    # layers, or a shared type with no earlier layer of that type, is a config transformers refuses
    with pytest.raises(InvalidArchitectureConfig, match="num_kv_shared_layers") as err:
        architecture_from_config({**cfg, "text_config": {**cfg["text_config"], "num_kv_shared_layers": 256}})
    assert err.value.field == "text_config.num_kv_shared_layers"
    with pytest.raises(InvalidArchitectureConfig, match="earlier layer") as err:
        architecture_from_config({**cfg, "text_config": {**cfg["text_config"], "num_kv_shared_layers": 55}})
    assert err.value.field == "text_config.num_kv_shared_layers"
    with pytest.raises(InvalidArchitectureConfig, match="top_k_experts"):
        text = {**cfg["text_config"], "enable_moe_block": True, "num_experts": 4, "top_k_experts": 8,
                "moe_intermediate_size": 8}
        architecture_from_config({**cfg, "text_config": text})
    with pytest.raises(InvalidArchitectureConfig, match="layer_types"):
        architecture_from_config({**cfg, "text_config": {**cfg["text_config"], "layer_types": ["chunked"] * 60}})


def test_gemma4_text_only_and_the_forced_global_last_layer() -> None:
    cfg = _g4()
    text = {**cfg["text_config"], "model_type": "gemma4_text", "layer_types": ["sliding_attention"] * 60}
    t = architecture_from_config(text)
    assert t.counted_class == "Gemma4ForCausalLM" and t.text_params is None
    assert t.layer_types[-1] == "full_attention" and t.layer_types.count("full_attention") == 1


def test_gemma4_memory_uses_the_global_layers_own_heads() -> None:
    from model_scorecard.calc.memory import kv_bytes_per_token_by_layer

    g = arch("google--gemma-4-31B-it")
    per_layer = kv_bytes_per_token_by_layer(g, 2.0)
    assert per_layer[0] == 2 * 16 * 256 * 2.0 and per_layer[5] == 2 * 4 * 512 * 2.0
    assert sum(per_layer) == 2.0 * sum(g.kv_elements_per_token_by_layer)
    # on 8 GPUs the 16 sliding KV heads split to 2 each, the 4 global ones are replicated to 1 each
    tp8 = kv_bytes_per_token_by_layer(g, 2.0, tensor_parallel=8)
    assert tp8[0] == 2 * 2 * 256 * 2.0 and tp8[5] == 2 * 1 * 512 * 2.0


# --- Mamba -------------------------------------------------------------------------------------


def test_mamba_has_no_kv_cache_and_a_constant_state() -> None:
    m = arch("state-spaces--mamba-2.8b-hf")
    assert round(m.total_params / 1e9, 2) == 2.77  # "mamba-2.8b"
    assert m.layer_types == ("mamba",) * 64 and m.kv_cache_elements(1_000_000) == 0
    assert m.conv_state_elements == 64 * 5120 * 3 and m.recurrent_state_elements == 64 * 5120 * 16
    per_layer = 2560 * 10240 + 5120 * 4 + 5120 + 5120 * (160 + 32) + 160 * 5120 + 5120 + 5120 * 16 + 5120 + 5120 * 2560
    assert m.param_breakdown["attention"] == 64 * per_layer


def test_mamba_derives_its_inner_width_and_rank_as_the_class_does() -> None:
    cfg = load("state-spaces--mamba-2.8b-hf")
    # MambaConfig derives intermediate_size = expand x hidden_size when the file states none
    # (and keeps a stated one: transformers 5.25, checked on a switch config)
    bare = {k: v for k, v in cfg.items() if k != "intermediate_size"}
    assert architecture_from_config(bare).total_params == FAMILIES["state-spaces--mamba-2.8b-hf"][1]
    assert architecture_from_config({**bare, "expand": 3}).intermediate_size == 3 * 2560
    auto = architecture_from_config({**cfg, "time_step_rank": "auto"})  # ceil(2560 / 16) = 160
    assert auto.total_params == FAMILIES["state-spaces--mamba-2.8b-hf"][1]
    with pytest.raises(InvalidArchitectureConfig, match="time_step_rank") as err:
        architecture_from_config({**cfg, "time_step_rank": "big"})
    assert err.value.field == "time_step_rank"



def test_mamba2_codestral_state_and_refusals() -> None:
    m = arch("mistralai--Mamba-Codestral-7B-v0.1")
    assert round(m.total_params / 1e9, 1) == 7.3 and not m.tie_word_embeddings
    assert m.kv_cache_elements(100_000) == 0
    assert m.conv_state_elements == 64 * (8192 + 2 * 8 * 128) * 3
    assert m.recurrent_state_elements == 64 * 128 * 64 * 128
    cfg = load("mistralai--Mamba-Codestral-7B-v0.1")
    with pytest.raises(InvalidArchitectureConfig, match="num_heads x head_dim") as err:
        architecture_from_config({**cfg, "num_heads": 64})
    assert err.value.field == "num_heads"
    with pytest.raises(InvalidArchitectureConfig, match="n_groups") as err:
        architecture_from_config({**cfg, "n_groups": 3})
    assert err.value.field == "n_groups"



# --- ERNIE 4.5 (dense) ---------------------------------------------------------------------------


def test_ernie4_5_is_llama_shaped_with_one_bias_switch() -> None:
    e = arch("baidu--ERNIE-4.5-0.3B-PT")
    assert e.model_type == "ernie4_5" and e.tie_word_embeddings
    assert round(e.total_params / 1e9, 2) == 0.36  # Baidu: "0.36B"
    biased = architecture_from_config({**load("baidu--ERNIE-4.5-0.3B-PT"), "use_bias": True})
    # q, k, v, o and the three MLP projections gain biases; the head does not
    assert biased.total_params - e.total_params == 18 * (2048 + 256 + 256 + 1024 + 3072 + 3072 + 1024)
