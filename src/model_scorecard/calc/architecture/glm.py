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
from typing import Any

from model_scorecard.calc.architecture.model import (
    Architecture,
    InvalidArchitectureConfig,
)
from model_scorecard.calc.architecture.reader import (
    Reader,
    Tally,
    attention_params,
    decoder_architecture,
    moe_active_params,
    moe_fields,
    read_decoder_dims,
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
    dims = n, h, heads, kv, d, vocab, inter, tied = read_decoder_dims(r)
    assert inter is not None
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
    t.add("attention", n * attention_params(h, heads, kv, d, bias, o_bias=False))
    t.add("norms", n * (2 * h + (2 * d if qk_norm else 0)) + h)
    t.add("mlp", first_dense * 3 * h * inter)
    t.add("router", len(moe_layers) * h * experts)
    t.add("experts", len(moe_layers) * experts * per_expert)
    t.add("shared_experts", len(moe_layers) * 3 * h * moe_inter * shared)
    t.add("lm_head", 0 if tied else vocab * h)
    moe = moe_fields(moe_layers, experts, k, moe_inter, shared=shared,
                     shared_width=moe_inter * shared if shared else None)
    moe["first_dense_layers"] = first_dense
    return decoder_architecture(
        r, t, dims, model_type=model_type, family="glm4_moe", counted_class="Glm4MoeForCausalLM (no MTP layer)",
        active_params=moe_active_params(t.total, t, len(moe_layers), k, per_expert) if moe_layers else t.total, **moe,
    )
