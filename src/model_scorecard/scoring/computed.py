"""Computed figures: run the calculators on one entry and return what they computed, with assumptions.

Nothing here scores; the rubric reads these values as ``computed.<name>`` beside the
catalog's own facts. Measured or vendor figures in the catalog are separate fields, and
a criterion names which it reads first.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

from model_scorecard.calc.cost import (
    blended_usd_per_1k_tokens,
    carbon_eur_per_1k_tokens,
    egress_usd_per_1k_tokens,
)
from model_scorecard.schema.catalog import CONVERSATIONAL_CHECKPOINTS, ModelEntry
from model_scorecard.schema.workload import Workload
from model_scorecard.scoring.evidence import BASES, Computed, fact_basis

TEXT_KINDS = ("llm", "diffusion-llm", "embedding")


def weakest(*bases: str) -> str:
    """The least trustworthy of several bases (a figure is only as good as its weakest input)."""
    return max(bases, key=BASES.index) if bases else "evidence"


def _price_source(entry: ModelEntry) -> str:
    p = entry.pricing
    who = p.provider or entry.vendor
    return f"list price from {who}" + (f" ({p.source})" if p.source else "")


def _egress(workload: Workload) -> tuple[float, Computed]:
    egress = egress_usd_per_1k_tokens(workload.bytes_per_token, workload.egress_usd_per_gb)
    return egress, Computed(
        round(egress, 10), "USD per 1k output tokens", "response bytes × internet egress price",
        {"bytes_per_token": workload.bytes_per_token, "egress_usd_per_gb": workload.egress_usd_per_gb},
        ("text responses: 1k tokens ≈ 4 KB, so egress is negligible even at a 9× outbound tariff",))


def _cost(entry: ModelEntry, workload: Workload,
          egress_computed: tuple[float, Computed] | None = None) -> dict[str, Computed]:
    out: dict[str, Computed] = {}
    p = entry.pricing
    egress = None
    if entry.kind in TEXT_KINDS:
        egress, out["egress_usd_per_1k_tokens"] = egress_computed or _egress(workload)
    if p.currency == "USD" and p.input_per_1m is not None and p.output_per_1m is not None:
        pin, pout = p.input_per_1m.value, p.output_per_1m.value
        w_in, w_out = workload.input_tokens, workload.output_tokens
        price = blended_usd_per_1k_tokens(pin, pout, w_in, w_out)
        egress_share = (egress or 0.0) * w_out / (w_in + w_out)
        basis = weakest(fact_basis(entry, p, p.input_per_1m), fact_basis(entry, p, p.output_per_1m))
        out["usd_per_1k_tokens"] = Computed(
            round(price + egress_share, 8), "USD per 1k tokens",
            "API price blended by the workload's input/output mix, plus egress of the output",
            {"input_usd_per_1m": pin, "output_usd_per_1m": pout, "input_tokens": w_in, "output_tokens": w_out,
             "price_usd_per_1k": round(price, 8), "egress_usd_per_1k": round(egress_share, 10)},
            (f"workload '{workload.name}': {w_in} input + {w_out} output tokens per request",
             _price_source(entry), "standard tier; cached-input and batch discounts not applied"), basis)
        out["usd_per_1k_tokens_3to1"] = Computed(
            round(blended_usd_per_1k_tokens(pin, pout, 3, 1), 8), "USD per 1k tokens",
            "API price blended 3:1 input:output (Artificial Analysis convention)",
            {"input_usd_per_1m": pin, "output_usd_per_1m": pout}, (_price_source(entry),), basis)
    if p.currency == "USD" and p.per_image is not None:
        out["usd_per_image"] = Computed(p.per_image.value, "USD per image", "API list price per image",
                                        {"per_image": p.per_image.value}, (_price_source(entry),),
                                        fact_basis(entry, p, p.per_image))
    g = entry.sustainability.g_co2e_per_1k_tokens
    if g is not None:
        out["carbon_eur_per_1k_tokens"] = Computed(
            round(carbon_eur_per_1k_tokens(g.value, workload.carbon_price_eur_per_t), 10),
            "EUR per 1k tokens", "declared gCO2e per 1k tokens × carbon price",
            {"g_co2e_per_1k_tokens": g.value, "eur_per_t_co2e": workload.carbon_price_eur_per_t},
            (f"carbon price {workload.carbon_price_eur_per_t:g} EUR/t (workload setting)",
             f"emissions figure from {g.source or entry.sustainability.source or entry.vendor}"),
            fact_basis(entry, entry.sustainability, g))
    return out


def _data_control(entry: ModelEntry) -> Computed | None:
    if "open-weights" in entry.access:
        return Computed("self-hosted", "category", "access mode", {"access": list(entry.access)},
                        ("open weights can run where you choose, so prompts need not leave your infrastructure",),
                        "assumption")
    residency = entry.compliance.eu_data_residency
    if residency is None:
        return None
    value = "eu-region" if residency.value else "vendor-region"
    return Computed(value, "category", "API data residency", {"eu_data_residency": residency.value},
                    (f"from compliance.eu_data_residency ({residency.source or entry.compliance.source or 'no source'})",),
                    fact_basis(entry, entry.compliance, residency))


def _license_review(entry: ModelEntry) -> Computed | None:
    """``unreviewed`` for open weights whose licence has no known terms and whose catalog entry states none."""
    if "open-weights" not in entry.access or entry.license_terms.commercial_use is not None:
        return None
    from model_scorecard.tables.licences import license_gap

    license_id = entry.license.value if entry.license else None
    gap = license_gap(license_id)
    if gap is None:
        return None
    return Computed("unreviewed", "category", "licence id looked up in the bundled licence table",
                    {"license": license_id, "license_terms.commercial_use": None},
                    (gap, "a licence with no known terms is red until someone reads it and states license_terms "
                          "(commercial_use, hosting_for_third_parties) in the catalog"))


def _lifecycle(entry: ModelEntry, as_of: date) -> dict[str, Computed]:
    ops = entry.operations
    shutdown = ops.shutdown_date.value if ops.shutdown_date else None
    deprecation = ops.deprecation_date.value if ops.deprecation_date else None
    status = ops.status.value if ops.status else None
    inputs = {"evaluation_date": as_of.isoformat(), "shutdown_date": shutdown and shutdown.isoformat(),
              "deprecation_date": deprecation and deprecation.isoformat(), "status": status}
    assumptions: tuple[str, ...] = ("dates beat a stated status: they can be checked against the evaluation date",)
    if shutdown is not None and shutdown <= as_of:
        value, basis = "retired", fact_basis(entry, ops, ops.shutdown_date)
    elif deprecation is not None and deprecation <= as_of:
        value, basis = "deprecated", fact_basis(entry, ops, ops.deprecation_date)
    elif shutdown is not None:
        value, basis = "sunset-announced", fact_basis(entry, ops, ops.shutdown_date)
    elif status is not None:
        value, basis = status, fact_basis(entry, ops, ops.status)
    elif entry.access == ("open-weights",):
        value, basis = "active", "assumption"
        assumptions = ("open weights you hold cannot be withdrawn; no shutdown applies (an assumption from the "
                       "access mode, not evidence of support)",)
    else:
        return {}
    out = {"lifecycle": Computed(value, "category", "operations dates and status at the evaluation date",
                                 inputs, assumptions, basis)}
    if shutdown is not None:
        out["days_to_shutdown"] = Computed((shutdown - as_of).days, "days", "shutdown date − evaluation date",
                                           {"shutdown_date": shutdown.isoformat(), "evaluation_date": as_of.isoformat()})
    return out


@lru_cache(maxsize=4096)  # a catalog repeats sizes; each estimate depends only on these values
def _self_hosted_for(params: int, active: int | None, gpu: str, precision: str, input_tokens: int,
                     output_tokens: int, concurrency: int, utilisation: float | None, tokens_per_day: int | None,
                     region: str, pue: str, usd_per_gpu_hour: float | None,
                     eur_per_t: float) -> dict[str, Computed] | str:
    """Memory, speed, cost and carbon of a self-hosted model of this size, or why not.

    The batch is the workload's concurrency capped at what the KV cache holds; the replicas
    and their utilisation follow the workload's tokens per day (calc.serving)."""
    from model_scorecard.calc.memory import (
        ENGINES,
        KV_DTYPE_BYTES,
        PRECISIONS,
        estimate_memory,
    )
    from model_scorecard.calc.serving import kv_capacity, scaled_shape, serving_figures
    from model_scorecard.errors import ScorecardError
    from model_scorecard.tables.architectures import (
        nearest_reference,
        reference_architecture,
    )
    from model_scorecard.tables.carbon import grid_g_co2e_per_kwh, pue_preset
    from model_scorecard.tables.gpus import find_gpu

    try:
        card = find_gpu(gpu)
        ref = nearest_reference(params, active)
        arch = reference_architecture(ref.file)
        context = input_tokens + output_tokens
        mem = estimate_memory(arch, params=params, active_params=active, precision=PRECISIONS[precision],
                              context=max(1, context), batch=concurrency, kv_dtype="bf16", engine=ENGINES["vllm"],
                              gpus={card.name: card.memory_bytes},
                              single_device={card.name} if card.single_device else ())
        fit = mem.fits[0]
        basis = {"params": params, "active_params": mem.active_params, "gpu": card.name, "precision": precision,
                 "reference_architecture": ref.hf_id, "context": context, "concurrency": concurrency}
        why = (f"sized from params with the layers and KV heads of {ref.hf_id}; vLLM accounting, "
               f"{precision} weights, bf16 KV cache",)
        out = {
            "gpus_needed": Computed(fit.count, "GPUs", f"smallest tensor-parallel size of {card.name} that fits",
                                    basis, why),
            "fits_target_gpu": Computed(fit.fits, "boolean",
                                        f"fits on one {card.name} (a single device)" if card.single_device
                                        else f"fits on at most 8× {card.name}", basis, why),
            "memory_gb": Computed(round(mem.total_bytes / 1e9, 2), "GB", "weights + KV cache + engine overhead",
                                  basis, why),
        }
        if fit.count is None or not output_tokens:
            return out
        engine = ENGINES["vllm"]
        room = kv_capacity(arch, weights_total_bytes=mem.weights_bytes, gpu_memory_bytes=card.memory_bytes,
                           tensor_parallel=fit.count, context_tokens=max(1, context),
                           kv_bytes_per_element=KV_DTYPE_BYTES["bf16"], engine=engine)
        try:
            served = serving_figures(scaled_shape(arch, params, mem.active_params), card, mem, gpu_count=fit.count,
                                     batch=concurrency, input_tokens=input_tokens, output_tokens=output_tokens,
                                     utilisation=utilisation, tokens_per_day=tokens_per_day,
                                     kv_max_sequences=room.max_sequences,
                                     grid_g_co2e_per_kwh=grid_g_co2e_per_kwh(region),
                                     pue=pue_preset(pue), eur_per_t=eur_per_t, usd_per_gpu_hour=usd_per_gpu_hour)
        except ScorecardError:
            if card.bf16_flops is None:  # no published compute peak: the memory figures stand, speed stays unknown
                return out
            raise
        speed = served.speed
        basis = {**basis, "batch": served.batch}
        roof = (*why, f"roofline on {fit.count}× {card.name} at batch {served.batch}, MBU 0.5/0.7/0.85, "
                "MFU 0.3/0.5/0.7: the likely value; no queueing",
                *((f"batch capped at {served.batch}: the KV cache holds {served.kv_max_sequences} sequences of "
                   f"{context:,} tokens (the workload asks for {concurrency})",) if served.batch_capped else ()))
        band = speed.ttft_ms
        out["ttft_ms"] = Computed(round(band.likely, 1), "ms", "roofline time to first token (likely)",
                                  {**basis, "low": round(band.low, 1), "high": round(band.high, 1)}, roof)
        band = speed.decode_tokens_per_s_per_stream
        out["tokens_per_s"] = Computed(round(band.likely, 1), "tokens/s per stream", "roofline decode (likely)",
                                       {**basis, "low": round(band.low, 1), "high": round(band.high, 1)}, roof)
        usd, carbon = served.usd_per_1k_tokens, served.carbon
        if usd is None or carbon is None:  # no GPU price: speed only
            return out
        load = {"usd_per_gpu_hour": served.price, "tokens_per_day": tokens_per_day,
                "replicas": served.replicas.likely, "utilisation": round(served.utilisation.likely, 4),
                "utilisation_source": served.utilisation_source}
        traffic = (f"{served.replicas.likely:g} replica(s) of {fit.count}× {card.name} billed around the clock for "
                   f"{tokens_per_day:,} tokens/day: {served.utilisation.likely:.0%} busy (likely)"
                   if served.utilisation_source == "traffic" else
                   f"utilisation {served.utilisation.likely:g} ({served.utilisation_source})")
        out["self_hosted_usd_per_1k_tokens"] = Computed(
            round(usd.likely, 8), "USD per 1k tokens", "GPU-hours of the replicas the traffic needs, per 1k tokens",
            {**basis, **load, "low": round(usd.low, 8), "high": round(usd.high, 8)}, (*roof, traffic))
        g = carbon.g_co2e_per_1k_tokens
        out["g_co2e_per_1k_tokens"] = Computed(
            round(g.likely, 6), "gCO2e per 1k tokens", "energy per 1k tokens × grid intensity (likely)",
            {**basis, **load, "region": region, "pue": pue, "low": round(g.low, 6), "high": round(g.high, 6)},
            (*roof, traffic, *carbon.assumptions[:2]))
        return out
    except (ScorecardError, ValueError) as exc:
        return str(exc)


