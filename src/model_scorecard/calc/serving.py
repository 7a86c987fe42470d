"""Serving economics: how many replicas the traffic needs, how busy they are, what a token costs.

Pure functions and frozen dataclasses (no YAML, no pydantic, no I/O at import; the carbon
calculator, which reads its presets lazily, is imported where it is used). The model:

* **KV capacity** (:mod:`model_scorecard.calc.capacity`, re-exported here). One replica of
  ``t`` tensor-parallel GPUs holds, on each GPU, ``GPU memory × gpu_memory_utilization −
  weights/t − engine overhead`` bytes of KV cache
  (the accounting of :mod:`model_scorecard.calc.memory`); a sequence of ``context`` tokens
  takes its block-rounded cache. The largest batch is the most sequences that budget holds.
* **Demand.** ``tokens_per_day`` (input + output) spread evenly over 86,400 s is the demand
  in tokens/s; a replica serves its throughput over whole requests (prompt at prefill
  speed, output at decode speed). Replicas = max(1, ⌈demand / capacity⌉): at least one
  replica is billed around the clock. Utilisation = demand / (replicas × capacity).
* **Cost.** With the traffic known, $ per 1k tokens = replicas × GPUs per replica ×
  $/GPU-hour × 24 / tokens served per day × 1000. With one replica this is the
  utilisation formula of :mod:`model_scorecard.calc.cost` (1000·N·p / (3600·T·u)), since
  u = demand / T. Without traffic, a utilisation given (or 0.5, stated as assumed) drives
  that formula on one replica.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from model_scorecard.calc.capacity import (
    BatchFit,
    KvCapacity,
    _finite,
    _whole,
    batch_fit,
    kv_capacity,
)
from model_scorecard.calc.cost import self_hosted_usd_per_1k_tokens_range
from model_scorecard.calc.ranges import Range
from model_scorecard.calc.speed import ModelShape, estimate_speed
from model_scorecard.errors import UserError

if TYPE_CHECKING:  # pragma: no cover
    from model_scorecard.calc.carbon import CarbonEstimate
    from model_scorecard.calc.memory import MemoryEstimate

__all__ = [
    "ASSUMED_UTILISATION",
    "SECONDS_PER_DAY",
    "BatchFit",
    "Demand",
    "KvCapacity",
    "Serving",
    "batch_fit",
    "blended_tokens_per_s",
    "gpu_price",
    "kv_capacity",
    "replicas_for_demand",
    "scaled_shape",
    "serving_figures",
    "usd_per_1k_tokens_for_demand",
    "usd_per_day",
]

SECONDS_PER_DAY = 86_400
#: The utilisation used when neither a utilisation nor the traffic is known (said so in the result).
ASSUMED_UTILISATION = 0.5


@dataclass(frozen=True)
class Demand:
    """Replicas and utilisation for a day's traffic on replicas of a given throughput.

    ``utilisation`` is in [0, 1]: 0 when there is no traffic (one replica is still billed,
    and a cost per token is then undefined).
    """

    tokens_per_day: float
    demand_tokens_per_s: float
    replica_tokens_per_s: float
    replicas: int
    utilisation: float

    @property
    def served_tokens_per_s_capacity(self) -> float:
        """What the replicas could serve together: replicas × a replica's throughput."""
        return self.replicas * self.replica_tokens_per_s


def replicas_for_demand(tokens_per_day: float, replica_tokens_per_s: float) -> Demand:
    """Replicas = max(1, ⌈demand / capacity⌉) with demand = tokens_per_day / 86,400 tokens/s;
    utilisation = demand / (replicas × capacity).

    The traffic is taken as spread evenly over the day: peaks above the daily mean need
    more replicas than this (or queue).
    """
    day = _finite("tokens_per_day", tokens_per_day)
    capacity = _finite("replica_tokens_per_s", replica_tokens_per_s, positive=True)
    demand = day / SECONDS_PER_DAY
    needed = demand / capacity
    # a relative tolerance, so 2.0000000000000004 replicas' worth of traffic is 2 replicas
    replicas = max(1, math.ceil(needed * (1 - 1e-12)))
    utilisation = min(1.0, demand / (replicas * capacity))
    return Demand(day, demand, capacity, replicas, utilisation)


def usd_per_day(usd_per_gpu_hour: float, gpus_per_replica: int, replicas: int) -> float:
    """GPU rent of a day: replicas × GPUs per replica × $/GPU-hour × 24 (billed around the clock)."""
    _finite("usd_per_gpu_hour", usd_per_gpu_hour)
    _whole("gpus_per_replica", gpus_per_replica, least=1)
    _whole("replicas", replicas, least=1)
    return replicas * gpus_per_replica * usd_per_gpu_hour * 24


