"""Hostile input (issue 14): sizes and numbers read from outside.

Class 2 -- every size read from outside is bounded: a 300-byte config.json that claims 10^12
layers is refused at once, located, with exit 2; a device, a pipe or an oversized file named as
a JSON input is refused without being read; the JSON report is written in chunks, so what
rendering it costs does not grow with the number of models.

Class 6 -- numbers: thousands separators only in real groups of three; NaN and infinity
refused wherever a number enters (catalog facts, baseline totals, JSON inputs, options);
figures beyond a float or a 64-bit integer are bad input (exit 2), never a crash (exit 3).

The commands whose failure would eat memory or hang run in a child process with a memory
ceiling and a time limit, so a regression fails the test instead of the machine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from model_scorecard.errors import InvalidInput
from tests.conftest import REPO, catalog_text

CONFIGS = REPO / "tests" / "calc" / "configs"
SHORTLIST = REPO / "examples" / "shortlist.yaml"
MEMORY_CEILING = 1536 * 2**20  # bytes of address space a child may map: the tool needs a few hundred MB


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING, MEMORY_CEILING))


def scorecard(*args: object, timeout: float = 60, env: dict[str, str] | None = None,
              cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``scorecard ARGS`` in a child process under a memory ceiling and a time limit."""
    child_env = {k: v for k, v in os.environ.items() if k != "SCORECARD_DEBUG"}
    child_env.update({"HF_HUB_OFFLINE": "1", "COLUMNS": "200", **(env or {})})
    code = "import sys; from model_scorecard.cli import main; sys.argv[0] = 'scorecard'; main()"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=child_env, cwd=cwd or REPO, preexec_fn=_limit_memory, check=False)


