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

from model_scorecard.calc.ranges import Range
from model_scorecard.calc.serving import (
    KvCapacity,
    Serving,
    blended_tokens_per_s,
    gpu_price,
    kv_capacity,
    scaled_shape,
    serving_figures,
)
from model_scorecard.errors import UserError
from model_scorecard.sizing.target import ModelSource, PrecisionChoice
from model_scorecard.sizing.vram import VramResult, plan_vram

# scaled_shape, gpu_price, blended_tokens_per_s, serving_figures and Serving live in calc/serving.py;
# they are importable from here too, as before.
__all__ = ["ESTIMATE_SCHEMA_VERSION", "Estimate", "Serving", "blended_tokens_per_s", "gpu_price", "plan_estimate",
           "scaled_shape", "serving_figures"]

ESTIMATE_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Estimate:
    """``scorecard estimate``'s result. ``serving`` holds batch, replicas, utilisation and cost;
    ``usd_per_1k_tokens`` and ``carbon`` are None when the traffic is zero (undefined per token)."""

    label: str
    gpu: str
    gpu_count: int
    workload: str
    batch: int  # the batch costed: the requested batch, capped at what the KV cache holds
    memory: VramResult
    speed: Any  # calc.speed.SpeedEstimate
    usd_per_1k_tokens: Range | None
    carbon: Any | None  # calc.carbon.CarbonEstimate
    assumptions: tuple[str, ...]
    inputs: dict[str, Any]
    serving: Serving
    gpu_count_requested: int | None = None
    utilisation_source: str = "assumed"  # given (--utilisation), workload (its utilisation), traffic, assumed
    gpu_count_for_batch: int | None = None  # when the batch was capped: the smallest size whose KV cache holds it

    def to_dict(self) -> dict[str, Any]:
        s, c, sv = self.speed, self.carbon, self.serving

        def band(r: Range | None, places: int = 6) -> dict[str, float] | None:
            return None if r is None else {k: round(getattr(r, k), places) for k in ("low", "likely", "high")}

        def whole(r: Range) -> dict[str, int]:
            return {k: int(getattr(r, k)) for k in ("low", "likely", "high")}

        def carbon(name: str, places: int) -> dict[str, float] | None:
            return None if c is None else band(getattr(c, name), places)

        return {
            "schema_version": ESTIMATE_SCHEMA_VERSION,
            "model": self.label,
            "gpu": self.gpu,
            "gpu_count": self.gpu_count,
            "gpu_count_requested": self.gpu_count_requested,
            "workload": self.workload,
            "batch": self.batch,
            "batch_requested": sv.batch_requested,
            "batch_capped": sv.batch_capped,
            "kv_max_sequences": sv.kv_max_sequences,
            "gpu_count_for_batch": self.gpu_count_for_batch,
            "precision": self.memory.estimate.precision.name,
            "params": self.memory.estimate.params,
            "active_params": self.memory.estimate.active_params,
            "ttft_ms": band(s.ttft_ms, 2),
            "tpot_ms": band(s.tpot_ms, 3),
            "decode_tokens_per_s_per_stream": band(s.decode_tokens_per_s_per_stream, 2),
            "decode_tokens_per_s_aggregate": band(s.decode_tokens_per_s_aggregate, 2),
            "request_latency_ms": band(s.request_latency_ms, 1),
            "decode_bound": s.decode_bound,
            "replica_tokens_per_s": band(sv.replica_tokens_per_s, 2),
            "tokens_per_day": sv.tokens_per_day,
            "demand_tokens_per_s": None if sv.demand_tokens_per_s is None else round(sv.demand_tokens_per_s, 3),
            "replicas": whole(sv.replicas),
            "utilisation": band(sv.utilisation, 6),
            "utilisation_source": self.utilisation_source,
            "usd_per_day": band(sv.usd_per_day, 4),
            "usd_per_1k_tokens": band(self.usd_per_1k_tokens, 8),
            "usd_per_1k_tokens_undefined": sv.undefined_note,
            "wh_per_1k_tokens": carbon("wh_per_1k_tokens", 6),
            "g_co2e_per_1k_tokens": carbon("g_co2e_per_1k_tokens", 6),
            "embodied_g_co2e_per_1k_tokens": carbon("embodied_g_co2e_per_1k_tokens", 6),
            "eur_carbon_per_1k_tokens": carbon("eur_per_1k_tokens", 10),
            "inputs": self.inputs,
            "sources": dict(self.memory.estimate.sources),
            "assumptions": [*(f"warning: {w}" for w in getattr(self.memory, "warnings", ())), *self.assumptions],
        }


