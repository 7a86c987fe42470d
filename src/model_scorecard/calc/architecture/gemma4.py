"""Gemma 4 (``gemma4``, ``gemma4_text``): sliding and global layers of different widths, an
optional MoE block beside the dense MLP, and the Gemma 4 vision tower."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from model_scorecard.calc.architecture.model import (
    FULL_ATTENTION,
    SLIDING_ATTENTION,
    Architecture,
    InvalidArchitectureConfig,
)
from model_scorecard.calc.architecture.reader import (
    DecoderDims,
    Reader,
    Tally,
    decoder_architecture,
    linear_params,
    moe_active_params,
    moe_fields,
)
from model_scorecard.calc.architecture.vision import sub_config

# Gemma4TextConfig's and Gemma4VisionConfig's defaults (transformers 5.25), for the fields read here.
_TEXT = {
    "vocab_size": 262144, "hidden_size": 2304, "intermediate_size": 9216, "num_hidden_layers": 30,
    "num_attention_heads": 8, "num_key_value_heads": 4, "head_dim": 256, "global_head_dim": 512,
    "num_global_key_value_heads": None, "max_position_embeddings": 131072, "tie_word_embeddings": True,
    "attention_bias": False, "sliding_window": 512, "attention_k_eq_v": False, "hidden_size_per_layer_input": 256,
    "num_kv_shared_layers": 0, "enable_moe_block": False, "num_experts": None, "top_k_experts": None,
    "moe_intermediate_size": None, "use_bidirectional_attention": None, "vocab_size_per_layer_input": 262144,
    "use_double_wide_mlp": False,
}  # fmt: skip
_VISION = {
    "hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 16, "num_attention_heads": 12,
    "num_key_value_heads": 12, "head_dim": 64, "patch_size": 16, "position_embedding_size": 10240,
}  # fmt: skip


def _layer_types(r: Reader, n: int) -> tuple[str, ...]:
    given = r.config.get("layer_types")
    if given is None:  # five sliding layers, then a global one
        types = [SLIDING_ATTENTION if (i + 1) % 6 else FULL_ATTENTION for i in range(n)]
    elif isinstance(given, list) and len(given) == n and all(t in (FULL_ATTENTION, SLIDING_ATTENTION) for t in given):
        types = list(given)
    else:
        raise InvalidArchitectureConfig(f"{r.prefix}layer_types must list full_attention or sliding_attention for "
                                        f"each of the {n} layers", r.prefix + "layer_types")
    types[-1] = FULL_ATTENTION  # Gemma4TextConfig forces the last layer global
    return tuple(types)


def _text(r: Reader, model_type: str, counted: str) -> Architecture:
    """Gemma4TextModel and its head. Sliding layers: q/k/v/o of ``head_dim`` heads
    (``num_key_value_heads`` KV heads); global layers: ``global_head_dim`` heads, with
    ``num_global_key_value_heads`` KV heads and no v_proj (values are the keys) when
    ``attention_k_eq_v``. Each layer: q_norm and k_norm of its head width (v_norm has no
    weight), four RMSNorms, a GeGLU MLP; with ``enable_moe_block`` also a router (projection,
    a scale per width and per expert), ``num_experts`` experts ``moe_intermediate_size`` wide and
    three more RMSNorms.

    Gemma 4 E2B/E4B add per-layer input embeddings (``hidden_size_per_layer_input`` p > 0: a
    ``vocab_size_per_layer_input`` x (layers x p) table, a hidden → layers x p projection and its
    p-wide norm; in each layer a hidden → p gate, a p → hidden projection and a norm) and
    ``num_kv_shared_layers`` final layers that reuse the keys and values of the last earlier
    layer of their type: no k/v projections or k_norm, no cache of their own, and with
    ``use_double_wide_mlp`` an MLP twice as wide."""
    n = r.integer("num_hidden_layers")
    h = r.integer("hidden_size")
    heads = r.integer("num_attention_heads")
    kv, d, d_g = r.integer("num_key_value_heads"), r.integer("head_dim"), r.integer("global_head_dim")
    k_eq_v = r.boolean("attention_k_eq_v")
    kv_g = (r.opt_integer("num_global_key_value_heads") if k_eq_v else None) or kv
    vocab, inter = r.integer("vocab_size"), r.integer("intermediate_size")
    tied = r.boolean("tie_word_embeddings")
    bias = r.boolean("attention_bias")
    types = _layer_types(r, n)
    n_slide = types.count(SLIDING_ATTENTION)
    shared = _kv_shared_layers(r, types)
    per_layer_width = r.integer("hidden_size_per_layer_input", minimum=0)
    double_wide = r.boolean("use_double_wide_mlp")

    def attention(width: int, kv_heads: int, has_v: bool, has_kv: bool) -> int:
        kv_proj = linear_params(h, kv_heads * width, bias) * (2 if has_v else 1) if has_kv else 0
        return linear_params(h, heads * width, bias) + kv_proj + linear_params(heads * width, h, bias)

    t = Tally()
    t.add("embeddings", vocab * h)
    norms = n * 4 * h + h
    for i, kind in enumerate(types):
        width, own_kv = (d, True) if kind == SLIDING_ATTENTION else (d_g, not k_eq_v)
        reuses = i in shared
        t.add("attention", attention(width, kv if kind == SLIDING_ATTENTION else kv_g, own_kv, not reuses))
        norms += width * (1 if reuses else 2)  # q_norm; k_norm unless the layer reuses another's keys
        t.add("mlp", 3 * h * inter * (2 if reuses and double_wide else 1))
    if per_layer_width:
        t.add("embeddings", r.integer("vocab_size_per_layer_input") * n * per_layer_width
              + h * n * per_layer_width)  # the per-layer table and the model's projection into it
        t.add("mlp", n * 2 * h * per_layer_width)  # each layer's gate and projection back
        norms += per_layer_width + n * h
    moe = r.boolean("enable_moe_block")
    experts = k = moe_inter = None
    if moe:
        experts, k, moe_inter = r.integer("num_experts"), r.integer("top_k_experts"), r.integer("moe_intermediate_size")
        if k > experts:
            raise InvalidArchitectureConfig(f"{r.prefix}top_k_experts {k} is more than num_experts {experts}",
                                            r.prefix + "top_k_experts")
        t.add("router", n * (h * experts + h + experts))
        t.add("experts", n * experts * 3 * h * moe_inter)
        norms += n * 3 * h
    t.add("norms", norms)
    t.add("lm_head", 0 if tied else vocab * h)
    window = r.integer("sliding_window")
    if r.raw("use_bidirectional_attention") == "all":
        window = window // 2 + 1  # as Gemma4TextConfig.__post_init__ does
    return decoder_architecture(
        r, t, DecoderDims(n, h, heads, kv, d, vocab, inter, tied), model_type=model_type, family="gemma4",
        counted_class=counted, sliding_window=window if n_slide else None, layer_types=types,
        active_params=moe_active_params(t.total, t, n, k, 3 * h * moe_inter) if moe else t.total,
        global_num_kv_heads=kv_g, global_head_dim=d_g, global_values_are_keys=k_eq_v, kv_shared_layers=shared,
        double_wide_mlp_layers=tuple(shared) if double_wide else (),
        **moe_fields(range(n) if moe else (), experts, k, moe_inter),
    )


def _kv_shared_layers(r: Reader, types: tuple[str, ...]) -> tuple[int, ...]:
    """The last ``num_kv_shared_layers`` layers; each reuses the cache of the last earlier layer of its
    type, so every type among them needs such a layer (Gemma4TextConfig refuses the config else)."""
    n = len(types)
    count = r.integer("num_kv_shared_layers", minimum=0)
    if count > n:
        raise InvalidArchitectureConfig(f"{r.prefix}num_kv_shared_layers {count} is more than the {n} layers",
                                        r.prefix + "num_kv_shared_layers")
    first = n - count
    if 0 < first and set(types[:first]) != set(types):
        raise InvalidArchitectureConfig(f"{r.prefix}num_kv_shared_layers {count}: a shared layer's type has no "
                                        "earlier layer to take its keys and values from",
                                        r.prefix + "num_kv_shared_layers")
    return tuple(range(first, n))


def _vision(config: Mapping[str, Any], text_width: int) -> tuple[int, tuple[str, ...]]:
    """The Gemma 4 vision tower and its embedder: a bias-free patch projection (3·patch² → width),
    a 2 x ``position_embedding_size`` x width position table, pre/post-norm blocks (bias-free
    q/k/v/o, q_norm and k_norm of ``head_dim``, a GeGLU MLP, four RMSNorms), no final norm; the
    embedder projects width → text width without a bias (its norm has no weight)."""
    r = Reader(config, _VISION, prefix="vision_config.")
    w, inter, layers = r.integer("hidden_size"), r.integer("intermediate_size"), r.integer("num_hidden_layers")
    heads, kv, d = r.integer("num_attention_heads"), r.integer("num_key_value_heads"), r.integer("head_dim")
    patch, positions = r.integer("patch_size"), r.integer("position_embedding_size")
    block = 2 * w * heads * d + 2 * w * kv * d + 2 * d + 3 * w * inter + 4 * w
    return 3 * patch * patch * w + 2 * positions * w + layers * block + w * text_width, tuple(r.defaults_used)


def build_gemma4_text(config: Mapping[str, Any], model_type: str) -> Architecture:
    return _text(Reader(config, _TEXT), model_type, "Gemma4ForCausalLM")


def build_gemma4(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``Gemma4ForConditionalGeneration``: the whole checkpoint -- text model, vision tower and
    embedder -- with the text model as ``text_params``. The output head is tied by the top-level
    ``tie_word_embeddings`` (default true). An audio tower (``audio_config``, Gemma 4 E2B/E4B) is
    not counted yet, so such a config is refused."""
    if config.get("audio_config") is not None:
        raise InvalidArchitectureConfig("audio_config is set: Gemma 4's audio tower is not counted yet", "audio_config")
    top = Reader(config, {"tie_word_embeddings": True})
    text = {**sub_config(config, "text_config"), "tie_word_embeddings": top.boolean("tie_word_embeddings")}
    counted = "Gemma4ForConditionalGeneration (vision tower and embedder included)"
    arch = _text(Reader(text, _TEXT, prefix="text_config."), model_type, counted)
    if config.get("vision_config") is None:
        return arch
    vision, vision_defaults = _vision(sub_config(config, "vision_config"), arch.hidden_size)
    parts = {**arch.param_breakdown, "vision": vision}
    return replace(arch, total_params=arch.total_params + vision, param_breakdown=MappingProxyType(parts),
                   text_params=arch.total_params,
                   defaults_used=(*top.defaults_used, *arch.defaults_used, *vision_defaults))