def usd_per_1k_tokens_for_demand(usd_per_gpu_hour: float, gpus_per_replica: int, replicas: int,
                                 tokens_per_day: float) -> float:
    """$ per 1k tokens served: :func:`usd_per_day` / tokens_per_day × 1000.

    Undefined (ValueError) with no traffic: the rent is paid, no token is served.
    """
    day = _finite("tokens_per_day", tokens_per_day)
    if day == 0:
        raise ValueError("no traffic (0 tokens per day): the cost per token is undefined")
    return usd_per_day(usd_per_gpu_hour, gpus_per_replica, replicas) / day * 1000


# --------------------------------------------------------------------------- KV capacity


def scaled_shape(arch: Any, params: int | None, active_params: int) -> ModelShape:
    """The roofline shape of ``arch``; with ``params`` (a stated size sized on a reference
    architecture), its parameter groups scaled to that size."""
    shape = ModelShape.from_architecture(arch)
    if params is None:
        return shape
    scale = params / arch.total_params
    return replace(shape, total_params=params, active_params=active_params,
                   unread_params=round(shape.unread_params * scale), logits_params=round(shape.logits_params * scale),
                   params_per_expert=round(shape.params_per_expert * scale))


def gpu_price(card: Any, usd_per_gpu_hour: float | None) -> tuple[Any, str] | None:
    """The GPU-hour price (a figure, or the card's (low, high) range) and how it was chosen; None if unknown.

    Reads only ``card.usd_per_hour_low`` and ``card.usd_per_hour_high``."""
    if usd_per_gpu_hour is not None:
        return float(usd_per_gpu_hour), f"GPU price {usd_per_gpu_hour:g} USD/hour (given)"
    low, high = card.usd_per_hour_low, card.usd_per_hour_high
    if low is not None and high is not None:
        return ((low, high), f"GPU price {low:g}–{high:g} USD/hour on demand (2026 range, bundled GPU table)")
    return None


def blended_tokens_per_s(speed: Any, input_tokens: int, output_tokens: int) -> Range:
    """A replica's tokens/s over whole requests: prompt at prefill speed, output at decode speed."""
    total = input_tokens + output_tokens
    pre, dec = speed.prefill_tokens_per_s, speed.decode_tokens_per_s_aggregate
    return Range(*(total / (input_tokens / p + output_tokens / d)
                   for p, d in ((pre.low, dec.low), (pre.likely, dec.likely), (pre.high, dec.high))))


def _price_band(price: Any) -> Range:
    if isinstance(price, tuple):
        low, high = price
        return Range(low, (low + high) / 2, high)
    return Range.point(float(price))


@dataclass(frozen=True)
class Serving:
    """Speed, replicas, utilisation, $ and carbon per 1k tokens of serving on replicas of
    ``gpu_count`` GPUs. Every Range is ordered by value (low ≤ likely ≤ high).

    * ``batch``: the batch costed, ``batch_requested`` capped at ``kv_max_sequences`` (the
      most sequences the KV cache holds; None when the caller gave no capacity).
    * ``replica_tokens_per_s``: one replica's throughput over whole requests at ``batch``.
    * ``utilisation_source``: ``given`` (a utilisation was passed; one replica),
      ``traffic`` (from ``tokens_per_day``) or ``assumed`` (neither known: 0.5, one replica).
    * ``replicas`` / ``utilisation``: from the traffic at each end of the throughput range
      (more throughput: as many or fewer replicas); a point otherwise. With whole replicas the
      utilisation need not fall as throughput rises (one replica fewer runs busier):
      ``demands`` holds each end's replicas and utilisation.
    * ``usd_per_1k_tokens`` and ``carbon``: None without a GPU price, or with no traffic;
      ``undefined_note`` says which. ``usd_per_day``: the rent of the replicas, around the clock.
    """

    speed: Any  # calc.speed.SpeedEstimate
    price: Any | None  # USD per GPU-hour: a figure or a (low, high) range
    price_note: str | None
    usd_per_1k_tokens: Range | None
    carbon: CarbonEstimate | None
    gpu_count: int
    batch_requested: int
    batch: int
    kv_max_sequences: int | None
    replica_tokens_per_s: Range
    tokens_per_day: int | None
    demand_tokens_per_s: float | None
    replicas: Range
    utilisation: Range
    utilisation_source: str
    usd_per_day: Range | None
    undefined_note: str | None
    assumptions: tuple[str, ...]
    demands: tuple[Demand, ...]  # traffic only: at the high, likely and low throughput, in that order

    @property
    def batch_capped(self) -> bool:
        return self.batch < self.batch_requested


