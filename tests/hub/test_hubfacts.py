"""hubfacts: Hub answers become catalog facts without touching what the catalog states."""

from __future__ import annotations

from model_scorecard.hub.facts import apply_hub_facts, merge_facts
from model_scorecard.schema.catalog import Catalog
from model_scorecard.schema.load import load_catalog

from ..conftest import REPO
from .conftest import QWEN_PARAMS
from .fakehub import make_repo

HUB = {"source": "huggingface", "as_of": "2026-11-23"}


def test_merge_fills_only_what_is_missing():
    data = {"id": "x", "params": {"value": 7, "source": "card"}, "ecosystem": {"vllm": True}}
    facts = {"params": {"value": 8, **HUB}, "context_window": {"value": 9, **HUB},
             "ecosystem": {"hf_likes": {"value": 3, **HUB}, "vllm": {"value": False, **HUB}}}
    out = merge_facts(data, facts, order=("id", "params", "context_window", "ecosystem"))
    assert out["params"] == {"value": 7, "source": "card"} and out["context_window"]["value"] == 9
    assert out["ecosystem"] == {"vllm": True, "hf_likes": {"value": 3, **HUB}}
    assert list(out) == ["id", "params", "context_window", "ecosystem"]
    assert data == {"id": "x", "params": {"value": 7, "source": "card"}, "ecosystem": {"vllm": True}}  # untouched
    assert merge_facts(data, facts, overwrite=True)["params"]["value"] == 8


def test_merge_replaces_our_own_earlier_facts():
    data = {"params": {"value": 1, **HUB}}
    assert merge_facts(data, {"params": {"value": 2, **HUB}})["params"]["value"] == 2


def test_apply_hub_facts_returns_new_objects(fakehub, write):
    path = write("c.yaml", """
        schema_version: 1
        models:
          - {id: q, name: Q, vendor: A, kind: llm, access: open-weights, hf_id: Qwen/Qwen2.5-0.5B}
          - {id: api, name: API, vendor: A, kind: llm, access: api}
    """)
    catalog = load_catalog(path)
    snapshot = catalog.model_dump()
    new = apply_hub_facts(catalog)
    assert isinstance(new, Catalog) and new is not catalog and catalog.model_dump() == snapshot
    assert new.models[0].params.value == QWEN_PARAMS and new.models[0].params.source == "huggingface"
    assert new.models[1] is catalog.models[1]
    assert apply_hub_facts(catalog, offline=True) == new  # from the cache, the same facts


def _subset(small, big, where="") -> None:
    """Every value of ``small`` is in ``big`` unchanged."""
    if isinstance(small, dict):
        for k, v in small.items():
            _subset(v, big[k], f"{where}.{k}")
    elif where.endswith(".notes"):
        assert big[:len(small)] == small, where  # our one line comes after the catalog's notes
    else:
        assert small == big, where


def test_bundled_catalog_keeps_every_hand_written_fact(fakehub, tmp_path):
    catalog_path = REPO / "catalogs" / "roadmap-2024.yaml"
    catalog = load_catalog(catalog_path)
    for i, m in enumerate(catalog.models):
        if m.hf_id:
            fakehub.add(make_repo(m.hf_id, config={"model_type": "llama", "hidden_size": 64, "intermediate_size": 128,
                                                   "num_attention_heads": 4, "num_hidden_layers": 2,
                                                   "vocab_size": 1000, "max_position_embeddings": 4096},
                                  safetensors={"BF16": 1000 + i}, license=["llama3", "apache-2.0", "other"][i % 3]))
    from model_scorecard.hub.facts import enrich_catalog_file

    result = enrich_catalog_file(catalog_path, jobs=4)
    out = tmp_path / "enriched.yaml"
    out.write_text(result.text)
    enriched = load_catalog(out)
    assert len(enriched.models) == len(catalog.models) and result.models == len({m.hf_id for m in catalog.models if m.hf_id})
    for before, after in zip(catalog.models, enriched.models):
        _subset(before.model_dump(exclude_unset=True), after.model_dump(), before.id)
        if before.hf_id:
            assert after.ecosystem.hf_downloads.source == "huggingface"


# -- hub and architecture groups ---------------------------------------------------------------

def _model(repo, **kw):
    """The HubModel of a fake repository, fetched from the fake Hub."""
    from model_scorecard.hub.client import fetch_model

    return fetch_model(repo.repo_id, **kw)


