"""Small text helpers shared by the human-readable formats."""

from __future__ import annotations

from model_scorecard.schema.rubric import LAYER_IDS
from model_scorecard.scoring.results import ModelResult, Report

LAYER_SHORT = {
    "capability": "Cap", "safety_compliance": "Safe", "latency_throughput": "Lat",
    "cost_to_serve": "Cost", "operational_maturity": "Ops", "ecosystem_moat": "Eco",
}


def score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def signed(value: float) -> str:
    return f"{value:+.1f}"


def layer_cells(m: ModelResult) -> list[str]:
    return [score(m.layers[lid].score) for lid in LAYER_IDS]


def context_line(report: Report) -> str:
    w = report.workload
    budget = f", first token ≤ {w.ttft_budget_ms:g} ms" if w.ttft_budget_ms else ""
    return (f"rubric {report.rubric_name} (green light ≥ {report.green_light:g} of 30, walk away at "
            f"{report.walk_away_flags} red flags, unknown evidence: {report.unknown_policy}) · workload {w.name} "
            f"({w.input_tokens:,} in / {w.output_tokens:,} out{budget}) · evaluated on {report.as_of.isoformat()}")

