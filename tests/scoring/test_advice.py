"""scoring/advice: every rule of the bundled playbook, at and on both sides of its threshold; an
unknown fact leaves a rule not evaluated; the figures come from calc and the data files."""

from __future__ import annotations

import pytest

from model_scorecard.calc.carbon import carbon_tax_eur_per_gpu_hour
from model_scorecard.calc.moe import moe_break_even_utilisation
from model_scorecard.errors import InvalidInput
from model_scorecard.schema.advice import Situation
from model_scorecard.scoring.advice import advise, situation_from


def rule(situation: Situation, question: str, rule_id: str):
    q = advise(situation).question(question)
    return next(r for r in q.rules if r.id == rule_id)


def status(question: str, rule_id: str, **facts) -> str:
    return rule(Situation(**facts), question, rule_id).status


# -- transformer or diffusion: text share > 70 % ------------------------------------------------

@pytest.mark.parametrize("share, want", [(0.69, "not-fired"), (0.70, "not-fired"), (0.71, "fired"), (1.0, "fired")])
def test_mostly_text_fires_above_70_percent(share, want):
    assert status("architecture", "mostly-text", text_share=share) == want


@pytest.mark.parametrize("fidelity, want", [(True, "fired"), (False, "not-fired")])
def test_visual_fidelity_fires_diffusion(fidelity, want):
    assert status("architecture", "visual-fidelity", visual_fidelity_drives_margin=fidelity) == want


@pytest.mark.parametrize("share, bound, want", [(0.8, True, "fired"), (0.8, False, "not-fired"),
                                                (0.70, True, "not-fired"), (0.5, True, "not-fired")])
def test_latency_bound_text_suggests_a_diffusion_llm(share, bound, want):
    assert status("architecture", "latency-bound-text", text_share=share, latency_bound=bound) == want


def test_the_answer_names_the_rule_and_the_numbers_that_fired_it():
    q = advise(Situation(text_share=0.8)).question("architecture")
    assert q.status == "answered" and q.answers == ("transformer",)
    fired = next(r for r in q.rules if r.status == "fired")
    c = fired.conditions[0]
    assert (c.fact, c.op, c.value, c.threshold, c.holds) == ("text_share", "gt", 0.8, 0.7, True)
    assert "section 2" in fired.source


# -- fine-tune or RAG: private eval >= 70 % -----------------------------------------------------

@pytest.mark.parametrize("accuracy, rag, finetune", [(0.69, "not-fired", "fired"), (0.70, "fired", "not-fired"),
                                                     (0.71, "fired", "not-fired")])
def test_the_70_percent_rule(accuracy, rag, finetune):
    assert status("finetune-or-rag", "rag-first", private_eval_accuracy=accuracy) == rag
    assert status("finetune-or-rag", "finetune-first", private_eval_accuracy=accuracy) == finetune


def test_the_hybrid_recipe_memory_comes_from_calc_finetune():
    from model_scorecard.calc.finetune import LoraSpec, estimate_finetune

    numbers = {n.name: n for n in advise(Situation(model="8B")).question("finetune-or-rag").numbers}
    spec = LoraSpec(rank=64, frozen_fraction=0.7)
    assert numbers["hybrid_lora_rank"].value == 64 and numbers["hybrid_frozen_fraction"].value == 0.7
    assert numbers["lora_memory_bytes"].value == round(estimate_finetune(8_000_000_000, "lora", lora=spec).total_bytes)
    assert numbers["qlora_memory_bytes"].value < numbers["lora_memory_bytes"].value
    without = {n.name: n for n in advise(Situation()).question("finetune-or-rag").numbers}
    assert without["finetune_memory_bytes"].value is None and "not evaluated" in without["finetune_memory_bytes"].source


# -- hardware -------------------------------------------------------------------------------------

@pytest.mark.parametrize("ms, want", [(49.9, "fired"), (50, "not-fired"), (50.1, "not-fired")])
def test_under_50_ms_is_h100_class(ms, want):
    assert status("hardware", "latency-sensitive", latency_ms=ms) == want


@pytest.mark.parametrize("ms, want", [(49.9, "not-fired"), (50, "fired"), (200, "fired"), (500, "fired"),
                                      (500.1, "not-fired")])
def test_batch_band_is_50_to_500_ms(ms, want):
    assert status("hardware", "batch-jax", latency_ms=ms, batch_heavy=True, jax_team=True) == want
    assert status("hardware", "batch-no-jax", latency_ms=ms, batch_heavy=True, jax_team=False) == want


def test_jax_picks_tpu_and_no_jax_picks_gpu():
    jax = advise(Situation(latency_ms=200, batch_heavy=True, jax_team=True)).question("hardware")
    no_jax = advise(Situation(latency_ms=200, batch_heavy=True, jax_team=False)).question("hardware")
    assert jax.answers == ("TPU v5e",) and no_jax.answers == ("GPU",)
    assert status("hardware", "batch-jax", latency_ms=200, batch_heavy=False, jax_team=True) == "not-fired"
    assert status("hardware", "batch-jax", latency_ms=200, batch_heavy=True) == "not-evaluated"


@pytest.mark.parametrize("edge, want", [(True, "fired"), (False, "not-fired")])
def test_fanless_edge_is_cpu_4_bit(edge, want):
    assert status("hardware", "fanless-edge", edge_fanless=edge) == want


@pytest.mark.parametrize("context, research, want", [(499_999, True, "not-fired"), (500_000, True, "fired"),
                                                     (1_000_000, True, "fired"), (1_000_000, False, "not-fired")])
