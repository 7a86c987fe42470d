"""`scorecard vram ORG/NAME` and `scorecard estimate ORG/NAME`: what the Hub's answer warns about reaches the output."""

from __future__ import annotations

import json

from .conftest import LLAMA_PARAMS, QWEN_PARAMS


def _json(cli, *args):
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _plain(result) -> str:
    return " ".join(result.stdout.split())


def test_a_gated_config_is_sized_from_the_hub_count_with_warnings(cli, fakehub):
    doc = _json(cli, "vram", "meta-llama/Llama-3.1-8B", "--gpu", "H100")
    assert doc["params"] == LLAMA_PARAMS and "Hub safetensors metadata" in doc["sources"]["params"]
    assert "reference architecture" in doc["sources"]["architecture"]
    warnings = [a for a in doc["assumptions"] if a.startswith("warning: ")]
    assert any("is gated (the authors approve each access request)" in w for w in warnings)
    assert any("config.json is gated" in w for w in warnings)
    assert any("reference architecture's, not the model's" in w for w in warnings)
    table = _plain(cli("vram", "meta-llama/Llama-3.1-8B", "--gpu", "H100"))
    assert "warning: meta-llama/Llama-3.1-8B is gated" in table and "warning: config.json is gated" in table


def test_with_access_the_config_is_used_and_gating_still_said(cli, fakehub, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_granted_SECRET")
    doc = _json(cli, "vram", "meta-llama/Llama-3.1-8B", "--gpu", "H100")
    assert "exact count" in doc["sources"]["params"] and "config.json of meta-llama" in doc["sources"]["architecture"]
    warnings = [a for a in doc["assumptions"] if a.startswith("warning: ")]
    assert len(warnings) == 1 and "is gated" in warnings[0] and "SECRET" not in json.dumps(doc)


def test_an_open_model_has_no_warning(cli, fakehub):
    doc = _json(cli, "vram", "Qwen/Qwen2.5-0.5B", "--gpu", "H100")
    assert doc["params"] == QWEN_PARAMS and not any(a.startswith("warning: ") for a in doc["assumptions"])
    assert "warning" not in cli("vram", "Qwen/Qwen2.5-0.5B", "--gpu", "H100").stdout


def test_packed_int4_counts_and_an_unknown_architecture_are_warned_about(cli, fakehub):
    doc = _json(cli, "vram", "acme/tiny-gptq", "--gpu", "H100")
    assert doc["params"] == 1320 and doc["precision"] == "gptq int4"  # unpacked count, precision from the Hub
    text = " ".join(doc["assumptions"])
    assert "warning: packed int4 weights: the Hub's safetensors count (256 stored elements) holds 8 values" in text
    assert "unsupported model_type 'mystery_lm'" in text


def test_estimate_carries_the_warnings(cli, fakehub):
    doc = _json(cli, "estimate", "meta-llama/Llama-3.1-8B", "--gpu", "H100")
    assert doc["assumptions"][0].startswith("warning: meta-llama/Llama-3.1-8B is gated")
    table = _plain(cli("estimate", "meta-llama/Llama-3.1-8B", "--gpu", "H100"))
    assert "warning: meta-llama/Llama-3.1-8B is gated" in table


def test_a_catalog_entry_keeps_its_own_count_when_the_hub_config_is_refused(cli, fakehub, write):
    path = write("c.yaml", """
        schema_version: 1
        models:
          - {id: llama, name: L, vendor: M, kind: llm, access: open-weights, hf_id: meta-llama/Llama-3.1-8B,
             params: {value: 8B, source: "https://example.org/card"}}
    """)
    assert cli("hub", "info", "meta-llama/Llama-3.1-8B").exit_code == 0  # cache it: catalog ids read only the cache
    doc = _json(cli, "vram", "llama", "--catalog", path, "--gpu", "H100")
    assert doc["params"] == 8 * 10**9 and "catalog entry llama" in doc["sources"]["params"]
    assert any(a.startswith("warning: meta-llama/Llama-3.1-8B is gated") for a in doc["assumptions"])
    assert any("sized from the catalog's params" in a for a in doc["assumptions"])
