"""scoring.sensitivity: margins, flip distances and the seeded Monte Carlo of the total."""

from __future__ import annotations

import dataclasses

import pytest

from model_scorecard.errors import UserError
from model_scorecard.schema.catalog import Catalog
from model_scorecard.schema.rubric import LAYER_IDS, Rubric
from model_scorecard.scoring import evaluate
from model_scorecard.scoring.evidence import Computed
from model_scorecard.scoring.sensitivity import Flip, SensitivityReport, sensitivity

from .cases import DAY, assess, model, rubric, rubric_dict, score

FIXED = 1e9  # a concentration this large keeps the drawn layer weights at the rubric's


def json_bytes(result: SensitivityReport) -> bytes:
    from model_scorecard.report.sensitivity import render_json_bytes

    return render_json_bytes(result)


# -- determinism --------------------------------------------------------------------------------

def test_same_seed_gives_identical_json_and_another_seed_may_differ():
    cat = (model("a", compliance={"soc2_type2": None}), model("b", serving={"tokens_per_s": None}))
    first = json_bytes(sensitivity(score(*cat), rubric(), draws=2_000, seed=3))
    again = json_bytes(sensitivity(score(*cat), rubric(), draws=2_000, seed=3))  # a fresh report, same inputs
    other = json_bytes(sensitivity(score(*cat), rubric(), draws=2_000, seed=4))
    assert first == again
    assert first != other


def test_a_rows_draws_do_not_depend_on_the_other_rows():
    a = model("a", compliance={"soc2_type2": None})
    alone = sensitivity(score(a), rubric(), draws=3_000, concentration=FIXED).model("a")
    beside = sensitivity(score(a, model("z", serving={"tokens_per_s": None})), rubric(), draws=3_000,
                         concentration=FIXED).model("a")
    assert (alone.p_green, alone.total_p05, alone.total_p95) == (beside.p_green, beside.total_p05, beside.total_p95)


# -- the Monte Carlo ----------------------------------------------------------------------------

def test_probabilities_are_probabilities():
    cat = (model("a"), model("b", compliance={"soc2_type2": None}), model("c", benchmarks={"mmlu": 61.0}),
           model("d", license="cc-by-nc-4.0", red_flags=[{"id": "deprecated", "reason": "vendor says so"}]),
           model("img", kind="diffusion-image"))
    result = sensitivity(score(*cat), rubric(), draws=2_000)
    for m in result.models:
        assert 0.0 <= m.p_green <= 1.0
        assert m.total_p05 <= m.total_p95
    ranked = [m for m in result.models if m.p_rank1 is not None]
    assert sorted(m.key for m in ranked) == ["a", "b", "c", "d"]  # img is not applicable: not ranked
    assert sum(m.p_rank1 for m in ranked) == pytest.approx(1.0)
    assert result.model("img").p_rank1 is None


def test_a_large_margin_is_near_certain_and_a_blocked_model_is_exactly_zero():
    strong = model("strong", benchmarks={"mmlu": 90.0, "gsm8k": None}, serving={"tokens_per_s": 200},
                   pricing={"input_per_1m": 0.1, "output_per_1m": 0.1})  # gsm8k unknown: drawn 0, 3, 4 or 5
    # the same strong model behind a gate: its 2,500-token requests do not fit a 1,000-token window
    gated = {**strong, "id": "gated", "context_window": 1000}
    result = sensitivity(score(strong, gated), rubric(), draws=5_000)
    s, g = result.model("strong"), result.model("gated")
    assert s.verdict == "green-light" and s.margin == 6.0
    assert s.p_green >= 0.99 and s.blocked_by is None
    assert g.verdict == "not-green" and g.total == s.total
    assert g.blocked_by == "gate:context-fit" and g.p_green == 0.0 and g.flip is None
    assert g.total_p05 == s.total_p05  # the same facts draw the same totals: only the gate differs


def test_unknowns_are_drawn_uniformly_from_their_possible_scores():
    # speed unknown: bands give 5, 4, 3, 2 and outside every band 0; the other layers sum to 23,
    # so the model is green unless the draw is 0: P(green) = 4/5
    m = model("a", serving={"tokens_per_s": None})
    report = score(m)
    assert report.models[0].total == 23.0  # headline: a layer with no evidence scores 0, even when skipping
    result = sensitivity(report, rubric(), draws=20_000, concentration=FIXED).model("a")
    assert result.p_green == pytest.approx(0.8, abs=0.02)
    assert (result.total_p05, result.total_p95) == (23.0, 28.0)


