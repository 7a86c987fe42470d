"""`scorecard vram CONFIG` on the Cohere 2, Granite 4.0 H, Falcon-H1 and ERNIE 4.5 MoE configs:
an exact count (never the generic approximation), the attention layers' KV bytes per token and
the Mamba-2 layers' constant state; a config transformers would refuse is a located input error."""

from __future__ import annotations

import json

import pytest

from tests.conftest import REPO

CONFIGS = REPO / "tests" / "calc" / "configs"

# fixture -> (params, bf16 KV bytes per token over all layers, bf16 conv + SSM state per sequence)
EXPECTED = {
    "ibm-granite--granite-4.0-h-tiny-trimmed": (6_939_037_248, 2 * 4 * 2 * 4 * 128,
                                                2 * 36 * (3328 * 3 + 48 * 64 * 128)),
    "tiiuae--Falcon-H1-7B-trimmed": (7_585_513_568, 2 * 44 * 2 * 2 * 128, 2 * 44 * (3584 * 3 + 24 * 128 * 256)),
    "baidu--ERNIE-4.5-21B-A3B-trimmed": (21_825_437_888, 2 * 28 * 2 * 4 * 128, 0),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_vram_counts_the_new_families_exactly(cli, name: str) -> None:
    result = cli("vram", CONFIGS / f"{name}.json", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    params, kv, state = EXPECTED[name]
    assert doc["params"] == params and doc["sources"]["params"].startswith("exact count")
    assert doc["kv_bytes_per_token"] == kv and doc.get("kv_state_bytes", 0) == state


def test_vram_cohere2_window_caps_the_sliding_layers(cli, tmp_path) -> None:
    config = {"model_type": "cohere2", "hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32,
              "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 256000, "sliding_window": 4096}
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    short = json.loads(cli("vram", path, "--context", "4096", "--format", "json").stdout)
    long = json.loads(cli("vram", path, "--context", "131072", "--format", "json").stdout)
    assert short["params"] == 8_028_033_024 and short["sources"]["params"].startswith("exact count")
    per_layer_token = 2 * 8 * 128 * 2  # K and V, 8 heads of 128, bf16
    assert short["kv_cache_bytes"] == 32 * per_layer_token * 4096
    # 8 global layers hold all 131,072 tokens, 24 sliding ones their 4,096-token window and the
    # 16-token block being filled (vLLM's hybrid allocator)
    assert long["kv_cache_bytes"] == per_layer_token * (8 * 131_072 + 24 * (4096 + 16))


def test_vram_refuses_a_granite_config_with_the_field_located(cli, tmp_path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"model_type": "granitemoehybrid", "hidden_size": 768, "mamba_n_heads": 47}', encoding="utf-8")
    result = cli("vram", path)
    assert result.exit_code == 2
    assert "mamba_n_heads" in result.output and "Traceback" not in result.output
