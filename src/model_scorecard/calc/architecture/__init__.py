"""Architecture facts from a Hugging Face ``config.json``, with exact parameter counts.

``architecture_from_config(config)`` reads the fields that the transformers modelling code
reads and returns an :class:`Architecture`. Its ``total_params`` equals
``sum(p.numel() for p in model.parameters())`` for the model class named in
``Architecture.counted_class`` built from the same config (tied weights counted once):

* decoder-only families: the ``AutoModelForCausalLM`` class (``LlamaForCausalLM``, ...);
* ``bert``: ``BertModel`` *with* its pooler (``add_pooling_layer=True``, the default), and no
  masked-LM or classification head;
* multimodal checkpoints (``gemma3``, ``llama4``, ``mistral3``, ``qwen3_5``, ``qwen3_5_moe``):
  the whole ``...ForConditionalGeneration`` model, as a serving engine loads it -- vision tower
  and projector included -- with the language model alone as ``Architecture.text_params``;
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

* ``deepseek_v32``: ``DeepseekV32ForCausalLM``, V3 plus a lightning indexer in every layer, whose
  128-wide key is cached per token beside the MLA latent;
* ``gemma4``: the whole ``Gemma4ForConditionalGeneration`` (vision tower and embedder included),
  its global layers with their own head width and KV heads; the per-layer input embeddings and
  shared-KV layers of Gemma 4 E2B/E4B are counted (a shared-KV layer caches nothing), their audio
  tower is refused, not guessed -- so E2B/E4B count as ``gemma4_text`` (``Gemma4ForCausalLM``);
* ``mamba``, ``mamba2``: attention-free, a constant conv + SSM state per sequence, no KV cache.
* ``cohere2``: ``Cohere2ForCausalLM``, a parallel attention + MLP block, three sliding-window
  layers to each global one (``layer_types``, else ``sliding_window_pattern``);
* ``granitemoehybrid`` (Granite 4.0 H), ``falcon_h1``: Mamba-2 hybrids -- Granite's layers are
  Mamba-2 or attention, each with a shared MLP and, in the MoE sizes, routed experts; every
  Falcon-H1 layer holds both an attention (KV cache) and a Mamba-2 mixer (constant state);
* ``ernie4_5_moe``: ``Ernie4_5_MoeForCausalLM`` (no MTP layer), routed between
  ``moe_layer_start_index`` and ``moe_layer_end_index``; its router's score-correction bias is
  a parameter there, and counted.

Hybrid families (``qwen3_5``, ``qwen3_5_moe``, ``qwen3_next``: Gated DeltaNet; ``jamba``: Mamba)
keep a constant per-sequence state in their linear-attention / Mamba layers
(``Architecture.state_elements_per_sequence``) beside the KV cache of their attention layers.
A ``model_type`` outside the table is counted by the builder of the class its
``architectures`` list names (Kimi K2's ``kimi_k2`` declares ``DeepseekV3ForCausalLM``); failing
that, a config with the standard decoder keys is read as a generic Llama-like decoder and
marked ``approximate`` (see :mod:`.generic`).

Verified against transformers 5.23.0 and 5.25.0 with ``benchmarks/verify_param_counts.py``
(DeepSeek-V3.2, Kimi K2, MiniMax-M2, Gemma 4, Mamba, Mamba-2, ERNIE 4.5, and Cohere 2, Granite
4.0 H, Falcon-H1, ERNIE 4.5 MoE and Gemma 4 E2B's text model against 5.25.0).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from model_scorecard.calc.architecture.classic import (
    build_bert,
    build_falcon,
    build_gpt2,
    build_gpt_neox,
)
from model_scorecard.calc.architecture.cohere import build_cohere2
from model_scorecard.calc.architecture.decoders import (
    DECODER_SPECS,
    build_decoder,
    build_gemma3,
    build_mistral3,
)
from model_scorecard.calc.architecture.deepseek import build_deepseek
from model_scorecard.calc.architecture.ernie import build_ernie4_5_moe
from model_scorecard.calc.architecture.gemma4 import build_gemma4, build_gemma4_text
from model_scorecard.calc.architecture.generic import build_generic, has_standard_keys
from model_scorecard.calc.architecture.glm import build_glm4_moe
from model_scorecard.calc.architecture.gpt_oss import build_gpt_oss
from model_scorecard.calc.architecture.hybrid import build_qwen3_5, build_qwen3_next
from model_scorecard.calc.architecture.lfm2 import build_lfm2, build_lfm2_vl
from model_scorecard.calc.architecture.llama4 import build_llama4
from model_scorecard.calc.architecture.mamba import build_mamba, build_mamba2
from model_scorecard.calc.architecture.mamba2_hybrids import build_falcon_h1, build_granitemoehybrid
from model_scorecard.calc.architecture.minimax import build_minimax_m2
from model_scorecard.calc.architecture.model import (
    ATTENTION_KINDS,
    BIDIRECTIONAL,
    BREAKDOWN_KEYS,
    CHUNKED_ATTENTION,
    CONV,
    FULL_ATTENTION,
    LIMITS,
    LINEAR_ATTENTION,
    MAMBA,
    MAX_OTHER,
    MLA,
    SLIDING_ATTENTION,
    STATE_KINDS,
    Architecture,
    InvalidArchitectureConfig,
    UnsupportedArchitecture,
)
from model_scorecard.calc.architecture.post_norm import build_post_norm
from model_scorecard.calc.architecture.ssm import build_jamba, build_nemotron_h
from model_scorecard.units import MAX_PARAMS

__all__ = [
    "ATTENTION_KINDS",
    "BIDIRECTIONAL",
    "BREAKDOWN_KEYS",
    "CHUNKED_ATTENTION",
    "CONV",
    "FULL_ATTENTION",
    "LIMITS",
    "LINEAR_ATTENTION",
    "MAMBA",
    "MAX_OTHER",
    "MLA",
    "SLIDING_ATTENTION",
    "STATE_KINDS",
    "SUPPORTED_MODEL_TYPES",
    "Architecture",
    "InvalidArchitectureConfig",
    "UnsupportedArchitecture",
    "architecture_from_config",
]

# --------------------------------------------------------------------------- entry point

_BUILDERS = {
    **dict.fromkeys(DECODER_SPECS, build_decoder),
    "gemma3": build_gemma3,
    "falcon": build_falcon,
    "RefinedWeb": build_falcon,
    "RefinedWebModel": build_falcon,
    "gpt2": build_gpt2,
    "gpt_neox": build_gpt_neox,
    "deepseek_v2": build_deepseek,
    "deepseek_v3": build_deepseek,
    "deepseek_v32": build_deepseek,
    "bert": build_bert,
    "gpt_oss": build_gpt_oss,
    "qwen3_5": build_qwen3_5,
    "qwen3_5_moe": build_qwen3_5,
    "llama4": build_llama4,
    "mistral3": build_mistral3,
    "olmo2": build_post_norm,
    "olmo3": build_post_norm,
    "exaone4": build_post_norm,
    "jamba": build_jamba,
    "glm4_moe": build_glm4_moe,
    "qwen3_next": build_qwen3_next,
    "lfm2": build_lfm2,
    "lfm2_vl": build_lfm2_vl,
    "nemotron_h": build_nemotron_h,
    "minimax_m2": build_minimax_m2,
    "gemma4": build_gemma4,
    "gemma4_text": build_gemma4_text,
    "mamba": build_mamba,
    "mamba2": build_mamba2,
    "cohere2": build_cohere2,
    "granitemoehybrid": build_granitemoehybrid,
    "falcon_h1": build_falcon_h1,
    "ernie4_5_moe": build_ernie4_5_moe,
}

#: A model class named in a config's ``architectures`` -> the ``model_type`` whose builder counts
#: it, for configs whose ``model_type`` is a rename of a known class (Kimi K2's ``kimi_k2``
#: declares ``DeepseekV3ForCausalLM``).
_CLASSES = {
    "LlamaForCausalLM": "llama",
    "MistralForCausalLM": "mistral",
    "MixtralForCausalLM": "mixtral",
    "Qwen2ForCausalLM": "qwen2",
    "Qwen2MoeForCausalLM": "qwen2_moe",
    "Qwen3ForCausalLM": "qwen3",
    "Qwen3MoeForCausalLM": "qwen3_moe",
    "GemmaForCausalLM": "gemma",
    "Gemma2ForCausalLM": "gemma2",
    "Gemma3ForCausalLM": "gemma3_text",
    "Phi3ForCausalLM": "phi3",
    "DeepseekV2ForCausalLM": "deepseek_v2",
    "DeepseekV3ForCausalLM": "deepseek_v3",
    "DeepseekV32ForCausalLM": "deepseek_v32",
    "GptOssForCausalLM": "gpt_oss",
    "Olmo2ForCausalLM": "olmo2",
    "Olmo3ForCausalLM": "olmo3",
    "Exaone4ForCausalLM": "exaone4",
    "JambaForCausalLM": "jamba",
    "Glm4MoeForCausalLM": "glm4_moe",
    "SmolLM3ForCausalLM": "smollm3",
    "Qwen3NextForCausalLM": "qwen3_next",
    "Lfm2ForCausalLM": "lfm2",
    "NemotronHForCausalLM": "nemotron_h",
    "GraniteForCausalLM": "granite",
    "MiniMaxM2ForCausalLM": "minimax_m2",
    "Gemma4ForConditionalGeneration": "gemma4",
    "Gemma4ForCausalLM": "gemma4_text",
    "MambaForCausalLM": "mamba",
    "Mamba2ForCausalLM": "mamba2",
    "Ernie4_5ForCausalLM": "ernie4_5",
    "Ernie4_5_ForCausalLM": "ernie4_5",  # the name Baidu's remote code used
    "Ernie4_5_MoeForCausalLM": "ernie4_5_moe",
    "Cohere2ForCausalLM": "cohere2",
    "GraniteMoeHybridForCausalLM": "granitemoehybrid",
    "FalconH1ForCausalLM": "falcon_h1",
}

def _routed_type(config: Mapping[str, Any]) -> str | None:
    """The known model_type of the first class in the config's ``architectures`` (None: none known)."""
    classes = config.get("architectures")
    if isinstance(classes, list) and classes and isinstance(classes[0], str):
        return _CLASSES.get(classes[0])
    return None


