"""calc/moe: the MoE vs dense break-even, its inverse, and the cost ratio on both sides of it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model_scorecard.calc.moe import (
    busy_cost_ratio,
    fixed_share_for_break_even,
    moe_break_even_utilisation,
    moe_to_dense_cost_ratio,
)

SEED_BUSY = 274 / 311  # the seed's 1B-token test, MoE-8x7B over Dense-70B


def test_the_seed_busy_ratio():
    assert busy_cost_ratio(274, 311) == pytest.approx(0.8810, abs=1e-4)


def test_break_even_by_hand():
    # f = 0.2: F/c = 0.25; u* = 0.38 * 0.25 / 0.119 = 0.7985
    assert moe_break_even_utilisation(1.38, SEED_BUSY, 0.2) == pytest.approx(0.38 * 0.25 / (1 - SEED_BUSY))
    assert moe_break_even_utilisation(1.38, SEED_BUSY, 0.0) == 0.0  # nothing fixed: the MoE always wins


@pytest.mark.parametrize("claimed", [0.45, 0.60])
def test_the_inverse_gives_back_the_claimed_break_even(claimed):
    f = fixed_share_for_break_even(claimed, 1.38, SEED_BUSY)
    assert moe_break_even_utilisation(1.38, SEED_BUSY, f) == pytest.approx(claimed)


@given(f=st.floats(0.01, 0.5), footprint=st.floats(1.01, 3), busy=st.floats(0.1, 0.99))
def test_cost_ratio_is_one_at_the_break_even_and_below_one_above_it(f, footprint, busy):
    u_star = moe_break_even_utilisation(footprint, busy, f)
    if 0.001 < u_star < 0.999:
        assert moe_to_dense_cost_ratio(u_star, footprint, busy, f) == pytest.approx(1.0, rel=1e-9)
        assert moe_to_dense_cost_ratio(min(1.0, u_star * 1.01 + 1e-6), footprint, busy, f) < 1.0
        assert moe_to_dense_cost_ratio(u_star * 0.99, footprint, busy, f) > 1.0


@pytest.mark.parametrize("args", [(0.9, SEED_BUSY, 0.2), (1.38, 1.0, 0.2), (1.38, SEED_BUSY, 1.0),
                                  (1.38, SEED_BUSY, float("nan")), (1.38, True, 0.2)])
def test_out_of_range_inputs_are_refused(args):
    with pytest.raises(ValueError):
        moe_break_even_utilisation(*args)
