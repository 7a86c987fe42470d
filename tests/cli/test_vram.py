"""`scorecard vram` and `scorecard estimate` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import GOLDEN, REPO

CONFIGS = REPO / "tests" / "calc" / "configs"
LLAMA_70B = str(CONFIGS / "meta-llama--Llama-3.1-70B-Instruct.json")
REQUIRED = ("params", "active_params", "precision", "weights_bytes", "kv_bytes_per_token", "kv_cache_bytes",
            "overhead_bytes", "total_bytes", "context", "batch", "gpus", "assumptions")


def as_json(cli, *args):
    result = cli("vram", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_size_shorthand_int4_json_has_every_field_and_names_the_reference(cli):
    doc = as_json(cli, "70B", "--int4")
    for key in REQUIRED:
        assert key in doc
    assert doc["params"] == 70 * 10**9 and doc["precision"] == "int4" and doc["context"] == 4096
    # the seed's 70B INT4 row says 35 GB (values only); scales/zeros and 16-bit embeddings add ~4.5 GB
    assert 35e9 < doc["weights_bytes"] < 40e9 and doc["weights"]["kept_16bit_params"] > 2e9
    assert "reference architecture meta-llama/Llama-3.1-70B" in doc["sources"]["architecture"]
    for gpu in doc["gpus"]:
        assert set(gpu) >= {"name", "count", "fits", "kv_capacity_tokens", "max_concurrency"}
    h100 = next(g for g in doc["gpus"] if g["name"] == "H100 SXM")
    assert h100["fits"] and h100["count"] == 1


def test_config_file_context_kv_dtype_and_one_gpu(cli):
    full = as_json(cli, LLAMA_70B, "--context", "128K", "--gpu", "H100")
    fp8 = as_json(cli, LLAMA_70B, "--context", "128K", "--gpu", "H100", "--kv-dtype", "fp8")
    assert full["context"] == 131_072 and full["kv_bytes_per_token"] == 327_680
    assert fp8["kv_bytes_per_token"] == 163_840 and fp8["kv_cache_bytes"] == full["kv_cache_bytes"] // 2
    # 141 GB of bf16 weights + 43 GB of KV per 128K request: 2 × 80 GB is too little, 4 fit
    assert [g["name"] for g in full["gpus"]] == ["H100 SXM"] and full["gpus"][0]["count"] == 4
    assert full["params"] == 70_553_706_496 and "exact count" in full["sources"]["params"]


def test_request_that_cannot_fit_says_what_would(cli):
    result = cli("vram", LLAMA_70B, "--context", "1M", "--gpu", "L4")
    assert result.exit_code == 0
    assert "does not fit on 8× L4" in result.stdout and "--kv-dtype fp8" in result.stdout


def test_catalog_id_uses_the_catalog_params_without_a_cached_hub_answer(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_CACHE_DIR", str(tmp_path))  # nothing cached; no request is made
    doc = as_json(cli, "llama-3.1-70b", "--fp16")
    assert doc["model"] == "llama-3.1-70b" and "catalog entry llama-3.1-70b" in doc["sources"]["params"]
    assert any("no cached Hub answer" in a for a in doc["assumptions"])


@pytest.mark.parametrize("args, message", [
    (["70 bananas"], "is not a size"),
    (["70B", "--int4", "--fp8"], "choose one precision"),
    (["70B", "--gpu", "H1000"], "did you mean"),
    (["70B", "--context", "lots"], "--context"),
    (["70B", "--quant", "Q9_Z"], "unknown GGUF type"),
])
def test_bad_input_exits_2(cli, args, message):
    result = cli("vram", *args)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output


def test_engines_differ_in_overhead(cli):
    vllm = as_json(cli, "8B", "--engine", "vllm")
    hf = as_json(cli, "8B", "--engine", "transformers")
    assert vllm["weights_bytes"] == hf["weights_bytes"] and vllm["overhead_bytes"] != hf["overhead_bytes"]


def test_engine_auto_is_llama_cpp_on_a_unified_memory_device_only(cli):
    def engine(*args):
        result = cli("vram", "70B", "--int4", "--format", "json", *args)
        assert result.exit_code == 0, result.output
        doc = json.loads(result.stdout)
        return doc["engine"], [a for a in doc["assumptions"] if a.startswith("engine: ")]

    name, notes = engine("--gpu", "m4-max")
    assert name == "llama.cpp" and len(notes) == 1 and "unified-memory" in notes[0]
    assert engine("--gpu", "m4-max", "--engine", "vllm") == ("vllm", [])  # as asked
    assert engine("--gpu", "H100") == ("vllm", [])
    assert engine() == ("vllm", [])  # every GPU: vLLM's overhead, as before


def test_gguf_quant(cli):
    doc = as_json(cli, "8B", "--quant", "Q4_K_M")
    assert 4.5 < doc["bits_per_weight"] < 5.2 and doc["weights"]["kept_16bit_bytes"] == 0


@pytest.mark.parametrize("name, args", [("vram-70b-int4", ["70B", "--int4"]),
                                        ("vram-llama-3.1-70b-128k", [LLAMA_70B, "--context", "128k"])])
def test_golden_vram_outputs(cli, name, args, update_goldens):
    text = cli("vram", *args, "--format", "json").stdout.replace(str(CONFIGS), "CONFIGS")
    golden = GOLDEN / f"{name}.json"
    if update_goldens:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_estimate_json(cli):
    result = cli("estimate", LLAMA_70B, "--gpu", "H100", "--precision", "fp8", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    for key in ("ttft_ms", "tpot_ms", "decode_tokens_per_s_per_stream", "usd_per_1k_tokens", "g_co2e_per_1k_tokens"):
        band = doc[key]
        assert 0 <= band["low"] <= band["likely"] <= band["high"]
    assert doc["gpu"] == "H100 SXM" and doc["gpu_count"] == 1 and doc["assumptions"]


def test_vram_says_whether_the_batch_fits_in_json(cli):
    doc = as_json(cli, "70B", "--fp8", "--context", "2500", "--batch", "64", "--gpu", "H100")
    fit = doc["batch_fit"]
    assert (fit["batch"], fit["context"]) == (64, 2500)
    assert fit["gpus"] == [{"gpu": "H100 SXM", "gpu_count": 1, "max_sequences": 1, "fits": False,
                            "gpu_count_for_batch": 2}]
    assert doc["gpus"][0]["batch_fits"] is False  # the existing key agrees, and keeps its place
    one = as_json(cli, "70B", "--fp8", "--context", "2500", "--gpu", "H100")["batch_fit"]["gpus"][0]
    assert one["fits"] and one["max_sequences"] == 1 and one["gpu_count_for_batch"] == 1


def test_vram_batch_fit_agrees_with_each_gpus_concurrency(cli):
    doc = as_json(cli, "8B", "--context", "8k", "--batch", "48")
    assert [b["gpu"] for b in doc["batch_fit"]["gpus"]] == [g["name"] for g in doc["gpus"]]
    for gpu, fit in zip(doc["gpus"], doc["batch_fit"]["gpus"], strict=True):
        assert fit["fits"] == gpu["batch_fits"] and fit["gpu_count"] == gpu["count"]
        if gpu["fits"]:  # vLLM: the whole sequences in the KV budget (max_concurrency is rounded to 0.01)
            assert fit["max_sequences"] <= gpu["max_concurrency"] + 0.005 < fit["max_sequences"] + 1.005
        if fit["fits"]:
            assert fit["gpu_count_for_batch"] == gpu["count"]


def test_vram_table_says_whether_the_batch_fits(cli):
    result = cli("vram", "70B", "--fp8", "--context", "2500", "--batch", "64", "--gpu", "H100")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "Max batch" in text and "Batch 64" in text and "needs 2×" in text
    assert ("batch 64 × 2,500 tokens does not fit the KV cache of 1× H100 SXM: it holds 1 sequence(s); "
            "2× H100 SXM hold the batch") in text
    fits = " ".join(cli("vram", "70B", "--fp8", "--context", "2500", "--batch", "1", "--gpu", "H100").stdout.split())
    assert "Batch 1" in fits and "does not fit the KV cache" not in fits


def test_vram_does_not_import_pandas_or_huggingface_hub():
    code = ("import sys; sys.argv = ['scorecard', 'vram', '70B', '--int4']\n"
            "from model_scorecard.cli import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert e.code in (0, None), e.code\n"
            "bad = [m for m in ('pandas', 'huggingface_hub') if m in sys.modules]\n"
            "assert not bad, bad")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("command", ["vram", "estimate"])
def test_vram_and_estimate_choose_the_precision_the_same_way(cli, command):
    # one idiom for both commands: a shorthand flag and --precision NAME give the same answer
    def run(*flags):
        done = cli(command, "70B", "--gpu", "H100", *flags, "--format", "json")
        assert done.exit_code == 0, done.output
        return json.loads(done.stdout)

    assert run("--int4") == run("--precision", "int4")
    assert run("--fp8") == run("-p", "fp8") != run("--int4")
    both = cli(command, "70B", "--int4", "--precision", "fp8")
    assert both.exit_code == 2 and "choose one precision" in both.output
    clash = cli(command, "70B", "--int4", "--bits", "4.5")
    assert clash.exit_code == 2 and "give one precision" in clash.output


def test_precisions_table_names_the_best_precision_that_fits_and_vram_agrees(cli):
    table = as_json(cli, "70B", "--gpu", "L40S", "--context", "8k", "--precisions")
    rows = {r["precision"]: r for r in table["precisions"]}
    assert {"fp32", "bf16", "fp8", "int4", "Q4_K_M"} <= set(rows)
    best = table["best_on_one_gpu"]
    assert rows[best]["gpus_needed"] == 1
    # every precision with more bits per weight needs more than one L40S
    assert all(r["gpus_needed"] != 1 for r in rows.values() if r["bits_per_weight"] > rows[best]["bits_per_weight"])
    # the ordinary vram page, asked for that precision, agrees that the batch fits on one GPU
    flag = ["--quant", best] if best[0] == "Q" else [f"--{best}"]
    page = as_json(cli, "70B", "--gpu", "L40S", "--context", "8k", *flag)
    (fit,) = page["batch_fit"]["gpus"]
    assert fit["gpu_count_for_batch"] == 1
    assert page["weights_bytes"] == pytest.approx(rows[best]["weights_bytes"], abs=1)


def test_max_context_is_the_longest_that_the_vram_page_says_fits(cli):
    doc = as_json(cli, "70B", "--int4", "--gpu", "H100", "--max-context")
    one = next(m["tokens"] for m in doc["max_context"] if m["gpus"] == 1)
    assert one > 16 and one % 16 == 0
    fits = as_json(cli, "70B", "--int4", "--gpu", "H100", "--context", str(one))
    beyond = as_json(cli, "70B", "--int4", "--gpu", "H100", "--context", str(one + 64))
    assert fits["gpus"][0]["count"] == 1 and fits["batch_fit"]["gpus"][0]["gpu_count_for_batch"] == 1
    assert beyond["gpus"][0]["count"] != 1


@pytest.mark.parametrize("args", [["70B", "--precisions"], ["70B", "--max-context"],
                                  ["70B", "--gpu", "H100", "--precisions", "--max-context"],
                                  ["70B", "--gpu", "H100", "--precisions", "--int4"]])
def test_inverse_questions_refuse_what_they_cannot_answer(cli, args):
    done = cli("vram", *args)
    assert done.exit_code == 2 and "Traceback" not in done.output


def test_an_unknown_decoder_is_an_approximation_and_its_sources_say_so(cli, tmp_path):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"model_type": "brand-new-decoder", "hidden_size": 1024, "num_hidden_layers": 8,
                                  "num_attention_heads": 8, "intermediate_size": 2816, "vocab_size": 32000}))
    doc = as_json(cli, str(config))
    assert doc["sources"]["params"].startswith("approximate count from")


def test_a10g_is_sized_with_the_memory_a_g5_reports(cli):
    doc = as_json(cli, "8B", "--gpu", "A10G")
    (gpu,) = doc["gpus"]
    assert gpu["name"] == "A10G" and gpu["memory_bytes"] == 23_028 * 2**20 and gpu["count"] == 1 and gpu["fits"]


def test_an_apple_soc_is_one_device_never_a_tensor_parallel_group(cli):
    small = as_json(cli, "8B", "--gpu", "m4-max")
    assert small["gpus"][0]["count"] == 1 and small["gpus"][0]["memory_bytes"] == 96 * 2**30
    big = cli("vram", "70B", "--gpu", "M4 Max")  # 140 GB of bf16 weights: two Macs are not one replica
    assert big.exit_code == 0
    doc = as_json(cli, "70B", "--gpu", "M4 Max")
    assert doc["gpus"][0]["count"] is None and not doc["gpus"][0]["fits"]
    assert doc["batch_fit"]["gpus"][0]["gpu_count_for_batch"] is None
    text = " ".join(big.stdout.split())
    assert "> 1" in text and "> 8" not in text and "does not fit on one Apple M4 Max 128GB" in text
    table = cli("vram", "70B", "--gpu", "M4 Max", "--precisions").stdout
    bf16 = next(line for line in table.splitlines() if line.split() and line.split()[0] == "bf16")
    assert "> 1" in bf16 and "does not fit" in bf16 and "> 8" not in table
    longest = as_json(cli, "8B", "--gpu", "m3-ultra", "--max-context")
    assert [row["gpus"] for row in longest["max_context"]] == [1]


@pytest.mark.parametrize("fixture, key, value", [
    ("EleutherAI--pythia-1b", "num_attention_heads", 7),  # GPT-NeoX: hidden_size is not a multiple of heads
    ("tiiuae--falcon-7b", "num_attention_heads", 7),  # Falcon
    ("meta-llama--Meta-Llama-3-8B", "num_key_value_heads", 5),  # does not divide the query heads
])
def test_a_bad_config_is_located_at_the_field(cli, tmp_path, fixture, key, value):
    config = json.loads((CONFIGS / f"{fixture}.json").read_text())
    config[key] = value
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if f'"{key}"' in text)
    result = cli("vram", str(path))
    assert result.exit_code == 2
    assert f"config.json:{line}:" in result.output, result.output
