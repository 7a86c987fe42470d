"""Decoders with Mamba (selective state-space) layers: Jamba (Mamba-1) and Nemotron-H (Mamba-2).

A Mamba layer keeps no KV cache. Per sequence it holds, as vLLM allocates it, a convolution
state and an SSM state, whatever the context: Mamba-1 ``d_inner × (d_conv − 1)`` and
``d_inner × d_state`` (``d_inner = mamba_expand · hidden_size``); Mamba-2
``(d_inner + 2·n_groups·d_state) × (conv_kernel − 1)`` and ``heads × head_dim × d_state``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from model_scorecard.calc.architecture.mamba import (
    mamba2_mixer_params,
    mamba_mixer_params,
)
from model_scorecard.calc.architecture.model import (
    FULL_ATTENTION,
    MAMBA,
    MLP_ONLY,
    Architecture,
    InvalidArchitectureConfig,
)
from model_scorecard.calc.architecture.reader import (
    DecoderDims,
    Reader,
    Tally,
    attention_params,
    decoder_architecture,
    linear_params,
    moe_active_params,
    moe_fields,
    read_decoder_dims,
    read_kv_heads,
    split_head_dim,
)

# JambaConfig's defaults (transformers 5.25), for the fields read here.
_JAMBA = {
    "vocab_size": 65536, "tie_word_embeddings": False, "hidden_size": 4096, "intermediate_size": 14336,
    "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8, "max_position_embeddings": 262144,
    "num_experts_per_tok": 2, "num_experts": 16, "expert_layer_period": 2, "expert_layer_offset": 1,
    "attn_layer_period": 8, "attn_layer_offset": 4, "mamba_d_state": 16, "mamba_d_conv": 4, "mamba_expand": 2,
    "mamba_dt_rank": "auto", "mamba_conv_bias": True, "mamba_proj_bias": False,
}  # fmt: skip


def _period_offset(r: Reader, period_key: str, offset_key: str) -> tuple[int, int]:
    period = r.integer(period_key)
    offset = r.integer(offset_key, minimum=0)
    if offset >= period:
        raise InvalidArchitectureConfig(f"{offset_key} {offset} must be smaller than {period_key} {period}", offset_key)
    return period, offset


def build_jamba(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``JambaForCausalLM``: attention (bias-free, no positional encoding) on the layers with
    ``i % attn_layer_period == attn_layer_offset``, Mamba-1 mixers elsewhere; a MoE feed-forward
    (bias-free router, ``num_experts`` SwiGLU experts) on the layers with
    ``i % expert_layer_period == expert_layer_offset`` when ``num_experts`` > 1, a dense SwiGLU
    MLP elsewhere. The Mamba mixer: in_proj to 2·d_inner (bias when ``mamba_proj_bias``), a
    depthwise convolution (bias when ``mamba_conv_bias``), x_proj to dt_rank + 2·d_state,
    dt_proj with bias, A_log (d_inner × d_state), D, out_proj, and RMSNorms on dt, B and C."""
    r = Reader(config, _JAMBA)
    dims = n, h, heads, kv, d, vocab, inter, tied = read_decoder_dims(r, split_head_dim)
    assert inter is not None
    experts = r.integer("num_experts")
    k = r.integer("num_experts_per_tok")
    if experts > 1 and k > experts:
        raise InvalidArchitectureConfig(f"num_experts_per_tok {k} exceeds num_experts {experts}", "num_experts_per_tok")
    attn_period, attn_offset = _period_offset(r, "attn_layer_period", "attn_layer_offset")
    expert_period, expert_offset = _period_offset(r, "expert_layer_period", "expert_layer_offset")
    d_state, d_conv, expand = r.integer("mamba_d_state"), r.integer("mamba_d_conv"), r.integer("mamba_expand")
    rank_value = r.raw("mamba_dt_rank")
    dt_rank = math.ceil(h / 16) if rank_value == "auto" else r.integer("mamba_dt_rank")
    conv_bias, proj_bias = r.boolean("mamba_conv_bias"), r.boolean("mamba_proj_bias")

    layer_types = tuple(FULL_ATTENTION if i % attn_period == attn_offset else MAMBA for i in range(n))
    moe_layers = tuple(i for i in range(n) if experts > 1 and i % expert_period == expert_offset)
    n_attn = layer_types.count(FULL_ATTENTION)
    n_mamba = n - n_attn
    d_inner = expand * h
    mixer = mamba_mixer_params(h, d_inner, d_conv, dt_rank, d_state, proj_bias, conv_bias)

    per_expert = 3 * h * inter
    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n_attn * attention_params(h, heads, kv, d, False) + n_mamba * mixer)
    t.add("norms", n * 2 * h + h + n_mamba * (dt_rank + 2 * d_state))
    t.add("mlp", (n - len(moe_layers)) * per_expert)
    t.add("router", len(moe_layers) * h * experts)
    t.add("experts", len(moe_layers) * experts * per_expert)
    t.add("lm_head", 0 if tied else vocab * h)
    return decoder_architecture(
        r, t, dims, model_type=model_type, family="jamba", counted_class="JambaForCausalLM", layer_types=layer_types,
        active_params=moe_active_params(t.total, t, len(moe_layers), k, per_expert) if moe_layers else t.total,
        conv_state_elements=n_mamba * d_inner * (d_conv - 1), recurrent_state_elements=n_mamba * d_inner * d_state,
        **moe_fields(moe_layers, experts, k, inter),
    )


