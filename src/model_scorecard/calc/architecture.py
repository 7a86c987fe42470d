"""Architecture facts from a Hugging Face ``config.json``, with exact parameter counts.

``architecture_from_config(config)`` reads the fields that the transformers modelling code
reads and returns an :class:`Architecture`. Its ``total_params`` equals
``sum(p.numel() for p in model.parameters())`` for the model class named in
``Architecture.counted_class`` built from the same config (tied weights counted once):

* decoder-only families: the ``AutoModelForCausalLM`` class (``LlamaForCausalLM``, ...);
* ``bert``: ``BertModel`` *with* its pooler (``add_pooling_layer=True``, the default), and no
  masked-LM or classification head;
* ``gemma3`` (the multimodal ``Gemma3ForConditionalGeneration`` config): the **text model
  only** -- the language model built from ``text_config`` plus its output head; the SigLIP
  vision tower and the multimodal projector are not counted (0.42B for gemma-3-4b);
* ``deepseek_v3``: ``DeepseekV3ForCausalLM``, which has no multi-token-prediction (MTP) layer,
  so ``num_nextn_predict_layers`` adds nothing. The router's ``e_score_correction_bias`` is a
  buffer there, not a parameter, so it is not counted either (DeepSeek's own remote code made
  it a parameter: +256 per MoE layer).

When a field is absent from the config, the default of the transformers configuration class
is used, exactly as ``from_config`` would (gemma-3's ``text_config``, for one, names only a
handful of keys). Every field taken that way is listed in ``Architecture.defaults_used``, so
no value is guessed silently. A ``null`` ``num_key_value_heads`` means one KV head per query
head; a ``null`` ``head_dim`` means ``hidden_size // num_attention_heads``.

Old Falcon configs written for TII's remote ``modelling_RW.py`` (``model_type``
``RefinedWebModel`` for falcon-7b, ``RefinedWeb`` for falcon-40b) are read under their own
key names (``n_head``, ``n_layer``, ``n_head_kv``); ``RefinedWeb`` implies the new decoder
architecture unless the config says otherwise. They are counted as ``FalconForCausalLM``.

A ``quantization_config`` is ignored: the counts are of the logical parameters, not of the
packed tensors or their scales.

Every integer read has an upper bound (:data:`LIMITS`), far above any published model and low
enough that a corrupt or hostile ``config.json`` (300 bytes that claim 10^12 layers) is
refused at once, before anything per layer is built; so is a config whose counts add up to
more than ``units.MAX_PARAMS`` parameters.

Verified against transformers 5.23.0 with ``benchmarks/verify_param_counts.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from model_scorecard.errors import UserError
from model_scorecard.units import MAX_PARAMS, MAX_TOKENS

__all__ = [
    "BREAKDOWN_KEYS",
    "LIMITS",
    "SUPPORTED_MODEL_TYPES",
    "Architecture",
    "InvalidArchitectureConfig",
    "UnsupportedArchitecture",
    "architecture_from_config",
]

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


class UnsupportedArchitecture(UserError, ValueError):
    """The config's ``model_type`` is not one whose parameters this module counts exactly."""

    def __init__(self, model_type: object):
        self.model_type = model_type
        what = "the config has no model_type" if model_type is None else f"unsupported model_type {_shown(model_type)}"
        super().__init__(
            f"{what}; architecture facts are computed exactly only for: {', '.join(SUPPORTED_MODEL_TYPES)}",
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


# --------------------------------------------------------------------------- reading


class _Reader:
    """Reads config fields with transformers' class defaults, recording which were defaulted."""

    def __init__(self, config: Mapping[str, Any], defaults: Mapping[str, Any], prefix: str = ""):
        if not isinstance(config, Mapping):
            raise InvalidArchitectureConfig(f"{prefix.rstrip('.') or 'config'} must be a JSON object")
        self.config = config
        self.defaults = defaults
        self.prefix = prefix
        self.defaults_used: list[str] = []

    def has(self, *keys: str) -> bool:
        return any(k in self.config for k in keys)

    def raw(self, key: str, *aliases: str) -> Any:
        for k in (key, *aliases):
            if k in self.config:
                return self.config[k]
        if key not in self.defaults:  # a programming error: every read field has a default
            raise KeyError(f"no default for {key!r}")
        self.defaults_used.append(self.prefix + key)
        return self.defaults[key]

    def _name(self, key: str, aliases: Sequence[str]) -> str:
        for k in (key, *aliases):
            if k in self.config:
                return self.prefix + k
        return self.prefix + key

    def integer(self, key: str, *aliases: str, minimum: int = 1) -> int:
        value = self.raw(key, *aliases)
        name = self._name(key, aliases)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise InvalidArchitectureConfig(f"{name} must be an integer >= {minimum}, got {_shown(value)}", name)
        limit = LIMITS.get(name.rsplit(".", 1)[-1], MAX_OTHER)
        if value > limit:
            raise InvalidArchitectureConfig(
                f"{name} is {_shown(value)}, above the limit of {limit:,}: no model comes near it "
                "(is the config.json corrupt?)", name)
        return value

    def opt_integer(self, key: str, *aliases: str, minimum: int = 1) -> int | None:
        """An integer, or None where the config (or the class default) says null."""
        if self.raw(key, *aliases) is None:
            return None
        return self.integer(key, *aliases, minimum=minimum)

    def boolean(self, key: str, *aliases: str) -> bool:
        value = self.raw(key, *aliases)
        if not isinstance(value, bool):
            name = self._name(key, aliases)
            raise InvalidArchitectureConfig(f"{name} must be true or false, got {_shown(value)}", name)
        return value

    def int_list(self, key: str) -> list[int]:
        value = self.raw(key)
        if value is None:
            return []
        if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
            raise InvalidArchitectureConfig(f"{self.prefix}{key} must be a list of layer indices, got "
                                            f"{_shown(value)}", self.prefix + key)
        return value


def _shown(value: Any) -> str:
    """A config value for a message: short, whatever the config holds."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}" if value.bit_length() <= 200 else f"an integer of {value.bit_length()} bits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Tally:
    """Parameter counts by category."""

    def __init__(self) -> None:
        self.parts = dict.fromkeys(BREAKDOWN_KEYS, 0)

    def add(self, part: str, count: int) -> None:
        self.parts[part] += count

    @property
    def total(self) -> int:
        return sum(self.parts.values())


def _linear(d_in: int, d_out: int, bias: bool) -> int:
    return d_in * d_out + (d_out if bias else 0)


def _layer_types(reader: _Reader, num_layers: int, derive: Callable[[], Iterable[str]]) -> tuple[str, ...]:
    """The config's own ``layer_types`` when it has one, else the class's derived pattern."""
    given = reader.config.get("layer_types")
    if given is None:
        return tuple(derive())
    allowed = (FULL_ATTENTION, SLIDING_ATTENTION)
    if not isinstance(given, list) or len(given) != num_layers or any(t not in allowed for t in given):
        raise InvalidArchitectureConfig(
            f"{reader.prefix}layer_types must list one of {allowed} for each of the {num_layers} layers"
        )
    return tuple(given)


def _head_dim(reader: _Reader, hidden: int, heads: int) -> int:
    """An explicit ``head_dim`` (config, else class default) when set, else hidden // heads."""
    explicit = reader.has("head_dim") or "head_dim" in reader.defaults
    if explicit and reader.raw("head_dim") is not None:
        return reader.integer("head_dim")
    if hidden % heads:
        raise InvalidArchitectureConfig(
            f"{reader.prefix}hidden_size {hidden} is not a multiple of num_attention_heads {heads} "
            "and the config gives no head_dim"
        )
    return hidden // heads


def _kv_heads(reader: _Reader, heads: int, key: str = "num_key_value_heads", *aliases: str) -> int:
    value = reader.raw(key, *aliases)
    if value is None:
        return heads
    kv = reader.integer(key, *aliases)
    if heads % kv:
        raise InvalidArchitectureConfig(f"{reader.prefix}{key} {kv} does not divide num_attention_heads {heads}")
    return kv


def _moe_active(total: int, tally: _Tally, num_moe_layers: int, k: int, per_expert: int) -> int:
    return total - tally.parts["experts"] + num_moe_layers * k * per_expert


# --------------------------------------------------------------------------- decoders


@dataclass(frozen=True)
class _DecoderSpec:
    """How one Llama-like family differs from Llama."""

    counted_class: str
    defaults: Mapping[str, Any]
    qkv_bias: str | bool = "attention_bias"  # a config key, or a constant
    o_bias: str | bool = "attention_bias"
    mlp_bias: str | bool = False
    qk_norm: bool = False
    norms_per_layer: int = 2
    moe: str | None = None  # "mixtral", "qwen2_moe", "qwen3_moe"
    sliding: str = "none"  # how layer_types are derived; see _decoder_layer_types


def _flag(reader: _Reader, spec_value: str | bool) -> bool:
    return reader.boolean(spec_value) if isinstance(spec_value, str) else spec_value


def _decoder_layer_types(reader: _Reader, spec: _DecoderSpec, n: int) -> tuple[tuple[str, ...], int | None]:
    full, slide = FULL_ATTENTION, SLIDING_ATTENTION
    if spec.sliding == "none":
        return (full,) * n, None
    if spec.sliding == "all":  # mistral, mixtral, phi3: one window on every layer when set
        window = reader.opt_integer("sliding_window")
        return ((slide if window else full),) * n, window
    if spec.sliding in ("qwen2", "qwen2_moe", "qwen3_moe"):
        window = reader.opt_integer("sliding_window", minimum=0) if reader.boolean("use_sliding_window") else None
        window = window or None
        if spec.sliding == "qwen3_moe":
            return ((slide if window else full),) * n, window
        max_window = reader.integer("max_window_layers", minimum=0)
        if spec.sliding == "qwen2":
            types = _layer_types(
                reader, n, lambda: [slide if window is not None and i >= max_window else full for i in range(n)]
            )
        else:
            types = _layer_types(
                reader, n, lambda: [slide if (i + 1) % 2 and i < max_window and window else full for i in range(n)]
            )
        return types, (window if slide in types else None)
    if spec.sliding == "gemma2":
        types = _layer_types(reader, n, lambda: [slide if (i + 1) % 2 else full for i in range(n)])
        return types, (reader.opt_integer("sliding_window") if slide in types else None)
    if spec.sliding == "gemma3":

        def every_nth_full() -> list[str]:
            pattern = reader.integer("sliding_window_pattern")  # an int in older configs; transformers reads it
            return [slide if (i + 1) % pattern else full for i in range(n)]

        types = _layer_types(reader, n, every_nth_full)
        window = reader.opt_integer("sliding_window")
        if window is not None and reader.config.get("use_bidirectional_attention"):
            window = window // 2 + 1  # as Gemma3TextConfig.__post_init__ does
        return types, (window if slide in types else None)
    raise AssertionError(spec.sliding)


def _decoder(reader: _Reader, model_type: str, family: str, spec: _DecoderSpec) -> Architecture:
    """Llama-like decoders: llama, mistral, mixtral, qwen2(_moe), qwen3(_moe), gemma 1-3, phi3."""
    n = reader.integer("num_hidden_layers")
    h = reader.integer("hidden_size")
    heads = reader.integer("num_attention_heads")
    kv = _kv_heads(reader, heads)
    d = _head_dim(reader, h, heads)
    vocab = reader.integer("vocab_size")
    inter = reader.integer("intermediate_size")
    tied = reader.boolean("tie_word_embeddings")
    qkv_bias, o_bias, mlp_bias = _flag(reader, spec.qkv_bias), _flag(reader, spec.o_bias), _flag(reader, spec.mlp_bias)

    # Which layers route to experts, and how wide the experts are.
    moe_layers: tuple[int, ...] = ()
    num_experts = k = moe_inter = shared_inter = None
    num_shared = 0
    if spec.moe == "mixtral":
        num_experts = reader.integer("num_local_experts", "num_experts")
        k = reader.integer("num_experts_per_tok")
        moe_inter = inter
        moe_layers = tuple(range(n))
    elif spec.moe in ("qwen2_moe", "qwen3_moe"):
        num_experts = reader.integer("num_experts", "num_local_experts", minimum=0)
        k = reader.integer("num_experts_per_tok")
        moe_inter = reader.integer("moe_intermediate_size")
        step = reader.integer("decoder_sparse_step")
        dense_only = set(reader.int_list("mlp_only_layers"))
        moe_layers = tuple(i for i in range(n) if i not in dense_only and num_experts > 0 and (i + 1) % step == 0)
        if spec.moe == "qwen2_moe":
            shared_inter = reader.integer("shared_expert_intermediate_size")
            num_shared = 1

    t = _Tally()
    t.add("embeddings", vocab * h)
    attention = _linear(h, heads * d, qkv_bias) + 2 * _linear(h, kv * d, qkv_bias) + _linear(heads * d, h, o_bias)
    t.add("attention", n * attention)
    t.add("norms", n * (spec.norms_per_layer * h + (2 * d if spec.qk_norm else 0)) + h)
    dense_mlp = 2 * _linear(h, inter, mlp_bias) + _linear(inter, h, mlp_bias)
    t.add("mlp", (n - len(moe_layers)) * dense_mlp)
    if moe_layers:
        assert num_experts is not None and moe_inter is not None and k is not None
        per_expert = 3 * h * moe_inter
        t.add("router", len(moe_layers) * h * num_experts)
        t.add("experts", len(moe_layers) * num_experts * per_expert)
        if shared_inter is not None:  # Qwen2-MoE: one shared MLP and its sigmoid gate
            t.add("shared_experts", len(moe_layers) * 3 * h * shared_inter)
            t.add("router", len(moe_layers) * h)
    t.add("lm_head", 0 if tied else vocab * h)

    layer_types, window = _decoder_layer_types(reader, spec, n)
    total = t.total
    active = total
    if moe_layers:
        assert k is not None and moe_inter is not None
        active = _moe_active(total, t, len(moe_layers), k, 3 * h * moe_inter)
    return Architecture(
        model_type=model_type,
        family=family,
        counted_class=spec.counted_class,
        num_layers=n,
        hidden_size=h,
        num_heads=heads,
        num_kv_heads=kv,
        head_dim=d,
        intermediate_size=inter,
        gated_mlp=True,
        vocab_size=vocab,
        tie_word_embeddings=tied,
        max_position_embeddings=reader.opt_integer("max_position_embeddings"),
        sliding_window=window,
        layer_types=layer_types,
        total_params=total,
        active_params=active,
        param_breakdown=MappingProxyType(dict(t.parts)),
        num_experts=num_experts if moe_layers else None,
        experts_per_token=k if moe_layers else None,
        moe_intermediate_size=moe_inter if moe_layers else None,
        num_shared_experts=num_shared if moe_layers else 0,
        shared_expert_intermediate_size=shared_inter if moe_layers else None,
        first_dense_layers=(moe_layers[0] if moe_layers else 0),
        moe_layer_indices=moe_layers,
        defaults_used=tuple(reader.defaults_used),
    )


# Defaults of the transformers configuration classes (5.23), for the fields read here.
_LLAMA = {
    "vocab_size": 32000, "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32,
    "num_attention_heads": 32, "num_key_value_heads": None, "head_dim": None, "max_position_embeddings": 2048,
    "tie_word_embeddings": False, "attention_bias": False, "mlp_bias": False,
}  # fmt: skip
_MISTRAL = {
    "vocab_size": 32000, "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32,
    "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": None, "max_position_embeddings": 131072,
    "tie_word_embeddings": False, "sliding_window": 4096,
}  # fmt: skip
_MIXTRAL = {**_MISTRAL, "sliding_window": None, "num_local_experts": 8, "num_experts_per_tok": 2}
_QWEN2 = {
    "vocab_size": 151936, "hidden_size": 4096, "intermediate_size": 22016, "num_hidden_layers": 32,
    "num_attention_heads": 32, "num_key_value_heads": 32, "max_position_embeddings": 32768,
    "tie_word_embeddings": False, "use_sliding_window": False, "sliding_window": 4096, "max_window_layers": 28,
}  # fmt: skip
_QWEN2_MOE = {
    **_QWEN2, "hidden_size": 2048, "intermediate_size": 5632, "num_hidden_layers": 24, "num_attention_heads": 16,
    "num_key_value_heads": 16, "decoder_sparse_step": 1, "moe_intermediate_size": 1408,
    "shared_expert_intermediate_size": 5632, "num_experts_per_tok": 4, "num_experts": 60, "mlp_only_layers": [],
    "qkv_bias": True,
}  # fmt: skip
_QWEN3 = {**_QWEN2, "head_dim": 128, "attention_bias": False}
_QWEN3_MOE = {
    "vocab_size": 151936, "hidden_size": 2048, "intermediate_size": 6144, "num_hidden_layers": 24,
    "num_attention_heads": 32, "num_key_value_heads": 4, "max_position_embeddings": 32768,
    "tie_word_embeddings": False, "attention_bias": False, "use_sliding_window": False, "sliding_window": 4096,
    "decoder_sparse_step": 1, "moe_intermediate_size": 768, "num_experts_per_tok": 8, "num_experts": 128,
    "mlp_only_layers": [],
}  # fmt: skip
_GEMMA = {
    "vocab_size": 256000, "hidden_size": 3072, "intermediate_size": 24576, "num_hidden_layers": 28,
    "num_attention_heads": 16, "num_key_value_heads": 16, "head_dim": 256, "max_position_embeddings": 8192,
    "tie_word_embeddings": True, "attention_bias": False,
}  # fmt: skip
_GEMMA2 = {
    **_GEMMA, "hidden_size": 2304, "intermediate_size": 9216, "num_hidden_layers": 26, "num_attention_heads": 8,
    "num_key_value_heads": 4, "sliding_window": 4096,
}  # fmt: skip
_GEMMA3_TEXT = {**_GEMMA2, "vocab_size": 262208, "max_position_embeddings": 131072, "sliding_window_pattern": 6}
_PHI3 = {
    "vocab_size": 32064, "hidden_size": 3072, "intermediate_size": 8192, "num_hidden_layers": 32,
    "num_attention_heads": 32, "num_key_value_heads": None, "max_position_embeddings": 4096,
    "tie_word_embeddings": False, "sliding_window": None,
}  # fmt: skip

_DECODERS: dict[str, tuple[str, _DecoderSpec]] = {
    "llama": ("llama", _DecoderSpec("LlamaForCausalLM", _LLAMA, mlp_bias="mlp_bias")),
    "mistral": ("mistral", _DecoderSpec("MistralForCausalLM", _MISTRAL, False, False, sliding="all")),
    "mixtral": ("mixtral", _DecoderSpec("MixtralForCausalLM", _MIXTRAL, False, False, moe="mixtral", sliding="all")),
    "qwen2": ("qwen2", _DecoderSpec("Qwen2ForCausalLM", _QWEN2, True, False, sliding="qwen2")),
    "qwen2_moe": (
        "qwen2_moe",
        _DecoderSpec("Qwen2MoeForCausalLM", _QWEN2_MOE, "qkv_bias", False, moe="qwen2_moe", sliding="qwen2_moe"),
    ),
    "qwen3": ("qwen3", _DecoderSpec("Qwen3ForCausalLM", _QWEN3, qk_norm=True, sliding="qwen2")),
    "qwen3_moe": (
        "qwen3_moe",
        _DecoderSpec("Qwen3MoeForCausalLM", _QWEN3_MOE, qk_norm=True, moe="qwen3_moe", sliding="qwen3_moe"),
    ),
    "gemma": ("gemma", _DecoderSpec("GemmaForCausalLM", _GEMMA)),
    "gemma2": ("gemma2", _DecoderSpec("Gemma2ForCausalLM", _GEMMA2, norms_per_layer=4, sliding="gemma2")),
    "gemma3_text": (
        "gemma3",
        _DecoderSpec("Gemma3ForCausalLM", _GEMMA3_TEXT, qk_norm=True, norms_per_layer=4, sliding="gemma3"),
    ),
    "phi3": ("phi3", _DecoderSpec("Phi3ForCausalLM", _PHI3, False, False, sliding="all")),
}


def _build_decoder(config: Mapping[str, Any], model_type: str) -> Architecture:
    family, spec = _DECODERS[model_type]
    return _decoder(_Reader(config, spec.defaults), model_type, family, spec)


def _build_gemma3(config: Mapping[str, Any], model_type: str) -> Architecture:
    """Multimodal gemma-3: count the text model only, as built inside ``Gemma3ForConditionalGeneration``.

    Its layers come from ``text_config``; whether the output head is tied comes from the top
    level (``Gemma3Config.tie_word_embeddings``, default true), which is what transformers
    reads for the whole model -- a ``tie_word_embeddings`` inside ``text_config`` is ignored.
    """
    text = config.get("text_config")
    text = {} if text is None else text
    if not isinstance(text, Mapping):
        raise InvalidArchitectureConfig("text_config must be a JSON object")
    top = _Reader(config, {"tie_word_embeddings": True})
    text = {**text, "tie_word_embeddings": top.boolean("tie_word_embeddings")}
    _, spec = _DECODERS["gemma3_text"]
    counted = "Gemma3ForConditionalGeneration, text model only (vision tower and projector not counted)"
    spec = _DecoderSpec(counted, spec.defaults, qk_norm=True, norms_per_layer=4, sliding="gemma3")
    arch = _decoder(_Reader(text, spec.defaults, prefix="text_config."), model_type, "gemma3", spec)
    return replace(arch, defaults_used=(*top.defaults_used, *arch.defaults_used))


# --------------------------------------------------------------------------- falcon

_FALCON = {
    "vocab_size": 65024, "hidden_size": 4544, "num_hidden_layers": 32, "num_attention_heads": 71,
    "num_kv_heads": None, "new_decoder_architecture": False, "multi_query": True, "parallel_attn": True,
    "bias": False, "max_position_embeddings": 2048, "ffn_hidden_size": None, "tie_word_embeddings": True,
    "num_ln_in_parallel_attn": None,
}  # fmt: skip


def _build_falcon(config: Mapping[str, Any], model_type: str) -> Architecture:
    defaults = dict(_FALCON)
    if model_type == "RefinedWeb":  # falcon-40b's remote code: always the new decoder block
        defaults["new_decoder_architecture"] = True
    r = _Reader(config, defaults)
    n = r.integer("num_hidden_layers", "n_layer")
    h = r.integer("hidden_size", "n_embed")
    heads = r.integer("num_attention_heads", "n_head")
    if h % heads:
        raise InvalidArchitectureConfig(f"hidden_size {h} is not a multiple of num_attention_heads {heads}")
    d = h // heads  # FalconAttention ignores any head_dim key
    vocab = r.integer("vocab_size")
    new_decoder = r.boolean("new_decoder_architecture")
    multi_query = r.boolean("multi_query")
    parallel = r.boolean("parallel_attn")
    bias = r.boolean("bias")
    ffn = r.opt_integer("ffn_hidden_size") or 4 * h
    tied = r.boolean("tie_word_embeddings")
    if new_decoder:
        kv = _kv_heads(r, heads, "num_kv_heads", "n_head_kv")
        qkv_out = (2 * kv + heads) * d
    elif multi_query:
        kv, qkv_out = 1, h + 2 * d
    else:
        kv, qkv_out = heads, 3 * h
    n_ln = r.opt_integer("num_ln_in_parallel_attn") or (2 if new_decoder else None)
    norms_per_layer = 2 if (not parallel or n_ln == 2) else 1

    t = _Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * (_linear(h, qkv_out, bias) + _linear(h, h, bias)))
    t.add("mlp", n * (_linear(h, ffn, bias) + _linear(ffn, h, bias)))
    t.add("norms", n * norms_per_layer * 2 * h + 2 * h)
    t.add("lm_head", 0 if tied else vocab * h)
    return _ungated_dense(r, t, model_type=model_type, family="falcon", counted_class="FalconForCausalLM",
                          layers=n, hidden=h, heads=heads, intermediate=ffn, vocab=vocab, tied=tied,
                          positions=r.opt_integer("max_position_embeddings"), kv_heads=kv, head_dim=d)


