"""Check `model_scorecard.calc.architecture` against the real transformers classes.

For every fixture in ``tests/calc/configs/*.json`` this builds the transformers model from
the config on the ``meta`` device (no weights, no memory, no network) and compares
``sum(p.numel() for p in model.parameters())`` -- which counts tied weights once -- with
``architecture_from_config(config).total_params``, and the parameters grouped by name with
``param_breakdown``. ``--fuzz N`` does the same for N rounds of small random configs of every
family, flipping the switches the modelling code reads (biases, tying, head_dim, KV heads,
MoE layer placement, MLA ranks, Falcon layouts, cross-attention, ...).

It is not run in CI (it needs torch and transformers). To re-check, use a separate
virtual environment outside the repository::

    python3 -m venv /tmp/tfvenv
    /tmp/tfvenv/bin/pip install torch transformers accelerate
    /tmp/tfvenv/bin/pip install -e .            # or set PYTHONPATH=src
    PYTHONPATH=src /tmp/tfvenv/bin/python benchmarks/verify_param_counts.py
    PYTHONPATH=src /tmp/tfvenv/bin/python benchmarks/verify_param_counts.py --fuzz 20
    PYTHONPATH=src /tmp/tfvenv/bin/python benchmarks/verify_param_counts.py --details Qwen--Qwen3-8B

The numbers recorded in ``tests/calc/test_architecture.py`` were measured with torch 2.13.0
(CPU wheel) and transformers 5.23.0; those of the 2025-2026 families (gpt-oss, Llama 4, Qwen3.5,
Qwen3-Next, gemma-3 whole, Mistral 3, OLMo 2/3, EXAONE 4, Jamba, GLM-4.5, SmolLM3) with torch
2.14.1 and transformers 5.25.0, which re-measured every older fixture unchanged. Each run also
builds :data:`SWITCHES` (tests/calc/switch_configs.json), small configs that flip those families' switches. DeepSeek-V3.2
(its lightning indexer), Kimi K2 (``kimi_k2`` built as ``DeepseekV3ForCausalLM``), the full
Qwen3-Next-80B-A3B release, MiniMax-M2.7, gemma-4-31B-it (whole, vision tower included), Mamba
2.8B, Mamba-Codestral-7B and ERNIE-4.5-0.3B were measured with torch 2.14.1 and transformers
5.25.0 (``tests/calc/test_families2.py``), with switch configs for Gemma 4's MoE block, Mamba,
Mamba-2, ERNIE 4.5, MiniMax-M2 and DeepSeek-V3.2. Cohere 2, Granite 4.0 H (``granitemoehybrid``),
Falcon-H1 and ERNIE 4.5 MoE were measured with torch 2.13.0 (CPU wheel) and transformers 5.25.0
(``tests/calc/test_families3.py``): their switch configs, ``--fuzz`` (100 rounds of the four new
families, seed 1: 392 configs, all agree) and the ``*-trimmed`` fixtures -- real checkpoints'
sizes with some switches left to the class defaults (see ``tests/calc/configs/SOURCES.md``); no
whole config.json of those families was found, and Cohere 2 has no fixture at all. Gemma 4
E2B/E4B's text model (per-layer input embeddings, shared-KV layers, double-wide MLPs) likewise,
on E2B's ``text_config`` and two switch configs; 100 fuzz rounds of those five families (seed 11:
491 configs) all agree. The same run re-measured every older fixture unchanged.

Which class is counted (the same rule the module documents):

* decoder-only families: ``AutoModelForCausalLM.from_config(config)``;
* ``bert``: ``BertModel`` with its pooler (``add_pooling_layer=True``, the default);
* a config whose first ``architectures`` class is a ``...ForConditionalGeneration`` (gemma3,
  llama4, mistral3, qwen3_5, qwen3_5_moe): that class, the whole checkpoint; the text model
  (the parameters outside the vision tower and projector) is printed beside it and compared
  with ``text_params``;
* a ``model_type`` transformers does not know (``kimi_k2``): the class ``architectures`` names;
* old Falcon configs (``model_type`` ``RefinedWebModel``/``RefinedWeb``, written for TII's
  remote ``modelling_RW.py``): the keys are renamed the way NeMo's Falcon converter does
  (``n_head`` -> ``num_attention_heads``, ``n_layer`` -> ``num_hidden_layers``,
  ``n_head_kv`` -> ``num_kv_heads``; ``RefinedWeb`` sets ``new_decoder_architecture``) and
  ``FalconForCausalLM`` is built;
* a ``quantization_config`` is dropped before building: the count is of the logical
  (unquantized) parameters.

Exit status: 0 when every fixture (and fuzzed config) matches, 1 otherwise.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "tests" / "calc" / "configs"

_RW_RENAMES = {"n_head": "num_attention_heads", "n_layer": "num_hidden_layers", "n_head_kv": "num_kv_heads"}


#: Parameter-name prefixes of a multimodal checkpoint's vision tower and projector.
VISION_PREFIXES = ("model.vision_tower.", "model.multi_modal_projector.", "model.visual.", "vision_model.",
                   "multi_modal_projector.", "model.embed_vision.")


def text_count(model) -> int:
    """The parameters of a multimodal model outside its vision tower and projector."""
    return sum(p.numel() for n, p in model.named_parameters() if not n.startswith(VISION_PREFIXES))


def build(raw: dict):
    """Return (model counted, extra note) built on the meta device.

    A config whose first ``architectures`` class is a ``...ForConditionalGeneration`` is built
    as that class (the whole checkpoint, vision tower included); a ``model_type`` transformers
    does not know (``kimi_k2``) as the class its ``architectures`` names, from that class's
    configuration."""
    import torch
    import transformers
    from transformers import AutoConfig, AutoModelForCausalLM

    cfg = json.loads(json.dumps(raw))
    cfg.pop("quantization_config", None)
    cfg.pop("auto_map", None)
    model_type = cfg.pop("model_type")
    text = cfg.get("text_config")
    if isinstance(text, dict) and isinstance(text.get("attn_temperature_tuning"), int):
        # Llama 4's early configs say 4; transformers 5's strict config wants a bool (no count reads it)
        text["attn_temperature_tuning"] = bool(text["attn_temperature_tuning"])
    classes = cfg.get("architectures") or []
    cls = getattr(transformers, classes[0], None) if classes else None
    note = ""
    if model_type in ("RefinedWebModel", "RefinedWeb"):
        for old, new in _RW_RENAMES.items():
            if old in cfg:
                cfg[new] = cfg.pop(old)
        if model_type == "RefinedWeb":  # falcon-40b's remote code always used the new decoder block
            cfg.setdefault("new_decoder_architecture", True)
        model_type = "falcon"
        note = "RW keys renamed"
    with torch.device("meta"):
        if model_type == "bert":
            config = AutoConfig.for_model(model_type, **cfg)
            model = transformers.BertModel(config)
        elif cls is not None and classes[0].endswith("ForConditionalGeneration"):
            model = cls(AutoConfig.for_model(model_type, **cfg))
            note = f"whole checkpoint; text model {text_count(model):,}"
        elif cls is not None and model_type not in transformers.CONFIG_MAPPING:
            model = cls(cls.config_class(**cfg))
            note = f"model_type {model_type!r} built as {classes[0]}"
        else:
            config = AutoConfig.for_model(model_type, **cfg)
            model = AutoModelForCausalLM.from_config(config)
    return model, note


def count(model) -> int:
    return sum(p.numel() for p in model.parameters())


# Parameter names -> BREAKDOWN_KEYS category; first match wins.
_CATEGORIES = [
    (r"^(model\.)?(vision_tower|multi_modal_projector|visual|vision_model|embed_vision)\.", "vision"),
    (r"(^|\.)lm_head\.", "lm_head"),
    (r"(^|\.)pooler\.", "pooler"),
    (r"(norm|ln_|LayerNorm)", "norms"),
    (r"(embed_tokens|wte|wpe|word_embeddings|embed_in|position_embeddings|token_type_embeddings|^model\.embeddings\.|^backbone\.embeddings\.)",
     "embeddings"),
    (r"shared_expert_gate|\.mlp\.gate\.weight$|\.(mlp|feed_forward)\.router\.|\.layers\.\d+\.router\.|"
     r"\.block_sparse_moe\.router\.|\.mlp\.gate\.moe_statics\.", "router"),
    (r"\.shared_mlp\.", "shared_mlp"),
    (r"(^|\.)per_layer_model_projection\.", "embeddings"),  # Gemma 4 E2B/E4B's per-layer inputs
    (r"\.per_layer_(input_gate|projection)\.", "mlp"),  # Granite 4.0: a shared expert beside routed ones, else the dense MLP
    (r"\.shared_experts?\.", "shared_experts"),
    (r"\.experts\.", "experts"),
    (r"\.mixer\.(up|down)_proj\.", "mlp"),  # Nemotron-H's MLP-only layers
    (r"(self_attn|self_attention|\.attention\.|\.attn\.|crossattention|linear_attn|\.mamba\.|\.mixer\.|\.conv\.)", "attention"),
    (r"(\.mlp\.|\.intermediate\.|\.output\.dense|\.feed_forward\.)", "mlp"),
]


def breakdown(model) -> dict[str, int]:
    """Split transformers' parameters into the module's categories by name (tied weights once)."""
    parts: dict[str, int] = collections.Counter()
    routed = any(".experts." in name for name, _ in model.named_parameters())
    for name, p in model.named_parameters():
        for pattern, part in _CATEGORIES:
            if re.search(pattern, name):
                if part == "shared_mlp":
                    part = "shared_experts" if routed else "mlp"
                parts[part] += p.numel()
                break
        else:
            raise AssertionError(f"uncategorised parameter {name}")
    return dict(parts)


def compare(raw: dict, model, architecture_from_config) -> list[str]:
    """Differences between the module and transformers for one config (empty when they agree)."""
    arch = architecture_from_config(raw)
    problems = []
    measured = count(model)
    if arch.total_params != measured:
        problems.append(f"total {arch.total_params:,} != {measured:,} ({arch.total_params - measured:+,})")
    if arch.text_params is not None and arch.text_params != text_count(model):
        problems.append(f"text {arch.text_params:,} != {text_count(model):,}")
    theirs = {k: v for k, v in breakdown(model).items() if v}
    ours = {k: v for k, v in arch.param_breakdown.items() if v}
    if ours != theirs:
        problems.append(f"breakdown {ours} != {theirs}")
    return problems


def details(model) -> None:
    """Print parameter shapes, layers collapsed, so formulas can be read off."""
    groups: dict[str, list] = collections.OrderedDict()
    for name, p in model.named_parameters():
        key = re.sub(r"\.(\d+)\.", ".N.", name)
        groups.setdefault(key, []).append(tuple(p.shape))
    for key, shapes in groups.items():
        print(f"  {key:70s} x{len(shapes):<4d} {shapes[0]}")
    buffers = [(n, tuple(b.shape)) for n, b in model.named_buffers()]
    if buffers:
        print("  buffers (not counted):", sorted({re.sub(r"\.(\d+)\.", ".N.", n) for n, _ in buffers}))


def fuzz_configs(rng: random.Random):
    """Small random configs of every family, flipping the switches the modelling code reads."""

    def heads_and_kv():
        heads = rng.choice([2, 4, 6, 8])
        kv = rng.choice([k for k in range(1, heads + 1) if heads % k == 0])
        return heads, kv

    def maybe(cfg, key, value, p=0.5):
        if rng.random() < p:
            cfg[key] = value

    def llama_like(model_type):
        heads, kv = heads_and_kv()
        d = rng.choice([4, 8, 16])
        cfg = {
            "model_type": model_type,
            "num_hidden_layers": rng.randint(1, 6),
            "hidden_size": heads * rng.choice([4, 8, 16]),
            "num_attention_heads": heads,
            "intermediate_size": rng.randint(8, 64),
            "vocab_size": rng.randint(16, 300),
            "tie_word_embeddings": rng.random() < 0.5,
            "pad_token_id": 0,
        }
        r = rng.random()
        if r < 0.4:
            cfg["num_key_value_heads"] = kv
        elif r < 0.5:
            cfg["num_key_value_heads"] = None
        maybe(cfg, "head_dim", d, 0.4)
        return cfg

    families = [
        "llama",
        "mistral",
        "mixtral",
        "qwen2",
        "qwen2_moe",
        "qwen3",
        "qwen3_moe",
        "gemma",
        "gemma2",
        "gemma3_text",
        "gemma3",
        "phi3",
        "falcon",
        "RefinedWebModel",
        "RefinedWeb",
        "gpt2",
        "gpt_neox",
        "deepseek_v2",
        "deepseek_v3",
        "bert",
        "cohere2",
        "granitemoehybrid",
        "falcon_h1",
        "ernie4_5_moe",
        "gemma4_text",
    ]
    for family in families:
        if family in (
            "llama",
            "mistral",
            "mixtral",
            "qwen2",
            "qwen2_moe",
            "qwen3",
            "qwen3_moe",
            "gemma",
            "gemma2",
            "gemma3_text",
            "phi3",
        ):
            cfg = llama_like(family)
            if family in ("gemma", "gemma2", "gemma3_text", "phi3") and "num_key_value_heads" not in cfg:
                cfg["num_key_value_heads"] = cfg["num_attention_heads"]  # keep class defaults divisible
            if family in ("mistral", "mixtral") and "num_key_value_heads" not in cfg:
                cfg["num_key_value_heads"] = cfg["num_attention_heads"]
            if family in ("qwen2", "qwen3", "qwen2_moe", "qwen3_moe") and "num_key_value_heads" not in cfg:
                cfg["num_key_value_heads"] = cfg["num_attention_heads"]
            if family == "llama":
                maybe(cfg, "attention_bias", rng.random() < 0.5)
                maybe(cfg, "mlp_bias", rng.random() < 0.5)
            if family in ("qwen3", "qwen3_moe", "gemma", "gemma2", "gemma3_text"):
                maybe(cfg, "attention_bias", rng.random() < 0.5)
            if family == "mixtral":
                cfg["num_local_experts"] = rng.randint(1, 6)
                cfg["num_experts_per_tok"] = rng.randint(1, cfg["num_local_experts"])
            if family in ("qwen2_moe", "qwen3_moe"):
                cfg["num_experts"] = rng.randint(0, 6)
                cfg["num_experts_per_tok"] = rng.randint(1, max(1, cfg["num_experts"]))
                cfg["moe_intermediate_size"] = rng.randint(4, 32)
                cfg["decoder_sparse_step"] = rng.randint(1, 3)
                cfg["mlp_only_layers"] = sorted(
                    rng.sample(range(cfg["num_hidden_layers"]), rng.randint(0, min(2, cfg["num_hidden_layers"])))
                )
                if family == "qwen2_moe":
                    cfg["shared_expert_intermediate_size"] = rng.randint(4, 32)
                    maybe(cfg, "qkv_bias", rng.random() < 0.5)
            yield cfg
        elif family == "gemma3":
            text = llama_like("gemma3_text")
            text.setdefault("num_key_value_heads", text["num_attention_heads"])
            cfg = {
                "model_type": "gemma3",
                "text_config": text,
                "vision_config": {
                    "hidden_size": 32,
                    "intermediate_size": 64,
                    "num_hidden_layers": 1,
                    "num_attention_heads": 2,
                    "image_size": 28,
                    "patch_size": 14,
                },
            }
            maybe(cfg, "tie_word_embeddings", rng.random() < 0.5)  # the top level decides, not text_config
            yield cfg
        elif family in ("falcon", "RefinedWebModel", "RefinedWeb"):
            heads, kv = heads_and_kv()
            h = heads * rng.choice([4, 8])
            cfg = {
                "model_type": family,
                "vocab_size": rng.randint(16, 300),
                "tie_word_embeddings": rng.random() < 0.5,
                "bias": rng.random() < 0.5,
                "parallel_attn": rng.random() < 0.5,
            }
            if family == "falcon":
                cfg.update(
                    num_hidden_layers=rng.randint(1, 5),
                    hidden_size=h,
                    num_attention_heads=heads,
                    new_decoder_architecture=rng.random() < 0.5,
                    multi_query=rng.random() < 0.5,
                )
                maybe(cfg, "num_kv_heads", kv)
                maybe(cfg, "num_ln_in_parallel_attn", rng.choice([1, 2]), 0.3)
                maybe(cfg, "ffn_hidden_size", rng.randint(8, 64), 0.5)
            else:
                cfg.update(n_layer=rng.randint(1, 5), hidden_size=h, n_head=heads)
                if family == "RefinedWeb":
                    cfg["n_head_kv"] = kv
                else:
                    cfg["multi_query"] = rng.random() < 0.5
            yield cfg
        elif family == "gpt2":
            heads = rng.choice([2, 4])
            cfg = {
                "model_type": "gpt2",
                "n_layer": rng.randint(1, 4),
                "n_embd": heads * 8,
                "n_head": heads,
                "n_positions": rng.randint(8, 64),
                "vocab_size": rng.randint(16, 300),
            }
            maybe(cfg, "n_inner", rng.randint(8, 64))
            maybe(cfg, "tie_word_embeddings", rng.random() < 0.5)
            maybe(cfg, "add_cross_attention", True, 0.3)
            yield cfg
        elif family == "gpt_neox":
            heads = rng.choice([2, 4])
            cfg = {
                "model_type": "gpt_neox",
                "num_hidden_layers": rng.randint(1, 4),
                "hidden_size": heads * 8,
                "num_attention_heads": heads,
                "intermediate_size": rng.randint(8, 64),
                "vocab_size": rng.randint(16, 300),
            }
            maybe(cfg, "attention_bias", rng.random() < 0.5)
            maybe(cfg, "tie_word_embeddings", rng.random() < 0.5)
            yield cfg
        elif family in ("deepseek_v2", "deepseek_v3"):
            heads = rng.choice([2, 4])
            n = rng.randint(1, 5)
            cfg = {
                "model_type": family,
                "num_hidden_layers": n,
                "hidden_size": heads * 8,
                "num_attention_heads": heads,
                "num_key_value_heads": heads,
                "intermediate_size": rng.randint(8, 64),
                "vocab_size": rng.randint(16, 300),
                "q_lora_rank": rng.choice([None, rng.randint(4, 16)]),
                "kv_lora_rank": rng.randint(4, 16),
                "qk_nope_head_dim": rng.choice([4, 8]),
                "qk_rope_head_dim": rng.choice([2, 4]),
                "v_head_dim": rng.choice([4, 8]),
                "n_routed_experts": rng.randint(1, 6),
                "n_shared_experts": rng.randint(0, 2),
                "moe_intermediate_size": rng.randint(4, 16),
                "first_k_dense_replace": rng.randint(0, n),
                "n_group": 1,
                "topk_group": 1,
                "tie_word_embeddings": rng.random() < 0.3,
                "attention_bias": rng.random() < 0.5,
            }
            cfg["num_experts_per_tok"] = rng.randint(1, cfg["n_routed_experts"])
            if family == "deepseek_v2":
                maybe(cfg, "mlp_bias", rng.random() < 0.5)
            yield cfg
        elif family == "bert":
            heads = rng.choice([2, 4])
            cfg = {
                "model_type": "bert",
                "num_hidden_layers": rng.randint(1, 4),
                "hidden_size": heads * 8,
                "num_attention_heads": heads,
                "intermediate_size": rng.randint(8, 64),
                "vocab_size": rng.randint(16, 300),
                "max_position_embeddings": rng.randint(8, 64),
                "type_vocab_size": rng.randint(1, 3),
            }
            if rng.random() < 0.3:
                cfg.update(is_decoder=True, add_cross_attention=True)
            yield cfg
        elif family == "cohere2":
            cfg = llama_like("cohere2")
            cfg.setdefault("num_key_value_heads", cfg["num_attention_heads"])
            maybe(cfg, "attention_bias", rng.random() < 0.5)
            maybe(cfg, "sliding_window_pattern", rng.randint(1, 4))
            maybe(cfg, "sliding_window", rng.choice([None, rng.randint(4, 64)]), 0.3)
            yield cfg
        elif family in ("granitemoehybrid", "falcon_h1"):
            heads, kv = heads_and_kv()
            n = rng.randint(1, 5)
            h = heads * rng.choice([4, 8])
            m_heads = rng.choice([2, 4, 8])
            cfg = {
                "model_type": family,
                "num_hidden_layers": n,
                "hidden_size": h,
                "num_attention_heads": heads,
                "num_key_value_heads": kv,
                "intermediate_size": rng.randint(4, 32),
                "vocab_size": rng.randint(16, 300),
                "tie_word_embeddings": rng.random() < 0.5,
                "mamba_n_heads": m_heads,
                "mamba_n_groups": rng.choice([1, 2]),
                "mamba_d_state": rng.randint(2, 8),
                "mamba_d_conv": rng.randint(2, 4),
                "mamba_expand": 2,
                "attention_bias": rng.random() < 0.5,
                "mamba_conv_bias": rng.random() < 0.5,
                "mamba_proj_bias": rng.random() < 0.5,
            }
            if family == "granitemoehybrid":
                cfg["layer_types"] = [rng.choice(["mamba", "attention"]) for _ in range(n)]
                cfg["num_local_experts"] = rng.randint(0, 5)
                cfg["num_experts_per_tok"] = rng.randint(1, cfg["num_local_experts"]) if cfg["num_local_experts"] else 0
                cfg["shared_intermediate_size"] = rng.randint(4, 32)
                cfg["position_embedding_type"] = rng.choice(["nope", "rope"])
            else:
                cfg["mamba_d_ssm"] = rng.choice([None, m_heads * rng.choice([4, 8])])
                maybe(cfg, "head_dim", rng.choice([4, 8, 12]), 0.5)
                for key in ("mamba_rms_norm", "projectors_bias", "mlp_bias"):
                    maybe(cfg, key, rng.random() < 0.5)
            yield cfg
        elif family == "ernie4_5_moe":
            cfg = llama_like("ernie4_5_moe")
            n = cfg["num_hidden_layers"]
            cfg.setdefault("num_key_value_heads", cfg["num_attention_heads"])
            cfg["moe_num_experts"] = rng.randint(1, 6)
            cfg["moe_k"] = rng.randint(1, cfg["moe_num_experts"])
            cfg["moe_intermediate_size"] = rng.randint(4, 16)
            cfg["moe_num_shared_experts"] = rng.randint(0, 2)
            cfg["moe_layer_start_index"] = rng.randint(0, n - 1)
            cfg["moe_layer_end_index"] = rng.choice([-1, rng.randint(0, n - 1)])
            cfg["moe_layer_interval"] = rng.randint(1, 2)
            maybe(cfg, "use_bias", rng.random() < 0.5)
            yield cfg
        elif family == "gemma4_text":
            heads, kv = heads_and_kv()
            n = rng.randint(2, 7)
            types = [rng.choice(["sliding_attention", "full_attention"]) for _ in range(n - 1)] + ["full_attention"]
            shared = rng.randint(0, n - 1)
            if shared and set(types[: n - shared]) != set(types):
                shared = 0  # Gemma4TextConfig needs an earlier layer of each shared layer's type
            cfg = {
                "model_type": "gemma4_text",
                "num_hidden_layers": n,
                "hidden_size": heads * rng.choice([4, 8]),
                "num_attention_heads": heads,
                "num_key_value_heads": kv,
                "head_dim": rng.choice([4, 8]),
                "global_head_dim": rng.choice([8, 12, 16]),
                "vocab_size": rng.randint(16, 300),
                "intermediate_size": rng.randint(8, 32),
                "hidden_size_per_layer_input": rng.choice([0, rng.randint(2, 8)]),
                "vocab_size_per_layer_input": rng.randint(16, 300),
                "num_kv_shared_layers": shared,
                "use_double_wide_mlp": rng.random() < 0.5,
                "attention_k_eq_v": rng.random() < 0.3,
                "attention_bias": rng.random() < 0.3,
                "tie_word_embeddings": rng.random() < 0.5,
                "layer_types": types,
            }
            yield cfg


#: Small configs flipping the switches of the 2025-2026 families, with what transformers built from
#: them when recorded: one file, which tests/calc/test_families3.py pins.
SWITCHES = json.loads((Path(__file__).resolve().parent.parent / "tests" / "calc" / "switch_configs.json")
                      .read_text(encoding="utf-8"))["switches"]


def switches(architecture_from_config) -> bool:
    """Build each of :data:`SWITCHES` and compare: dense layers among MoE ones, biases,
    QK norms, windows from patterns, vision heads and projector biases."""
    ok = True
    for entry in SWITCHES:
        cfg = entry["config"]
        model, _ = build(cfg)
        problems = compare(cfg, model, architecture_from_config)
        if count(model) != entry["transformers_params"]:  # this transformers builds another model than recorded
            problems = [*problems, f"recorded {entry['transformers_params']:,} in tests/calc/switch_configs.json"]
        ok &= not problems
        print(f"switches {cfg['model_type']:14s} {count(model):>10,} {'ok' if not problems else problems}")
    return ok


def fuzz(rounds: int, seed: int, architecture_from_config) -> bool:
    rng = random.Random(seed)
    ok, checked, refused = True, 0, collections.Counter()
    for _ in range(rounds):
        for cfg in fuzz_configs(rng):
            try:
                model, _ = build(cfg)
            except Exception as exc:  # noqa: BLE001 -- a config transformers cannot build: nothing to compare
                refused[f"{cfg['model_type']}: {type(exc).__name__}: {str(exc)[:80]}"] += 1
                continue
            problems = compare(cfg, model, architecture_from_config)
            checked += 1
            if problems:
                ok = False
                print("FUZZ MISMATCH", json.dumps(cfg), *problems, sep="\n  ")
    print(f"fuzz: {checked} random configs checked, {'all agree' if ok else 'MISMATCHES above'}")
    for reason, times in refused.most_common():
        print(f"  transformers refused {times}x: {reason}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", nargs="*", default=None, help="fixture names to dump shapes for")
    parser.add_argument("--fuzz", type=int, default=0, metavar="ROUNDS", help="also check random configs")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        from model_scorecard.calc.architecture import architecture_from_config
    except ImportError:  # the module is optional for a first measurement
        architecture_from_config = None

    import torch
    import transformers

    print(f"torch {torch.__version__}, transformers {transformers.__version__}")
    ok = True
    for path in sorted(CONFIGS.glob("*.json")):
        raw = json.loads(path.read_text())
        model, note = build(raw)
        measured = count(model)
        ours = architecture_from_config(raw).total_params if architecture_from_config else None
        problems = compare(raw, model, architecture_from_config) if architecture_from_config else []
        status = "" if ours is None else ("ok" if not problems else "MISMATCH " + "; ".join(problems))
        ok &= not problems
        print(f"{path.stem:48s} {measured:>18,} {'' if ours is None else f'{ours:>18,}'} {status} {note}")
        if args.details is not None and (not args.details or path.stem in args.details):
            details(model)
    if architecture_from_config:
        ok &= switches(architecture_from_config)
    if args.fuzz and architecture_from_config:
        ok &= fuzz(args.fuzz, args.seed, architecture_from_config)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