def _self_hosted(entry: ModelEntry, workload: Workload) -> dict[str, Computed]:
    if "open-weights" not in entry.access or entry.kind != "llm" or entry.params is None:
        return {}
    active = entry.active_params.value if entry.active_params else None
    result = _self_hosted_for(entry.params.value, active, workload.gpu, workload.precision, workload.input_tokens,
                              workload.output_tokens, workload.concurrency, workload.utilisation,
                              workload.tokens_per_day, workload.region, workload.pue, workload.gpu_usd_per_hour,
                              workload.carbon_price_eur_per_t)
    if not isinstance(result, dict):
        return {}
    basis = weakest(fact_basis(entry, None, entry.params),
                    *((fact_basis(entry, None, entry.active_params),) if entry.active_params else ()))
    if basis == "evidence":
        return dict(result)  # a copy: the cached dict is shared
    return {k: replace(c, basis=basis) for k, c in result.items()}


def _checkpoint_fit(entry: ModelEntry, workload: Workload) -> Computed | None:
    """``mismatch`` when a base or code-completion checkpoint meets a conversational workload."""
    if entry.checkpoint is None or entry.kind not in ("llm", "diffusion-llm"):
        return None
    kind = entry.checkpoint.value
    fits = kind in CONVERSATIONAL_CHECKPOINTS or not workload.conversational
    return Computed("fits" if fits else "mismatch", "category", "checkpoint type against the workload's use",
                    {"checkpoint": kind, "conversational": workload.conversational},
                    (f"workload '{workload.name}' is {'' if workload.conversational else 'not '}conversational; "
                     f"a {kind} checkpoint {'suits it' if fits else 'is not trained to follow a conversation'}",),
                    fact_basis(entry, None, entry.checkpoint))


