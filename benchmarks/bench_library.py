"""The library at the CLI's speed: load and score a generated 10,000-model catalog in-process,
with the garbage collector as a library caller has it (on), and compare with the collector off
for the whole run, as the CLI once ran (the house issue: library users ran 1.6-1.9x slower).

Run: python benchmarks/bench_library.py   (after `pip install .`)

Target: the library (collector on) within 1.2x of the run with the collector off; exits 1 when
missed. Times are the best of three.
"""

from __future__ import annotations

import gc
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_rank import entry  # noqa: E402

TARGET_RATIO = 1.2


def best(fn, n: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    from model_scorecard import evaluate, load_catalog, load_rubric

    rng = random.Random(2)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.yaml"
        path.write_text("schema_version: 1\nname: generated\nmodels:\n" + "".join(entry(i, rng) for i in range(10_000)),
                        encoding="utf-8")
        rubric = load_rubric("production")

        def run() -> None:
            evaluate(load_catalog(path), rubric, None, date(2026, 11, 23))

        gc.enable()
        library = best(run)
        gc.disable()
        off = best(run)
        gc.enable()
    ratio = library / off
    print(f"load + score 10,000 models in-process: collector on (library) {library:.2f} s, "
          f"collector off for the whole run {off:.2f} s: {ratio:.2f}x (target <= {TARGET_RATIO}x)")
    ok = ratio <= TARGET_RATIO
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
