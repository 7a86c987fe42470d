"""A hostile or broken Hub (issue 14): it trickles, lies, redirects and hangs; the cache rots.

Every case reproduces a fault the reliability review found (or one of its kind) against the
fake Hub on 127.0.0.1 and asserts behaviour: the exit code, that no traceback is printed,
what is and is not in the output, how long it took. Time limits are set through the
environment (SCORECARD_HUB_TIMEOUT_S, SCORECARD_HUB_RUN_TIMEOUT_S) so that each timing test
takes a second or two; its bound is generous (a hang is what it catches).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from model_scorecard.errors import HubUnavailable, InternalError
from model_scorecard.hub import client as hub
from model_scorecard.hub.client import fetch_many, fetch_model
from model_scorecard.hub.ids import redact_url
from model_scorecard.schema.load import load_catalog

from .conftest import QWEN_PARAMS
from .fakehub import FakeHub, make_repo

QWEN = "Qwen/Qwen2.5-0.5B"
CATALOG = """\
schema_version: 1
models:
  - {id: qwen, name: Q, vendor: A, kind: llm, access: open-weights, hf_id: Qwen/Qwen2.5-0.5B}
  - {id: gptq, name: G, vendor: A, kind: llm, access: open-weights, hf_id: acme/tiny-gptq}
  - {id: sharded, name: S, vendor: A, kind: llm, access: open-weights, hf_id: acme/tiny-sharded}
