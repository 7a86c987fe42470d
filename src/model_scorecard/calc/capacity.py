"""KV capacity: how many sequences of a context one replica's KV cache holds, and whether a batch fits.

Pure arithmetic over :mod:`model_scorecard.calc.memory`'s accounting (no speed or cost
model), so `scorecard vram` can say whether the batch fits without loading them. One
replica of ``t`` tensor-parallel GPUs holds, on each GPU, ``GPU memory ×
gpu_memory_utilization − weights/t − engine overhead`` bytes of KV cache; a sequence of
``context`` tokens takes its block-rounded cache.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from model_scorecard.calc.memory import (
    TP_SIZES,
    Engine,
    overhead_bytes,
    tensor_parallel_allowed,
)

if TYPE_CHECKING:  # pragma: no cover
    from model_scorecard.calc.architecture import Architecture

__all__ = ["BatchFit", "KvCapacity", "batch_fit", "kv_capacity"]


def _finite(name: str, value: Any, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if value < 0 or (positive and value == 0):
        raise ValueError(f"{name} must be {'positive' if positive else 'non-negative'}, got {value!r}")
    return float(value)


def _whole(name: str, value: Any, *, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValueError(f"{name} must be an integer of at least {least}, got {value!r}")
    return value


# --------------------------------------------------------------------------- demand


@dataclass(frozen=True)
class KvCapacity:
    """How many sequences of ``context_tokens`` the KV cache of one replica holds.

    Per GPU: ``usable_bytes_per_gpu`` (memory × the engine's gpu_memory_utilization) less
    ``weights_bytes_per_gpu`` and ``overhead_bytes_per_gpu`` (at batch 1) leaves
    ``kv_budget_bytes_per_gpu``; one sequence takes ``sequence_kv_bytes_per_gpu`` (its KV cache
    and, for hybrid models, its constant linear-attention / SSM state).
    ``max_sequences``: the largest batch that fits (0: not even one sequence; None: the
    model keeps no KV cache, so the cache sets no limit).
    """

    gpu_memory_bytes: int
    tensor_parallel: int
    context_tokens: int
    usable_bytes_per_gpu: float
    weights_bytes_per_gpu: float
    overhead_bytes_per_gpu: float
    kv_budget_bytes_per_gpu: float
    sequence_kv_bytes_per_gpu: float
    max_sequences: int | None
    engine: str

    @property
    def fits(self) -> bool:
        """Whether one request of the full context fits (the condition for serving at all)."""
        return self.kv_budget_bytes_per_gpu >= self.sequence_kv_bytes_per_gpu

    @property
    def needed_bytes_per_gpu(self) -> float:
        """Weights + overhead + one sequence's cache, per GPU."""
        return self.weights_bytes_per_gpu + self.overhead_bytes_per_gpu + self.sequence_kv_bytes_per_gpu

    def describe(self) -> str:
        budget = max(0.0, self.kv_budget_bytes_per_gpu)
        held = "no KV limit" if self.max_sequences is None else f"holds {self.max_sequences:,} sequence(s)"
        return (f"KV cache on {self.tensor_parallel} GPU(s): {budget / 1e9:.2f} GB per GPU after "
                f"{self.weights_bytes_per_gpu / 1e9:.2f} GB of weights and {self.overhead_bytes_per_gpu / 1e9:.2f} GB "
                f"of {self.engine} overhead; one {self.context_tokens:,}-token sequence takes "
                f"{self.sequence_kv_bytes_per_gpu / 1e9:.3f} GB per GPU: {held}")


def kv_capacity(arch: Architecture, *, weights_total_bytes: float, gpu_memory_bytes: int, tensor_parallel: int,
                context_tokens: int, kv_bytes_per_element: float, engine: Engine) -> KvCapacity:
    """The largest batch of ``context_tokens``-token sequences the KV budget of one replica holds.

    Budget and per-sequence bytes as :func:`model_scorecard.calc.memory.fit_on_gpu` counts
    them (block-rounded sequences, sliding windows, KV heads split or replicated over
    ``tensor_parallel`` GPUs). Where the engine's activations grow with the batch
    (transformers), the largest batch whose budget at that batch still holds it.
    """
    t = _whole("tensor_parallel", tensor_parallel, least=1)
    context = _whole("context_tokens", context_tokens, least=1)
    _finite("weights_total_bytes", weights_total_bytes)
    _finite("gpu_memory_bytes", gpu_memory_bytes, positive=True)
    usable = gpu_memory_bytes * engine.gpu_memory_utilization
    per_w = weights_total_bytes / t

    def budget(batch: int) -> float:
        return usable - per_w - overhead_bytes(arch, engine, t, batch, context)

    # one sequence: its KV cache plus the constant state of any linear-attention / SSM layers
    one = engine.sequence_bytes(arch, context, 1, kv_bytes_per_element, t)
    first = budget(1)
    most: int | None
    if one <= 0:
        most = None
    else:
        # budget(b) falls (or stays) as b grows and b × one rises: the largest b with budget(b) ≥ b × one
        lo, hi = 0, max(0, math.floor(first / one))
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if budget(mid) >= mid * one:
                lo = mid
            else:
                hi = mid - 1
        most = lo
    return KvCapacity(gpu_memory_bytes, t, context, usable, per_w, overhead_bytes(arch, engine, t, 1, context), first,
                      one, most, engine.name)


@dataclass(frozen=True)
class BatchFit:
    """Whether ``batch`` sequences of ``context_tokens`` fit the KV cache of one replica.

    ``capacity`` is at ``gpu_count`` (the smallest tensor-parallel size serving one request;
    None when not even 8 GPUs do). ``gpu_count_for_batch``: the smallest tensor-parallel size
    whose KV cache holds the whole batch (None: none up to 8).
    """

    gpu: str
    batch: int
    context_tokens: int
    gpu_count: int | None
    capacity: KvCapacity | None
    fits: bool
    gpu_count_for_batch: int | None

    @property
    def max_sequences(self) -> int | None:
        """The largest batch at ``gpu_count`` (0 when one request does not fit; None: no KV limit)."""
        if self.capacity is None:
            return 0
        return self.capacity.max_sequences

    def as_dict(self) -> dict[str, Any]:
        return {"gpu": self.gpu, "gpu_count": self.gpu_count, "max_sequences": self.max_sequences,
                "fits": self.fits, "gpu_count_for_batch": self.gpu_count_for_batch}


def batch_fit(arch: Architecture, *, gpu: str, weights_total_bytes: float, gpu_memory_bytes: int,
              gpu_count: int | None, batch: int, context_tokens: int, kv_bytes_per_element: float, engine: Engine,
              tp_sizes: tuple[int, ...] = TP_SIZES) -> BatchFit:
    """:func:`kv_capacity` at ``gpu_count`` against ``batch``, and the smallest size of
    ``tp_sizes`` (vLLM's 1, 2, 4, 8 by default) that would hold the batch."""
    _whole("batch", batch, least=1)

    def capacity(t: int) -> KvCapacity:
        return kv_capacity(arch, weights_total_bytes=weights_total_bytes, gpu_memory_bytes=gpu_memory_bytes,
                           tensor_parallel=t, context_tokens=context_tokens, kv_bytes_per_element=kv_bytes_per_element,
                           engine=engine)

    def holds(c: KvCapacity) -> bool:
        return c.fits and (c.max_sequences is None or c.max_sequences >= batch)

    at = capacity(gpu_count) if gpu_count is not None else None
    fits = at is not None and holds(at)
    for_batch = gpu_count if fits else next(
        (t for t in tp_sizes if tensor_parallel_allowed(arch, t) and holds(capacity(t))), None)
    return BatchFit(gpu, batch, context_tokens, gpu_count, at, fits, for_batch)


# --------------------------------------------------------------------------- one replica's figures
