"""The last families: Cohere 2 (Command R7B / Command A), Granite 4.0 H (``granitemoehybrid``),
Falcon-H1 and ERNIE 4.5 MoE.

No whole ``config.json`` of a real checkpoint of these families was found (see the end of
``configs/SOURCES.md``): the ``*-trimmed`` fixtures keep a real checkpoint's sizes and drop some
switches, which transformers and this module both take from the class defaults. Every total
below was measured with ``benchmarks/verify_param_counts.py`` (torch 2.13.0 CPU, transformers
5.25.0, meta device; the per-category breakdowns agree too), on the fixture named or on the
small configs of ``switch_configs.json`` beside this file, which flip each family's switches
(that script builds the same file). No test here needs torch or transformers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from model_scorecard.calc.architecture import (
    FULL_ATTENTION,
    MAMBA,
    SLIDING_ATTENTION,
    SUPPORTED_MODEL_TYPES,
    Architecture,
    InvalidArchitectureConfig,
    architecture_from_config,
)
from model_scorecard.errors import UserError

CONFIGS = Path(__file__).parent / "configs"


def load(name: str) -> dict:
    return json.loads((CONFIGS / f"{name}.json").read_text(encoding="utf-8"))


def arch(name: str) -> Architecture:
    return architecture_from_config(load(name))


# fixture -> (counted class, total, active, KV elements per token over all layers, conv state, SSM state)
FAMILIES = {
    "ibm-granite--granite-4.0-h-tiny-trimmed": ("GraniteMoeHybridForCausalLM", 6_939_037_248, 1_465_470_528,
                                                4 * 2 * 4 * 128, 36 * 3328 * 3, 36 * 48 * 64 * 128),
    "ibm-granite--granite-4.0-h-1b-trimmed": ("GraniteMoeHybridForCausalLM", 1_461_538_368, 1_461_538_368,
                                              4 * 2 * 4 * 128, 36 * 3328 * 3, 36 * 48 * 64 * 128),
    "ibm-granite--granite-4.0-h-350m-trimmed": ("GraniteMoeHybridForCausalLM", 340_332_224, 340_332_224,
                                                4 * 2 * 4 * 64, 28 * 1792 * 3, 28 * 48 * 32 * 128),
    "tiiuae--Falcon-H1-7B-trimmed": ("FalconH1ForCausalLM", 7_585_513_568, 7_585_513_568, 44 * 2 * 2 * 128,
                                     44 * 3584 * 3, 44 * 24 * 128 * 256),
    "tiiuae--Falcon-H1-3B-trimmed": ("FalconH1ForCausalLM", 3_149_256_192, 3_149_256_192, 32 * 2 * 2 * 128,
                                     32 * 4608 * 3, 32 * 32 * 128 * 256),
    "baidu--ERNIE-4.5-21B-A3B-trimmed": ("Ernie4_5_MoeForCausalLM", 21_825_437_888, 3_352_150_208,
                                         28 * 2 * 4 * 128, 0, 0),
}


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_counts_kv_and_state(name: str) -> None:
    counted, total, active, kv, conv, ssm = FAMILIES[name]
    a = arch(name)
    assert a.counted_class.startswith(counted) and not a.approximate
    assert (a.total_params, a.active_params) == (total, active)
    assert sum(a.param_breakdown.values()) == total
    assert sum(a.kv_elements_per_token_by_layer) == kv
    assert (a.conv_state_elements, a.recurrent_state_elements) == (conv, ssm)
    assert a.recurrent_state_dtype == "model"  # none of these configs asks vLLM for a float32 SSM state


# Small configs flipping each family's switches, and what transformers 5.25.0 builds from them: the
# same file benchmarks/verify_param_counts.py builds them from.
SWITCHES = [(e["config"], e["transformers_params"])
            for e in json.loads((Path(__file__).parent / "switch_configs.json").read_text())["switches"]]


@pytest.mark.parametrize(("config", "measured"), SWITCHES, ids=[f"{c['model_type']}-{i}" for i, (c, _) in
                                                               enumerate(SWITCHES)])
def test_switch_configs_match_transformers(config: dict, measured: int) -> None:
    a = architecture_from_config(config)
    assert a.total_params == measured == sum(a.param_breakdown.values())
    assert not a.approximate and a.active_params <= a.total_params


# --- Cohere 2 ----------------------------------------------------------------------------------


def command_r7b_shape() -> dict:
    """Command R7B's sizes as transformers prints the loaded checkpoint's modules (Embedding(256000,
    4096); 32 layers; q/o 4096 x 4096, k/v 4096 -> 1024; MLP 4096 -> 14336), with the family's
    4096-token window. Not a config.json: no copy of the real file was found."""
    return {"model_type": "cohere2", "hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32,
            "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 256000, "sliding_window": 4096,
            "sliding_window_pattern": 4, "tie_word_embeddings": True, "logit_scale": 0.25}


def test_cohere2_parallel_block_has_one_layer_norm_and_a_tied_head() -> None:
    a = architecture_from_config(command_r7b_shape())
    h, layers = 4096, 32
    per_layer = 2 * h * h + 2 * h * 1024 + 3 * h * 14336 + h  # q, o; k, v; SwiGLU; one LayerNorm weight
    assert a.total_params == 256000 * h + layers * per_layer + h == 8_028_033_024
    assert a.param_breakdown["norms"] == layers * h + h and a.param_breakdown["lm_head"] == 0
    assert a.counted_class == "Cohere2ForCausalLM" and a.family == "cohere2"


def test_cohere2_three_sliding_layers_per_global_one() -> None:
    a = architecture_from_config(command_r7b_shape())
    assert a.layer_types == (SLIDING_ATTENTION,) * 3 + (FULL_ATTENTION,) + a.layer_types[4:]
    assert a.layer_types.count(FULL_ATTENTION) == 8 and a.sliding_window == 4096
    per_token = 2 * 8 * 128
    assert sum(a.kv_elements_per_token_by_layer) == 32 * per_token  # 131,072 bytes/token in bf16
    # at 128K tokens the 24 sliding layers hold 4,096 tokens each
    assert a.kv_cache_elements(131_072) == per_token * (8 * 131_072 + 24 * 4096)
    assert a.kv_cache_elements(1000) == 32 * per_token * 1000


def test_cohere2_layer_types_win_and_a_stored_head_dim_is_read() -> None:
    cfg = {**command_r7b_shape(), "layer_types": ["full_attention"] * 32}
    assert architecture_from_config(cfg).layer_types == (FULL_ATTENTION,) * 32
    assert architecture_from_config({**cfg, "head_dim": 64}).head_dim == 64
    assert architecture_from_config({**cfg, "head_dim": None}).head_dim == 128
    with pytest.raises(InvalidArchitectureConfig, match="layer_types"):
        architecture_from_config({**cfg, "layer_types": ["full_attention"] * 31})


# --- Granite 4.0 H -----------------------------------------------------------------------------


def test_granite_hybrid_layers_and_moe() -> None:
    g = arch("ibm-granite--granite-4.0-h-tiny-trimmed")
    assert g.layer_types.count(MAMBA) == 36 and [i for i, k in enumerate(g.layer_types) if k == FULL_ATTENTION] == [
        5, 15, 25, 35]
    assert (g.num_experts, g.experts_per_token, g.moe_intermediate_size) == (64, 6, 512)
    assert g.num_shared_experts == 1 and g.shared_expert_intermediate_size == 1024
    assert g.moe_layer_indices == tuple(range(40)) and g.param_breakdown["mlp"] == 0
    assert g.param_breakdown["shared_experts"] == 40 * 3 * 1536 * 1024
    assert g.param_breakdown["router"] == 40 * 64 * 1536
    # IBM: "7B total, ~1B active"
    assert round(g.total_params / 1e9) == 7 and round(g.active_params / 1e9) == 1
    assert {"attention_bias", "mamba_proj_bias", "mamba_conv_bias"} <= set(g.defaults_used)


def test_granite_dense_hybrid_counts_the_shared_mlp_as_the_mlp() -> None:
    g = arch("ibm-granite--granite-4.0-h-1b-trimmed")
    assert not g.is_moe and g.intermediate_size == 4096 and g.param_breakdown["shared_experts"] == 0
    assert g.param_breakdown["mlp"] == 40 * 3 * 1536 * 4096 and g.active_params == g.total_params


def test_granite_legacy_and_new_layer_names_agree() -> None:
    cfg = load("ibm-granite--granite-4.0-h-350m-trimmed")
    renamed = [{"mamba": "linear_attention", "attention": "full_attention"}[t] for t in cfg["layer_types"]]
    assert architecture_from_config({**cfg, "layer_types": renamed}) == arch("ibm-granite--granite-4.0-h-350m-trimmed")
    spelled = {k: v for k, v in cfg.items() if k != "layer_types"} | {"layers_block_type": cfg["layer_types"]}
    assert architecture_from_config(spelled).layer_types == arch("ibm-granite--granite-4.0-h-350m-trimmed").layer_types
    # no layer_types: every layer Mamba, as GraniteMoeHybridConfig builds it
    bare = {k: v for k, v in cfg.items() if k != "layer_types"}
    assert architecture_from_config(bare).layer_types == (MAMBA,) * 32


@pytest.mark.parametrize(("change", "field"), [
    ({"layer_types": ["mamba"] * 31}, "layer_types"),
    ({"layer_types": ["sliding_attention"] * 32}, "layer_types"),
    ({"mamba_n_heads": 47}, "mamba_n_heads"),
    ({"mamba_d_head": 33}, "mamba_d_head"),
    ({"mamba_n_groups": 5}, "mamba_n_groups"),
    ({"num_local_experts": 4, "num_experts_per_tok": 6}, "num_experts_per_tok"),
    ({"mamba_n_heads": 10**9}, "mamba_n_heads"),
])
def test_granite_refuses_configs_transformers_would_not_build(change: dict, field: str) -> None:
    with pytest.raises(InvalidArchitectureConfig) as err:
        architecture_from_config({**load("ibm-granite--granite-4.0-h-350m-trimmed"), **change})
    assert err.value.field == field and isinstance(err.value, UserError)


# --- Falcon-H1 ---------------------------------------------------------------------------------


def test_falcon_h1_every_layer_has_attention_and_a_mamba_state() -> None:
    f = arch("tiiuae--Falcon-H1-7B-trimmed")
    assert f.layer_types == (FULL_ATTENTION,) * 44 and f.head_dim == 128  # not 3072 / 12
    # 44 x (2 x 2 x 128) elements = 45,056 bytes per token in bf16, and 70.2 MB of state per sequence
    assert 2 * sum(f.kv_elements_per_token_by_layer) == 45_056
    assert 2 * f.state_elements_per_sequence == 70_152_192
    mixer = 3072 * (3072 + 3584 + 24) + 3584 * 4 + 3584 + 3 * 24 + 3072 * 3072
    attention = 3072 * 12 * 128 * 2 + 3072 * 2 * 128 * 2
    assert f.param_breakdown["attention"] == 44 * (attention + mixer)
    assert f.param_breakdown["norms"] == 44 * 2 * 3072 + 3072  # no gated norm: mamba_rms_norm false
    # TII's name, "Falcon-H1-7B", is the count truncated
    assert int(f.total_params / 1e9) == 7


def test_falcon_h1_switches() -> None:
    cfg = load("tiiuae--Falcon-H1-7B-trimmed")
    base = arch("tiiuae--Falcon-H1-7B-trimmed").total_params
    assert architecture_from_config({**cfg, "mamba_rms_norm": True}).total_params == base + 44 * 3072
    assert architecture_from_config({**cfg, "projectors_bias": True}).total_params == base + 44 * 3072
    tied = architecture_from_config({**cfg, "tie_word_embeddings": True})
    assert tied.total_params == base - 130048 * 3072
    # mamba_d_ssm null: the Mamba width is mamba_expand x hidden (2 x 3072 = 48 heads of 128)
    wide = architecture_from_config({**cfg, "mamba_d_ssm": None, "mamba_n_heads": 48})
    assert wide.recurrent_state_elements == 44 * 48 * 128 * 256
    with pytest.raises(InvalidArchitectureConfig) as err:
        architecture_from_config({**cfg, "mamba_d_ssm": None})  # 24 heads x 128 != 6144
    assert err.value.field == "mamba_d_head"


# --- ERNIE 4.5 MoE -----------------------------------------------------------------------------


def test_ernie_moe_layers_shared_experts_and_router_bias() -> None:
    e = arch("baidu--ERNIE-4.5-21B-A3B-trimmed")
    assert e.moe_layer_indices == tuple(range(1, 28)) and e.first_dense_layers == 1
    assert (e.num_experts, e.experts_per_token, e.num_shared_experts) == (64, 6, 2)
    assert e.shared_expert_intermediate_size == 2 * 1536
    assert e.param_breakdown["mlp"] == 3 * 2560 * 12288  # layer 0
    # the router's weight and its e_score_correction_bias (a parameter in transformers 5.25)
    assert e.param_breakdown["router"] == 27 * (64 * 2560 + 64)
    assert e.param_breakdown["shared_experts"] == 27 * 3 * 2560 * 3072
    # Baidu: "21B total, 3B active" -- truncated
    assert int(e.total_params / 1e9) == 21 and int(e.active_params / 1e9) == 3
    assert e.counted_class.endswith("(no MTP layer)")


def test_ernie_moe_schedule_and_the_head_bias() -> None:
    cfg = load("baidu--ERNIE-4.5-21B-A3B-trimmed")
    every_other = architecture_from_config({**cfg, "moe_layer_interval": 2, "moe_layer_start_index": 0,
                                            "moe_layer_end_index": -1})
    assert every_other.moe_layer_indices == tuple(range(1, 28, 2))
    # use_bias biases every projection and the head -- whose bias stays its own when the weight is tied
    biased = architecture_from_config({**cfg, "use_bias": True})
    assert biased.param_breakdown["lm_head"] == 103424
    # no shared experts: none counted
    plain = architecture_from_config({**cfg, "moe_num_shared_experts": 0})
    assert plain.param_breakdown["shared_experts"] == 0 and plain.shared_expert_intermediate_size is None
    with pytest.raises(InvalidArchitectureConfig) as err:
        architecture_from_config({**cfg, "moe_k": 65})
    assert err.value.field == "moe_k"


def test_ernie_moe_is_routed_by_its_class_name() -> None:
    cfg = {**load("baidu--ERNIE-4.5-21B-A3B-trimmed"), "model_type": "ernie4_5_moe_custom"}
    a = architecture_from_config(cfg)
    assert a.model_type == "ernie4_5_moe_custom" and a.total_params == FAMILIES[
        "baidu--ERNIE-4.5-21B-A3B-trimmed"][1] and not a.approximate


# --- Gemma 4 E2B's text model -------------------------------------------------------------------


def test_gemma4_e2b_per_layer_inputs_and_shared_kv_layers() -> None:
    g = arch("google--gemma-4-E2B-it-text_config")
    assert g.counted_class == "Gemma4ForCausalLM" and g.total_params == 4_628_569_344  # transformers 5.25.0
    assert g.kv_shared_layers == tuple(range(15, 35))
    h, n, p = 1536, 35, 256
    per_layer_table = 262144 * n * p
    assert g.param_breakdown["embeddings"] == 262144 * h + per_layer_table + h * n * p
    # 15 layers with their own MLP 6,144 wide, 20 shared-KV layers with a double-wide one, plus the
    # per-layer gates and projections
    assert g.param_breakdown["mlp"] == 15 * 3 * h * 6144 + 20 * 3 * h * 12288 + n * 2 * h * p
    # shared-KV layers have q and o only: 12 sliding + 3 global layers own k/v
    sliding_q_o, global_q_o = 2 * h * 8 * 256, 2 * h * 8 * 512
    assert g.param_breakdown["attention"] == (28 * sliding_q_o + 7 * global_q_o + 12 * 2 * h * 256
                                              + 3 * 2 * h * 512)
    # the cache: only the 15 producing layers hold keys and values (1 KV head)
    assert g.kv_elements_per_token_by_layer[:15] == (512, 512, 512, 512, 1024) * 3
    assert g.kv_elements_per_token_by_layer[15:] == (0,) * 20
    assert g.kv_cache_elements(100_000) == 12 * 512 * 512 + 3 * 1024 * 100_000
    # without the per-layer embedding table (looked up, not multiplied): 2.28B
    assert round((g.total_params - per_layer_table) / 1e9, 2) == 2.28


def test_gemma4_whole_e2b_checkpoint_is_still_refused_for_its_audio_tower() -> None:
    text = {k: v for k, v in load("google--gemma-4-E2B-it-text_config").items()
            if k not in ("model_type", "architectures")}
    cfg = {"model_type": "gemma4", "architectures": ["Gemma4ForConditionalGeneration"], "text_config": text,
           "audio_config": {"hidden_size": 1024}}
    with pytest.raises(InvalidArchitectureConfig, match="audio") as err:
        architecture_from_config(cfg)
    assert err.value.field == "audio_config"
    whole = architecture_from_config({**cfg, "audio_config": None})
    assert whole.text_params is None and whole.total_params == 4_628_569_344  # no vision_config given


def test_a_bare_lfm2_config_takes_the_class_defaults() -> None:
    """``{"model_type": "lfm2"}`` (no block_ff_dim nor intermediate_size) is Lfm2Config() as transformers
    5.25.0 builds it on the meta device: 2,705,497,600 parameters. It was an internal error (exit 3)."""
    a = architecture_from_config({"model_type": "lfm2"})
    assert a.total_params == 2_705_497_600
    assert "intermediate_size" in a.defaults_used


@pytest.mark.parametrize("model_type", SUPPORTED_MODEL_TYPES)
def test_a_bare_model_type_is_counted_or_refused_cleanly(model_type: str) -> None:
    """A config with only its model_type takes the class defaults, or is refused with a located
    error: never an internal error."""
    try:
        architecture_from_config({"model_type": model_type})
    except InvalidArchitectureConfig:
        pass
