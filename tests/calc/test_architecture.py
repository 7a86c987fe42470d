"""Architecture facts and exact parameter counts from real ``config.json`` files.

Every ``TRANSFORMERS_TOTALS`` literal was measured, not derived: the model class was built
from the fixture on the ``meta`` device with torch 2.13.0 (CPU) and transformers 5.23.0
(gpt-oss, Qwen3.5 and the whole gemma-3-4b checkpoint: torch 2.14.1 and transformers 5.25.0,
which also re-measured every other fixture unchanged), and
``sum(p.numel() for p in model.parameters())`` taken (tied weights once), by
``benchmarks/verify_param_counts.py`` -- which also checks the per-category breakdown of
every fixture and of several hundred random configs (``--fuzz``). Where each fixture's text
came from is in ``tests/calc/configs/SOURCES.md``.

"Active" parameters, as in docs/domain.md §1: everything one token touches -- the whole
embedding table and output head, attention, norms, router, shared experts and
``experts_per_token`` routed experts. Mistral and Qwen publish that figure; DeepSeek leaves
the input embedding table out of its "activated" numbers, and vendors round (or truncate)
to one decimal, so published figures are compared within 0.1B in their last digit.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model_scorecard.calc.architecture import (
    BREAKDOWN_KEYS,
    LIMITS,
    MAX_OTHER,
    SUPPORTED_MODEL_TYPES,
    Architecture,
    InvalidArchitectureConfig,
    UnsupportedArchitecture,
    architecture_from_config,
)
from model_scorecard.errors import UserError
from model_scorecard.units import MAX_PARAMS

CONFIGS = Path(__file__).parent / "configs"

# fixture name -> sum(p.numel() for p in model.parameters()) of the class transformers
# 5.23.0 builds from it (see the module docstring for how it was measured).
TRANSFORMERS_TOTALS = {
    "EleutherAI--pythia-1b": 1_011_781_632,  # GPTNeoXForCausalLM
    "Qwen--Qwen1.5-MoE-A2.7B-Chat": 14_315_784_192,  # Qwen2MoeForCausalLM
    "Qwen--Qwen2-7B-Instruct": 7_615_616_512,  # Qwen2ForCausalLM
    "Qwen--Qwen2.5-0.5B": 494_032_768,  # Qwen2ForCausalLM, tied
    "Qwen--Qwen3-30B-A3B": 30_532_122_624,  # Qwen3MoeForCausalLM
    "Qwen--Qwen3-8B": 8_190_735_360,  # Qwen3ForCausalLM
    "deepseek-ai--DeepSeek-V2-Lite": 15_706_484_224,  # DeepseekV2ForCausalLM
    "deepseek-ai--DeepSeek-V3": 671_026_404_352,  # DeepseekV3ForCausalLM (no MTP layer)
    "google--gemma-2-9b": 9_241_705_984,  # Gemma2ForCausalLM, tied
    "google--gemma-2b": 2_506_172_416,  # GemmaForCausalLM, tied
    "google--gemma-3-1b-it": 999_885_952,  # Gemma3ForCausalLM, tied
    # The whole Gemma3ForConditionalGeneration checkpoint (the "4.3B" the Hub shows), vision
    # tower and projector included; the text model alone measured 3,880,263,168 (text_params).
    "google--gemma-3-4b-it": 4_300_079_472,
    "google--gemma-7b": 8_537_680_896,  # GemmaForCausalLM, tied
    "google-bert--bert-base-uncased": 109_482_240,  # BertModel with pooler
    "openai--gpt-oss-120b": 116_829_156_672,  # GptOssForCausalLM (transformers 5.25.0)
    # Llama4ForConditionalGeneration, vision tower included (transformers 5.25.0)
    "meta-llama--Llama-4-Scout-17B-16E": 108_641_793_536,
    "ai21labs--AI21-Jamba-1.5-Mini": 51_570_323_328,  # JambaForCausalLM (transformers 5.25.0)
    # Qwen3NextForCausalLM on a one-layer reduction of the release (see SOURCES.md; transformers 5.25.0)
    "Qwen--Qwen3-Next-80B-A3B-Instruct-reduced": 1_654_755_520,
    "HuggingFaceTB--SmolLM3-3B-Base": 3_075_098_624,
    # Lfm2VlForConditionalGeneration, SigLIP 2 tower and projector included (transformers 5.25.0)
    "LiquidAI--LFM2.5-VL-1.6B": 1_596_625_904,
    "nvidia--Nemotron-H-8B-Base-8K": 8_100_852_736,
    "ibm-granite--granite-3.3-8b-instruct": 8_170_864_640,  # GraniteForCausalLM, tied (transformers 5.25.0)  # NemotronHForCausalLM (transformers 5.25.0)  # SmolLM3ForCausalLM, tied (transformers 5.25.0)
    "zai-org--GLM-4.5-Air": 106_852_245_504,  # Glm4MoeForCausalLM, no MTP layer (transformers 5.25.0)
    "allenai--OLMo-2-1124-7B": 7_298_617_344,  # Olmo2ForCausalLM (transformers 5.25.0)
    "allenai--Olmo-3.1-32B-Instruct": 32_233_522_176,  # Olmo3ForCausalLM (transformers 5.25.0)
    "LGAI-EXAONE--EXAONE-4.0-32B": 32_003_216_384,  # Exaone4ForCausalLM (transformers 5.25.0)
    # Mistral3ForConditionalGeneration, Pixtral tower and projector included (transformers 5.25.0)
    "mistralai--Devstral-Small-2-24B-Instruct-2512": 24_011_361_280,
    # Qwen3_5(Moe)ForConditionalGeneration, vision encoder included (transformers 5.25.0)
    "Qwen--Qwen3.5-9B": 9_409_813_744,
    "Qwen--Qwen3.6-35B-A3B": 35_107_181_936,
    "meta-llama--Llama-3.1-70B-Instruct": 70_553_706_496,  # LlamaForCausalLM
    "meta-llama--Meta-Llama-3-8B": 8_030_261_248,  # LlamaForCausalLM
    "microsoft--Phi-3-mini-4k-instruct": 3_821_079_552,  # Phi3ForCausalLM
    "mistralai--Mistral-7B-v0.1": 7_241_732_096,  # MistralForCausalLM
    "mistralai--Mixtral-8x7B-v0.1": 46_702_792_704,  # MixtralForCausalLM
    "openai-community--gpt2": 124_439_808,  # GPT2LMHeadModel, tied
    "tiiuae--falcon-40b-instruct": 41_303_293_952,  # FalconForCausalLM (RW keys renamed), tied
    "tiiuae--falcon-7b": 6_921_720_704,  # FalconForCausalLM (RW keys renamed), tied
    "togethercomputer--RedPajama-INCITE-Chat-3B-v1": 2_775_864_320,  # GPTNeoXForCausalLM
    # Measured with transformers 5.25.0 (see test_families2.py)
    "deepseek-ai--DeepSeek-V3.2": 671_877_929_216,  # DeepseekV32ForCausalLM (indexer included, no MTP layer)
    "moonshotai--Kimi-K2-Instruct": 1_026_408_209_408,  # kimi_k2 built as DeepseekV3ForCausalLM
    "Qwen--Qwen3-Next-80B-A3B-Instruct": 79_674_391_296,  # Qwen3NextForCausalLM, the full release
    "MiniMaxAI--MiniMax-M2.7": 228_689_748_992,  # MiniMaxM2ForCausalLM (no MTP modules)
    # Gemma4ForConditionalGeneration, vision tower and embedder included; text model 30,697,345,280
    "google--gemma-4-31B-it": 31_273_086_512,
    "state-spaces--mamba-2.8b-hf": 2_768_345_600,  # MambaForCausalLM, tied
    "mistralai--Mamba-Codestral-7B-v0.1": 7_285_403_648,  # Mamba2ForCausalLM
    "baidu--ERNIE-4.5-0.3B-PT": 360_748_032,  # Ernie4_5ForCausalLM, tied
    # trimmed copies of real checkpoints' configs (see SOURCES.md and test_families3.py; transformers 5.25.0)
    "ibm-granite--granite-4.0-h-tiny-trimmed": 6_939_037_248,  # GraniteMoeHybridForCausalLM
    "ibm-granite--granite-4.0-h-1b-trimmed": 1_461_538_368,
    "ibm-granite--granite-4.0-h-350m-trimmed": 340_332_224,
    "tiiuae--Falcon-H1-7B-trimmed": 7_585_513_568,  # FalconH1ForCausalLM
    "tiiuae--Falcon-H1-3B-trimmed": 3_149_256_192,
    "baidu--ERNIE-4.5-21B-A3B-trimmed": 21_825_437_888,  # Ernie4_5_MoeForCausalLM (no MTP layer)
    "google--gemma-4-E2B-it-text_config": 4_628_569_344,  # Gemma4ForCausalLM: E2B's text model
}


def load(name: str) -> dict:
    return json.loads((CONFIGS / f"{name}.json").read_text(encoding="utf-8"))


def arch(name: str) -> Architecture:
    return architecture_from_config(load(name))


def near_published(value: int, published_billions: float, decimals: int = 1) -> bool:
    """True when a vendor's rounded *or* truncated figure (in billions) describes ``value``."""
    return abs(value / 1e9 - published_billions) < 10**-decimals


