"""The bundled reference architectures (``src/model_scorecard/data/reference``).

Each reference config.json must parse, count to the total its publisher gives, and agree
with the ``params`` written in ``index.yaml``. Where the published figures come from is in
``src/model_scorecard/data/reference/SOURCES.md``:

* "Hub" figures are the Hub's safetensors parameter total (the API's ``safetensors.total``),
  published to the parameter, so the test is exact;
* DeepSeek publishes only "671B" for the V3 main model (the Hub's 685B adds the 14B MTP
  module), so that one is compared within 0.5B; the exact count with DeepSeek's own
  modelling code (its router bias is a parameter there, 256 per MoE layer) is checked too.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from model_scorecard import bundled
from model_scorecard.calc.architecture import Architecture, architecture_from_config
from model_scorecard.schema.yamlio import load_file

REFERENCE = bundled.data_file("reference")
FIXTURES = Path(__file__).parent / "configs"

# file stem -> (published total parameters, tolerance in parameters, where it is published)
PUBLISHED: dict[str, tuple[int, int, str]] = {
    "meta-llama--Llama-3.2-1B": (1_235_814_400, 0, "Hub safetensors total"),
    "meta-llama--Llama-3.2-3B": (3_212_749_824, 0, "Hub safetensors total"),
    "meta-llama--Meta-Llama-3-8B": (8_030_261_248, 0, "Hub safetensors total"),
    "meta-llama--Llama-2-13b-hf": (13_015_864_320, 0, "Hub safetensors total"),
    "Qwen--Qwen2.5-32B": (32_763_876_352, 0, "Hub safetensors total"),
    "meta-llama--Llama-3.1-70B-Instruct": (70_553_706_496, 0, "Hub safetensors total"),
    "meta-llama--Llama-3.1-405B": (405_853_388_800, 0, "Hub safetensors total"),
    "Qwen--Qwen3-30B-A3B": (30_532_122_624, 0, "Hub safetensors total"),
    "deepseek-ai--DeepSeek-V3": (671_000_000_000, 500_000_000, "model card: 671B main model, rounded"),
}

# Reference files that are byte-for-byte copies of the test fixtures.
COPIED_FROM_FIXTURES = (
    "meta-llama--Meta-Llama-3-8B",
    "meta-llama--Llama-3.1-70B-Instruct",
    "deepseek-ai--DeepSeek-V3",
    "Qwen--Qwen3-30B-A3B",
)


def index() -> list[dict]:
    data = load_file(REFERENCE / "index.yaml").data
    assert isinstance(data, list)
    return data


def load(stem: str) -> dict:
    return json.loads((REFERENCE / f"{stem}.json").read_text(encoding="utf-8"))


def arch(stem: str) -> Architecture:
    return architecture_from_config(load(stem))


def test_index_files_and_sources_agree() -> None:
    on_disk = {p.name for p in REFERENCE.glob("*.json")}
    listed = [entry["file"] for entry in index()]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    assert set(listed) == on_disk
    assert {Path(name).stem for name in on_disk} == set(PUBLISHED)
    sources = (REFERENCE / "SOURCES.md").read_text(encoding="utf-8")
    for name in on_disk:
        assert f"`{name}`" in sources, name


@pytest.mark.parametrize("entry", index(), ids=lambda e: e["file"])
def test_index_entry_is_complete_and_named_after_its_hub_id(entry: dict) -> None:
    assert set(entry) == {"file", "hf_id", "params", "family", "note"}
    org, name = entry["hf_id"].split("/")
    assert entry["file"] == f"{org}--{name}.json"
    assert isinstance(entry["params"], int) and not isinstance(entry["params"], bool)
    assert entry["note"].strip()


@pytest.mark.parametrize("entry", index(), ids=lambda e: e["file"])
def test_index_params_equal_the_computed_count(entry: dict) -> None:
    a = arch(Path(entry["file"]).stem)
    assert entry["params"] == a.total_params
    assert entry["family"] == a.family


@pytest.mark.parametrize("stem", sorted(PUBLISHED))
def test_total_matches_the_published_figure(stem: str) -> None:
    published, tolerance, _where = PUBLISHED[stem]
    assert abs(arch(stem).total_params - published) <= tolerance


def test_deepseek_v3_with_deepseeks_router_bias_parameters() -> None:
    # DeepSeek's remote code registers e_score_correction_bias (n_routed_experts values) as a
    # parameter in every MoE layer; transformers keeps it as a buffer.
    a = arch("deepseek-ai--DeepSeek-V3")
    assert len(a.moe_layer_indices) == 58 and a.num_experts == 256
    assert a.total_params + 58 * 256 == 671_026_419_200


@pytest.mark.parametrize("stem", COPIED_FROM_FIXTURES)
def test_copies_are_identical_to_the_test_fixtures(stem: str) -> None:
    assert (REFERENCE / f"{stem}.json").read_bytes() == (FIXTURES / f"{stem}.json").read_bytes()


def test_reference_configs_are_valid_json_objects_with_a_model_type() -> None:
    for path in REFERENCE.glob("*.json"):
        config = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(config, dict) and config.get("model_type"), path.name


def test_attention_shapes_the_kv_estimates_rely_on() -> None:
    # (layers, query heads, KV heads, head_dim) as the model cards and papers give them
    expected = {
        "meta-llama--Llama-3.2-1B": (16, 32, 8, 64),
        "meta-llama--Llama-3.2-3B": (28, 24, 8, 128),
        "meta-llama--Meta-Llama-3-8B": (32, 32, 8, 128),
        "meta-llama--Llama-2-13b-hf": (40, 40, 40, 128),
        "Qwen--Qwen2.5-32B": (64, 40, 8, 128),
        "meta-llama--Llama-3.1-70B-Instruct": (80, 64, 8, 128),
        "meta-llama--Llama-3.1-405B": (126, 128, 8, 128),
        "Qwen--Qwen3-30B-A3B": (48, 32, 4, 128),
    }
    for stem, (layers, heads, kv, head_dim) in expected.items():
        a = arch(stem)
        assert (a.num_layers, a.num_heads, a.num_kv_heads, a.head_dim) == (layers, heads, kv, head_dim), stem
    v3 = arch("deepseek-ai--DeepSeek-V3")  # MLA: one latent of kv_lora_rank + rope dims per layer
    assert (v3.num_layers, v3.kv_lora_rank, v3.qk_rope_head_dim) == (61, 512, 64)
    assert set(v3.kv_elements_per_token_by_layer) == {576}


def test_llama_405b_file_uses_only_defaults_that_change_nothing() -> None:
    # The 405B file holds architecture keys only (SOURCES.md); the fields it leaves to the
    # transformers defaults are the bias flags (false) and head_dim (hidden / heads).
    a = arch("meta-llama--Llama-3.1-405B")
    assert set(a.defaults_used) == {"head_dim", "attention_bias", "mlp_bias"}
    assert not a.tie_word_embeddings and a.head_dim == 16384 // 128


@pytest.mark.parametrize("active_share", [None, 1.0, 0.5, 0.1])
def test_nearest_reference_reads_the_index_and_picks_as_the_full_parse_would(active_share) -> None:
    # nearest_reference() takes params from index.yaml and parses a config only when it
    # needs its MoE flag; it must pick what comparing every parsed architecture picks.
    from model_scorecard.tables.architectures import nearest_reference, references

    parsed = [(r, arch(Path(r.file).stem)) for r in references()]
    for params in (10**8, 5 * 10**8, 10**9, 2 * 10**9, 7 * 10**9, 8 * 10**9, 13 * 10**9, 20 * 10**9,
                   30 * 10**9, 32 * 10**9, 45 * 10**9, 70 * 10**9, 123 * 10**9, 200 * 10**9, 405 * 10**9,
                   671 * 10**9, 2 * 10**12):
        active = None if active_share is None else int(params * active_share)
        moe = active is not None and active < params * 0.9
        pool = [(r, a) for r, a in parsed if a.is_moe == moe] or parsed
        expected = min(pool, key=lambda ra: abs(math.log(ra[1].total_params / params)))[0]
        assert nearest_reference(params, active) == expected, (params, active)
