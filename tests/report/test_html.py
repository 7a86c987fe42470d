"""The HTML ranking: one self-contained, well-formed page, everything from the inputs escaped."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from model_scorecard import evaluate, load_catalog, load_rubric, load_workload
from model_scorecard.report import Format, render, render_bytes
from model_scorecard.report.html import render as render_html
from model_scorecard.schema.rubric import LAYER_IDS

from ..conftest import REPO


def anchor(key: str) -> str:
    """The id a row key gets in the page: characters outside a slug ('@') become '_'."""
    return "model-" + key.replace("@", "_")
from ..htmlcheck import assert_self_contained, parse_html

DAY = date(2026, 11, 23)
HOSTILE_NAME = "<script>alert('name')</script> & \"Co\" 'x'"
HOSTILE_VENDOR = "<img src=x onerror=alert(1)>"
HOSTILE_FLAG = "Title with <i>tags</i> & \"quotes\""
HOSTILE_REASON = "<a href='https://evil.example/'>click</a> & </details></td></table> <!-- -->"
HOSTILE_SOURCE = "https://example.org/?a=1&b=<2>\" onmouseover=\"alert(1)"
CONTROL_REASON = "<b>shipped</b> \x01 & fine"
q = json.dumps  # a JSON string is a YAML double-quoted scalar

HOSTILE = f"""\
schema_version: 1
name: {q("Team <b>catalog</b> & co")}
models:
  - id: evil
    name: {q(HOSTILE_NAME)}
    vendor: {q(HOSTILE_VENDOR)}
    kind: llm
    access: api
    license_terms: {{hosting_for_third_parties: false}}
    red_flags:
      - id: hidden-training-data-x
        title: {q(HOSTILE_FLAG)}
        reason: {q(HOSTILE_REASON)}
    assessments:
      - criterion: reviewer-fit
        score: 4
        reason: {q(CONTROL_REASON)}
        reviewer: "<eve@example.org>"
        date: 2024-05-01
    compliance:
      soc2_type2: {{value: true, source: {q(HOSTILE_SOURCE)}, as_of: 2024-04}}
  - id: plain
    name: plain
    vendor: Acme
    kind: llm
    access: api