def test_every_fixture_has_a_measured_total_and_a_source() -> None:
    names = {p.stem for p in CONFIGS.glob("*.json")}
    assert names == set(TRANSFORMERS_TOTALS)
    sources = (CONFIGS / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"`{name}.json`" in sources for name in names)


@pytest.mark.parametrize("name", sorted(TRANSFORMERS_TOTALS))
def test_total_equals_transformers(name: str) -> None:
    assert arch(name).total_params == TRANSFORMERS_TOTALS[name]


@pytest.mark.parametrize("name", sorted(TRANSFORMERS_TOTALS))
def test_breakdown_sums_to_total_and_active_is_within_total(name: str) -> None:
    a = arch(name)
    assert tuple(a.param_breakdown) == BREAKDOWN_KEYS
    assert sum(a.param_breakdown.values()) == a.total_params
    assert all(v >= 0 for v in a.param_breakdown.values())
    assert 0 < a.active_params <= a.total_params
    if not a.is_moe:  # everything but a vision tower
        assert a.active_params == a.total_params - a.param_breakdown["vision"]
        assert a.param_breakdown["experts"] == a.param_breakdown["router"] == 0
    assert len(a.layer_types) == a.num_layers


# --- published totals ----------------------------------------------------------------


def test_published_totals_from_domain_md() -> None:
    # The Hub safetensors totals listed in docs/domain.md §1.
    assert arch("meta-llama--Meta-Llama-3-8B").total_params == 8_030_261_248
    assert arch("meta-llama--Llama-3.1-70B-Instruct").total_params == 70_553_706_496
    assert arch("mistralai--Mistral-7B-v0.1").total_params == 7_241_732_096
    assert arch("mistralai--Mixtral-8x7B-v0.1").total_params == 46_702_792_704