def _carbon_cost(g: Computed, workload: Workload) -> Computed:
    return Computed(
        round(carbon_eur_per_1k_tokens(g.value, workload.carbon_price_eur_per_t), 10), "EUR per 1k tokens",
        "estimated gCO2e per 1k tokens × carbon price",
        {"g_co2e_per_1k_tokens": g.value, "eur_per_t_co2e": workload.carbon_price_eur_per_t},
        (f"carbon price {workload.carbon_price_eur_per_t:g} EUR/t (workload setting)", *g.assumptions), g.basis)


def enrich(entry: ModelEntry, workload: Workload, as_of: date) -> dict[str, Computed]:
    """Everything the calculators can say about ``entry`` for ``workload`` on ``as_of``."""
    return Enricher(workload, as_of)(entry)


class Enricher:
    """:func:`enrich` for one workload and evaluation date, over a whole catalog.

    Figures that depend on a few inputs only -- egress, data control, lifecycle, the carbon
    cost of a self-hosted estimate -- are worked out once per distinct input and the same
    (frozen) ``Computed`` is shared by every model it applies to, so a large catalog neither
    recomputes nor re-serialises them. Nothing is kept beyond the enricher's life.
    """

    def __init__(self, workload: Workload, as_of: date):
        self.workload, self.as_of = workload, as_of
        self._egress: tuple[float, Computed] | None = None
        self._control: dict[tuple[Any, ...], Computed | None] = {}
        self._lifecycle: dict[tuple[Any, ...], dict[str, Computed]] = {}
        self._license: dict[Any, Computed | None] = {}

    def __call__(self, entry: ModelEntry) -> dict[str, Computed]:
        workload = self.workload
        out = _self_hosted(entry, workload)
        if entry.kind in TEXT_KINDS and self._egress is None:
            self._egress = _egress(workload)
        out.update(_cost(entry, workload, self._egress))
        g = out.get("g_co2e_per_1k_tokens")
        if g is not None and "carbon_eur_per_1k_tokens" not in out:  # declared figures win over the estimate
            out["carbon_eur_per_1k_tokens"] = _carbon_cost(g, workload)
        control = self._data_control(entry)
        if control is not None:
            out["data_control"] = control
        review = self._license_review(entry)
        if review is not None:
            out["license_review"] = review
        out.update(self._lifecycle_of(entry))
        fit = _checkpoint_fit(entry, workload)
        if fit is not None:
            out["checkpoint_fit"] = fit
        return dict(sorted(out.items()))

    def _license_review(self, entry: ModelEntry) -> Computed | None:
        if "open-weights" not in entry.access or entry.license_terms.commercial_use is not None:
            return None
        key = entry.license.value if entry.license else None
        if key not in self._license:
            self._license[key] = _license_review(entry)
        return self._license[key]

    def _data_control(self, entry: ModelEntry) -> Computed | None:
        if "open-weights" in entry.access:
            key: tuple[Any, ...] = (entry.access,)
        else:
            residency = entry.compliance.eu_data_residency
            if residency is None:
                return None
            key = (residency.value, fact_basis(entry, entry.compliance, residency),
                   residency.source or entry.compliance.source)
        if key not in self._control:
            self._control[key] = _data_control(entry)
        return self._control[key]

    def _lifecycle_of(self, entry: ModelEntry) -> dict[str, Computed]:
        ops = entry.operations
        facts = (ops.shutdown_date, ops.deprecation_date, ops.status)
        key = (*(f.value if f else None for f in facts), *(fact_basis(entry, ops, f) for f in facts),
               entry.access == ("open-weights",))
        found = self._lifecycle.get(key)
        if found is None:
            found = self._lifecycle[key] = _lifecycle(entry, self.as_of)
        return found
