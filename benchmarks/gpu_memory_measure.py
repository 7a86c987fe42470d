"""Measure real GPU memory of random-weight models built from config.json (torch, no downloads).

Runs on a machine with a CUDA GPU, torch and transformers; it does not import
model_scorecard, so it needs nothing else. For each case it builds the model with random
weights straight on the GPU in bf16 from a bundled config.json, then runs one prefill
forward of ``batch`` × ``context`` random tokens with a cache (``use_cache=True``, logits of
the last token only, as ``generate()`` does) and records:

* ``weights_bytes``: ``torch.cuda.memory_allocated()`` after building, minus before;
* ``param_bytes``: the sum of ``nbytes`` over parameters and buffers (what the allocator holds);
* ``kv_bytes``: the GPU storage the returned cache keeps alive after the prefill;
* ``kv_alloc_bytes``: ``memory_allocated()`` after the forward (cache kept, output dropped)
  minus before it (the input ids were allocated before);
* ``kv_after_decode_bytes``: the cache's storage after one more decode step, when
  sliding-window layers have dropped what lies outside their window;
* ``peak_bytes``: ``max_memory_allocated()`` during the forward, minus the weights;
* ``non_torch_bytes``: memory the process uses on the GPU outside PyTorch's allocator
  (``mem_get_info`` used minus ``memory_reserved``), measured once after the first case.

Output: one JSON object per line on stdout and in ``$OUT/gpu_memory.jsonl`` when OUT is set.
``benchmarks/accuracy_report.py`` compares these with the estimates and writes
docs/accuracy.md. Usage::

    python3 benchmarks/gpu_memory_measure.py            # every case
    python3 benchmarks/gpu_memory_measure.py gemma      # cases whose config name contains "gemma"
"""

from __future__ import annotations

import gc
import json
import os
import platform
import sys
import time
from pathlib import Path

import torch
import transformers
from transformers import AutoConfig, AutoModelForCausalLM

ROOT = Path(__file__).resolve().parents[1]
DIRS = (ROOT / "src" / "model_scorecard" / "data" / "reference", ROOT / "tests" / "calc" / "configs")

# (config file stem, batch, context). Sizes chosen to fit one 80 GB GPU in bf16; contexts are
# multiples of 16, one short of the position limit where there is one (the decode step
# needs a position), and for sliding-window models longer than the window.
CASES: list[tuple[str, int, int]] = [
    ("openai-community--gpt2", 4, 1008),
    ("EleutherAI--pythia-1b", 2, 2032),
    ("meta-llama--Llama-3.2-1B", 1, 8192),
    ("meta-llama--Llama-3.2-1B", 8, 2048),
    ("Qwen--Qwen2.5-0.5B", 4, 4096),
    ("google--gemma-3-1b-it", 2, 4096),
    ("google--gemma-3-1b-it", 1, 32768),
    ("meta-llama--Llama-3.2-3B", 1, 16384),
    ("microsoft--Phi-3-mini-4k-instruct", 1, 4096),
    ("tiiuae--falcon-7b", 4, 2048),
    ("mistralai--Mistral-7B-v0.1", 1, 8192),
    ("mistralai--Mistral-7B-v0.1", 1, 2048),
    ("meta-llama--Meta-Llama-3-8B", 4, 8192),
    ("Qwen--Qwen3-8B", 2, 8192),
    ("google--gemma-2-9b", 1, 8192),
    ("meta-llama--Llama-2-13b-hf", 1, 4096),
    ("Qwen--Qwen1.5-MoE-A2.7B-Chat", 1, 4096),
    ("deepseek-ai--DeepSeek-V2-Lite", 1, 4096),
    ("Qwen--Qwen3-30B-A3B", 1, 4096),
    ("Qwen--Qwen2.5-32B", 1, 4096),
]


def find_config(stem: str) -> Path:
    for d in DIRS:
        p = d / f"{stem}.json"
        if p.exists():
            return p
    raise FileNotFoundError(stem)


def load_config(path: Path):
    raw = json.loads(path.read_text())
    raw.pop("quantization_config", None)
    raw.pop("auto_map", None)
    model_type = raw.pop("model_type")
    if model_type in ("RefinedWebModel", "RefinedWeb"):  # TII's remote-code keys, renamed as NeMo does
        for old, new in (("n_head", "num_attention_heads"), ("n_layer", "num_hidden_layers"),
                         ("n_head_kv", "num_kv_heads")):
            if old in raw:
                raw[new] = raw.pop(old)
        if model_type == "RefinedWeb":
            raw.setdefault("new_decoder_architecture", True)
        model_type = "falcon"
    cfg = AutoConfig.for_model(model_type, **raw)
    if getattr(cfg, "text_config", None) is not None and model_type == "gemma3":
        cfg = cfg.text_config  # the text model only, as the estimate counts it
    return cfg


