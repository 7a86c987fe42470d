"""The command line through typer's CliRunner: exit codes, formats, files, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from model_scorecard.report import RENDERERS, Format

from ..conftest import GOLDEN, REPO

DAY = "2026-11-23"
TEAM = REPO / "examples" / "team-catalog.yaml"


def test_rank_default_catalog_and_rubric(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # bundled defaults work from any directory
    result = cli("rank", "--as-of", DAY)
    assert result.exit_code == 0, result.output
    assert "falcon-180b" in result.stdout and "gpt-3.5-turbo-0301" in result.stdout


def test_json_is_canonical_and_byte_identical(cli):
    first = cli("rank", TEAM, "--format", "json", "--as-of", DAY)
    second = cli("rank", TEAM, "--format", "json", "--as-of", DAY)
    assert first.exit_code == 0 and first.stdout == second.stdout
    doc = json.loads(first.stdout)
    assert doc["schema_version"] == 1 and doc["rubric"]["name"] == "production" and doc["rubric"]["green_light"] == 24
    m = doc["models"][0]
    for key in ("id", "name", "verdict", "total", "pessimistic_total", "confidence", "margin", "layers", "red_flags", "criteria"):
        assert key in m
    assert list(m["layers"]) == ["capability", "safety_compliance", "latency_throughput", "cost_to_serve",
                                 "operational_maturity", "ecosystem_moat"]
    totals = [x["total"] for x in doc["models"]]
    assert totals == sorted(totals, reverse=True)


def test_terminal_table_shows_the_top_n_and_says_so(cli):
    full = cli("rank", "--as-of", DAY)
    top = cli("rank", "--as-of", DAY, "--top", "3")
    assert top.exit_code == 0
    assert "top 3 of 30 models" in top.stdout and "top 3 of" not in full.stdout
    first_rows = [line.split()[1] for line in top.stdout.splitlines() if line.strip()[:2] in ("1 ", "2 ", "3 ")]
    assert len(first_rows) == 3
    assert len(json.loads(cli("rank", "--as-of", DAY, "--top", "3", "-f", "json").stdout)["models"]) == 30


def test_json_criteria_are_compact_and_complete(cli):
    doc = json.loads(cli("rank", "--format", "json", "--as-of", DAY).stdout)
    info = {c["id"]: c for c in doc["rubric"]["criteria"]}
    for m in doc["models"]:
        assert [c["id"] for c in m["criteria"]] == list(info)  # every criterion, in rubric order
        for c in m["criteria"]:
            assert set(c) <= {"id", "status", "score", "field", "value", "source", "as_of", "computed", "reason"}
            assert (c["score"] is None) == (c["status"] in ("unknown", "not-applicable"))
            if "field" in c:  # only when a fallback, not the rubric's own field, supplied the evidence
                assert c["field"] != info[c["id"]]["field"]


def test_csv_one_row_per_model(cli):
    result = cli("rank", TEAM, "-f", "csv", "--as-of", DAY)
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("rank,id,name,vendor,kind,access,verdict,capability,")
    assert len(lines) == 1 + 3


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_golden_reports(cli, fmt, update_goldens):
    """The bundled catalog, ranked on a fixed day. Regenerate with `pytest --update-goldens`."""
    result = cli("rank", "-f", fmt, "--as-of", DAY)
    assert result.exit_code == 0
    golden = GOLDEN / f"roadmap-2024.{ 'json' if fmt == 'json' else 'md'}"
    if update_goldens:
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_output_file_is_written_atomically_and_inputs_are_protected(cli, tmp_path):
    catalog = tmp_path / "c.yaml"
    catalog.write_bytes(TEAM.read_bytes())
    out = tmp_path / "report.json"
    result = cli("rank", catalog, "-f", "json", "-o", out, "--as-of", DAY)
    assert result.exit_code == 0 and json.loads(out.read_text())["models"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left
    before = catalog.read_bytes()
    clash = cli("rank", catalog, "-f", "json", "-o", catalog)
    assert clash.exit_code == 2 and "refusing to write" in clash.stderr
    assert catalog.read_bytes() == before


def test_show_one_model(cli):
    result = cli("show", TEAM, "gpt-5", "--as-of", DAY)
    assert result.exit_code == 0
    assert "Deprecated or retired" in result.stdout and "computed.usd_per_1k_tokens" in result.stdout
    as_json = json.loads(cli("show", TEAM, "gpt-5", "-f", "json", "--as-of", DAY).stdout)
    [model] = as_json["models"]
    assert model["id"] == "gpt-5" and any(c["id"] == "usd-per-1k-tokens" for c in model["criteria"])
    info = {c["id"]: c for c in as_json["rubric"]["criteria"]}
    assert info["usd-per-1k-tokens"]["layer"] == "cost_to_serve" and info["usd-per-1k-tokens"]["title"]
    missing = cli("show", TEAM, "gpt-55")
    assert missing.exit_code == 2 and "no model 'gpt-55'" in missing.stderr and "did you mean 'gpt-5'" in missing.stderr


def test_validate_reports_every_problem_of_every_file(cli, write):
    good = write("good.yaml", TEAM.read_text())
    bad1 = write("bad1.yaml", "schema_version: 1\nmodels:\n  - {id: x, name: X, vendor: V, kind: llm, access: api, parms: 7B}\n")
    bad2 = write("bad2.yaml", "schema_version: 1\nname: r\nextends: production\ngreen_lite: 20\n")
    result = cli("validate", good, bad1, bad2, REPO / "rubrics" / "production.yaml")
    assert result.exit_code == 2
    assert f"ok      {good} (catalog)" in result.stdout
    line = "  - {id: x, name: X, vendor: V, kind: llm, access: api, parms: 7B}"
    assert f"{bad1}:3:{line.index('parms') + 1}: models[0].parms: unknown field 'parms'; did you mean 'params'?" in result.stderr
    assert f"{bad2}:4:1: green_lite: unknown field 'green_lite'; did you mean 'green_light'?" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00", b"a: [1, 2\n", b"- just\n- a list\n",
                                     b"x: !!python/object/new:os.system [echo pwned]\n"])
def test_bad_input_exits_2_without_traceback(cli, write, content):
    path = write("bad.yaml", content)
    result = cli("rank", path)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and str(path) in result.stderr
    assert "Traceback" not in result.output


def test_usage_errors_exit_2(cli):
    assert cli("rank", TEAM, "--format", "yaml").exit_code == 2
    assert cli("rank", TEAM, "--as-of", "yesterday").exit_code == 2
    assert cli("rank", TEAM, "--workload", "chatt").exit_code == 2
    assert cli("nonsense").exit_code == 2


def test_internal_errors_exit_3_with_a_plain_message(cli, monkeypatch):
    import model_scorecard.scoring as scoring

    def boom(*a, **k):
        raise RuntimeError("kaput")

    monkeypatch.setattr(scoring, "evaluate", boom)
    result = cli("rank", TEAM)
    assert result.exit_code == 3 and "internal error: RuntimeError: kaput" in result.stderr
    assert "SCORECARD_DEBUG=1" in result.stderr


def test_interrupt_exits_130(cli, monkeypatch):
    import model_scorecard.scoring as scoring

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(scoring, "evaluate", interrupted)
    assert cli("rank", TEAM).exit_code == 130


def test_schema_command_matches_the_committed_schemas(cli, update_goldens):
    for kind in ("catalog", "rubric", "workload"):
        result = cli("schema", kind)
        assert result.exit_code == 0
        committed = REPO / "docs" / "schema" / f"{kind}.schema.json"
        if update_goldens:
            committed.parent.mkdir(parents=True, exist_ok=True)
            committed.write_text(result.stdout, encoding="utf-8")
        assert json.loads(result.stdout)["title"]
        assert result.stdout == committed.read_text(encoding="utf-8"), "run pytest --update-goldens"


def test_every_format_has_a_renderer():
    assert set(RENDERERS) == set(Format)


def test_version_and_help(cli):
    assert cli("--version").stdout.startswith("model-scorecard ")
    for command in ("rank", "show", "validate", "schema"):
        result = cli(command, "--help")
        assert result.exit_code == 0 and "Example: scorecard" in result.stdout


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True, env={**os.environ, "COLUMNS": "200"})
    return set(out.stdout.split())


@pytest.mark.parametrize("argv", [["--help"], ["rank", "--as-of", DAY]])
def test_help_and_rank_do_not_import_pandas(argv):
    code = ("import sys\nfrom model_scorecard.cli import app\n"
            f"try:\n    app({argv!r}, prog_name='scorecard')\nexcept SystemExit as e:\n    assert e.code == 0, e.code")
    modules = _modules_after(code)
    assert "pandas" not in modules and "huggingface_hub" not in modules


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "model_scorecard", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("model-scorecard")
