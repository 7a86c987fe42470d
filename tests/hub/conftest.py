"""A local stand-in for the Hub per test, and an environment that cannot reach the real one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest

from model_scorecard.hub import client as hub

from ..conftest import REPO
from .fakehub import FakeHub, Repo, make_repo, safetensors_bytes

CONFIGS = REPO / "tests" / "calc" / "configs"
QWEN_PARAMS = 494_032_768  # Qwen2ForCausalLM from Qwen2.5-0.5B's config (tests/calc)
LLAMA_PARAMS = 8_030_261_248


def config(name: str) -> dict:
    return json.loads((CONFIGS / f"{name}.json").read_text())


@pytest.fixture
def hub_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Own cache folders, no token, not offline, short backoff, and a Hub address nobody answers."""
    monkeypatch.setenv("SCORECARD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # discard port: nothing listens
    for name in ("HF_HUB_CACHE", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE",
                 "HF_OIDC_RESOURCE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(hub, "BACKOFF_S", 0.01)
    return tmp_path / "cache"


def qwen() -> Repo:
    return make_repo("Qwen/Qwen2.5-0.5B", config=config("Qwen--Qwen2.5-0.5B"), safetensors={"BF16": QWEN_PARAMS},
                     license="apache-2.0", downloads=2_500_000, likes=1200)


def gated_llama() -> Repo:
    return make_repo("meta-llama/Llama-3.1-8B", config=config("meta-llama--Meta-Llama-3-8B"),
                     files={"model.safetensors": safetensors_bytes({"lm_head.weight": ("BF16", [4, 4])})},
                     safetensors={"BF16": LLAMA_PARAMS}, license="llama3.1", gated="manual", gated_files=True,
                     granted_tokens=frozenset({"hf_granted_SECRET"}), downloads=900_000, likes=1500,
                     extra_card={"license_name": "llama3.1", "license_link": "LICENSE"})


SHARD_1 = {"model.embed_tokens.weight": ("BF16", [32, 8]), "model.layers.0.mlp.up_proj.weight": ("BF16", [16, 8])}
SHARD_2 = {"model.layers.0.mlp.down_proj.weight": ("BF16", [8, 16]), "model.norm.weight": ("F32", [8])}


def sharded() -> Repo:
    index = {"metadata": {"total_size": 1056},
             "weight_map": {**{k: "model-00001-of-00002.safetensors" for k in SHARD_1},
                            **{k: "model-00002-of-00002.safetensors" for k in SHARD_2}}}
    files = {"model.safetensors.index.json": json.dumps(index).encode(),
             "model-00001-of-00002.safetensors": safetensors_bytes(SHARD_1),
             "model-00002-of-00002.safetensors": safetensors_bytes(SHARD_2)}
    return make_repo("acme/tiny-sharded", config={"model_type": "mystery_lm", "max_position_embeddings": 4096},
                     files=files, safetensors={"BF16": 256 + 128 + 128, "F32": 8}, license="cc-by-nc-4.0")


GPTQ_TENSORS = {
    "model.layers.0.mlp.qweight": ("I32", [2, 64]),     # 16 × 64 int4 weights, 8 per I32
    "model.layers.0.mlp.qzeros": ("I32", [1, 8]),
    "model.layers.0.mlp.scales": ("F16", [1, 64]),
    "model.layers.0.mlp.g_idx": ("I32", [16]),
    "model.embed_tokens.weight": ("F16", [10, 4]),
}


def gptq() -> Repo:
    cfg = {"model_type": "mystery_lm", "max_position_embeddings": 2048,
           "quantization_config": {"quant_method": "gptq", "bits": 4, "group_size": 128, "sym": True}}
    return make_repo("acme/tiny-gptq", config=cfg, files={"model.safetensors": safetensors_bytes(GPTQ_TENSORS)},
                     safetensors={"I32": 128 + 8 + 16, "F16": 64 + 40}, license="llama2")


@pytest.fixture
def fakehub(hub_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    fake = FakeHub()
    for repo in (qwen(), gated_llama(), sharded(), gptq()):
        fake.add(repo)
    monkeypatch.setenv("HF_ENDPOINT", fake.start())
    yield fake
    fake.stop()
