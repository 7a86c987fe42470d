"""Decoders with Mamba (selective state-space) layers: Jamba.

A Mamba layer keeps no KV cache. Per sequence it holds, as vLLM allocates it, a convolution
state of ``d_inner × (d_conv − 1)`` elements and an SSM state of ``d_inner × d_state`` elements
(Mamba-1, ``d_inner = mamba_expand · hidden_size``), whatever the context.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from model_scorecard.calc.architecture.model import (
    FULL_ATTENTION,
    MAMBA,
    Architecture,
    InvalidArchitectureConfig,
)
from model_scorecard.calc.architecture.reader import (
    Reader,
    Tally,
    linear_params,
    moe_active_params,
    read_kv_heads,
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
    n = r.integer("num_hidden_layers")
    h = r.integer("hidden_size")
    heads = r.integer("num_attention_heads")
    kv = read_kv_heads(r, heads)
    if h % heads:
        raise InvalidArchitectureConfig(f"hidden_size {h} is not a multiple of num_attention_heads {heads}",
                                        "hidden_size")
    d = h // heads
    vocab = r.integer("vocab_size")
    inter = r.integer("intermediate_size")
    tied = r.boolean("tie_word_embeddings")
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
    mixer = (linear_params(h, 2 * d_inner, proj_bias) + d_inner * d_conv + (d_inner if conv_bias else 0)
             + d_inner * (dt_rank + 2 * d_state) + linear_params(dt_rank, d_inner, True)
             + d_inner * d_state + d_inner + linear_params(d_inner, h, proj_bias))

    per_expert = 3 * h * inter
    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n_attn * (2 * h * heads * d + 2 * h * kv * d) + n_mamba * mixer)
    t.add("norms", n * 2 * h + h + n_mamba * (dt_rank + 2 * d_state))
    t.add("mlp", (n - len(moe_layers)) * per_expert)
    t.add("router", len(moe_layers) * h * experts)
    t.add("experts", len(moe_layers) * experts * per_expert)
    t.add("lm_head", 0 if tied else vocab * h)
    total = t.total
    return Architecture(
        model_type=model_type,
        family="jamba",
        counted_class="JambaForCausalLM",
        num_layers=n,
        hidden_size=h,
        num_heads=heads,
        num_kv_heads=kv,
        head_dim=d,
        intermediate_size=inter,
        gated_mlp=True,
        vocab_size=vocab,
        tie_word_embeddings=tied,
        max_position_embeddings=r.opt_integer("max_position_embeddings"),
        sliding_window=None,
        layer_types=layer_types,
        total_params=total,
        active_params=moe_active_params(total, t, len(moe_layers), k, per_expert) if moe_layers else total,
        param_breakdown=MappingProxyType(dict(t.parts)),
        num_experts=experts if moe_layers else None,
        experts_per_token=k if moe_layers else None,
        moe_intermediate_size=inter if moe_layers else None,
        first_dense_layers=moe_layers[0] if moe_layers else 0,
        moe_layer_indices=moe_layers,
        defaults_used=tuple(r.defaults_used),
        conv_state_elements=n_mamba * d_inner * (d_conv - 1),
        recurrent_state_elements=n_mamba * d_inner * d_state,
    )