def test_a_manual_criterion_without_assessment_draws_whole_points():
    data = rubric_dict()
    data["layers"]["ecosystem_moat"]["criteria"] = [{"id": "fit", "title": "Fit", "manual": True}]
    # the other layers sum to 22: green needs 2 or more of 0..5
    result = sensitivity(score(model("a"), r=Rubric.model_validate(data)), Rubric.model_validate(data),
                         draws=20_000, concentration=FIXED).model("a")
    assert result.p_green == pytest.approx(4 / 6, abs=0.02)


def test_estimated_figures_are_drawn_from_their_range_and_re_banded():
    r = rubric(green_light=26.5)
    report = score(model("a"), r=r)
    m = report.models[0]
    assert m.total == 27.0
    price = m.computed["usd_per_1k_tokens"]
    # an estimate with a range: triangular(0.0005, 0.002, 0.005); above 0.003 (score 3) the total
    # is 27 - 1 = 26.0 (not green), below 0.001 (score 5) 28.0
    ranged = dataclasses.replace(price, value=0.002, inputs={**price.inputs, "low": 0.0005, "high": 0.005})
    report = dataclasses.replace(report, models=(dataclasses.replace(m, computed={**m.computed,
                                                                                 "usd_per_1k_tokens": ranged}),))
    result = sensitivity(report, r, draws=20_000, concentration=FIXED).model("a")
    p_above = 0.002 ** 2 / (0.0045 * 0.003)  # P(x > 0.003) of the triangular distribution
    assert result.p_green == pytest.approx(1 - p_above, abs=0.02)
    assert (result.total_p05, result.total_p95) == (26.0, 27.0)


def test_a_proportional_figure_moves_with_the_one_it_is_computed_from():
    import numpy as np

    from model_scorecard.scoring.sensitivity import _figures

    m = score(model("a")).models[0]
    g = Computed(0.01, "gCO2e per 1k tokens", "estimate", {"low": 0.005, "high": 0.02})
    carbon = Computed(2e-6, "EUR per 1k tokens", "g × price", {"g_co2e_per_1k_tokens": 0.01, "eur_per_t_co2e": 200})
    m = dataclasses.replace(m, computed={"g_co2e_per_1k_tokens": g, "carbon_eur_per_1k_tokens": carbon})
    drawn = _figures(m, np.random.default_rng(0), 1_000)
    assert set(drawn) == {"g_co2e_per_1k_tokens", "carbon_eur_per_1k_tokens"}
    assert np.allclose(drawn["carbon_eur_per_1k_tokens"], drawn["g_co2e_per_1k_tokens"] * 2e-4)
    assert drawn["g_co2e_per_1k_tokens"].min() >= 0.005 and drawn["g_co2e_per_1k_tokens"].max() <= 0.02


def test_layer_weights_spread_less_with_a_larger_concentration():
    # unequal layers: the weights move the total; nothing else does
    report = score(model("a", compliance={"soc2_type2": False}, benchmarks={"mmlu": 90.0, "gsm8k": 95.0}))
    loose = sensitivity(report, rubric(), draws=5_000, concentration=5).model("a")
    tight = sensitivity(report, rubric(), draws=5_000, concentration=5_000).model("a")
    assert tight.total_p95 - tight.total_p05 < loose.total_p95 - loose.total_p05
    assert tight.total_p05 <= report.models[0].total <= tight.total_p95


def test_p_rank1_favours_the_model_that_dominates():
    strong = model("strong", benchmarks={"mmlu": 90.0, "gsm8k": 95.0}, serving={"tokens_per_s": 200})
    weak = model("weak", compliance={"soc2_type2": False})
    result = sensitivity(score(strong, weak), rubric(), draws=2_000)
    assert result.model("strong").p_rank1 == 1.0 and result.model("weak").p_rank1 == 0.0


# -- flip distance ------------------------------------------------------------------------------

