"""`scorecard gate` through CliRunner: exit codes, the verdict line, outputs by extension."""

from __future__ import annotations

import json

import pytest

from model_scorecard.errors import HubUnavailable, UserError
from model_scorecard.report.gatefmt import (
    GATE_RENDERERS,
    SUFFIXES,
    GateFormat,
    format_for,
)

from ..conftest import REPO
from ..gatekit import line_of, model

ALL = "- alpha\n- beta\n- gamma\n- delta\n- epsilon\n- zeta\n- eta\n"


@pytest.fixture(autouse=True)
def _not_on_github(monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.mark.parametrize("candidates, args, code, verdict", [
    ("- alpha\n- beta\n", [], 0, "gate passed: all 2 candidate(s) pass"),
    (ALL, [], 1, "gate FAILED: 2 of 7 candidate(s) fail: gamma, delta"),
    (ALL, ["--fail-on", "walk-away"], 1, "gate FAILED: 1 of 7 candidate(s) fail: delta"),
    ("- alpha\n- gamma\n", ["--fail-on", "walk-away"], 0, "gate passed"),
    (ALL, ["--fail-on", "never"], 0, "gate passed (report only, --fail-on never): 2 of 7 candidate(s) would fail"),
    ("- alpha\n- zeta\n", ["--strict"], 1, "gate FAILED: 1 of 2 candidate(s) fail: zeta"),
    ("- alpha\n- beta\n", ["--min-total", "25"], 1, "fail: beta"),
])
def test_exit_code_and_printed_verdict_agree(cli, files, candidates, args, code, verdict):
    result = cli("gate", files.standard(candidates), *args)
    assert result.exit_code == code, result.output
    assert verdict in result.stdout
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("gate passed" if code == 0 else "gate FAILED")


def test_invalid_shortlist_exits_2_with_file_line(cli, files):
    path = files.standard("- alpha\n- id: gamm\n")
    result = cli("gate", path)
    assert result.exit_code == 2
    assert f"{path}:{line_of(path, 'id: gamm')}:" in result.stderr and "no model 'gamm'" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args, message", [
    (["--fail-on", "sometimes"], "sometimes"),
    (["--min-total", "31"], "--min-total"),
    (["--tolerance", "-1"], "--tolerance"),
    (["--as-of", "tomorrow"], "not a date"),
    (["-o", "result.txt"], "cannot tell the format"),
    (["--baseline", "absent.json"], "baseline file not found"),
])
def test_usage_errors_exit_2(cli, files, args, message):
    result = cli("gate", files.standard("- alpha\n"), *args)
    assert result.exit_code == 2 and message in result.output


def test_missing_shortlist_exits_2(cli, tmp_path):
    result = cli("gate", tmp_path / "nope.yaml")
    assert result.exit_code == 2 and "file not found" in result.stderr


def test_hub_unreachable_exits_4(cli, files, monkeypatch):
    def offline(*args, **kwargs):
        raise HubUnavailable("the Hugging Face Hub could not be reached and nothing is cached")

    monkeypatch.setattr("model_scorecard.scoring.evaluate", offline)
    result = cli("gate", files.standard("- alpha\n"))
    assert result.exit_code == 4 and "Hugging Face Hub" in result.stderr
    assert "gate passed" not in result.stdout and "gate FAILED" not in result.stdout


