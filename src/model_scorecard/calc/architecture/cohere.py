"""Cohere 2 (Command R7B, Command A): a parallel-block decoder with a sliding-window pattern.

Each ``Cohere2DecoderLayer`` has one LayerNorm (a weight, no bias) feeding attention and the
SwiGLU MLP side by side, whose outputs are added to the residual together. Three layers of four
attend within ``sliding_window`` tokens (with RoPE); the fourth attends to everything, without a
positional embedding. The head is tied by default and the logits are multiplied by
``logit_scale``, a constant that holds no weights.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from model_scorecard.calc.architecture.decoders import DecoderSpec, decode_with_spec
from model_scorecard.calc.architecture.model import Architecture

# Cohere2Config's defaults (transformers 5.25), for the fields read here. ``head_dim`` is not a
# field of the class: hidden_size // num_attention_heads unless config.json stores one, which then
# wins (it is set after Cohere2Config.__post_init__ derives its own).
_COHERE2 = {
    "vocab_size": 256000, "hidden_size": 8192, "intermediate_size": 22528, "num_hidden_layers": 40,
    "num_attention_heads": 64, "num_key_value_heads": None, "max_position_embeddings": 8192,
    "tie_word_embeddings": True, "attention_bias": False, "sliding_window": 4096, "sliding_window_pattern": 4,
}  # fmt: skip

_SPEC = DecoderSpec("Cohere2ForCausalLM", _COHERE2, "attention_bias", "attention_bias", norms_per_layer=1,
                    sliding="gemma3")  # layer_types, else every sliding_window_pattern-th layer global


def build_cohere2(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``Cohere2ForCausalLM``: Llama-shaped projections (q/k/v/o biased when ``attention_bias``, a
    bias-free SwiGLU MLP), one bias-free LayerNorm per layer and a final one; heads of a stored
    ``head_dim``, else hidden_size // num_attention_heads. Layers follow ``layer_types`` when the config lists them,
    else every ``sliding_window_pattern``-th layer (default 4) is global and the others slide."""
    text = {k: v for k, v in config.items() if k != "head_dim" or v is not None}
    return decode_with_spec(text, model_type, "cohere2", _SPEC)
