"""Charts of the HTML report: what they show, not matplotlib's bytes."""

from __future__ import annotations

import re

import pytest

from model_scorecard.report import charts
from model_scorecard.report.html import render
from model_scorecard.schema.load import load_catalog, load_rubric
from model_scorecard.schema.workload import load_workload
from model_scorecard.scoring import evaluate

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def report():
    from datetime import date

    rubric = load_rubric("production")
    return evaluate(load_catalog("current"), rubric, load_workload("chat"), date(2026, 12, 5))


def test_pareto_front_keeps_only_the_points_nothing_beats():
    points = [(1.0, 3.0, "cheap"), (2.0, 4.0, "mid"), (3.0, 4.0, "dear-same"), (5.0, 5.0, "best"),
              (4.0, 2.0, "dominated"), (1.0, 3.0, "cheap-twin")]
    assert sorted(charts.pareto_front(points)) == ["best", "cheap", "cheap-twin", "mid"]


def test_the_page_holds_three_inline_svg_charts_and_nothing_external(report):
    page = render(report)
    figures = re.findall(r'<figure class="chart">(.*?)</figure>', page, flags=re.S)
    assert len(figures) == 3 and all(f.lstrip().startswith("<svg") for f in figures)
    assert "<script" not in page and not re.search(r'(?:src|href)="https?:', page)
    assert render(report) == page  # the same report, the same bytes


def test_the_scatter_outlines_the_front_of_the_rows_with_a_cost(report):
    svg, front = charts.capability_vs_cost(report)
    priced = [m for m in report.models if charts.cost_of(m) is not None and m.layers["capability"].score is not None]
    assert priced and front and set(front) <= {m.key or m.id for m in priced}
    for key in front:  # each front point is labelled on the chart
        assert key in svg
    cheapest = min(priced, key=lambda m: (charts.cost_of(m), -(m.layers["capability"].score or 0)))
    assert (cheapest.key or cheapest.id) in front  # the cheapest point is never beaten on cost


def test_the_layer_chart_draws_the_green_light_line(report):
    svg = charts.layers_against_threshold(report)
    assert f"green light {report.green_light:g}" in svg
    assert all(title in svg for title in ("Capability", "Cost-to-Serve", "Ecosystem Moat"))


def test_without_matplotlib_the_page_says_how_to_get_charts(report, monkeypatch):
    monkeypatch.setattr(charts, "available", lambda: False)
    page = render(report)
    assert "<svg" not in page and "model-scorecard[charts]" in page


def test_drawing_leaves_a_callers_matplotlib_settings_alone(report):
    import matplotlib

    backend, size = matplotlib.get_backend(), matplotlib.rcParams["font.size"]
    render(report)
    assert matplotlib.get_backend() == backend and matplotlib.rcParams["font.size"] == size