# --------------------------------------------------------------------------- gpt2, gpt-neox

_GPT2 = {
    "vocab_size": 50257, "n_positions": 1024, "n_embd": 768, "n_layer": 12, "n_head": 12, "n_inner": None,
    "tie_word_embeddings": True, "add_cross_attention": False,
}  # fmt: skip


def _build_gpt2(config: Mapping[str, Any], model_type: str) -> Architecture:
    r = _Reader(config, _GPT2)
    n = r.integer("n_layer", "num_hidden_layers")
    h = r.integer("n_embd", "hidden_size")
    heads = r.integer("n_head", "num_attention_heads")
    if h % heads:
        raise InvalidArchitectureConfig(f"n_embd {h} is not a multiple of n_head {heads}")
    positions = r.integer("n_positions", "max_position_embeddings")
    vocab = r.integer("vocab_size")
    inner = r.opt_integer("n_inner") or 4 * h
    tied = r.boolean("tie_word_embeddings")
    cross = r.boolean("add_cross_attention")

    t = _Tally()
    t.add("embeddings", vocab * h + positions * h)
    attention = _linear(h, 3 * h, True) + _linear(h, h, True)
    if cross:  # GPT2Attention(is_cross_attention=True): c_attn 2h, q_attn, c_proj
        attention += _linear(h, 2 * h, True) + _linear(h, h, True) + _linear(h, h, True)
    t.add("attention", n * attention)
    t.add("mlp", n * (_linear(h, inner, True) + _linear(inner, h, True)))
    t.add("norms", n * (2 + int(cross)) * 2 * h + 2 * h)
    t.add("lm_head", 0 if tied else vocab * h)
    return _ungated_dense(r, t, model_type=model_type, family="gpt2", counted_class="GPT2LMHeadModel", layers=n,
                          hidden=h, heads=heads, intermediate=inner, vocab=vocab, tied=tied, positions=positions)


