"""Capability bands that do not move with the catalog: percentiles of a fixed reference cohort."""

from __future__ import annotations

from datetime import date

import pytest

from model_scorecard.schema.catalog import Catalog
from model_scorecard.schema.load import load_cohorts, load_rubric
from model_scorecard.schema.rubric import cohort_bands, percentile
from model_scorecard.schema.workload import load_workload
from model_scorecard.scoring import evaluate

DAY = date(2026, 11, 23)


def test_percentile_interpolates_between_closest_ranks():
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([10, 20], 90) == 19.0
    assert percentile([5, 1, 3], 0) == 1 and percentile([5, 1, 3], 100) == 5


@pytest.mark.parametrize("name", ["production", "roadmap-2024"])
def test_bundled_bands_are_the_percentiles_of_their_cohort(name):
    cohorts = load_cohorts()
    named = [(lid, c) for lid, c in load_rubric(name).criteria() if c.cohort]
    assert {c.id for _, c in named} >= {"aa-intelligence-index", "lmarena-text"}
    for _, c in named:
        assert [tuple(b) for b in c.bands] == cohort_bands(cohorts[c.cohort]), c.id


def entry(mid: str, index: float) -> dict:
    return {"id": mid, "name": mid, "vendor": "V", "kind": "llm", "access": "api", "source": "https://e.org/card",
            "benchmarks": {"aa_intelligence_index": {"value": index, "variant": "v4.1",
                                                     "source": "https://e.org/aa", "grade": "independent"}}}


def test_adding_a_model_never_moves_another_models_capability_score():
    rubric, chat = load_rubric(), load_workload("chat")
    alone = evaluate(Catalog.model_validate({"schema_version": 1, "models": [entry("a", 52)]}), rubric, chat, DAY)
    crowd = [entry("a", 52), *(entry(f"m{i}", 30 + 5 * i) for i in range(8))]
    together = evaluate(Catalog.model_validate({"schema_version": 1, "models": crowd}), rubric, chat, DAY)
    score = lambda report: {c.id: c.score for c in report.model("a").criteria}["aa-intelligence-index"]  # noqa: E731
    assert score(alone) == score(together) == 3.0  # 50.5 ≤ 52 < 55.5


def test_another_index_version_is_context_and_saturated_benchmarks_are_shown_not_scored():
    m = entry("a", 52)
    m["benchmarks"]["aa_intelligence_index"]["variant"] = "v4.0"
    m["benchmarks"]["mmlu"] = {"value": 91.0, "n_shot": 5}
    report = evaluate(Catalog.model_validate({"schema_version": 1, "models": [m]}), load_rubric(), load_workload("chat"), DAY)
    crit = {c.id: c for c in report.model("a").criteria}
    assert crit["aa-intelligence-index"].status == "context" and crit["aa-intelligence-index"].score is None
    assert crit["mmlu"].status == "shown" and crit["mmlu"].score is None and crit["mmlu"].value == 91.0
    scored_2024 = evaluate(Catalog.model_validate({"schema_version": 1, "models": [m]}), load_rubric("roadmap-2024"),
                           load_workload("chat"), DAY)
    assert {c.id: c.score for c in scored_2024.model("a").criteria}["mmlu"] == 5.0