def _carbon_by_traffic(card: Any, gpus: int, capacity: Range, demands: tuple[Demand, Demand, Demand], *,
                       pue: float, grid_g_co2e_per_kwh: float, eur_per_t: float) -> CarbonEstimate:
    """Carbon per 1k tokens at each end of the throughput range, each at the utilisation its
    replicas run at; every replica serves an equal share, so per token it is one replica's figure."""
    from model_scorecard.calc.carbon import CarbonEstimate, estimate_carbon

    ends = tuple(estimate_carbon(card, gpus, t, utilisation=d.utilisation, pue=pue,
                                 grid_g_co2e_per_kwh=grid_g_co2e_per_kwh, eur_per_t=eur_per_t)
                 for t, d in zip((capacity.high, capacity.likely, capacity.low), demands, strict=True))

    def band(name: str) -> Range:
        return Range.ordered(*(getattr(e, name).likely for e in ends))

    def optional(name: str) -> Range | None:  # None at every end when unknown (no embodied figure, no price)
        return None if getattr(ends[1], name) is None else band(name)

    u = [d.utilisation for d in demands]
    note = (f"carbon at the utilisation the traffic gives each end of the throughput range: "
            f"{u[0]:.3g} (high throughput) / {u[1]:.3g} (likely) / {u[2]:.3g} (low throughput)")
    return CarbonEstimate(band("wh_per_1k_tokens"), band("g_co2e_per_1k_tokens"),
                          optional("embodied_g_co2e_per_1k_tokens"), optional("eur_per_1k_tokens"),
                          (*ends[1].assumptions, note),
                          MappingProxyType({**ends[1].inputs, "tokens_per_s": capacity.as_dict(),
                                            "utilisation": {"low": min(u), "likely": u[1], "high": max(u)}}))


