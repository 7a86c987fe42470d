"""The command line through typer's CliRunner: exit codes, formats, files, errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from model_scorecard.report import RENDERERS, Format

from ..conftest import GOLDEN, REPO

DAY = "2026-11-23"
TEAM = REPO / "examples" / "team-catalog.yaml"


def test_rank_default_catalog_and_rubric(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # bundled defaults work from any directory
    result = cli("rank", "--as-of", DAY)
    assert result.exit_code == 0, result.output
    assert "claude-opus-5-5" in result.stdout and "gpt-oss-120b" in result.stdout  # the current catalog
    result = cli("rank", "roadmap-2024", "--as-of", DAY)  # a bundled catalog by name, from anywhere
    assert result.exit_code == 0 and "falcon-180b" in result.stdout


def test_json_is_canonical_and_byte_identical(cli):
    first = cli("rank", TEAM, "--format", "json", "--as-of", DAY)
    second = cli("rank", TEAM, "--format", "json", "--as-of", DAY)
    assert first.exit_code == 0 and first.stdout == second.stdout
    doc = json.loads(first.stdout)
    assert doc["schema_version"] == 2 and doc["rubric"]["name"] == "production" and doc["rubric"]["green_light"] == 24
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
    rows = len(json.loads(cli("rank", "--as-of", DAY, "-f", "json").stdout)["models"])
    assert f"top 3 of {rows} models" in top.stdout and "top 3 of" not in full.stdout
    first_rows = [line.split()[1] for line in top.stdout.splitlines() if line.strip()[:2] in ("1 ", "2 ", "3 ")]
    assert len(first_rows) == 3
    assert len(json.loads(cli("rank", "--as-of", DAY, "--top", "3", "-f", "json").stdout)["models"]) == rows


def test_json_criteria_are_compact_and_complete(cli):
    doc = json.loads(cli("rank", "--format", "json", "--as-of", DAY).stdout)
    info = {c["id"]: c for c in doc["rubric"]["criteria"]}
    for m in doc["models"]:
        assert [c["id"] for c in m["criteria"]] == list(info)  # every criterion, in rubric order
        for c in m["criteria"]:
            assert set(c) <= {"id", "status", "score", "field", "value", "source", "as_of", "computed", "basis", "reason"}
            assert (c["score"] is None) == (c["status"] in ("unknown", "context", "shown", "not-applicable"))
            if "field" in c:  # only when a fallback, not the rubric's own field, supplied the evidence
                assert c["field"] != info[c["id"]]["field"]


def test_csv_one_row_per_model(cli):
    result = cli("rank", TEAM, "-f", "csv", "--as-of", DAY)
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("rank,id,name,vendor,kind,deployment,verdict,capability,")
    assert len(lines) == 1 + 3


@pytest.mark.parametrize("fmt", ["json", "markdown", "html"])
def test_golden_reports(cli, fmt, update_goldens):
    """The bundled 2024 catalog with its rubric, ranked on a fixed day. Regenerate with `pytest --update-goldens`
    in a fresh process."""
    result = cli("rank", "roadmap-2024", "--rubric", "roadmap-2024", "-f", fmt, "--as-of", DAY)
    assert result.exit_code == 0
    golden = GOLDEN / f"roadmap-2024.{ {'json': 'json', 'markdown': 'md', 'html': 'html'}[fmt]}"
    # the charts are matplotlib's drawing, whose bytes move with its releases: tests/report/test_charts.py
    # checks what they show; the golden holds the page around them
    out = re.sub(r'<figure class="chart">.*?</figure>', '<figure class="chart">(chart)</figure>', result.stdout,
                 flags=re.S)
    if update_goldens:
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


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


@pytest.mark.parametrize("name, fmt", [("r.json", "json"), ("r.csv", "csv"), ("r.md", "markdown"),
                                       ("r.markdown", "markdown"), ("r.html", "html"), ("R.HTM", "html"),
                                       ("r.txt", "table"), ("r", "table")])
def test_output_extension_picks_the_format(cli, tmp_path, name, fmt):
    out = tmp_path / name
    result = cli("rank", TEAM, "--as-of", DAY, "-o", out)
    assert result.exit_code == 0 and f"wrote {out}" in result.stderr
    if fmt == "table":  # the plain table, as `-f table -o FILE` writes it (stdout has the rich one)
        plain = tmp_path / "plain.txt"
        assert cli("rank", TEAM, "--as-of", DAY, "-f", "table", "-o", plain).exit_code == 0
        assert out.read_bytes() == plain.read_bytes()
    else:
        assert out.read_bytes() == cli("rank", TEAM, "--as-of", DAY, "-f", fmt).stdout_bytes


def test_format_option_wins_over_the_extension(cli, tmp_path):
    out = tmp_path / "report.html"
    assert cli("rank", TEAM, "--as-of", DAY, "-f", "json", "-o", out).exit_code == 0
    assert json.loads(out.read_text())["models"]


def test_every_format_has_an_extension_and_the_tables_agree():
    from model_scorecard.report import FORMATS, format_for
    from model_scorecard.report.gatefmt import GATE_FORMATS, GateFormat

    assert {fmt for _, fmt in FORMATS.suffixes} == set(Format)
    assert format_for("x.html") is Format.html and format_for("x") is Format.table
    # one mechanism for both commands: the formats they share answer to the same extensions
    shared = {f.value for f in Format} & {f.value for f in GateFormat}
    assert shared == {"json", "markdown", "html"}
    for value in shared:
        assert FORMATS.formats[Format(value)].suffixes == GATE_FORMATS.formats[GateFormat(value)].suffixes


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
    from model_scorecard.cli.schema import SchemaKind

    for kind in (k.value for k in SchemaKind):
        result = cli("schema", kind)
        assert result.exit_code == 0
        committed = REPO / "docs" / "schema" / f"{kind}.schema.json"
        if update_goldens:
            committed.parent.mkdir(parents=True, exist_ok=True)
            committed.write_text(result.stdout, encoding="utf-8")
        assert json.loads(result.stdout)["title"]
        assert result.stdout == committed.read_text(encoding="utf-8"), "run pytest --update-goldens"


def test_the_shortlist_schema_accepts_the_examples_and_rejects_a_typo():
    jsonschema = pytest.importorskip("jsonschema")
    from model_scorecard.schema.yamlio import load_file

    schema = json.loads((REPO / "docs" / "schema" / "shortlist.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    examples = sorted((REPO / "examples").glob("shortlist*.yaml"))
    assert len(examples) == 2
    for path in examples:
        assert list(validator.iter_errors(load_file(path).data)) == [], path
    bad = {"schema_version": 1, "catalog": "c.yaml", "candidates": ["Not A Slug", {"id": "x", "min_totl": 3}]}
    assert len(list(validator.iter_errors(bad))) == 2


def test_schema_shortlist_and_validate_help(cli):
    result = cli("schema", "shortlist")
    assert result.exit_code == 0 and json.loads(result.stdout)["title"] == "Shortlist"
    help_text = cli("validate", "--help").stdout
    assert "shortlist" in help_text and "candidates:" in help_text


def test_every_format_has_a_renderer():
    assert set(RENDERERS) == set(Format)


def test_version_and_help(cli):
    assert cli("--version").stdout.startswith("model-scorecard ")
    for command in ("rank", "show", "validate", "schema", "gate"):
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
    assert "model_scorecard.report.html" not in modules and "model_scorecard.report.csvfmt" not in modules


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "model_scorecard", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("model-scorecard")


@pytest.mark.parametrize("command", [["rank"], ["sensitivity", "--draws", "10"]])
def test_an_unknown_output_extension_is_refused_with_the_known_ones(cli, tmp_path, command):
    done = cli(*command, "-o", tmp_path / "report.xlsx")
    assert done.exit_code == 2 and ".json" in done.output
    assert not (tmp_path / "report.xlsx").exists()
    plain = cli(*command, "-o", tmp_path / "report")  # no extension: the plain table
    assert plain.exit_code == 0 and (tmp_path / "report").read_text().strip()


@pytest.mark.parametrize("args", [["rank"], ["vram", "70B"], ["rank", "-f", "json"]])
def test_a_closed_pipe_is_a_normal_end(args):
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "model_scorecard", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()  # the reader leaves, as `| head -1` does
    assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""


def test_short_version_flag(cli):
    done = cli("-V")
    assert done.exit_code == 0 and done.stdout.startswith("model-scorecard ")


@pytest.mark.parametrize("shell, word, expected", [("bash", "vr", "vram"), ("zsh", "fine", "finetune"),
                                                   ("fish", "adv", "advise")])
def test_completion_completes_commands_in_each_shell(shell, word, expected):
    import os
    import subprocess
    import sys

    env = {**os.environ, "_SCORECARD_COMPLETE": f"complete_{shell}", "COMP_WORDS": f"scorecard {word}",
           "COMP_CWORD": "1", "_TYPER_COMPLETE_ARGS": f"scorecard {word}", "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    done = subprocess.run([sys.executable, "-c", "import sys; sys.argv[0] = 'scorecard'; "
                           "from model_scorecard.cli import main; main()"], env=env, capture_output=True, text=True)
    assert expected in done.stdout, (done.stdout, done.stderr)


def test_the_package_ships_py_typed():
    from importlib.resources import files

    assert files("model_scorecard").joinpath("py.typed").is_file()
