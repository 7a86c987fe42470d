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
from typing import Any

from model_scorecard.calc.architecture.model import (
    FULL_ATTENTION,
    SLIDING_ATTENTION,
    Architecture,
)
from model_scorecard.calc.architecture.reader import (
    Reader,
    Tally,
    attention_params,
    decoder_architecture,
    read_decoder_dims,
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
    # the attention takes a head_dim when the config has one
    dims = n, h, heads, kv, d, vocab, inter, tied = read_decoder_dims(r)
    assert inter is not None
    bias = False if model_type == "exaone4" else r.boolean("attention_bias")

    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * attention_params(h, heads, kv, d, bias))
    t.add("mlp", n * 3 * h * inter)
    qk_norms = 2 * d if model_type == "exaone4" else (heads + kv) * d
    t.add("norms", n * (2 * h + qk_norms) + h)
    t.add("lm_head", 0 if tied else vocab * h)
    layer_types, window = _layer_types(r, model_type, n)
    return decoder_architecture(r, t, dims, model_type=model_type, family=model_type,
                                counted_class=_CLASSES[model_type], sliding_window=window, layer_types=layer_types)
