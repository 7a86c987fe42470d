"""MiniMax-M2 (``minimax_m2``): a Mixtral-like sparse MoE decoder with whole-width q/k norms."""

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
    stored_head_dim,
)

# MiniMaxM2Config's defaults (transformers 5.25), for the fields read here.
_MINIMAX_M2 = {
    "vocab_size": 200064, "hidden_size": 3072, "intermediate_size": 1536, "num_hidden_layers": 62,
    "num_attention_heads": 48, "num_key_value_heads": 8, "head_dim": 128, "max_position_embeddings": 196608,
    "tie_word_embeddings": False, "num_experts_per_tok": 8, "num_local_experts": 256,
}  # fmt: skip


def build_minimax_m2(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``MiniMaxM2ForCausalLM``: every layer full GQA attention (bias-free q/k/v/o of ``head_dim``
    heads) with RMSNorms over the whole query (heads x head_dim) and key (kv heads x head_dim)
    projections, then a sparse MoE of ``num_local_experts`` SwiGLU experts ``intermediate_size``
    wide (gate_up and down, no biases), ``num_experts_per_tok`` per token, behind a bias-free
    router. The router's ``e_score_correction_bias`` is a buffer, not a parameter; the checkpoint's
    multi-token-prediction modules (``num_mtp_modules``) are not built by the class, so not counted."""
    r = Reader(config, _MINIMAX_M2)
    dims = n, h, heads, kv, d, vocab, inter, tied = read_decoder_dims(r, stored_head_dim)
    assert inter is not None
    experts = r.integer("num_local_experts")
    k = r.integer("num_experts_per_tok")
    if k > experts:
        raise InvalidArchitectureConfig(f"num_experts_per_tok {k} is more than num_local_experts {experts}",
                                        "num_experts_per_tok")
    per_expert = 3 * h * inter
    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * attention_params(h, heads, kv, d, False))
    t.add("norms", n * (2 * h + heads * d + kv * d) + h)
    t.add("router", n * experts * h)
    t.add("experts", n * experts * per_expert)
    t.add("lm_head", 0 if tied else vocab * h)
    return decoder_architecture(
        r, t, dims, model_type=model_type, family="minimax_m2", counted_class="MiniMaxM2ForCausalLM",
        active_params=moe_active_params(t.total, t, n, k, per_expert), **moe_fields(range(n), experts, k, inter),
    )
