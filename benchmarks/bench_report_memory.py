"""Scale of a JSON report: rank a generated 100,000-model catalog to JSON, from the command line.

Run: python benchmarks/bench_report_memory.py [N]   (after `pip install .`; N defaults to 100,000)

Targets (issue "house", on the 2-core CI machine): at 100,000 models, peak memory (the child's
maximum resident set) at most 2 GiB and wall time at most 15 s, start-up included. The catalog
is about 71 MB of YAML, over the default 64 MiB input cap, so the run raises the cap with
SCORECARD_MAX_YAML_BYTES. Exits 1 when a target is missed. The report's bytes are checked to
parse as JSON with one entry per model.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_rank import entry  # noqa: E402  (the same generated entries as the 10,000-model benchmark)

TARGET_PEAK_BYTES = 2 * 2**30
TARGET_WALL_S = 15.0


def main(argv: list[str]) -> int:
    n = int(argv[1]) if len(argv) > 1 else 100_000
    rng = random.Random(2)
    with tempfile.TemporaryDirectory() as tmp:
        catalog = Path(tmp) / "big.yaml"
        with catalog.open("w", encoding="utf-8") as out:
            out.write("schema_version: 1\nname: generated\nmodels:\n")
            for i in range(n):
                out.write(entry(i, rng))
        report = Path(tmp) / "out.json"
        env = {**os.environ, "SCORECARD_MAX_YAML_BYTES": str(1 << 30)}
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "model_scorecard", "rank", str(catalog), "-f", "json",
                               "-o", str(report), "--as-of", "2026-11-23"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"rank exited {done.returncode}: {done.stderr[-500:]}")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # KiB on Linux
        size = report.stat().st_size
        with report.open("rb") as fh:
            models = len(json.load(fh)["models"])
        yaml_mb = catalog.stat().st_size / 1e6
    print(f"rank {n:,} models ({yaml_mb:.0f} MB of YAML) to JSON ({size / 1e6:.0f} MB, {models:,} rows): "
          f"{wall:.1f} s (target <= {TARGET_WALL_S:g} s), peak {peak / 2**30:.2f} GiB "
          f"(target <= {TARGET_PEAK_BYTES / 2**30:g} GiB), {peak / n / 1e3:.0f} KB per model")
    ok = wall <= TARGET_WALL_S and peak <= TARGET_PEAK_BYTES
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