def test_500k_research_is_a_short_term_rental(context, research, want):
    assert status("hardware", "long-context-research", context_tokens=context, research=research) == want


# -- MoE break-even -------------------------------------------------------------------------------

def test_moe_break_even_from_calc_and_both_sides_of_it():
    u_star = moe_break_even_utilisation(1.38, 274 / 311, 0.1)
    assert 0.3 < u_star < 0.4
    below, at, above = u_star - 0.01, u_star, u_star + 0.01
    assert status("moe-break-even", "moe-cheaper", gpu_utilisation=above, fixed_cost_share=0.1) == "fired"
    assert status("moe-break-even", "dense-cheaper", gpu_utilisation=above, fixed_cost_share=0.1) == "not-fired"
    assert status("moe-break-even", "moe-cheaper", gpu_utilisation=at, fixed_cost_share=0.1) == "not-fired"
    assert status("moe-break-even", "dense-cheaper", gpu_utilisation=at, fixed_cost_share=0.1) == "fired"
    assert status("moe-break-even", "dense-cheaper", gpu_utilisation=below, fixed_cost_share=0.1) == "fired"
    r = rule(Situation(gpu_utilisation=above, fixed_cost_share=0.1), "moe-break-even", "moe-cheaper")
    assert r.conditions[0].threshold == pytest.approx(u_star)
    assert r.conditions[0].threshold_from == "moe_break_even_utilisation"


def test_moe_without_the_fixed_share_is_not_evaluated_and_names_it():
    q = advise(Situation(gpu_utilisation=0.9)).question("moe-break-even")
    assert q.status == "not-evaluated" and q.answers == ()
    assert all(r.missing == ("moe_break_even_utilisation",) for r in q.rules)
    numbers = {n.name: n.value for n in q.numbers}
    assert numbers["moe_break_even_utilisation"] is None
    # the post's two stated break-evens, as the fixed shares they imply
    assert numbers["fixed_share_implied_by_section_5"] == pytest.approx(0.1235, abs=1e-4)
    assert numbers["fixed_share_implied_by_takeaways"] == pytest.approx(0.1581, abs=1e-4)


# -- H100 vs A100 in the EU -----------------------------------------------------------------------

@pytest.mark.parametrize("tokens, h100, a100", [(2_999_999, "not-fired", "fired"), (3_000_000, "not-fired", "fired"),
                                                (3_000_001, "fired", "not-fired")])
def test_switch_to_h100_above_3m_tokens_a_day_in_the_eu(tokens, h100, a100):
    assert status("h100-vs-a100", "switch-to-h100", eu=True, tokens_per_day=tokens) == h100
    assert status("h100-vs-a100", "stay-on-a100", eu=True, tokens_per_day=tokens) == a100


def test_outside_the_eu_no_rule_fires():
    q = advise(Situation(eu=False, tokens_per_day=10_000_000)).question("h100-vs-a100")
    assert q.status == "no-rule-fired" and q.answers == ()


def test_h100_figures_come_from_calc_and_the_carbon_presets():
    q = advise(Situation(eu=True, tokens_per_day=10_000_000, a100_tokens_per_s=1000)).question("h100-vs-a100")
    n = {x.name: x.value for x in q.numbers}
    assert n["a100_carbon_eur_per_gpu_hour"] == pytest.approx(carbon_tax_eur_per_gpu_hour(0.68, 65))  # not 0.029
    assert n["h100_carbon_eur_per_gpu_hour"] == pytest.approx(0.02925)
    assert n["h100_carbon_per_token_vs_a100_same_site"] == pytest.approx(700 / 400 / 2.3, abs=1e-4)
    assert n["a100_gpu_hours_per_day"] == pytest.approx(10_000_000 / 3_600_000, abs=1e-3)
    assert n["h100_gpu_hours_per_day"] == pytest.approx(n["a100_gpu_hours_per_day"] / 2.3, abs=1e-3)
    low, high = n["a100_usd_per_day"]
    assert 0 < low < high


# -- unknowns and the whole situation -------------------------------------------------------------

def test_an_empty_situation_evaluates_nothing_and_guesses_nothing():
    advice = advise(Situation())
    assert all(q.status == "not-evaluated" for q in advice.questions)
    assert all(r.status == "not-evaluated" and r.missing for q in advice.questions for r in q.rules)
    assert advice.situation == {}


def test_a_known_failing_condition_beats_an_unknown_one():
    # latency 40 ms fails the 50-500 ms band whatever batch_heavy and jax_team are
    assert status("hardware", "batch-jax", latency_ms=40) == "not-fired"


def test_json_form_is_versioned_and_byte_identical():
    from model_scorecard.report.jsonfmt import dumps_bytes

    s = Situation(text_share=0.8, private_eval_accuracy=0.72, latency_ms=40, eu=True, tokens_per_day=5_000_000)
    one, two = dumps_bytes(advise(s).to_dict()), dumps_bytes(advise(s).to_dict())
    assert one == two and b'"schema_version": 1' in one and b'"kind": "advice"' in one


def test_options_override_the_file_and_bad_options_name_the_option(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("text_share: 0.5\neu: true\n")
    s = situation_from(path, {"text_share": 0.9, "eu": None})
    assert s.text_share == 0.9 and s.eu is True
    with pytest.raises(InvalidInput) as err:
        situation_from(None, {"fixed_cost_share": 1.0}, {"fixed_cost_share": "--fixed-cost-share"})
    assert "--fixed-cost-share" in str(err.value)
