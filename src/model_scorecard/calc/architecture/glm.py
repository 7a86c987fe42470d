"""GLM-4.5 / GLM-4.6 / GLM-4.7 (``glm4_moe``): grouped-query attention with DeepSeek-style MoE.

q/k/v carry biases when ``attention_bias`` (true in the releases), o none; per-head QK RMSNorms
when ``use_qk_norm``. The first ``first_k_dense_replace`` layers have a dense SwiGLU MLP
``intermediate_size`` wide; every later layer routes to ``n_routed_experts`` experts of
``moe_intermediate_size`` (top ``num_experts_per_tok``) beside ``n_shared_experts`` shared ones.
The router's ``e_score_correction_bias`` is a buffer, not a parameter. The multi-token-prediction
layer (``num_nextn_predict_layers``) is not built by transformers and not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from model_scorecard.calc.architecture.model import (
    FULL_ATTENTION,
    Architecture,
    InvalidArchitectureConfig,
)
from model_scorecard.calc.architecture.reader import (
    Reader,
    Tally,
    linear_params,
    moe_active_params,
    read_head_dim,
    read_kv_heads,
)

# Glm4MoeConfig's defaults (transformers 5.25), for the fields read here.
_GLM4_MOE = {
    "vocab_size": 151552, "hidden_size": 4096, "intermediate_size": 10944, "num_hidden_layers": 46,
    "num_attention_heads": 96, "num_key_value_heads": 8, "max_position_embeddings": 131072,
    "tie_word_embeddings": False, "attention_bias": False, "moe_intermediate_size": 1408, "num_experts_per_tok": 8,
    "n_shared_experts": 1, "n_routed_experts": 128, "first_k_dense_replace": 1, "use_qk_norm": False,
}  # fmt: skip


def build_glm4_moe(config: Mapping[str, Any], model_type: str) -> Architecture:
    r = Reader(config, _GLM4_MOE)
    n = r.integer("num_hidden_layers")
    h = r.integer("hidden_size")
    heads = r.integer("num_attention_heads")
    kv = read_kv_heads(r, heads)
    d = read_head_dim(r, h, heads)
    vocab = r.integer("vocab_size")
    inter = r.integer("intermediate_size")
    tied = r.boolean("tie_word_embeddings")
    bias = r.boolean("attention_bias")
    qk_norm = r.boolean("use_qk_norm")
    experts = r.integer("n_routed_experts")
    k = r.integer("num_experts_per_tok")
    if k > experts:
        raise InvalidArchitectureConfig(f"num_experts_per_tok {k} exceeds n_routed_experts {experts}",
                                        "num_experts_per_tok")
    shared = r.integer("n_shared_experts", minimum=0)
    moe_inter = r.integer("moe_intermediate_size")
    first_dense = min(r.integer("first_k_dense_replace", minimum=0), n)
    moe_layers = tuple(range(first_dense, n))

    per_expert = 3 * h * moe_inter
    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * (linear_params(h, heads * d, bias) + 2 * linear_params(h, kv * d, bias) + heads * d * h))
    t.add("norms", n * (2 * h + (2 * d if qk_norm else 0)) + h)
    t.add("mlp", first_dense * 3 * h * inter)
    t.add("router", len(moe_layers) * h * experts)
    t.add("experts", len(moe_layers) * experts * per_expert)
    t.add("shared_experts", len(moe_layers) * 3 * h * moe_inter * shared)
    t.add("lm_head", 0 if tied else vocab * h)
    total = t.total
    return Architecture(
        model_type=model_type,
        family="glm4_moe",
        counted_class="Glm4MoeForCausalLM (no MTP layer)",
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
        layer_types=(FULL_ATTENTION,) * n,
        total_params=total,
        active_params=moe_active_params(total, t, len(moe_layers), k, per_expert) if moe_layers else total,
        param_breakdown=MappingProxyType(dict(t.parts)),
        num_experts=experts if moe_layers else None,
        experts_per_token=k if moe_layers else None,
        moe_intermediate_size=moe_inter if moe_layers else None,
        num_shared_experts=shared if moe_layers else 0,
        shared_expert_intermediate_size=moe_inter * shared if moe_layers and shared else None,
        first_dense_layers=first_dense,
        moe_layer_indices=moe_layers,
        defaults_used=tuple(r.defaults_used),
    )
