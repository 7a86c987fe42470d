"""`scorecard import lm-eval|litellm|genai-prices|promptfoo` end to end: each sample round-trips into a catalog
that `scorecard validate` accepts and the loader reads back to the same figures."""

from __future__ import annotations

import json

import pytest

from model_scorecard.schema.load import load_catalog

from ..conftest import REPO

DATA = REPO / "tests" / "importers" / "data"
LM_EVAL, LITELLM, PROMPTFOO = DATA / "lm-eval-results.json", DATA / "litellm-prices.json", DATA / "promptfoo-output.json"
GENAI = DATA / "genai-prices-data.json"

TEAM = """\
schema_version: 1
name: team
models:
  - id: acme-chat-large
    name: Acme Chat Large
    vendor: Acme
    kind: llm
    access: api
    checkpoint: {value: instruct, source: "https://acme.example/models", grade: first-party}
    pricing: {source: "https://acme.example/pricing", grade: first-party, as_of: 2026-11-01, input_per_1m: 2.5}
    benchmarks:
      private_eval: {value: 70, source: "https://ci.example/1", grade: independent}
"""


@pytest.mark.parametrize("argv", [
    ["lm-eval", LM_EVAL, "--model", "qwen25-7b", "--checkpoint", "instruct"],
    ["litellm", LITELLM, "--as-of", "2026-12-01"],
    ["litellm", LITELLM, "--mode", "embedding"],
    ["genai-prices", "--provider", "anthropic", "--checkpoint", "instruct"],  # the bundled snapshot
    ["genai-prices", GENAI, "--as-of", "2026-03-01", "--checkpoint", "instruct"],
    ["promptfoo", PROMPTFOO, "--model", "acme-mini", "--provider", "mini", "--checkpoint", "instruct"],
])
def test_each_sample_round_trips_into_a_valid_catalog(cli, tmp_path, argv):
    out = tmp_path / "new.yaml"
    result = cli("import", *argv, "-o", out)
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    checked = cli("validate", out)
    assert checked.exit_code == 0, checked.output
    catalog = load_catalog(out)
    assert catalog.models
    for entry in catalog.models:
        facts = [*entry.benchmarks.values()] + [getattr(entry.pricing, f) for f in type(entry.pricing).model_fields]
        for fact in facts:
            if hasattr(fact, "value"):
                assert fact.source and fact.as_of and fact.grade


def test_figures_survive_the_round_trip(cli, tmp_path):
    out = tmp_path / "new.yaml"
    assert cli("import", "lm-eval", LM_EVAL, "-m", "q", "--checkpoint", "instruct", "-o", out).exit_code == 0
    gpqa = load_catalog(out).models[0].benchmarks["gpqa"]
    assert (gpqa.value, gpqa.variant, gpqa.cot, gpqa.n_shot, gpqa.grade) == (31.31, "diamond", True, 0, "independent")
    assert cli("import", "litellm", LITELLM, "--model", "acme-chat-large", "-o", out).exit_code == 0
    entry = load_catalog(out).models[0]
    assert (entry.pricing.input_per_1m.value, entry.pricing.cached_input_per_1m.value) == (3.0, 0.3)
    assert entry.pricing.input_per_1m.grade == "third-party" and entry.context_window.value == 200_000
    assert str(entry.operations.deprecation_date.value) == "2027-06-30"


def test_into_keeps_the_catalogs_facts_unless_overwrite(cli, write, tmp_path):
    team = write("team.yaml", TEAM)
    out = tmp_path / "new.yaml"
    result = cli("import", "litellm", LITELLM, "--model", "acme-chat-large", "--into", team, "-o", out)
    assert result.exit_code == 0, result.output
    assert "facts added to acme-chat-large" in result.output
    entry = load_catalog(out).models[0]
    assert entry.pricing.input_per_1m.value == 2.5  # the catalog's own price wins
    assert entry.pricing.output_per_1m.value == 15.0 and entry.pricing.output_per_1m.grade == "third-party"
    assert entry.checkpoint.grade == "first-party" and entry.name == "Acme Chat Large"
    assert cli("validate", out).exit_code == 0
    assert cli("import", "litellm", LITELLM, "--model", "acme-chat-large", "--into", team, "-o", out,
               "--overwrite").exit_code == 0
    assert load_catalog(out).models[0].pricing.input_per_1m.value == 3.0

    pf = cli("import", "promptfoo", PROMPTFOO, "-m", "acme-chat-large", "--provider", "large", "--into", team,
             "-o", out, "--overwrite")
    assert pf.exit_code == 0, pf.output
    assert load_catalog(out).models[0].benchmarks["private_eval"].value == 75.0