def cache_storage_bytes(cache) -> int:
    """Bytes of GPU storage a transformers cache object keeps alive (keys, values, states).

    Counted by storage, not by view: after a prefill, a sliding-window layer's cache is a
    slice of the whole prompt's keys and values and keeps all of it alive.
    """
    storages: dict[int, int] = {}

    def visit(obj, depth=0):
        if depth > 4:
            return
        if torch.is_tensor(obj):
            if obj.device.type == "cuda":
                st = obj.untyped_storage()
                storages[st.data_ptr()] = st.nbytes()
            return
        if isinstance(obj, (list, tuple)):
            for o in obj:
                visit(o, depth + 1)
        elif hasattr(obj, "__dict__"):
            for o in vars(obj).values():
                visit(o, depth + 1)

    visit(cache)
    return sum(storages.values())


def measure(stem: str, batch: int, context: int) -> dict:
    cfg = load_config(find_config(stem))
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()
    before = torch.cuda.memory_allocated()
    t0 = time.perf_counter()
    with torch.device("cuda"):
        model = AutoModelForCausalLM.from_config(cfg, dtype=torch.bfloat16, attn_implementation="sdpa")
    model.eval()
    built = torch.cuda.memory_allocated()
    param_bytes = sum(p.nbytes for p in model.parameters()) + sum(b.nbytes for b in model.buffers())
    n_params = sum(p.numel() for p in model.parameters())
    ids = torch.randint(0, cfg.vocab_size, (batch, context), device="cuda")
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    base = torch.cuda.memory_allocated()
    with torch.inference_mode():
        out = model(input_ids=ids, use_cache=True, logits_to_keep=1)
    torch.cuda.synchronize()
    peak = torch.cuda.max_memory_allocated()
    cache = out.past_key_values
    del out
    gc.collect()
    after = torch.cuda.memory_allocated()
    kv_prefill = cache_storage_bytes(cache)
    # one decode step: sliding-window layers drop what lies outside the window
    with torch.inference_mode():
        step = model(input_ids=ids[:, -1:], past_key_values=cache, use_cache=True, logits_to_keep=1)
    cache = step.past_key_values
    del step
    gc.collect()
    kv_decode = cache_storage_bytes(cache)
    row = {
        "config": stem, "model_type": cfg.model_type, "batch": batch, "context": context, "dtype": "bf16",
        "params": n_params, "weights_bytes": built - before, "param_bytes": param_bytes,
        "kv_bytes": kv_prefill, "kv_alloc_bytes": after - base, "kv_after_decode_bytes": kv_decode,
        "peak_bytes": peak - built, "seconds": round(time.perf_counter() - t0, 1),
        "cache_class": type(cache).__name__,
    }
    del cache, model, ids
    gc.collect()
    torch.cuda.empty_cache()
    return row


def main(argv: list[str]) -> int:
    want = argv[1:] or [""]
    out_dir = os.environ.get("OUT")
    sink = open(Path(out_dir) / "gpu_memory.jsonl", "w") if out_dir else None  # noqa: SIM115
    props = torch.cuda.get_device_properties(0)
    env = {"env": {"gpu": props.name, "gpu_memory_bytes": props.total_memory, "torch": torch.__version__,
                   "transformers": transformers.__version__, "python": platform.python_version(),
                   "cuda": torch.version.cuda}}
    print(json.dumps(env), flush=True)
    if sink:
        sink.write(json.dumps(env) + "\n")
    first = True
    failures = 0
    a = torch.randn(1024, 1024, device="cuda", dtype=torch.bfloat16)
    (a @ a).sum().item()  # cuBLAS handle and workspace now, so no case counts them
    del a
    for stem, batch, context in CASES:
        if not any(w in stem for w in want):
            continue
        try:
            row = measure(stem, batch, context)
        except Exception as exc:  # record and go on: one family's failure must not hide the rest
            failures += 1
            row = {"config": stem, "batch": batch, "context": context, "error": f"{type(exc).__name__}: {exc}"[:500]}
            gc.collect()
            torch.cuda.empty_cache()
        if first and "error" not in row:
            free, total = torch.cuda.mem_get_info()
            row["non_torch_bytes"] = (total - free) - torch.cuda.memory_reserved()
            first = False
        print(json.dumps(row), flush=True)
        if sink:
            sink.write(json.dumps(row) + "\n")
            sink.flush()
    if sink:
        sink.close()
    return 1 if failures else 0


if __name__ == "__main__":
    if not torch.cuda.is_available():
        sys.exit("needs a CUDA GPU")
    sys.exit(main(sys.argv))