def test_published_exact_counts() -> None:
    # Pythia model card / github.com/EleutherAI/pythia README table: 1B total 1,011,781,632,
    # non-embedding 805,736,448 (leaving out both the input table and the untied head).
    pythia = arch("EleutherAI--pythia-1b")
    assert pythia.total_params == 1_011_781_632
    emb_and_head = pythia.param_breakdown["embeddings"] + pythia.param_breakdown["lm_head"]
    assert pythia.total_params - emb_and_head == 805_736_448
    # Gemma technical report (arXiv:2403.08295), Table 2, non-embedding parameters. (Its
    # embedding column uses a 256,128-entry vocabulary; the released configs say 256,000.)
    for name, non_embedding in (("google--gemma-2b", 1_981_884_416), ("google--gemma-7b", 7_751_248_896)):
        a = arch(name)
        assert a.total_params - a.param_breakdown["embeddings"] == non_embedding


def test_published_rounded_totals() -> None:
    # Qwen3-8B model card: 8.2B, non-embedding 6.95B (embeddings and untied head both out).
    q8 = arch("Qwen--Qwen3-8B")
    assert near_published(q8.total_params, 8.2)
    non_embedding = q8.total_params - q8.param_breakdown["embeddings"] - q8.param_breakdown["lm_head"]
    assert near_published(non_embedding, 6.95, decimals=2)
    # Qwen2.5-0.5B model card: 0.49B, non-embedding 0.36B (tied, so one table out).
    q05 = arch("Qwen--Qwen2.5-0.5B")
    assert near_published(q05.total_params, 0.49, decimals=2)
    assert near_published(q05.total_params - q05.param_breakdown["embeddings"], 0.36, decimals=2)
    # Phi-3 technical report (arXiv:2404.14219): "phi-3-mini, a 3.8 billion parameter model".
    assert near_published(arch("microsoft--Phi-3-mini-4k-instruct").total_params, 3.8)
    # BERT paper (arXiv:1810.04805): BERT-base "Total Parameters=110M".
    assert near_published(arch("google-bert--bert-base-uncased").total_params, 0.110, decimals=3)