def test_into_keeps_what_enrich_filled_in(cli, write, tmp_path):
    """Facts an earlier `enrich` filled in (source: huggingface) are the catalog's own to an import:
    kept, not replaced, and not dropped when the imported file does not give them."""
    hub = ('    hf_id: acme/chat-large\n'
           '    params: {value: 70B, source: huggingface, as_of: 2026-11-01}\n')
    team = write("team.yaml", TEAM.replace("    access: api\n", "    access: api\n" + hub)
                 + "      gpqa: {value: 41.2, variant: diamond, source: huggingface, as_of: 2026-11-01, "
                   "grade: first-party}\n")
    out = tmp_path / "new.yaml"
    result = cli("import", "promptfoo", PROMPTFOO, "-m", "acme-chat-large", "--provider", "large", "--into", team,
                 "-o", out)
    assert result.exit_code == 0, result.output
    entry = load_catalog(out).models[0]
    assert entry.benchmarks["gpqa"].value == 41.2 and entry.benchmarks["private_eval"].value == 70
    assert entry.params.value == 70_000_000_000


def test_grade_says_who_ran_it(cli, tmp_path):
    out = tmp_path / "new.yaml"
    assert cli("import", "lm-eval", LM_EVAL, "-m", "q", "--checkpoint", "instruct", "--grade", "first-party",
               "--source", "https://vendor.example/evals.json", "-o", out).exit_code == 0
    mmlu = load_catalog(out).models[0].benchmarks["mmlu"]
    assert (mmlu.grade, mmlu.source) == ("first-party", "https://vendor.example/evals.json")
    assert "grade first-party" in out.read_text().splitlines()[1]


def test_a_new_id_with_into_becomes_a_new_entry(cli, write, tmp_path):
    team = write("team.yaml", TEAM)
    out = tmp_path / "new.yaml"
    result = cli("import", "lm-eval", LM_EVAL, "-m", "qwen", "--checkpoint", "base", "--into", team, "-o", out)
    assert result.exit_code == 0, result.output
    assert [m.id for m in load_catalog(out).models] == ["acme-chat-large", "qwen"]
    assert cli("validate", out).exit_code == 0


def test_into_takes_a_bundled_catalog_by_name(cli, tmp_path):
    out = tmp_path / "new.yaml"
    result = cli("import", "promptfoo", PROMPTFOO, "-m", "gpt-oss-120b", "--provider", "large", "--into", "current",
                 "-o", out)
    assert result.exit_code == 0, result.output
    entry = next(m for m in load_catalog(out).models if m.id == "gpt-oss-120b")
    assert entry.benchmarks["private_eval"].grade == "independent"
    assert len(load_catalog(out).models) == len(load_catalog(REPO / "catalogs" / "current.yaml").models)


def test_a_new_llm_entry_needs_a_checkpoint(cli, tmp_path):
    result = cli("import", "lm-eval", LM_EVAL, "-m", "qwen", "-o", tmp_path / "new.yaml")
    assert result.exit_code == 2 and "--checkpoint" in result.output and not (tmp_path / "new.yaml").exists()


def test_the_output_is_never_an_input(cli, write, tmp_path):
    team = write("team.yaml", TEAM)
    before = team.read_bytes()
    result = cli("import", "litellm", LITELLM, "--into", team, "-o", team)
    assert result.exit_code == 2 and "refusing" in result.output and team.read_bytes() == before
    copy = tmp_path / "prices.json"
    copy.write_bytes(LITELLM.read_bytes())
    result = cli("import", "litellm", copy, "-o", copy)
    assert result.exit_code == 2 and copy.read_bytes() == LITELLM.read_bytes()