# NemotronHConfig's defaults (transformers 5.25), for the fields read here.
_NEMOTRON_H = {
    "vocab_size": 131072, "hidden_size": 4096, "num_attention_heads": 32,
    "num_key_value_heads": 8, "head_dim": 128, "max_position_embeddings": 4096, "intermediate_size": 21504,
    "mlp_bias": False, "ssm_state_size": 128, "mamba_num_heads": 128, "mamba_head_dim": 64, "n_groups": 8,
    "conv_kernel": 4, "use_conv_bias": True, "mamba_proj_bias": False, "mamba_ssm_cache_dtype": "float32",
    "use_bias": False,
}  # fmt: skip
_PATTERN = {"M": MAMBA, "*": FULL_ATTENTION, "-": MLP_ONLY, "E": "moe"}
_BLOCK_TYPES = {"mamba": MAMBA, "linear_attention": MAMBA, "attention": FULL_ATTENTION,
                "full_attention": FULL_ATTENTION, "mlp": MLP_ONLY, "moe": "moe"}


def _nemotron_layers(r: Reader) -> tuple[str, ...]:
    pattern = r.config.get("hybrid_override_pattern")
    if pattern is not None:
        if not isinstance(pattern, str) or not pattern or any(c not in _PATTERN for c in pattern):
            raise InvalidArchitectureConfig("hybrid_override_pattern must be a string of M, *, - and E",
                                            "hybrid_override_pattern")
        kinds = tuple(_PATTERN[c] for c in pattern)
    else:
        key = "layers_block_type" if "layers_block_type" in r.config else "layer_types"
        given = r.config.get(key)
        if not isinstance(given, list) or not given or any(t not in _BLOCK_TYPES for t in given):
            raise InvalidArchitectureConfig(f"{key} (or hybrid_override_pattern) must list the layers' kinds", key)
        kinds = tuple(_BLOCK_TYPES[t] for t in given)
    if len(kinds) > 10_000:
        raise InvalidArchitectureConfig("hybrid_override_pattern lists more than 10,000 layers",
                                        "hybrid_override_pattern")
    if "moe" in kinds:  # Nemotron 3's latent MoE layers: not counted here, so refused rather than guessed
        raise InvalidArchitectureConfig("Nemotron-H MoE layers ('E') are not counted yet: only Mamba-2 (M), "
                                        "attention (*) and MLP (-) layers are", "hybrid_override_pattern")
    return kinds


def build_nemotron_h(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``NemotronHForCausalLM``: one mixer per layer, as ``hybrid_override_pattern`` spells them
    (its length is the layer count): Mamba-2 (``M``), bias-free GQA attention (``*``, ``head_dim``
    wide heads) or a plain squared-ReLU MLP (``-``, biases when ``mlp_bias``), each after one
    RMSNorm. The Mamba-2 mixer: in_proj to d_inner + conv_dim + heads (bias when ``use_bias``),
    a depthwise convolution over conv_dim = d_inner + 2·n_groups·d_state (bias when
    ``use_conv_bias``), dt_bias, A_log and D per head, a gated RMSNorm over d_inner and out_proj,
    with d_inner = ``mamba_num_heads · mamba_head_dim``. The output head is never tied (the class
    declares no tied weights). vLLM keeps the SSM state in ``mamba_ssm_cache_dtype`` (float32 by
    the class default)."""
    r = Reader(config, _NEMOTRON_H)
    kinds = _nemotron_layers(r)
    n = len(kinds)
    h = r.integer("hidden_size")
    heads = r.integer("num_attention_heads")
    kv = read_kv_heads(r, heads)
    d = r.integer("head_dim")
    vocab = r.integer("vocab_size")
    inter = r.integer("intermediate_size")
    tied = False  # NemotronHForCausalLM declares no tied weights: its head is its own, whatever the flag says
    mlp_bias, use_bias, conv_bias = r.boolean("mlp_bias"), r.boolean("use_bias"), r.boolean("use_conv_bias")
    m_heads, m_dim, d_state = r.integer("mamba_num_heads"), r.integer("mamba_head_dim"), r.integer("ssm_state_size")
    groups, kernel = r.integer("n_groups"), r.integer("conv_kernel")
    d_inner = m_heads * m_dim
    if d_inner % groups:
        raise InvalidArchitectureConfig(f"n_groups {groups} does not divide the Mamba width {d_inner}", "n_groups")
    conv_dim = d_inner + 2 * groups * d_state
    n_mamba, n_attn, n_mlp = kinds.count(MAMBA), kinds.count(FULL_ATTENTION), kinds.count(MLP_ONLY)
    mixer = mamba2_mixer_params(h, d_inner, conv_dim, m_heads, kernel, use_bias, conv_bias, use_bias)

    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n_attn * attention_params(h, heads, kv, d, False) + n_mamba * mixer)
    t.add("mlp", n_mlp * (linear_params(h, inter, mlp_bias) + linear_params(inter, h, mlp_bias)))
    t.add("norms", n * h + h + n_mamba * d_inner)
    t.add("lm_head", 0 if tied else vocab * h)
    state_dtype = r.raw("mamba_ssm_cache_dtype")
    return decoder_architecture(
        r, t, DecoderDims(n, h, heads, kv, d, vocab, inter, tied), model_type=model_type, family="nemotron_h",
        counted_class="NemotronHForCausalLM", gated_mlp=False, layer_types=kinds,
        conv_state_elements=n_mamba * conv_dim * (kernel - 1),
        recurrent_state_elements=n_mamba * m_heads * m_dim * d_state,
        recurrent_state_dtype="float32" if state_dtype in ("float32", "fp32") else "model",
    )
