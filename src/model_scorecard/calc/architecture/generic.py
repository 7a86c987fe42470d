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
from types import MappingProxyType
from typing import Any

from model_scorecard.calc.architecture.model import FULL_ATTENTION, Architecture
from model_scorecard.calc.architecture.reader import (
    Reader,
    Tally,
    linear_params,
    read_head_dim,
    read_kv_heads,
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
    n = r.integer("num_hidden_layers")
    h = r.integer("hidden_size")
    heads = r.integer("num_attention_heads")
    kv = read_kv_heads(r, heads)
    d = read_head_dim(r, h, heads)
    vocab = r.integer("vocab_size")
    inter = r.integer("intermediate_size")
    tied = r.boolean("tie_word_embeddings")
    qkv_bias = r.boolean("attention_bias")
    mlp_bias = r.boolean("mlp_bias")

    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * (linear_params(h, heads * d, qkv_bias) + 2 * linear_params(h, kv * d, qkv_bias)
                            + linear_params(heads * d, h, qkv_bias)))
    t.add("mlp", n * (2 * linear_params(h, inter, mlp_bias) + linear_params(inter, h, mlp_bias)))
    t.add("norms", n * 2 * h + h)
    t.add("lm_head", 0 if tied else vocab * h)
    read = tuple(k for k in (*REQUIRED_KEYS, *_OPTIONAL) if k in config)
    return Architecture(
        model_type=model_type,
        family="generic",
        counted_class="a generic Llama-like decoder (approximation: the model_type is not one counted exactly)",
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
        total_params=t.total,
        active_params=t.total,
        param_breakdown=MappingProxyType(dict(t.parts)),
        defaults_used=tuple(r.defaults_used),
        approximate=True,
        keys_read=read,
    )