_GPT_NEOX = {
    "vocab_size": 50432, "hidden_size": 6144, "num_hidden_layers": 44, "num_attention_heads": 64,
    "intermediate_size": 24576, "max_position_embeddings": 2048, "tie_word_embeddings": False,
    "attention_bias": True,
}  # fmt: skip


def _build_gpt_neox(config: Mapping[str, Any], model_type: str) -> Architecture:
    r = _Reader(config, _GPT_NEOX)
    n = r.integer("num_hidden_layers")
    h = r.integer("hidden_size")
    heads = r.integer("num_attention_heads")
    if h % heads:
        raise InvalidArchitectureConfig(f"hidden_size {h} is not a multiple of num_attention_heads {heads}")
    vocab = r.integer("vocab_size")
    inter = r.integer("intermediate_size")
    tied = r.boolean("tie_word_embeddings")
    bias = r.boolean("attention_bias")

    t = _Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * (_linear(h, 3 * h, bias) + _linear(h, h, bias)))
    t.add("mlp", n * (_linear(h, inter, True) + _linear(inter, h, True)))
    t.add("norms", n * 2 * 2 * h + 2 * h)
    t.add("lm_head", 0 if tied else vocab * h)
    return _ungated_dense(r, t, model_type=model_type, family="gpt_neox", counted_class="GPTNeoXForCausalLM",
                          layers=n, hidden=h, heads=heads, intermediate=inter, vocab=vocab, tied=tied,
                          positions=r.opt_integer("max_position_embeddings"))


