from __future__ import annotations

import copy
from datetime import date

import pytest

from model_scorecard.schema.catalog import Catalog
from model_scorecard.schema.load import load_rubric
from model_scorecard.schema.rubric import Rubric
from model_scorecard.schema.workload import Workload, load_workload
from model_scorecard.scoring import evaluate

DAY = date(2026, 11, 23)


def layer(criteria: list[dict]) -> dict:
    return {"criteria": criteria}


def rubric(**over) -> Rubric:
    """A six-layer rubric with one criterion per layer, easy to reason about."""
    data = {
        "schema_version": 1, "name": "t", "green_light": 24, "walk_away_flags": 2, "unknown": "skip",
        "layers": {
            "capability": layer([
                {"id": "mmlu", "title": "MMLU", "field": "benchmarks.mmlu", "better": "higher",
                 "bands": [[85, 5], [80, 4], [70, 3]]},
                {"id": "gsm8k", "title": "GSM8K", "field": "benchmarks.gsm8k", "better": "higher",
                 "bands": [[90, 5], [70, 3]], "weight": 3}]),
            "safety_compliance": layer([{"id": "soc2", "title": "SOC2", "field": "compliance.soc2_type2",
                                         "bool": {True: 5, False: 0}}]),
            "latency_throughput": layer([{"id": "ttft", "title": "TTFT", "field": "serving.ttft_p95_ms",
                                          "better": "lower", "relative_to": "ttft_budget_ms",
                                          "bands": [[0.5, 5], [1.0, 4], [2.0, 2]]}]),
            "cost_to_serve": layer([{"id": "price", "title": "Price", "field": "computed.usd_per_1k_tokens",
                                     "better": "lower", "bands": [[0.001, 5], [0.01, 3]]}]),
            "operational_maturity": layer([{"id": "life", "title": "Life", "field": "computed.lifecycle",
                                            "map": {"active": 5, "deprecated": 1, "retired": 0}}]),
            "ecosystem_moat": layer([{"id": "vllm", "title": "vLLM", "field": "ecosystem.vllm",
                                      "bool": {True: 5, False: 1}},
                                     {"id": "fit", "title": "Fit", "manual": True}]),
        },
        "red_flags": {
            "deprecated": {"title": "Deprecated", "when": [{"field": "computed.lifecycle", "in": ["deprecated", "retired"]}]},
            "non-commercial-licence": {"title": "NC", "when": [{"field": "license", "in": ["cc-by-nc-4.0"]}]},
            "no-eval-in-language": {"title": "No eval", "when": [{"field": "eval_languages", "missing_any_of": "languages"}]},
            "foreign-arbitration": {"title": "Arb", "when": [{"field": "license_terms.arbitration_jurisdiction", "outside": "jurisdiction"}]},
            "memorised-books": {"title": "Books", "when": [{"field": "training_data.books_memorised_share", "gt": 0.5}]},
        },
    }
    data.update(over)
    return Rubric.model_validate(data)


def model(**facts) -> dict:
    base = {"id": "m", "name": "M", "vendor": "V", "kind": "llm", "access": "api",
            "source": "https://example.org/model-card"}
    base.update(facts)
    return base


FULL = model(
    benchmarks={"mmlu": 86.0, "gsm8k": 91.0},
    compliance={"soc2_type2": True},
    serving={"ttft_p95_ms": 120, "source": "https://example.org/bench", "as_of": "2026-10"},
    pricing={"input_per_1m": 0.5, "output_per_1m": 1.5},
    operations={"status": "active"},
    ecosystem={"vllm": True},
    assessments=[{"criterion": "fit", "score": 5, "reason": "passes our golden set", "reviewer": "ana", "date": "2026-11-01"}],
)
CHAT = Workload(name="chat", ttft_budget_ms=300)


def score_one(entry: dict, r: Rubric | None = None, workload: Workload = CHAT, day: date = DAY):
    cat = Catalog.model_validate({"schema_version": 1, "models": [entry]})
    return evaluate(cat, r or rubric(), workload, day).models[0]


def test_full_evidence_is_green_with_full_confidence():
    m = score_one(FULL)
    assert m.verdict == "green-light"
    assert m.layers["capability"].score == 5.0
    assert m.layers["latency_throughput"].score == 5.0  # 120 ms ≤ 0.5 × 300 ms
    assert m.layers["cost_to_serve"].score == 5.0       # (2000·0.5 + 500·1.5)/2500/1000 = 0.0007
    assert m.total == 30.0 and m.pessimistic_total == 30.0 and m.confidence == 1.0
    assert m.margin == 6.0
    crit = {c.id: c for c in m.criteria}
    assert crit["ttft"].source == "https://example.org/bench" and crit["ttft"].as_of == "2026-10"
    assert crit["fit"].status == "manual" and "ana" in crit["fit"].reason


