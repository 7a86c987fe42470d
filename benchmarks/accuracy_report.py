"""Compare measured GPU memory with the estimates and print docs/accuracy.md's tables.

Input: the JSON lines written by ``benchmarks/gpu_memory_measure.py`` on a GPU machine
(kept in ``benchmarks/data/``). For every measured case this computes, with
``model_scorecard.calc``, what the ``transformers`` engine profile predicts for the same
config, precision (bf16), batch and context, and prints one Markdown row per case:

* weights: ``weight_bytes`` against the bytes PyTorch allocated for the parameters;
* KV cache: the ``transformers`` engine's ``kv_cache_bytes`` against the GPU storage the
  returned cache keeps alive (views of a larger tensor count the whole tensor);
* KV cache after one more decode step, when sliding-window layers keep only their window,
  against the window-limited ``kv_cache_bytes`` with 1-token blocks;
* prefill peak: KV cache + ``activation_bytes`` against ``max_memory_allocated`` minus weights;
* outside PyTorch: the profile's ``non_torch_bytes`` against the process's measured use.

and from ``benchmarks/gpu_speed_measure.py``'s lines, the roofline (``calc.speed``) on the
same GPU against the measured prefill time and CUDA-graph decode step, and from
``benchmarks/gpu_decode_kernels.py``'s, against a decode step built from fused kernels.

Usage::

    python benchmarks/accuracy_report.py [MEMORY.jsonl [SPEED.jsonl [DECODE.jsonl]]]

Exit status 1 when a weights or KV error exceeds 2 %, so a formula change that breaks the
agreement shows.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from model_scorecard.calc.architecture import architecture_from_config
from model_scorecard.tables.gpus import find_gpu
from model_scorecard.calc.memory import ENGINES, KV_DTYPE_BYTES, PRECISIONS, activation_bytes, kv_bytes_per_token, kv_cache_bytes, weight_bytes
from model_scorecard.calc.speed import estimate_speed

ROOT = Path(__file__).resolve().parents[1]
DIRS = (ROOT / "src" / "model_scorecard" / "data" / "reference", ROOT / "tests" / "calc" / "configs")
GIB = 1024**3
LIMIT_PCT = 2.0


def config(stem: str) -> dict:
    for d in DIRS:
        p = d / f"{stem}.json"
        if p.exists():
            return json.loads(p.read_text())
    raise FileNotFoundError(stem)


def pct(est: float, real: float) -> float:
    return 100.0 * (est - real) / real if real else 0.0


def gib(b: float) -> str:
    return f"{b / GIB:.3f}"


def main(path: str) -> int:
    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    env = rows[0]["env"]
    engine = ENGINES["transformers"]
    bf16 = PRECISIONS["bf16"]
    print(f"Measured on {env['gpu']}, torch {env['torch']}, transformers {env['transformers']}, CUDA {env['cuda']}; "
          f"random bf16 weights from config.json, SDPA attention, one prefill forward with `use_cache=True`.\n")
    print("| config | batch × context | weights est / measured GiB | err | KV est / measured GiB | err "
          "| KV after 1 decode step, est / measured GiB | prefill peak est / measured GiB | err |")
    print("|---|---|---|---|---|---|---|---|---|")
    worst = 0.0
    non_torch = None
    for r in rows[1:]:
        if "error" in r:
            print(f"| {r['config']} | {r['batch']} × {r['context']} | failed: {r['error'][:80]} | | | | | | |")
            continue
        arch = architecture_from_config(config(r["config"]))
        embed = arch.param_breakdown["embeddings"] + arch.param_breakdown["lm_head"]
        w = weight_bytes(arch.total_params, bf16, embed).total_bytes
        kv = engine.kv_cache_bytes(arch, r["context"], r["batch"], KV_DTYPE_BYTES["bf16"])
        act = activation_bytes(arch, engine, 1, r["batch"], r["context"])
        # after a decode step sliding-window layers keep only their window (vLLM's layout, 1-token blocks)
        kv_step = kv_cache_bytes(arch, r["context"] + 1, r["batch"], KV_DTYPE_BYTES["bf16"], block=1)
        w_err, kv_err = pct(w, r["param_bytes"]), pct(kv, r["kv_bytes"])
        peak_err = pct(kv + act, r["peak_bytes"])
        worst = max(worst, abs(w_err), abs(kv_err), abs(pct(kv_step, r["kv_after_decode_bytes"])))
        print(f"| {r['config']} | {r['batch']} × {r['context']:,} | {gib(w)} / {gib(r['param_bytes'])} | "
              f"{w_err:+.2f} % | {gib(kv)} / {gib(r['kv_bytes'])} | {kv_err:+.2f} % | "
              f"{gib(kv_step)} / {gib(r['kv_after_decode_bytes'])} | "
              f"{gib(kv + act)} / {gib(r['peak_bytes'])} | {peak_err:+.0f} % |")
        non_torch = r.get("non_torch_bytes", non_torch)
    if non_torch is not None:
        print(f"\nOutside PyTorch's allocator (CUDA context, cuBLAS workspace): measured {gib(non_torch)} GiB; "
              f"the transformers profile assumes {gib(engine.non_torch_bytes)} GiB "
              f"({pct(engine.non_torch_bytes, non_torch):+.0f} %).")
    print(f"\nLargest weights/KV error: {worst:.2f} % (limit {LIMIT_PCT} %).")
    return 1 if worst > LIMIT_PCT else 0


def speed(path: str) -> None:
    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    head = rows[0]
    gpu = find_gpu("H100 SXM")
    print(f"\nCeilings on the same H100: device-to-device copy {head['copy_bytes_per_s'] / 1e12:.2f} TB/s "
          f"({head['copy_bytes_per_s'] / gpu.bandwidth_bytes_per_s:.0%} of the {gpu.bandwidth_bytes_per_s / 1e12:.2f} "
          f"TB/s data sheet); 8192³ bf16 matrix product {head['bf16_matmul_flop_per_s'] / 1e12:.0f} TFLOP/s "
          f"({head['bf16_matmul_flop_per_s'] / gpu.bf16_flops:.0%} of {gpu.bf16_flops / 1e12:.0f}).\n")
    print("| config | batch | prompt → TTFT est low/likely/high ms | measured prefill ms | in range "
          "| context → TPOT est low/likely/high ms | measured step ms (CUDA graph) | in range | achieved MBU |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows[1:]:
        if "error" in r:
            print(f"| {r['config']} | {r['batch']} | failed: {r['error'][:80]} | | | | | | |")
            continue
        arch = architecture_from_config(config(r["config"]))
        kv_tok = kv_bytes_per_token(arch, KV_DTYPE_BYTES["bf16"])
        pre = estimate_speed(arch, gpu, weight_bits=16, kv_bytes_per_token=kv_tok, prompt_tokens=r["prompt"],
                             output_tokens=1, batch=r["batch"], prefill_batch=r["batch"])
        dec = estimate_speed(arch, gpu, weight_bits=16, kv_bytes_per_token=kv_tok, prompt_tokens=r["context"],
                             output_tokens=1, batch=r["batch"])
        ttft, tpot = pre.ttft_ms, dec.tpot_ms
        step = r["decode_step_ms_graph"] or r["decode_step_ms_eager"]
        read = (arch.active_params if r["batch"] == 1 else arch.total_params) * 2 + r["batch"] * r["context"] * kv_tok
        mbu = read / (step / 1e3) / gpu.bandwidth_bytes_per_s
        ttft_ok = "yes" if ttft.low <= r["prefill_ms"] <= ttft.high else "no"
        tpot_ok = "yes" if tpot.low <= step <= tpot.high else "no"
        print(f"| {r['config']} | {r['batch']} | {r['prompt']:,} → {ttft.low:.1f} / {ttft.likely:.1f} / "
              f"{ttft.high:.1f} | {r['prefill_ms']:.1f} | {ttft_ok} "
              f"| {r['context']:,} → {tpot.low:.2f} / {tpot.likely:.2f} / {tpot.high:.2f} | {step:.2f} | "
              f"{tpot_ok} | {mbu:.0%} |")


def decode_kernels(path: str) -> None:
    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    gpu = find_gpu("H100 SXM")
    print("\n| config | batch × context | TPOT est low/likely/high ms | measured step ms (fused kernels, CUDA graph) "
          "| in range | bytes read / step time | MBU |")
    print("|---|---|---|---|---|---|---|")
    for r in rows[1:]:
        if "error" in r:
            print(f"| {r['config']} | {r['batch']} × {r['context']} | failed: {r['error'][:80]} | | | | |")
            continue
        arch = architecture_from_config(config(r["config"]))
        kv_tok = kv_bytes_per_token(arch, KV_DTYPE_BYTES["bf16"])
        tpot = estimate_speed(arch, gpu, weight_bits=16, kv_bytes_per_token=kv_tok, prompt_tokens=r["context"],
                              output_tokens=1, batch=r["batch"]).tpot_ms
        ok = "yes" if tpot.low <= r["step_ms"] <= tpot.high else "no"
        bw = r["achieved_bytes_per_s"]
        print(f"| {r['config']} | {r['batch']} × {r['context']:,} | {tpot.low:.2f} / {tpot.likely:.2f} / "
              f"{tpot.high:.2f} | {r['step_ms']:.2f} | {ok} | {bw / 1e12:.2f} TB/s | "
              f"{bw / gpu.bandwidth_bytes_per_s:.0%} |")


if __name__ == "__main__":
    data = ROOT / "benchmarks" / "data"
    args = sys.argv[1:]
    status = main(args[0] if args else str(data / "gpu-memory-h100.jsonl"))
    speed(args[1] if len(args) > 1 else str(data / "gpu-speed-h100.jsonl"))
    decode_kernels(args[2] if len(args) > 2 else str(data / "gpu-decode-h100.jsonl"))
    sys.exit(status)
