"""hub.fetch_model against a local stand-in for the Hub: the real huggingface_hub client, no internet."""

from __future__ import annotations

import json
import time

import pytest

from model_scorecard.errors import HubUnavailable, UserError
from model_scorecard.hub import client as hub
from model_scorecard.hub.client import fetch_many, fetch_model
from model_scorecard.hub.ids import is_hub_id

from .conftest import LLAMA_PARAMS, QWEN_PARAMS


def test_found_gives_facts_with_sources(fakehub):
    m = fetch_model("Qwen/Qwen2.5-0.5B")
    assert not m.from_cache and m.sha and len(m.sha) == 40
    assert m.params == QWEN_PARAMS and m.sources["params"].startswith("config.json: exact count for Qwen2ForCausalLM")
    assert m.context_window == 32768 and m.license == "apache-2.0"
    assert (m.downloads, m.likes, m.gated) == (2_500_000, 1200, False)
    assert m.safetensors_params_by_dtype == {"BF16": QWEN_PARAMS} and m.safetensors_total == QWEN_PARAMS
    assert m.weight_bytes is None and m.weight_bytes_from_counts == 2 * QWEN_PARAMS
    assert m.last_modified.startswith("2024-09-25") and m.library_name == "transformers"
    assert m.config["model_type"] == "qwen2" and m.config_error is None
    # one model_info call asking for everything at once, then config.json at the commit (one GET)
    paths = fakehub.paths()
    assert paths[0].startswith("/api/models/Qwen/Qwen2.5-0.5B?") and paths[0].count("expand=") == len(hub.EXPAND)
    assert all(p.endswith(f"/resolve/{m.sha}/config.json") for p in paths[1:]) and len(paths) == 2
    json.dumps(m.to_dict())  # JSON-ready


def test_second_call_reads_the_cache_and_makes_no_request(fakehub, hub_env):
    first = fetch_model("Qwen/Qwen2.5-0.5B")
    n = fakehub.count
    second = fetch_model("Qwen/Qwen2.5-0.5B")
    assert fakehub.count == n and second.from_cache
    assert second.to_dict() == first.to_dict()
    records = list((hub_env / "hub" / "v1" / "Qwen" / "Qwen2.5-0.5B").glob("*.json"))
    assert [r.name for r in records] == [f"{first.sha}.json"]
    assert (hub_env / "hub" / "v1" / "Qwen" / "Qwen2.5-0.5B" / "refs" / "_default.json").is_file()


def test_refresh_asks_again_but_reuses_the_commits_config(fakehub):
    fetch_model("Qwen/Qwen2.5-0.5B")
    n = fakehub.count
    again = fetch_model("Qwen/Qwen2.5-0.5B", refresh=True)
    assert fakehub.count == n + 1 and not again.from_cache  # model_info only: same sha, same config.json
    assert again.params == QWEN_PARAMS


def test_not_found_is_a_user_error(fakehub):
    with pytest.raises(UserError) as exc:
        fetch_model("nobody/nothing")
    assert "no model 'nobody/nothing'" in exc.value.message and exc.value.exit_code == 2


def test_gated_model_info_works_but_config_is_refused(fakehub):
    m = fetch_model("meta-llama/Llama-3.1-8B")
    assert m.gated == "manual" and m.is_gated and m.license == "llama3.1"
    assert m.config is None and "gated" in m.config_error and "HF_TOKEN" in m.config_error
    assert m.params == LLAMA_PARAMS and "config.json not read" in m.sources["params"]


