"""Speed checks for the core: rank a generated 10,000-model catalog, and reject bad input.

Run: python benchmarks/bench_rank.py   (after `pip install .`)

Targets (issue #2, on the 2-core CI machine): ranking 10,000 models from the command line
in under 3 s, start-up included; a broken catalog rejected in well under a second.
Exits 1 when a target is missed. Times are the best of three runs (the median is printed
beside it: on a shared machine the spread says how much to trust the best).
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RANK_S = 3.0
TARGET_INVALID_S = 1.0


def entry(i: int, rng: random.Random) -> str:
    kind = rng.choice(["llm", "llm", "llm", "diffusion-image"])
    access = rng.choice(["api", "open-weights", "[api, open-weights]"])
    lines = [
        f"  - id: model-{i:05d}",
        f"    name: Model {i}",
        f"    vendor: Vendor {i % 37}",
        f"    kind: {kind}",
        f"    access: {access}",
        f"    source: https://example.org/cards/{i}",
        f"    as_of: 2026-{rng.randint(1, 11):02d}",
        f"    params: {rng.choice([1, 3, 7, 8, 13, 34, 70, 180])}B",
        f"    context_window: {rng.choice(['8K', '32k', '128K', '200k', '1M'])}",
        f"    license: {rng.choice(['apache-2.0', 'mit', 'llama3.1', 'cc-by-nc-4.0', 'proprietary'])}",
        "    benchmarks:",
        f"      mmlu: {{value: {rng.uniform(40, 92):.1f}, n_shot: 5}}",
        f"      gsm8k: {rng.uniform(20, 97):.1f}",
        f"      humaneval: {{value: {rng.uniform(10, 92):.1f}, source: https://example.org/evals/{i}}}",
        "    pricing:",
        f"      input_per_1m: {rng.uniform(0.05, 15):.2f}",
        f"      output_per_1m: {rng.uniform(0.1, 60):.2f}",
        "    serving:",
        f"      ttft_p95_ms: {rng.randint(40, 2000)}",
        f"      tokens_per_s: {rng.randint(5, 300)}",
        "    compliance:",
        f"      soc2_type2: {rng.choice(['true', 'false'])}",
        f"      uptime_sla_pct: {rng.choice([99.0, 99.5, 99.9, 99.99])}",
        "    operations:",
        f"      rollback_without_reindex: {rng.choice(['true', 'false'])}",
        f"      shutdown_date: {rng.randint(2024, 2028)}-{rng.randint(1, 12):02d}-15",
        "    ecosystem:",
        f"      vllm: {rng.choice(['true', 'false'])}",
        f"      hf_downloads: {rng.randint(0, 5_000_000)}",
    ]
    return "\n".join(lines) + "\n"


def best_of(n: int, argv: list[str], expect: int) -> tuple[float, float]:
    """Best and median wall time of ``n`` runs of ``argv``, start-up included."""
    times = []
    for _ in range(n):
        started = time.perf_counter()
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode != expect:
            sys.exit(f"{' '.join(argv)} exited {done.returncode}, expected {expect}: {done.stderr[-500:]}")
    return min(times), statistics.median(times)


def main() -> int:
    rng = random.Random(2)
    with tempfile.TemporaryDirectory() as tmp:
        catalog = Path(tmp) / "big.yaml"
        catalog.write_text("schema_version: 1\nname: generated\nmodels:\n"
                           + "".join(entry(i, rng) for i in range(10_000)), encoding="utf-8")
        bad = Path(tmp) / "bad.yaml"
        bad.write_text(catalog.read_text(encoding="utf-8").replace("    params: 70B\n", "    params: 70 bananas\n", 3),
                       encoding="utf-8")
        cli = [sys.executable, "-m", "model_scorecard"]
        size_mb = catalog.stat().st_size / 1e6
        rank_s, rank_median = best_of(3, [*cli, "rank", str(catalog), "-f", "json", "-o", str(Path(tmp) / "out.json"),
                                          "--as-of", "2026-11-23"], 0)
        small_bad = Path(tmp) / "small-bad.yaml"
        small_bad.write_text("schema_version: 1\nmodels:\n  - {id: x, name: X, vendor: V, kind: lm, access: api, parms: 7B}\n")
        invalid_s, invalid_median = best_of(3, [*cli, "validate", str(small_bad)], 2)
        big_invalid_s, _ = best_of(3, [*cli, "validate", str(bad)], 2)
    print(f"rank 10,000 models ({size_mb:.1f} MB of YAML), CLI, JSON out: {rank_s:.2f} s (target < {TARGET_RANK_S} s; "
          f"median {rank_median:.2f} s)")
    print(f"reject a small invalid catalog: {invalid_s:.2f} s (target < {TARGET_INVALID_S} s; median {invalid_median:.2f} s)")
    print(f"reject the 10,000-model catalog with 3 bad entries: {big_invalid_s:.2f} s (for information)")
    ok = rank_s < TARGET_RANK_S and invalid_s < TARGET_INVALID_S
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
