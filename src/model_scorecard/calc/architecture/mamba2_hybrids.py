"""Mamba-2 hybrids: IBM Granite 4.0 (``granitemoehybrid``) and TII Falcon-H1 (``falcon_h1``).

Granite 4.0 stacks Mamba-2 layers and a few attention layers (``layer_types``), each followed by a
shared SwiGLU MLP and, in the MoE sizes, routed experts beside it. Falcon-H1 runs attention and a
Mamba-2 mixer side by side in every layer, then a SwiGLU MLP; its μP multipliers scale activations
and hold no weights.

A Mamba-2 mixer keeps no KV cache. Per sequence it holds, as vLLM allocates it, a convolution
state of ``conv_dim × (d_conv − 1)`` elements (conv_dim = d_inner + 2·n_groups·d_state) and an SSM
state of ``heads × head_dim × d_state``, whatever the context; the attention layers cache
``2 × kv_heads × head_dim`` elements per token.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from model_scorecard.calc.architecture.mamba import mamba2_mixer_params
from model_scorecard.calc.architecture.model import (
    FULL_ATTENTION,
    MAMBA,
    Architecture,
    InvalidArchitectureConfig,
)
from model_scorecard.calc.architecture.reader import (
    DecoderDims,
    Reader,
    Tally,
    attention_params,
    decoder_architecture,
    gated_mlp_params,
    moe_active_params,
    moe_fields,
    read_decoder_dims,
    read_kv_heads,
)


def _mamba2_widths(r: Reader, h: int, d_inner: int) -> dict[str, int]:
    """The Mamba-2 mixer's head count, head width, groups, state and kernel, checked the way the
    transformers configuration classes check them (``mamba_d_head`` "auto": d_inner / heads)."""
    heads, groups = r.integer("mamba_n_heads"), r.integer("mamba_n_groups")
    d_state, kernel = r.integer("mamba_d_state"), r.integer("mamba_d_conv")
    if d_inner % heads:
        raise InvalidArchitectureConfig(f"mamba_n_heads {heads} does not divide the Mamba width {d_inner:,}",
                                        "mamba_n_heads")
    head_dim = d_inner // heads if r.raw("mamba_d_head") == "auto" else r.integer("mamba_d_head")
    if head_dim * heads != d_inner:
        raise InvalidArchitectureConfig(f"mamba_d_head {head_dim} x mamba_n_heads {heads} must equal the Mamba "
                                        f"width {d_inner:,}", "mamba_d_head")
    if d_inner % groups:
        raise InvalidArchitectureConfig(f"mamba_n_groups {groups} does not divide the Mamba width {d_inner:,}",
                                        "mamba_n_groups")
    return {"heads": heads, "head_dim": head_dim, "groups": groups, "d_state": d_state, "kernel": kernel,
            "conv_dim": d_inner + 2 * groups * d_state}


def _head_dim(r: Reader, h: int, heads: int) -> int:
    """An explicit ``head_dim`` when the config stores one (the attention reads it as an attribute),
    else hidden_size // num_attention_heads."""
    if r.config.get("head_dim") is not None:
        return r.integer("head_dim")
    if h % heads:
        raise InvalidArchitectureConfig(f"hidden_size {h} is not a multiple of num_attention_heads {heads} and the "
                                        "config gives no head_dim", "hidden_size")
    return h // heads


# GraniteMoeHybridConfig's defaults (transformers 5.25), for the fields read here.
_GRANITE_HYBRID = {
    "vocab_size": 32000, "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32,
    "num_attention_heads": 32, "num_key_value_heads": None, "max_position_embeddings": 2048,
    "tie_word_embeddings": False, "attention_bias": False, "num_local_experts": 8, "num_experts_per_tok": 2,
    "shared_intermediate_size": 1024, "mamba_n_heads": 128, "mamba_n_groups": 1, "mamba_d_state": 256,
    "mamba_d_head": "auto", "mamba_d_conv": 4, "mamba_expand": 2, "mamba_conv_bias": True, "mamba_proj_bias": False,
}  # fmt: skip
#: The layer kinds Granite 4.0 configs name (transformers maps the legacy "mamba"/"attention").
_GRANITE_KINDS = {"mamba": MAMBA, "linear_attention": MAMBA, "attention": FULL_ATTENTION,
                  "full_attention": FULL_ATTENTION}


def _granite_layers(r: Reader, n: int) -> tuple[str, ...]:
    key = "layer_types" if "layer_types" in r.config else "layers_block_type"
    given = r.config.get(key)
    if given is None:  # GraniteMoeHybridConfig: every layer Mamba
        return (MAMBA,) * n
    if not isinstance(given, list) or len(given) != n or any(t not in _GRANITE_KINDS for t in given):
        raise InvalidArchitectureConfig(f"{key} must list 'mamba' or 'attention' for each of the {n} layers", key)
    return tuple(_GRANITE_KINDS[t] for t in given)


