"""LFM2 (Liquid AI): short-convolution layers among GQA attention layers, and its LFM2-VL wrapper.

A ``conv`` layer projects to three times the width (gates and input), runs a depthwise causal
convolution of ``conv_L_cache`` taps and projects back (biases when ``conv_bias``); it keeps no KV
cache but a convolution state of ``hidden_size × (conv_L_cache − 1)`` elements per sequence, as
vLLM allocates it. Attention layers are bias-free with per-head QK LayerNorms (``head_dim``
weights each). Every layer has an ``operator_norm`` and an ``ffn_norm`` and a SwiGLU MLP whose
width transformers derives from ``block_ff_dim`` / ``intermediate_size``: two thirds of it when
``block_auto_adjust_ff_dim``, times ``block_ffn_dim_multiplier``, rounded up to
``block_multiple_of``. The final norm is ``embedding_norm``; the head is tied by default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from model_scorecard.calc.architecture.model import (
    CONV,
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
    read_decoder_dims,
    read_layer_types,
    split_head_dim,
)
from model_scorecard.calc.architecture.vision import siglip_vision_params, sub_config

# Lfm2Config's defaults (transformers 5.25), for the fields read here.
_LFM2 = {
    "vocab_size": 65536, "hidden_size": 2560, "intermediate_size": 12288, "num_hidden_layers": 32,
    "num_attention_heads": 32, "num_key_value_heads": 8, "max_position_embeddings": 128000,
    "tie_word_embeddings": True, "conv_bias": False, "conv_L_cache": 3, "block_multiple_of": 256,
    "block_ffn_dim_multiplier": 1.0, "block_auto_adjust_ff_dim": True, "full_attn_idxs": None,
}  # fmt: skip


def _ff_width(r: Reader) -> int:
    width = r.integer("block_ff_dim", "intermediate_size")
    if r.boolean("block_auto_adjust_ff_dim"):
        width = int(2 * width / 3)
        multiplier = r.raw("block_ffn_dim_multiplier")
        if multiplier is not None:
            if isinstance(multiplier, bool) or not isinstance(multiplier, (int, float)) or not 0 < multiplier <= 64:
                raise InvalidArchitectureConfig(f"{r.prefix}block_ffn_dim_multiplier must be a positive number, got "
                                                f"{multiplier!r}", r.prefix + "block_ffn_dim_multiplier")
            width = int(multiplier * width)
        step = r.integer("block_multiple_of")
        width = step * ((width + step - 1) // step)
    if width < 1:
        raise InvalidArchitectureConfig(f"{r.prefix}intermediate_size leaves an MLP of width {width}",
                                        r.prefix + "intermediate_size")
    return width


def _layer_types(r: Reader, n: int) -> tuple[str, ...]:
    def listed_full() -> list[str]:
        full = r.config.get("full_attn_idxs")
        full = set(range(n)) if full is None else set(r.int_list("full_attn_idxs"))
        return [FULL_ATTENTION if i in full else CONV for i in range(n)]

    return read_layer_types(r, n, listed_full, (CONV, FULL_ATTENTION), located=True)


def _lfm2_text(r: Reader, tied: bool) -> tuple[Tally, DecoderDims, dict[str, Any]]:
    n, h, heads, kv, d, vocab, _, _ = read_decoder_dims(r, split_head_dim, intermediate=False, tied=False)
    ff = _ff_width(r)
    bias = r.boolean("conv_bias")
    taps = r.integer("conv_L_cache")
    layer_types = _layer_types(r, n)
    n_attn = layer_types.count(FULL_ATTENTION)
    n_conv = n - n_attn

    t = Tally()
    t.add("embeddings", vocab * h)
    conv = linear_params(h, 3 * h, bias) + h * taps + (h if bias else 0) + linear_params(h, h, bias)
    t.add("attention", n_attn * attention_params(h, heads, kv, d, False) + n_conv * conv)
    t.add("norms", n * 2 * h + h + n_attn * 2 * d)
    t.add("mlp", n * 3 * h * ff)
    t.add("lm_head", 0 if tied else vocab * h)
    return t, DecoderDims(n, h, heads, kv, d, vocab, ff, tied), {
        "layer_types": layer_types, "conv_state_elements": n_conv * h * (taps - 1),
        "max_position_embeddings": r.opt_integer("max_position_embeddings"),
    }


def build_lfm2(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``Lfm2ForCausalLM``."""
    r = Reader(config, _LFM2)
    tied = r.boolean("tie_word_embeddings", "tie_embedding")
    t, dims, fields = _lfm2_text(r, tied)
    return decoder_architecture(r, t, dims, model_type=model_type, family="lfm2", counted_class="Lfm2ForCausalLM",
                                **fields)


def build_lfm2_vl(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``Lfm2VlForConditionalGeneration``: the LFM2 text model (tied by the top-level
    ``tie_word_embeddings``, default true), a SigLIP 2 vision tower and the projector -- an
    optional LayerNorm over ``downsample_factor``² patches, then two linear layers (biased when
    ``projector_bias``) through ``projector_hidden_size`` to the text width."""
    top = Reader(config, {"tie_word_embeddings": True, "projector_hidden_size": 2560, "projector_bias": True,
                          "projector_use_layernorm": True, "downsample_factor": 2})
    tied = top.boolean("tie_word_embeddings")
    r = Reader(sub_config(config, "text_config"), _LFM2, "text_config.")
    t, dims, fields = _lfm2_text(r, tied)
    text_total = t.total
    vision, width, vision_defaults = siglip_vision_params(sub_config(config, "vision_config"), siglip2=True)
    merged = width * top.integer("downsample_factor") ** 2
    hidden, bias = top.integer("projector_hidden_size"), top.boolean("projector_bias")
    vision += (2 * merged if top.boolean("projector_use_layernorm") else 0)
    vision += linear_params(merged, hidden, bias) + linear_params(hidden, dims.hidden, bias)
    t.add("vision", vision)
    return decoder_architecture(
        r, t, dims, model_type=model_type, family="lfm2_vl",
        counted_class="Lfm2VlForConditionalGeneration (vision tower and projector included)",
        active_params=t.total - vision, defaults_before=top.defaults_used, defaults_after=vision_defaults,
        text_params=text_total, **fields,
    )