def assert_refused(done: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 2 with a message, no traceback, no "this is a bug"."""
    assert done.returncode == 2, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert done.stderr.startswith("error:") or "Error" in done.stderr
    for word in words:
        assert word in done.stderr, (word, done.stderr)


def config_json(path: Path, **fields: object) -> Path:
    base = {"model_type": "llama", "num_hidden_layers": 32, "hidden_size": 4096, "num_attention_heads": 32,
            "num_key_value_heads": 8, "vocab_size": 128256, "intermediate_size": 14336}
    path.write_text(json.dumps({**base, **fields}, indent=1), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- class 2: sizes


@pytest.mark.parametrize("field, value", [
    ("num_hidden_layers", 10**12), ("num_hidden_layers", 2**40), ("hidden_size", 10**15),
    ("num_attention_heads", 10**9), ("vocab_size", 10**13), ("intermediate_size", 10**18),
    ("max_position_embeddings", 10**30), ("num_key_value_heads", 2**62),
])
def test_a_tiny_config_with_an_absurd_size_is_refused_quickly_and_located(tmp_path, field, value):
    path = config_json(tmp_path / "config.json", **{field: value})
    assert path.stat().st_size < 300
    start = time.monotonic()
    done = scorecard("vram", path, "--gpu", "H100", "-f", "json")
    assert time.monotonic() - start < 20  # start-up included; the refusal itself is immediate
    assert_refused(done, field, "limit", str(path))
    line = 1 + next(i for i, text in enumerate(path.read_text().splitlines()) if f'"{field}"' in text)
    assert f"{path}:{line}:" in done.stderr  # the file, and the line of the key at fault
    assert done.stdout == ""


def test_an_absurd_expert_count_is_refused(tmp_path):
    path = tmp_path / "config.json"
    mixtral = json.loads((CONFIGS / "mistralai--Mixtral-8x7B-v0.1.json").read_text())
    path.write_text(json.dumps({**mixtral, "num_local_experts": 10**12}), encoding="utf-8")
    assert_refused(scorecard("vram", path), "num_local_experts", "limit")


def test_a_hostile_hub_config_is_bounded_too(tmp_path, monkeypatch):
    from model_scorecard.hub import client as hub
    from tests.hub.fakehub import FakeHub, make_repo

    base = json.loads(config_json(tmp_path / "c.json").read_text())
    fake = FakeHub()
    fake.add(make_repo("evil/layers", config={**base, "num_hidden_layers": 10**12}))
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE", "SCORECARD_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SCORECARD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setattr(hub, "BACKOFF_S", 0.01)
    monkeypatch.setenv("HF_ENDPOINT", fake.start())
    try:
        from typer.testing import CliRunner

        from model_scorecard.cli import app

        result = CliRunner().invoke(app, ["vram", "evil/layers", "-f", "json"], catch_exceptions=False)
    finally:
        fake.stop()
    # no per-layer list of 10^12 entries was built; the Hub's config is refused (or set aside with a warning)
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    assert "limit" in result.output


@pytest.mark.parametrize("command", [
    ("vram", "/dev/zero"),
    ("gate", SHORTLIST, "--baseline", "/dev/zero"),
])
def test_a_device_named_as_a_json_input_is_refused_without_reading_it(command):
    start = time.monotonic()
    done = scorecard(*command, timeout=60)
    assert time.monotonic() - start < 30
    assert_refused(done, "/dev/zero", "not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("kind", ["config", "baseline"])
def test_a_pipe_without_a_writer_is_refused_not_waited_on(tmp_path, kind):
    fifo = tmp_path / "config.json"
    os.mkfifo(fifo)
    args = ("vram", fifo) if kind == "config" else ("gate", SHORTLIST, "--baseline", fifo)
    assert_refused(scorecard(*args, timeout=30), "not a regular file")


@pytest.mark.parametrize("kind", ["config", "baseline"])
def test_a_json_input_over_the_size_cap_is_refused_before_parsing(tmp_path, kind):
    path = config_json(tmp_path / "config.json", padding="x" * 5000)
    args = ("vram", path) if kind == "config" else ("gate", SHORTLIST, "--baseline", path)
    assert_refused(scorecard(*args, env={"SCORECARD_MAX_YAML_BYTES": "2000"}), "limit", "SCORECARD_MAX_YAML_BYTES")


@pytest.mark.parametrize("text, words", [
    ("[" * 200_000 + "]" * 200_000, ("nested too deeply",)),
    ('{"model_type": "llama", "hidden_size": ' + "9" * 5000 + "}", ("too many digits",)),
    ('{"model_type": "llama",\n "rope_theta": NaN}', ("NaN", "finite", ":2:")),
    ('{"model_type": "llama",\n "x": "Infinity is a word",\n "rope_theta": 1e400}', ("1e400", "finite", ":3:")),
    ("\ufeff{}".encode("utf-16"), ("UTF-8",)),
])
def test_malformed_json_inputs_are_located_bad_input(tmp_path, text, words):
    path = tmp_path / "config.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    assert_refused(scorecard("vram", path), str(path), *words)


def test_a_diffusers_folder_with_hostile_headers_is_bad_input(tmp_path):
    from tests.hub.fakehub import safetensors_bytes

    root = tmp_path / "pipe"
    (root / "unet").mkdir(parents=True)
    (root / "model_index.json").write_text(json.dumps({"_class_name": "StableDiffusionPipeline",
                                                      "unet": ["diffusers", "UNet2DConditionModel"]}))
    weights = root / "unet" / "diffusion_pytorch_model.safetensors"
    for header in (b"[1, 2]", b'{"w": {"dtype": "F16", "shape": "big", "data_offsets": [0, 0]}}',
                   b'{"w": {"dtype": "F16", "shape": [1000000000, 1000000000, 1000], "data_offsets": [0, 0]}}',
                   b'{"w": {"dtype": "F16", "shape": [NaN], "data_offsets": [0, 0]}}'):
        weights.write_bytes(len(header).to_bytes(8, "little") + header)
        assert_refused(scorecard("vram", root), "diffusion_pytorch_model.safetensors")
    weights.write_bytes((2**63).to_bytes(8, "little") + b"{}")  # a header length of 8 EB
    assert_refused(scorecard("vram", root), "limit")
    weights.write_bytes(safetensors_bytes({"w": ("F16", [4, 4])}))
    (root / "unet" / "config.json").write_text(json.dumps({"sample_size": 10**12}))
    assert_refused(scorecard("vram", root), "sample_size")


# the JSON report: chunks, byte-identical, memory independent of the number of models

def _report(copies: int = 1):
    from model_scorecard.schema.load import load_catalog, load_rubric
    from model_scorecard.schema.workload import load_workload
    from model_scorecard.scoring import evaluate

    rubric = load_rubric(None)
    report = evaluate(load_catalog("current"), rubric, load_workload(None, rubric.default_workload), None)
    return replace(report, models=report.models * copies)


def test_the_streamed_json_report_is_byte_identical_to_the_whole_document():
    from model_scorecard.report import jsonfmt

    report = _report(3)
    whole = orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    for chunk_models in (1, 2, 7, 256, 10_000):
        assert b"".join(jsonfmt.iter_render(report, chunk_models)) == whole
    assert jsonfmt.render_bytes(report) == whole
    green = replace(report, p_green={m.key: i / 10 for i, m in enumerate(report.models[::2])})
    assert jsonfmt.render_bytes(green) == orjson.dumps(green.to_dict(), option=orjson.OPT_INDENT_2
                                                       | orjson.OPT_APPEND_NEWLINE)
    empty = replace(report, models=())
    assert jsonfmt.render_bytes(empty) == jsonfmt.dumps_bytes(empty.to_dict())


class _Sink:
    """A binary stream that keeps nothing."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)


def _peak_while_writing(report) -> tuple[int, int]:
    from model_scorecard.report import jsonfmt

    sink = _Sink()
    tracemalloc.start()
    try:
        jsonfmt.write(report, sink)  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, sink.size


def test_writing_the_json_report_costs_one_chunk_whatever_the_number_of_models():
    small, small_size = _peak_while_writing(_report(6))  # ~320 models: about one chunk
    large, large_size = _peak_while_writing(_report(48))  # ~2,500 models: ten chunks
    assert large_size > 7 * small_size
    assert large < 1.5 * small + 2 * 2**20, (small, large)  # flat: a whole-document render grows 8×


# --------------------------------------------------------------------------- class 6: numbers


def test_a_comma_decimal_is_refused_and_real_thousands_are_read(tmp_path, cli):
    entry = ("  - {{id: m, name: M, vendor: V, kind: llm, access: open-weights, checkpoint: instruct, "
             "params: '{}'}}\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text(catalog_text(entry.format("7,5B")), encoding="utf-8")
    result = cli("rank", bad, "-f", "json")
    assert result.exit_code == 2 and "groups of three" in result.output and "bad.yaml:" in result.output
    good = tmp_path / "good.yaml"
    good.write_text(catalog_text(entry.format("7,500B")), encoding="utf-8")
    assert cli("validate", good).exit_code in (0, 1)  # lint findings aside, the params parse
    from model_scorecard.schema.load import load_catalog

    assert load_catalog(good).models[0].params.value == 7_500 * 10**9


@pytest.mark.parametrize("args, words", [
    (("vram", "7,5B"), ("groups of three",)),
    (("vram", "0B"), ("1 to",)),
    (("vram", "99999999999999999999999999T"), ("limit",)),
    (("vram", "7B", "--context", "999999999999999999999999"), ("limit",)),
    (("vram", "7B", "--context", "inf"), ("--context",)),
    (("vram", "7B", "--batch", "9" * 40), ("batch",)),
    (("vram", "405B", "--context", "4096Mi", "--batch", "1000000", "-f", "json"), ("64-bit",)),
    (("vram", "7B", "--bits", "nan"), ("--bits",)),
])
def test_numbers_out_of_range_are_bad_input_never_a_crash(cli, args, words):
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output
    for word in words:
        assert word in result.output


@pytest.mark.parametrize("fact", [
    "ecosystem: {hf_downloads: 99999999999999999999999999999}",
    "architecture: {num_layers: 100000000000}",
    "serving: {prompt_tokens: 99999999999999}",
    "pricing: {input_per_1m: .nan}",
    "pricing: {input_per_1m: .inf}",
    "benchmarks: {mmlu: {value: 1e400}}",
    "context_window: 1e30",
    "params: 99999999999999999999999999999",
    "pricing: {input_per_1m: 1e300}",  # finite, but a blended price of it is not
    "benchmarks: {arena: {value: 1e300, scale: null}}",
])
def test_catalog_numbers_beyond_range_or_not_finite_are_located_bad_input(tmp_path, cli, fact):
    path = tmp_path / "catalog.yaml"
    path.write_text(catalog_text("  - id: m\n    name: M\n    vendor: V\n    kind: llm\n    access: open-weights\n"
                                 "    checkpoint: instruct\n    " + fact + "\n"), encoding="utf-8")
    for command in (("validate", path), ("rank", path, "-f", "json")):
        result = cli(*command)
        assert result.exit_code == 2, result.output
        assert "internal error" not in result.output and f"{path}:9:" in result.output


@pytest.mark.parametrize("field", ["input_tokens: 99999999999999999999", "egress_usd_per_gb: 1e300",
                                   "carbon_price_eur_per_t: 1e308", "tokens_per_day: 99999999999999999999",
                                   "utilisation: 1e-320"])
def test_a_workload_beyond_range_is_bad_input(tmp_path, cli, field):
    path = tmp_path / "w.yaml"
    path.write_text(f"name: huge\n{field}\n", encoding="utf-8")
    for command in (("rank", "--workload", path), ("estimate", "7B", "--workload", path)):
        result = cli(*command)
        assert result.exit_code == 2 and "internal error" not in result.output
        assert "limit" in result.output or "closer to zero" in result.output


def test_a_workload_within_each_bound_whose_product_overflows_is_bad_input(tmp_path, cli):
    path = tmp_path / "w.yaml"
    path.write_text("name: w\nconcurrency: 9007199254740991\ninput_tokens: 4294967296\n", encoding="utf-8")
    result = cli("estimate", "405B", "--workload", path)
    assert result.exit_code == 2 and "internal error" not in result.output


@pytest.mark.parametrize("memory", ["memory_gb: 1e15", "memory_gb: 1e300", "memory_mib: 99999999999999999999"])
def test_a_gpu_file_beyond_range_is_bad_input(tmp_path, cli, memory):
    path = tmp_path / "gpus.yaml"
    path.write_text("schema_version: 1\ngpus:\n  - name: Huge\n    " + memory + "\n    source: x\n"
                    "    bandwidth_gb_per_s: 3000\n    bf16_tflops: 900\n    fp8_tflops: null\n    int8_tops: null\n"
                    "    tdp_w: 700\n    idle_w: 70\n    interconnect: pcie\n    link_gb_per_s: 64\n",
                    encoding="utf-8")
    for command in ("vram", "estimate"):
        result = cli(command, "7B", "--gpus-file", path, "--gpu", "Huge", "-f", "json")
        assert result.exit_code == 2, result.output
        assert "internal error" not in result.output and f"{path}:" in result.output


# baselines: a NaN total must not switch the regression check off

def _baseline(tmp_path: Path, cli, change) -> Path:
    first = tmp_path / "base.json"
    assert cli("gate", SHORTLIST, "-o", first).exit_code == 0
    doc = json.loads(first.read_text())
    change(doc)
    first.write_text(json.dumps(doc), encoding="utf-8")  # json writes NaN and Infinity as such
    return first


@pytest.mark.parametrize("change", [
    lambda d: d["candidates"][0].update(total=float("nan")),
    lambda d: d["candidates"][0].update(total=float("inf")),
    lambda d: d["candidates"][1]["layers"].update(capability=float("-inf")),
    lambda d: d["candidates"][0].update(total="24"),
    lambda d: d["candidates"][0].update(total=True),
    lambda d: d["candidates"][0].update(id={"a": 1}),
    lambda d: d["candidates"][0].update(verdict=["green-light"]),
    lambda d: d.update(candidates=7),
    lambda d: d.update(evaluated_on={"x": [1]}),
], ids=["nan-total", "inf-total", "inf-layer", "string-total", "bool-total", "object-id", "list-verdict", "candidates-not-a-list",
        "evaluated-on-object"])
def test_a_baseline_that_cannot_be_compared_is_refused(tmp_path, cli, change):
    from model_scorecard.gate import load_baseline

    path = _baseline(tmp_path, cli, change)
    with pytest.raises(InvalidInput):
        load_baseline(path)
    out = tmp_path / "g.json"
    result = cli("gate", SHORTLIST, "--baseline", path, "-o", out)
    assert result.exit_code == 2, result.output
    assert "gate passed" not in result.output and "internal error" not in result.output
    assert not out.exists()


def test_a_sound_baseline_still_compares(tmp_path, cli):
    from model_scorecard.gate import load_baseline

    path = _baseline(tmp_path, cli, lambda d: None)
    assert len(load_baseline(path).entries) == 2
    assert cli("gate", SHORTLIST, "--baseline", path).exit_code == 0
