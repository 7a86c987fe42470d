"""Speed of `scorecard enrich`: 50 models from a local stand-in Hub with 100 ms per request.

Run: python benchmarks/bench_enrich.py   (from a checkout, after `pip install -e '.[test]'`)

Nothing leaves the machine: the Hub is tests/hub/fakehub.py on 127.0.0.1, and the real
huggingface_hub client talks to it through HF_ENDPOINT. Each model costs three requests
(model_info, then HEAD and GET of config.json), each delayed by the latency.

Reports the time serially (--jobs 1) and with the default concurrency (8), each from an
empty cache, then a third run from the warm cache, which must make no request at all.
Exits 1 when the concurrent run is not under a third of the serial one, or when the
cached run makes a request.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.hub.fakehub import FakeHub, make_repo  # noqa: E402

MODELS = 50
LATENCY_S = 0.100
JOBS = 8
TARGET_SPEEDUP = 3.0
LICENSES = ["apache-2.0", "mit", "llama3.1", "gemma", "cc-by-nc-4.0", "other"]


def config(i: int) -> dict:
    return {"model_type": "llama", "hidden_size": 256 + 64 * (i % 4), "intermediate_size": 1024,
            "num_attention_heads": 8, "num_key_value_heads": 4, "num_hidden_layers": 4 + i % 8,
            "vocab_size": 32000, "max_position_embeddings": 8192 * (1 + i % 4), "tie_word_embeddings": False}


def catalog_text() -> str:
    lines = ["schema_version: 1", "name: bench-enrich", "models:"]
    for i in range(MODELS):
        lines += [f"  - id: model-{i:02d}", f"    name: Model {i}", "    vendor: Bench", "    kind: llm",
                  "    access: open-weights", f"    hf_id: bench-org/model-{i:02d}"]
        if i % 5 == 0:
            lines.append("    params: {value: 1B, source: https://example.org/hand-written}")
    return "\n".join(lines) + "\n"


def run(path: Path, cache: Path, jobs: int, hub: FakeHub) -> tuple[float, int]:
    from model_scorecard.hub.facts import enrich_catalog_file

    os.environ["SCORECARD_CACHE_DIR"] = str(cache)
    os.environ["HF_HOME"] = str(cache / "hf")
    before = hub.count
    start = time.perf_counter()
    result = enrich_catalog_file(path, jobs=jobs)
    elapsed = time.perf_counter() - start
    assert result.models == MODELS, result.models
    return elapsed, hub.count - before


def main() -> int:
    for name in ("HF_TOKEN", "HF_HUB_OFFLINE", "HF_HUB_CACHE"):
        os.environ.pop(name, None)
    hub = FakeHub()
    for i in range(MODELS):
        hub.add(make_repo(f"bench-org/model-{i:02d}", config=config(i), safetensors={"BF16": 10_000_000 + i},
                          license=LICENSES[i % len(LICENSES)]))
    hub.latency_s = LATENCY_S
    os.environ["HF_ENDPOINT"] = hub.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "catalog.yaml"
            path.write_text(catalog_text())
            serial_s, serial_n = run(path, Path(tmp) / "cache-serial", 1, hub)
            conc_s, conc_n = run(path, Path(tmp) / "cache-concurrent", JOBS, hub)
            cached_s, cached_n = run(path, Path(tmp) / "cache-concurrent", JOBS, hub)
    finally:
        hub.stop()
    print(f"enrich {MODELS} models, {LATENCY_S * 1000:.0f} ms per request (local stand-in Hub)")
    print(f"  serial (--jobs 1)      {serial_s:6.2f} s  {serial_n} requests")
    print(f"  concurrent (--jobs {JOBS}) {conc_s:6.2f} s  {conc_n} requests  ({serial_s / conc_s:.1f}x faster)")
    print(f"  from the cache         {cached_s:6.2f} s  {cached_n} requests")
    ok = True
    if cached_n != 0:
        print(f"FAIL: the cached run made {cached_n} request(s); it must make none")
        ok = False
    if serial_s / conc_s < TARGET_SPEEDUP:
        print(f"FAIL: concurrency gave {serial_s / conc_s:.1f}x; target {TARGET_SPEEDUP:.0f}x")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