def test_facts_give_the_repository_and_the_architecture(fakehub):
    from model_scorecard.hub.facts import facts_from_hub

    facts = facts_from_hub(_model(fakehub.repos["qwen/qwen2.5-0.5b"]))
    hub, arch = facts["hub"], facts["architecture"]
    assert hub["revision"]["value"] == fakehub.repos["qwen/qwen2.5-0.5b"].sha
    assert hub["gated"]["value"] == "no" and hub["last_modified"]["value"] == "2024-09-25"
    assert hub["library"]["value"] == "transformers" and hub["pipeline_tag"]["value"] == "text-generation"
    assert {k: v["value"] for k, v in arch.items()} == {
        "model_type": "qwen2", "num_layers": 24, "hidden_size": 896, "num_heads": 14, "num_kv_heads": 2,
        "head_dim": 64, "vocab_size": 151936}  # dense, no sliding window in use: nothing else is said
    for fact in (*hub.values(), *arch.values()):
        assert fact["source"] == "huggingface" and fact["as_of"] and fact["note"].startswith("Qwen/Qwen2.5-0.5B@")


def test_gated_repository_says_so_and_invents_no_architecture(fakehub):
    from model_scorecard.hub.facts import facts_from_hub

    facts = facts_from_hub(_model(fakehub.repos["meta-llama/llama-3.1-8b"]))
    assert facts["hub"]["gated"]["value"] == "manual"
    assert "config.json is gated" in facts["hub"]["revision"]["note"]  # why the architecture is missing
    assert facts["architecture"] == {}


def test_moe_config_gives_experts(fakehub):
    from model_scorecard.hub.facts import facts_from_hub

    from .conftest import config
    fakehub.add(make_repo("mistralai/Mixtral-8x7B-v0.1", config=config("mistralai--Mixtral-8x7B-v0.1")))
    arch = facts_from_hub(_model(fakehub.repos["mistralai/mixtral-8x7b-v0.1"]))["architecture"]
    assert arch["num_experts"]["value"] == 8 and arch["experts_per_token"]["value"] == 2
    assert arch["num_kv_heads"]["value"] == 8 and arch["model_type"]["value"] == "mixtral"


def test_unsupported_model_type_gives_only_the_keys_its_config_states():
    from model_scorecard.hub.facts import architecture_facts

    def fact(value, note):
        return {"value": value, "note": note}

    config = {"model_type": "mystery_lm", "num_hidden_layers": 30, "n_embd": 2048, "use_sliding_window": False,
              "sliding_window": 4096, "num_local_experts": 0, "text_config": {"num_attention_heads": 16}}
    out = architecture_facts(config, fact)
    assert {k: v["value"] for k, v in out.items()} == {
        "model_type": "mystery_lm", "num_layers": 30, "hidden_size": 2048, "num_heads": 16}
    assert "text_config num_attention_heads" in out["num_heads"]["note"]
    # a key the counter filled from the class default says so
    from .conftest import config as cfg
    llama = architecture_facts(cfg("meta-llama--Meta-Llama-3-8B"), fact)
    assert llama["head_dim"]["value"] == 128 and "default" in llama["head_dim"]["note"]


def test_refresh_drops_what_the_hub_and_the_table_no_longer_give():
    from model_scorecard.hub.facts import merge_facts

    ours = {"source": "huggingface", "as_of": "2026-01-01"}
    table = {"source": "model-scorecard licenses.yaml", "as_of": "2026-01-01"}
    entry = {
        "id": "m", "license": {"value": "llama2", **ours}, "release_date": {"value": "2024-01-01", **ours},
        "license_terms": {"commercial_use": {"value": True, **table},
                          "hosting_for_third_parties": {"value": False, **table},
                          "user_cap_mau": {"value": 5, "source": "my lawyer"}},
        "architecture": {"num_experts": {"value": 8, **ours}, "num_layers": {"value": 2, **ours}},
        "ecosystem": {"vllm": {"value": True, **ours}, "hf_likes": {"value": 3, **ours}},
    }
    facts = {"license": {"value": "other", **ours}, "architecture": {"num_layers": {"value": 4, **ours}},
             "ecosystem": {}}
    out = merge_facts(entry, facts, prune=("license", "params"))
    out = merge_facts(out, {"license_terms": {}})
    assert out["license"]["value"] == "other" and out["release_date"] == entry["release_date"]  # not ours to drop
    assert out["license_terms"] == {"user_cap_mau": {"value": 5, "source": "my lawyer"}}  # stale table terms gone
    assert out["architecture"] == {"num_layers": {"value": 4, **ours}}
    assert out["ecosystem"] == {"vllm": {"value": True, **ours}}  # vllm is never ours to drop
    assert "params" not in out


def test_apply_hub_facts_fills_the_new_groups(fakehub, write):
    path = write("c.yaml", """
        schema_version: 1
        models:
          - {id: l, name: L, vendor: M, kind: llm, access: open-weights, hf_id: meta-llama/Llama-3.1-8B,
             hub: {library: {value: my-lib, source: me}}}
    """)
    entry = apply_hub_facts(load_catalog(path)).models[0]
    assert entry.hub.gated.value == "manual" and entry.hub.library.value == "my-lib"  # hand-written wins
    assert entry.hub.revision.source == "huggingface" and entry.hub.last_modified.value.isoformat() == "2024-09-25"
