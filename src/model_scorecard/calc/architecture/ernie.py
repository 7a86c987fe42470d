"""ERNIE 4.5 MoE (Baidu ERNIE-4.5-21B-A3B, ERNIE-4.5-300B-A47B): a Llama-shaped decoder whose
layers from ``moe_layer_start_index`` to ``moe_layer_end_index`` (every ``moe_layer_interval``-th)
route to experts, beside always-on shared experts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from model_scorecard.calc.architecture.model import Architecture, InvalidArchitectureConfig
from model_scorecard.calc.architecture.reader import (
    Reader,
    Tally,
    attention_params,
    decoder_architecture,
    gated_mlp_params,
    moe_active_params,
    moe_fields,
    read_decoder_dims,
    split_head_dim,
)

# Ernie4_5_MoeConfig's defaults (transformers 5.25), for the fields read here.
_ERNIE4_5_MOE = {
    "vocab_size": 103424, "hidden_size": 2560, "intermediate_size": 12288, "num_hidden_layers": 28,
    "num_attention_heads": 20, "num_key_value_heads": 4, "max_position_embeddings": 131072,
    "tie_word_embeddings": True, "use_bias": False, "moe_intermediate_size": 1536, "moe_k": 6, "moe_num_experts": 64,
    "moe_num_shared_experts": 2, "moe_layer_start_index": 1, "moe_layer_end_index": -1, "moe_layer_interval": 1,
}  # fmt: skip


def _moe_layers(r: Reader, n: int) -> tuple[int, ...]:
    interval = r.integer("moe_layer_interval")
    start = r.integer("moe_layer_start_index", minimum=0)
    end_raw = r.raw("moe_layer_end_index")
    end = n - 1 if end_raw == -1 else r.integer("moe_layer_end_index", minimum=0)
    return tuple(i for i in range(n) if (i + 1) % interval == 0 and start <= i <= end)


def _head_dim(r: Reader, h: int, heads: int) -> int:
    """The ``head_dim`` the config stores, else hidden_size // num_attention_heads (the class has no default)."""
    return r.integer("head_dim") if r.config.get("head_dim") is not None else split_head_dim(r, h, heads)


def build_ernie4_5_moe(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``Ernie4_5_MoeForCausalLM``: GQA attention (``head_dim`` when the config stores one, else
    hidden / heads) and one ``use_bias`` switch for every projection -- q/k/v/o, the MLPs and the
    output head's bias, which stays its own when the head's weight is tied. The layers that
    ``moe_layer_interval``, ``moe_layer_start_index`` and ``moe_layer_end_index`` (-1: the last)
    select hold a float32 router of ``moe_num_experts`` rows with its score-correction bias
    (``moe_statics``, a parameter in transformers 5.25), ``moe_num_experts`` SwiGLU experts
    ``moe_intermediate_size`` wide and, when ``moe_num_shared_experts`` > 0, one SwiGLU MLP that many
    times as wide; the others a dense SwiGLU MLP ``intermediate_size`` wide. The multi-token
    prediction layer (``num_nextn_predict_layers``) is not built by transformers, nor counted."""
    r = Reader(config, _ERNIE4_5_MOE)
    dims = n, h, heads, kv, d, vocab, inter, tied = read_decoder_dims(r, _head_dim)
    assert inter is not None
    bias = r.boolean("use_bias")
    experts = r.integer("moe_num_experts", "num_experts")
    k = r.integer("moe_k", "num_experts_per_tok")
    if k > experts:
        raise InvalidArchitectureConfig(f"moe_k {k} exceeds moe_num_experts {experts}", "moe_k")
    moe_inter = r.integer("moe_intermediate_size")
    n_shared = r.integer("moe_num_shared_experts", minimum=0)
    moe_layers = _moe_layers(r, n)
    m = len(moe_layers)

    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * attention_params(h, heads, kv, d, bias))
    t.add("norms", n * 2 * h + h)
    t.add("mlp", (n - m) * gated_mlp_params(h, inter, bias))
    t.add("router", m * (experts * h + experts))  # the router and its e_score_correction_bias
    t.add("experts", m * experts * 3 * h * moe_inter)  # the experts' fused weights carry no bias
    t.add("shared_experts", m * gated_mlp_params(h, moe_inter * n_shared, bias) if n_shared else 0)
    t.add("lm_head", (0 if tied else vocab * h) + (vocab if bias else 0))
    return decoder_architecture(
        r, t, dims, model_type=model_type, family="ernie4_5_moe",
        counted_class="Ernie4_5_MoeForCausalLM (no MTP layer)",
        active_params=moe_active_params(t.total, t, m, k, 3 * h * moe_inter) if m else t.total,
        **moe_fields(moe_layers, experts, k, moe_inter, shared=n_shared,
                     shared_width=moe_inter * n_shared if n_shared else None),
    )
