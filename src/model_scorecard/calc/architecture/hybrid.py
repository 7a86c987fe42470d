"""Hybrid decoders whose linear-attention layers keep a constant state: Qwen3.5 (Gated DeltaNet).

Three of every four layers of Qwen3.5 are Gated DeltaNet ("linear_attention") layers: instead
of a KV cache that grows with the context, each keeps per sequence a convolution state of
``(2·key_dim + value_dim) × (linear_conv_kernel_dim − 1)`` elements and a recurrent state of
``linear_num_value_heads × linear_key_head_dim × linear_value_head_dim`` elements, as vLLM
allocates them. The fourth layer is gated full attention (its query projection is twice as
wide: a query and an output gate per head) with a KV cache.

The released checkpoints are multimodal (``Qwen3_5ForConditionalGeneration``): ``total_params``
counts the vision encoder and merger too, ``text_params`` the language model alone. Neither
counts the multi-token-prediction layer (``mtp_num_hidden_layers``), which transformers does not
build and vLLM loads only for speculative decoding.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from model_scorecard.calc.architecture.model import (
    FULL_ATTENTION,
    LINEAR_ATTENTION,
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
    read_decoder_dims,
    read_layer_types,
    stored_head_dim,
)
from model_scorecard.calc.architecture.vision import qwen3_5_vision_params, sub_config

# Qwen3_5TextConfig / Qwen3_5MoeTextConfig defaults (transformers 5.25), for the fields read here.
_QWEN3_5_TEXT = {
    "vocab_size": 248320, "hidden_size": 4096, "intermediate_size": 12288, "num_hidden_layers": 32,
    "num_attention_heads": 16, "num_key_value_heads": 4, "head_dim": 256, "max_position_embeddings": 32768,
    "attention_bias": False, "linear_conv_kernel_dim": 4, "linear_key_head_dim": 128, "linear_value_head_dim": 128,
    "linear_num_key_heads": 16, "linear_num_value_heads": 32, "full_attention_interval": 4,
}  # fmt: skip
_QWEN3_5_MOE_TEXT = {
    **_QWEN3_5_TEXT, "hidden_size": 2048, "num_hidden_layers": 40, "num_key_value_heads": 2,
    "moe_intermediate_size": 512, "shared_expert_intermediate_size": 512, "num_experts_per_tok": 8,
    "num_experts": 256,
}  # fmt: skip


def _layer_types(r: Reader, n: int) -> tuple[str, ...]:
    def every_nth_full() -> list[str]:
        interval = r.integer("full_attention_interval")
        return [LINEAR_ATTENTION if (i + 1) % interval else FULL_ATTENTION for i in range(n)]

    return read_layer_types(r, n, every_nth_full, (LINEAR_ATTENTION, FULL_ATTENTION), located=True)


def _qwen3_5_text(r: Reader, moe: bool, tied: bool,
                  sparse_layout: bool = False) -> tuple[Tally, DecoderDims, dict[str, Any]]:
    """The language model of Qwen3.5 (dense) or Qwen3.5-MoE (every layer routed, with a gated shared
    expert), or of Qwen3-Next (``sparse_layout``: routed on the layers ``decoder_sparse_step`` and
    ``mlp_only_layers`` leave, a dense MLP ``intermediate_size`` wide on the others): its tally,
    dimensions and the other fields of its record (``active_params`` of the text model)."""
    n, h, heads, kv, d, vocab, _, _ = read_decoder_dims(r, stored_head_dim, intermediate=False, tied=False)
    bias = r.boolean("attention_bias")
    layer_types = _layer_types(r, n)
    n_full = layer_types.count(FULL_ATTENTION)
    n_linear = n - n_full
    kernel = r.integer("linear_conv_kernel_dim")
    k_heads, v_heads = r.integer("linear_num_key_heads"), r.integer("linear_num_value_heads")
    k_dim, v_dim = r.integer("linear_key_head_dim"), r.integer("linear_value_head_dim")
    key_width, value_width = k_heads * k_dim, v_heads * v_dim
    conv_width = 2 * key_width + value_width

    t = Tally()
    t.add("embeddings", vocab * h)
    gated_attention = (linear_params(h, 2 * heads * d, bias) + 2 * linear_params(h, kv * d, bias)
                       + linear_params(heads * d, h, bias))
    delta_net = (h * conv_width + h * value_width + 2 * h * v_heads  # in_proj_qkv, in_proj_z, in_proj_b, in_proj_a
                 + conv_width * kernel + 2 * v_heads + value_width * h)  # depthwise conv, dt_bias, A_log, out_proj
    t.add("attention", n_full * gated_attention + n_linear * delta_net)
    t.add("norms", n * 2 * h + h + n_full * 2 * d + n_linear * v_dim)  # + q/k norms; the delta net's gated norm
    moe_record: dict[str, Any] = {}
    inter = None
    if moe:
        experts = r.integer("num_experts", minimum=0 if sparse_layout else 1)
        k = r.integer("num_experts_per_tok")
        if experts and k > experts:
            raise InvalidArchitectureConfig(f"{r.prefix}num_experts_per_tok {k} exceeds num_experts {experts}",
                                            r.prefix + "num_experts_per_tok")
        moe_inter = r.integer("moe_intermediate_size")
        shared = r.integer("shared_expert_intermediate_size")
        moe_layers = tuple(range(n))
        if sparse_layout:
            step = r.integer("decoder_sparse_step")
            dense_only = set(r.int_list("mlp_only_layers"))
            moe_layers = tuple(i for i in range(n) if i not in dense_only and experts > 0 and (i + 1) % step == 0)
            if len(moe_layers) < n:
                inter = r.integer("intermediate_size")
                t.add("mlp", (n - len(moe_layers)) * 3 * h * inter)
        m = len(moe_layers)
        t.add("router", m * (h * experts + h))  # the router and the shared expert's sigmoid gate
        t.add("experts", m * experts * 3 * h * moe_inter)
        t.add("shared_experts", m * 3 * h * shared)
        moe_record = moe_fields(moe_layers, experts, k, moe_inter, shared=1, shared_width=shared)
    else:
        inter = r.integer("intermediate_size")
        t.add("mlp", n * 3 * h * inter)
    t.add("lm_head", 0 if tied else vocab * h)
    active = t.total
    if moe_record:
        active = moe_active_params(active, t, len(moe_record["moe_layer_indices"]), moe_record["experts_per_token"],
                                   3 * h * moe_record["moe_intermediate_size"])
    state_dtype = r.config.get("mamba_ssm_dtype")  # vLLM keeps the recurrent state in it when set
    return t, DecoderDims(n, h, heads, kv, d, vocab, inter, tied), {
        "layer_types": layer_types, "active_params": active, **moe_record,
        "max_position_embeddings": r.opt_integer("max_position_embeddings"),
        "conv_state_elements": n_linear * conv_width * (kernel - 1),
        "recurrent_state_elements": n_linear * v_heads * k_dim * v_dim,
        "recurrent_state_dtype": "float32" if state_dtype in ("float32", "fp32") else "model",
    }


def build_qwen3_5(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``Qwen3_5ForConditionalGeneration`` / ``Qwen3_5MoeForConditionalGeneration``: the language
    model from ``text_config`` (the output head tied or not by the top-level
    ``tie_word_embeddings``, as for gemma3) plus the vision encoder from ``vision_config``."""
    moe = model_type == "qwen3_5_moe"
    top = Reader(config, {"tie_word_embeddings": False})
    tied = top.boolean("tie_word_embeddings")
    text = Reader(sub_config(config, "text_config"), _QWEN3_5_MOE_TEXT if moe else _QWEN3_5_TEXT, "text_config.")
    t, dims, fields = _qwen3_5_text(text, moe, tied)  # active_params: a text token does not pass the vision encoder
    vision, vision_defaults = qwen3_5_vision_params(sub_config(config, "vision_config"))
    text_total = t.total
    t.add("vision", vision)
    counted = "Qwen3_5MoeForConditionalGeneration" if moe else "Qwen3_5ForConditionalGeneration"
    return decoder_architecture(text, t, dims, model_type=model_type, family=model_type,
                                counted_class=f"{counted} (vision encoder included; no MTP layer)",
                                defaults_before=top.defaults_used, defaults_after=vision_defaults,
                                text_params=text_total, **fields)


# Qwen3NextConfig's defaults (transformers 5.25), for the fields read here.
_QWEN3_NEXT = {
    **_QWEN3_5_MOE_TEXT, "vocab_size": 151936, "intermediate_size": 5632, "num_hidden_layers": 48,
    "num_experts_per_tok": 10, "num_experts": 512, "decoder_sparse_step": 1, "mlp_only_layers": None,
    "tie_word_embeddings": False,
}  # fmt: skip


def build_qwen3_next(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``Qwen3NextForCausalLM``: Qwen3.5-MoE's layers in a flat, text-only config (the delta net's
    input projections fused as in_proj_qkvz and in_proj_ba: the same counts), routed on the layers
    ``decoder_sparse_step`` and ``mlp_only_layers`` select."""
    r = Reader(config, _QWEN3_NEXT)
    tied = r.boolean("tie_word_embeddings")
    t, dims, fields = _qwen3_5_text(r, True, tied, sparse_layout=True)
    return decoder_architecture(r, t, dims, model_type=model_type, family="qwen3_next",
                                counted_class="Qwen3NextForCausalLM (no MTP layer)", **fields)
