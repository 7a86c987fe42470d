"""The ``estimate`` job: speed, self-hosted cost and carbon of serving a model on a GPU.

Memory first (``plan_vram``: how many GPUs one replica needs), then the roofline speed
estimate for the workload's request shape, then $ per 1k tokens from the GPU-hour price and
carbon per 1k tokens from power, PUE and grid. Every figure is a low/likely/high range
with the assumptions that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .calc.speed import Range
from .errors import UserError
from .vram import VramResult, plan_vram

ESTIMATE_SCHEMA_VERSION = 1


def scaled_shape(arch: Any, params: int | None, active_params: int) -> Any:
    """The roofline shape of ``arch``; with ``params`` (a stated size sized on a reference
    architecture), its parameter groups scaled to that size."""
    from dataclasses import replace

    from .calc.speed import ModelShape

    shape = ModelShape.from_architecture(arch)
    if params is None:
        return shape
    scale = params / arch.total_params
    return replace(shape, total_params=params, active_params=active_params,
                   unread_params=round(shape.unread_params * scale), logits_params=round(shape.logits_params * scale),
                   params_per_expert=round(shape.params_per_expert * scale))


def gpu_price(card: Any, usd_per_gpu_hour: float | None) -> tuple[Any, str] | None:
    """The GPU-hour price (a figure, or the table's (low, high) range) and how it was chosen; None if unknown."""
    if usd_per_gpu_hour is not None:
        return float(usd_per_gpu_hour), f"GPU price {usd_per_gpu_hour:g} USD/hour (given)"
    if card.usd_per_hour_low is not None and card.usd_per_hour_high is not None:
        return ((card.usd_per_hour_low, card.usd_per_hour_high),
                f"GPU price {card.usd_per_hour_low:g}–{card.usd_per_hour_high:g} USD/hour on demand (2026 range, "
                "bundled GPU table)")
    return None


def blended_tokens_per_s(speed: Any, input_tokens: int, output_tokens: int) -> Range:
    """A replica's tokens/s over whole requests: prompt at prefill speed, output at decode speed."""
    total = input_tokens + output_tokens
    pre, dec = speed.prefill_tokens_per_s, speed.decode_tokens_per_s_aggregate
    return Range(*(total / (input_tokens / p + output_tokens / d)
                   for p, d in ((pre.low, dec.low), (pre.likely, dec.likely), (pre.high, dec.high))))


@dataclass(frozen=True)
class Serving:
    """One replica's roofline speed, and its $ and carbon per 1k tokens (None without a GPU price)."""

    speed: Any  # calc.speed.SpeedEstimate
    price: Any | None  # USD per GPU-hour: a figure or a (low, high) range
    price_note: str | None
    usd_per_1k_tokens: Range | None
    carbon: Any | None  # calc.carbon.CarbonEstimate


def serving_figures(shape: Any, card: Any, memory: Any, *, gpu_count: int, batch: int, input_tokens: int,
                    output_tokens: int, utilisation: float, grid_g_co2e_per_kwh: float, pue: float,
                    eur_per_t: float, usd_per_gpu_hour: float | None) -> Serving:
    """Speed, cost and carbon of one replica of ``gpu_count`` × ``card`` holding ``memory``
    (a :class:`~model_scorecard.calc.memory.MemoryEstimate`), for requests of
    ``input_tokens`` + ``output_tokens`` decoded ``batch`` at a time. Used by ``estimate``
    and by the computed figures of ``rank``."""
    from .calc.carbon import estimate_carbon
    from .calc.cost import self_hosted_usd_per_1k_tokens_range
    from .calc.speed import estimate_speed

    try:
        speed = estimate_speed(shape, card, weight_bits=memory.weights_bytes * 8 / memory.params,
                               kv_bytes_per_token=memory.kv_bytes_per_token, prompt_tokens=max(1, input_tokens),
                               output_tokens=max(1, output_tokens), gpu_count=gpu_count, batch=batch)
    except ValueError as exc:
        raise UserError(f"cannot estimate speed on {gpu_count}× {card.name}: {exc}") from None
    priced = gpu_price(card, usd_per_gpu_hour)
    if priced is None:
        return Serving(speed, None, None, None, None)
    price, note = priced
    usd = self_hosted_usd_per_1k_tokens_range(price, gpu_count, speed.prefill_tokens_per_s,
                                              speed.decode_tokens_per_s_aggregate, utilisation,
                                              input_tokens, output_tokens)
    carbon = estimate_carbon(card, gpu_count, blended_tokens_per_s(speed, input_tokens, output_tokens),
                             utilisation=utilisation, pue=pue, grid_g_co2e_per_kwh=grid_g_co2e_per_kwh,
                             eur_per_t=eur_per_t)
    return Serving(speed, price, note, usd, carbon)


@dataclass(frozen=True)
class Estimate:
    label: str
    gpu: str
    gpu_count: int
    workload: str
    batch: int
    memory: VramResult
    speed: Any  # calc.speed.SpeedEstimate
    usd_per_1k_tokens: Range
    carbon: Any  # calc.carbon.CarbonEstimate
    assumptions: tuple[str, ...]
    inputs: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        s, c = self.speed, self.carbon

        def band(r: Range | None, places: int = 6) -> dict[str, float] | None:
            return None if r is None else {k: round(getattr(r, k), places) for k in ("low", "likely", "high")}

        return {
            "schema_version": ESTIMATE_SCHEMA_VERSION,
            "model": self.label,
            "gpu": self.gpu,
            "gpu_count": self.gpu_count,
            "workload": self.workload,
            "batch": self.batch,
            "precision": self.memory.estimate.precision.name,
            "params": self.memory.estimate.params,
            "active_params": self.memory.estimate.active_params,
            "ttft_ms": band(s.ttft_ms, 2),
            "tpot_ms": band(s.tpot_ms, 3),
            "decode_tokens_per_s_per_stream": band(s.decode_tokens_per_s_per_stream, 2),
            "decode_tokens_per_s_aggregate": band(s.decode_tokens_per_s_aggregate, 2),
            "request_latency_ms": band(s.request_latency_ms, 1),
            "decode_bound": s.decode_bound,
            "usd_per_1k_tokens": band(self.usd_per_1k_tokens, 8),
            "wh_per_1k_tokens": band(c.wh_per_1k_tokens, 6),
            "g_co2e_per_1k_tokens": band(c.g_co2e_per_1k_tokens, 6),
            "embodied_g_co2e_per_1k_tokens": band(c.embodied_g_co2e_per_1k_tokens, 6),
            "eur_carbon_per_1k_tokens": band(c.eur_per_1k_tokens, 10),
            "inputs": self.inputs,
            "sources": dict(self.memory.estimate.sources),
            "assumptions": [*(f"warning: {w}" for w in getattr(self.memory, "warnings", ())), *self.assumptions],
        }


def plan_estimate(model: str, *, gpu: str = "H100", gpu_count: int | None = None, workload: str | None = None,
                  precision: str | None = None, bits: float | None = None, quant: str | None = None,
                  batch: int | None = None, utilisation: float = 0.5, region: str = "eu-27",
                  pue: str = "hyperscaler", usd_per_gpu_hour: float | None = None,
                  gpus_file: str | Path | None = None, catalog: str | Path | None = None,
                  revision: str | None = None, offline: bool | None = None, refresh: bool = False,
                  exact: bool = False) -> Estimate:
    """Speed, cost and carbon of ``model`` served on ``gpu`` for ``workload`` (default chat).

    ``exact`` (Hub models): the weights as the safetensors headers count them (see :func:`plan_vram`)."""
    from .calc.carbon import grid_g_co2e_per_kwh, pue_preset
    from .calc.gpus import find_gpu, load_gpus
    from .loading import load_workload

    if not 0 < utilisation <= 1:
        raise UserError(f"--utilisation must be in (0, 1], got {utilisation:g}")
    wl = load_workload(workload, "chat")
    n = batch or wl.concurrency
    context = wl.input_tokens + wl.output_tokens
    card = find_gpu(gpu, load_gpus(gpus_file))
    mem = plan_vram(model, precision=precision, bits=bits, quant=quant, context=context, batch=n, gpu=card.name,
                    gpus_file=gpus_file, catalog=catalog, revision=revision, offline=offline, refresh=refresh,
                    exact=exact)
    if not isinstance(mem, VramResult):  # an image-diffusion pipeline: memory only
        raise UserError(f"{mem.label} is an image-diffusion pipeline: token speed, cost and carbon estimates "
                        "cover language models", hint=f"`scorecard vram {mem.label}` gives its memory by component")
    fit = mem.estimate.fits[0]
    count = gpu_count or fit.count
    if count is None:
        raise UserError(f"{mem.label} does not fit on 8× {card.name} at {context:,} tokens × {n}",
                        hint=mem.advice[0] if mem.advice else "choose a bigger GPU or fewer bits per weight")
    arch = mem.resolved.arch
    if arch.is_encoder:
        raise UserError("speed estimates are for generative models; this is an encoder")
    est = mem.estimate
    grid, pue_value = grid_g_co2e_per_kwh(region), pue_preset(pue)
    served = serving_figures(scaled_shape(arch, mem.resolved.params, est.active_params), card, est, gpu_count=count,
                             batch=n, input_tokens=wl.input_tokens, output_tokens=wl.output_tokens,
                             utilisation=utilisation, grid_g_co2e_per_kwh=grid, pue=pue_value,
                             eur_per_t=wl.carbon_price_eur_per_t, usd_per_gpu_hour=usd_per_gpu_hour)
    if served.usd_per_1k_tokens is None:
        raise UserError(f"no price for {card.name} in the GPU table", hint="give --usd-per-gpu-hour")
    speed, usd, carbon, price_note = served.speed, served.usd_per_1k_tokens, served.carbon, served.price_note
    notes = (f"workload '{wl.name}': {wl.input_tokens:,} input + {wl.output_tokens:,} output tokens per request, "
             f"{n} concurrent",
             f"{count}× {card.name} per replica" + (" (smallest that fits)" if gpu_count is None else " (given)"),
             price_note, f"utilisation {utilisation:g}: the share of paid GPU time spent serving at this load",
             f"grid {region} {grid:g} gCO2e/kWh, PUE {pue} {pue_value:g}",
             *([mem.weights_note] if mem.weights_note else ()), *speed.assumptions, *carbon.assumptions)
    inputs = {"utilisation": utilisation, "region": region, "grid_g_co2e_per_kwh": grid, "pue": pue_value,
              "carbon_price_eur_per_t": wl.carbon_price_eur_per_t, "input_tokens": wl.input_tokens,
              "output_tokens": wl.output_tokens}
    return Estimate(mem.label, card.name, count, wl.name, n, mem, speed, usd, carbon,
                    tuple(dict.fromkeys(notes)), inputs)
