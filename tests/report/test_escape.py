"""Hostile text in every output sink (issue 14, class 7): one escaping helper per sink.

Catalogs, rubrics and shortlists whose names, vendors, sources, reasons and notes carry rich
markup, ESC/OSC/CSI sequences, line breaks that would start a CI workflow command, formula
prefixes, raw HTML, mentions and remote images. Every sink is checked through the CLI: nothing
crashes, nothing is deleted, nothing reaches the terminal, a spreadsheet, a pull-request comment
or a CI log as anything but text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest

from model_scorecard.report.escape import (
    ZWSP,
    csv_cell,
    html_text,
    json_safe,
    json_safe_bytes,
    markdown_code,
    markdown_text,
    markup_safe,
    rich_text,
    terminal_message,
    terminal_text,
    workflow_data,
    workflow_property,
    xml_text,
)
from tests.htmlcheck import parse_html

# -- the hostile inputs ------------------------------------------------------------------------

MARKUP = "[/] [internal draft] [bold red]fake[/bold red] [link=https://evil.example]x[/link] :smile:"
ANSI = "\x1b[2J\x1b[H\x1b]0;pwned\x07\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \x9b31m\x9d0;t\x9c"
CI = ("line one\n::error file=x.yaml,line=1::injected\r::add-mask::secret\r\n  ::warning::indented "
      "##[error]legacy ##vso[task.setvariable variable=x]y")
HTML = "<img src=x onerror=alert(1)> <script>alert(1)</script> <b>bold</b> &#64;entity"
MD = "@octocat @org/team ![pixel](https://evil.example/p.png) [click](https://evil.example) `tick | pipe #123"
FORMULAS = ('=HYPERLINK("https://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1", " =1+1", "＝1+1")
EVERYTHING = f"{MARKUP} {ANSI} {CI} {HTML} {MD}"
# a reason long enough that any terminal width wraps it, with a would-be command after every word
WRAPPING = " ".join(f"w{i} ::error::wrapped{i}" for i in range(40))

BANDS = "[[95, 5], [75, 4], [55, 3], [35, 2], [15, 1]]"
LAYERS = ("capability", "safety_compliance", "latency_throughput", "cost_to_serve", "operational_maturity",
          "ecosystem_moat")
C0_C1 = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def q(text: str) -> str:
    """A YAML double-quoted scalar holding ``text`` exactly (JSON's escapes are YAML's)."""
    return json.dumps(text)


def hostile_catalog() -> str:
    evil = (
        "  - id: evil\n"
        f"    name: {q('Evil ' + EVERYTHING)}\n"
        f"    vendor: {q(FORMULAS[0])}\n"
        "    kind: llm\n    access: api\n    checkpoint: instruct\n"
        f"    source: {q(MARKUP + ' ' + ANSI)}\n"
        f"    params: {{value: 7B, source: {q(MARKUP + ' ' + CI)}}}\n"
        "    benchmarks:\n"
        + "".join(f"      {lid}: {{value: 55, source: {q(EVERYTHING)}}}\n" for lid in LAYERS)
        + "    red_flags:\n"
        f"      - {{id: deprecated, reason: {q(CI + ' ' + MARKUP + ' ' + HTML)}, source: {q(MD)}}}\n"
        f"      - {{id: custom-flag, title: {q('Title ' + MARKUP + ANSI)}, reason: {q(WRAPPING)}}}\n"
        f"    notes: [{q(MD + ' ' + HTML)}]\n"
    )
    formulas = "".join(
        f"  - id: formula-{i}\n    name: {q(text)}\n    vendor: {q(FORMULAS[-1 - i])}\n    kind: llm\n    access: api\n"
        for i, text in enumerate(FORMULAS))
    return f"schema_version: 1\nname: {q('Catalog ' + EVERYTHING)}\nmodels:\n" + evil + formulas


def hostile_rubric() -> str:
    criteria = "".join(
        f"  {lid}:\n    criteria:\n      - {{id: {lid.replace('_', '-')}, title: {q(lid + ' ' + MARKUP + ANSI)}, "
        f"field: benchmarks.{lid}, better: higher, bands: {BANDS}}}\n" for lid in LAYERS)
    return (f"schema_version: 1\nname: {q('Rubric ' + MARKUP + ANSI + CI)}\ngreen_light: 24\nwalk_away_flags: 2\n"
            "unknown: skip\ndefault_workload: chat\nlayers:\n" + criteria)


def hostile_shortlist() -> str:
    return (f"schema_version: 1\nname: {q('Gate ' + EVERYTHING)}\ncatalog: catalog.yaml\nrubric: rubric.yaml\n"
            "as_of: 2026-11-23\ncandidates:\n"
            f"  - id: evil\n    notes: {q('note ' + EVERYTHING)}\n"
            "  - formula-0\n")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    (tmp_path / "catalog.yaml").write_text(hostile_catalog(), encoding="utf-8")
    (tmp_path / "rubric.yaml").write_text(hostile_rubric(), encoding="utf-8")
    (tmp_path / "shortlist.yaml").write_text(hostile_shortlist(), encoding="utf-8")
    return tmp_path


# -- what "safe" means per sink ----------------------------------------------------------------

def assert_no_crash(result, *codes: int) -> None:
    assert result.exit_code in codes, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


def assert_ci_log_safe(text: str, allowed_commands: int = 0) -> None:
    """No control character reaches the terminal and no line is a CI command: GitHub reads
    ``::cmd`` at the start of a line after leading blanks and ``##[cmd]`` anywhere, Azure ``##vso[``."""
    assert not C0_C1.search(text), repr(C0_C1.search(text))
    assert "\r" not in text
    lowered = text.lower()
    assert "##[" not in lowered and "##vso[" not in lowered
    commands = [line for line in text.split("\n") if line.lstrip().startswith("::")]
    assert len(commands) == allowed_commands, commands
    for line in commands:  # ours: one annotation per failing candidate, well formed
        assert re.match(r"::(error|warning) file=[^,:]+(,line=\d+)?(,title=[^:]*)?::", line), line