"""


def _report(path="roadmap-2024"):
    rubric = load_rubric("roadmap-2024")
    return evaluate(load_catalog(path), rubric, load_workload("chat"), DAY)


@pytest.fixture(scope="module")
def bundled():
    report = _report()
    return report, render_html(report)


def test_the_page_is_well_formed_and_self_contained(bundled):
    report, text = bundled
    root = parse_html(text)  # every element closed, properly nested, a doctype
    assert_self_contained(root)
    assert text.startswith("<!DOCTYPE html>\n") and text.endswith("</html>\n")
    assert len(root.all("style")) == 1 and root.one("html").attrs["lang"] == "en"
    assert any(m.attrs.get("charset") == "utf-8" for m in root.iter("meta"))
    assert root.one("title").text() == report.catalog_name == "roadmap-2024"


def test_the_ranking_table_has_a_row_per_model_in_rank_order(bundled):
    report, text = bundled
    root = parse_html(text)
    table = root.one("table", "ranking")
    head = [th.text() for th in table.one("thead").iter("th")]
    assert head == ["#", "Model", "Verdict", "Cap", "Safe", "Lat", "Cost", "Ops", "Eco", "Total", "Margin",
                    "Pessimistic", "Confidence", "Red flags"]
    assert [a.attrs["title"] for a in table.one("thead").iter("abbr")][:2] == ["Capability", "Safety & Compliance"]
    rows = table.one("tbody").kids("tr")
    assert len(rows) == len(report.models) == 34  # 30 entries, 4 of them offered as API and open weights
    ranked = [m for m in report.models if m.ranked]
    assert report.models[:len(ranked)] == tuple(ranked)  # not-applicable rows come last, unranked
    for i, (row, m) in enumerate(zip(rows, report.models), 1):
        cells = row.kids("td")
        assert len(cells) == len(head)
        assert cells[0].text() == (str(i) if m.ranked else "–") and m.key in cells[1].text()
        verdict = cells[2].one("span")
        assert verdict.text() == m.verdict and f"v-{m.verdict}" in verdict.classes
        layers = [c.text() for c in cells[3:9]]
        assert layers == ["n/a" if m.layers[lid].score is None else f"{m.layers[lid].score:.1f}" for lid in LAYER_IDS]
        assert cells[9].text() == f"{m.total:.1f}" and cells[12].text() == f"{m.confidence:.2f}"
        flags = cells[13].text()
        assert flags == (", ".join(f.id for f in m.red_flags) or "none")


def test_every_model_has_its_criteria_and_evidence_in_details(bundled):
    report, text = bundled
    root = parse_html(text)
    details = root.all("details", "model")
    assert [d.attrs["id"] for d in details] == [anchor(m.key) for m in report.models]
    links = [a.attrs["href"] for a in root.one("table", "ranking").iter("a")]
    assert links == ["#" + anchor(m.key) for m in report.models]
    for d, m in zip(details, report.models):
        assert m.name in d.kids("summary")[0].text()
        criteria = d.one("table", "criteria")
        groups = criteria.kids("tbody")
        assert len(groups) == 6  # one per layer, its title first
        assert [g.kids("tr")[0].kids("th")[0].text() for g in groups] == [m.layers[lid].title for lid in LAYER_IDS]
        rows = [r for g in groups for r in g.kids("tr")[1:]]
        assert len(rows) == len(m.criteria)
        assert [r.kids("td")[0].text() for r in rows] == [c.title for c in m.criteria]
        assert [r.kids("td")[-1].text() for r in rows] == [c.reason for c in m.criteria]
        assert [r.kids("td")[1].text() for r in rows] == [c.status for c in m.criteria]
        fields = [r.kids("td")[4].all("code") for r in rows]
        assert [f[0].text() if f else None for f in fields] == [c.field for c in m.criteria]
        if m.red_flags:
            assert len(d.one("table", "red-flags").one("tbody").kids("tr")) == len(m.red_flags)
        if m.computed:
            assert len(d.one("table", "computed").one("tbody").kids("tr")) == len(m.computed)
        assert [li.text() for li in d.one("ul", "reasons").kids("li")] == list(m.reasons)


def test_hostile_text_never_becomes_markup(write):
    report = _report(write("hostile.yaml", HOSTILE))
    text = render_html(report)
    root = parse_html(text)
    assert_self_contained(root)  # no <script>, <img>, <a href=https://…>, no on* attribute
    assert not root.all("i") and not root.all("b") and not [a for a in root.iter("a") if "evil.example" in str(a.attrs)]
    page = root.text()
    for raw in (HOSTILE_NAME, HOSTILE_VENDOR, HOSTILE_REASON, "Team <b>catalog</b> & co", "<eve@example.org>"):
        assert raw in page  # shown as the text it is
    assert root.one("title").text() == "Team <b>catalog</b> & co"
    flag_titles = [a.attrs["title"] for a in root.one("table", "ranking").iter("abbr")
                   if a.attrs.get("title") == HOSTILE_FLAG]
    assert flag_titles == [HOSTILE_FLAG]  # an attribute value, quotes and all, intact
    assert HOSTILE_SOURCE in page and 'onmouseover="alert' not in text
    assert "\x01" not in text and "\ufffd" in page  # a control character is replaced, not passed on


def test_bytes_are_deterministic_and_the_same_through_the_format_table(bundled):
    report, text = bundled
    assert render_html(report) == text
    assert render(report, Format.html) == text and render_bytes(report, Format.html) == text.encode("utf-8")


def test_identical_runs_write_identical_files(tmp_path):
    """Two fresh processes (as a user runs it twice): byte-identical pages."""
    outs = [tmp_path / "a.html", tmp_path / "b.html"]
    for out in outs:
        subprocess.run([sys.executable, "-m", "model_scorecard", "rank", REPO / "examples" / "team-catalog.yaml",
                        "--as-of", "2026-11-23", "-o", out], check=True, capture_output=True)
    assert outs[0].read_bytes() == outs[1].read_bytes()
    assert b"<table class=\"ranking\">" in outs[0].read_bytes()


def test_empty_name_and_catalog_name_fall_back(write):
    report = _report(write("c.yaml", "schema_version: 1\nmodels:\n  - {id: solo, name: solo, vendor: V, kind: llm, "
                                      "access: api}\n"))
    root = parse_html(render_html(report))
    assert root.one("title").text() in ("c", "Model scorecard")
    row = root.one("table", "ranking").one("tbody").one("tr")
    assert row.kids("td")[1].text() == "solo"  # a name equal to the id is shown once


def test_a_large_ranking_details_only_the_best_models(bundled):
    report, _ = bundled
    root = parse_html(render_html(report, details_limit=3))
    assert_self_contained(root)  # every link still lands on the page
    assert [d.attrs["id"] for d in root.all("details", "model")] == [anchor(m.key) for m in report.models[:3]]
    rows = root.one("table", "ranking").one("tbody").kids("tr")
    assert len(rows) == 34 and [bool(r.all("a")) for r in rows] == [True] * 3 + [False] * 31
    assert "best 3 of 34 models" in root.text()


def test_show_writes_the_page_for_one_model(cli):
    from tests.htmlcheck import assert_self_contained, parse_html

    result = cli("show", "gpt-oss-120b", "--format", "html")
    assert result.exit_code == 0
    root = parse_html(result.stdout)
    assert_self_contained(root)
    assert "gpt-oss-120b" in result.stdout and 'id="summary"' in result.stdout