def test_a_bug_exits_3_without_a_traceback(cli, files, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("model_scorecard.scoring.evaluate", broken)
    monkeypatch.delenv("SCORECARD_DEBUG", raising=False)
    result = cli("gate", files.standard("- alpha\n"))
    assert result.exit_code == 3 and "internal error" in result.stderr and "Traceback" not in result.output


def test_interrupted_exits_130(cli, files, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("model_scorecard.scoring.evaluate", interrupted)
    result = cli("gate", files.standard("- alpha\n"))
    assert result.exit_code == 130 and "interrupted" in result.stderr


def test_json_is_byte_identical_across_identical_runs(cli, files, tmp_path):
    path = files.standard(ALL)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert cli("gate", path, "-o", first).exit_code == 1
    assert cli("gate", path, "-o", second).exit_code == 1
    assert first.read_bytes() == second.read_bytes()
    # with no as_of anywhere the day is today's: still no timestamps, so still identical
    undated = files.shortlist(ALL, name="undated.yaml", as_of=None)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    cli("gate", undated, "--as-of", "2026-01-05", "-o", a)
    cli("gate", undated, "--as-of", "2026-01-05", "-o", b)
    assert a.read_bytes() == b.read_bytes() and json.loads(a.read_text())["evaluated_on"] == "2026-01-05"


def test_every_output_format_by_extension(cli, files, tmp_path):
    path = files.standard(ALL)
    names = ["r.json", "r.md", "r.junit.xml", "r.sarif", "r.sarif.json", "r.html"]
    result = cli("gate", path, *(x for n in names for x in ("-o", tmp_path / n)))
    assert result.exit_code == 1
    for n in names:
        assert (tmp_path / n).stat().st_size > 0 and f"wrote {tmp_path / n}" in result.stderr
    assert json.loads((tmp_path / "r.sarif.json").read_text())["version"] == "2.1.0"
    assert (tmp_path / "r.md").read_text().startswith("<!-- model-scorecard:gate -->")
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("name, fmt", [
    ("gate.json", GateFormat.json), ("GATE.JSON", GateFormat.json), ("gate.md", GateFormat.markdown),
    ("gate.markdown", GateFormat.markdown), ("gate.junit.xml", GateFormat.junit), ("gate.xml", GateFormat.junit),
    ("gate.sarif", GateFormat.sarif), ("gate.sarif.json", GateFormat.sarif), ("gate.html", GateFormat.html),
    ("out/gate.htm", GateFormat.html),
])
def test_the_extension_picks_the_format(name, fmt):
    assert format_for(name) is fmt


def test_an_unknown_extension_names_the_known_ones():
    with pytest.raises(UserError) as caught:
        format_for("gate.txt")
    assert ".junit.xml" in caught.value.hint and ".html" in caught.value.hint


def test_every_format_has_a_renderer_and_an_extension():
    assert set(GATE_RENDERERS) == set(GateFormat)
    assert {fmt for _, fmt in SUFFIXES} == set(GateFormat)
    assert [len(s) for s, _ in SUFFIXES] == sorted((len(s) for s, _ in SUFFIXES), reverse=True)  # longest first


def test_outputs_never_overwrite_an_input(cli, files):
    path = files.standard("- alpha\n")
    before = (files.root / "catalog.yaml").read_text()
    result = cli("gate", path, "-o", files.root / "catalog.yaml.json", "-o", files.root / "rubric.yaml")
    assert result.exit_code == 2
    assert (files.root / "catalog.yaml").read_text() == before


def test_baseline_regression_fails_and_improvement_passes(cli, files, tmp_path):
    files.rubric()
    files.catalog(model("alpha", 95) + model("beta", 75))
    path = files.shortlist("- alpha\n- beta\n")
    base = tmp_path / "base.json"
    assert cli("gate", path, "-o", base).exit_code == 0
    # beta's capability falls from 4 to 3 (total 24 → 23): a regression
    files.catalog(model("alpha", 95) + model("beta", 75, overrides={"capability": 55, "cap2": 55}))
    result = cli("gate", path, "--baseline", base, "--fail-on", "never")
    assert result.exit_code == 0 and "would fail" in result.stdout
    result = cli("gate", path, "--baseline", base, "--fail-on", "walk-away")
    assert result.exit_code == 1
    assert "[baseline/total-drop] total 24 → 23 (-1; tolerance 0)" in result.stdout
    assert "[baseline/verdict-worse] verdict green-light → not-green" in result.stdout
    assert "Capability 4.0 → 3.0" in result.stdout  # layer by layer
    assert cli("gate", path, "--baseline", base, "--fail-on", "walk-away", "--tolerance", "1").exit_code == 1
    # an improvement passes; the baseline is an input of the run, so -o never replaces it
    files.catalog(model("alpha", 95) + model("beta", 95))
    before = base.read_bytes()
    refused = cli("gate", path, "--baseline", base, "-o", base)
    assert refused.exit_code == 2 and "input of this run" in refused.stderr and base.read_bytes() == before
    result = cli("gate", path, "--baseline", base, "-o", tmp_path / "next.json")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "next.json").read_text())["candidates"][1]["baseline"]["delta"] == 6


