"""Unknown decoders read as a generic Llama-like decoder: an approximation, marked as one.

A config whose ``model_type`` no builder knows, and whose ``architectures`` names no class one
does, still gets an answer when it carries the standard keys every Llama-like decoder writes
(:data:`REQUIRED_KEYS`): a gated MLP, RMSNorms (one weight per norm, two per layer and a final
one), q/k/v/o without biases unless ``attention_bias`` says so, GQA from
``num_key_value_heads``, ``head_dim`` when given, an output head unless
``tie_word_embeddings``. Nothing else is assumed: MoE keys, sliding windows, linear-attention
or SSM layers of the unknown family are not read, so the record is ``approximate=True`` and
lists the ``keys_read``. A config without the standard keys is still unsupported.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from model_scorecard.calc.architecture.model import Architecture
from model_scorecard.calc.architecture.reader import (
    Reader,
    Tally,
    attention_params,
    decoder_architecture,
    gated_mlp_params,
    read_decoder_dims,
)

#: The keys a config must hold to be read as a generic decoder.
REQUIRED_KEYS: tuple[str, ...] = (
    "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "vocab_size",
)  # fmt: skip

# What the generic reading takes when an optional key is absent (LlamaConfig's choices, except
# head_dim: absent means hidden_size // num_attention_heads).
_OPTIONAL = {
    "num_key_value_heads": None, "head_dim": None, "tie_word_embeddings": False, "attention_bias": False,
    "mlp_bias": False, "max_position_embeddings": None,
}  # fmt: skip


def has_standard_keys(config: Mapping[str, Any]) -> bool:
    return all(config.get(k) is not None for k in REQUIRED_KEYS)


def build_generic(config: Mapping[str, Any], model_type: str) -> Architecture:
    r = Reader(config, _OPTIONAL)
    dims = n, h, heads, kv, d, vocab, inter, tied = read_decoder_dims(r)
    assert inter is not None
    qkv_bias = r.boolean("attention_bias")
    mlp_bias = r.boolean("mlp_bias")

    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * attention_params(h, heads, kv, d, qkv_bias))
    t.add("mlp", n * gated_mlp_params(h, inter, mlp_bias))
    t.add("norms", n * 2 * h + h)
    t.add("lm_head", 0 if tied else vocab * h)
    read = tuple(k for k in (*REQUIRED_KEYS, *_OPTIONAL) if k in config)
    return decoder_architecture(
        r, t, dims, model_type=model_type, family="generic",
        counted_class="a generic Llama-like decoder (approximation: the model_type is not one counted exactly)",
        approximate=True, keys_read=read,
    )
