"""What an architecture is: the :class:`Architecture` record, layer kinds, limits and errors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from model_scorecard.errors import UserError
from model_scorecard.units import MAX_TOKENS

#: The keys of ``Architecture.param_breakdown``, always all present (zero where unused).
BREAKDOWN_KEYS: tuple[str, ...] = (
    "embeddings",  # token, position and token-type embedding tables
    "attention",  # token mixers: q/k/v/o projections with their biases, MLA's low-rank projections,
    # attention sinks; the projections, convolution and decay parameters of linear-attention and SSM layers
    "mlp",  # dense feed-forward blocks (every layer of a dense model)
    "router",  # MoE router weights (and Qwen2-MoE's shared-expert gate)
    "shared_experts",  # always-on experts of a MoE layer
    "experts",  # routed experts, all of them
    "norms",  # every LayerNorm/RMSNorm weight and bias, q/k norms, MLA latent norms
    "lm_head",  # the output projection; 0 when tied to the embeddings
    "pooler",  # BERT's pooler
    "vision",  # a multimodal checkpoint's vision tower and projector (0 for a text model)
)

#: Layer kinds in ``Architecture.layer_types``.
FULL_ATTENTION = "full_attention"
SLIDING_ATTENTION = "sliding_attention"
MLA = "mla"  # multi-head latent attention: one compressed latent cached per token
BIDIRECTIONAL = "bidirectional_attention"  # encoder self-attention: no KV cache
CHUNKED_ATTENTION = "chunked_attention"  # attends within fixed chunks (Llama 4): holds at most one chunk
LINEAR_ATTENTION = "linear_attention"  # Gated DeltaNet (Qwen3-Next, Qwen3.5): a constant state, no KV cache
MAMBA = "mamba"  # Mamba/Mamba2 SSM mixer: a constant conv + SSM state, no KV cache
CONV = "conv"  # LFM2's short convolution: a constant conv state, no KV cache
MLP_ONLY = "mlp"  # Nemotron-H's MLP-only layers: no token mixer, nothing cached
#: Layer kinds whose cache grows with the context (capped by a window or chunk for some).
ATTENTION_KINDS = ("full_attention", "sliding_attention", CHUNKED_ATTENTION)
#: Layer kinds that keep a constant per-sequence state instead of a growing cache.
STATE_KINDS = (LINEAR_ATTENTION, MAMBA, CONV)


#: The largest value read for each config field. The largest published models have about 200
#: layers, 128 query heads, a 25k-wide residual stream and 73k-wide MLPs, 262k-token
#: vocabularies, 384 routed experts and 10M-token contexts; each bound is far above that.
MAX_LAYERS = 10_000
MAX_WIDTH = 2**20  # residual stream, MLP, expert and low-rank widths
MAX_HEADS = 2**14
MAX_HEAD_DIM = 2**14
MAX_VOCAB = 2**24
MAX_EXPERTS = 2**16
MAX_CONTEXT = MAX_TOKENS  # positions and sliding windows, as for any token count

LIMITS: Mapping[str, int] = MappingProxyType({
    **dict.fromkeys(("num_hidden_layers", "n_layer"), MAX_LAYERS),
    **dict.fromkeys(("hidden_size", "n_embed", "n_embd", "intermediate_size", "ffn_hidden_size", "n_inner",
                     "moe_intermediate_size", "shared_expert_intermediate_size", "kv_lora_rank", "q_lora_rank"),
                    MAX_WIDTH),
    **dict.fromkeys(("num_attention_heads", "n_head", "num_key_value_heads", "num_kv_heads", "n_head_kv"),
                    MAX_HEADS),
    **dict.fromkeys(("head_dim", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim", "index_head_dim"), MAX_HEAD_DIM),
    "index_n_heads": MAX_HEADS,
    **dict.fromkeys(("vocab_size", "type_vocab_size"), MAX_VOCAB),
    **dict.fromkeys(("num_experts", "num_local_experts", "n_routed_experts", "num_experts_per_tok",
                     "n_shared_experts"), MAX_EXPERTS),
    **dict.fromkeys(("max_position_embeddings", "n_positions", "sliding_window", "attention_chunk_size"),
                    MAX_CONTEXT),
    # linear-attention (Gated DeltaNet) and Mamba widths, heads and kernels; Llama 4's dense MLP
    **dict.fromkeys(("linear_key_head_dim", "linear_value_head_dim", "mamba_d_state", "mamba_dt_rank",
                     "intermediate_size_mlp", "ssm_state_size", "mamba_head_dim"), MAX_WIDTH),
    **dict.fromkeys(("linear_num_key_heads", "linear_num_value_heads", "mamba_num_heads", "n_groups", "num_heads"),
                    MAX_HEADS),
    "conv_kernel": 1024, "state_size": MAX_WIDTH, "time_step_rank": MAX_WIDTH, "expand": 1024, "d_model": MAX_WIDTH,
    **dict.fromkeys(("linear_conv_kernel_dim", "mamba_d_conv", "mamba_expand", "conv_L_cache"), 1024),
    **dict.fromkeys(("block_ff_dim", "projector_hidden_size"), MAX_WIDTH),
    # Granite 4.0 / Falcon-H1 Mamba-2 widths and the shared MLP; ERNIE 4.5 MoE's expert counts
    **dict.fromkeys(("mamba_d_head", "mamba_d_ssm", "shared_intermediate_size"), MAX_WIDTH),
    **dict.fromkeys(("mamba_n_heads", "mamba_n_groups"), MAX_HEADS),
    **dict.fromkeys(("moe_num_experts", "moe_k", "moe_num_shared_experts"), MAX_EXPERTS),
})
#: The bound of any other integer field (layer indices, patterns): a token count's.
MAX_OTHER = MAX_TOKENS


def shown(value: Any) -> str:
    """A config value for a message: short, whatever the config holds."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}" if value.bit_length() <= 200 else f"an integer of {value.bit_length()} bits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class UnsupportedArchitecture(UserError, ValueError):
    """The config's ``model_type`` is not one whose parameters this module counts exactly."""

    def __init__(self, model_type: object, supported: tuple[str, ...]):
        self.model_type = model_type
        what = "the config has no model_type" if model_type is None else f"unsupported model_type {shown(model_type)}"
        super().__init__(
            f"{what}; architecture facts are computed exactly only for: {', '.join(supported)}",
            hint="For another architecture, state its parameter count instead of deriving it from config.json.",
        )


