"""Self-hosted cost per 1k tokens and per image, egress by bytes (docs/domain.md §7)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model_scorecard.calc.cost import (
    TEXT_BYTES_PER_TOKEN,
    audio_bytes,
    blended_usd_per_1k_tokens,
    egress_usd,
    egress_usd_per_1k_tokens,
    self_hosted_blended_usd_per_1k_tokens,
    self_hosted_usd_per_1k_tokens,
    self_hosted_usd_per_1k_tokens_range,
    usd_per_image,
    usd_per_image_range,
)
from model_scorecard.calc.ranges import Range
from model_scorecard.tables.gpus import find_gpu


def test_self_hosted_formula_worked_example() -> None:
    # 1000·N·p/(3600·T·u): one GPU at $2/h serving 1,000 tokens/s all the time.
    assert self_hosted_usd_per_1k_tokens(2.0, 1, 1000, 1.0) == pytest.approx(2 / 3600)
    # two GPUs at half the throughput and a quarter of the time busy: 2 x 2 x 4 = 16x
    assert self_hosted_usd_per_1k_tokens(2.0, 2, 500, 0.25) == pytest.approx(16 * 2 / 3600)


def test_utilisation_is_what_separates_26_from_1_dollar_per_million() -> None:
    """docs/domain.md §7: ~$26/1M at a low duty cycle against ~$1/1M busy: u = 1/26."""
    busy = self_hosted_usd_per_1k_tokens(4.0, 2, 2200, 1.0) * 1000
    idle_most = self_hosted_usd_per_1k_tokens(4.0, 2, 2200, 1 / 26) * 1000
    assert busy == pytest.approx(1.0, rel=0.02)
    assert idle_most == pytest.approx(26 * busy)


def test_per_1k_versus_per_1b_slip() -> None:
    """docs/domain.md §9: $311 per 1B tokens is $0.000311 per 1k, not $0.25."""
    # the throughput at which 8 GPUs at $2.80/h cost $311 per 1B tokens
    tokens_per_s = 8 * 2.80 * 1e9 / (3600 * 311)
    per_1k = self_hosted_usd_per_1k_tokens(2.80, 8, tokens_per_s, 1.0)
    assert per_1k == pytest.approx(0.000311)
    assert per_1k * 1e6 == pytest.approx(311)


def test_blend_is_the_gpu_time_of_a_request() -> None:
    # the seed's request: 2,000 in at 10,000 tok/s prefill, 500 out at 50 tok/s decode
    blended = self_hosted_blended_usd_per_1k_tokens(3.0, 2, 10_000, 50, 0.5, 2000, 500)
    gpu_seconds = 2000 / 10_000 + 500 / 50
    by_time = 2 * 3.0 * gpu_seconds / 3600 / 0.5 / 2500 * 1000
    assert blended == pytest.approx(by_time)
    c_in = self_hosted_usd_per_1k_tokens(3.0, 2, 10_000, 0.5)
    c_out = self_hosted_usd_per_1k_tokens(3.0, 2, 50, 0.5)
    assert blended == pytest.approx((2000 * c_in + 500 * c_out) / 2500)
    assert c_in < blended < c_out


def test_range_pairs_cheap_price_with_fast_throughput() -> None:
    h100 = find_gpu("H100")
    prices = (h100.usd_per_hour_low, h100.usd_per_hour_high)  # 1.99-7.00 (2026)
    band = self_hosted_usd_per_1k_tokens_range(prices, 1, Range(5000, 8000, 10000), Range(1000, 2000, 3000),
                                               0.6, 2000, 500)
    assert band.low == pytest.approx(self_hosted_blended_usd_per_1k_tokens(1.99, 1, 10000, 3000, 0.6, 2000, 500))
    assert band.high == pytest.approx(self_hosted_blended_usd_per_1k_tokens(7.00, 1, 5000, 1000, 0.6, 2000, 500))
    assert band.likely == pytest.approx(self_hosted_blended_usd_per_1k_tokens(4.495, 1, 8000, 2000, 0.6, 2000, 500))
    point = self_hosted_usd_per_1k_tokens_range(3.0, 1, Range.point(5000), Range.point(1000), 1.0, 1, 1)
    assert point.low == point.high


def test_per_image_cost() -> None:
    # SDXL-Lightning: 0.7 s per image (docs/domain.md §6) on one GPU at $1/h, busy half the time.
    assert usd_per_image(1.0, 1, 0.7, 0.5) == pytest.approx(0.7 / 3600 / 0.5)
    band = usd_per_image_range((0.5, 1.5), 1, Range(0.5, 0.7, 1.0), 1.0)
    assert band == Range(0.5 * 0.5 / 3600, 1.0 * 0.7 / 3600, 1.5 * 1.0 / 3600)


def test_egress_is_negligible_for_text_not_for_media() -> None:
    text = egress_usd_per_1k_tokens(TEXT_BYTES_PER_TOKEN, 0.09)  # ~4 KB per 1k tokens
    assert text == pytest.approx(3.6e-7)
    assert egress_usd_per_1k_tokens(TEXT_BYTES_PER_TOKEN, 9 * 0.09) < 1e-5  # even at a "9x" tariff
    image = egress_usd(1.5e6, 0.09)  # a 1.5 MB PNG
    assert image == pytest.approx(0.000135) and image > 300 * text
    assert audio_bytes(60, 128) == 960_000  # one minute of 128 kbit/s audio
    assert egress_usd(audio_bytes(60, 128), 0.09) == pytest.approx(8.64e-5)


def test_existing_api_blend_unchanged() -> None:
    # the seed's test mix, 2,000 in / 500 out, at $3 / $15 per 1M
    assert blended_usd_per_1k_tokens(3, 15, 2000, 500) == pytest.approx(0.0054)
    assert blended_usd_per_1k_tokens(3, 15, 3, 1) == pytest.approx(0.006)


@pytest.mark.parametrize("bad", [
    lambda: self_hosted_usd_per_1k_tokens(2, 1, 0, 1),
    lambda: self_hosted_usd_per_1k_tokens(2, 1, 100, 0),
    lambda: self_hosted_usd_per_1k_tokens(2, 1, 100, 1.5),
    lambda: self_hosted_usd_per_1k_tokens(-1, 1, 100, 1),
    lambda: self_hosted_usd_per_1k_tokens(float("nan"), 1, 100, 1),
    lambda: self_hosted_blended_usd_per_1k_tokens(2, 1, 100, 100, 1, 0, 0),
    lambda: usd_per_image(1, 1, 0, 1),
    lambda: egress_usd(-1, 0.09),
])
def test_invalid_inputs_raise(bad) -> None:
    with pytest.raises(ValueError):
        bad()


money = st.floats(0, 100)
throughput = st.floats(0.01, 1e6)
share = st.floats(0.001, 1)
count = st.integers(1, 64)
tokens = st.integers(0, 100_000)


@settings(max_examples=100, deadline=None)
@given(p=money, n=count, t_in=throughput, t_out=throughput, u=share, i=tokens, o=tokens, more=st.floats(0, 10))
def test_self_hosted_costs_are_non_negative_and_monotonic(p, n, t_in, t_out, u, i, o, more) -> None:
    if i + o == 0:
        o = 1
    cost = self_hosted_blended_usd_per_1k_tokens(p, n, t_in, t_out, u, i, o)
    assert cost >= 0
    assert self_hosted_blended_usd_per_1k_tokens(p + more, n, t_in, t_out, u, i, o) >= cost
    assert self_hosted_blended_usd_per_1k_tokens(p, n, t_in * (1 + more), t_out * (1 + more), u, i, o) <= cost * (1 + 1e-9)
    assert self_hosted_blended_usd_per_1k_tokens(p, n, t_in, t_out, u / 2, i, o) >= cost


@settings(max_examples=50, deadline=None)
@given(lo=money, span=money, n=count, secs=st.floats(0.01, 100), u=share, b=st.floats(0, 1e9), g=money)
def test_image_and_egress_costs_are_ordered_and_non_negative(lo, span, n, secs, u, b, g) -> None:
    band = usd_per_image_range((lo, lo + span), n, Range(secs, secs * 1.5, secs * 2), u)
    assert 0 <= band.low <= band.likely <= band.high
    assert egress_usd(b, g) >= 0