def build_granitemoehybrid(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``GraniteMoeHybridForCausalLM`` (Granite 4.0 H and the attention-only Granite 4.0 Micro):
    per layer two RMSNorms, either a Mamba-2 mixer (``mamba`` in ``layer_types``; d_inner =
    ``mamba_expand`` x hidden, in/out projections biased when ``mamba_proj_bias``, a gated RMSNorm)
    or GQA attention without positional encoding (biased when ``attention_bias``), then a shared
    SwiGLU MLP ``shared_intermediate_size`` wide and, when ``num_local_experts`` > 0, a bias-free
    router and that many SwiGLU experts ``intermediate_size`` wide. A final RMSNorm; the head is
    untied unless ``tie_word_embeddings``."""
    r = Reader(config, _GRANITE_HYBRID)
    n = r.integer("num_hidden_layers")
    kinds = _granite_layers(r, n)
    h = r.integer("hidden_size")
    heads = r.integer("num_attention_heads")
    kv = read_kv_heads(r, heads)
    d = _head_dim(r, h, heads)
    vocab = r.integer("vocab_size")
    tied = r.boolean("tie_word_embeddings")
    bias = r.boolean("attention_bias")
    experts = r.integer("num_local_experts", minimum=0)
    k = r.integer("num_experts_per_tok", minimum=0 if experts == 0 else 1)
    if experts and k > experts:
        raise InvalidArchitectureConfig(f"num_experts_per_tok {k} exceeds num_local_experts {experts}",
                                        "num_experts_per_tok")
    inter = r.integer("intermediate_size")
    shared = r.integer("shared_intermediate_size")
    d_inner = r.integer("mamba_expand") * h
    w = _mamba2_widths(r, h, d_inner)
    n_attn, n_mamba = kinds.count(FULL_ATTENTION), kinds.count(MAMBA)
    proj_bias = r.boolean("mamba_proj_bias")
    mixer = mamba2_mixer_params(h, d_inner, w["conv_dim"], w["heads"], w["kernel"], proj_bias,
                                r.boolean("mamba_conv_bias"), proj_bias)

    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n_attn * attention_params(h, heads, kv, d, bias) + n_mamba * mixer)
    t.add("norms", n * 2 * h + h + n_mamba * d_inner)
    moe_layers = tuple(range(n)) if experts else ()
    per_expert = 3 * h * inter
    t.add("shared_experts" if experts else "mlp", n * 3 * h * shared)
    t.add("router", len(moe_layers) * h * experts)
    t.add("experts", len(moe_layers) * experts * per_expert)
    t.add("lm_head", 0 if tied else vocab * h)
    return decoder_architecture(
        r, t, DecoderDims(n, h, heads, kv, d, vocab, None if experts else shared, tied), model_type=model_type,
        family="granitemoehybrid", counted_class="GraniteMoeHybridForCausalLM", layer_types=kinds,
        active_params=moe_active_params(t.total, t, n, k, per_expert) if moe_layers else t.total,
        conv_state_elements=n_mamba * w["conv_dim"] * (w["kernel"] - 1),
        recurrent_state_elements=n_mamba * w["heads"] * w["head_dim"] * w["d_state"],
        **moe_fields(moe_layers, experts, k, inter, shared=1, shared_width=shared),
    )


# FalconH1Config's defaults (transformers 5.25), for the fields read here.
_FALCON_H1 = {
    "vocab_size": 128000, "tie_word_embeddings": False, "hidden_size": 4096, "intermediate_size": 14336,
    "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8, "max_position_embeddings": 8192,
    "mamba_d_ssm": 1024, "mamba_n_heads": 128, "mamba_d_head": "auto", "mamba_n_groups": 1, "mamba_d_state": 256,
    "mamba_d_conv": 4, "mamba_expand": 2, "mamba_conv_bias": True, "mamba_proj_bias": False, "mamba_rms_norm": False,
    "projectors_bias": False, "attention_bias": False, "mlp_bias": False,
}  # fmt: skip


def build_falcon_h1(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``FalconH1ForCausalLM``: in every layer an RMSNorm feeding GQA attention (``head_dim`` wide
    heads when the config says, biased when ``attention_bias``) and a Mamba-2 mixer side by side
    (d_inner = ``mamba_d_ssm``, or ``mamba_expand`` x hidden when that is null; in_proj biased when
    ``mamba_proj_bias``, out_proj when ``projectors_bias``; a gated RMSNorm only when
    ``mamba_rms_norm``), then a second RMSNorm and a SwiGLU MLP (biased when ``mlp_bias``). A final
    RMSNorm; the head is untied unless ``tie_word_embeddings``. Every layer caches keys and values
    and keeps a Mamba-2 state."""
    r = Reader(config, _FALCON_H1)
    dims = n, h, heads, kv, d, vocab, inter, tied = read_decoder_dims(r, _head_dim)
    assert inter is not None
    d_ssm = r.opt_integer("mamba_d_ssm")
    d_inner = d_ssm if d_ssm is not None else r.integer("mamba_expand") * h
    w = _mamba2_widths(r, h, d_inner)
    gated_norm = r.boolean("mamba_rms_norm")
    mixer = mamba2_mixer_params(h, d_inner, w["conv_dim"], w["heads"], w["kernel"], r.boolean("mamba_proj_bias"),
                                r.boolean("mamba_conv_bias"), r.boolean("projectors_bias"))
    mlp_bias = r.boolean("mlp_bias")

    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * (attention_params(h, heads, kv, d, r.boolean("attention_bias")) + mixer))
    t.add("mlp", n * gated_mlp_params(h, inter, mlp_bias))
    t.add("norms", n * (2 * h + (d_inner if gated_norm else 0)) + h)
    t.add("lm_head", 0 if tied else vocab * h)
    return decoder_architecture(
        r, t, dims, model_type=model_type, family="falcon_h1", counted_class="FalconH1ForCausalLM",
        # every layer attends: its Mamba-2 state is in the *_state_elements
        conv_state_elements=n * w["conv_dim"] * (w["kernel"] - 1),
        recurrent_state_elements=n * w["heads"] * w["head_dim"] * w["d_state"],
    )