def test_published_moe_totals_and_active() -> None:
    # Mixtral of experts (mistral.ai/news/mixtral-of-experts): 46.7B total, 12.9B per token.
    mixtral = arch("mistralai--Mixtral-8x7B-v0.1")
    assert near_published(mixtral.total_params, 46.7)
    assert mixtral.active_params == 12_879_925_248
    assert near_published(mixtral.active_params, 12.9)

    # Qwen3-30B-A3B model card: 30.5B in total and 3.3B activated; non-embedding 29.9B.
    q30 = arch("Qwen--Qwen3-30B-A3B")
    assert near_published(q30.total_params, 30.5)
    assert q30.active_params == 3_353_032_704
    assert near_published(q30.active_params, 3.3)
    non_embedding = q30.total_params - q30.param_breakdown["embeddings"] - q30.param_breakdown["lm_head"]
    assert near_published(non_embedding, 29.9)

    # Qwen1.5-MoE-A2.7B (model card and qwenlm.github.io/blog/qwen-moe): 14.3B total, 2.7B
    # activated, of which 2.0B non-embedding.
    qmoe = arch("Qwen--Qwen1.5-MoE-A2.7B-Chat")
    assert near_published(qmoe.total_params, 14.3)
    assert near_published(qmoe.active_params, 2.7)
    emb_and_head = qmoe.param_breakdown["embeddings"] + qmoe.param_breakdown["lm_head"]
    assert near_published(qmoe.active_params - emb_and_head, 2.0)

    # DeepSeek-V2-Lite model card: 15.7B total, 2.4B activated. DeepSeek's activated count
    # leaves out the input embedding table (2.45B, printed truncated).
    lite = arch("deepseek-ai--DeepSeek-V2-Lite")
    assert near_published(lite.total_params, 15.7)
    assert lite.active_params == 2_661_150_208
    assert near_published(lite.active_params - lite.param_breakdown["embeddings"], 2.4)

    # DeepSeek-V3 README_WEIGHTS.md: main model 671B total, 36.6B activated "including 0.9B
    # for the output head" (so without the input embedding table); 37B in the model card.
    v3 = arch("deepseek-ai--DeepSeek-V3")
    assert near_published(v3.total_params, 671, decimals=0)
    assert v3.active_params == 37_552_282_624
    assert near_published(v3.active_params - v3.param_breakdown["embeddings"], 36.6)
    assert near_published(v3.active_params, 37, decimals=0)
    assert near_published(v3.param_breakdown["lm_head"], 0.9)


def test_active_params_count_k_routed_experts_plus_everything_else() -> None:
    a = arch("deepseek-ai--DeepSeek-V3")
    per_expert = 3 * a.hidden_size * a.moe_intermediate_size
    routed_active = len(a.moe_layer_indices) * a.experts_per_token * per_expert
    assert a.active_params == a.total_params - a.param_breakdown["experts"] + routed_active
    assert a.moe_layer_indices == tuple(range(3, 61)) and a.first_dense_layers == 3
    assert (a.num_experts, a.experts_per_token, a.num_shared_experts) == (256, 8, 1)
    assert a.shared_expert_intermediate_size == 2048


# --- what the config says: heads, kv heads, head_dim, MoE, MLA ---------------------------


def test_head_dim_is_read_not_derived() -> None:
    gemma = arch("google--gemma-7b")  # 3072 / 16 = 192, but the heads are 256 wide
    assert (gemma.hidden_size, gemma.num_heads, gemma.head_dim, gemma.num_kv_heads) == (3072, 16, 256, 16)
    q30 = arch("Qwen--Qwen3-30B-A3B")  # 2048 / 32 = 64, but head_dim is 128
    assert (q30.head_dim, q30.num_kv_heads) == (128, 4)
    assert arch("meta-llama--Meta-Llama-3-8B").head_dim == 128  # no head_dim key: 4096 / 32