#: Every ``model_type`` counted exactly, sorted.
SUPPORTED_MODEL_TYPES: tuple[str, ...] = tuple(sorted(_BUILDERS, key=str.lower))


def architecture_from_config(config: Mapping[str, Any]) -> Architecture:
    """Architecture facts, with exact parameter counts, from a Hugging Face ``config.json`` dict.

    A ``model_type`` outside ``SUPPORTED_MODEL_TYPES`` is counted by the builder of the first
    class its ``architectures`` list names when that class is known (``kimi_k2`` as
    ``DeepseekV3ForCausalLM``); failing that, a config with the standard decoder keys is read as
    a generic Llama-like decoder and marked ``approximate``. Raises
    :class:`UnsupportedArchitecture` when none of these applies, and
    :class:`InvalidArchitectureConfig` when a field holds a value no model could be built from.
    The mapping is only read, never changed.
    """
    if not isinstance(config, Mapping):
        raise InvalidArchitectureConfig(f"a config must be a JSON object, got {type(config).__name__}")
    model_type = config.get("model_type")
    if isinstance(model_type, str) and model_type in _BUILDERS:
        arch = _BUILDERS[model_type](config, model_type)
    elif (routed := _routed_type(config)) is not None:
        arch = replace(_BUILDERS[routed](config, routed), model_type=str(model_type))
    elif has_standard_keys(config):
        arch = build_generic(config, model_type if isinstance(model_type, str) else "unknown")
    else:
        raise UnsupportedArchitecture(model_type, SUPPORTED_MODEL_TYPES)
    if arch.total_params > MAX_PARAMS:
        raise InvalidArchitectureConfig(f"the config describes {arch.total_params:,} parameters, above the limit of "
                                        f"{MAX_PARAMS:,} (is the config.json corrupt?)")
    return arch