def test_several_shortlists_one_verdict_each(cli, files):
    good = files.standard("- alpha\n", name="good-shortlist.yaml")
    bad = files.shortlist("- gamma\n", name="bad-shortlist.yaml")
    result = cli("gate", good, bad)
    assert result.exit_code == 1
    assert "gate passed" in result.stdout and "gate FAILED: 1 of 1 candidate(s) fail: gamma" in result.stdout
    assert cli("gate", good, bad, "-o", files.root / "x.json").exit_code == 2


def test_bundled_example_shortlist_passes(cli, tmp_path):
    """The README's example: a gate that passes (exit 0), pinned to its as_of."""
    out = tmp_path / "example.json"
    result = cli("gate", REPO / "examples" / "shortlist.yaml", "-o", out)
    doc = json.loads(out.read_text())
    assert result.exit_code == 0, result.output
    assert doc["passed"] and result.stdout.strip().splitlines()[-1].startswith("gate passed")
    assert [c["id"] for c in doc["candidates"]] == ["llama-3.1-8b", "llama-3.2-3b"]
    assert doc["evaluated_on"] == "2026-11-23" and doc["evaluated_on_from"] == "shortlist"


def test_bundled_failing_example_fails_for_the_reasons_it_states(cli, tmp_path):
    path = REPO / "examples" / "shortlist-failing.yaml"
    out = tmp_path / "failing.json"
    result = cli("gate", path, "-o", out)
    assert result.exit_code == 1, result.output
    assert "gate FAILED: 3 of 3 candidate(s) fail: llama-3.1-70b, llama-3.1-8b, falcon-180b" in result.stdout
    doc = json.loads(out.read_text())
    failing = {c["id"]: sorted(f["rule"] for f in c["findings"] if f["fails"]) for c in doc["candidates"]}
    assert failing == {"llama-3.1-70b": ["gate/min-total", "gate/not-green"], "llama-3.1-8b": ["gate/layer-minimum"],
                       "falcon-180b": ["gate/walk-away", "red-flag/checkpoint-mismatch",
                                       "red-flag/hosting-restricted"]}
    seventy = next(c for c in doc["candidates"] if c["id"] == "llama-3.1-70b")
    assert any("First token" in f["message"] for f in seventy["findings"])
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[doc["candidates"][2]["line"] - 1].strip() == "- falcon-180b"  # reported at its line
    assert cli("gate", path, "--fail-on", "never").exit_code == 0


def test_validate_accepts_shortlists(cli, files):
    good = files.standard("- alpha\n")
    result = cli("validate", good)
    assert result.exit_code == 0 and "(shortlist)" in result.stdout
    bad = files.shortlist("- alpha\n- nobody\n", name="bad.yaml")
    result = cli("validate", bad)
    assert result.exit_code == 2 and f"{bad}:{line_of(bad, 'nobody')}:" in result.stderr


def test_docs_list_exactly_the_gate_output_extensions():
    """docs/ci.md's Outputs table names every extension the gate knows, and no other."""
    import re

    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    section = text[text.index("## Outputs"):text.index("## GitHub Actions")]
    rows = [line for line in section.splitlines() if line.startswith("| `.") or line.startswith("| `-")]
    documented = {ext for row in rows for ext in re.findall(r"`([.-][a-z.-]+)`", row.split("|")[1])}
    assert documented == {s for s, _ in SUFFIXES}