def test_flip_of_a_green_model_is_the_smallest_criterion_change_and_really_flips():
    entry = model("a")  # total 27: 4, 5, 4, 4, 5, 5
    r = rubric()
    result = sensitivity(score(entry, r=r), r, draws=100).model("a")
    assert result.verdict == "green-light" and result.margin == 3.0 and result.blocked_by is None
    # a single-criterion layer must lose 3.1 points; capability's two criteria cannot move the
    # total 3.1 alone; of the ties (soc2, speed, price, rollback, vllm) the first in rubric order
    assert result.flip == Flip("criterion", "soc2", 5.0, 1.9, -3.1, 0.62)
    _assert_smallest_criterion_flip(entry, r, result.flip, green=True)


def test_flip_of_a_model_below_the_green_light_goes_up():
    entry = model("b", compliance={"soc2_type2": False})  # total 22
    r = rubric()
    result = sensitivity(score(entry, r=r), r, draws=100).model("b")
    assert result.verdict == "not-green" and result.margin == -2.0 and result.blocked_by is None
    assert result.flip == Flip("criterion", "soc2", 0.0, 2.0, 2.0, 0.4)
    assert result.p_green < 0.5  # soc2 stays 0 in every draw: only a lighter safety layer lifts it
    _assert_smallest_criterion_flip(entry, r, result.flip, green=False)


def test_flip_with_unequal_criterion_weights_and_an_uneven_total():
    data = rubric_dict(green_light=25.5)
    data["layers"]["capability"]["criteria"][1]["weight"] = 3  # gsm8k counts three times mmlu
    r = Rubric.model_validate(data)
    entry = model("c", benchmarks={"mmlu": 71.0, "gsm8k": 92.0}, serving={"tokens_per_s": 45})
    report = score(entry, r=r)
    assert report.models[0].verdict == "green-light"
    result = sensitivity(report, r, draws=100).model("c")
    assert result.flip is not None and result.flip.kind == "criterion"
    _assert_smallest_criterion_flip(entry, r, result.flip, green=True)


def _assert_smallest_criterion_flip(entry: dict, r: Rubric, flip: Flip, green: bool) -> None:
    """Set the criterion to the flip's score (a reviewer's assessment) and re-score: the verdict
    flips; no criterion set to any score (on the 0.1 grid) nearer its own flips it."""
    before = score(entry, r=r).models[0]
    after = score(assess(entry, flip.id, flip.to), r=r).models[0]
    assert (after.verdict == "green-light") != green, (flip, after.verdict, after.total)
    assert after.total == pytest.approx(before.total + flip.points)
    nearer = []
    for c in before.criteria:
        if c.score is None:
            continue
        for k in range(51):
            v = k / 10
            if 0 < abs(v - c.score) < flip.distance * 5 - 1e-9:
                nearer.append(assess({**entry, "id": f"{c.id}-{k}"}, c.id, v))
    rescored = score(*nearer, r=r).models
    assert rescored and all((m.verdict == "green-light") == green for m in rescored), \
        [(m.key, m.total) for m in rescored if (m.verdict == "green-light") != green]


def test_a_layer_weight_flips_when_no_criterion_can():
    # every layer assessed as a whole: no criterion can move; capability is weak (1), the rest 5
    entry = model("a", assessments=[{"layer": lid, "score": 1 if lid == "capability" else 5, "reason": "as a whole",
                                     "reviewer": "ana", "date": "2026-11-01"} for lid in LAYER_IDS])
    r = rubric()
    report = score(entry, r=r)
    assert report.models[0].total == 26.0
    flip = sensitivity(report, r, draws=100).model("a").flip
    # 6 (25 + w) / (5 + w) < 23.95 from w > 1.6852…: 1.69 flips, 1.68 does not
    assert flip == Flip("layer", "capability", 1.0, 1.69, -2.1, 0.69)
    for weight, green in ((1.69, False), (1.68, True)):
        data = rubric_dict()
        data["layers"]["capability"]["weight"] = weight
        assert (score(entry, r=Rubric.model_validate(data)).models[0].verdict == "green-light") is green


def test_no_single_change_can_flip_a_model_that_is_strong_everywhere():
    strong = model("strong", benchmarks={"mmlu": 90.0, "gsm8k": 95.0}, serving={"tokens_per_s": 200},
                   pricing={"input_per_1m": 0.1, "output_per_1m": 0.1})
    result = sensitivity(score(strong), rubric(), draws=100).model("strong")
    assert result.total == 30.0 and result.flip is None and result.blocked_by is None


# -- what blocks a verdict ------------------------------------------------------------------------

