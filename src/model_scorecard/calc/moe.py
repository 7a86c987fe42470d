"""When a mixture-of-experts deployment costs less than a dense one of the same quality.

A deployment's hourly cost is split in two: a part paid every hour whatever the load (the
memory and the GPUs it reserves: its footprint) and a part paid for the work it does (busy
GPU time, energy), which grows with utilisation u. Against a dense model, a MoE of the same
quality holds ``footprint_ratio`` times the footprint and does the work for
``busy_cost_ratio`` times the busy cost. With F the dense deployment's fixed cost per hour
and c its busy cost per hour at full load:

    dense = F + c·u                  moe = footprint_ratio·F + busy_cost_ratio·c·u

The two are equal at u* = (footprint_ratio − 1)·F / ((1 − busy_cost_ratio)·c); above u* the
MoE costs less (its saving scales with the work, its extra footprint is paid every hour).
F/c is written as the fixed share f = F/(F + c), so F/c = f/(1 − f).
"""

from __future__ import annotations

import math

__all__ = ["busy_cost_ratio", "moe_break_even_utilisation", "moe_to_dense_cost_ratio", "fixed_share_for_break_even"]


def _check(name: str, value: float, low: float, high: float, *, open_low: bool = False,
           open_high: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if value < low or value > high or (open_low and value == low) or (open_high and value == high):
        raise ValueError(f"{name} must be in {'(' if open_low else '['}{low:g}, {high:g}{')' if open_high else ']'}, "
                         f"got {value!r}")


def busy_cost_ratio(moe_usd: float, dense_usd: float) -> float:
    """MoE cost over dense cost for the same work at full load (the 2024 roadmap post's 1B-token test:
    $274 / $311 = 0.881)."""
    _check("moe_usd", moe_usd, 0, math.inf, open_low=True, open_high=True)
    _check("dense_usd", dense_usd, 0, math.inf, open_low=True, open_high=True)
    return moe_usd / dense_usd


def moe_break_even_utilisation(footprint_ratio: float, busy_ratio: float, fixed_share: float) -> float:
    """The utilisation u* above which the MoE costs less: (r_f − 1)·f / ((1 − r_b)·(1 − f)).

    ``footprint_ratio`` (r_f ≥ 1): the MoE's fixed cost over the dense one's; ``busy_ratio``
    (r_b < 1): its busy cost over the dense one's; ``fixed_share`` (f in [0, 1)): the share of
    the dense deployment's full-load hourly cost that is paid whatever the load. A result
    above 1 means the MoE never pays off; 0 means it always does.
    """
    _check("footprint_ratio", footprint_ratio, 1, 1e6)
    _check("busy_ratio", busy_ratio, 0, 1, open_low=True, open_high=True)
    _check("fixed_share", fixed_share, 0, 1, open_high=True)
    return (footprint_ratio - 1) * fixed_share / ((1 - busy_ratio) * (1 - fixed_share))


def moe_to_dense_cost_ratio(utilisation: float, footprint_ratio: float, busy_ratio: float, fixed_share: float) -> float:
    """The MoE's hourly cost over the dense one's at utilisation u (below 1: the MoE is cheaper)."""
    _check("utilisation", utilisation, 0, 1, open_low=True)
    _check("footprint_ratio", footprint_ratio, 1, 1e6)
    _check("busy_ratio", busy_ratio, 0, 1, open_low=True, open_high=True)
    _check("fixed_share", fixed_share, 0, 1, open_high=True)
    f = fixed_share
    return (footprint_ratio * f + busy_ratio * (1 - f) * utilisation) / (f + (1 - f) * utilisation)


def fixed_share_for_break_even(break_even: float, footprint_ratio: float, busy_ratio: float) -> float:
    """The fixed share f that puts the break-even at ``break_even``: the inverse of
    :func:`moe_break_even_utilisation` (what a stated break-even implies)."""
    _check("break_even", break_even, 0, 1e6)
    _check("footprint_ratio", footprint_ratio, 1, 1e6, open_low=True)
    _check("busy_ratio", busy_ratio, 0, 1, open_low=True, open_high=True)
    k = break_even * (1 - busy_ratio) / (footprint_ratio - 1)  # = f / (1 − f)
    return k / (1 + k)