def test_kv_heads_resolution() -> None:
    assert arch("meta-llama--Meta-Llama-3-8B").num_kv_heads == 8
    assert arch("google--gemma-2b").num_kv_heads == 1  # MQA
    falcon7 = arch("tiiuae--falcon-7b")  # RefinedWebModel, multi_query: true
    assert (falcon7.family, falcon7.num_heads, falcon7.num_kv_heads, falcon7.head_dim) == ("falcon", 71, 1, 64)
    falcon40 = arch("tiiuae--falcon-40b-instruct")  # RefinedWeb, new decoder, n_head_kv 8
    assert (falcon40.num_heads, falcon40.num_kv_heads, falcon40.num_layers) == (128, 8, 60)

    base = {"model_type": "llama", "hidden_size": 64, "num_attention_heads": 8, "num_hidden_layers": 2,
            "intermediate_size": 128, "vocab_size": 100}  # fmt: skip
    assert architecture_from_config(base).num_kv_heads == 8  # absent: LlamaConfig makes it H
    assert "num_key_value_heads" in architecture_from_config(base).defaults_used
    assert architecture_from_config({**base, "num_key_value_heads": None}).num_kv_heads == 8
    assert architecture_from_config({**base, "num_key_value_heads": 2}).num_kv_heads == 2
    # MistralConfig's own default is 8 KV heads, not H: an absent key follows the class.
    mistral = architecture_from_config({**base, "model_type": "mistral", "num_attention_heads": 16})
    assert mistral.num_kv_heads == 8 and "num_key_value_heads" in mistral.defaults_used


def test_new_falcon_layout_with_num_kv_heads() -> None:
    cfg = {"model_type": "falcon", "hidden_size": 8192, "num_attention_heads": 128, "num_hidden_layers": 60,
           "num_kv_heads": 8, "new_decoder_architecture": True, "vocab_size": 65024}  # fmt: skip
    new = architecture_from_config(cfg)
    assert new.num_kv_heads == 8
    assert new.total_params == TRANSFORMERS_TOTALS["tiiuae--falcon-40b-instruct"]  # the same model
    old = architecture_from_config({**cfg, "new_decoder_architecture": False, "multi_query": True})
    assert old.num_kv_heads == 1 and old.total_params < new.total_params


def test_sparse_gemma3_text_config_uses_class_defaults_and_says_so() -> None:
    a = arch("google--gemma-3-4b-it")
    assert a.model_type == "gemma3" and a.family == "gemma3"
    assert "vision tower and projector included" in a.counted_class
    assert a.text_params == 3_880_263_168  # measured: the parameters outside the vision side
    assert a.param_breakdown["vision"] == a.total_params - a.text_params == 419_816_304
    assert (a.num_heads, a.num_kv_heads, a.head_dim, a.vocab_size) == (8, 4, 256, 262_208)
    assert a.tie_word_embeddings and a.param_breakdown["lm_head"] == 0
    for field in ("num_attention_heads", "num_key_value_heads", "head_dim", "vocab_size"):
        assert f"text_config.{field}" in a.defaults_used
    assert "text_config.hidden_size" not in a.defaults_used
    assert "tie_word_embeddings" in a.defaults_used  # Gemma3Config's top-level default: tied


def test_gemma3_tying_follows_the_top_level_flag() -> None:
    # transformers ties Gemma3ForConditionalGeneration's head by the top-level flag and ignores
    # one inside text_config (measured: untied adds exactly the 262,208 x 2,560 head).
    cfg = load("google--gemma-3-4b-it")
    ignored = {**cfg, "text_config": {**cfg["text_config"], "tie_word_embeddings": False}}
    assert architecture_from_config(ignored).total_params == TRANSFORMERS_TOTALS["google--gemma-3-4b-it"]
    untied = architecture_from_config({**cfg, "tie_word_embeddings": False})
    assert untied.param_breakdown["lm_head"] == 262_208 * 2560
    assert untied.total_params == 4_971_331_952  # measured, the whole checkpoint
    assert untied.text_params == 4_551_515_648


def test_gpt2_reads_its_own_key_names() -> None:
    a = arch("openai-community--gpt2")
    assert (a.num_layers, a.hidden_size, a.num_heads, a.intermediate_size) == (12, 768, 12, 3072)
    assert a.max_position_embeddings == 1024 and a.tie_word_embeddings and not a.gated_mlp
    assert a.param_breakdown["embeddings"] == (50257 + 1024) * 768


def test_qwen_biases_and_qk_norms() -> None:
    q2 = arch("Qwen--Qwen2-7B-Instruct")
    h, d, kv, heads = 3584, 128, 4, 28
    per_layer = h * heads * d + heads * d + 2 * (h * kv * d + kv * d) + heads * d * h  # q/k/v biases, no o bias
    assert q2.param_breakdown["attention"] == 28 * per_layer
    q3 = arch("Qwen--Qwen3-8B")
    assert q3.param_breakdown["norms"] == 36 * (2 * 4096 + 2 * 128) + 4096  # q_norm and k_norm


