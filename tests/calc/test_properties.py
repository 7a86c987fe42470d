"""Hypothesis properties of the calculators, over every config the project ships or tests.

* The parameter count (indeed the whole :class:`Architecture`) does not depend on the order of
  keys in config.json, at any depth (``rope_scaling``, ``quantization_config``,
  ``text_config`` …), for every bundled reference config and every test fixture.
* Memory grows with parameters, bits, context and batch -- strictly where it must: more
  parameters or bits always cost more weight bytes; another KV block always costs more cache
  unless every layer is a sliding window already full; another request always costs more.
  (``tests/calc/test_memory.py`` checks the same on Llama-3-8B; here every architecture.)
* A bigger GPU never fits worse.
* Costs, energy and carbon are never negative for non-negative inputs, zero only when a
  price, power or intensity is zero, and ordered low <= likely <= high.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model_scorecard import bundled
from model_scorecard.calc.architecture import FULL_ATTENTION, architecture_from_config
from model_scorecard.calc.carbon import (
    carbon_tax_eur_per_gpu_hour,
    embodied_g_co2e_per_1k_tokens,
    estimate_carbon,
    g_co2e_per_1k_tokens,
    implied_grid_g_co2e_per_kwh,
    kg_co2e_per_gpu_hour,
    wh_per_1k_tokens,
)
from model_scorecard.calc.cost import (
    audio_bytes,
    blended_usd_per_1k_tokens,
    carbon_eur_per_1k_tokens,
    egress_usd,
    egress_usd_per_1k_tokens,
    self_hosted_usd_per_1k_tokens,
    self_hosted_usd_per_1k_tokens_range,
    usd_per_image,
)
from model_scorecard.calc.memory import (
    ENGINES,
    PRECISIONS,
    bits_precision,
    estimate_memory,
    fit_on_gpu,
    kv_cache_bytes,
    weight_bytes,
)
from model_scorecard.calc.ranges import Range
from model_scorecard.tables.gpus import find_gpu, load_gpus

FIXTURES = Path(__file__).parent / "configs"
REFERENCE = bundled.data_file("reference")
CONFIG_FILES = {f"fixture:{p.stem}": p for p in sorted(FIXTURES.glob("*.json"))}
CONFIG_FILES.update({f"reference:{p.stem}": p for p in sorted(REFERENCE.glob("*.json"))})


def load(key: str) -> dict[str, Any]:
    return json.loads(CONFIG_FILES[key].read_text(encoding="utf-8"))


ARCHS = {key: architecture_from_config(load(key)) for key in CONFIG_FILES}
DECODERS = sorted(k for k, a in ARCHS.items() if not a.is_encoder and a.layer_types)


def test_the_configs_cover_every_file_and_their_nested_dicts() -> None:
    assert len([k for k in CONFIG_FILES if k.startswith("reference:")]) == len(list(REFERENCE.glob("*.json"))) >= 9
    assert len([k for k in CONFIG_FILES if k.startswith("fixture:")]) >= 20
    nested = {key for key in CONFIG_FILES for v in load(key).values() if isinstance(v, dict)}
    # rope_scaling (Llama 3.1), quantization_config (DeepSeek-V3), text_config (Gemma 3) are among them
    assert {"reference:meta-llama--Llama-3.1-405B", "fixture:deepseek-ai--DeepSeek-V3",
            "fixture:google--gemma-3-4b-it"} <= nested


# --------------------------------------------------------------------------- key order

def shuffled(value: Any, data: st.DataObject) -> Any:
    """``value`` with every dict's keys in a drawn order, at every depth (lists keep theirs)."""
    if isinstance(value, dict):
        keys = data.draw(st.permutations(list(value)))
        return {k: shuffled(value[k], data) for k in keys}
    if isinstance(value, list):
        return [shuffled(v, data) for v in value]
    return value


@settings(max_examples=150, deadline=None)
@given(key=st.sampled_from(sorted(CONFIG_FILES)), data=st.data())
def test_architecture_is_invariant_under_key_order_at_every_depth(key: str, data: st.DataObject) -> None:
    cfg = load(key)
    mixed = shuffled(cfg, data)
    assert mixed == cfg  # the same content …
    got = architecture_from_config(mixed)  # … so the same facts
    assert got == ARCHS[key]
    assert (got.total_params, got.active_params) == (ARCHS[key].total_params, ARCHS[key].active_params)


def test_the_shuffle_reaches_nested_dicts() -> None:
    """A guard on the property above: the strategy really reorders keys inside nested dicts."""
    cfg = load("fixture:deepseek-ai--DeepSeek-V3")
    assert len(cfg["rope_scaling"]) > 2 and len(cfg["quantization_config"]) > 2
    seen: set[tuple[tuple[str, ...], ...]] = set()

    @settings(max_examples=30, deadline=None, database=None)
    @given(data=st.data())
    def collect(data: st.DataObject) -> None:
        mixed = shuffled(cfg, data)
        seen.add((tuple(mixed["rope_scaling"]), tuple(mixed["quantization_config"])))

    collect()
    assert len({r for r, _ in seen}) > 1 and len({q for _, q in seen}) > 1