def test_weights_within_a_layer():
    m = score_one({**FULL, "benchmarks": {"mmlu": 81.0, "gsm8k": 75.0}})
    assert m.layers["capability"].score == pytest.approx((4 * 1 + 3 * 3) / 4, abs=0.05)  # 3.25 → 3.3
    assert m.layers["capability"].score == 3.3


def test_band_edges_and_below_every_band():
    for value, expected in [(85, 5), (84.99, 4), (80, 4), (70, 3), (69.9, 0)]:
        m = score_one({**FULL, "benchmarks": {"mmlu": value}})
        assert {c.id: c.score for c in m.criteria}["mmlu"] == expected, value


@pytest.mark.parametrize("policy, layer_score, total", [("skip", 5.0, 30.0), ("zero", 1.3, 26.3), ("fail", 1.3, 26.3)])
def test_unknown_policies(policy, layer_score, total):
    entry = {**FULL, "benchmarks": {"mmlu": 90.0}}  # gsm8k (weight 3) unknown
    m = score_one(entry, rubric(unknown=policy))
    assert m.layers["capability"].score == layer_score
    assert m.total == total
    assert m.pessimistic_total == 26.3  # unknowns as 0, whatever the policy
    assert m.confidence == pytest.approx(1 - (3 / 4) / 6, abs=0.01)
    assert m.verdict == ("not-green" if policy == "fail" else "green-light")


def test_a_layer_with_no_evidence_scores_zero_even_when_skipping():
    entry = {k: v for k, v in FULL.items() if k not in ("benchmarks", "compliance")}
    m = score_one(entry)
    assert m.layers["capability"].score == 0.0 and m.layers["safety_compliance"].score == 0.0
    assert m.total == 20.0 and m.verdict == "not-green"
    assert any("below the green light" in r for r in m.reasons)


def test_criterion_without_applicable_workload_field_is_not_applicable():
    batch = Workload(name="batch")
    m = score_one(FULL, workload=batch)
    ttft = {c.id: c for c in m.criteria}["ttft"]
    assert ttft.status == "not-applicable" and "sets no ttft_budget_ms" in ttft.reason
    # the latency layer has no applicable criterion left: it drops out and the total is rescaled
    assert m.layers["latency_throughput"].score is None
    assert m.total == 30.0


def test_relative_bands_follow_the_budget():
    voice = Workload(name="voice", ttft_budget_ms=150)
    m = score_one(FULL, workload=voice)  # 120 ms: ≤ 1.0 × 150, not ≤ 0.5 × 150
    assert {c.id: c.score for c in m.criteria}["ttft"] == 4


def test_kind_and_access_filters():
    r = rubric()
    r = Rubric.model_validate({**r.model_dump(by_alias=True), "layers": {
        **r.model_dump(by_alias=True)["layers"],
        "ecosystem_moat": layer([{"id": "vllm", "title": "vLLM", "field": "ecosystem.vllm", "bool": {True: 5, False: 1},
                                  "access": ["open-weights"]},
                                 {"id": "img", "title": "img", "field": "serving.seconds_per_image", "better": "lower",
                                  "bands": [[1, 5]], "kinds": ["diffusion-image"]}])}})
    m = score_one(FULL, r)
    statuses = {c.id: c.status for c in m.criteria}
    assert statuses["vllm"] == "not-applicable" and statuses["img"] == "not-applicable"


def test_layer_assessment_overrides_the_layer():
    entry = {**FULL, "assessments": [*FULL["assessments"],
                                      {"layer": "capability", "score": 2, "reason": "weak on our tasks",
                                       "reviewer": "bo", "date": "2026-11-02"}]}
    m = score_one(entry)
    assert m.layers["capability"].score == 2 and "bo" in m.layers["capability"].assessed_by


def test_lifecycle_from_dates_and_the_deprecated_flag():
    entry = {**FULL, "operations": {"deprecation_date": "2026-06-11", "shutdown_date": "2026-12-11"}}
    m = score_one(entry)
    assert m.computed["lifecycle"].value == "deprecated"
    assert [f.id for f in m.red_flags] == ["deprecated"] and m.red_flags[0].derived
    assert m.verdict == "not-green" or m.verdict == "green-light"  # one flag is not a veto
    assert score_one(entry, day=date(2026, 1, 1)).computed["lifecycle"].value == "sunset-announced"
    assert score_one(entry, day=date(2027, 1, 1)).computed["lifecycle"].value == "retired"


