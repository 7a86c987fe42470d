"""Check `model_scorecard.calc.lora` adapter counts against PEFT on the real transformers classes.

For each fixture below, the transformers model is built from the config on the ``meta`` device
(no weights, no network), PEFT's ``get_peft_model`` adds rank-16 LoRA adapters on the modules
that correspond to ours (q, k, v, o, gate, up, down under each family's own module names), and
the adapter parameters are summed and compared with ``lora_adapter_params(shape, 16)``.

Not run in CI (it needs torch, transformers and peft). To re-check::

    python3 -m venv /tmp/tfvenv && /tmp/tfvenv/bin/pip install torch transformers peft
    PYTHONPATH=src /tmp/tfvenv/bin/python benchmarks/verify_lora_counts.py

The numbers pinned in ``tests/calc/test_finetune.py::test_lora_counts_match_peft_on_hybrids``
were measured with torch 2.13.0 (CPU), transformers 5.25.0 and peft 0.21.2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

CONFIGS = Path(__file__).resolve().parent.parent / "tests" / "calc" / "configs"
_STANDARD = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
#: fixture -> (config section holding the language model or None, PEFT target_modules)
CASES: dict[str, tuple[str | None, object]] = {
    "nvidia--Nemotron-H-8B-Base-8K": (None, ["q_proj", "k_proj", "v_proj", "o_proj", "up_proj", "down_proj"]),
    "ibm-granite--granite-4.0-h-1b-trimmed": (None, ["q_proj", "k_proj", "v_proj", "o_proj", "input_linear",
                                                     "output_linear"]),
    "tiiuae--Falcon-H1-7B-trimmed": (None, _STANDARD),
    # LFM2 names the attention output out_proj, as its convolutions name theirs: the attention's only
    "LiquidAI--LFM2.5-VL-1.6B": ("text_config", r".*(self_attn\.(q_proj|k_proj|v_proj|out_proj)|\.w1|\.w2|\.w3)"),
    "Qwen--Qwen3.5-9B": ("text_config", _STANDARD),
    "google--gemma-4-31B-it": ("text_config", _STANDARD),
    "google--gemma-4-E2B-it-text_config": (None, _STANDARD),
    "ibm-granite--granite-3.3-8b-instruct": (None, _STANDARD),
}


def main() -> int:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoConfig, AutoModelForCausalLM

    from model_scorecard.calc.architecture import architecture_from_config
    from model_scorecard.calc.lora import lora_adapter_params, shape_from_architecture

    failed = 0
    for name, (section, targets) in CASES.items():
        raw = json.loads((CONFIGS / f"{name}.json").read_text())
        ours = lora_adapter_params(shape_from_architecture(architecture_from_config(raw)), 16)
        config = dict(raw[section] if section else raw)
        config.pop("architectures", None)
        model_type = config.pop("model_type")
        with torch.device("meta"):
            model = AutoModelForCausalLM.from_config(AutoConfig.for_model(model_type, **config))
        peft_model = get_peft_model(model, LoraConfig(r=16, target_modules=targets))
        theirs = sum(p.numel() for n, p in peft_model.named_parameters() if "lora_" in n)
        ok = ours == theirs
        failed += not ok
        print(f"{name:40} ours {ours:>13,}  peft {theirs:>13,}  {'ok' if ok else 'DIFFERENT'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