# --------------------------------------------------------------------------- memory

bits_st = st.floats(min_value=0.5, max_value=31, allow_nan=False)


@settings(max_examples=100, deadline=None)
@given(key=st.sampled_from(DECODERS), params=st.integers(10**6, 2 * 10**12), bits=bits_st,
       more=st.floats(min_value=0.01, max_value=1))
def test_weights_grow_strictly_with_params_and_bits(key: str, params: int, bits: float, more: float) -> None:
    a = ARCHS[key]

    def total(p: int = params, b: float = bits) -> float:
        return estimate_memory(a, params=p, precision=bits_precision(b), context=16).weights_bytes

    assert total() > 0
    assert total(p=params + 1) > total()
    assert total(b=bits + more) > total()
    assert total(b=bits + more) / total() == pytest.approx((bits + more) / bits)


def test_named_precisions_order_weight_bytes() -> None:
    a = ARCHS["fixture:meta-llama--Llama-3.1-70B-Instruct"]
    embed = a.param_breakdown["embeddings"] + a.param_breakdown["lm_head"]
    by_bits = sorted(PRECISIONS.values(), key=lambda p: p.bits)
    sizes = [weight_bytes(a.total_params, p, embed).total_bytes for p in by_bits]
    for (p, s), (q, t) in zip(zip(by_bits, sizes), zip(by_bits[1:], sizes[1:])):
        assert (s < t) if p.bits < q.bits else (s == t), (p.name, q.name)


@settings(max_examples=100, deadline=None)
@given(key=st.sampled_from(DECODERS), context=st.integers(1, 1 << 20), batch=st.integers(1, 64),
       kv=st.sampled_from([1, 2, 4]), engine=st.sampled_from(sorted(ENGINES)))
def test_memory_grows_with_context_and_batch(key: str, context: int, batch: int, kv: float, engine: str) -> None:
    a = ARCHS[key]
    kv_dtype = {1: "fp8", 2: "bf16", 4: "fp32"}[kv]

    def est(c: int = context, n: int = batch):
        return estimate_memory(a, precision=PRECISIONS["bf16"], context=c, batch=n, kv_dtype=kv_dtype,
                               engine=ENGINES[engine])

    base = est()
    longer, wider = est(c=context + 16), est(n=batch + 1)
    assert longer.total_bytes >= base.total_bytes and wider.total_bytes > base.total_bytes
    assert wider.kv_cache_bytes == pytest.approx(base.kv_cache_bytes * (batch + 1) / batch)
    if FULL_ATTENTION in a.layer_types or "mla" in a.layer_types:  # some layer keeps every token
        assert longer.kv_cache_bytes > base.kv_cache_bytes
        assert longer.total_bytes > base.total_bytes
    elif not any(k in ("sliding_attention", "chunked_attention") for k in a.layer_types):
        # linear-attention / SSM layers only: no KV cache, a constant state per sequence
        assert base.kv_cache_bytes == longer.kv_cache_bytes == 0 < base.kv_state_bytes == longer.kv_state_bytes
        assert wider.kv_state_bytes == pytest.approx(base.kv_state_bytes * (batch + 1) / batch)
    elif ENGINES[engine].sliding_holds_prompt:  # transformers: the prefill keeps the whole prompt
        assert longer.kv_cache_bytes > base.kv_cache_bytes
    else:  # only sliding windows: the cache stops at the window
        window = kv_cache_bytes(a, a.sliding_window + 64, 1, kv)
        assert base.kv_cache_bytes <= window * batch
    # fp8 KV never costs more than bf16, which never costs more than fp32
    if kv > 1:
        cheaper = estimate_memory(a, precision=PRECISIONS["bf16"], context=context, batch=batch,
                                  kv_dtype={2: "fp8", 4: "bf16"}[kv], engine=ENGINES[engine])
        assert cheaper.kv_cache_bytes == pytest.approx(base.kv_cache_bytes / 2)


GPUS = sorted(load_gpus().values(), key=lambda g: g.memory_bytes)


@settings(max_examples=60, deadline=None)
@given(key=st.sampled_from(DECODERS), bits=st.sampled_from([4.156, 8, 16]), context=st.integers(16, 1 << 17),
       small=st.integers(0, len(GPUS) - 1), big=st.integers(0, len(GPUS) - 1))