def test_mla_fields() -> None:
    lite = arch("deepseek-ai--DeepSeek-V2-Lite")
    assert lite.q_lora_rank is None and lite.kv_lora_rank == 512  # V2-Lite: a full q_proj
    assert (lite.qk_nope_head_dim, lite.qk_rope_head_dim, lite.v_head_dim, lite.head_dim) == (128, 64, 128, 192)
    assert lite.layer_types == ("mla",) * 27 and lite.first_dense_layers == 1
    v3 = arch("deepseek-ai--DeepSeek-V3")
    assert v3.q_lora_rank == 1536
    assert arch("meta-llama--Meta-Llama-3-8B").kv_lora_rank is None


def test_bert_is_an_encoder_counted_as_bertmodel() -> None:
    a = arch("google-bert--bert-base-uncased")
    assert a.is_encoder and a.counted_class == "BertModel (with pooler)"
    assert a.param_breakdown["pooler"] == 768 * 768 + 768
    assert a.kv_cache_elements(512) == 0


# --- KV cache ----------------------------------------------------------------------------


def test_kv_elements_full_attention() -> None:
    a = arch("meta-llama--Meta-Llama-3-8B")
    assert a.kv_elements_per_token_by_layer == (2 * 8 * 128,) * 32
    assert a.kv_cache_elements(1000) == 1000 * 32 * 2 * 8 * 128  # 128 KiB per token at bf16
    assert a.sliding_window is None and set(a.layer_types) == {"full_attention"}


def test_kv_elements_mla_latent() -> None:
    a = arch("deepseek-ai--DeepSeek-V3")
    assert a.kv_elements_per_token(4096) == 61 * (512 + 64)  # x 2 B = 70,272 B per token


def test_kv_elements_sliding_windows() -> None:
    mistral = arch("mistralai--Mistral-7B-v0.1")
    assert mistral.sliding_window == 4096 and set(mistral.layer_types) == {"sliding_attention"}
    per_token = 32 * 2 * 8 * 128
    assert mistral.kv_cache_elements(2048) == 2048 * per_token
    assert mistral.kv_cache_elements(32768) == 4096 * per_token

    gemma2 = arch("google--gemma-2-9b")
    assert gemma2.layer_types[:2] == ("sliding_attention", "full_attention")
    assert gemma2.layer_types.count("sliding_attention") == 21
    layer = 2 * 8 * 256
    assert gemma2.kv_cache_elements(8192) == 21 * layer * 4096 + 21 * layer * 8192

    gemma3 = arch("google--gemma-3-4b-it")  # five local layers of 1024 per global one
    assert gemma3.layer_types.count("full_attention") == 5 and gemma3.sliding_window == 1024

    qwen = arch("Qwen--Qwen2-7B-Instruct")  # sliding_window is set but use_sliding_window is false
    assert qwen.sliding_window is None and set(qwen.layer_types) == {"full_attention"}


# --- refusing to guess -------------------------------------------------------------------


def test_unsupported_model_type_lists_the_supported_ones() -> None:
    with pytest.raises(UnsupportedArchitecture) as info:
        architecture_from_config({"model_type": "rwkv", "hidden_size": 768})
    message = str(info.value)
    assert "'rwkv'" in message
    assert all(model_type in message for model_type in SUPPORTED_MODEL_TYPES)
    assert isinstance(info.value, ValueError) and isinstance(info.value, UserError)
    assert info.value.exit_code == 2

    with pytest.raises(UnsupportedArchitecture, match="no model_type"):
        architecture_from_config({"hidden_size": 768})


def test_supported_model_types() -> None:
    for model_type in ("llama", "mistral", "mixtral", "qwen2", "qwen2_moe", "qwen3", "qwen3_moe", "gemma", "gemma2",
                       "gemma3", "gemma3_text", "phi3", "falcon", "RefinedWebModel", "RefinedWeb", "gpt2", "gpt_neox",
                       "deepseek_v2", "deepseek_v3", "bert"):  # fmt: skip
        assert model_type in SUPPORTED_MODEL_TYPES


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"hidden_size": "4096"}, "hidden_size must be an integer"),
        ({"num_hidden_layers": 0}, "num_hidden_layers must be an integer >= 1"),
        ({"num_key_value_heads": 5}, "does not divide"),
        ({"tie_word_embeddings": "no"}, "tie_word_embeddings must be true or false"),
    ],
)
def test_invalid_values_are_reported_by_name(change: dict, complaint: str) -> None:
    with pytest.raises(InvalidArchitectureConfig, match=complaint):
        architecture_from_config({**load("meta-llama--Meta-Llama-3-8B"), **change})