@pytest.mark.parametrize("facts, over, blocked", [
    ({"license": "cc-by-nc-4.0", "red_flags": [{"id": "deprecated", "reason": "the vendor retired it"}]}, {},
     "walk-away"),
    ({"context_window": 1000}, {}, "gate:context-fit"),
    ({"source": None}, {"min_evidence": 1}, "insufficient-evidence"),
    ({"kind": "diffusion-image"}, {}, "not-applicable"),
    ({"ecosystem": {"vllm": None}}, {"unknown": "fail"}, "unknown:vllm"),
])
def test_blocked_models_say_why_and_never_go_green(facts, over, blocked):
    r = rubric(**over)
    report = score(model("x", **facts), r=r)
    result = sensitivity(report, r, draws=500).model("x")
    assert result.blocked_by == blocked
    assert result.flip is None and result.p_green == 0.0
    assert result.to_dict()["blocked_by"] == blocked and result.to_dict()["flip"] is None


# -- the document and the API -------------------------------------------------------------------

def test_to_dict_has_the_documented_keys():
    result = sensitivity(score(model("a"), model("b", context_window=1000)), rubric(), draws=500, seed=9,
                         concentration=20)
    doc = result.to_dict()
    assert doc["schema_version"] == 1 and doc["seed"] == 9 and doc["draws"] == 500 and doc["concentration"] == 20
    assert doc["green_light"] == 24 and doc["rubric"] == "t" and doc["evaluated_on"] == DAY.isoformat()
    for m in doc["models"]:
        assert list(m) == ["key", "verdict", "total", "margin", "flip", "blocked_by", "p_green", "p_rank1",
                           "total_p05", "total_p95"]
    a = doc["models"][0]
    assert a["key"] == "a" and set(a["flip"]) == {"kind", "id", "from", "to", "points", "distance"}


def test_model_by_key_or_entry_id():
    entry = model("both", access=["api", "open-weights"], params="8B")
    result = sensitivity(score(entry), rubric(), draws=100)
    keys = [m.key for m in result.models]
    assert keys and all(k.startswith("both") for k in keys)
    assert result.model(keys[0]).key == keys[0]
    assert result.model("both").key == keys[0]
    with pytest.raises(KeyError):
        result.model("nope")


@pytest.mark.parametrize("kwargs", [{"draws": 0}, {"draws": 2.5}, {"seed": -1}, {"concentration": 0},
                                    {"concentration": float("inf")}])
def test_bad_parameters_are_user_errors(kwargs):
    with pytest.raises(UserError):
        sensitivity(score(model("a")), rubric(), **kwargs)


def test_the_rubric_must_be_the_one_that_scored_the_report():
    with pytest.raises(UserError, match="scored with rubric 't'"):
        sensitivity(score(model("a")), rubric(name="other"), draws=10)


# -- the bundled catalog ------------------------------------------------------------------------

def test_every_flip_on_the_bundled_catalog_really_flips():
    from model_scorecard.schema.load import load_catalog, load_rubric
    from model_scorecard.schema.workload import load_workload

    r = load_rubric(None)
    workload = load_workload(None, r.default_workload)
    cat = load_catalog(None)
    report = evaluate(cat, r, workload, DAY)
    result = sensitivity(report, r, draws=200)
    entries = {e.id: e for e in cat.models}
    checked = 0
    for row, m in zip(result.models, report.models):
        assert row.key == (m.key or m.id)
        if row.flip is None:
            continue
        green = row.verdict == "green-light"
        if row.flip.kind == "criterion":
            entry = entries[m.id].model_dump(mode="json", by_alias=True, exclude_none=True)
            entry["assessments"] = [*entry.get("assessments", []),
                                    {"criterion": row.flip.id, "score": row.flip.to, "reason": "flip test",
                                     "reviewer": "test", "date": "2026-11-01"}]
            one = Catalog.model_validate({"schema_version": 1, "models": [entry]})
            after = evaluate(one, r, workload, DAY).model(row.key)
        else:
            data = r.model_dump(by_alias=True, exclude_none=True)
            data["layers"][row.flip.id]["weight"] = row.flip.to
            after = evaluate(cat, Rubric.model_validate(data), workload, DAY).model(row.key)
        assert (after.verdict == "green-light") != green, (row, after.verdict, after.total)
        checked += 1
    assert all(0 <= m.p_green <= 1 for m in result.models)
    if any(m.verdict == "green-light" for m in report.models):
        assert checked
