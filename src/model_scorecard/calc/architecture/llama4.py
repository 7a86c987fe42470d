"""Llama 4 (Scout, Maverick): chunked attention, MoE with a shared expert, and the vision tower.

``Llama4ForConditionalGeneration`` is what the checkpoints hold and what a serving engine
loads, so ``total_params`` is the whole of it; ``text_params`` is the language model alone.

Text layers: q/k/v/o (biases when ``attention_bias``; the QK norm is an L2 norm without
weights); MoE in the layers of ``moe_layers`` (by default every ``interleave_moe_layer_step``-th,
counting from ``step - 1``) -- ``num_local_experts`` SwiGLU experts ``intermediate_size`` wide, a
bias-free router and one shared expert of the same width -- and a dense SwiGLU MLP
``intermediate_size_mlp`` wide elsewhere. Layers that use RoPE (``no_rope_layers[i]`` = 1; by
default all but every ``no_rope_layer_interval``-th) attend within ``attention_chunk_size``-token
chunks and hold at most one chunk; the others are global.

Vision: an unfold "convolution" without bias, a class token and one learned position per patch
(plus the class token), pre and post LayerNorms, ``num_hidden_layers`` ViT blocks with biases,
a pixel-shuffle adapter (two bias-free projections) and a bias-free projector to the text width.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from model_scorecard.calc.architecture.model import (
    CHUNKED_ATTENTION,
    FULL_ATTENTION,
    Architecture,
    InvalidArchitectureConfig,
)
from model_scorecard.calc.architecture.reader import (
    DecoderDims,
    Reader,
    Tally,
    attention_params,
    decoder_architecture,
    linear_params,
    moe_active_params,
    moe_fields,
    read_decoder_dims,
    read_layer_types,
    split_head_dim,
    stored_head_dim,
)
from model_scorecard.calc.architecture.vision import sub_config

# Llama4TextConfig / Llama4VisionConfig defaults (transformers 5.25), for the fields read here.
_TEXT = {
    "vocab_size": 202048, "hidden_size": 5120, "intermediate_size": 8192, "intermediate_size_mlp": 16384,
    "num_hidden_layers": 48, "num_attention_heads": 40, "num_key_value_heads": 8, "head_dim": 128,
    "max_position_embeddings": 131072, "num_experts_per_tok": 1, "num_local_experts": 16, "moe_layers": None,
    "interleave_moe_layer_step": 1, "no_rope_layers": None, "no_rope_layer_interval": 4,
    "attention_chunk_size": 8192, "attention_bias": False,
}  # fmt: skip
_VISION = {
    "hidden_size": 768, "num_hidden_layers": 34, "num_attention_heads": 16, "num_channels": 3,
    "intermediate_size": 5632, "vision_output_dim": 7680, "image_size": 448, "patch_size": 14,
    "projector_input_dim": 4096, "projector_output_dim": 4096,
}  # fmt: skip


def _int_flags(r: Reader, key: str, n: int) -> list[int] | None:
    value = r.config.get(key)
    if value is None or value == []:
        return None
    if (not isinstance(value, list) or len(value) != n
            or any(isinstance(v, bool) or not isinstance(v, int) for v in value)):
        raise InvalidArchitectureConfig(f"{r.prefix}{key} must list an integer for each of the {n} layers",
                                        r.prefix + key)
    return value


def _vision_params(vision: Mapping[str, Any], text_hidden: int) -> tuple[int, list[str]]:
    r = Reader(vision, _VISION, "vision_config.")
    h = r.integer("hidden_size")
    layers = r.integer("num_hidden_layers")
    heads = r.integer("num_attention_heads")
    split_head_dim(r, h, heads)
    inter = r.integer("intermediate_size")
    channels, image, patch = r.integer("num_channels"), r.integer("image_size"), r.integer("patch_size")
    adapter_in, adapter_out = r.integer("projector_input_dim"), r.integer("projector_output_dim")
    out = r.integer("vision_output_dim")
    positions = (image // patch) ** 2 + 1  # the patches and the class token
    total = channels * patch * patch * h + h + positions * h + 2 * 2 * h  # unfold linear, class token, pre/post LN
    block = 4 * linear_params(h, h, True) + linear_params(h, inter, True) + linear_params(inter, h, True) + 2 * 2 * h
    total += layers * block
    total += inter * adapter_in + adapter_out * adapter_out  # the pixel-shuffle adapter's two projections
    total += out * text_hidden  # multi_modal_projector.linear_1
    return total, r.defaults_used


def build_llama4(config: Mapping[str, Any], model_type: str) -> Architecture:
    top = Reader(config, {"tie_word_embeddings": False})
    tied = top.boolean("tie_word_embeddings")
    r = Reader(sub_config(config, "text_config"), _TEXT, "text_config.")
    n, h, heads, kv, d, vocab, inter, _ = read_decoder_dims(r, stored_head_dim, tied=False)
    assert inter is not None
    inter_mlp = r.integer("intermediate_size_mlp")
    experts, k = r.integer("num_local_experts"), r.integer("num_experts_per_tok")
    if k > experts:
        raise InvalidArchitectureConfig(f"text_config.num_experts_per_tok {k} exceeds num_local_experts {experts}",
                                        "text_config.num_experts_per_tok")
    bias = r.boolean("attention_bias")
    chunk = r.opt_integer("attention_chunk_size")
    if r.config.get("moe_layers") is not None:
        moe_layers = tuple(sorted({i for i in r.int_list("moe_layers") if 0 <= i < n}))
    else:
        step = r.integer("interleave_moe_layer_step")
        moe_layers = tuple(range(step - 1, n, step))
    ropes = _int_flags(r, "no_rope_layers", n)
    if ropes is None:
        interval = r.integer("no_rope_layer_interval")
        ropes = [int((i + 1) % interval != 0) for i in range(n)]
    layer_types = read_layer_types(
        r, n, lambda: [CHUNKED_ATTENTION if rope and chunk is not None else FULL_ATTENTION for rope in ropes],
        (CHUNKED_ATTENTION, FULL_ATTENTION), located=True,
    )
    if chunk is None:  # no chunk size: transformers attends globally on every layer
        layer_types = (FULL_ATTENTION,) * n

    per_expert = 3 * h * inter
    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * attention_params(h, heads, kv, d, bias))
    t.add("norms", n * 2 * h + h)
    t.add("mlp", (n - len(moe_layers)) * 3 * h * inter_mlp)
    t.add("router", len(moe_layers) * h * experts)
    t.add("experts", len(moe_layers) * experts * per_expert)
    t.add("shared_experts", len(moe_layers) * 3 * h * inter)
    t.add("lm_head", 0 if tied else vocab * h)
    text_total = t.total
    vision, vision_defaults = _vision_params(sub_config(config, "vision_config"), h)
    t.add("vision", vision)
    return decoder_architecture(
        r, t, DecoderDims(n, h, heads, kv, d, vocab, inter_mlp, tied), model_type=model_type, family="llama4",
        counted_class="Llama4ForConditionalGeneration (vision tower and projector included)",
        layer_types=layer_types, active_params=moe_active_params(t.total, t, len(moe_layers), k, per_expert) - vision,
        defaults_before=top.defaults_used, defaults_after=vision_defaults, text_params=text_total,
        attention_chunk_size=chunk if CHUNKED_ATTENTION in layer_types else None,
        **moe_fields(moe_layers, experts, k, inter, shared=1, shared_width=inter),
    )