class InvalidArchitectureConfig(UserError, ValueError):
    """A supported family's config holds a value the model class could not be built from.

    ``field`` names the config key at fault (``text_config.num_hidden_layers``) when one is."""

    def __init__(self, message: str, field: str | None = None, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.field = field


@dataclass(frozen=True)
class Architecture:
    """What a ``config.json`` says about a model, in numbers.

    ``model_type`` is the config's own; ``family`` normalises it (``falcon`` for the old
    ``RefinedWeb``/``RefinedWebModel`` types, ``gemma3`` for ``gemma3_text``).
    ``counted_class`` names the transformers class whose parameters ``total_params`` equals,
    and ``defaults_used`` lists the fields absent from the config that were taken from that
    class's configuration defaults.

    Attention: ``num_heads`` query heads of ``head_dim``; ``num_kv_heads`` key/value heads
    (GQA/MQA resolved: Falcon's ``multi_query`` is 1). For MLA families ``head_dim`` is the
    query/key head size ``qk_nope_head_dim + qk_rope_head_dim`` and the cache holds a latent
    instead (see :meth:`kv_elements_per_token_by_layer`).

    MoE: ``num_experts`` routed experts of ``moe_intermediate_size`` in each of the layers
    listed in ``moe_layer_indices`` (the others are dense, ``intermediate_size`` wide);
    ``experts_per_token`` of them run per token, beside ``num_shared_experts`` always-on
    experts whose combined width is ``shared_expert_intermediate_size``.

    ``active_params`` counts what one token touches: the whole embedding table and output
    head, attention, norms, router, shared experts and ``experts_per_token`` routed experts
    (Mistral's and Qwen's convention; DeepSeek's published "activated" figures leave the
    input embedding table out). It equals ``total_params`` for a dense text model; a
    multimodal checkpoint's vision tower and projector are left out of it (a generated token
    does not pass them), so it is at most ``text_params``.

    Multimodal checkpoints count whole: ``total_params`` holds the vision tower and projector
    (``param_breakdown["vision"]``), ``text_params`` the language model alone. Hybrid models list
    their linear-attention / Mamba / short-convolution layers in ``layer_types``; those keep
    ``conv_state_elements + recurrent_state_elements`` (:attr:`state_elements_per_sequence`)
    per sequence instead of a KV cache. ``approximate`` marks a generic reading of an unknown
    family, from the ``keys_read``.
    """

    model_type: str
    family: str
    counted_class: str
    num_layers: int
    hidden_size: int
    num_heads: int
    num_kv_heads: int
    head_dim: int
    intermediate_size: int | None
    gated_mlp: bool
    vocab_size: int
    tie_word_embeddings: bool
    max_position_embeddings: int | None
    sliding_window: int | None
    layer_types: tuple[str, ...]
    total_params: int
    active_params: int
    param_breakdown: Mapping[str, int] = field(hash=False)
    is_encoder: bool = False
    # MoE (None / 0 for dense models)
    num_experts: int | None = None
    experts_per_token: int | None = None
    moe_intermediate_size: int | None = None
    num_shared_experts: int = 0
    shared_expert_intermediate_size: int | None = None
    first_dense_layers: int = 0
    moe_layer_indices: tuple[int, ...] = ()
    # MLA (None unless the family uses multi-head latent attention)
    kv_lora_rank: int | None = None
    q_lora_rank: int | None = None
    qk_nope_head_dim: int | None = None
    qk_rope_head_dim: int | None = None
    v_head_dim: int | None = None
    # DeepSeek-V3.2's lightning indexer: one extra key of this width cached per token per MLA layer
    index_head_dim: int | None = None
    # Gemma 4: the KV heads and head width of the full-attention (global) layers when they differ
    # from the sliding layers' (``num_global_key_value_heads``, ``global_head_dim``); None: the same.
    global_num_kv_heads: int | None = None
    global_head_dim: int | None = None
    # Gemma 4's ``attention_k_eq_v``: the global layers' values are their keys (no v projection).
    global_values_are_keys: bool = False
    # Gemma 4 E2B/E4B: the layers that reuse an earlier layer's keys and values (``num_kv_shared_layers``)
    # and so cache nothing of their own.
    kv_shared_layers: tuple[int, ...] = ()
    # Layers whose dense MLP is twice ``intermediate_size`` wide (Gemma 4's ``use_double_wide_mlp``,
    # on its shared-KV layers).
    double_wide_mlp_layers: tuple[int, ...] = ()
    defaults_used: tuple[str, ...] = ()
    # Multimodal wrappers: ``total_params`` is the whole checkpoint (vision tower and projector
    # included, as a serving engine loads it); ``text_params`` the language model alone. None
    # when the model is text only (then the two are the same).
    text_params: int | None = None
    # Hybrid models: a constant per-sequence state of the linear-attention / SSM layers (see
    # :attr:`state_elements_per_sequence`), held apart from the growing KV cache.
    conv_state_elements: int = 0
    recurrent_state_elements: int = 0
    # The dtype the config asks for the recurrent/SSM state ("float32" for Qwen3.5's
    # ``mamba_ssm_dtype``), else "model" (the model's dtype).
    recurrent_state_dtype: str = "model"
    # Llama 4's chunked attention: a chunked layer attends (and holds) at most this many tokens.
    attention_chunk_size: int | None = None
    # An unknown family read as a generic Llama-like decoder: the counts are an approximation,
    # from the keys listed in ``keys_read``.
    approximate: bool = False
    keys_read: tuple[str, ...] = ()

    @property
    def state_elements_per_sequence(self) -> int:
        """Elements of constant state one sequence keeps in its linear-attention / SSM layers:
        convolution states plus recurrent (delta-rule) or SSM states, whatever the context.
        0 for a model of attention layers only."""
        return self.conv_state_elements + self.recurrent_state_elements

    @property
    def is_moe(self) -> bool:
        return bool(self.moe_layer_indices)

    @property
    def kv_elements_per_token_by_layer(self) -> tuple[int, ...]:
        """Cached elements one token adds to each layer's KV cache (multiply by bytes/element).

        Attention layers hold a key and a value per KV head: ``2 * num_kv_heads * head_dim``.
        MLA layers hold one latent of ``kv_lora_rank + qk_rope_head_dim`` (no factor 2), as
        vLLM and SGLang serve DeepSeek models and transformers 5 caches them (measured:
        docs/accuracy.md); DeepSeek-V3.2 adds its indexer's key of ``index_head_dim`` per layer.
        Encoder layers hold nothing; nor do linear-attention and Mamba
        layers, whose constant state is :attr:`state_elements_per_sequence`, nor Gemma 4's
        shared-KV layers (:attr:`kv_shared_layers`). Sliding and chunked
        layers add the same per token, up to their window or chunk
        (:meth:`kv_cache_elements`)."""
        per_layer = []
        for i, kind in enumerate(self.layer_types):
            if i in self.kv_shared_layers:  # reads another layer's cache, holds none
                per_layer.append(0)
            elif kind == FULL_ATTENTION and self.global_head_dim is not None:
                assert self.global_num_kv_heads is not None
                per_layer.append(2 * self.global_num_kv_heads * self.global_head_dim)
            elif kind in ATTENTION_KINDS:
                per_layer.append(2 * self.num_kv_heads * self.head_dim)
            elif kind == MLA:
                assert self.kv_lora_rank is not None and self.qk_rope_head_dim is not None
                per_layer.append(self.kv_lora_rank + self.qk_rope_head_dim + (self.index_head_dim or 0))
            else:  # BIDIRECTIONAL (an encoder keeps no cache between steps); linear attention, SSM
                per_layer.append(0)
        return tuple(per_layer)

    def kv_cache_elements(self, context_tokens: int) -> int:
        """KV-cache elements one sequence of ``context_tokens`` tokens holds, all layers.

        Sliding-window layers hold at most ``sliding_window`` tokens, chunked layers at most
        ``attention_chunk_size``. Multiply by the bytes per element of the cache dtype (2 for
        bf16/fp16, 1 for fp8) for bytes. The constant state of linear-attention / SSM layers is
        not in it (:attr:`state_elements_per_sequence`).
        """
        if isinstance(context_tokens, bool) or not isinstance(context_tokens, int) or context_tokens < 0:
            raise ValueError(f"context_tokens must be a non-negative integer, got {context_tokens!r}")
        total = 0
        for kind, per_token in zip(self.layer_types, self.kv_elements_per_token_by_layer, strict=True):
            held = context_tokens
            if kind == SLIDING_ATTENTION and self.sliding_window is not None:
                held = min(context_tokens, self.sliding_window)
            elif kind == CHUNKED_ATTENTION and self.attention_chunk_size is not None:
                held = min(context_tokens, self.attention_chunk_size)
            total += per_token * held
        return total

    def kv_elements_per_token(self, context_tokens: int) -> float:
        """Average KV-cache elements per token at a context of ``context_tokens`` tokens."""
        if context_tokens <= 0:
            raise ValueError(f"context_tokens must be positive, got {context_tokens!r}")
        return self.kv_cache_elements(context_tokens) / context_tokens