def serving_figures(shape: ModelShape, card: Any, memory: MemoryEstimate, *, gpu_count: int, batch: int,
                    input_tokens: int, output_tokens: int, grid_g_co2e_per_kwh: float, pue: float, eur_per_t: float,
                    usd_per_gpu_hour: float | None, utilisation: float | None = None,
                    tokens_per_day: int | None = None, kv_max_sequences: int | None = None) -> Serving:
    """Speed, replicas, utilisation, cost and carbon of replicas of ``gpu_count`` × ``card``
    holding ``memory`` (a :class:`~model_scorecard.calc.memory.MemoryEstimate`), for requests
    of ``input_tokens`` + ``output_tokens`` decoded ``batch`` at a time.

    Utilisation: ``utilisation`` when given (one replica); else from ``tokens_per_day``
    (:func:`replicas_for_demand`); else 0.5, stated as assumed. ``kv_max_sequences`` (from
    :func:`kv_capacity` at the request's context on ``gpu_count`` GPUs) caps the batch; None
    leaves it uncapped, and the result says the KV cache was not checked.
    """
    _whole("gpu_count", gpu_count, least=1)
    _whole("batch", batch, least=1)
    if utilisation is not None:
        _finite("utilisation", utilisation, positive=True)
        if utilisation > 1:
            raise ValueError(f"utilisation is a share of paid time (0 < u <= 1), got {utilisation!r}")
    if tokens_per_day is not None:
        _whole("tokens_per_day", tokens_per_day, least=0)
    if _whole("input_tokens", input_tokens, least=0) + _whole("output_tokens", output_tokens, least=0) == 0:
        raise ValueError("a request needs at least one token")
    notes: list[str] = []
    if card.tdp_w is None:
        notes.append(f"{card.name} has no power figure (TDP) in the GPU table: energy and carbon are not estimated")
    used = batch
    if kv_max_sequences is not None:
        _whole("kv_max_sequences", kv_max_sequences, least=1)
        if batch > kv_max_sequences:
            used = kv_max_sequences
            notes.append(f"batch {batch} capped at {used}: the KV cache of {gpu_count}× {card.name} holds {used} "
                         f"sequence(s) of {input_tokens + output_tokens:,} tokens")
    else:
        notes.append(f"batch {batch} as given: the KV cache was not checked against it")
    try:
        speed = estimate_speed(shape, card, weight_bits=memory.weights_bytes * 8 / memory.params,
                               kv_bytes_per_token=memory.kv_bytes_per_token, prompt_tokens=max(1, input_tokens),
                               output_tokens=max(1, output_tokens), gpu_count=gpu_count, batch=used)
    except ValueError as exc:
        raise UserError(f"cannot estimate speed on {gpu_count}× {card.name}: {exc}") from None
    capacity = blended_tokens_per_s(speed, input_tokens, output_tokens)
    priced = gpu_price(card, usd_per_gpu_hour)
    price, price_note = priced if priced is not None else (None, None)
    band = _price_band(price) if price is not None else None

    if utilisation is not None or tokens_per_day is None:  # one replica at a stated utilisation
        source = "given" if utilisation is not None else "assumed"
        u = utilisation if utilisation is not None else ASSUMED_UTILISATION
        if source == "given":
            notes.append(f"utilisation {u:g} (given): one replica, the share of its paid time spent serving"
                         + ("; tokens_per_day not used" if tokens_per_day is not None else ""))
        else:
            notes.append(f"utilisation {u:g} assumed: the traffic (tokens per day) is unknown; one replica")
        usd = carbon = None
        day = None
        if band is not None:
            usd = self_hosted_usd_per_1k_tokens_range(price, gpu_count, speed.prefill_tokens_per_s,
                                                      speed.decode_tokens_per_s_aggregate, u,
                                                      input_tokens, output_tokens)
            day = band.map(lambda p: usd_per_day(p, gpu_count, 1))
            from model_scorecard.calc.carbon import estimate_carbon

            if card.tdp_w is not None:  # no power figure: energy and carbon stay unknown (noted below)
                carbon = estimate_carbon(card, gpu_count, capacity, utilisation=u, pue=pue,
                                         grid_g_co2e_per_kwh=grid_g_co2e_per_kwh, eur_per_t=eur_per_t)
        return Serving(speed, price, price_note, usd, carbon, gpu_count, batch, used, kv_max_sequences, capacity,
                       None, None, Range.point(1), Range.point(u), source, day,
                       None if band is not None else "no GPU price", tuple(notes), ())

    # the traffic drives replicas and utilisation, at each end of the throughput range
    fast, likely, slow = (replicas_for_demand(tokens_per_day, t)
                          for t in (capacity.high, capacity.likely, capacity.low))
    demands = (fast, likely, slow)
    replicas = Range(fast.replicas, likely.replicas, slow.replicas)
    u_band = Range.ordered(fast.utilisation, likely.utilisation, slow.utilisation)
    notes.append(f"traffic {tokens_per_day:,} tokens/day = {likely.demand_tokens_per_s:,.1f} tokens/s, spread evenly "
                 f"over the day; one replica serves {capacity.likely:,.1f} tokens/s (likely): "
                 f"{likely.replicas} replica(s) at utilisation {likely.utilisation:.3g}, billed around the clock")
    if replicas.low != replicas.high:
        notes.append(f"{replicas.low}–{replicas.high} replicas over the throughput range: {fast.replicas} at "
                     f"utilisation {fast.utilisation:.3g} (high throughput), {slow.replicas} at "
                     f"{slow.utilisation:.3g} (low throughput)")
    usd = carbon = day = None
    undefined = None if band is not None else "no GPU price"
    if band is not None:
        day = Range(*(usd_per_day(p, gpu_count, d.replicas) for p, d in zip((band.low, band.likely, band.high),
                                                                               demands, strict=True)))
        if tokens_per_day == 0:
            undefined = ("no traffic (0 tokens per day): one replica is billed and serves nothing, so a cost per "
                         "token is undefined")
            notes.append(undefined)
        else:
            usd = day.map(lambda d: d / tokens_per_day * 1000)
            notes.append("cost per 1k tokens = replicas × GPUs per replica × USD/GPU-hour × 24 / tokens per day "
                         "× 1000")
            if card.tdp_w is not None:  # no power figure: energy and carbon stay unknown (noted above)
                carbon = _carbon_by_traffic(card, gpu_count, capacity, demands, pue=pue,
                                            grid_g_co2e_per_kwh=grid_g_co2e_per_kwh, eur_per_t=eur_per_t)
    return Serving(speed, price, price_note, usd, carbon, gpu_count, batch, used, kv_max_sequences, capacity,
                   tokens_per_day, likely.demand_tokens_per_s, replicas, u_band, "traffic", day, undefined,
                   tuple(notes), demands)
