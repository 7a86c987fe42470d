"""Vision towers and projectors of multimodal checkpoints, counted from their ``vision_config``.

A serving engine loads a multimodal checkpoint whole, so its memory holds these parameters
too; the families that wrap a text model (gemma3, qwen3_5, ...) add them to ``total_params``
and report the text model alone as ``text_params``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from model_scorecard.calc.architecture.model import InvalidArchitectureConfig
from model_scorecard.calc.architecture.reader import Reader, linear_params, split_head_dim


def sub_config(config: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """A nested config (``text_config``, ``vision_config``): {} when absent or null."""
    value = config.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidArchitectureConfig(f"{key} must be a JSON object", key)
    return value


def _layer_norm(width: int) -> int:
    return 2 * width  # weight and bias


def _vit_block(h: int, inter: int) -> int:
    """A pre-norm ViT block: two LayerNorms, biased q/k/v/out projections and a biased 2-layer MLP."""
    return 2 * _layer_norm(h) + 4 * linear_params(h, h, True) + linear_params(h, inter, True) + linear_params(inter, h, True)


def _vit_widths(r: Reader) -> tuple[int, int, int]:
    """A vision tower's ``hidden_size``, ``intermediate_size`` and ``num_hidden_layers``, its
    ``num_attention_heads`` checked to divide the width."""
    h, inter, layers = r.integer("hidden_size"), r.integer("intermediate_size"), r.integer("num_hidden_layers")
    split_head_dim(r, h, r.integer("num_attention_heads"))
    return h, inter, layers


# SiglipVisionConfig's defaults (transformers 5.25): what Gemma3Config builds when vision_config is absent.
_SIGLIP = {
    "hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12, "num_attention_heads": 12,
    "num_channels": 3, "image_size": 224, "patch_size": 16, "vision_use_head": True,
}  # fmt: skip


_SIGLIP2 = {**_SIGLIP, "num_patches": 256}


def siglip_vision_params(vision: Mapping[str, Any], prefix: str = "vision_config.",
                         siglip2: bool = False) -> tuple[int, int, list[str]]:
    """``SiglipVisionModel`` (or ``Siglip2VisionModel``): (parameters, width, defaults used).

    Patch convolution with bias (SigLIP 2: a biased linear layer over flattened patches, the
    same count), one learned position per patch (SigLIP 2: ``num_patches`` of them),
    ``num_hidden_layers`` ViT blocks, a final LayerNorm and, when ``vision_use_head``, the
    attention-pooling head (a probe, a biased multi-head attention, a LayerNorm and an MLP)."""
    r = Reader(vision, _SIGLIP2 if siglip2 else _SIGLIP, prefix)
    h, inter, layers = _vit_widths(r)
    channels = r.integer("num_channels")
    if siglip2:
        patch, positions = r.integer("patch_size"), r.integer("num_patches")
    else:
        image, patch = r.integer("image_size"), r.integer("patch_size")
        positions = (image // patch) ** 2
    total = linear_params(channels * patch * patch, h, True) + positions * h
    total += layers * _vit_block(h, inter) + _layer_norm(h)
    if r.boolean("vision_use_head"):
        total += h + 3 * h * h + 3 * h + linear_params(h, h, True) + _layer_norm(h)
        total += linear_params(h, inter, True) + linear_params(inter, h, True)
    return total, h, r.defaults_used


# Qwen3_5VisionConfig's defaults (transformers 5.25; the MoE variant's are the same).
_QWEN3_5_VISION = {
    "depth": 27, "hidden_size": 1152, "intermediate_size": 4304, "num_heads": 16, "in_channels": 3,
    "patch_size": 16, "spatial_merge_size": 2, "temporal_patch_size": 2, "out_hidden_size": 3584,
    "num_position_embeddings": 2304,
}  # fmt: skip


def qwen3_5_vision_params(vision: Mapping[str, Any], prefix: str = "vision_config.") -> tuple[int, list[str]]:
    """The Qwen3.5 vision encoder and its patch merger: (parameters, defaults used).

    A 3-D patch convolution with bias (``temporal_patch_size`` frames × ``patch_size``²), a
    table of ``num_position_embeddings`` learned positions, ``depth`` ViT blocks (fused qkv, the
    same count as four projections) and the merger: a LayerNorm, then a biased 2-layer MLP from
    ``spatial_merge_size``² patches to the text model's ``out_hidden_size``."""
    r = Reader(vision, _QWEN3_5_VISION, prefix)
    h = r.integer("hidden_size")
    inter = r.integer("intermediate_size")
    depth = r.integer("depth")
    heads = r.integer("num_heads")
    if h % heads:
        raise InvalidArchitectureConfig(f"{prefix}hidden_size {h} is not a multiple of num_heads {heads}",
                                        prefix + "hidden_size")
    channels, patch, frames = r.integer("in_channels"), r.integer("patch_size"), r.integer("temporal_patch_size")
    merge = r.integer("spatial_merge_size")
    out = r.integer("out_hidden_size")
    positions = r.integer("num_position_embeddings")
    merged = h * merge * merge
    total = linear_params(channels * frames * patch * patch, h, True) + positions * h
    total += depth * _vit_block(h, inter)
    total += _layer_norm(h) + linear_params(merged, merged, True) + linear_params(merged, out, True)
    return total, r.defaults_used


# PixtralVisionConfig's defaults (transformers 5.25).
_PIXTRAL = {
    "hidden_size": 1024, "intermediate_size": 4096, "num_hidden_layers": 24, "num_attention_heads": 16,
    "num_channels": 3, "patch_size": 16,
}  # fmt: skip


def pixtral_vision_params(vision: Mapping[str, Any], prefix: str = "vision_config.") -> tuple[int, int, list[str]]:
    """``PixtralVisionModel``: (parameters, width, defaults used). A bias-free patch convolution,
    an RMSNorm before the blocks, and ``num_hidden_layers`` blocks of two RMSNorms, bias-free
    q/k/v/o (``hidden_size`` wide) and a bias-free SwiGLU MLP; positions are rotary (no table)."""
    r = Reader(vision, _PIXTRAL, prefix)
    h, inter, layers = _vit_widths(r)
    channels, patch = r.integer("num_channels"), r.integer("patch_size")
    total = channels * patch * patch * h + h + layers * (2 * h + 4 * h * h + 3 * h * inter)
    return total, h, r.defaults_used