def test_two_red_flags_walk_away_whatever_the_total():
    entry = {**FULL, "license": "cc-by-nc-4.0", "operations": {"shutdown_date": "2024-06-13"}}
    m = score_one(entry)
    assert m.verdict == "walk-away"
    assert {f.id for f in m.red_flags} == {"deprecated", "non-commercial-licence"}


def test_asserted_flags_and_workload_dependent_flags():
    entry = {**FULL, "eval_languages": ["en", "fr"],
             "license_terms": {"arbitration_jurisdiction": "US-CA"},
             "red_flags": [{"id": "tokenizer-changed", "reason": "v2 changed the vocabulary", "source": "https://example.org"}]}
    eu_thai = Workload(name="w", ttft_budget_ms=300, languages=["th"], jurisdiction="EU-DE")
    m = score_one(entry, workload=eu_thai)
    flags = {f.id: f for f in m.red_flags}
    assert set(flags) == {"no-eval-in-language", "foreign-arbitration", "tokenizer-changed"}
    assert "no evaluation in th" in flags["no-eval-in-language"].reason
    assert not flags["tokenizer-changed"].derived
    assert m.verdict == "walk-away"
    # the same model, for an English-speaking US team, carries only the asserted flag
    us = Workload(name="w", ttft_budget_ms=300, languages=["en"], jurisdiction="US-NY")
    assert [f.id for f in score_one(entry, workload=us).red_flags] == ["tokenizer-changed"]


def test_unknown_facts_derive_no_flags():
    assert score_one(model()).red_flags == ()


def test_inputs_are_never_mutated():
    cat = Catalog.model_validate({"schema_version": 1, "models": [FULL]})
    r = rubric()
    before_cat, before_r = copy.deepcopy(cat.model_dump()), copy.deepcopy(r.model_dump())
    evaluate(cat, r, CHAT, DAY)
    assert cat.model_dump() == before_cat and r.model_dump() == before_r


def test_ranking_order_is_total_then_id():
    cat = Catalog.model_validate({"schema_version": 1, "models": [
        {**FULL, "id": "b"}, {**FULL, "id": "a"}, {**model(id="c")}]})
    report = evaluate(cat, rubric(), CHAT, DAY)
    assert [m.id for m in report.models] == ["a", "b", "c"]


def test_production_rubric_scores_the_seed_cost_test():
    """The seed's cost test mix: 2,000 tokens in, 500 out, priced per 1M tokens."""
    entry = model(pricing={"input_per_1m": 10, "output_per_1m": 30})
    m = score_one(entry, load_rubric("production"), load_workload("chat"))
    c = m.computed["usd_per_1k_tokens"]
    # (2000 × $10 + 500 × $30) / 1e6 = $0.035 per 2,500 tokens = $0.014 per 1k, plus ~1e-7 of egress
    assert c.value == pytest.approx(0.014, abs=1e-6)
    assert m.computed["usd_per_1k_tokens_3to1"].value == pytest.approx(0.015)
    assert {x.id: x.score for x in m.criteria}["usd-per-1k-tokens"] == 1


def test_models_of_the_same_size_share_no_computed_facts():
    """Self-hosted estimates are cached by size; one model's prices or dates must not leak into the next."""
    first = model(id="a", access=["api", "open-weights"], params="8B", pricing={"input_per_1m": 1, "output_per_1m": 2},
                  operations={"shutdown_date": "2025-01-31"})
    second = model(id="b", access=["api", "open-weights"], params="8B")
    r, chat = load_rubric("production"), load_workload("chat")
    together = evaluate(Catalog.model_validate({"schema_version": 1, "models": [first, second]}), r, chat, DAY)
    b_api, b_hosted = together.model("b@api"), together.model("b@self-hosted")
    assert "usd_per_1k_tokens" not in b_api.computed and "lifecycle" not in b_api.computed
    assert "gpus_needed" in b_hosted.computed  # the size-based estimate itself is shared, as it should be
    assert together.model("a@api").computed["lifecycle"].value == "retired"
    # the API's shutdown does not retire weights you hold; their "active" is an assumption
    for hosted in (together.model("a@self-hosted"), b_hosted):
        assert hosted.computed["lifecycle"].value == "active" and hosted.computed["lifecycle"].basis == "assumption"