def _ungated_dense(r: _Reader, t: _Tally, *, model_type: str, family: str, counted_class: str, layers: int,
                   hidden: int, heads: int, intermediate: int, vocab: int, tied: bool, positions: int | None,
                   kv_heads: int | None = None, head_dim: int | None = None, layer_kind: str = FULL_ATTENTION,
                   is_encoder: bool = False) -> Architecture:
    """A dense model with a plain (ungated) MLP and no sliding window: falcon, gpt2, gpt_neox,
    bert. Every parameter is active; KV heads default to one per query head."""
    return Architecture(
        model_type=model_type,
        family=family,
        counted_class=counted_class,
        num_layers=layers,
        hidden_size=hidden,
        num_heads=heads,
        num_kv_heads=heads if kv_heads is None else kv_heads,
        head_dim=hidden // heads if head_dim is None else head_dim,
        intermediate_size=intermediate,
        gated_mlp=False,
        vocab_size=vocab,
        tie_word_embeddings=tied,
        max_position_embeddings=positions,
        sliding_window=None,
        layer_types=(layer_kind,) * layers,
        total_params=t.total,
        active_params=t.total,
        param_breakdown=MappingProxyType(dict(t.parts)),
        defaults_used=tuple(r.defaults_used),
        is_encoder=is_encoder,
    )


