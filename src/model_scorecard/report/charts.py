"""Charts of a ranking as inline SVG, drawn with matplotlib (the optional ``charts`` extra).

Three charts: capability against cost with the Pareto front marked, each model's six layers
stacked against the green-light line, and per layer the share of models whose evidence meets
the rubric's minimum. matplotlib is imported only here and only when a page asks for charts;
without it the page says how to get them. The SVG carries no timestamp and fixed ids, so the
same report gives the same bytes, and no script, link or font (the page's CSP forbids them).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from model_scorecard.schema.rubric import LAYER_IDS, LAYER_TITLES

if TYPE_CHECKING:  # pragma: no cover
    from model_scorecard.scoring.results import ModelResult, Report

__all__ = ["available", "charts", "cost_of", "pareto_front"]

#: Models drawn in the layer chart: the best of the ranking (a chart of 10,000 bars says nothing).
LAYER_CHART_MODELS = 15
_COLOURS = ("#0969da", "#1a7f37", "#bf8700", "#cf222e", "#8250df", "#57606a")
_VERDICT_COLOURS = {"green-light": "#1a7f37", "not-green": "#bf8700", "walk-away": "#cf222e",
                    "insufficient-evidence": "#8250df", "not-applicable": "#8c959f"}


def available() -> bool:
    """Whether matplotlib can be imported (``pip install 'model-scorecard[charts]'``)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def cost_of(m: ModelResult) -> float | None:
    """The USD per 1k tokens the report computed for a row (API list price, or self-hosted), if any."""
    for key in ("usd_per_1k_tokens", "self_hosted_usd_per_1k_tokens"):
        c = m.computed.get(key)
        if c is not None and isinstance(c.value, (int, float)) and not isinstance(c.value, bool) and c.value > 0:
            return float(c.value)
    return None


def pareto_front(points: list[tuple[float, float, str]]) -> list[str]:
    """Labels of the points no other point beats: cheaper (x) and at least as capable (y), or as
    cheap and more capable. ``points`` are (cost, capability, label)."""
    front = []
    for cost, cap, label in points:
        if not any((c2 <= cost and y2 >= cap) and (c2 < cost or y2 > cap) for c2, y2, _ in points):
            front.append(label)
    return front


def _svg(fig: Any, prefix: str) -> str:
    """The figure as an ``<svg>`` element for an HTML page; its ids carry ``prefix``, so several
    charts on one page never share an id (matplotlib numbers each figure's from 1)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    text = buffer.getvalue()
    text = text[text.index("<svg"):]  # drop the XML declaration and doctype: the SVG sits inside HTML
    # matplotlib's own <style> would apply to the whole page: the page's stylesheet has its rule
    text = re.sub(r"<style[^>]*>.*?</style>", "", text, flags=re.S)
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
    return re.sub(r"<svg ", '<svg role="img" style="max-width:100%;height:auto" ', text, count=1)


_STYLE = {"svg.hashsalt": "model-scorecard", "svg.fonttype": "none", "font.size": 9,
          "axes.spines.top": False, "axes.spines.right": False}


def _styled(draw: Callable[..., Any]) -> Callable[..., Any]:
    """Draw under our style, scoped with ``rc_context``, on a bare ``Figure`` (no pyplot): a
    library caller's matplotlib backend and settings are left as they were."""

    @functools.wraps(draw)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import matplotlib

        with matplotlib.rc_context(_STYLE):
            return draw(*args, **kwargs)

    return wrapper


def _figure(width: float, height: float) -> tuple[Any, Any]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    return fig, fig.subplots()