def render_markdown(text: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


def assert_markdown_inert(text: str) -> None:
    """Rendered with raw HTML allowed, the Markdown holds no tag of the input, no link or image,
    and no mention or issue reference GitHub would act on."""
    html = render_markdown(text)
    for tag in ("<img", "<script", "<b>", "<a ", "<iframe"):
        assert tag not in html, tag
    plain = unescape(re.sub(r"<[^>]+>", "", html))
    assert not re.search(r"(?<![\w`])@[A-Za-z0-9]", plain)
    assert not re.search(r"#[0-9]", plain)
    assert "\x1b" not in text and "\x07" not in text


# -- the helpers, one per sink -----------------------------------------------------------------

def test_terminal_text_shows_controls_and_breaks_ci_commands():
    out = terminal_text(ANSI + CI)
    assert not C0_C1.search(out) and "\n" not in out and "\r" not in out
    assert "␛[2J" in out and "␇" in out  # visible, not deleted
    assert "::" not in out and "##[" not in out and "##vso[" not in out
    assert out.replace(ZWSP, "").count("::") == CI.count("::")  # only an invisible mark was added
    assert terminal_text("a\u202eb\ud800c") == "a\ufffdb\ufffdc"  # bidi override, lone surrogate
    assert terminal_text(None) == "" and terminal_text(3) == "3"
    assert terminal_text("GPT-4o (2024-08-06) · 128k") == "GPT-4o (2024-08-06) · 128k"


def test_terminal_message_keeps_lines_but_no_line_is_a_command():
    out = terminal_message("error: bad\n::error::x\r\n\tdetail \x1b[31m")
    assert out.split("\n")[0] == "error: bad" and len(out.split("\n")) == 3
    assert all(not line.lstrip().startswith("::") for line in out.split("\n"))
    assert "\x1b" not in out and "\r" not in out and "\tdetail" in out


def test_rich_text_is_never_markup():
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=300, color_system="truecolor", force_terminal=True)
    console.print(rich_text(MARKUP))
    console.print(f"[yellow]{markup_safe(MARKUP)}[/yellow]")
    shown = re.sub(r"\x1b\[[0-9;]*m", "", buffer.getvalue())  # the colours we asked for
    assert shown.count("[/] [internal draft] [bold red]fake[/bold red] [link=https://evil.example]x[/link]") == 2
    assert ":smile:" in shown and "\x1b]8" not in buffer.getvalue()  # no emoji code, no hyperlink


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_cell_keeps_formulas_text(text):
    out = csv_cell(text)
    assert out.startswith("'") and not C0_C1.search(out)