# --------------------------------------------------------------------------- deepseek (MLA + MoE)

_DEEPSEEK_V2 = {
    "vocab_size": 102400, "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32,
    "num_attention_heads": 32, "num_key_value_heads": None, "max_position_embeddings": 2048,
    "tie_word_embeddings": False, "attention_bias": False, "mlp_bias": False, "first_k_dense_replace": 0,
    "kv_lora_rank": 512, "q_lora_rank": 1536, "n_routed_experts": 64, "n_shared_experts": 2,
    "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "v_head_dim": 128, "num_experts_per_tok": None,
    "moe_intermediate_size": 1407,
}  # fmt: skip
_DEEPSEEK_V3 = {
    **_DEEPSEEK_V2, "vocab_size": 129280, "hidden_size": 7168, "intermediate_size": 18432,
    "moe_intermediate_size": 2048, "num_hidden_layers": 61, "num_attention_heads": 128, "num_key_value_heads": 128,
    "n_shared_experts": 1, "n_routed_experts": 256, "num_experts_per_tok": 8, "first_k_dense_replace": 3,
    "max_position_embeddings": 4096,
}  # fmt: skip


def _build_deepseek(config: Mapping[str, Any], model_type: str) -> Architecture:
    """DeepSeek-V2/V3: MLA attention; dense MLP in the first ``first_k_dense_replace`` layers, MoE after.

    transformers makes every layer from ``first_k_dense_replace`` on a MoE layer and does not
    read ``moe_layer_freq`` (1 in every published config).
    """
    v3 = model_type == "deepseek_v3"
    r = _Reader(config, _DEEPSEEK_V3 if v3 else _DEEPSEEK_V2)
    n = r.integer("num_hidden_layers")
    h = r.integer("hidden_size")
    heads = r.integer("num_attention_heads")
    kv_heads = _kv_heads(r, heads)
    vocab = r.integer("vocab_size")
    inter = r.integer("intermediate_size")
    tied = r.boolean("tie_word_embeddings")
    attn_bias = r.boolean("attention_bias")
    mlp_bias = False if v3 else r.boolean("mlp_bias")
    q_lora = r.opt_integer("q_lora_rank")
    kv_lora = r.integer("kv_lora_rank")
    nope, rope, v_dim = r.integer("qk_nope_head_dim"), r.integer("qk_rope_head_dim"), r.integer("v_head_dim")
    experts_key = ("n_routed_experts", "num_local_experts" if v3 else "num_experts")
    num_experts = r.integer(*experts_key, minimum=0)
    shared = r.integer("n_shared_experts", minimum=0)
    moe_inter = r.integer("moe_intermediate_size")
    first_dense = r.integer("first_k_dense_replace", minimum=0)
    k = r.opt_integer("num_experts_per_tok")
    moe_layers = tuple(range(min(first_dense, n), n))
    if moe_layers and k is None:
        raise InvalidArchitectureConfig("num_experts_per_tok is required for a DeepSeek MoE config")

    qk = nope + rope
    if q_lora is None:
        attention = _linear(h, heads * qk, False)
        mla_norms = 0
    else:
        attention = _linear(h, q_lora, attn_bias) + _linear(q_lora, heads * qk, False)
        mla_norms = q_lora
    attention += _linear(h, kv_lora + rope, attn_bias) + _linear(kv_lora, heads * (nope + v_dim), False)
    attention += _linear(heads * v_dim, h, attn_bias)
    mla_norms += kv_lora

    t = _Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * attention)
    t.add("norms", n * (2 * h + mla_norms) + h)
    t.add("mlp", (n - len(moe_layers)) * (2 * _linear(h, inter, mlp_bias) + _linear(inter, h, mlp_bias)))
    per_expert = 3 * h * moe_inter
    t.add("router", len(moe_layers) * num_experts * h)
    t.add("experts", len(moe_layers) * num_experts * per_expert)
    shared_inter = moe_inter * shared
    t.add(
        "shared_experts",
        len(moe_layers) * (2 * _linear(h, shared_inter, mlp_bias) + _linear(shared_inter, h, mlp_bias)),
    )
    t.add("lm_head", 0 if tied else vocab * h)
    total = t.total
    active = total
    if moe_layers:
        assert k is not None  # checked above
        active = _moe_active(total, t, len(moe_layers), k, per_expert)
    is_moe = bool(moe_layers)
    return Architecture(
        model_type=model_type,
        family=model_type,
        counted_class="DeepseekV3ForCausalLM" if v3 else "DeepseekV2ForCausalLM",
        num_layers=n,
        hidden_size=h,
        num_heads=heads,
        num_kv_heads=kv_heads,
        head_dim=qk,
        intermediate_size=inter,
        gated_mlp=True,
        vocab_size=vocab,
        tie_word_embeddings=tied,
        max_position_embeddings=r.opt_integer("max_position_embeddings"),
        sliding_window=None,
        layer_types=(MLA,) * n,
        total_params=total,
        active_params=active,
        param_breakdown=MappingProxyType(dict(t.parts)),
        num_experts=num_experts if is_moe else None,
        experts_per_token=k if is_moe else None,
        moe_intermediate_size=moe_inter if is_moe else None,
        num_shared_experts=shared if is_moe else 0,
        shared_expert_intermediate_size=shared_inter if is_moe and shared else None,
        first_dense_layers=min(first_dense, n),
        moe_layer_indices=moe_layers,
        kv_lora_rank=kv_lora,
        q_lora_rank=q_lora,
        qk_nope_head_dim=nope,
        qk_rope_head_dim=rope,
        v_head_dim=v_dim,
        defaults_used=tuple(r.defaults_used),
    )