def test_gated_with_a_granted_token_reads_config(fakehub, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_granted_SECRET")
    m = fetch_model("meta-llama/Llama-3.1-8B")
    assert m.config_error is None and m.params == LLAMA_PARAMS and m.context_window == 8192
    auth = [h.get("authorization") for _, p, h in fakehub.requests if "config.json" in p]
    assert auth and all(a == "Bearer hf_granted_SECRET" for a in auth)


def test_gated_error_from_model_info_says_how_to_get_access(fakehub):
    fakehub.fail("/api/models/meta-llama", (403, {"X-Error-Code": "GatedRepo"}))
    with pytest.raises(UserError) as exc:
        fetch_model("meta-llama/Llama-3.1-8B")
    assert "gated" in exc.value.message and "request access on" in exc.value.hint and "HF_TOKEN" in exc.value.hint


def test_revision_not_found(fakehub):
    with pytest.raises(UserError) as exc:
        fetch_model("Qwen/Qwen2.5-0.5B", revision="v9")
    assert "no revision 'v9'" in exc.value.message


def test_revision_is_cached_separately(fakehub):
    fakehub.repos["qwen/qwen2.5-0.5b"].revisions["v1.0"] = fakehub.repos["qwen/qwen2.5-0.5b"].sha
    m = fetch_model("Qwen/Qwen2.5-0.5B", revision="v1.0")
    n = fakehub.count
    assert fetch_model("Qwen/Qwen2.5-0.5B", revision="v1.0").from_cache and fakehub.count == n
    assert fetch_model("Qwen/Qwen2.5-0.5B", revision=m.sha).from_cache and fakehub.count == n


@pytest.mark.parametrize("status", [429, 500, 503])
def test_retried_after_a_transient_error(fakehub, status):
    fakehub.fail("/api/models/Qwen", (status, {"Retry-After": "0"}), (status, {}))
    m = fetch_model("Qwen/Qwen2.5-0.5B")
    assert m.params == QWEN_PARAMS
    assert sum(p.startswith("/api/models/") for p in fakehub.paths()) == 3


def test_retry_after_is_honoured(fakehub):
    fakehub.fail("/api/models/Qwen", (429, {"Retry-After": "1"}))
    start = time.monotonic()
    fetch_model("Qwen/Qwen2.5-0.5B")
    assert time.monotonic() - start >= 1.0


def test_rate_limited_after_every_retry_is_hub_unavailable(fakehub):
    fakehub.fail("/api/models/Qwen", *[(429, {"Retry-After": "0"})] * hub.MAX_ATTEMPTS)
    with pytest.raises(HubUnavailable) as exc:
        fetch_model("Qwen/Qwen2.5-0.5B")
    assert "rate-limiting" in str(exc.value) and exc.value.exit_code == 4
    assert fakehub.count == hub.MAX_ATTEMPTS


def test_retry_after_longer_than_we_wait_gives_up_at_once(fakehub):
    fakehub.fail("/api/models/Qwen", (429, {"Retry-After": "3600"}))
    with pytest.raises(HubUnavailable):
        fetch_model("Qwen/Qwen2.5-0.5B")
    assert fakehub.count == 1


def test_slow_answer_past_the_timeout(fakehub):
    fakehub.delays["/api/models/Qwen"] = 1.5
    start = time.monotonic()
    with pytest.raises(HubUnavailable) as exc:
        fetch_model("Qwen/Qwen2.5-0.5B", timeout_s=0.2)
    assert "did not answer within 0.2 s" in str(exc.value) and time.monotonic() - start < 1.4


def test_unreachable_hub(hub_env):
    with pytest.raises(HubUnavailable) as exc:
        fetch_model("Qwen/Qwen2.5-0.5B", timeout_s=1)
    assert "cannot reach the Hub" in str(exc.value)


def test_offline_without_cache_makes_no_request(fakehub):
    with pytest.raises(HubUnavailable) as exc:
        fetch_model("Qwen/Qwen2.5-0.5B", offline=True)
    assert "offline" in str(exc.value) and fakehub.count == 0


def test_offline_with_cache(fakehub, monkeypatch):
    fetch_model("Qwen/Qwen2.5-0.5B")
    n = fakehub.count
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    m = fetch_model("Qwen/Qwen2.5-0.5B", refresh=True)  # offline wins over refresh
    assert m.from_cache and m.params == QWEN_PARAMS and fakehub.count == n


def test_failed_refresh_falls_back_to_the_cache(fakehub, monkeypatch):
    fetch_model("Qwen/Qwen2.5-0.5B")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    m = fetch_model("Qwen/Qwen2.5-0.5B", refresh=True, timeout_s=1)
    assert m.from_cache and m.warnings and "could not refresh" in m.warnings[0]


def test_sharded_safetensors_exact_bytes(fakehub):
    m = fetch_model("acme/tiny-sharded", exact=True)
    # 32×8 + 16×8 + 8×16 BF16 elements (2 bytes) and 8 F32 (4 bytes), over two shards
    assert m.weight_bytes == (256 + 128 + 128) * 2 + 8 * 4 and m.exact_error is None
    assert "2 file(s), 4 tensors" in m.sources["weight_bytes"]
    assert any("model-00002-of-00002.safetensors" in p for p in fakehub.paths())
    assert any(h.get("range", "").startswith("bytes=0-") for _, _, h in fakehub.requests)
    assert m.architecture_error and "mystery_lm" in m.architecture_error
    n = fakehub.count
    assert fetch_model("acme/tiny-sharded", exact=True).weight_bytes == m.weight_bytes and fakehub.count == n


def test_exact_is_fetched_when_the_cache_lacks_it(fakehub):
    fetch_model("acme/tiny-sharded")
    m = fetch_model("acme/tiny-sharded", exact=True)
    assert not m.from_cache and m.weight_bytes == 1056


def test_packed_int4_counts_are_corrected(fakehub):
    m = fetch_model("acme/tiny-gptq")
    q = m.quantization
    assert (q["method"], q["precision"], q["bits"], q["group_size"], q["packed_dtype"]) == ("gptq", "int4", 4, 128, "I32")
    assert q["bits_per_weight"] == pytest.approx(4 + 20 / 128, abs=1e-3)
    # dtype counts only: every I32 element × 8 (qzeros and g_idx included), F16 as stored
    assert m.corrected_params == (128 + 8 + 16) * 8 + 64 + 40 and m.params == m.corrected_params
    exact = fetch_model("acme/tiny-gptq", exact=True)
    # headers: only qweight is unpacked; scales, zero points and group indices are not weights
    assert exact.corrected_params == 128 * 8 + 40 and exact.params == 1064
    assert "left out" in exact.sources["corrected_params"]


def test_gated_exact_is_a_problem_not_a_failure(fakehub):
    m = fetch_model("meta-llama/Llama-3.1-8B", exact=True)
    assert m.weight_bytes is None and "gated" in m.exact_error


def test_fetch_many_runs_concurrently_and_reports_each(fakehub):
    fakehub.latency_s = 0.2
    seen = []
    start = time.monotonic()
    out = fetch_many(["Qwen/Qwen2.5-0.5B", "acme/tiny-gptq", "nobody/nothing", "acme/tiny-sharded"],
                     on_result=lambda i, r: seen.append(i))
    elapsed = time.monotonic() - start
    assert list(out) == ["Qwen/Qwen2.5-0.5B", "acme/tiny-gptq", "nobody/nothing", "acme/tiny-sharded"]
    assert isinstance(out["nobody/nothing"], UserError) and out["acme/tiny-gptq"].params == 1320
    assert sorted(seen) == sorted(out) and elapsed < 3 * 0.2 * 3  # serial would be ~10 requests × 0.2 s


def test_cache_folder_follows_conventions(monkeypatch, tmp_path):
    monkeypatch.delenv("SCORECARD_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert hub.cache_dir() == tmp_path / "xdg" / "model-scorecard"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert hub.cache_dir() == tmp_path / "home" / ".cache" / "model-scorecard"
    monkeypatch.setenv("SCORECARD_CACHE_DIR", str(tmp_path / "mine"))
    assert hub.cache_dir() == tmp_path / "mine"


def test_unwritable_cache_is_a_warning(fakehub, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("SCORECARD_CACHE_DIR", str(blocker))
    m = fetch_model("Qwen/Qwen2.5-0.5B")
    assert m.params == QWEN_PARAMS and m.warnings and "could not write the Hub cache" in m.warnings[0]


def test_corrupt_cache_is_ignored(fakehub, hub_env):
    m = fetch_model("Qwen/Qwen2.5-0.5B")
    (hub_env / "hub" / "v1" / "Qwen" / "Qwen2.5-0.5B" / f"{m.sha}.json").write_text("{not json")
    again = fetch_model("Qwen/Qwen2.5-0.5B")
    assert not again.from_cache and again.params == QWEN_PARAMS


@pytest.mark.parametrize("text, expected", [
    ("meta-llama/Llama-3.1-8B", True), ("Qwen/Qwen2.5-0.5B", True), ("a/b", True),
    ("70B", False), ("configs/llama.json", False), ("org/name/extra", False), ("org/-bad", False),
    ("org/na--me", False), ("/abs/path", False), ("", False),
])
def test_is_hub_id(text, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert is_hub_id(text) is expected


def test_an_existing_folder_is_not_a_hub_id(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org" / "name").mkdir(parents=True)
    assert not is_hub_id("org/name")


def test_bad_ids_are_rejected_before_any_request(fakehub):
    with pytest.raises(UserError, match="not a Hugging Face model id"):
        fetch_model("not an id")
    assert fakehub.count == 0


def test_an_error_drops_the_calls_not_yet_started():
    calls = []

    def fn(i):
        calls.append(i)
        time.sleep(0.02)
        if i == 0:
            raise KeyboardInterrupt
        return i

    with pytest.raises(KeyboardInterrupt):
        hub.map_bounded(fn, list(range(100)), 2)
    time.sleep(0.1)
    assert len(calls) < 10
