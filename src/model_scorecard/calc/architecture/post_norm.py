"""Post-norm decoders with QK norms: OLMo 2, OLMo 3 and EXAONE 4.

Each layer normalises the outputs of attention and of the MLP (``post_attention_layernorm``,
``post_feedforward_layernorm``: two RMSNorm weights per layer, no input norm) and its queries
and keys. OLMo 2/3 normalise across all heads (``num_heads·head_dim`` and
``num_kv_heads·head_dim`` weights); EXAONE 4 per head (``head_dim`` each). The MLP is SwiGLU.
OLMo 3 and EXAONE 4 slide a ``sliding_window`` on three layers in four (``layer_types``);
OLMo 2 attends globally everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from model_scorecard.calc.architecture.model import (
    FULL_ATTENTION,
    SLIDING_ATTENTION,
    Architecture,
)
from model_scorecard.calc.architecture.reader import (
    Reader,
    Tally,
    linear_params,
    read_head_dim,
    read_kv_heads,
    read_layer_types,
)

# Olmo2Config / Olmo3Config / Exaone4Config defaults (transformers 5.25), for the fields read here.
_OLMO2 = {
    "vocab_size": 50304, "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32,
    "num_attention_heads": 32, "num_key_value_heads": None, "max_position_embeddings": 2048,
    "tie_word_embeddings": False, "attention_bias": False,
}  # fmt: skip
_OLMO3 = {**_OLMO2, "sliding_window": 4096}
_EXAONE4 = {
    "vocab_size": 102400, "hidden_size": 4096, "intermediate_size": 16384, "num_hidden_layers": 32,
    "num_attention_heads": 32, "num_key_value_heads": 32, "max_position_embeddings": 2048,
    "tie_word_embeddings": False, "sliding_window": 4096, "sliding_window_pattern": 4,
}  # fmt: skip
_DEFAULTS = {"olmo2": _OLMO2, "olmo3": _OLMO3, "exaone4": _EXAONE4}
_CLASSES = {"olmo2": "Olmo2ForCausalLM", "olmo3": "Olmo3ForCausalLM", "exaone4": "Exaone4ForCausalLM"}


def _layer_types(r: Reader, model_type: str, n: int) -> tuple[tuple[str, ...], int | None]:
    if model_type == "olmo2":
        return (FULL_ATTENTION,) * n, None
    window = r.opt_integer("sliding_window")
    if model_type == "olmo3":
        types = read_layer_types(r, n, lambda: [SLIDING_ATTENTION if (i + 1) % 4 else FULL_ATTENTION
                                                for i in range(n)])
    elif window is None and "layer_types" not in r.config:  # Exaone4Config: no window, no sliding layer
        types = (FULL_ATTENTION,) * n
    else:
        def every_nth_full() -> list[str]:
            pattern = r.integer("sliding_window_pattern")
            return [SLIDING_ATTENTION if (i + 1) % pattern else FULL_ATTENTION for i in range(n)]
        types = read_layer_types(r, n, every_nth_full)
    if window is None or SLIDING_ATTENTION not in types:
        return tuple(FULL_ATTENTION if t == SLIDING_ATTENTION else t for t in types), None
    return types, window


def build_post_norm(config: Mapping[str, Any], model_type: str) -> Architecture:
    r = Reader(config, _DEFAULTS[model_type])
    n = r.integer("num_hidden_layers")
    h = r.integer("hidden_size")
    heads = r.integer("num_attention_heads")
    kv = read_kv_heads(r, heads)
    d = read_head_dim(r, h, heads)  # the attention takes a head_dim when the config has one
    vocab = r.integer("vocab_size")
    inter = r.integer("intermediate_size")
    tied = r.boolean("tie_word_embeddings")
    bias = False if model_type == "exaone4" else r.boolean("attention_bias")

    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * (linear_params(h, heads * d, bias) + 2 * linear_params(h, kv * d, bias)
                            + linear_params(heads * d, h, bias)))
    t.add("mlp", n * 3 * h * inter)
    qk_norms = 2 * d if model_type == "exaone4" else (heads + kv) * d
    t.add("norms", n * (2 * h + qk_norms) + h)
    t.add("lm_head", 0 if tied else vocab * h)
    layer_types, window = _layer_types(r, model_type, n)
    return Architecture(
        model_type=model_type,
        family=model_type,
        counted_class=_CLASSES[model_type],
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
        sliding_window=window,
        layer_types=layer_types,
        total_params=t.total,
        active_params=t.total,
        param_breakdown=MappingProxyType(dict(t.parts)),
        defaults_used=tuple(r.defaults_used),
    )

