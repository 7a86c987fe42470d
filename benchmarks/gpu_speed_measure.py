"""Measure decode step time and prefill time of random-weight models on a CUDA GPU.

Runs where torch and transformers are installed (not model_scorecard). For each case it
builds the model from a bundled config.json in bf16 on the GPU, fills a static KV cache
with a prompt (timed: prefill, the compute-bound part of time to first token), then
captures ONE decode step (batch × 1 token attending to ``context`` cached tokens) in a
CUDA graph and replays it (timed: time per output token with no Python or launch
overhead, the best case an engine with CUDA graphs approaches). Also measures the two
ceilings the roofline uses: device-to-device copy bandwidth and a bf16 matrix product.

Output: JSON lines on stdout and in ``$OUT/gpu_speed.jsonl`` when OUT is set;
``benchmarks/accuracy_report.py --speed FILE`` compares them with ``calc.speed``.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path

import torch
import transformers
from transformers import AutoConfig, AutoModelForCausalLM, StaticCache

ROOT = Path(__file__).resolve().parents[1]
DIRS = (ROOT / "src" / "model_scorecard" / "data" / "reference", ROOT / "tests" / "calc" / "configs")

# (config stem, batch, prompt tokens, cache length)
CASES = [
    ("meta-llama--Llama-3.2-1B", 1, 1024, 2048),
    ("meta-llama--Meta-Llama-3-8B", 1, 1024, 2048),
    ("meta-llama--Meta-Llama-3-8B", 16, 1024, 2048),
    ("meta-llama--Meta-Llama-3-8B", 64, 1024, 2048),
    ("Qwen--Qwen3-8B", 1, 2048, 4096),
    ("Qwen--Qwen2.5-32B", 1, 1024, 2048),
    ("Qwen--Qwen3-30B-A3B", 1, 1024, 2048),
]


def timed(fn, reps: int) -> float:
    """Median milliseconds of fn() over reps, timed with CUDA events after a warm-up."""
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record()
        fn()
        b.record()
        b.synchronize()
        times.append(a.elapsed_time(b))
    times.sort()
    return times[len(times) // 2]


def ceilings() -> dict:
    n = 2 * 1024**3  # 4 GiB of bf16
    x = torch.empty(n, dtype=torch.bfloat16, device="cuda").normal_()
    y = torch.empty_like(x)
    ms = timed(lambda: y.copy_(x), 20)
    bw = 2 * x.nbytes / (ms / 1e3)
    del x, y
    a = torch.randn(8192, 8192, dtype=torch.bfloat16, device="cuda")
    b = torch.randn(8192, 8192, dtype=torch.bfloat16, device="cuda")
    ms_mm = timed(lambda: a @ b, 20)
    flops = 2 * 8192**3 / (ms_mm / 1e3)
    del a, b
    torch.cuda.empty_cache()
    return {"copy_bytes_per_s": bw, "bf16_matmul_flop_per_s": flops}


def load_config(stem: str):
    for d in DIRS:
        p = d / f"{stem}.json"
        if p.exists():
            raw = json.loads(p.read_text())
            break
    else:
        raise FileNotFoundError(stem)
    raw.pop("quantization_config", None)
    return AutoConfig.for_model(raw.pop("model_type"), **raw)


def set_length(cache, n: int) -> None:
    """Put the static cache's write position at n (transformers 5 keeps it in a GPU tensor per layer)."""
    for layer in cache.layers:
        length = getattr(layer, "cumulative_length", None)
        if torch.is_tensor(length):
            length.fill_(n)


def measure(stem: str, batch: int, prompt: int, cache_len: int) -> dict:
    cfg = load_config(stem)
    with torch.device("cuda"):
        model = AutoModelForCausalLM.from_config(cfg, dtype=torch.bfloat16, attn_implementation="sdpa")
    model.eval()
    for p in model.parameters():  # finite random weights (fresh allocations may hold NaN/inf garbage)
        p.data.normal_(0.0, 0.02)
    cache = StaticCache(config=cfg, max_cache_len=cache_len)
    ids = torch.randint(0, cfg.vocab_size, (batch, prompt), device="cuda")

    def prefill():
        set_length(cache, 0)
        return model(input_ids=ids, past_key_values=cache, use_cache=True, logits_to_keep=1,
                     cache_position=torch.arange(prompt, device="cuda"))

    with torch.inference_mode():
        prefill_ms = timed(prefill, 5)
        tok = torch.randint(0, cfg.vocab_size, (batch, 1), device="cuda")
        # the static cache's attention spans all cache_len slots; leave room for the ~90 steps
        # below, each of which advances the write position by one
        set_length(cache, cache_len - 128)
        pos = torch.tensor([cache_len - 128], device="cuda")

        def step():
            return model(input_ids=tok, past_key_values=cache, use_cache=True, logits_to_keep=1,
                         cache_position=pos)

        s = torch.cuda.Stream()
        s.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(s):
            for _ in range(3):
                step()
        torch.cuda.current_stream().wait_stream(s)
        eager_ms = timed(step, 20)
        graph = torch.cuda.CUDAGraph()
        try:
            with torch.cuda.graph(graph):
                step()
            graph_ms = timed(graph.replay, 50)
        except Exception as exc:  # data-dependent shapes (MoE routing) cannot be captured
            graph_ms, graph_error = None, f"{type(exc).__name__}: {exc}"[:200]
        else:
            graph_error = None
    row = {"config": stem, "batch": batch, "prompt": prompt, "context": cache_len,
           "params": sum(p.numel() for p in model.parameters()),
           "prefill_ms": prefill_ms, "decode_step_ms_graph": graph_ms, "decode_step_ms_eager": eager_ms}
    if graph_error:
        row["graph_error"] = graph_error
    del graph, model, cache, ids
    gc.collect()
    torch.cuda.empty_cache()
    return row


def main(argv: list[str]) -> int:
    want = argv[1:] or [""]
    out_dir = os.environ.get("OUT")
    sink = open(Path(out_dir) / "gpu_speed.jsonl", "w") if out_dir else None  # noqa: SIM115
    props = torch.cuda.get_device_properties(0)
    head = {"env": {"gpu": props.name, "torch": torch.__version__, "transformers": transformers.__version__,
                    "cuda": torch.version.cuda}, **ceilings()}
    failures = 0
    for row in [head]:
        print(json.dumps(row), flush=True)
        if sink:
            sink.write(json.dumps(row) + "\n")
    for stem, batch, prompt, cache_len in CASES:
        if not any(w in stem for w in want):
            continue
        try:
            row = measure(stem, batch, prompt, cache_len)
        except Exception as exc:
            failures += 1
            row = {"config": stem, "batch": batch, "error": f"{type(exc).__name__}: {exc}"[:500]}
            gc.collect()
            torch.cuda.empty_cache()
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
