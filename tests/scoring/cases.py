"""Small rubrics and catalogs for the sensitivity tests, as plain data (dicts → YAML or models)."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from model_scorecard.schema.catalog import Catalog
from model_scorecard.schema.rubric import Rubric
from model_scorecard.schema.workload import Workload
from model_scorecard.scoring import evaluate
from model_scorecard.scoring.results import Report

DAY = date(2026, 11, 23)
CHAT = Workload(name="chat", ttft_budget_ms=300)


def rubric_dict(**over: Any) -> dict[str, Any]:
    """Six layers, each easy to score by hand: capability has two criteria, the others one."""
    data: dict[str, Any] = {
        "schema_version": 1, "name": "t", "green_light": 24, "walk_away_flags": 2, "unknown": "skip",
        "min_evidence": 0,
        "layers": {
            "capability": {"criteria": [
                {"id": "mmlu", "title": "MMLU", "field": "benchmarks.mmlu", "better": "higher",
                 "bands": [[85, 5], [80, 4], [70, 3], [60, 2]]},
                {"id": "gsm8k", "title": "GSM8K", "field": "benchmarks.gsm8k", "better": "higher",
                 "bands": [[90, 5], [80, 4], [70, 3]]}]},
            "safety_compliance": {"criteria": [
                {"id": "soc2", "title": "SOC 2", "field": "compliance.soc2_type2", "bool": {True: 5, False: 0}}]},
            "latency_throughput": {"criteria": [
                {"id": "speed", "title": "Tokens/s", "field": "serving.tokens_per_s", "better": "higher",
                 "bands": [[150, 5], [80, 4], [40, 3], [20, 2]]}]},
            "cost_to_serve": {"criteria": [
                {"id": "price", "title": "Price", "field": "computed.usd_per_1k_tokens", "better": "lower",
                 "bands": [[0.001, 5], [0.003, 4], [0.006, 3], [0.012, 2]]}]},
            "operational_maturity": {"criteria": [
                {"id": "rollback", "title": "Rollback", "field": "operations.rollback_without_reindex",
                 "bool": {True: 5, False: 1}}]},
            "ecosystem_moat": {"criteria": [
                {"id": "vllm", "title": "vLLM", "field": "ecosystem.vllm", "bool": {True: 5, False: 1}}]},
        },
        "red_flags": {
            "deprecated": {"title": "Deprecated", "when": [{"field": "computed.lifecycle", "in": ["deprecated"]}]},
            "non-commercial-licence": {"title": "NC", "when": [{"field": "license", "in": ["cc-by-nc-4.0"]}]},
        },
    }
    data.update(over)
    return data


def rubric(**over: Any) -> Rubric:
    return Rubric.model_validate(rubric_dict(**over))


def model(id: str, **facts: Any) -> dict[str, Any]:
    """A model scoring capability 4 (mmlu 82, gsm8k 85), safety 5, latency 4 (90 tokens/s),
    cost 4 (0.002 USD per 1k tokens), operations 5, ecosystem 5: total 27, margin 3."""
    base: dict[str, Any] = {
        "id": id, "name": id.title(), "vendor": "Acme", "kind": "llm", "access": "api",
        "source": "https://example.org/card",
        "benchmarks": {"mmlu": 82.0, "gsm8k": 85.0},
        "compliance": {"soc2_type2": True},
        "serving": {"tokens_per_s": 90},
        "pricing": {"input_per_1m": 2.0, "output_per_1m": 2.0},
        "operations": {"rollback_without_reindex": True},
        "ecosystem": {"vllm": True},
    }
    for key, value in facts.items():
        if value is None:
            base.pop(key, None)
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merged = {**base[key], **value}
            base[key] = {k: v for k, v in merged.items() if v is not None}
        else:
            base[key] = value
    return base


def catalog_dict(*models: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": 1, "name": "sensitivity-test", "models": [copy.deepcopy(m) for m in models]}


def score(*models: dict[str, Any], r: Rubric | None = None, workload: Workload = CHAT) -> Report:
    return evaluate(Catalog.model_validate(catalog_dict(*models)), r or rubric(), workload, DAY)


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def assess(entry: dict[str, Any], criterion: str, score_: float) -> dict[str, Any]:
    """``entry`` with a reviewer's score for ``criterion``: how a test sets one criterion's score."""
    out = copy.deepcopy(entry)
    out.setdefault("assessments", []).append({"criterion": criterion, "score": score_, "reason": "set by the test",
                                              "reviewer": "test", "date": "2026-11-01"})
    return out
