"""Speed check for ``scorecard sensitivity``: 10,000 Monte Carlo draws on a 30-model catalog.

Run: python benchmarks/bench_sensitivity.py   (after `pip install .`)

Target (issue 10, item 9, on the 2-core CI machine): the analysis of 10,000 draws for a
30-model catalog in a few seconds. Times, best of three (median beside it):

- the core call ``sensitivity(report, rubric, draws=10_000)`` on a generated 30-model catalog
  (scoring not included), against TARGET_CORE_S;
- the whole command on the bundled catalog, start-up, scoring and JSON included, against
  TARGET_CLI_S.

Exits 1 when a target is missed.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench_rank import entry  # the same generated entries as the ranking benchmark

TARGET_CORE_S = 2.0
TARGET_CLI_S = 5.0
DRAWS = 10_000
DAY = date(2026, 11, 23)


def best_of(n: int, fn) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def main() -> int:
    from model_scorecard.schema.load import load_catalog, load_rubric
    from model_scorecard.schema.workload import load_workload
    from model_scorecard.scoring import evaluate
    from model_scorecard.scoring.sensitivity import sensitivity

    rng = random.Random(10)
    rubric = load_rubric(None)
    workload = load_workload(None, rubric.default_workload)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "thirty.yaml"
        path.write_text("schema_version: 1\nname: generated\nmodels:\n" + "".join(entry(i, rng) for i in range(30)),
                        encoding="utf-8")
        report = evaluate(load_catalog(path), rubric, workload, DAY)
        core_s, core_median = best_of(3, lambda: sensitivity(report, rubric, draws=DRAWS))
        rows = len(report.models)

        argv = [sys.executable, "-m", "model_scorecard", "sensitivity", "--draws", str(DRAWS), "-f", "json",
                "-o", str(Path(tmp) / "out.json"), "--as-of", DAY.isoformat()]

        def cli() -> None:
            done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if done.returncode != 0:
                sys.exit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-500:]}")

        cli_s, cli_median = best_of(3, cli)
    print(f"sensitivity, {DRAWS:,} draws, {rows} rows of a generated 30-model catalog, core call: {core_s:.2f} s "
          f"(target < {TARGET_CORE_S} s; median {core_median:.2f} s)")
    print(f"scorecard sensitivity --draws {DRAWS:,} on the bundled catalog, CLI, JSON out: {cli_s:.2f} s "
          f"(target < {TARGET_CLI_S} s; median {cli_median:.2f} s)")
    ok = core_s < TARGET_CORE_S and cli_s < TARGET_CLI_S
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