def test_csv_cell_leaves_text_and_numbers_alone():
    assert csv_cell("Llama 3.1 70B") == "Llama 3.1 70B"
    assert csv_cell(-24.0) == -24.0 and csv_cell(None) is None and csv_cell(3) == 3
    assert csv_cell("a\nb\x1b") == "a b␛"
    assert "##[" not in csv_cell("x ##[error]y")


def test_markdown_text_is_inert():
    out = markdown_text(EVERYTHING)
    assert "\n" not in out
    assert_markdown_inert(f"| a |\n|---|\n| {out} |\n\n- **{out}**\n")
    # what GitHub would act on is broken by an invisible mark; the rest reads as written
    assert "@" + ZWSP + "octocat" in out and "#" + ZWSP + "123" in out
    assert unescape(render_markdown(out)).count("[bold red]fake[/bold red]") == 1


def test_markdown_text_keeps_ordinary_text_as_it_was():
    # the bundled reports' wording: comparisons, ampersands, field names (goldens unchanged)
    for text in ("estimated 303.2 ms (roofline, likely) > 300 ms", "Safety & Compliance",
                 "license_terms.commercial_use (unknown)", "a@b"):
        assert markdown_text(text) in (text, "a@" + ZWSP + "b")
    assert markdown_text("x|y") == "x\\|y" and markdown_text("<tags>") == "&lt;tags&gt;"


def test_markdown_code_cannot_be_closed_early():
    assert markdown_code("gpt-4o") == "`gpt-4o`"
    span = markdown_code("a``b`|c\n", in_table=True)
    assert span.startswith("```") and "\n" not in span and "\\|" in span
    assert render_markdown(markdown_code("`x`")).count("<code>") == 1


def test_workflow_values_follow_the_runner_rules():
    assert workflow_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert workflow_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    out = workflow_data(CI + ANSI)
    assert "\n" not in out and "\r" not in out and not C0_C1.search(out)


def test_xml_and_html_text():
    assert xml_text("a\x1bb\x00") == "a\ufffdb\ufffd" and xml_text("a\nb", one_line=True) == "a b"
    out = html_text(EVERYTHING)
    assert "<" not in out and ">" not in out and "\n" not in out and "##[" not in out
    assert unescape(out) == re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "\ufffd", EVERYTHING)


def test_json_safe_changes_no_value():
    doc = {"name": EVERYTHING + "\u202e\u2028", "lone": "\ud800"}
    text = json_safe(json.dumps(doc, ensure_ascii=False))
    assert json.loads(text) == doc
    assert not C0_C1.search(text) and "##[" not in text and "\u2028" not in text
    text.encode("utf-8")  # a lone surrogate no longer stops the write


# -- every sink through the CLI ----------------------------------------------------------------

@pytest.mark.parametrize("columns", ["40", "80", "200"])
def test_rank_table(cli, hostile, columns):
    result = cli("rank", hostile / "catalog.yaml", "--rubric", hostile / "rubric.yaml", env={"COLUMNS": columns})
    assert_no_crash(result, 0)
    assert_ci_log_safe(result.stdout)
    if columns == "200":  # the rubric's name, in the context line, as written
        assert "Rubric [/] [internal draft] [bold red]fake[/bold red]" in result.stdout


def test_rank_csv(cli, hostile):
    result = cli("rank", hostile / "catalog.yaml", "--rubric", hostile / "rubric.yaml", "-f", "csv")
    assert_no_crash(result, 0)
    assert_ci_log_safe(result.stdout)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    for i, text in enumerate(FORMULAS):
        row = rows[f"formula-{i}"]
        assert row["name"].startswith("'") and row["vendor"].startswith("'"), row
        assert float(row["margin"]) < 0 and not row["margin"].startswith("'")  # numbers stay numbers
    assert rows["formula-2"]["name"] == "'-2+3"
    assert rows["evil"]["vendor"] == "'" + FORMULAS[0]
    assert "[internal draft]" in rows["evil"]["name"] and "␛[2J" in rows["evil"]["name"]


