"""gpt-oss: a MoE decoder with biased projections, attention sinks and alternating 128-token windows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from model_scorecard.calc.architecture.model import (
    FULL_ATTENTION,
    SLIDING_ATTENTION,
    Architecture,
    InvalidArchitectureConfig,
)
from model_scorecard.calc.architecture.reader import (
    Reader,
    Tally,
    attention_params,
    decoder_architecture,
    linear_params,
    moe_active_params,
    moe_fields,
    read_decoder_dims,
    read_layer_types,
)

# GptOssConfig's defaults (transformers 5.25), for the fields read here.
_GPT_OSS = {
    "vocab_size": 201088, "hidden_size": 2880, "intermediate_size": 2880, "num_hidden_layers": 36,
    "num_attention_heads": 64, "num_key_value_heads": 8, "head_dim": 64, "num_local_experts": 128,
    "num_experts_per_tok": 4, "sliding_window": 128, "tie_word_embeddings": False, "attention_bias": True,
    "max_position_embeddings": 131072,
}  # fmt: skip


def build_gpt_oss(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``GptOssForCausalLM``: every layer routes to ``num_local_experts`` experts (top
    ``num_experts_per_tok``), each a clamped SwiGLU ``intermediate_size`` wide with biases on both
    projections; the router has a bias; q/k/v/o have biases when ``attention_bias`` (true in both
    releases); every attention layer learns one sink logit per query head. Layers alternate a
    ``sliding_window`` (128) window and full attention unless ``layer_types`` says otherwise.
    """
    r = Reader(config, _GPT_OSS)
    dims = n, h, heads, kv, d, vocab, inter, _ = read_decoder_dims(r, tied=False)
    assert inter is not None
    experts = r.integer("num_local_experts", "num_experts")
    k = r.integer("num_experts_per_tok", "experts_per_token")
    if k > experts:
        raise InvalidArchitectureConfig(f"num_experts_per_tok {k} exceeds num_local_experts {experts}",
                                        "num_experts_per_tok")
    tied = r.boolean("tie_word_embeddings")
    bias = r.boolean("attention_bias")

    per_expert = linear_params(h, 2 * inter, True) + linear_params(inter, h, True)
    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * (attention_params(h, heads, kv, d, bias) + heads))  # the sinks: one logit per query head
    t.add("norms", n * 2 * h + h)
    t.add("router", n * linear_params(h, experts, True))
    t.add("experts", n * experts * per_expert)
    t.add("lm_head", 0 if tied else vocab * h)

    layer_types = read_layer_types(r, n, lambda: [SLIDING_ATTENTION if (i + 1) % 2 else FULL_ATTENTION
                                                  for i in range(n)])
    window = r.opt_integer("sliding_window") if SLIDING_ATTENTION in layer_types else None
    if window is None:  # no window: every layer attends to the whole context
        layer_types = (FULL_ATTENTION,) * n
    return decoder_architecture(
        r, t, dims, model_type=model_type, family="gpt_oss", counted_class="GptOssForCausalLM",
        tie_word_embeddings=tied, sliding_window=window, layer_types=layer_types,
        active_params=moe_active_params(t.total, t, n, k, per_expert), **moe_fields(range(n), experts, k, inter),
    )