def test_invalid_layer_types_and_non_mapping() -> None:
    cfg = {**load("google--gemma-2-9b"), "layer_types": ["sliding_attention"] * 3}
    with pytest.raises(InvalidArchitectureConfig, match="layer_types"):
        architecture_from_config(cfg)
    with pytest.raises(InvalidArchitectureConfig):
        architecture_from_config(["model_type", "llama"])  # type: ignore[arg-type]


def test_config_is_not_mutated() -> None:
    for name in TRANSFORMERS_TOTALS:
        cfg = load(name)
        before = copy.deepcopy(cfg)
        architecture_from_config(cfg)
        assert cfg == before


def test_quantization_config_does_not_change_the_count() -> None:
    cfg = load("deepseek-ai--DeepSeek-V3")
    assert "quantization_config" in cfg
    plain = {k: v for k, v in cfg.items() if k != "quantization_config"}
    assert architecture_from_config(plain).total_params == architecture_from_config(cfg).total_params


# --- properties --------------------------------------------------------------------------


def _layers_key(cfg: dict) -> tuple[dict, str]:
    """The dict and key holding the layer count (gpt2 and old Falcon use their own names)."""
    if "text_config" in cfg:  # multimodal wrappers: gemma3, qwen3_5, qwen3_5_moe
        return cfg["text_config"], "num_hidden_layers"
    for key in ("num_hidden_layers", "n_layer"):
        if key in cfg:
            return cfg, key
    raise AssertionError(cfg["model_type"])


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(sorted(TRANSFORMERS_TOTALS)), data=st.data())
def test_count_is_invariant_under_key_order(name: str, data: st.DataObject) -> None:
    cfg = load(name)
    keys = data.draw(st.permutations(list(cfg)))
    shuffled = {key: cfg[key] for key in keys}
    assert architecture_from_config(shuffled) == architecture_from_config(cfg)


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(sorted(TRANSFORMERS_TOTALS)), layers=st.integers(min_value=1, max_value=128))
def test_count_grows_with_num_hidden_layers(name: str, layers: int) -> None:
    fewer, more = load(name), load(name)
    for cfg, n in ((fewer, layers), (more, layers + 1)):
        holder, key = _layers_key(cfg)
        holder[key] = n
        for per_layer in ("layer_types", "no_rope_layers", "moe_layers"):  # lists that would no longer match
            holder.pop(per_layer, None)
        if isinstance(holder.get("sliding_window_pattern"), str):  # EXAONE 4's "LLLG": only with layer_types
            del holder["sliding_window_pattern"]
        if "hybrid_override_pattern" in holder:  # Nemotron-H: the pattern's length is the layer count
            holder["hybrid_override_pattern"] = ("M-M*" * n)[:n]
        if holder.get("num_kv_shared_layers"):  # Gemma 4 E2B: shared layers need earlier ones of their type
            holder["num_kv_shared_layers"] = 0
    small, large = architecture_from_config(fewer), architecture_from_config(more)
    assert large.total_params > small.total_params
    assert large.active_params > small.active_params
    assert large.num_layers == small.num_layers + 1


@settings(max_examples=30, deadline=None)
@given(name=st.sampled_from(sorted(TRANSFORMERS_TOTALS)), context=st.integers(min_value=1, max_value=1 << 20))
def test_kv_cache_grows_with_context_and_never_exceeds_full_attention(name: str, context: int) -> None:
    a = arch(name)
    elements = a.kv_cache_elements(context)
    assert a.kv_cache_elements(context + 1) >= elements >= 0
    assert elements <= context * sum(a.kv_elements_per_token_by_layer)
    assert math.isclose(a.kv_elements_per_token(context) * context, elements)


# --- bounds on what a config.json may say (issue 14) -------------------------------------


