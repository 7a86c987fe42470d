"""Ranges: a low / likely / high band for every estimated figure, ordered by value."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Range"]


@dataclass(frozen=True)
class Range:
    """A low / likely / high band, ordered by value: ``low <= likely <= high``.

    Whether ``low`` is good or bad news depends on the quantity (low is good for a time or
    a cost, bad for a throughput); each field that holds a Range says which.
    """

    low: float
    likely: float
    high: float

    def __post_init__(self) -> None:
        values = (self.low, self.likely, self.high)
        if any(isinstance(v, bool) or not isinstance(v, (int, float)) or math.isnan(v) for v in values):
            raise ValueError(f"a Range holds three numbers, got {values!r}")
        # a relative tolerance: ends computed along different float paths may differ in the last bit
        tolerance = 1e-9 * max((abs(v) for v in values if math.isfinite(v)), default=0.0)
        if not (self.low <= self.likely + tolerance and self.likely <= self.high + tolerance):
            raise ValueError(f"a Range needs low <= likely <= high, got {values!r}")

    @classmethod
    def point(cls, value: float) -> "Range":
        """A band of no width: a stated value."""
        return cls(value, value, value)

    @classmethod
    def ordered(cls, a: float, likely: float, b: float) -> "Range":
        """The band of ``likely`` between ``a`` and ``b`` in either order."""
        return cls(min(a, likely, b), likely, max(a, likely, b))

    def map(self, f: Callable[[float], float]) -> "Range":
        """Apply a monotonic ``f`` to each end; a decreasing ``f`` swaps low and high."""
        return Range.ordered(f(self.low), f(self.likely), f(self.high))

    def scale(self, factor: float) -> "Range":
        return self.map(lambda v: v * factor)

    def as_dict(self) -> dict[str, float]:
        return {"low": self.low, "likely": self.likely, "high": self.high}

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high