def plan_estimate(model: str, *, precision: PrecisionChoice = PrecisionChoice(),
                  source: ModelSource = ModelSource(), gpu: str = "H100", gpu_count: int | None = None,
                  workload: str | None = None, batch: int | None = None, utilisation: float | None = None,
                  region: str = "eu-27", pue: str = "hyperscaler", usd_per_gpu_hour: float | None = None,
                  gpus_file: str | Path | None = None) -> Estimate:
    """Speed, cost and carbon of ``model`` served on ``gpu`` for ``workload`` (default chat).

    ``gpu_count``: GPUs per replica; raised to the smallest tensor-parallel size that holds
    one request when it does not (said in the assumptions). ``batch`` (default: the
    workload's concurrency) is capped at what the KV cache holds at the workload's context.
    ``utilisation``: given, it wins; else the workload's own ``utilisation``; else derived
    from its ``tokens_per_day``; else 0.5, stated as assumed.
    ``source.exact`` (Hub models): the weights as the safetensors headers count them (see :func:`plan_vram`)."""
    from model_scorecard.calc.memory import (
        KV_DTYPE_BYTES,
        TP_SIZES,
        tensor_parallel_allowed,
    )
    from model_scorecard.schema.workload import load_workload
    from model_scorecard.tables.carbon import grid_g_co2e_per_kwh, pue_preset
    from model_scorecard.tables.gpus import find_gpu, load_gpus

    if utilisation is not None and not 1e-15 <= utilisation <= 1:
        raise UserError(f"--utilisation must be in (0, 1], got {utilisation:g}")
    if usd_per_gpu_hour is not None:
        from model_scorecard.units import require_finite

        require_finite(usd_per_gpu_hour, "--usd-per-gpu-hour")
        if not 0 <= usd_per_gpu_hour <= 1e6:
            raise UserError(f"--usd-per-gpu-hour must be between 0 and 1,000,000, got {usd_per_gpu_hour:g}")
    wl = load_workload(workload, "chat")
    n = batch or wl.concurrency
    context = wl.input_tokens + wl.output_tokens
    card = find_gpu(gpu, load_gpus(gpus_file))
    mem = plan_vram(model, precision=precision, source=source, context=context, batch=n, gpu=card.name,
                    gpus_file=gpus_file)
    if not isinstance(mem, VramResult):  # an image-diffusion pipeline: memory only
        raise UserError(f"{mem.label} is an image-diffusion pipeline: token speed, cost and carbon estimates "
                        "cover language models", hint=f"`scorecard vram {mem.label}` gives its memory by component")
    est, arch = mem.estimate, mem.resolved.arch

    def capacity(t: int) -> KvCapacity:
        return kv_capacity(arch, weights_total_bytes=est.weights_bytes, gpu_memory_bytes=card.memory_bytes,
                           tensor_parallel=t, context_tokens=context, kv_bytes_per_element=KV_DTYPE_BYTES[est.kv_dtype],
                           engine=est.engine)

    sizes = (1,) if card.single_device else TP_SIZES  # one device with no interconnect: no tensor parallelism
    if card.single_device and gpu_count is not None and gpu_count > 1:
        raise UserError(f"--gpus {gpu_count}: {card.name} is a single device with no interconnect, so a replica "
                        "cannot be split over several by tensor parallelism", hint="leave --gpus out, or give 1")
    fit = est.fits[0]
    if fit.count is None:
        most = capacity(max(sizes))
        raise UserError(
            f"{mem.label} does not fit on {max(sizes)}× {card.name} at {context:,} tokens: one replica needs "
            f"{est.weights_bytes / 1e9:,.0f} GB of weights, plus per GPU {most.overhead_bytes_per_gpu / 1e9:.1f} GB "
            f"of engine overhead and {most.sequence_kv_bytes_per_gpu / 1e9:.2f} GB of KV cache for one request: "
            f"{most.needed_bytes_per_gpu / 1e9:,.1f} GB per GPU on {max(sizes)} GPUs, where each {card.name} "
            f"offers {most.usable_bytes_per_gpu / 1e9:.1f} GB ({est.engine.gpu_memory_utilization:g} of "
            f"{card.memory_bytes / 1e9:.1f} GB)",
            hint=mem.advice[0] if mem.advice else "choose a bigger GPU or fewer bits per weight")
    if arch.is_encoder:
        raise UserError("speed estimates are for generative models; this is an encoder")
    if gpu_count is None:
        count, cap = fit.count, capacity(fit.count)
        count_note = f"{count}× {card.name} per replica (smallest that fits)"
    else:
        count, cap = gpu_count, capacity(gpu_count)
        count_note = f"{count}× {card.name} per replica (given)"
        if not cap.fits:
            asked = cap
            count = next((t for t in sizes
                          if t > gpu_count and tensor_parallel_allowed(arch, t) and capacity(t).fits), None)
            if count is None:
                raise UserError(f"{mem.label} does not fit on {gpu_count}× {card.name}: it needs "
                                f"{asked.needed_bytes_per_gpu / 1e9:,.1f} GB per GPU, each offers "
                                f"{asked.usable_bytes_per_gpu / 1e9:.1f} GB", hint="choose --gpus 1, 2, 4 or 8")
            cap = capacity(count)
            count_note = (f"--gpus {gpu_count} does not hold {est.weights_bytes / 1e9:,.0f} GB of weights + engine "
                          f"overhead + one {context:,}-token request ({asked.needed_bytes_per_gpu / 1e9:,.1f} GB per "
                          f"GPU, {card.name} offers {asked.usable_bytes_per_gpu / 1e9:.1f} GB): priced at {count}× "
                          f"{card.name}, the smallest tensor-parallel size that fits")
    given_u = utilisation if utilisation is not None else wl.utilisation
    source = ("given" if utilisation is not None else "workload" if wl.utilisation is not None
              else "traffic" if wl.tokens_per_day is not None else "assumed")
    grid, pue_value = grid_g_co2e_per_kwh(region), pue_preset(pue)
    served = serving_figures(scaled_shape(arch, mem.resolved.params, est.active_params), card, est, gpu_count=count,
                             batch=n, input_tokens=wl.input_tokens, output_tokens=wl.output_tokens,
                             utilisation=given_u, tokens_per_day=wl.tokens_per_day,
                             kv_max_sequences=cap.max_sequences, grid_g_co2e_per_kwh=grid, pue=pue_value,
                             eur_per_t=wl.carbon_price_eur_per_t, usd_per_gpu_hour=usd_per_gpu_hour)
    if served.price is None:
        raise UserError(f"no price for {card.name} in the GPU table", hint="give --usd-per-gpu-hour")
    speed, usd, carbon = served.speed, served.usd_per_1k_tokens, served.carbon
    for_batch = None
    if served.batch_capped:
        for_batch = next((t for t in sizes if t > count and tensor_parallel_allowed(arch, t)
                          and (capacity(t).max_sequences or 0) >= n), None)
    traffic = f"{wl.tokens_per_day:,} tokens/day" if wl.tokens_per_day is not None else "no tokens_per_day"
    notes = (f"workload '{wl.name}': {wl.input_tokens:,} input + {wl.output_tokens:,} output tokens per request, "
             f"{n} concurrent, {traffic}",
             count_note, cap.describe(), served.price_note,
             *(["utilisation from the workload's own setting"] if source == "workload" else []),
             *served.assumptions,
             *([f"{for_batch}× {card.name} per replica would hold the batch of {n} (--gpus {for_batch})"]
               if for_batch else []),
             f"grid {region} {grid:g} gCO2e/kWh, PUE {pue} {pue_value:g}",
             *([mem.weights_note] if mem.weights_note else ()), *speed.assumptions,
             *(carbon.assumptions if carbon is not None else ()))
    inputs = {"utilisation": given_u, "tokens_per_day": wl.tokens_per_day, "region": region,
              "grid_g_co2e_per_kwh": grid, "pue": pue_value, "carbon_price_eur_per_t": wl.carbon_price_eur_per_t,
              "input_tokens": wl.input_tokens, "output_tokens": wl.output_tokens}
    return Estimate(mem.label, card.name, count, wl.name, served.batch, mem, speed, usd, carbon,
                    tuple(dict.fromkeys(note for note in notes if note)), inputs, served, gpu_count, source, for_batch)
