"""hubfacts: Hub answers become catalog facts without touching what the catalog states."""

from __future__ import annotations

from model_scorecard.catalog import Catalog
from model_scorecard.hubfacts import apply_hub_facts, merge_facts
from model_scorecard.loading import load_catalog

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
    from model_scorecard.hubfacts import enrich_catalog_file

    result = enrich_catalog_file(catalog_path, jobs=4)
    out = tmp_path / "enriched.yaml"
    out.write_text(result.text)
    enriched = load_catalog(out)
    assert len(enriched.models) == len(catalog.models) and result.models == len({m.hf_id for m in catalog.models if m.hf_id})
    for before, after in zip(catalog.models, enriched.models):
        _subset(before.model_dump(exclude_unset=True), after.model_dump(), before.id)
        if before.hf_id:
            assert after.ecosystem.hf_downloads.source == "huggingface"
