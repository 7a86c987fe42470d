"""Start-up of `scorecard vram 70B --int4` against importing the CLI's own libraries.

Run: python benchmarks/bench_vram.py   (after `pip install .`)

Target (issue #3): the whole command within 1.5× of `python -c "import typer, rich,
pydantic, yaml"` timed in the same run. Best of 7 runs each; exits 1 on a miss.
"""

from __future__ import annotations

import subprocess
import sys
import time

RATIO = 1.5


def best_of(n: int, argv: list[str]) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            sys.exit(f"{' '.join(argv)} failed: {done.stderr[-500:]}")
    return min(times)


def main() -> int:
    baseline = best_of(7, [sys.executable, "-c", "import typer, rich, pydantic, yaml"])
    vram = best_of(7, [sys.executable, "-m", "model_scorecard", "vram", "70B", "--int4"])
    print(f'python -c "import typer, rich, pydantic, yaml": {baseline:.3f} s')
    print(f"scorecard vram 70B --int4:                   {vram:.3f} s  ({vram / baseline:.2f}× the baseline, "
          f"target ≤ {RATIO}×)")
    ok = vram <= RATIO * baseline
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