# each limit-bound key with a config that reads it (the family that reads the key)
_READ_BY = {
    "num_hidden_layers": "meta-llama--Meta-Llama-3-8B", "hidden_size": "meta-llama--Meta-Llama-3-8B",
    "num_attention_heads": "meta-llama--Meta-Llama-3-8B", "num_key_value_heads": "meta-llama--Meta-Llama-3-8B",
    "vocab_size": "meta-llama--Meta-Llama-3-8B", "intermediate_size": "meta-llama--Meta-Llama-3-8B",
    "max_position_embeddings": "meta-llama--Meta-Llama-3-8B", "num_local_experts": "mistralai--Mixtral-8x7B-v0.1",
    "num_experts_per_tok": "mistralai--Mixtral-8x7B-v0.1", "n_routed_experts": "deepseek-ai--DeepSeek-V3",
    "kv_lora_rank": "deepseek-ai--DeepSeek-V3", "qk_rope_head_dim": "deepseek-ai--DeepSeek-V3",
    "n_layer": "openai-community--gpt2", "n_embd": "openai-community--gpt2", "n_positions": "openai-community--gpt2",
    "type_vocab_size": "google-bert--bert-base-uncased",
    "mamba_d_state": "ai21labs--AI21-Jamba-1.5-Mini", "mamba_d_conv": "ai21labs--AI21-Jamba-1.5-Mini",
    "mamba_expand": "ai21labs--AI21-Jamba-1.5-Mini", "mamba_dt_rank": "ai21labs--AI21-Jamba-1.5-Mini",
    "linear_num_value_heads": "Qwen--Qwen3-Next-80B-A3B-Instruct-reduced",
    "linear_key_head_dim": "Qwen--Qwen3-Next-80B-A3B-Instruct-reduced",
    "linear_conv_kernel_dim": "Qwen--Qwen3-Next-80B-A3B-Instruct-reduced",
    "mamba_num_heads": "nvidia--Nemotron-H-8B-Base-8K", "ssm_state_size": "nvidia--Nemotron-H-8B-Base-8K",
    "n_groups": "nvidia--Nemotron-H-8B-Base-8K", "conv_kernel": "nvidia--Nemotron-H-8B-Base-8K",
}


@pytest.mark.parametrize("key", sorted(_READ_BY))
@pytest.mark.parametrize("excess", [1, 10**30])
def test_every_size_above_its_limit_is_refused_by_name(key: str, excess: int) -> None:
    cfg = load(_READ_BY[key])
    assert key in LIMITS
    cfg[key] = LIMITS[key] + excess
    with pytest.raises(InvalidArchitectureConfig, match="above the limit") as info:
        architecture_from_config(cfg)
    assert info.value.field == key and key in str(info.value)
    assert len(str(info.value)) < 300  # a 31-digit value is shown, never a page of digits


def test_the_limits_stand_far_above_every_published_model() -> None:
    for name in TRANSFORMERS_TOTALS:  # every reference config passes, with room to spare
        a = arch(name)
        assert a.num_layers * 10 <= LIMITS["num_hidden_layers"] and a.hidden_size * 10 <= LIMITS["hidden_size"]
        assert a.vocab_size * 10 <= LIMITS["vocab_size"] and a.num_heads * 10 <= LIMITS["num_attention_heads"]
        assert a.total_params * 100 <= MAX_PARAMS
    assert MAX_OTHER >= LIMITS["max_position_embeddings"]


def test_a_nested_text_config_is_bounded_and_named_with_its_prefix() -> None:
    cfg = load("google--gemma-3-4b-it")
    cfg["text_config"] = {**cfg["text_config"], "num_hidden_layers": 10**12}
    with pytest.raises(InvalidArchitectureConfig) as info:
        architecture_from_config(cfg)
    assert info.value.field == "text_config.num_hidden_layers"


def test_sizes_within_each_limit_that_add_up_beyond_the_parameter_limit_are_refused() -> None:
    cfg = {**load("meta-llama--Meta-Llama-3-8B"), "num_hidden_layers": 10_000, "hidden_size": 2**20,
           "intermediate_size": 2**20, "num_attention_heads": 2**10, "num_key_value_heads": 2**10}
    with pytest.raises(InvalidArchitectureConfig, match="parameters, above the limit"):
        architecture_from_config(cfg)


def test_a_hostile_value_is_not_echoed_whole() -> None:
    for value in ("x" * 10_000, list(range(10_000)), 2**5000):
        with pytest.raises(UserError) as info:
            architecture_from_config({**load("meta-llama--Meta-Llama-3-8B"), "hidden_size": value})
        assert len(str(info.value)) < 300
    with pytest.raises(UnsupportedArchitecture) as unsupported:
        architecture_from_config({"model_type": "y" * 10_000})
    assert "y" * 100 not in str(unsupported.value)
