"""Llama-style decoders (Llama, Mistral, Mixtral, Qwen, Gemma) from one spec table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from model_scorecard.calc.architecture.model import (
    FULL_ATTENTION,
    SLIDING_ATTENTION,
    Architecture,
    InvalidArchitectureConfig,
)
from model_scorecard.calc.architecture.reader import (
    Reader,
    Tally,
    attention_params,
    decoder_architecture,
    gated_mlp_params,
    linear_params,
    moe_active_params,
    moe_fields,
    read_decoder_dims,
    read_layer_types,
)
from model_scorecard.calc.architecture.vision import (
    pixtral_vision_params,
    siglip_vision_params,
    sub_config,
)

# --------------------------------------------------------------------------- decoders


@dataclass(frozen=True)
class DecoderSpec:
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


def _flag(reader: Reader, spec_value: str | bool) -> bool:
    return reader.boolean(spec_value) if isinstance(spec_value, str) else spec_value


def _decoder_layer_types(reader: Reader, spec: DecoderSpec, n: int) -> tuple[tuple[str, ...], int | None]:
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
            types = read_layer_types(
                reader, n, lambda: [slide if window is not None and i >= max_window else full for i in range(n)]
            )
        else:
            types = read_layer_types(
                reader, n, lambda: [slide if (i + 1) % 2 and i < max_window and window else full for i in range(n)]
            )
        return types, (window if slide in types else None)
    if spec.sliding == "gemma2":
        types = read_layer_types(reader, n, lambda: [slide if (i + 1) % 2 else full for i in range(n)])
        return types, (reader.opt_integer("sliding_window") if slide in types else None)
    if spec.sliding == "gemma3":

        def every_nth_full() -> list[str]:
            pattern = reader.integer("sliding_window_pattern")  # an int in older configs; transformers reads it
            return [slide if (i + 1) % pattern else full for i in range(n)]

        types = read_layer_types(reader, n, every_nth_full)
        window = reader.opt_integer("sliding_window")
        if window is not None and reader.config.get("use_bidirectional_attention"):
            window = window // 2 + 1  # as Gemma3TextConfig.__post_init__ does
        return types, (window if slide in types else None)
    if spec.sliding == "smollm3":  # a window only on the NoPE layers, and only when use_sliding_window

        def nope_layers_slide() -> list[str]:
            window_on = reader.boolean("use_sliding_window") and reader.opt_integer("sliding_window") is not None
            ropes = reader.config.get("no_rope_layers")
            if ropes is None:
                interval = reader.integer("no_rope_layer_interval")
                ropes = [int((i + 1) % interval != 0) for i in range(n)]
            elif not isinstance(ropes, list) or len(ropes) != n:
                raise InvalidArchitectureConfig(f"no_rope_layers must list a flag for each of the {n} layers",
                                                "no_rope_layers")
            return [slide if window_on and not rope else full for rope in ropes]

        types = read_layer_types(reader, n, nope_layers_slide)
        return types, (reader.opt_integer("sliding_window") if slide in types else None)
    raise AssertionError(spec.sliding)


def _decoder(reader: Reader, model_type: str, family: str, spec: DecoderSpec) -> Architecture:
    """Llama-like decoders: llama, mistral, mixtral, qwen2(_moe), qwen3(_moe), gemma 1-3, phi3."""
    dims = n, h, heads, kv, d, vocab, inter, tied = read_decoder_dims(reader)
    assert inter is not None and tied is not None
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

    t = Tally()
    t.add("embeddings", vocab * h)
    t.add("attention", n * attention_params(h, heads, kv, d, qkv_bias, o_bias))
    t.add("norms", n * (spec.norms_per_layer * h + (2 * d if spec.qk_norm else 0)) + h)
    t.add("mlp", (n - len(moe_layers)) * gated_mlp_params(h, inter, mlp_bias))
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
    active = t.total
    if moe_layers:
        assert k is not None and moe_inter is not None
        active = moe_active_params(t.total, t, len(moe_layers), k, 3 * h * moe_inter)
    return decoder_architecture(
        reader, t, dims, model_type=model_type, family=family, counted_class=spec.counted_class,
        sliding_window=window, layer_types=layer_types, active_params=active,
        **moe_fields(moe_layers, num_experts, k, moe_inter, shared=num_shared, shared_width=shared_inter),
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

_GRANITE = _LLAMA  # GraniteConfig has LlamaConfig's sizes; its four multipliers hold no weights

_SMOLLM3 = {
    "vocab_size": 128256, "hidden_size": 2048, "intermediate_size": 11008, "num_hidden_layers": 36,
    "num_attention_heads": 16, "num_key_value_heads": 4, "max_position_embeddings": 32768,
    "tie_word_embeddings": True, "attention_bias": False, "mlp_bias": False, "use_sliding_window": False,
    "sliding_window": None, "no_rope_layer_interval": 4,
}  # fmt: skip

_ERNIE4_5 = {
    "vocab_size": 103424, "hidden_size": 1024, "intermediate_size": 3072, "num_hidden_layers": 18,
    "num_attention_heads": 16, "num_key_value_heads": 2, "head_dim": 128, "max_position_embeddings": 131072,
    "tie_word_embeddings": True, "use_bias": False,
}  # fmt: skip  # Ernie4_5Config (transformers 5.25): Llama-shaped, one use_bias for q/k/v/o and the MLP

DECODER_SPECS: dict[str, tuple[str, DecoderSpec]] = {
    "llama": ("llama", DecoderSpec("LlamaForCausalLM", _LLAMA, mlp_bias="mlp_bias")),
    "mistral": ("mistral", DecoderSpec("MistralForCausalLM", _MISTRAL, False, False, sliding="all")),
    "mixtral": ("mixtral", DecoderSpec("MixtralForCausalLM", _MIXTRAL, False, False, moe="mixtral", sliding="all")),
    "qwen2": ("qwen2", DecoderSpec("Qwen2ForCausalLM", _QWEN2, True, False, sliding="qwen2")),
    "qwen2_moe": (
        "qwen2_moe",
        DecoderSpec("Qwen2MoeForCausalLM", _QWEN2_MOE, "qkv_bias", False, moe="qwen2_moe", sliding="qwen2_moe"),
    ),
    "qwen3": ("qwen3", DecoderSpec("Qwen3ForCausalLM", _QWEN3, qk_norm=True, sliding="qwen2")),
    "qwen3_moe": (
        "qwen3_moe",
        DecoderSpec("Qwen3MoeForCausalLM", _QWEN3_MOE, qk_norm=True, moe="qwen3_moe", sliding="qwen3_moe"),
    ),
    "gemma": ("gemma", DecoderSpec("GemmaForCausalLM", _GEMMA)),
    "gemma2": ("gemma2", DecoderSpec("Gemma2ForCausalLM", _GEMMA2, norms_per_layer=4, sliding="gemma2")),
    "gemma3_text": (
        "gemma3",
        DecoderSpec("Gemma3ForCausalLM", _GEMMA3_TEXT, qk_norm=True, norms_per_layer=4, sliding="gemma3"),
    ),
    "phi3": ("phi3", DecoderSpec("Phi3ForCausalLM", _PHI3, False, False, sliding="all")),
    "granite": ("granite", DecoderSpec("GraniteForCausalLM", _GRANITE, mlp_bias="mlp_bias")),
    "smollm3": ("smollm3", DecoderSpec("SmolLM3ForCausalLM", _SMOLLM3, mlp_bias="mlp_bias", sliding="smollm3")),
    "ernie4_5": ("ernie4_5", DecoderSpec("Ernie4_5ForCausalLM", _ERNIE4_5, "use_bias", "use_bias", mlp_bias="use_bias")),
}


def build_decoder(config: Mapping[str, Any], model_type: str) -> Architecture:
    family, spec = DECODER_SPECS[model_type]
    return _decoder(Reader(config, spec.defaults), model_type, family, spec)


def decode_with_spec(config: Mapping[str, Any], model_type: str, family: str, spec: DecoderSpec) -> Architecture:
    """A Llama-like decoder described by a spec defined outside this table (Cohere 2)."""
    return _decoder(Reader(config, spec.defaults), model_type, family, spec)


def build_gemma3(config: Mapping[str, Any], model_type: str) -> Architecture:
    """Multimodal gemma-3: the whole ``Gemma3ForConditionalGeneration`` checkpoint, as a serving
    engine loads it -- the text model, the SigLIP vision tower and the multimodal projector --
    with the text model alone as ``text_params``.

    Its layers come from ``text_config``; whether the output head is tied comes from the top
    level (``Gemma3Config.tie_word_embeddings``, default true), which is what transformers
    reads for the whole model -- a ``tie_word_embeddings`` inside ``text_config`` is ignored.
    The projector is one matrix from the vision width to the text width and an RMSNorm weight.
    """
    text = sub_config(config, "text_config")
    top = Reader(config, {"tie_word_embeddings": True})
    text = {**text, "tie_word_embeddings": top.boolean("tie_word_embeddings")}
    _, spec = DECODER_SPECS["gemma3_text"]
    counted = "Gemma3ForConditionalGeneration (vision tower and projector included)"
    spec = DecoderSpec(counted, spec.defaults, qk_norm=True, norms_per_layer=4, sliding="gemma3")
    arch = _decoder(Reader(text, spec.defaults, prefix="text_config."), model_type, "gemma3", spec)
    vision, vision_width, vision_defaults = siglip_vision_params(sub_config(config, "vision_config"))
    vision += vision_width * arch.hidden_size + vision_width  # mm_input_projection, mm_soft_emb_norm
    parts = {**arch.param_breakdown, "vision": vision}
    return replace(arch, total_params=arch.total_params + vision,
                   param_breakdown=MappingProxyType(parts), text_params=arch.total_params,
                   defaults_used=(*top.defaults_used, *arch.defaults_used, *vision_defaults))


_MINISTRAL3 = {
    "vocab_size": 131072, "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 34,
    "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 128, "max_position_embeddings": 262144,
    "sliding_window": None,
}  # fmt: skip


def build_mistral3(config: Mapping[str, Any], model_type: str) -> Architecture:
    """``Mistral3ForConditionalGeneration`` (Mistral Small 3.1+, Devstral Small 2, Magistral): the
    whole checkpoint -- the Llama-like text model (``text_config``, bias-free, a window on every
    layer when ``sliding_window`` is set), the Pixtral vision tower and the projector (an RMSNorm,
    the patch merger's bias-free ``spatial_merge_size``² → 1 projection and two linear layers,
    biased when ``multimodal_projector_bias``) -- with the text model as ``text_params``. The output
    head is tied by the top-level ``tie_word_embeddings`` (Mistral3Config's default: true)."""
    top = Reader(config, {"tie_word_embeddings": True, "spatial_merge_size": 2, "multimodal_projector_bias": False,
                          "vision_feature_layer": -1})
    text = {**sub_config(config, "text_config"), "tie_word_embeddings": top.boolean("tie_word_embeddings")}
    spec = DecoderSpec("Mistral3ForConditionalGeneration (vision tower and projector included)", _MINISTRAL3,
                       False, False, sliding="all")
    arch = _decoder(Reader(text, spec.defaults, prefix="text_config."), model_type, "mistral3", spec)
    vision, vision_width, vision_defaults = pixtral_vision_params(sub_config(config, "vision_config"))
    merge = top.integer("spatial_merge_size")
    bias = top.boolean("multimodal_projector_bias")
    layers = top.raw("vision_feature_layer")
    feature_layers = len(layers) if isinstance(layers, list) else 1
    h = arch.hidden_size
    vision += (vision_width + vision_width * merge * merge * vision_width
               + linear_params(vision_width * feature_layers, h, bias) + linear_params(h, h, bias))
    parts = {**arch.param_breakdown, "vision": vision}
    return replace(arch, total_params=arch.total_params + vision, param_breakdown=MappingProxyType(parts),
                   text_params=arch.total_params,
                   defaults_used=(*top.defaults_used, *arch.defaults_used, *vision_defaults))