@_styled
def capability_vs_cost(report: Report) -> tuple[str, list[str]]:
    """The scatter of capability (0-5) against USD per 1k tokens (log scale), front in bold; and
    the labels on the front. Rows without a cost or a capability score are left out (counted)."""
    points = [(cost, m.layers["capability"].score, m.key or m.id, m.verdict) for m in report.models
              if (cost := cost_of(m)) is not None and m.layers["capability"].score is not None]
    fig, ax = _figure(7.5, 4.2)
    front = pareto_front([(c, y, k) for c, y, k, _ in points])
    for cost, cap, key, verdict in points:
        ax.scatter([cost], [cap], s=28, color=_VERDICT_COLOURS.get(verdict, "#57606a"),
                   edgecolors="black" if key in front else "none", linewidths=1.2, zorder=3)
    line = sorted((c, y) for c, y, k, _ in points if k in front)
    if line:
        ax.step([c for c, _ in line], [y for _, y in line], where="post", color="#24292f", linewidth=1, zorder=2)
        for c, y, k, _ in points:
            if k in front:
                ax.annotate(k, (c, y), xytext=(4, 4), textcoords="offset points", fontsize=7)
    if points:
        ax.set_xscale("log")
    ax.set_xlabel("USD per 1k tokens (workload mix; log scale)")
    ax.set_ylabel("Capability layer (0–5)")
    ax.set_ylim(-0.2, 5.4)
    left = len(report.models) - len(points)
    ax.set_title(f"Capability against cost; outlined: the Pareto front ({left} row(s) without a cost or a "
                 "capability score left out)", fontsize=9)
    return _svg(fig, "chart-cost"), front


@_styled
def layers_against_threshold(report: Report) -> str:
    """Each of the best ranked rows as six stacked layer scores, with the green-light line."""
    rows = [m for _, m in report.numbered() if m.ranked][:LAYER_CHART_MODELS]
    fig, ax = _figure(7.5, 0.32 * max(len(rows), 3) + 1.0)
    labels = [m.key or m.id for m in rows][::-1]
    left = [0.0] * len(rows)
    for colour, lid in zip(_COLOURS, LAYER_IDS):
        values = [m.layers[lid].score or 0.0 for m in rows][::-1]
        ax.barh(labels, values, left=left, color=colour, label=LAYER_TITLES[lid], height=0.7)
        left = [a + b for a, b in zip(left, values)]
    ax.axvline(report.green_light, color="#24292f", linestyle="--", linewidth=1)
    ax.text(report.green_light, len(rows) - 0.4, f" green light {report.green_light:g}", fontsize=7)
    ax.set_xlim(0, 30)
    ax.set_xlabel("Total of the six layers (a layer no criterion scores adds nothing)")
    ax.legend(fontsize=7, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.25), frameon=False)
    ax.set_title(f"Six layers of the best {len(rows)} ranked rows against the green light", fontsize=9)
    return _svg(fig, "chart-layers")


@_styled
def evidence_coverage(report: Report) -> str:
    """Per layer, the share of applicable rows whose evidence meets the rubric's minimum."""
    shares = []
    for lid in LAYER_IDS:
        applicable = [m.layers[lid] for m in report.models if m.layers[lid].score is not None]
        met = sum(1 for lr in applicable if not lr.short_of_evidence)
        shares.append(100 * met / len(applicable) if applicable else 0.0)
    fig, ax = _figure(7.5, 2.6)
    ax.barh([LAYER_TITLES[lid] for lid in LAYER_IDS][::-1], shares[::-1], color="#0969da", height=0.6)
    for y, share in enumerate(shares[::-1]):
        ax.text(share + 1, y, f"{share:.0f} %", va="center", fontsize=7)
    ax.set_xlim(0, 110)
    ax.set_xlabel("Rows whose layer meets its evidence minimum (%)")
    ax.set_title("Evidence coverage per layer", fontsize=9)
    return _svg(fig, "chart-evidence")


def charts(report: Report) -> list[str]:
    """The three charts as HTML ``<figure>`` elements, or one note when matplotlib is missing."""
    if not available():
        return ['<p class="muted">Charts need matplotlib: <code>pip install "model-scorecard[charts]"</code>.</p>']
    scatter, _ = capability_vs_cost(report)
    return [f'<figure class="chart">{svg}</figure>'
            for svg in (scatter, layers_against_threshold(report), evidence_coverage(report))]