@pytest.mark.parametrize("tool, body, extra", [
    ("lm-eval", {"results": {"mmlu": {"acc,none": "high"}}}, ["-m", "x", "--checkpoint", "base"]),
    ("litellm", {"m": {"mode": "chat", "litellm_provider": "a", "input_cost_per_token": "cheap"}}, []),
    ("promptfoo", {"results": {"results": [{"provider": "a:b", "success": 1}]}}, ["-m", "x"]),
    ("genai-prices", [{"id": "a", "models": [{"id": "m", "prices": {"input_mtok": "cheap"}}]}], []),
])
def test_a_bad_file_exits_2_naming_file_line_and_field(cli, write, tmp_path, tool, body, extra):
    bad = write("bad.json", json.dumps(body, indent=2))
    result = cli("import", tool, bad, *extra, "-o", tmp_path / "new.yaml")
    assert result.exit_code == 2
    assert f"{bad}:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "new.yaml").exists()


def test_a_missing_file_and_a_bad_id_exit_2(cli, tmp_path):
    assert cli("import", "litellm", tmp_path / "none.json", "-o", tmp_path / "o.yaml").exit_code == 2
    result = cli("import", "lm-eval", LM_EVAL, "-m", "Not An Id", "-o", tmp_path / "o.yaml")
    assert result.exit_code == 2 and "not a catalog id" in result.output


@pytest.mark.parametrize("argv", [["import", "--help"], ["import", "lm-eval", "--help"],
                                  ["import", "litellm", "--help"], ["import", "genai-prices", "--help"],
                                  ["import", "promptfoo", "--help"]])
def test_help(cli, argv):
    result = cli(*argv)
    assert result.exit_code == 0 and "Usage" in result.output


def test_genai_prices_of_a_day_survive_the_round_trip(cli, tmp_path):
    out = tmp_path / "new.yaml"
    result = cli("import", "genai-prices", GENAI, "-m", "acme-chat-large", "--provider", "acme", "--as-of",
                 "2026-09-01", "--checkpoint", "reasoning", "-o", out)
    assert result.exit_code == 0, result.output
    entry = load_catalog(out).models[0]
    assert (entry.pricing.input_per_1m.value, entry.pricing.cached_input_per_1m.value) == (2.5, 0.25)
    assert entry.pricing.input_per_1m.grade == "third-party" and str(entry.pricing.input_per_1m.as_of) == "2026-09-01"
    assert entry.checkpoint.value == "reasoning" and entry.context_window.value == 200_000
    assert "grade third-party" in out.read_text().splitlines()[1]
    early = cli("import", "genai-prices", GENAI, "-m", "acme-chat-large", "--provider", "acme", "--as-of",
                "2026-01-01", "--checkpoint", "instruct", "-o", out)
    assert early.exit_code == 2 and "no model to import" in early.output


def test_genai_prices_snapshot_into_the_bundled_catalog(cli, tmp_path):
    out = tmp_path / "new.yaml"
    result = cli("import", "genai-prices", "--provider", "anthropic", "--as-of", "2026-11-01", "--into", "current",
                 "--checkpoint", "instruct", "-o", out)
    assert result.exit_code == 0, result.output
    assert "facts added to" in result.output and "new entries" in result.output
    assert cli("validate", out).exit_code == 0
    catalog = load_catalog(out)
    assert len(catalog.models) > len(load_catalog(REPO / "catalogs" / "current.yaml").models)
    imported = [m for m in catalog.models if m.vendor == "anthropic"]
    assert imported and all(m.pricing.input_per_1m.grade == "third-party" for m in imported)
    assert "https://github.com/pydantic/genai-prices" in imported[0].pricing.input_per_1m.source
    header = out.read_text().splitlines()[0]
    assert "genai-prices" in header and "snapshot of" in header


def test_genai_prices_new_llms_need_a_checkpoint_and_a_later_day_is_warned(cli, tmp_path):
    out = tmp_path / "new.yaml"
    result = cli("import", "genai-prices", "--provider", "anthropic", "-o", out)
    assert result.exit_code == 2 and "--checkpoint" in result.output and not out.exists()
    later = cli("import", "genai-prices", GENAI, "--provider", "acme", "--as-of", "2999-01-01", "--checkpoint",
                "instruct", "-o", out)
    assert later.exit_code == 0 and "not in it" in later.output
    bad = cli("import", "genai-prices", "--as-of", "tomorrow", "-o", out)
    assert bad.exit_code == 2 and "--as-of" in bad.output
