"""The verdict ladder on the production rubric: evidence, gates, workload fit, deployments.

Each test names the behaviour a platform lead relies on; catalogs are written here, so
the assertions do not depend on the bundled catalog's facts except where a test says so.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model_scorecard.schema.catalog import Catalog
from model_scorecard.schema.load import load_catalog, load_rubric
from model_scorecard.schema.workload import Workload, load_workload
from model_scorecard.scoring import evaluate

DAY = date(2026, 11, 23)
CARD = "https://example.org/model-card"
PROD = load_rubric("production")
ROADMAP = load_rubric("roadmap-2024")  # the 2024 catalog is read with the benchmarks of its day
CHAT = load_workload("chat")


def catalog(*models: dict) -> Catalog:
    return Catalog.model_validate({"schema_version": 1, "models": list(models)})


def one(entry: dict, workload: Workload = CHAT, day: date = DAY, rubric=PROD):
    return evaluate(catalog(entry), rubric, workload, day).models[0]


def open_model(**facts) -> dict:
    """Open weights with evidence in every layer of the production rubric (an 8B instruct model)."""
    base = {
        "id": "ow", "name": "Open 8B", "vendor": "Acme", "kind": "llm", "access": "open-weights",
        "source": CARD, "grade": "first-party", "checkpoint": "instruct", "license": "apache-2.0",
        "params": "8B", "context_window": "128k", "release_date": "2025-01-10",
        "benchmarks": {"gpqa": {"value": 80.0, "variant": "diamond"}, "swe_bench_verified": 70.0,
                       "mmlu_pro": {"value": 75.0, "n_shot": 5, "cot": True}},
        "ecosystem": {"vllm": True, "hf_downloads": 2_000_000},
    }
    base.update(facts)
    return base


def api_model(**facts) -> dict:
    base = {
        "id": "api", "name": "Hosted", "vendor": "Acme", "kind": "llm", "access": "api", "source": CARD,
        "checkpoint": "instruct", "context_window": "200k", "release_date": "2025-03-01",
        "benchmarks": {"aa_intelligence_index": {"value": 56.0, "variant": "v4.1", "grade": "independent",
                                                 "source": "https://example.org/aa"},
                       "gpqa": {"value": 86.0, "variant": "diamond"}},
        "pricing": {"input_per_1m": 0.2, "output_per_1m": 0.8},
        "serving": {"ttft_p95_ms": 150, "tokens_per_s": 120, "source": "https://example.org/measured",
                    "grade": "independent"},
        "compliance": {"soc2_type2": True, "gdpr_dpa": "standard", "eu_data_residency": True},
        "license_terms": {"commercial_use": True},
        "operations": {"status": "active"},
        "ecosystem": {"openai_compatible": True, "sdk_integrations": 9, "cloud_platforms": 3},
    }
    base.update(facts)
    return base


def test_the_evidence_rich_fixtures_are_green():
    """The other tests take one thing away from these; both start green."""
    assert one(open_model()).verdict == "green-light"
    assert one(api_model()).verdict == "green-light"


def test_an_api_can_reach_thirty():
    m = one(api_model())
    assert m.total >= 27 and all(lr.score is not None for lr in m.layers.values())
    assert m.layers["latency_throughput"].score >= 4 and m.layers["ecosystem_moat"].score == 5


def test_params_and_vllm_alone_are_not_green(write, cli):
    bare = {"id": "bare-7b", "name": "Bare", "vendor": "Acme", "kind": "llm", "access": "open-weights",
            "params": "7B", "ecosystem": {"vllm": True}}
    m = one(bare)
    assert m.verdict != "green-light"
    assert m.verdict == "not-green" or m.verdict == "insufficient-evidence"
    path = write("bare.yaml", "schema_version: 1\nmodels:\n  - id: bare-7b\n    name: Bare\n    vendor: Acme\n"
                              "    kind: llm\n    access: open-weights\n    params: 7B\n    ecosystem: {vllm: true}\n")
    doc = json.loads(cli("rank", path, "--as-of", DAY.isoformat(), "-f", "json").stdout)
    assert doc["models"][0]["verdict"] != "green-light"


def test_assumptions_are_shown_but_never_counted_as_evidence():
    m = one(open_model())
    data_control = {c.id: c for c in m.criteria}["data-control"]
    assert data_control.value == "self-hosted" and data_control.basis == "assumption"
    assert m.computed["lifecycle"].basis == "assumption"
    # without its licence facts, the safety layer rests on the access mode alone: it counts
    # for nothing, neither in the layer's score nor as evidence
    m = one(open_model(license=None))
    assert m.verdict != "green-light"
    assert m.layers["safety_compliance"].score == 0.0 and m.layers["safety_compliance"].short_of_evidence
    assert {c.id: c for c in m.criteria}["data-control"].score == 5.0  # shown with what it would give


def test_third_party_facts_are_scored_but_do_not_lift_a_layer():
    rumour = {"gpqa": {"value": 80.0, "variant": "diamond", "grade": "third-party"},
              "swe_bench_verified": {"value": 70.0, "grade": "third-party"}}
    m = one(open_model(benchmarks=rumour))
    assert m.layers["capability"].score is not None and m.layers["capability"].score > 0
    assert m.verdict == "insufficient-evidence"
    assert m.layers["capability"].short_of_evidence
    assert any("benchmarks.gpqa (third-party source)" in r for r in m.reasons)


def test_base_and_code_checkpoints_are_flagged_and_never_green_for_chat():
    for kind in ("base", "code"):
        m = one(open_model(checkpoint=kind))
        assert m.verdict != "green-light"
        assert "checkpoint-mismatch" in {f.id for f in m.red_flags}
    batch = Workload(name="batch-extract", conversational=False)
    assert one(open_model(checkpoint="base"), workload=batch).verdict == "green-light"


def test_the_bundled_base_code_and_evidence_free_checkpoints_are_not_green_for_chat():
    report = evaluate(load_catalog("roadmap-2024"), ROADMAP, CHAT, DAY)
    for mid in ("mistral-7b", "qwen2-57b-a14b", "gemma-7b", "llama-2-13b", "codellama-34b-python"):
        for m in report.deployments_of(mid):
            assert m.verdict != "green-light", (mid, m.reasons)


def test_a_prompt_longer_than_the_context_window_is_never_green():
    long_prompt = CHAT.model_copy(update={"input_tokens": 6000})
    m = one(open_model(context_window="4k"), workload=long_prompt)
    assert m.verdict == "not-green"
    assert any(g.id == "context-fit" and g.passed is False for g in m.gates)


RANK = {"green-light": 0, "insufficient-evidence": 1, "not-green": 2, "walk-away": 3, "not-applicable": 4}


@settings(max_examples=40, deadline=None)
@given(budget=st.floats(min_value=20, max_value=2000), tighter=st.floats(min_value=0.05, max_value=1.0),
       p95=st.floats(min_value=10, max_value=1500))
def test_a_tighter_first_token_budget_never_improves_a_verdict(budget, tighter, p95):
    entry = api_model(serving={"ttft_p95_ms": p95, "tokens_per_s": 120, "source": "https://example.org/m"})
    loose = one(entry, workload=CHAT.model_copy(update={"ttft_budget_ms": budget}))
    tight = one(entry, workload=CHAT.model_copy(update={"ttft_budget_ms": budget * tighter}))
    assert RANK[tight.verdict] >= RANK[loose.verdict]
    assert tight.total <= loose.total


def test_a_stated_median_over_budget_fails_the_first_token_gate():
    m = one(api_model(serving={"ttft_median_ms": 450, "source": "https://example.org/m"}))
    assert m.verdict == "not-green"
    assert any(g.id == "first-token" and g.passed is False and "median" in g.reason for g in m.gates)


def test_as_of_green_lights_nothing_released_later(cli):
    doc = json.loads(cli("rank", "roadmap-2024", "--rubric", "roadmap-2024", "--as-of", "2024-06-01",
                         "-f", "json").stdout)
    cat = {m.id: m for m in load_catalog("roadmap-2024").models}
    for row in doc["models"]:
        released = cat[row["id"]].release_date
        if released is not None and released.value > date(2024, 6, 1):
            assert row["verdict"] == "not-applicable", row["key"]
    assert any(r["id"] == "llama-3.1-8b" and r["verdict"] == "not-applicable" for r in doc["models"])


def test_a_shutdown_model_fails_the_availability_gate():
    m = one(api_model(operations={"status": "active", "shutdown_date": "2026-01-01"}))
    assert m.verdict != "green-light"
    assert any(g.id == "available" and g.passed is False for g in m.gates)


def test_rank_applies_the_bundled_licence_table_offline(cli):
    doc = json.loads(cli("rank", "roadmap-2024", "--as-of", DAY.isoformat(), "-f", "json").stdout)
    llama2 = next(r for r in doc["models"] if r["id"] == "llama-2-13b")
    assert "hosting-restricted" in {f["id"] for f in llama2["red_flags"]}


def test_a_licence_that_forbids_commercial_use_fails_a_commercial_workload():
    m = one(open_model(license="cc-by-nc-4.0"))
    assert m.verdict in ("not-green", "walk-away")
    research = Workload(name="research", commercial=False)
    assert not any(g.id == "licence" and g.passed is False for g in one(open_model(license="cc-by-nc-4.0"),
                                                                         workload=research).gates)


def test_unreviewed_open_weights_licence_is_not_green():
    m = one(open_model(license="other"))
    assert m.verdict != "green-light"


def test_an_image_model_is_not_ranked_on_a_text_workload():
    image = {"id": "img", "name": "Img", "vendor": "Acme", "kind": "diffusion-image", "access": "open-weights",
             "source": CARD, "license": "apache-2.0"}
    report = evaluate(catalog(open_model(), image), PROD, CHAT, DAY)
    assert [m.key for m in report.models] == ["ow", "img"]
    assert report.model("img").verdict == "not-applicable" and not report.model("img").ranked
    assert report.rows()[1]["rank"] is None
    images = Workload(name="images", serves=["diffusion-image"], conversational=False)
    assert evaluate(catalog(open_model(), image), PROD, images, DAY).model("ow").verdict == "not-applicable"


def test_the_same_open_weights_score_the_same_with_and_without_an_api():
    alone = one(open_model())
    with_api = open_model(access=["open-weights", "api"], pricing={"input_per_1m": 9, "output_per_1m": 30},
                          serving={"ttft_p95_ms": 2000, "source": "https://example.org/m"},
                          compliance={"soc2_type2": False}, operations={"status": "deprecated"})
    report = evaluate(catalog(with_api), PROD, CHAT, DAY)
    hosted, api = report.model("ow@self-hosted"), report.model("ow@api")
    assert hosted.deployment == "self-hosted" and api.deployment == "api"
    assert (hosted.verdict, hosted.total, hosted.layers) == (alone.verdict, alone.total, alone.layers)
    assert [c for c in hosted.criteria] == [c for c in alone.criteria]
    assert api.verdict != "green-light"  # its own facts: slow, deprecated


def test_a_benchmark_of_another_protocol_is_context_not_score():
    zero_shot = {"mmlu_pro": {"value": 85.0, "n_shot": 0, "cot": True},
                 "gpqa": {"value": 80.0, "variant": "diamond"}, "swe_bench_verified": 70.0}
    m = one(open_model(benchmarks=zero_shot))
    pro = {c.id: c for c in m.criteria}["mmlu-pro"]
    assert pro.status == "context" and pro.score is None and "0-shot" in pro.reason
    unstated = one(open_model(benchmarks={"mmlu_pro": 80.0, "gpqa": {"value": 80.0, "variant": "diamond"}}))
    pro = {c.id: c for c in unstated.criteria}["mmlu-pro"]
    assert pro.status == "scored" and "does not state" in pro.reason


def test_percentages_above_100_are_errors(write, cli):
    path = write("bad.yaml", "schema_version: 1\nmodels:\n  - id: x\n    name: X\n    vendor: Acme\n    kind: llm\n"
                             "    access: api\n    benchmarks:\n      mmlu: 120\n")
    result = cli("validate", path)
    assert result.exit_code == 2 and "bad.yaml:9:" in result.output


def test_every_green_light_says_how_robust_it_is():
    m = one(open_model())
    assert m.verdict == "green-light"
    assert m.pessimistic_total <= m.total <= m.optimistic_total
    assert any("margin" in r and "range" in r for r in m.reasons)


@pytest.mark.parametrize("policy", ["skip", "zero", "fail"])
def test_the_interval_brackets_the_headline_under_every_policy(policy):
    rubric = PROD.model_copy(update={"unknown": policy})
    m = one(open_model(), rubric=rubric)
    assert m.pessimistic_total <= m.total <= m.optimistic_total


def test_validate_warns_about_a_benchmark_of_another_protocol(write, cli):
    path = write("cat.yaml", "schema_version: 1\nmodels:\n  - id: x\n    name: X\n    vendor: Acme\n    kind: llm\n"
                             "    access: api\n    checkpoint: instruct\n    benchmarks:\n"
                             "      mmlu_pro: {value: 88, n_shot: 0, cot: true}\n      gpqa: {value: 50, variant: diamond}\n")
    result = cli("validate", path)
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if "benchmark-protocol" in line]
    assert len(warnings) == 1 and "cat.yaml:10:" in warnings[0] and "0-shot" in warnings[0]


def test_rank_can_add_p_green_to_every_format(cli):
    plain = json.loads(cli("rank", "--as-of", DAY.isoformat(), "-f", "json").stdout)
    assert all("p_green" not in m for m in plain["models"])
    first = cli("rank", "--as-of", DAY.isoformat(), "-f", "json", "--sensitivity").stdout
    assert first == cli("rank", "--as-of", DAY.isoformat(), "-f", "json", "--sensitivity").stdout
    rows = json.loads(first)["models"]
    assert all(0.0 <= m["p_green"] <= 1.0 for m in rows)
    assert all(m["p_green"] == 0.0 for m in rows if m["verdict"] in ("walk-away", "not-applicable"))
    csv = cli("rank", "--as-of", DAY.isoformat(), "-f", "csv", "--sensitivity").stdout
    assert csv.splitlines()[0].endswith(",p_green")
    table = cli("rank", "--as-of", DAY.isoformat(), "--sensitivity").stdout
    assert "P(green)" in table


def test_self_hosted_cost_follows_the_traffic():
    quiet = CHAT.model_copy(update={"tokens_per_day": 10_000_000})
    busy = CHAT.model_copy(update={"tokens_per_day": 1_000_000_000})
    low, high = one(open_model(), workload=quiet), one(open_model(), workload=busy)
    cost_quiet = low.computed["self_hosted_usd_per_1k_tokens"]
    cost_busy = high.computed["self_hosted_usd_per_1k_tokens"]
    assert cost_quiet.value > cost_busy.value
    assert cost_quiet.inputs["replicas"] == 1 and cost_busy.inputs["replicas"] > 1
    assert cost_quiet.inputs["utilisation"] < cost_busy.inputs["utilisation"] <= 1
    assert any("billed around the clock" in a for a in cost_quiet.assumptions)


def test_the_costed_batch_never_exceeds_what_the_kv_cache_holds():
    batch = load_workload("batch").model_copy(update={"precision": "fp8"})  # 64 sequences of 2,500 tokens
    m = one(open_model(params="70B"), workload=batch)
    cost = m.computed["self_hosted_usd_per_1k_tokens"]
    assert cost.inputs["batch"] < batch.concurrency
    assert any("batch capped" in a for a in cost.assumptions)


def test_a_model_retired_by_its_stated_status_fails_availability_and_says_so():
    m = one(api_model(operations={"status": "retired"}))
    gate = next(g for g in m.gates if g.id == "available")
    assert gate.passed is False and "retired" in gate.reason and "None" not in gate.reason


def test_the_weights_licence_does_not_bind_the_vendors_api():
    both = open_model(access=["open-weights", "api"], license="cc-by-nc-4.0",
                      pricing={"input_per_1m": 1, "output_per_1m": 2})
    report = evaluate(catalog(both), PROD, CHAT, DAY)
    hosted, api = report.model("ow@self-hosted"), report.model("ow@api")
    assert "non-commercial-licence" in {f.id for f in hosted.red_flags}
    assert any(g.id == "licence" and g.passed is False for g in hosted.gates)
    assert "non-commercial-licence" not in {f.id for f in api.red_flags}
    assert not any(g.id == "licence" and g.passed is False for g in api.gates)