def test_a_bigger_gpu_never_fits_worse(key: str, bits: float, context: int, small: int, big: int) -> None:
    a = ARCHS[key]
    lo, hi = sorted((GPUS[small].memory_bytes, GPUS[big].memory_bytes))
    weights = a.total_params * bits / 8

    def fit(mem: int):
        return fit_on_gpu(a, weights, "x", mem, context=context, batch=1, kv_bytes=2, engine=ENGINES["vllm"])

    f, g = fit(lo), fit(hi)
    if f.fits:
        assert g.fits and g.count <= f.count
    if f.fits and g.count == f.count:
        assert g.kv_capacity_tokens >= f.kv_capacity_tokens and g.max_concurrency >= f.max_concurrency


# --------------------------------------------------------------------------- costs and carbon

price = st.one_of(st.just(0.0), st.floats(min_value=1e-6, max_value=1e4))  # zero, or a real amount
positive = st.floats(min_value=1e-6, max_value=1e7, allow_nan=False)
share = st.floats(min_value=1e-4, max_value=1, allow_nan=False)
tokens = st.integers(0, 10**7)


@settings(max_examples=200, deadline=None)
@given(pin=price, pout=price, i=tokens, o=tokens)
def test_api_blend_is_non_negative_and_between_its_prices(pin: float, pout: float, i: int, o: int) -> None:
    if i + o == 0:
        i = 1
    blend = blended_usd_per_1k_tokens(pin, pout, i, o)
    assert blend >= 0
    lo, hi = sorted((pin, pout))
    assert lo / 1000 * (1 - 1e-12) <= blend <= hi / 1000 * (1 + 1e-12)  # per 1k of a per-1M price
    assert (blend > 0) == ((pin > 0 and i > 0) or (pout > 0 and o > 0))


@settings(max_examples=200, deadline=None)
@given(p=price, n=st.integers(1, 64), t=positive, u=share, secs=positive, b=price, g=price, kbit=price)
def test_self_hosted_image_and_egress_costs_are_non_negative(p, n, t, u, secs, b, g, kbit) -> None:
    per_1k = self_hosted_usd_per_1k_tokens(p, n, t, u)
    image = usd_per_image(p, n, secs, u)
    assert per_1k >= 0 and image >= 0
    assert (per_1k > 0) == (image > 0) == (p > 0)
    assert egress_usd(b, g) >= 0 and egress_usd_per_1k_tokens(b, g) >= 0 and audio_bytes(secs, kbit) >= 0
    band = self_hosted_usd_per_1k_tokens_range((p, p * 2), n, Range(t, t * 2, t * 3), Range(t, t * 2, t * 3), u,
                                               1000, 200)
    assert 0 <= band.low <= band.likely <= band.high


@settings(max_examples=200, deadline=None)
@given(t=positive, n=st.integers(1, 64), busy=price, idle=price, u=share, pue=st.floats(1, 3), host=price,
       grid=price, eur=price, kg=price, life=st.floats(0.1, 10))
def test_energy_carbon_and_carbon_prices_are_non_negative(t, n, busy, idle, u, pue, host, grid, eur, kg,
                                                          life) -> None:
    wh = wh_per_1k_tokens(t, n, busy, idle, u, pue, host)
    grams = g_co2e_per_1k_tokens(wh, grid)
    assert wh >= 0 and grams >= 0 and carbon_eur_per_1k_tokens(grams, eur) >= 0
    assert (wh > 0) == (busy > 0 or (idle > 0 and u < 1) or host > 0)
    assert embodied_g_co2e_per_1k_tokens(t, n, u, kg, life) >= 0
    per_hour = kg_co2e_per_gpu_hour(busy, pue, grid)
    assert per_hour >= 0 and carbon_tax_eur_per_gpu_hour(per_hour, eur) >= 0
    if busy > 0:
        assert implied_grid_g_co2e_per_kwh(per_hour, busy, pue) == pytest.approx(grid, rel=1e-9, abs=1e-12)


H100 = find_gpu("H100")


@settings(max_examples=60, deadline=None)
@given(low=positive, spread=st.floats(1, 10), u=share, pue=st.floats(1, 3), grid=price, eur=price,
       n=st.integers(1, 8))
def test_carbon_estimate_bands_are_non_negative_and_ordered(low, spread, u, pue, grid, eur, n) -> None:
    est = estimate_carbon(H100, n, Range(low, low * spread, low * spread * spread), utilisation=u, pue=pue,
                          grid_g_co2e_per_kwh=grid, eur_per_t=eur)
    for band in (est.wh_per_1k_tokens, est.g_co2e_per_1k_tokens, est.embodied_g_co2e_per_1k_tokens,
                 est.eur_per_1k_tokens):
        assert band is not None and 0 <= band.low <= band.likely <= band.high
        assert all(math.isfinite(x) for x in (band.low, band.likely, band.high))