# --------------------------------------------------------------------------- bert

_BERT = {
    "vocab_size": 30522, "hidden_size": 768, "num_hidden_layers": 12, "num_attention_heads": 12,
    "intermediate_size": 3072, "max_position_embeddings": 512, "type_vocab_size": 2, "is_decoder": False,
    "add_cross_attention": False, "tie_word_embeddings": True,
}  # fmt: skip


def _build_bert(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``BertModel`` with its pooler; no masked-LM, next-sentence or classification head."""
    r = _Reader(config, _BERT)
    n = r.integer("num_hidden_layers")
    h = r.integer("hidden_size")
    heads = r.integer("num_attention_heads")
    if h % heads:
        raise InvalidArchitectureConfig(f"hidden_size {h} is not a multiple of num_attention_heads {heads}")
    vocab = r.integer("vocab_size")
    inter = r.integer("intermediate_size")
    positions = r.integer("max_position_embeddings")
    token_types = r.integer("type_vocab_size", minimum=0)
    cross = r.boolean("add_cross_attention")
    if cross and not r.boolean("is_decoder"):
        raise InvalidArchitectureConfig("add_cross_attention needs is_decoder: BertModel refuses the combination")

    t = _Tally()
    t.add("embeddings", (vocab + positions + token_types) * h)
    attention_block = 4 * _linear(h, h, True)  # query, key, value, output dense
    t.add("attention", n * attention_block * (2 if cross else 1))
    t.add("mlp", n * (_linear(h, inter, True) + _linear(inter, h, True)))
    t.add("norms", 2 * h + n * (3 if cross else 2) * 2 * h)  # embeddings LN + per-layer LNs
    t.add("pooler", _linear(h, h, True))
    tied = r.boolean("tie_word_embeddings")  # BertModel has no output head; the flag is the config's
    # an encoder: no KV cache between steps
    return _ungated_dense(r, t, model_type=model_type, family="bert", counted_class="BertModel (with pooler)",
                          layers=n, hidden=h, heads=heads, intermediate=inter, vocab=vocab, tied=tied,
                          positions=positions, layer_kind=BIDIRECTIONAL, is_encoder=True)


# --------------------------------------------------------------------------- entry point

_BUILDERS = {
    **dict.fromkeys(_DECODERS, _build_decoder),
    "gemma3": _build_gemma3,
    "falcon": _build_falcon,
    "RefinedWeb": _build_falcon,
    "RefinedWebModel": _build_falcon,
    "gpt2": _build_gpt2,
    "gpt_neox": _build_gpt_neox,
    "deepseek_v2": _build_deepseek,
    "deepseek_v3": _build_deepseek,
    "bert": _build_bert,
}

#: Every ``model_type`` counted exactly, sorted.
SUPPORTED_MODEL_TYPES: tuple[str, ...] = tuple(sorted(_BUILDERS, key=str.lower))


def architecture_from_config(config: Mapping[str, Any]) -> Architecture:
    """Architecture facts, with exact parameter counts, from a Hugging Face ``config.json`` dict.

    Raises :class:`UnsupportedArchitecture` for a ``model_type`` outside
    ``SUPPORTED_MODEL_TYPES`` (never a guess from a similar family), and
    :class:`InvalidArchitectureConfig` when a field holds a value no model could be built from.
    The mapping is only read, never changed.
    """
    if not isinstance(config, Mapping):
        raise InvalidArchitectureConfig(f"a config must be a JSON object, got {type(config).__name__}")
    model_type = config.get("model_type")
    if not isinstance(model_type, str) or model_type not in _BUILDERS:
        raise UnsupportedArchitecture(model_type)
    arch = _BUILDERS[model_type](config, model_type)
    if arch.total_params > MAX_PARAMS:
        raise InvalidArchitectureConfig(f"the config describes {arch.total_params:,} parameters, above the limit of "
                                        f"{MAX_PARAMS:,} (is the config.json corrupt?)")
    return arch
