"""Attention-free Mamba (``mamba``): every layer a selective-SSM mixer with a constant state."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from model_scorecard.calc.architecture.model import (
    MAMBA,
    Architecture,
    InvalidArchitectureConfig,
)
from model_scorecard.calc.architecture.reader import DecoderDims, Reader, Tally, decoder_architecture, linear_params


def mamba_mixer_params(h: int, d_inner: int, kernel: int, rank: int, state: int, proj_bias: bool,
                       conv_bias: bool) -> int:
    """A Mamba(-1) mixer: in_proj hidden → 2·d_inner and out_proj back (biased when ``proj_bias``), a
    depthwise convolution of ``kernel`` taps over d_inner (bias when ``conv_bias``), x_proj d_inner →
    dt_rank + 2·state (no bias), dt_proj dt_rank → d_inner (with bias), A_log (d_inner x state) and D."""
    return (linear_params(h, 2 * d_inner, proj_bias) + d_inner * kernel + (d_inner if conv_bias else 0)
            + d_inner * (rank + 2 * state) + linear_params(rank, d_inner, True) + d_inner * state + d_inner
            + linear_params(d_inner, h, proj_bias))


def mamba2_mixer_params(h: int, d_inner: int, conv_dim: int, heads: int, kernel: int, in_bias: bool,
                        conv_bias: bool, out_bias: bool) -> int:
    """A Mamba-2 mixer: in_proj hidden → d_inner + conv_dim + heads, a depthwise convolution of
    ``kernel`` taps over conv_dim, dt_bias, A_log and D per head, out_proj d_inner → hidden (its gated
    norm is counted with the norms)."""
    return (linear_params(h, d_inner + conv_dim + heads, in_bias) + conv_dim * kernel
            + (conv_dim if conv_bias else 0) + 3 * heads + linear_params(d_inner, h, out_bias))


# MambaConfig's defaults (transformers 5.25), for the fields read here.
_MAMBA = {
    "vocab_size": 50280, "hidden_size": 768, "state_size": 16, "num_hidden_layers": 32, "expand": 2,
    "conv_kernel": 4, "use_bias": False, "use_conv_bias": True, "time_step_rank": "auto", "tie_word_embeddings": True,
}  # fmt: skip


def build_mamba(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``MambaForCausalLM``: per layer an RMSNorm and a Mamba mixer -- in_proj hidden → 2·d_inner
    (bias when ``use_bias``), a depthwise convolution over d_inner (bias when ``use_conv_bias``),
    x_proj d_inner → dt_rank + 2·state (no bias), dt_proj dt_rank → d_inner (with bias), A_log
    (d_inner x state), D (d_inner) and out_proj d_inner → hidden -- then a final RMSNorm; the head
    is tied to the embeddings by default. d_inner is the config's ``intermediate_size`` when it
    states one (it overrides what MambaConfig derives), else ``expand`` x hidden; dt_rank ``"auto"``
    is ceil(hidden / 16). Each
    sequence keeps a conv state of d_inner x (conv_kernel - 1) and an SSM state of d_inner x state
    per layer, whatever its length; there is no KV cache."""
    r = Reader(config, _MAMBA)
    n = r.integer("num_hidden_layers", "n_layer")
    h = r.integer("hidden_size", "d_model")
    vocab = r.integer("vocab_size")
    state = r.integer("state_size")
    # MambaConfig derives intermediate_size = expand x hidden, but an intermediate_size the file
    # states is set after that and wins (transformers 5.25)
    d_inner = r.integer("intermediate_size") if r.has("intermediate_size") else r.integer("expand") * h
    kernel = r.integer("conv_kernel")
    use_bias, conv_bias = r.boolean("use_bias"), r.boolean("use_conv_bias")
    rank_value = r.raw("time_step_rank")
    rank = -(-h // 16) if rank_value == "auto" else r.integer("time_step_rank")
    if d_inner > 2**24:
        raise InvalidArchitectureConfig(f"expand x hidden_size is {d_inner:,}, above the limit of {2**24:,}", "expand")
    tied = r.boolean("tie_word_embeddings")
    mixer = mamba_mixer_params(h, d_inner, kernel, rank, state, use_bias, conv_bias)
    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * mixer)
    t.add("norms", n * h + h)
    t.add("lm_head", 0 if tied else vocab * h)
    return decoder_architecture(
        r, t, DecoderDims(n, h, 0, 0, 0, vocab, d_inner, tied), model_type=model_type, family="mamba",
        counted_class="MambaForCausalLM", gated_mlp=False, max_position_embeddings=None, layer_types=(MAMBA,) * n,
        conv_state_elements=n * d_inner * (kernel - 1), recurrent_state_elements=n * d_inner * state,
    )


# Mamba2Config's defaults (transformers 5.25), for the fields read here.
_MAMBA2 = {
    "vocab_size": 32768, "hidden_size": 4096, "state_size": 128, "num_hidden_layers": 64, "expand": 2,
    "conv_kernel": 4, "num_heads": 128, "head_dim": 64, "n_groups": 8, "use_bias": False, "use_conv_bias": True,
    "tie_word_embeddings": False,
}  # fmt: skip


def build_mamba2(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``Mamba2ForCausalLM``: per layer an RMSNorm and a Mamba-2 mixer -- in_proj hidden →
    d_inner + conv_dim + heads (bias when ``use_bias``), a depthwise convolution over conv_dim =
    d_inner + 2·n_groups·state (bias when ``use_conv_bias``), dt_bias, A_log and D per head, a gated
    RMSNorm over d_inner and out_proj d_inner → hidden -- then a final RMSNorm; the head is untied by
    default. d_inner is ``expand`` x hidden (a stored ``intermediate_size`` is not read). Each
    sequence keeps a conv state of conv_dim x (conv_kernel - 1) and an SSM state of heads x
    head_dim x state per layer; there is no KV cache."""
    r = Reader(config, _MAMBA2)
    n = r.integer("num_hidden_layers")
    h = r.integer("hidden_size")
    vocab = r.integer("vocab_size")
    state, kernel = r.integer("state_size"), r.integer("conv_kernel")
    heads, head_dim, groups = r.integer("num_heads"), r.integer("head_dim"), r.integer("n_groups")
    d_inner = r.integer("expand") * h
    if d_inner != heads * head_dim:  # Mamba2Config refuses such a config
        raise InvalidArchitectureConfig(f"hidden_size x expand ({d_inner:,}) must equal num_heads x head_dim "
                                        f"({heads * head_dim:,})", "num_heads")
    if d_inner % groups:
        raise InvalidArchitectureConfig(f"n_groups {groups} does not divide the Mamba width {d_inner:,}", "n_groups")
    use_bias, conv_bias = r.boolean("use_bias"), r.boolean("use_conv_bias")
    tied = r.boolean("tie_word_embeddings")
    conv_dim = d_inner + 2 * groups * state
    mixer = mamba2_mixer_params(h, d_inner, conv_dim, heads, kernel, use_bias, conv_bias, use_bias)
    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * mixer)
    t.add("norms", n * (h + d_inner) + h)  # the layer norm and the mixer's gated norm
    t.add("lm_head", 0 if tied else vocab * h)
    return decoder_architecture(
        r, t, DecoderDims(n, h, 0, 0, 0, vocab, d_inner, tied), model_type=model_type, family="mamba2",
        counted_class="Mamba2ForCausalLM", gated_mlp=False, max_position_embeddings=None, layer_types=(MAMBA,) * n,
        conv_state_elements=n * conv_dim * (kernel - 1), recurrent_state_elements=n * heads * head_dim * state,
    )
