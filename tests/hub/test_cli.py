"""`scorecard hub info`, `scorecard enrich`, `rank --hub` and `show --hub` through CliRunner."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from model_scorecard.schema.load import load_catalog

from .conftest import QWEN_PARAMS

DAY = "2026-11-23"
CATALOG = """\
schema_version: 1
name: hub-test
models:
  # a comment that enrich does not carry over
  - id: qwen-small
    name: Qwen2.5 0.5B
    vendor: Alibaba
    kind: llm
    access: open-weights
    hf_id: Qwen/Qwen2.5-0.5B
    params: {value: 500M, source: "https://example.org/card"}
  - id: tiny-gptq
    name: Tiny GPTQ
    vendor: Acme
    kind: llm
    access: open-weights
    hf_id: acme/tiny-gptq
    notes: ["hand-written note"]
  - id: api-model
    name: API only
    vendor: Acme
    kind: llm
    access: api
"""


@pytest.fixture
def catalog(write):
    return write("catalog.yaml", CATALOG)


def _criteria(report: dict, model_id: str) -> dict:
    model = next(m for m in report["models"] if m["id"] == model_id)
    return {c["id"]: c for c in model["criteria"]} | {"_flags": [f["id"] for f in model["red_flags"]]}


# -- hub info --------------------------------------------------------------------------------

def test_hub_info_table(cli, fakehub):
    result = cli("hub", "info", "Qwen/Qwen2.5-0.5B")
    assert result.exit_code == 0, result.output
    for text in ("Qwen/Qwen2.5-0.5B", "apache-2.0", "494M", "Qwen2ForCausalLM", "2,500,000", "fetched now"):
        assert text in result.stdout
    again = cli("hub", "info", "Qwen/Qwen2.5-0.5B")
    assert "from the cache" in again.stdout


def test_hub_info_json_is_stable(cli, fakehub):
    first = cli("hub", "info", "acme/tiny-gptq", "--format", "json", "--exact")
    n = fakehub.count
    second = cli("hub", "info", "acme/tiny-gptq", "--format", "json", "--exact")
    assert first.exit_code == second.exit_code == 0 and fakehub.count == n
    assert first.stdout == second.stdout
    doc = json.loads(first.stdout)
    assert doc["schema_version"] == 1 and doc["params"] == 1064 and doc["quantization"]["precision"] == "int4"
    assert doc["weight_bytes"] is not None and doc["sources"]["params"]


@pytest.mark.parametrize("argv, code, text", [
    (["nobody/nothing"], 2, "no model 'nobody/nothing'"),
    (["Qwen/Qwen2.5-0.5B", "--revision", "nope"], 2, "no revision 'nope'"),
    (["Qwen/Qwen2.5-0.5B", "--offline"], 4, "nothing is cached"),
    (["not-an-id"], 2, "not a Hugging Face model id"),
])
def test_hub_info_errors(cli, fakehub, argv, code, text):
    result = cli("hub", "info", *argv)
    assert result.exit_code == code, result.output
    assert text in result.stderr and "Traceback" not in result.output


def test_hub_info_unreachable_is_exit_4(cli, hub_env):
    result = cli("hub", "info", "Qwen/Qwen2.5-0.5B", "--timeout", "1")
    assert result.exit_code == 4 and "cannot reach the Hub" in result.stderr


def test_hub_info_rate_limited_is_exit_4(cli, fakehub):
    fakehub.fail("/api/models/", *[(429, {"Retry-After": "0"})] * 4)
    result = cli("hub", "info", "Qwen/Qwen2.5-0.5B")
    assert result.exit_code == 4 and "429" in result.stderr


def test_token_is_never_printed(cli, fakehub, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_granted_SECRET")
    ok = cli("hub", "info", "meta-llama/Llama-3.1-8B", "--format", "json")
    assert ok.exit_code == 0 and json.loads(ok.stdout)["context_window"] == 8192
    monkeypatch.setenv("HF_TOKEN", "hf_other_SECRET")
    fakehub.fail("/api/models/meta-llama", (403, {"X-Error-Code": "GatedRepo"}))
    gated = cli("hub", "info", "meta-llama/Llama-3.1-8B", "--refresh")  # a gated answer is no reason to use the cache
    assert gated.exit_code == 2 and "request access on" in gated.stderr and "HF_TOKEN" in gated.stderr
    for result in (ok, gated):
        assert "SECRET" not in result.output


def test_gated_config_is_a_warning_in_the_panel(cli, fakehub):
    result = cli("hub", "info", "meta-llama/Llama-3.1-8B")
    assert result.exit_code == 0 and "gated" in result.stdout and "llama3.1" in result.stdout


# -- enrich ----------------------------------------------------------------------------------

def test_enrich_writes_a_new_catalog_and_leaves_the_input(cli, fakehub, catalog, tmp_path):
    before = catalog.read_bytes()
    out = tmp_path / "new.yaml"
    result = cli("enrich", catalog, "-o", out)
    assert result.exit_code == 0, result.output
    assert catalog.read_bytes() == before and "wrote" in result.stderr
    cat = load_catalog(out)
    qwen, gptq, api = cat.models
    assert qwen.params.value == 500_000_000 and qwen.params.source == "https://example.org/card"  # hand-written wins
    assert qwen.context_window.value == 32768 and qwen.context_window.source == "huggingface"
    assert qwen.license.value == "apache-2.0" and qwen.license.as_of == DAY or qwen.license.as_of
    assert qwen.ecosystem.hf_downloads.value == 2_500_000 and qwen.ecosystem.hf_likes.value == 1200
    assert qwen.license_terms.commercial_use.value is True
    assert qwen.license_terms.commercial_use.source == "model-scorecard licenses.yaml"
    assert gptq.params.value == 1320 and gptq.params.source == "huggingface"
    assert gptq.license_terms.hosting_for_third_parties.value is False  # llama2, as the seed reads it
    assert gptq.license_terms.user_cap_mau.value == 700_000_000
    assert gptq.notes == ["hand-written note"]  # commit, gating and last change are facts of `hub` now
    assert gptq.hub.revision.value == fakehub.repos["acme/tiny-gptq"].sha and gptq.hub.gated.value == "no"
    assert api == load_catalog(catalog).models[2]
    text = out.read_text()
    assert text.startswith("# Written by `scorecard enrich`") and "a comment that enrich" not in text
    assert "{value: 32768, source: huggingface, as_of:" in text  # one fact per line, as catalogs write them


def test_enrich_twice_makes_no_request_and_the_same_file(cli, fakehub, catalog, tmp_path):
    assert cli("enrich", catalog, "-o", tmp_path / "a.yaml").exit_code == 0
    n = fakehub.count
    assert cli("enrich", catalog, "-o", tmp_path / "b.yaml").exit_code == 0
    assert fakehub.count == n
    assert (tmp_path / "a.yaml").read_text() == (tmp_path / "b.yaml").read_text()
    # enriching its own output changes nothing either: our facts are recognised and replaced in place
    assert cli("enrich", tmp_path / "a.yaml", "-o", tmp_path / "c.yaml").exit_code == 0
    assert (tmp_path / "c.yaml").read_text() == (tmp_path / "a.yaml").read_text()


def test_enrich_overwrite(cli, fakehub, catalog, tmp_path):
    out = tmp_path / "new.yaml"
    assert cli("enrich", catalog, "-o", out, "--overwrite").exit_code == 0
    assert load_catalog(out).models[0].params.value == QWEN_PARAMS


def test_enrich_refuses_to_write_its_input(cli, fakehub, catalog):
    before = catalog.read_bytes()
    result = cli("enrich", catalog, "-o", catalog)
    assert result.exit_code == 2 and "input" in result.stderr and catalog.read_bytes() == before
    assert fakehub.count == 0


def test_enrich_unknown_id_writes_nothing(cli, fakehub, write, tmp_path):
    bad = write("bad.yaml", CATALOG.replace("acme/tiny-gptq", "acme/missing"))
    out = tmp_path / "new.yaml"
    result = cli("enrich", bad, "-o", out)
    assert result.exit_code == 2 and "acme/missing" in result.stderr and not out.exists()


def test_enrich_offline_without_cache_is_exit_4(cli, fakehub, catalog, tmp_path):
    result = cli("enrich", catalog, "-o", tmp_path / "new.yaml", "--offline")
    assert result.exit_code == 4 and fakehub.count == 0 and not (tmp_path / "new.yaml").exists()


def test_enrich_invalid_catalog_is_exit_2(cli, fakehub, write, tmp_path):
    bad = write("bad.yaml", "schema_version: 1\nmodels:\n  - id: X\n")
    result = cli("enrich", bad, "-o", tmp_path / "new.yaml")
    assert result.exit_code == 2 and "bad.yaml:3" in result.stderr and fakehub.count == 0


# -- rank --hub, show --hub ------------------------------------------------------------------

def test_rank_hub_scores_with_hub_facts(cli, fakehub, catalog):
    plain = json.loads(cli("rank", catalog, "-f", "json", "--as-of", DAY).stdout)
    with_hub = cli("rank", catalog, "-f", "json", "--as-of", DAY, "--hub")
    assert with_hub.exit_code == 0, with_hub.output
    hub = json.loads(with_hub.stdout)
    before, after = _criteria(plain, "qwen-small"), _criteria(hub, "qwen-small")
    assert before["hf-downloads"]["status"] == "unknown" and after["hf-downloads"]["score"] == 5
    assert after["hf-downloads"]["source"] == "huggingface" and after["hf-likes"]["score"] == 4
    assert after["commercial-licence"]["score"] == 5
    assert "hosting-restricted" in _criteria(hub, "tiny-gptq")["_flags"]  # llama2 terms → red flag
    assert _criteria(hub, "api-model") == _criteria(plain, "api-model")
    n = fakehub.count
    again = cli("rank", catalog, "-f", "json", "--as-of", DAY, "--hub")
    assert again.stdout == with_hub.stdout and fakehub.count == n  # cache first


def test_rank_hub_offline_uses_the_cache(cli, fakehub, catalog, monkeypatch):
    assert cli("rank", catalog, "--hub", "--as-of", DAY).exit_code == 0
    n = fakehub.count
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert cli("rank", catalog, "--hub", "--as-of", DAY).exit_code == 0 and fakehub.count == n


def test_rank_hub_unreachable_is_exit_4(cli, hub_env, catalog):
    result = cli("rank", catalog, "--hub", "--as-of", DAY)
    assert result.exit_code == 4 and "could not be read" in result.stderr


def test_show_hub(cli, fakehub, catalog):
    result = cli("show", catalog, "qwen-small", "--hub", "--format", "json", "--as-of", DAY)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    model = doc["models"][0] if "models" in doc else doc
    assert {c["id"]: c for c in model["criteria"]}["hf-downloads"]["score"] == 5
    assert sum("/api/models/" in p for p in fakehub.paths()) == 1  # only the model shown


# -- start-up --------------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [["hub", "--help"], ["hub", "info", "--help"], ["enrich", "--help"],
                                  ["rank", "--help"]])
def test_hub_commands_do_not_import_huggingface_hub_to_start(argv):
    code = ("from model_scorecard.cli import app\n"
            f"try:\n    app({argv!r}, prog_name='scorecard')\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
            "import sys; print('\\n'.join(sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "COLUMNS": "200"})
    modules = set(out.stdout.split())
    assert "huggingface_hub" not in modules and "pandas" not in modules
    assert "Example: scorecard" in out.stdout or argv == ["hub", "--help"]


# -- licences the table gives no terms for ------------------------------------------------------

def test_enrich_names_the_licences_whose_terms_stay_unknown(cli, fakehub, write, tmp_path):
    from .fakehub import make_repo

    fakehub.add(make_repo("acme/custom", license="other", extra_card={"license_name": "acme-model-licence"}))
    fakehub.add(make_repo("acme/odd", license="weird-1.0"))
    fakehub.add(make_repo("acme/bare", license=None))
    path = write("c.yaml", """
        schema_version: 1
        models:
          - {id: custom, name: C, vendor: A, kind: llm, access: open-weights, hf_id: acme/custom}
          - {id: odd, name: O, vendor: A, kind: llm, access: open-weights, hf_id: acme/odd}
          - {id: bare, name: B, vendor: A, kind: llm, access: open-weights, hf_id: acme/bare}
          - {id: reviewed, name: R, vendor: A, kind: llm, access: open-weights, hf_id: acme/custom,
             license_terms: {commercial_use: {value: true, source: "https://example.org/licence"}}}
          - {id: qwen, name: Q, vendor: A, kind: llm, access: open-weights, hf_id: Qwen/Qwen2.5-0.5B}
    """)
    out = tmp_path / "new.yaml"
    result = cli("enrich", path, "-o", out)
    assert result.exit_code == 0, result.output
    err = " ".join(result.stderr.split())
    assert ("custom (acme/custom): licence 'other' (Custom licence) (model card: acme-model-licence) is listed "
            "for review") in err
    assert "odd (acme/odd): licence id 'weird-1.0' has no entry in the licence table" in err
    assert "bare (acme/bare): no licence id" in err
    assert "reviewed (acme/custom): licence" not in err and "qwen (" not in err  # known: by hand, from the table
    assert "licence id(s): (none), other, weird-1.0" in err
    custom, odd, bare, reviewed, qwen = load_catalog(out).models
    for entry in (custom, odd, bare):  # unknown, never guessed
        assert all(getattr(entry.license_terms, f) is None for f in ("commercial_use", "hosting_for_third_parties",
                                                                     "onprem_redistribution"))
    assert custom.license.value == "other" and "gives no terms" in custom.license.note and bare.license is None
    assert reviewed.license_terms.commercial_use.source == "https://example.org/licence"


def test_unknown_licence_terms_lower_confidence_and_show_says_why(cli, fakehub, write):
    from .fakehub import make_repo

    fakehub.add(make_repo("acme/custom", license="other", downloads=2_500_000, likes=1200))
    path = write("c.yaml", """
        schema_version: 1
        models:
          - {id: custom, name: C, vendor: A, kind: llm, access: open-weights, hf_id: acme/custom}
          - {id: qwen, name: Q, vendor: A, kind: llm, access: open-weights, hf_id: Qwen/Qwen2.5-0.5B}
    """)
    report = json.loads(cli("rank", path, "-f", "json", "--as-of", DAY, "--hub").stdout)
    custom, qwen = _criteria(report, "custom"), _criteria(report, "qwen")
    assert custom["commercial-licence"]["status"] == "unknown" and qwen["commercial-licence"]["score"] == 5
    conf = {m["id"]: m["confidence"] for m in report["models"]}
    assert conf["custom"] < conf["qwen"]
    shown = cli("show", path, "custom", "--hub", "--as-of", DAY)
    assert shown.exit_code == 0, shown.output
    assert "licence terms unknown" in " ".join(shown.stdout.split())


# -- gating ---------------------------------------------------------------------------------------

def test_show_and_hub_info_say_a_repository_is_gated(cli, fakehub, write):
    path = write("c.yaml", """
        schema_version: 1
        models:
          - {id: llama, name: L, vendor: M, kind: llm, access: open-weights, hf_id: meta-llama/Llama-3.1-8B}
    """)
    shown = cli("show", path, "llama", "--hub", "--as-of", DAY)
    assert shown.exit_code == 0, shown.output
    text = " ".join(shown.stdout.split())
    assert "Gated │ yes, manual: the authors approve each access request" in text
    assert "Licence │ llama3.1 (Llama 3.1 Community License, conditions)" in text
    info = " ".join(cli("hub", "info", "meta-llama/Llama-3.1-8B").stdout.split())
    assert "Gated yes (authors approve requests)" in info


def test_enrich_replaces_the_old_summary_note(cli, fakehub, write, tmp_path):
    path = write("c.yaml", """
        schema_version: 1
        models:
          - id: q
            name: Q
            vendor: A
            kind: llm
            access: open-weights
            hf_id: Qwen/Qwen2.5-0.5B
            notes: ["huggingface: Qwen/Qwen2.5-0.5B@abc; not gated; fetched 2026-01-01"]
    """)
    out = tmp_path / "new.yaml"
    assert cli("enrich", path, "-o", out).exit_code == 0
    entry = load_catalog(out).models[0]
    assert entry.notes == [] and "notes:" not in out.read_text()
    assert entry.hub.gated.value == "no" and entry.architecture.num_layers.value == 24
    text = out.read_text()
    assert text.index("hf_id:") < text.index("hub:") < text.index("params:") < text.index("architecture:") \
        < text.index("license:")  # groups sit beside what they describe
