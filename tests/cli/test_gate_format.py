"""`scorecard gate --format`: the result on stdout in any -o format, the exit code unchanged."""

from __future__ import annotations

import json

import pytest

from model_scorecard.report.gatefmt import (
    GATE_FORMATS,
    GateFormat,
    GateView,
    stdout_format,
)
from model_scorecard.report.github import MARKER

from ..conftest import REPO
from ..gatekit import line_of

ALL = "- alpha\n- beta\n- gamma\n- delta\n- epsilon\n- zeta\n- eta\n"
PASSING = "- alpha\n- beta\n"


@pytest.fixture(autouse=True)
def _not_on_github(monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def _on_github(monkeypatch, files, summary=None):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(files.root))
    if summary is None:
        monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    else:
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))


def test_the_choices_are_the_table_and_every_file_format():
    assert [v.value for v in GateView] == ["table", *(f.value for f in GateFormat)]
    assert stdout_format("table") is None and stdout_format(GateView["table"]) is None
    assert all(stdout_format(GateView[f.name]) is f for f in GateFormat)


def test_help_lists_the_formats(cli):
    result = cli("gate", "--help")
    assert result.exit_code == 0 and "--format" in result.stdout
    assert "table|json|markdown|junit|sarif|codequality|html" in result.stdout


@pytest.mark.parametrize("fmt", [f.value for f in GateFormat])
@pytest.mark.parametrize("candidates, code", [(PASSING, 0), (ALL, 1)])
def test_stdout_is_the_file_the_same_format_writes(cli, files, tmp_path, fmt, candidates, code):
    path = files.standard(candidates)
    written = tmp_path / f"result{GATE_FORMATS.formats[GateFormat(fmt)].suffixes[0]}"
    result = cli("gate", path, "--format", fmt, "-o", written)
    assert result.exit_code == code == cli("gate", path).exit_code, result.output
    assert result.stdout_bytes == written.read_bytes() and result.stdout_bytes
    verdict = "gate passed" if code == 0 else "gate FAILED"  # the verdict line is for people: on stderr
    assert result.stderr.strip().splitlines()[-1].startswith(verdict)
    assert f"wrote {written}" in result.stderr


@pytest.mark.parametrize("candidates, args, code", [
    (PASSING, [], 0), (ALL, [], 1), (ALL, ["--fail-on", "never"], 0), (ALL, ["--fail-on", "walk-away"], 1),
    ("- alpha\n- zeta\n", ["--strict"], 1), (PASSING, ["--min-total", "25"], 1),
])
def test_exit_code_is_the_same_whatever_the_format(cli, files, candidates, args, code):
    path = files.standard(candidates)
    codes = {view.value: cli("gate", path, *args, "-f", view.value).exit_code for view in GateView}
    assert set(codes.values()) == {code}, codes


def test_json_on_stdout_is_exactly_the_canonical_artefact(cli, files, tmp_path):
    path = files.standard(ALL)
    result = cli("gate", path, "-f", "json")
    assert result.exit_code == 1
    assert cli("gate", path, "-o", tmp_path / "gate.json").exit_code == 1
    assert result.stdout_bytes == (tmp_path / "gate.json").read_bytes()
    doc = json.loads(result.stdout)  # nothing but the JSON: `| jq` works
    assert doc["passed"] is False
    assert "gate FAILED: 2 of 7 candidate(s) fail: gamma, delta" in result.stderr


def test_table_is_the_default_and_prints_the_verdict_on_stdout(cli, files):
    path = files.standard(ALL)
    plain, table = cli("gate", path), cli("gate", path, "-f", "table")
    assert plain.stdout == table.stdout and plain.exit_code == table.exit_code == 1
    assert table.stdout.strip().splitlines()[-1].startswith("gate FAILED")


def test_short_option_and_a_wrong_choice(cli, files):
    path = files.standard(PASSING)
    assert json.loads(cli("gate", path, "-f", "json").stdout)["passed"] is True
    bad = cli("gate", path, "-f", "csv")
    assert bad.exit_code == 2 and "csv" in bad.output


def test_a_format_other_than_table_needs_a_single_shortlist(cli, files):
    path = files.standard(PASSING)
    other = files.shortlist(PASSING, name="other.yaml")
    result = cli("gate", path, other, "-f", "json")
    assert result.exit_code == 2 and "single shortlist" in result.stderr and result.stdout == ""
    assert cli("gate", path, other, "-f", "table").exit_code == 0


def test_invalid_input_exits_2_with_nothing_on_stdout(cli, files):
    path = files.standard("- alpha\n- id: gamm\n")
    result = cli("gate", path, "-f", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert f"{path}:{line_of(path, 'id: gamm')}:" in result.stderr


def test_under_github_actions_stdout_stays_the_json(cli, files, tmp_path, monkeypatch):
    """Annotations move to stderr (GitHub reads workflow commands there too); the summary is unchanged."""
    path = files.standard("- alpha\n- gamma\n- id: beta\n  min_total: 25\n")
    table_summary, json_summary = tmp_path / "table.md", tmp_path / "json.md"
    _on_github(monkeypatch, files, table_summary)
    table = cli("gate", path)
    _on_github(monkeypatch, files, json_summary)
    printed = cli("gate", path, "-f", "json", "-o", tmp_path / "gate.json")
    assert table.exit_code == printed.exit_code == 1
    assert printed.stdout_bytes == (tmp_path / "gate.json").read_bytes()
    json.loads(printed.stdout)
    assert "::error" not in printed.stdout
    table_errors = [ln for ln in table.stdout.splitlines() if ln.startswith("::error ")]
    json_errors = [ln for ln in printed.stderr.splitlines() if ln.startswith("::error ")]
    assert table_errors == json_errors and len(json_errors) == 2
    assert json_errors[0].startswith(f"::error file=shortlist.yaml,line={line_of(path, '- gamma')},")
    assert json_summary.read_text(encoding="utf-8") == table_summary.read_text(encoding="utf-8")
    assert json_summary.read_text(encoding="utf-8").startswith(MARKER)
    # --no-github still turns it all off
    quiet = cli("gate", path, "-f", "json", "--no-github")
    assert "::error" not in quiet.output and json_summary.read_text(encoding="utf-8").count(MARKER) == 1


def test_invalid_input_under_github_actions_is_annotated_on_stderr(cli, files, monkeypatch):
    _on_github(monkeypatch, files)
    path = files.standard("- nobody\n")
    result = cli("gate", path, "-f", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert f"::error file=shortlist.yaml,line={line_of(path, 'nobody')},col=" in result.stderr


def test_stdout_uses_the_same_renderers_as_files(cli, files, monkeypatch):
    """One format table: swapping a renderer in GATE_FORMATS changes what -f prints and -o writes."""
    from model_scorecard.report import gatefmt
    from model_scorecard.report.formats import OutputFormat

    path = files.standard(PASSING)
    monkeypatch.setitem(gatefmt.GATE_FORMATS.formats, GateFormat.markdown,
                        OutputFormat(lambda result: f"stub {result.name}\n", (".md",)))
    result = cli("gate", path, "-f", "markdown", "-o", files.root / "gate.md")
    assert result.exit_code == 0 and result.stdout == "stub test shortlist\n"
    assert (files.root / "gate.md").read_text(encoding="utf-8") == result.stdout


def test_docs_name_every_format_choice():
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    section = text[text.index("## Outputs"):text.index("## GitHub Actions")]
    assert "`--format`/`-f`" in section and all(f"`{v.value}`" in section for v in GateView)
    assert "-f json" in (REPO / "README.md").read_text(encoding="utf-8")