def test_rank_markdown(cli, hostile):
    result = cli("rank", hostile / "catalog.yaml", "--rubric", hostile / "rubric.yaml", "-f", "markdown")
    assert_no_crash(result, 0)
    text = result.stdout
    assert_ci_log_safe(text)
    assert_markdown_inert(text)
    head, *rows = [line for line in text.splitlines() if line.startswith("| ")]
    pipes = re.compile(r"(?<!\\)\|")
    assert all(len(pipes.findall(row)) == len(pipes.findall(head)) for row in rows)  # a name adds no column
    assert "[internal draft]" in unescape(render_markdown(text))


def test_rank_json(cli, hostile):
    result = cli("rank", hostile / "catalog.yaml", "--rubric", hostile / "rubric.yaml", "-f", "json")
    assert_no_crash(result, 0)
    doc = json.loads(result.stdout)
    assert "\x1b" not in result.stdout and "\n::" not in result.stdout
    names = {m["id"]: m["name"] for m in doc["models"]}
    assert names["evil"] == "Evil " + EVERYTHING  # the data, exactly


def test_rank_html(cli, hostile):
    result = cli("rank", hostile / "catalog.yaml", "--rubric", hostile / "rubric.yaml", "-f", "html")
    assert_no_crash(result, 0)
    assert_ci_log_safe(result.stdout.replace("\t", " "))
    root = parse_html(result.stdout)
    for tag in ("img", "script", "b"):
        assert not root.all(tag)
    assert "[internal draft]" in root.text() and "@octocat" in root.text()


@pytest.mark.parametrize("columns", ["40", "120", "250"])
def test_show(cli, hostile, columns):
    result = cli("show", hostile / "catalog.yaml", "evil", "--rubric", hostile / "rubric.yaml",
                 env={"COLUMNS": columns})
    assert_no_crash(result, 0)
    assert_ci_log_safe(result.stdout)
    if columns == "250":  # nothing deleted: markup shows as written, controls as symbols
        flat = result.stdout
        assert "Evil [/] [internal draft] [bold red]fake[/bold red]" in flat
        assert "[link=https://evil.example]x[/link]" in flat and "␛]0;pwned␇" in flat
        assert "Title [/] [internal draft]" in flat


def test_sensitivity_and_vram(cli, hostile):
    result = cli("sensitivity", hostile / "catalog.yaml", "--rubric", hostile / "rubric.yaml", "--draws", "50")
    assert_no_crash(result, 0)
    assert_ci_log_safe(result.stdout)
    assert "Rubric [/] [internal draft]" in result.stdout
    vram = cli("vram", "evil", "--catalog", hostile / "catalog.yaml", env={"COLUMNS": "250"})
    assert_no_crash(vram, 0)
    assert_ci_log_safe(vram.stdout)
    assert "[link=https://evil.example]x[/link]" in vram.stdout  # a source, shown, not a hyperlink


@pytest.fixture
def github(hostile, tmp_path, monkeypatch) -> Path:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_WORKSPACE", str(hostile))
    return summary


@pytest.mark.parametrize("columns", ["40", "200"])
def test_gate_table_annotations_and_step_summary(cli, hostile, github, columns):
    result = cli("gate", hostile / "shortlist.yaml", env={"COLUMNS": columns})
    assert_no_crash(result, 1)
    assert_ci_log_safe(result.stdout, allowed_commands=2)  # one annotation per failing candidate
    assert_ci_log_safe(result.stderr)
    summary = github.read_text(encoding="utf-8")
    assert summary.startswith("<!-- model-scorecard:gate -->\n")
    assert_markdown_inert(summary)
    assert "\n::" not in summary and "##[" not in summary
    if columns == "200":
        assert "Gate [/] [internal draft]" in result.stdout


