"""Energy, emissions and carbon cost per 1k tokens (docs/domain.md §8 and §9)."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model_scorecard.calc.carbon import (
    HOURS_PER_YEAR,
    carbon_eur_per_1k_tokens,
    carbon_tax_eur_per_gpu_hour,
    embodied_g_co2e_per_1k_tokens,
    estimate_carbon,
    g_co2e_per_1k_tokens,
    implied_grid_g_co2e_per_kwh,
    kg_co2e_per_gpu_hour,
    wh_per_1k_tokens,
)
from model_scorecard.calc.ranges import Range
from model_scorecard.errors import UserError
from model_scorecard.tables.carbon import (
    carbon_presets,
    grid_g_co2e_per_kwh,
    pue_preset,
)
from model_scorecard.tables.gpus import find_gpu


def test_carbon_tax_per_gpu_hour_is_kg_times_price() -> None:
    # docs/domain.md §9: 0.68 kg x EUR 65/t = EUR 0.0442 per A100-hour; EUR 0.029 is the H100 row.
    assert carbon_tax_eur_per_gpu_hour(0.68, 65) == pytest.approx(0.0442)
    assert carbon_tax_eur_per_gpu_hour(0.45, 65) == pytest.approx(0.02925)


def test_energy_formula_worked_example() -> None:
    # one H100 at 700 W, 1,000 tokens/s, always busy, PUE 1.1: 1000 x 1.1 x 700 / 3.6e6 Wh
    wh = wh_per_1k_tokens(1000, 1, 700, 70, 1.0, 1.1)
    assert wh == pytest.approx(0.213889, rel=1e-5)
    assert g_co2e_per_1k_tokens(wh, 56) == pytest.approx(wh * 0.056)  # France, 2023
    # half the time idle at 70 W: (0.5 x 700 + 0.5 x 70) / 0.5 per served second
    assert wh_per_1k_tokens(1000, 1, 700, 70, 0.5, 1.1) == pytest.approx(1000 * 1.1 * 770 / 3.6e6)
    # a host share is paid whether or not the GPUs are busy
    assert wh_per_1k_tokens(1000, 8, 700, 70, 1.0, 1.0, host_w=4600) == pytest.approx(1000 * (5600 + 4600) / 3.6e6)


def test_same_site_h100_versus_a100_per_token() -> None:
    """docs/domain.md §9: at one site an H100 (700 W, 2.3x throughput) emits ~24% less per
    token than an A100 (400 W), not the 71% that 0.45 / 0.68 / 2.3 suggests."""
    a100 = wh_per_1k_tokens(1000, 1, 400, 0, 1.0, 1.1)
    h100 = wh_per_1k_tokens(2300, 1, 700, 0, 1.0, 1.1)
    assert 1 - h100 / a100 == pytest.approx(0.24, abs=0.01)
    assert 1 - (0.45 / 2.3) / 0.68 == pytest.approx(0.71, abs=0.01)  # the seed's double count


def test_seed_preset_cannot_hold_on_one_grid() -> None:
    seed = carbon_presets().seed_presets["seed-2024"]
    kg = seed.kg_co2e_per_gpu_hour
    assert kg == {"A100 80GB SXM": 0.68, "H100 SXM": 0.45} and seed.carbon_price_eur_per_t == 65
    assert "cannot both hold" in seed.note
    a100, h100 = find_gpu("A100"), find_gpu("H100")
    grid_a = implied_grid_g_co2e_per_kwh(kg["A100 80GB SXM"], a100.tdp_w, 1.1)
    grid_h = implied_grid_g_co2e_per_kwh(kg["H100 SXM"], h100.tdp_w, 1.1)
    assert grid_a / grid_h == pytest.approx(2.64, abs=0.01)
    # and the other way round: one grid gives the H100 the larger kg per hour
    assert kg_co2e_per_gpu_hour(700, 1.1, 381) > kg_co2e_per_gpu_hour(400, 1.1, 381)
    assert kg_co2e_per_gpu_hour(400, 1.0, 1000) == pytest.approx(0.4)


def test_presets_match_domain_section_8_with_sources() -> None:
    expected = {"france": 56, "sweden": 41, "germany": 381, "usa": 369, "eu-27": 214, "world": 475}
    presets = carbon_presets()
    assert {k: v.value for k, v in presets.grid_g_co2e_per_kwh.items()} == expected
    assert all(v.year == 2023 and v.source for v in presets.grid_g_co2e_per_kwh.values())
    assert grid_g_co2e_per_kwh("EU 27") == 214 and grid_g_co2e_per_kwh("France") == 56
    assert pue_preset("hyperscaler") == 1.1 and pue_preset("industry") == 1.58
    hyperscaler = presets.pue["hyperscaler"]
    assert (hyperscaler.low, hyperscaler.high) == (1.09, 1.2)
    assert presets.carbon_price_eur_per_t["seed"].value == 65
    assert presets.embodied["h100-gpu-kg-co2e"].value == 164
    assert presets.embodied["hgx-8-gpu-host-kg-co2e"].value == 5700
    with pytest.raises(UserError, match="did you mean 'france'"):
        grid_g_co2e_per_kwh("frnce")


def test_embodied_per_1k_tokens() -> None:
    # an H100 (164 kg) over 3 years, serving 1,000 tokens/s all the time
    g = embodied_g_co2e_per_1k_tokens(1000, 1, 1.0, 164, 3)
    assert g == pytest.approx(164e3 / (3 * HOURS_PER_YEAR) / 3600)
    # an 8-GPU host's 5,700 kg shared by its 8 GPUs roughly quintuples it
    with_host = embodied_g_co2e_per_1k_tokens(8000, 8, 1.0, 164, 3, host_embodied_kg=5700)
    assert with_host / g == pytest.approx((8 * 164 + 5700) / (8 * 164))
    assert embodied_g_co2e_per_1k_tokens(1000, 1, 0.25, 164, 3) == pytest.approx(4 * g)


def test_estimate_reports_operational_and_embodied_apart() -> None:
    h100 = find_gpu("H100")
    est = estimate_carbon(h100, 2, Range(1500, 2500, 4000), utilisation=0.5, pue=1.1, grid_g_co2e_per_kwh=214,
                          eur_per_t=65)
    assert est.wh_per_1k_tokens.low == pytest.approx(wh_per_1k_tokens(4000, 2, 700, 70, 0.5, 1.1))
    assert est.wh_per_1k_tokens.high == pytest.approx(wh_per_1k_tokens(1500, 2, 700, 70, 0.5, 1.1))
    assert est.g_co2e_per_1k_tokens.likely == pytest.approx(est.wh_per_1k_tokens.likely * 0.214)
    assert est.eur_per_1k_tokens is not None
    assert est.eur_per_1k_tokens.likely == pytest.approx(carbon_eur_per_1k_tokens(est.g_co2e_per_1k_tokens.likely, 65))
    assert est.embodied_g_co2e_per_1k_tokens is not None
    assert est.embodied_g_co2e_per_1k_tokens.likely == pytest.approx(embodied_g_co2e_per_1k_tokens(2500, 2, 0.5, 164, 3))
    text = "\n".join(est.assumptions)
    assert "TDP, 700 W" in text and "reported separately" in text and "EUR 65/t" in text
    assert est.inputs["idle_w"] == 70 and est.inputs["gpus"] == 2


def test_estimate_with_unknown_figures_says_so() -> None:
    mi300x = find_gpu("MI300X")  # no idle or embodied figure in the table
    est = estimate_carbon(mi300x, 1, 1000.0, utilisation=1.0, pue=1.58, grid_g_co2e_per_kwh=475)
    assert est.embodied_g_co2e_per_1k_tokens is None and est.eur_per_1k_tokens is None
    assert est.inputs["idle_w"] == pytest.approx(0.15 * 750)
    assert any("no idle figure" in a for a in est.assumptions)
    assert any("unknown: not reported" in a for a in est.assumptions)
    tpu = find_gpu("TPU v5e")
    with pytest.raises(ValueError, match="give busy_w"):
        estimate_carbon(tpu, 1, 1000.0, utilisation=1.0, pue=1.1, grid_g_co2e_per_kwh=56)
    assert estimate_carbon(tpu, 1, 1000.0, utilisation=1.0, pue=1.1, grid_g_co2e_per_kwh=56, busy_w=200).inputs["busy_w"] == 200
    custom = dataclasses.replace(mi300x, idle_w=90.0)
    assert estimate_carbon(custom, 1, 1000.0, utilisation=0.5, pue=1.1, grid_g_co2e_per_kwh=56).inputs["idle_w"] == 90


@pytest.mark.parametrize("bad", [
    lambda: wh_per_1k_tokens(1000, 1, 700, 70, 1.0, 0.9),  # PUE below 1
    lambda: wh_per_1k_tokens(1000, 1, 700, 70, 1.5, 1.1),  # utilisation above 1
    lambda: wh_per_1k_tokens(0, 1, 700, 70, 1.0, 1.1),
    lambda: wh_per_1k_tokens(1000, 1, -1, 70, 1.0, 1.1),
    lambda: embodied_g_co2e_per_1k_tokens(1000, 1, 1.0, 164, 0),
    lambda: carbon_tax_eur_per_gpu_hour(float("inf"), 65),
])
def test_invalid_inputs_raise(bad) -> None:
    with pytest.raises(ValueError):
        bad()


@settings(max_examples=100, deadline=None)
@given(t=st.floats(0.1, 1e6), n=st.integers(1, 64), busy=st.floats(0, 2000, allow_subnormal=False),
       idle=st.floats(0, 500, allow_subnormal=False), u=st.floats(0.01, 1), pue=st.floats(1, 3),
       host=st.floats(0, 5000, allow_subnormal=False), k=st.floats(1, 10))  # subnormals underflow to 0
def test_energy_is_non_negative_and_monotonic(t, n, busy, idle, u, pue, host, k) -> None:
    wh = wh_per_1k_tokens(t, n, busy, idle, u, pue, host)
    assert wh >= 0
    assert wh_per_1k_tokens(t * k, n, busy, idle, u, pue, host) <= wh * (1 + 1e-9)  # faster: less per token
    assert wh_per_1k_tokens(t, n, busy, idle, u, min(pue * k, 10), host) >= wh * (1 - 1e-9)
    if idle > 0 or host > 0:  # idle time and host draw are charged to the tokens served
        assert wh_per_1k_tokens(t, n, busy, idle, u / 2, pue, host) >= wh * (1 - 1e-9)
    assert g_co2e_per_1k_tokens(wh, 475) >= g_co2e_per_1k_tokens(wh, 41) >= 0
