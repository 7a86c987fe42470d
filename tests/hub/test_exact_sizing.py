"""`scorecard vram/estimate ORG/NAME --exact`: weights from the safetensors headers, each figure with its source."""

from __future__ import annotations

import json

import pytest

from .conftest import GPTQ_TENSORS, QWEN_PARAMS, SHARD_1, SHARD_2, config
from .fakehub import ITEMSIZE, make_repo, safetensors_bytes


def _bytes(tensors: dict) -> int:
    total = 0
    for dtype, shape in tensors.values():
        n = ITEMSIZE[dtype]
        for d in shape:
            n *= d
        total += n
    return total


SHARDED_BYTES = _bytes({**SHARD_1, **SHARD_2})  # 1,056: what the headers of both shards add up to
GPTQ_BYTES = _bytes(GPTQ_TENSORS)


def _json(cli, *args, code: int = 0) -> dict:
    result = cli(*args, "--format", "json")
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def _plain(result) -> str:
    return " ".join(result.stdout.split())


def _warnings(doc: dict) -> list[str]:
    return [a for a in doc["assumptions"] if a.startswith("warning: ")]


def test_vram_exact_gives_the_header_bytes_with_their_source(cli, fakehub):
    sha = fakehub.repos["acme/tiny-sharded"].sha[:12]
    counted = _json(cli, "vram", "acme/tiny-sharded", "--gpu", "H100")
    doc = _json(cli, "vram", "acme/tiny-sharded", "--gpu", "H100", "--exact")
    assert counted["weights_bytes"] == 520 * 2 != SHARDED_BYTES  # params × 16 bits, without --exact
    assert doc["weights_bytes"] == SHARDED_BYTES
    assert doc["weights"] == {"values_bytes": SHARDED_BYTES, "quantisation_metadata_bytes": 0, "kept_16bit_bytes": 0,
                              "kept_16bit_params": 0}
    assert doc["total_bytes"] == SHARDED_BYTES + doc["kv_cache_bytes"] + doc["overhead_bytes"]
    assert doc["sources"]["weights"].startswith(
        f"safetensors headers of acme/tiny-sharded@{sha}: {SHARDED_BYTES:,} bytes as stored")
    assert any("served as stored" in a for a in doc["assumptions"])
    # backwards compatible: the same keys; only sources gains one
    assert set(doc) == set(counted) and set(doc["sources"]) == {*counted["sources"], "weights"}
    assert "weights" not in counted["sources"]
    table = _plain(cli("vram", "acme/tiny-sharded", "--gpu", "H100", "--exact"))
    assert f"safetensors headers of acme/tiny-sharded@{sha}: {SHARDED_BYTES:,} bytes as stored" in table