def test_a_model_scores_the_same_alone_and_in_a_catalog():
    """Scoring shares results between models (memos per catalog); sharing must never change one."""
    entries = [
        FULL,
        model(id="ow", access="open-weights", params="70B", benchmarks={"mmlu": 82.0},
              operations={"deprecation_date": "2026-01-01"}, license="cc-by-nc-4.0"),
        model(id="ow2", access=["api", "open-weights"], params="70B", pricing={"input_per_1m": 3, "output_per_1m": 9},
              compliance={"soc2_type2": False, "eu_data_residency": True}, ecosystem={"vllm": True}),
        model(id="img", kind="diffusion-image", pricing={"per_image": 0.04}, serving={"seconds_per_image": 3.5}),
        model(id="flag", red_flags=[{"id": "memorised-books", "reason": "reproduces books"}],
              assessments=[{"layer": "capability", "score": 4, "reason": "strong on our set", "reviewer": "li",
                            "date": "2026-10-02"}],
              benchmarks={"mmlu": 86.0}, eval_languages=["fr"], training_data={"books_memorised_share": 0.7}),
        model(id="same", benchmarks={"mmlu": 86.0, "gsm8k": 91.0}, compliance={"soc2_type2": True},
              operations={"status": "active"}, ecosystem={"vllm": True}),
    ]
    for r in (rubric(), rubric(unknown="fail"), load_rubric("production")):
        for workload in (CHAT, load_workload("voice"), load_workload("batch")):
            together = evaluate(Catalog.model_validate({"schema_version": 1, "models": entries}), r, workload, DAY)
            for entry in entries:
                alone = evaluate(Catalog.model_validate({"schema_version": 1, "models": [entry]}), r, workload, DAY)
                assert together.model(entry["id"]).to_dict() == alone.models[0].to_dict()


@pytest.mark.parametrize(("facts", "flagged"), [
    ({"license": "other"}, True),
    ({"license": "unknown"}, True),
    ({}, True),  # no licence named at all
    ({"license": "jamba-open-model-license"}, True),  # an id the licence table does not list
    ({"license": "other", "license_terms": {"commercial_use": True, "source": "https://example.org/licence"}}, False),
    ({"license": "apache-2.0"}, False),
    ({"license": "llama3.1"}, False),
])
def test_open_weights_under_an_unreviewed_licence_are_flagged(facts, flagged):
    """docs/domain.md §10: `other`/`unknown` licences are red until reviewed (the production rubric's rule)."""
    production = load_rubric("production")
    m = score_one(model(access="open-weights", **facts), production)
    assert ("licence-unreviewed" in {f.id for f in m.red_flags}) is flagged
    assert ("license_review" in m.computed) is flagged
    # an API model's licence is its terms of service: never this flag
    api = score_one(model(**facts), production)
    assert "licence-unreviewed" not in {f.id for f in api.red_flags}


def test_dataframe_orders_verdicts_and_carries_the_computed_figures_as_numbers():
    import math
    from datetime import date

    from model_scorecard.schema.load import load_catalog, load_rubric
    from model_scorecard.scoring import evaluate

    report = evaluate(load_catalog("current"), load_rubric("production"), None, date(2026, 12, 5))
    frame = report.to_dataframe(computed=True)
    assert list(frame["verdict"].cat.categories)[0] == "green-light" and frame["verdict"].cat.ordered
    assert {"computed.usd_per_1k_tokens", "computed.ttft_ms", "computed.memory_gb"} <= set(frame.columns)
    for m, value in zip(report.models, frame["computed.usd_per_1k_tokens"]):
        c = m.computed.get("usd_per_1k_tokens")
        assert (c is None and math.isnan(value)) or value == c.value
    assert "computed.ttft_ms" not in report.to_dataframe().columns  # only when asked


def test_self_hosting_on_a_gpu_without_a_published_peak_keeps_the_memory_facts_only():
    """An Apple SoC: memory is sized on one device; speed, cost and carbon stay unknown, not invented."""
    hosted = model(id="m", access=["open-weights"], params="8B")
    mac = load_workload("chat").model_copy(update={"gpu": "m4-max"})
    m = score_one(hosted, load_rubric("production"), mac).computed
    assert m["gpus_needed"].value == 1 and m["fits_target_gpu"].value is True
    assert "one Apple M4 Max 128GB" in m["fits_target_gpu"].method
    assert "tokens_per_s" not in m and "ttft_ms" not in m and "self_hosted_usd_per_1k_tokens" not in m
    big = score_one(model(id="b", access=["open-weights"], params="70B"), load_rubric("production"), mac).computed
    assert big["gpus_needed"].value is None and big["fits_target_gpu"].value is False  # never "2 Macs"