"""
PASSWORD = "s3cret-pw-CANARY"


@pytest.fixture
def catalog(write):
    return write("catalog.yaml", CATALOG)


def _clean_failure(result, code: int) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert "This is a bug" not in result.output


def _scorecard(args: list[str], **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "model_scorecard", *map(str, args)], env={**os.environ},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


# -- 1. time: a total budget per answer and per run; Ctrl-C ends at once ---------------------------

@pytest.mark.parametrize("argv", [
    ["hub", "info", QWEN],
    ["vram", QWEN, "--context", "4096"],
    ["rank", "{catalog}", "--hub"],
    ["enrich", "{catalog}", "-o", "{out}"],
])
def test_a_hub_that_trickles_is_given_up_at_the_budget(cli, fakehub, catalog, tmp_path, monkeypatch, argv):
    """One byte every 0.2 s never trips a per-read timeout: only the total budget stops it."""
    fakehub.trickle("/api/models/", 0.2)
    monkeypatch.setenv("SCORECARD_HUB_TIMEOUT_S", "0.5")
    out = tmp_path / "new.yaml"
    start = time.monotonic()
    result = cli(*[a.format(catalog=catalog, out=out) for a in argv])
    elapsed = time.monotonic() - start
    _clean_failure(result, 4)
    assert elapsed < 6, elapsed
    assert "SCORECARD_HUB_TIMEOUT_S" in result.stderr and not out.exists()


def test_a_read_cut_short_by_the_budget_names_the_budget(fakehub, monkeypatch):
    fakehub.latency_s = 2.5  # within the per-read timeout (10 s), past the budget
    monkeypatch.setenv("SCORECARD_HUB_TIMEOUT_S", "0.5")
    with pytest.raises(HubUnavailable) as exc:
        fetch_model(QWEN)
    assert "within 0.5 s" in str(exc.value) and "SCORECARD_HUB_TIMEOUT_S" in str(exc.value)


def test_the_budget_covers_the_files_after_model_info(cli, fakehub, monkeypatch):
    fakehub.trickle("config.json", 0.2)
    monkeypatch.setenv("SCORECARD_HUB_TIMEOUT_S", "0.5")
    start = time.monotonic()
    result = cli("hub", "info", QWEN)
    _clean_failure(result, 4)
    assert time.monotonic() - start < 6 and "did not finish answering within 0.5 s" in result.stderr


def test_the_budget_bounds_the_waits_between_retries(fakehub, monkeypatch):
    fakehub.fail("/api/models/", (503, {"Retry-After": "20"}))  # a wait we would take, but not within budget
    monkeypatch.setenv("SCORECARD_HUB_TIMEOUT_S", "0.5")
    start = time.monotonic()
    with pytest.raises(HubUnavailable, match="SCORECARD_HUB_TIMEOUT_S"):
        fetch_model(QWEN)
    assert time.monotonic() - start < 5


def test_a_run_has_its_own_budget(cli, fakehub, catalog, tmp_path, monkeypatch):
    fakehub.latency_s = 2.5  # each request is slow, none too slow on its own
    monkeypatch.setenv("SCORECARD_HUB_RUN_TIMEOUT_S", "0.5")
    out = tmp_path / "new.yaml"
    start = time.monotonic()
    result = cli("enrich", catalog, "-o", out)
    _clean_failure(result, 4)
    assert time.monotonic() - start < 5
    assert "SCORECARD_HUB_RUN_TIMEOUT_S" in result.stderr and not out.exists()


def test_a_run_out_of_time_uses_what_is_cached(fakehub, monkeypatch):
    fetch_model(QWEN)
    fakehub.latency_s = 2.5
    monkeypatch.setenv("SCORECARD_HUB_RUN_TIMEOUT_S", "0.5")
    out = fetch_many([QWEN, "acme/tiny-gptq"], refresh=True)
    assert out[QWEN].from_cache and "could not refresh" in out[QWEN].warnings[-1]
    assert isinstance(out["acme/tiny-gptq"], HubUnavailable)


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "soon"])
def test_a_budget_that_is_not_a_number_of_seconds_is_a_usage_error(cli, fakehub, monkeypatch, value):
    monkeypatch.setenv("SCORECARD_HUB_TIMEOUT_S", value)
    result = cli("hub", "info", QWEN)
    _clean_failure(result, 2)
    assert "SCORECARD_HUB_TIMEOUT_S" in result.stderr and fakehub.count == 0


def test_bounded_map_stops_at_the_budget_and_leaves_the_hung_calls():
    budget = hub.Budget(0.3, "TEST_BUDGET")
    start = time.monotonic()
    with pytest.raises(HubUnavailable, match="TEST_BUDGET"):
        hub.map_bounded(lambda _: time.sleep(60), list(range(4)), 2, budget)
    assert time.monotonic() - start < 3


@pytest.mark.parametrize("exact", [False, True])
def test_ctrl_c_in_fetch_many_returns_at_once_and_leaves_no_thread_to_wait_for(fakehub, exact):
    """The root of the `enrich` hang: the executor's worker threads, joined at interpreter exit,
    each waiting on its request. Now the work runs in daemon threads, stopped with the run."""
    import _thread
    import threading

    fakehub.latency_s = 30
    timer = threading.Timer(0.5, _thread.interrupt_main)
    timer.start()
    start = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            fetch_many([QWEN, "acme/tiny-gptq", "acme/tiny-sharded"], exact=exact)
    finally:
        timer.cancel()
    assert time.monotonic() - start < 2
    assert fakehub.count >= 1  # the requests were in flight
    blocking = [t.name for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon
                and t.is_alive() and t is not timer]
    assert blocking == []


def _wait_for_requests(fake: FakeHub, n: int = 1, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while fake.count < n:
        assert time.monotonic() < end, "the command never reached the Hub"
        time.sleep(0.02)


@pytest.mark.parametrize("argv, hostile", [
    (["enrich", "{catalog}", "-o", "{out}"], "slow"),
    (["enrich", "{catalog}", "-o", "{out}", "--exact"], "trickle"),
    (["rank", "{catalog}", "--hub"], "trickle"),
    (["hub", "info", QWEN], "slow"),
])
def test_ctrl_c_ends_a_hub_command_within_a_second(fakehub, catalog, tmp_path, argv, hostile):
    """Before: `enrich` printed "interrupted" and never exited (the executor's threads were joined
    at exit, each waiting on its request). Now the threads are daemons the main thread waits on."""
    if hostile == "slow":
        fakehub.latency_s = 60
    else:
        fakehub.trickle("/api/models/", 0.2)
    out = tmp_path / "new.yaml"
    proc = _scorecard([a.format(catalog=catalog, out=out) for a in argv])
    try:
        _wait_for_requests(fakehub)
        time.sleep(0.3)  # the requests are in flight
        proc.send_signal(signal.SIGINT)
        start = time.monotonic()
        _, err = proc.communicate(timeout=10)
        elapsed = time.monotonic() - start
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert elapsed < 1.5, elapsed  # about 0.05 s measured; a hang is what this catches
    assert "interrupted" in err and "Traceback" not in err and not out.exists()


# -- 3. credentials inside HF_ENDPOINT ----------------------------------------------------------------

@pytest.fixture
def with_password(fakehub, monkeypatch):
    url = os.environ["HF_ENDPOINT"].replace("http://", f"http://alice:{PASSWORD}@")
    monkeypatch.setenv("HF_ENDPOINT", url)
    return url


def _no_password_under(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_credentials_are_used_but_never_shown_written_or_cached(cli, fakehub, with_password, hub_env, catalog,
                                                                 tmp_path):
    as_json = cli("hub", "info", QWEN, "-f", "json")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)["url"].startswith("http://***@127.0.0.1:")
    auth = {h.get("authorization") for _, _, h in fakehub.requests}
    assert auth == {"Basic " + __import__("base64").b64encode(f"alice:{PASSWORD}".encode()).decode()}  # used
    table = cli("hub", "info", QWEN)
    out = tmp_path / "new.yaml"
    enriched = cli("enrich", catalog, "-o", out, "--exact")
    assert table.exit_code == enriched.exit_code == 0, enriched.output
    for result in (as_json, table, enriched):
        assert PASSWORD not in result.output and "alice" not in result.output
    _no_password_under(hub_env)
    assert PASSWORD not in out.read_text()


@pytest.mark.parametrize("fault", ["missing", "unreachable", "server-error", "malformed", "trickle", "loop"])
def test_credentials_never_appear_in_errors(cli, fakehub, with_password, hub_env, monkeypatch, fault):
    monkeypatch.setenv("SCORECARD_HUB_TIMEOUT_S", "0.5")
    repo = QWEN
    if fault == "missing":
        repo = "nobody/nothing"
    elif fault == "unreachable":
        monkeypatch.setenv("HF_ENDPOINT", f"http://alice:{PASSWORD}@127.0.0.1:9")
    elif fault == "server-error":
        fakehub.fail("/api/models/", *[(500, {"Retry-After": "0"})] * hub.MAX_ATTEMPTS)
    elif fault == "malformed":
        fakehub.lie("/api/models/", "[1, 2")
    elif fault == "trickle":
        fakehub.trickle("/api/models/", 0.2)
    else:
        fakehub.redirect("/api/models/", "/api/models/" + repo)
    result = cli("hub", "info", repo, "--timeout", "1")
    assert result.exit_code in (2, 4) and "Traceback" not in result.output
    assert PASSWORD not in result.output and "alice" not in result.output
    assert "***@127.0.0.1" in result.stderr
    _no_password_under(hub_env)


def test_no_log_line_of_a_retry_names_the_credentials(fakehub, with_password, hub_env):
    """huggingface_hub's own downloads logged each retry with its URL, credentials included; in a
    real process (where the library's log handler writes to stderr)."""
    fakehub.fail("config.json", (503, {}))  # one retry
    proc = _scorecard(["hub", "info", QWEN])
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert PASSWORD not in out + err and "Traceback" not in err
    # and no request but ours (huggingface_hub's telemetry stays off in a fresh process)
    assert all(p.startswith(("/api/models/Qwen/", "/Qwen/Qwen2.5-0.5B/resolve/")) for p in fakehub.paths())


def test_a_cache_written_with_credentials_is_cleaned_when_read(fakehub, with_password, hub_env, monkeypatch):
    model = fetch_model(QWEN)
    record = hub_env / "hub" / "v1" / "Qwen" / "Qwen2.5-0.5B" / f"{model.sha}.json"
    data = json.loads(record.read_text())
    data["endpoint"] = os.environ["HF_ENDPOINT"]  # as versions before this one wrote it
    record.write_text(json.dumps(data))
    again = fetch_model(QWEN)
    assert again.from_cache and PASSWORD not in again.url and PASSWORD not in json.dumps(again.to_dict())
    assert PASSWORD not in record.read_text()


def test_a_redirect_to_another_host_gets_no_credentials(fakehub, with_password, monkeypatch):
    other = FakeHub()
    other.add(make_repo(QWEN, license="mit"))
    elsewhere = other.start()
    try:
        monkeypatch.setenv("HF_TOKEN", "hf_canary_SECRET")
        fakehub.redirect("/api/models/", elsewhere + "/api/models/" + QWEN)
        model = fetch_model(QWEN)
        assert model.license == "mit"  # followed
        assert other.requests and all("authorization" not in h for _, _, h in other.requests)
        assert all(PASSWORD not in p for p in other.paths())
    finally:
        other.stop()


@pytest.mark.parametrize("text, expected", [
    ("https://alice:pw@hub.example/x", "https://***@hub.example/x"),
    ("see http://u@h:1/a and HTTPS://a:b:c@d/e", "see http://***@h:1/a and HTTPS://***@d/e"),
    ("https://u:p@ss@host/path", "https://***@host/path"),  # an '@' inside the password
    ("https://hub.example/org@name", "https://hub.example/org@name"),  # '@' in the path only
    ("no url here", "no url here"),
])
def test_redact_url(text, expected, monkeypatch):
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    assert redact_url(text) == expected


def test_redact_url_also_removes_the_endpoints_password_wherever_it_appears(monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", "https://bob:p%40ss-word@mirror.example")
    assert redact_url("failed for p@ss-word and p%40ss-word") == "failed for *** and ***"


@pytest.mark.parametrize("endpoint", ["not a url", "ftp://mirror.example", "http://", "http://host:port",
                                      "http://a b.example"])
def test_an_endpoint_that_is_not_a_url_is_a_usage_error(cli, hub_env, monkeypatch, endpoint):
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    result = cli("hub", "info", QWEN)
    _clean_failure(result, 2)
    assert "HF_ENDPOINT" in result.stderr


# -- 5. enrich writes what the loader reads back -----------------------------------------------------

NUMBER_LIKE = ["1e3", "0o17", "1.5e3", ".inf", "-.inf", ".NaN", "null", "~", "true", "FALSE", "0x1f", "+12",
               "1e+3", ".5", "yes", "12:30", "1_000"]


def test_enrich_quotes_every_string_the_loader_would_read_as_something_else(cli, fakehub, write, tmp_path):
    fakehub.add(make_repo("acme/numbery", license="1e3", extra_card={"license_name": "0o17"}))
    fakehub.repos["acme/numbery"].info["library_name"] = "1.5e3"
    fakehub.repos["acme/numbery"].info["pipeline_tag"] = "0x1f"
    names = "\n".join(f"  - {{id: m{i}, name: {json.dumps(text)}, vendor: '0o17', kind: llm, access: open-weights, "
                      f"hf_id: acme/numbery, notes: [{json.dumps(text)}]}}" for i, text in enumerate(NUMBER_LIKE))
    path = write("c.yaml", "schema_version: 1\nname: '1e3'\nmodels:\n" + names + "\n")
    out = tmp_path / "new.yaml"
    result = cli("enrich", path, "-o", out)
    assert result.exit_code == 0, result.output
    enriched = load_catalog(out)
    for text, entry in zip(NUMBER_LIKE, enriched.models):
        assert entry.name == text and entry.notes == [text] and entry.vendor == "0o17"
        assert entry.license.value == "1e3" and entry.hub.library.value == "1.5e3"
        assert entry.hub.pipeline_tag.value == "0x1f"
    assert enriched.name == "1e3"


def test_text_that_would_read_back_differently_is_refused_before_writing(cli, fakehub, catalog, tmp_path,
                                                                         monkeypatch):
    """The check itself: a writer that forgets to quote (as PyYAML alone does) is caught."""
    from model_scorecard.hub import facts as hubfacts

    real = hubfacts.dump_yaml
    monkeypatch.setattr(hubfacts, "dump_yaml", lambda data: real(data).replace("name: Q", "name: 1e3"))
    out = tmp_path / "new.yaml"
    result = cli("enrich", catalog, "-o", out)
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert "does not read back as meant" in result.stderr and "models[0].name" in result.stderr
    assert not out.exists()


def test_read_back_is_strict_about_types():
    from model_scorecard.hub.facts import read_back

    with pytest.raises(InternalError, match=r"a\.b"):
        read_back("a: {b: 1}\n", {"a": {"b": True}}, "x.yaml")  # True == 1 in Python, not in YAML
    with pytest.raises(InternalError):
        read_back("a: 1\n", {"a": 1.0}, "x.yaml")
    assert read_back("a: .nan\n", {"a": float("nan")}, "x.yaml").data["a"] != 0


def test_hub_facts_the_catalog_would_refuse_are_left_out_not_fatal(cli, fakehub, write, tmp_path):
    fakehub.add(make_repo("acme/huge", config={"model_type": "mystery", "num_hidden_layers": 10**12,
                                                "max_position_embeddings": 10**15},
                          safetensors={"BF16": 2**62}, downloads=10**17))
    path = write("c.yaml", "schema_version: 1\nmodels:\n"
                           "  - {id: h, name: H, vendor: A, kind: llm, access: open-weights, hf_id: acme/huge}\n"
                           "  - {id: m, name: M, vendor: A, kind: llm, access: open-weights, hf_id: Qwen/Qwen2.5-0.5B,"
                           " params: 100M, active_params: 90M}\n")
    out = tmp_path / "new.yaml"
    result = cli("enrich", path, "-o", out)
    assert result.exit_code == 0, result.output
    assert "left out" in result.stderr and "architecture.num_layers" in result.stderr
    huge = load_catalog(out).models[0]
    assert huge.architecture.num_layers is None and huge.params is None and huge.architecture.model_type.value == "mystery"
    ranked = cli("rank", path, "--hub", "-f", "json")
    assert ranked.exit_code == 0, ranked.output


def test_a_hub_active_count_above_the_catalogs_params_is_left_out(cli, fakehub, write, tmp_path):
    """Mixtral activates 12.9B of its 46.7B; a catalog that says `params: 10B` by hand wins, and the
    Hub's active count, which would contradict it, is left out (with a warning), not written."""
    from .conftest import config

    fakehub.add(make_repo("mistralai/Mixtral-8x7B-v0.1", config=config("mistralai--Mixtral-8x7B-v0.1")))
    path = write("c.yaml", "schema_version: 1\nmodels:\n"
                           "  - {id: x, name: X, vendor: A, kind: llm, access: open-weights,"
                           " hf_id: mistralai/Mixtral-8x7B-v0.1, params: 10B}\n")
    out = tmp_path / "new.yaml"
    result = cli("enrich", path, "-o", out)
    assert result.exit_code == 0, result.output
    assert "active_params (above the catalog's params)" in " ".join(result.stderr.split())
    entry = load_catalog(out).models[0]
    assert entry.params.value == 10_000_000_000 and entry.active_params is None
    assert entry.architecture.num_experts.value == 8
    with_overwrite = cli("enrich", path, "-o", out, "--overwrite")
    assert with_overwrite.exit_code == 0, with_overwrite.output
    entry = load_catalog(out).models[0]
    assert entry.active_params.value < entry.params.value and entry.params.source == "huggingface"


# -- 8. malformed answers, odd text, damaged cache, redirects -------------------------------------------

MALFORMED = {
    "a list": "[]",
    "a string": '"model"',
    "null": "null",
    "broken JSON": '{"id": ',
    "HTML": "<html><body>maintenance</body></html>",
    "no id": '{"sha": "x"}',
    "fields of the wrong type": json.dumps({"id": QWEN, "safetensors": "many", "siblings": 5}),
    "a card that is a list": None,  # filled in the test: cardData = [...]
    "deep nesting": "[" * 50_000 + "]" * 50_000,
    "a number beyond int parsing": '{"id": "x", "downloads": ' + "9" * 5000 + "}",
    "empty 204": "",
}


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_a_malformed_model_info_answer_is_exit_4_never_a_bug(cli, fakehub, kind):
    body = MALFORMED[kind]
    if body is None:
        body = json.dumps({**fakehub.repos["qwen/qwen2.5-0.5b"].info, "cardData": ["apache-2.0"], "tags": 7})
    fakehub.lie("/api/models/", body, status=204 if kind == "empty 204" else 200)
    result = cli("hub", "info", QWEN, "-f", "json")
    if result.exit_code == 0:  # tolerated: the odd fields are ignored, never guessed
        doc = json.loads(result.stdout)
        assert doc["license"] is None and doc["tags"] == []
        return
    _clean_failure(result, 4)
    assert "not a model_info JSON object" in result.stderr


def test_an_answer_past_the_size_bound_is_not_read_to_the_end(cli, fakehub):
    fakehub.lie("/api/models/", b'{"id": "' + b"x" * (hub.MAX_JSON_BYTES + 10) + b'"}')
    result = cli("hub", "info", QWEN)
    _clean_failure(result, 4)
    assert "larger than" in result.stderr


def test_a_config_json_past_the_size_bound_is_a_problem(cli, fakehub):
    fakehub.repos["qwen/qwen2.5-0.5b"].files["config.json"] = b"{" + b" " * (hub.MAX_JSON_BYTES + 10) + b"}"
    result = cli("hub", "info", QWEN, "-f", "json")
    assert result.exit_code == 0, result.output
    assert "larger than" in json.loads(result.stdout)["errors"]["config"]


def test_a_malformed_answer_falls_back_to_the_cache(fakehub):
    fetch_model(QWEN)
    fakehub.lie("/api/models/", "[]")
    model = fetch_model(QWEN, refresh=True)
    assert model.from_cache and "not a model_info JSON object" in model.warnings[-1]


def test_a_lone_surrogate_and_non_finite_numbers_from_the_hub(cli, fakehub, hub_env, catalog, tmp_path):
    info = dict(fakehub.repos["qwen/qwen2.5-0.5b"].info)
    info["cardData"] = {"license": "apache-2.0\\ud800", "license_name": "x\\udfffy"}
    body = json.dumps(info).replace("\\\\ud800", "\\ud800").replace("\\\\udfff", "\\udfff")
    assert "\\ud800" in body
    fakehub.lie("/api/models/", body)
    config = fakehub.repos["qwen/qwen2.5-0.5b"].files["config.json"].decode()
    fakehub.repos["qwen/qwen2.5-0.5b"].files["config.json"] = config.replace(
        '"rope_theta": 1000000.0', '"rope_theta": 1e999, "note": "\\udc80"').encode()
    result = cli("hub", "info", QWEN, "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))
    assert doc["license"] == "apache-2.0\ufffd" and doc["license_name"] == "x\ufffdy"
    assert doc["config"]["rope_theta"] is None and doc["config"]["note"] == "\ufffd"
    for record in hub_env.rglob("*.json"):
        record.read_bytes().decode("utf-8")  # strict UTF-8 on disk
    assert cli("hub", "info", QWEN).exit_code == 0  # the panel too
    out = tmp_path / "new.yaml"
    enriched = cli("enrich", catalog, "-o", out)
    assert enriched.exit_code == 0, enriched.output
    assert load_catalog(out).models[0].license.value == "apache-2.0\ufffd"


def test_markup_and_control_characters_from_the_hub_are_shown_as_text(cli, fakehub):
    info = dict(fakehub.repos["qwen/qwen2.5-0.5b"].info)
    info["cardData"] = {"license": "[/][bold]mit\x1b]0;owned\x07\x1b[2J", "license_link": "https://u:pw@evil/x"}
    fakehub.lie("/api/models/", json.dumps(info))
    result = cli("hub", "info", QWEN)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "[/][bold]mit" in result.stdout and "u:pw@" not in result.stdout


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", "[" * 50_000 + "]" * 50_000, '"\\ud800"'])
def test_a_bad_config_json_is_a_problem_not_a_failure(cli, fakehub, body):
    fakehub.repos["qwen/qwen2.5-0.5b"].files["config.json"] = body.encode()
    result = cli("hub", "info", QWEN, "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["config"] is None and doc["errors"]["config"]
    assert doc["params"] == QWEN_PARAMS  # from the safetensors counts


@pytest.mark.parametrize("header", [b"\xff" * 64, (10**6).to_bytes(8, "little") + b"{" * 100,
                                    (20).to_bytes(8, "little") + b'{"a": {"dtype": 5}}  '])
def test_a_garbled_safetensors_header_is_a_problem_not_a_failure(cli, fakehub, header):
    fakehub.repos["acme/tiny-gptq"].files["model.safetensors"] = header
    result = cli("hub", "info", "acme/tiny-gptq", "--exact", "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["weight_bytes"] is None and doc["errors"]["exact"]


@pytest.mark.parametrize("where, target", [
    ("/api/models/", "/api/models/Qwen/Qwen2.5-0.5B"),  # a loop
    ("/api/models/", "http://127.0.0.1:9/api/models/x"),  # another host, which nobody answers
    ("/api/models/", "ftp://elsewhere.example/x"),
    ("/api/models/", "http://[::1"),
    ("config.json", "http://127.0.0.1:9/config.json"),
])
def test_redirects_that_lead_nowhere_are_exit_4(cli, fakehub, where, target):
    fakehub.redirect(where, target)
    result = cli("hub", "info", QWEN, "--timeout", "2")
    _clean_failure(result, 4)
    assert "nothing is cached" in result.stderr


def test_a_redirect_loop_is_named(fakehub):
    fakehub.redirect("/api/models/", "/api/models/" + QWEN)
    with pytest.raises(HubUnavailable, match="redirect"):
        fetch_model(QWEN)


DAMAGE = {
    "not JSON": b"{not json",
    "not UTF-8": b"\xff\xfe{}",
    "a list": b"[]",
    "a card that is a string": None,  # filled in the test
    "counts that are a list": None,
    "an infinite number": None,
    "deep nesting": b"[" * 50_000 + b"]" * 50_000,
    "another repository's record": None,
}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_a_damaged_cache_record_is_ignored_with_a_warning(cli, fakehub, hub_env, kind):
    model = fetch_model(QWEN)
    path = hub_env / "hub" / "v1" / "Qwen" / "Qwen2.5-0.5B" / f"{model.sha}.json"
    raw = DAMAGE[kind]
    if raw is None:
        record = json.loads(path.read_text())
        if kind == "a card that is a string":
            record["info"]["card"] = "apache-2.0"
        elif kind == "counts that are a list":
            record["info"]["safetensors"]["parameters"] = [1, 2]
        elif kind == "an infinite number":
            record["info"]["downloads"] = float("inf")
        else:
            record["repo_id"] = "acme/other"
        raw = json.dumps(record).encode()
    path.write_bytes(raw)
    n = fakehub.count
    online = cli("hub", "info", QWEN, "-f", "json")
    assert online.exit_code == 0, online.output
    assert fakehub.count > n and "damaged" in online.stderr and json.loads(online.stdout)["params"] == QWEN_PARAMS
    path.write_bytes(raw)
    offline = cli("hub", "info", QWEN, "--offline")
    _clean_failure(offline, 4)
    assert "damaged" in offline.stderr


def test_a_damaged_revision_pointer_is_ignored(cli, fakehub, hub_env):
    fetch_model(QWEN)
    (hub_env / "hub" / "v1" / "Qwen" / "Qwen2.5-0.5B" / "refs" / "_default.json").write_text('{"sha": 5}')
    result = cli("hub", "info", QWEN)
    assert result.exit_code == 0 and "damaged" in result.stderr


def test_a_cache_folder_in_place_of_a_record_is_ignored(cli, fakehub, hub_env):
    model = fetch_model(QWEN)
    path = hub_env / "hub" / "v1" / "Qwen" / "Qwen2.5-0.5B" / f"{model.sha}.json"
    path.unlink()
    path.mkdir()
    result = cli("hub", "info", QWEN, "--offline")
    _clean_failure(result, 4)


def test_rank_and_enrich_with_a_malformed_hub_are_exit_4(cli, fakehub, catalog, tmp_path):
    fakehub.lie("/api/models/", "[]")
    out = tmp_path / "new.yaml"
    for result in (cli("rank", catalog, "--hub"), cli("enrich", catalog, "-o", out)):
        _clean_failure(result, 4)
        assert "not a model_info JSON object" in result.stderr
    assert not out.exists()
