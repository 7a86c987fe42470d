"""Time a decode step built from fused kernels, the way serving engines run it.

transformers' static-cache path reads the KV cache far below bandwidth at batch > 1 (an
explicit attention mask forces a slow SDPA kernel), so it says little about vLLM-class
engines. This script builds one decode step of a Llama-style model from the kernels those
engines use -- bf16 GEMMs for the projections and MLP, and SDPA without a mask (flash
decoding, grouped-query heads) over a ``batch`` × ``context`` KV cache -- captures it in a
CUDA graph and times its replays. Norms, rotary embeddings and sampling are left out, so
this is a lower bound on an engine's step time.

Runs where torch is installed (not model_scorecard); writes JSON lines to stdout and
``$OUT/gpu_decode.jsonl``. ``benchmarks/accuracy_report.py`` compares them with calc.speed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import torch
import torch.nn.functional as F  # noqa: N812

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "src" / "model_scorecard" / "data" / "reference"
CASES = [  # (config, batch, context)
    ("meta-llama--Meta-Llama-3-8B", 1, 2048),
    ("meta-llama--Meta-Llama-3-8B", 16, 2048),
    ("meta-llama--Meta-Llama-3-8B", 64, 2048),
    ("meta-llama--Meta-Llama-3-8B", 16, 8192),
    ("meta-llama--Meta-Llama-3-8B", 128, 1024),
    ("Qwen--Qwen2.5-32B", 1, 4096),
    ("Qwen--Qwen2.5-32B", 8, 2048),
]


def timed_graph(fn, reps: int = 50) -> float:
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(3):
            fn()
    torch.cuda.current_stream().wait_stream(s)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        fn()
    for _ in range(5):
        g.replay()
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record()
        g.replay()
        b.record()
        b.synchronize()
        times.append(a.elapsed_time(b))
    times.sort()
    return times[len(times) // 2]


def measure(stem: str, batch: int, context: int) -> dict:
    c = json.loads((REF / f"{stem}.json").read_text())
    h, inter, layers = c["hidden_size"], c["intermediate_size"], c["num_hidden_layers"]
    heads, kv = c["num_attention_heads"], c.get("num_key_value_heads", c["num_attention_heads"])
    d, vocab = h // heads, c["vocab_size"]
    dev, bf = "cuda", torch.bfloat16

    def w(*shape):
        return torch.empty(*shape, device=dev, dtype=bf).normal_(0, 0.02)

    weights = [(w(h, (heads + 2 * kv) * d), w(heads * d, h), w(h, 2 * inter), w(inter, h)) for _ in range(layers)]
    head = w(h, vocab)
    cache = [(w(batch, kv, context, d), w(batch, kv, context, d)) for _ in range(layers)]
    x0 = w(batch, h)

    def step():
        x = x0
        for (wqkv, wo, wgu, wd), (k, v) in zip(weights, cache):
            qkv = x @ wqkv
            q = qkv[:, : heads * d].view(batch, heads, 1, d)
            o = F.scaled_dot_product_attention(q, k, v, enable_gqa=True)
            x = x + o.reshape(batch, heads * d) @ wo
            gu = x @ wgu
            x = x + (F.silu(gu[:, :inter]) * gu[:, inter:]) @ wd
        return x @ head

    ms = timed_graph(step)
    weight_bytes = sum(t.nbytes for ws in weights for t in ws) + head.nbytes
    kv_bytes = sum(k.nbytes + v.nbytes for k, v in cache)
    row = {"config": stem, "batch": batch, "context": context, "step_ms": ms, "weight_bytes": weight_bytes,
           "kv_bytes": kv_bytes, "achieved_bytes_per_s": (weight_bytes + kv_bytes) / (ms / 1e3)}
    del weights, head, cache
    torch.cuda.empty_cache()
    return row


def main() -> int:
    out_dir = os.environ.get("OUT")
    sink = open(Path(out_dir) / "gpu_decode.jsonl", "w") if out_dir else None  # noqa: SIM115
    head = {"env": {"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "cuda": torch.version.cuda}}
    failures = 0
    for row in [head]:
        print(json.dumps(row), flush=True)
        if sink:
            sink.write(json.dumps(row) + "\n")
    for stem, batch, context in CASES:
        try:
            row = measure(stem, batch, context)
        except Exception as exc:  # record and go on
            failures += 1
            row = {"config": stem, "batch": batch, "context": context, "error": f"{type(exc).__name__}: {exc}"[:400]}
            torch.cuda.empty_cache()
        print(json.dumps(row), flush=True)
        if sink:
            sink.write(json.dumps(row) + "\n")
            sink.flush()
    return 1 if failures else 0


if __name__ == "__main__":
    if not torch.cuda.is_available():
        sys.exit("needs a CUDA GPU")
    sys.exit(main())
