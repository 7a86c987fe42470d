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
    "attention",  # q/k/v/o projections with their biases; MLA's low-rank projections
    "mlp",  # dense feed-forward blocks (every layer of a dense model)
    "router",  # MoE router weights (and Qwen2-MoE's shared-expert gate)
    "shared_experts",  # always-on experts of a MoE layer
    "experts",  # routed experts, all of them
    "norms",  # every LayerNorm/RMSNorm weight and bias, q/k norms, MLA latent norms
    "lm_head",  # the output projection; 0 when tied to the embeddings
    "pooler",  # BERT's pooler
)

#: Layer kinds in ``Architecture.layer_types``.
FULL_ATTENTION = "full_attention"
SLIDING_ATTENTION = "sliding_attention"
MLA = "mla"  # multi-head latent attention: one compressed latent cached per token
BIDIRECTIONAL = "bidirectional_attention"  # encoder self-attention: no KV cache


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
    **dict.fromkeys(("head_dim", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"), MAX_HEAD_DIM),
    **dict.fromkeys(("vocab_size", "type_vocab_size"), MAX_VOCAB),
    **dict.fromkeys(("num_experts", "num_local_experts", "n_routed_experts", "num_experts_per_tok",
                     "n_shared_experts"), MAX_EXPERTS),
    **dict.fromkeys(("max_position_embeddings", "n_positions", "sliding_window"), MAX_CONTEXT),
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
    input embedding table out). It equals ``total_params`` for a dense model.
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
    defaults_used: tuple[str, ...] = ()

    @property
    def is_moe(self) -> bool:
        return bool(self.moe_layer_indices)

    @property
    def kv_elements_per_token_by_layer(self) -> tuple[int, ...]:
        """Cached elements one token adds to each layer's KV cache (multiply by bytes/element).

        Attention layers hold a key and a value per KV head: ``2 * num_kv_heads * head_dim``.
        MLA layers hold one latent of ``kv_lora_rank + qk_rope_head_dim`` (no factor 2), as
        vLLM and SGLang serve DeepSeek models and transformers 5 caches them (measured:
        docs/accuracy.md). Encoder layers hold nothing.
        """
        per_layer = []
        for kind in self.layer_types:
            if kind in (FULL_ATTENTION, SLIDING_ATTENTION):
                per_layer.append(2 * self.num_kv_heads * self.head_dim)
            elif kind == MLA:
                assert self.kv_lora_rank is not None and self.qk_rope_head_dim is not None
                per_layer.append(self.kv_lora_rank + self.qk_rope_head_dim)
            else:  # BIDIRECTIONAL: an encoder keeps no cache between steps
                per_layer.append(0)
        return tuple(per_layer)

    def kv_cache_elements(self, context_tokens: int) -> int:
        """KV-cache elements one sequence of ``context_tokens`` tokens holds, all layers.

        Sliding-window layers hold at most ``sliding_window`` tokens. Multiply by the bytes per
        element of the cache dtype (2 for bf16/fp16, 1 for fp8) for bytes.
        """
        if isinstance(context_tokens, bool) or not isinstance(context_tokens, int) or context_tokens < 0:
            raise ValueError(f"context_tokens must be a non-negative integer, got {context_tokens!r}")
        total = 0
        for kind, per_token in zip(self.layer_types, self.kv_elements_per_token_by_layer, strict=True):
            held = context_tokens
            if kind == SLIDING_ATTENTION and self.sliding_window is not None:
                held = min(context_tokens, self.sliding_window)
            total += per_token * held
        return total

    def kv_elements_per_token(self, context_tokens: int) -> float:
        """Average KV-cache elements per token at a context of ``context_tokens`` tokens."""
        if context_tokens <= 0:
            raise ValueError(f"context_tokens must be positive, got {context_tokens!r}")
        return self.kv_cache_elements(context_tokens) / context_tokens