def test_vram_exact_on_a_model_with_a_config_and_on_a_quantized_one(cli, fakehub, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_granted_SECRET")
    llama = _json(cli, "vram", "meta-llama/Llama-3.1-8B", "--gpu", "H100", "--exact")
    assert llama["weights_bytes"] == 32 and "config.json of meta-llama" in llama["sources"]["architecture"]
    gptq = _json(cli, "vram", "acme/tiny-gptq", "--gpu", "H100", "--exact")
    assert gptq["precision"] == "gptq int4" and gptq["weights_bytes"] == GPTQ_BYTES  # the stored int4 is served


def test_exact_with_another_precision_keeps_the_computed_bytes_and_names_the_stored_size(cli, fakehub):
    plain = _json(cli, "vram", "acme/tiny-sharded", "--gpu", "H100", "--int4")
    doc = _json(cli, "vram", "acme/tiny-sharded", "--gpu", "H100", "--int4", "--exact")
    assert doc["weights_bytes"] == plain["weights_bytes"] != SHARDED_BYTES and "weights" not in doc["sources"]
    note = next(a for a in doc["assumptions"] if "exact stored size" in a)
    assert "int4, as asked" in note and "from the safetensors headers of acme/tiny-sharded@" in note
    assert f": {SHARDED_BYTES:,} bytes as stored" in note
    est = _json(cli, "estimate", "acme/tiny-sharded", "--precision", "int4", "--exact")
    assert est["precision"] == "int4" and "weights" not in est["sources"]
    assert any("exact stored size at the checkpoint's own dtype" in a and f"{SHARDED_BYTES:,} bytes as stored" in a
               for a in est["assumptions"])


def test_estimate_exact_sizes_with_the_header_bytes(cli, fakehub):
    counted = _json(cli, "estimate", "acme/tiny-sharded")
    doc = _json(cli, "estimate", "acme/tiny-sharded", "--exact")
    assert set(doc) == set(counted)
    assert doc["sources"]["weights"].startswith("safetensors headers of acme/tiny-sharded@")
    assert any(f"{SHARDED_BYTES:,} bytes as stored" in a for a in doc["assumptions"])


def test_exact_error_is_a_warning_and_the_counts_are_used(cli, fakehub):
    # the fake Qwen repository has a config.json but no .safetensors file
    doc = _json(cli, "vram", "Qwen/Qwen2.5-0.5B", "--gpu", "H100", "--exact")
    assert doc["params"] == QWEN_PARAMS and "weights" not in doc["sources"]
    assert doc["weights_bytes"] == _json(cli, "vram", "Qwen/Qwen2.5-0.5B", "--gpu", "H100")["weights_bytes"]
    assert any("--exact: no exact weight bytes for Qwen/Qwen2.5-0.5B@" in w and "no safetensors weights" in w
               for w in _warnings(doc))
    table = _plain(cli("vram", "Qwen/Qwen2.5-0.5B", "--gpu", "H100", "--exact"))
    assert "warning: --exact: no exact weight bytes" in table
    # a gated repository's weights need access: said, and sized without them
    gated = _json(cli, "vram", "meta-llama/Llama-3.1-8B", "--gpu", "H100", "--exact")
    assert any("--exact" in w and "model.safetensors is gated" in w for w in _warnings(gated))


def test_exact_offline_without_cached_headers_warns(cli, fakehub):
    assert cli("vram", "acme/tiny-sharded").exit_code == 0  # cached without the headers
    n = fakehub.count
    doc = _json(cli, "vram", "acme/tiny-sharded", "--gpu", "H100", "--exact", "--offline")
    assert fakehub.count == n and doc["weights_bytes"] == 520 * 2
    assert any("exact weight bytes are not cached" in w for w in _warnings(doc))


def test_fp32_checkpoint_is_not_served_as_stored(cli, fakehub):
    tensors = {"model.embed_tokens.weight": ("F32", [16, 8]), "model.layers.0.mlp.up_proj.weight": ("F32", [16, 8])}
    fakehub.add(make_repo("acme/tiny-fp32", config={"model_type": "mystery_lm", "torch_dtype": "float32"},
                          files={"model.safetensors": safetensors_bytes(tensors)}, safetensors={"F32": 256}))
    doc = _json(cli, "vram", "acme/tiny-fp32", "--gpu", "H100", "--exact")
    assert doc["weights_bytes"] == 256 * 2 and "weights" not in doc["sources"]  # served in 16 bit
    assert any("an fp32 checkpoint is served in" in a and "1,024 bytes as stored" in a for a in doc["assumptions"])


@pytest.mark.parametrize("target, text", [
    ("70B", "'70B' is a size"),
    ("CONFIG", "is a local file or folder"),
    ("no-hub", "catalog entry 'no-hub' has no hf_id"),
    ("stabilityai/stable-diffusion-2-1", "--exact applies to language models"),
])
def test_exact_needs_a_hub_model(cli, fakehub, write, target, text):
    cfg = write("config.json", json.dumps(config("Qwen--Qwen2.5-0.5B")))
    cat = write("c.yaml", """
        schema_version: 1
        models:
          - {id: no-hub, name: N, vendor: A, kind: llm, access: open-weights, params: {value: 7B, source: card}}
    """)
    args = [str(cfg) if target == "CONFIG" else target, "--catalog", cat, "--exact"]
    for command in ("vram", "estimate"):
        result = cli(command, *args)
        assert result.exit_code == 2, result.output
        assert text in result.stderr and "--exact" in result.stderr and "Traceback" not in result.output
    assert fakehub.count == 0


def test_exact_on_a_catalog_entry_with_hf_id_asks_the_hub(cli, fakehub, write):
    cat = write("c.yaml", """
        schema_version: 1
        models:
          - {id: tiny, name: T, vendor: A, kind: llm, access: open-weights, hf_id: acme/tiny-sharded,
             params: {value: 520, source: card}}
    """)
    plain = _json(cli, "vram", "tiny", "--catalog", cat, "--gpu", "H100")  # nothing cached: catalog params
    assert fakehub.count == 0 and plain["weights_bytes"] == 520 * 2
    doc = _json(cli, "vram", "tiny", "--catalog", cat, "--gpu", "H100", "--exact")
    assert fakehub.count > 0 and doc["model"] == "tiny" and doc["weights_bytes"] == SHARDED_BYTES
    assert doc["sources"]["weights"].startswith("safetensors headers of acme/tiny-sharded@")


def test_refresh_asks_the_hub_again(cli, fakehub):
    assert cli("vram", "Qwen/Qwen2.5-0.5B").exit_code == 0
    n = fakehub.count
    assert cli("vram", "Qwen/Qwen2.5-0.5B").exit_code == 0 and fakehub.count == n  # cache first
    assert cli("vram", "Qwen/Qwen2.5-0.5B", "--refresh").exit_code == 0
    assert sum("/api/models/Qwen/Qwen2.5-0.5B" in p for p in fakehub.paths()[n:]) == 1
    m = fakehub.count
    assert cli("estimate", "Qwen/Qwen2.5-0.5B", "--refresh").exit_code == 0
    assert sum("/api/models/Qwen/Qwen2.5-0.5B" in p for p in fakehub.paths()[m:]) == 1


def test_exact_headers_are_read_once_per_commit(cli, fakehub):
    assert cli("vram", "acme/tiny-sharded", "--exact").exit_code == 0
    n = fakehub.count
    doc = _json(cli, "vram", "acme/tiny-sharded", "--gpu", "H100", "--exact")
    assert fakehub.count == n and doc["weights_bytes"] == SHARDED_BYTES  # from the cache
    assert "cached answer" in doc["sources"]["hub"]


def test_exact_on_a_catalog_entry_with_the_hub_unreachable_falls_back_to_its_params(cli, hub_env, write):
    cat = write("c.yaml", """
        schema_version: 1
        models:
          - {id: tiny, name: T, vendor: A, kind: llm, access: open-weights, hf_id: acme/tiny-sharded,
             params: {value: 520, source: card}}
    """)
    doc = _json(cli, "vram", "tiny", "--catalog", cat, "--gpu", "H100", "--exact")
    assert doc["weights_bytes"] == 520 * 2 and "weights" not in doc["sources"]
    assert any(w.startswith("warning: --exact: no exact weight bytes for acme/tiny-sharded") for w in _warnings(doc))


def test_estimate_takes_a_revision(cli, fakehub):
    fakehub.repos["qwen/qwen2.5-0.5b"].revisions["v1.0"] = fakehub.repos["qwen/qwen2.5-0.5b"].sha
    doc = _json(cli, "estimate", "Qwen/Qwen2.5-0.5B", "--revision", "v1.0", "--gpu", "L4")
    assert doc["model"] == "Qwen/Qwen2.5-0.5B"
    result = cli("estimate", "Qwen/Qwen2.5-0.5B", "--revision", "nope", "--gpu", "L4")
    assert result.exit_code == 2 and "no revision 'nope'" in result.output