@pytest.mark.parametrize("fmt", ["json", "markdown", "junit", "sarif", "html"])
def test_gate_formats_on_stdout(cli, hostile, github, fmt):
    result = cli("gate", hostile / "shortlist.yaml", "-f", fmt)
    assert_no_crash(result, 1)
    text = result.stdout
    assert_ci_log_safe(text.replace("\t", " "))
    assert_ci_log_safe(result.stderr, allowed_commands=2)  # with a report on stdout the annotations go to stderr
    if fmt == "json":
        assert json.loads(text)["shortlist"]["name"] == "Gate " + EVERYTHING  # the data, exactly
    elif fmt == "sarif":
        messages = [r["message"]["text"] for r in json.loads(text)["runs"][0]["results"]]
        assert any("##[error]legacy" in m for m in messages)  # escaped on the way out, the same once parsed
    elif fmt == "junit":
        suite = ET.fromstring(text).find("testsuite")
        assert suite is not None and suite.get("name", "").startswith("Gate [/] [internal draft]")
    elif fmt == "html":
        root = parse_html(text)
        assert not root.all("img") and not root.all("script")
    else:
        assert_markdown_inert(text)


def test_json_safe_bytes_matches_json_safe():
    doc = {"name": EVERYTHING + "\u202e\u2028\u2066\x7f", "plain": "Llama 3.1 — 70B ✅"}
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    assert json_safe_bytes(text.encode("utf-8")) == json_safe(text).encode("utf-8")
    assert json.loads(json_safe_bytes(text.encode("utf-8"))) == doc


def test_show_hub_and_licence_facts(cli, tmp_path):
    """`show`'s Hub and licence table (report/hubinfo.py) goes through the same helpers."""
    path = tmp_path / "hub.yaml"
    path.write_text("schema_version: 1\nmodels:\n  - id: h\n    name: h\n    vendor: v\n    kind: llm\n"
                    f"    access: api\n    hf_id: org/model\n    license: {{value: {q(MARKUP + ANSI)}, source: {q(MARKUP)}}}\n",
                    encoding="utf-8")
    result = cli("show", path, "h", env={"COLUMNS": "250"})
    assert_no_crash(result, 0)
    assert_ci_log_safe(result.stdout)
    assert "[internal draft]" in result.stdout


def test_markdown_why_section_collapses_each_model_and_keeps_input_out_of_the_html(tmp_path):
    from datetime import date

    from model_scorecard.report.markdown import render
    from model_scorecard.schema.load import load_catalog, load_rubric
    from model_scorecard.scoring import evaluate

    catalog = tmp_path / "c.yaml"
    catalog.write_text("schema_version: 1\nname: t\nmodels:\n  - {id: evil, name: '</summary><img src=x>', "
                       "vendor: V, kind: llm, access: api, checkpoint: instruct}\n")
    text = render(evaluate(load_catalog(catalog), load_rubric("production"), None, date(2026, 12, 5)))
    assert text.count("<details>") == text.count("</details>") == 1
    assert "<img" not in text and text.count("</summary>") == 1


@pytest.mark.parametrize("text", ["plain", "\x7f", "\x85", "\u2028", "\u202e", "\u2066", "##[error]", "##VSO[task]",
                                  "– ≥ · × —", "a" * 10 + "\u2029"])
def test_the_json_prefilter_never_skips_what_the_pattern_would_escape(text):
    from model_scorecard.report.escape import _JSON_UNSAFE_BYTES, _maybe_json_unsafe

    data = ('{"x": "' + text + '"}').encode("utf-8")
    if _JSON_UNSAFE_BYTES.search(data):
        assert _maybe_json_unsafe(data)


def test_the_json_prefilter_is_a_superset_of_the_pattern_on_random_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from model_scorecard.report.escape import _JSON_UNSAFE_BYTES, _maybe_json_unsafe

    alphabet = st.sampled_from(list("ab#[vsoVSO ") + ["\x7f", "\x80", "\x9f", "\xa0", "\u2028", "\u202a", "\u202e",
                                                     "\u202f", "\u2066", "\u2069", "\u206a", "\u2013", "\u00b7"])

    @settings(max_examples=500, deadline=None)
    @given(st.lists(alphabet, max_size=40).map("".join))
    def check(text: str) -> None:
        data = text.encode("utf-8")
        assert not _JSON_UNSAFE_BYTES.search(data) or _maybe_json_unsafe(data)

    check()
