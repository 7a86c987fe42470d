"""The ``vram`` job as a library call: resolve a model, size its memory, fit it on GPUs, advise.

``plan_vram("70B", precision=PrecisionChoice("int4"), context=32_000)`` returns the estimate
with the sources of its inputs and, when a request does not fit, what would make it fit.
:func:`plan_precisions` and :func:`plan_max_context` answer the inverse questions: which
precision fits a GPU, and how long a context does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from model_scorecard.calc.capacity import BatchFit, batch_fit
from model_scorecard.calc.memory import (
    ENGINES,
    KV_DTYPE_BYTES,
    PRECISIONS,
    MemoryEstimate,
    Precision,
    WeightBytes,
    as_dict,
    estimate_memory,
    max_context_that_fits,
)
from model_scorecard.errors import UserError
from model_scorecard.sizing.target import (
    _SIZE,
    ModelSource,
    PrecisionChoice,
    Resolved,
    resolve,
)

if TYPE_CHECKING:  # pragma: no cover
    from model_scorecard.sizing.diffusion import DiffusionVramResult

VRAM_SCHEMA_VERSION = 1
#: The engine default: vLLM, or llama.cpp on one unified-memory device (see :func:`_engine_for`).
AUTO_ENGINE = "auto"


@dataclass(frozen=True)
class VramResult:
    label: str
    resolved: Resolved
    estimate: MemoryEstimate
    advice: list[str]
    warnings: tuple[str, ...] = ()  # about the Hub's answer (gated, config.json refused, packed counts)
    weights_note: str | None = None  # --exact: how the safetensors headers' bytes were used
    batch_fits: tuple[BatchFit, ...] = ()  # per GPU: the most sequences the KV cache holds, and whether the batch fits

    def to_dict(self) -> dict[str, Any]:
        doc = {"schema_version": VRAM_SCHEMA_VERSION, "model": self.label, **as_dict(self.estimate),
               "advice": list(self.advice),
               "batch_fit": {"batch": self.estimate.batch, "context": self.estimate.context,
                             "gpus": [b.as_dict() for b in self.batch_fits]}}
        if self.warnings:  # first among the assumptions, so JSON readers see them without a new key
            doc["assumptions"] = [*(f"warning: {w}" for w in self.warnings), *doc["assumptions"]]
        return doc


def _gpu_table(gpu: str, gpus_file: str | Path | None) -> dict[str, int]:
    from model_scorecard.tables.gpus import find_gpu, load_gpus

    table = load_gpus(gpus_file)
    if gpu.strip().lower() == "all":
        return {g.name: g.memory_bytes for g in table.values()}
    chosen = find_gpu(gpu, table)
    return {chosen.name: chosen.memory_bytes}


def _single_devices(gpus_file: str | Path | None) -> frozenset[str]:
    """The names of the GPU table's devices that are one device with no interconnect (unified memory)."""
    from model_scorecard.tables.gpus import load_gpus

    table = load_gpus(gpus_file)
    return frozenset(g.name for g in table.values() if g.single_device)


def _engine_for(engine: str, table: dict[str, int], single: frozenset[str]) -> tuple[str, str | None]:
    """The engine whose overhead to count, and the note that says why when it was not asked for.

    ``auto`` is vLLM, except on one unified-memory device named with --gpu (Apple silicon),
    where vLLM's CUDA context and graphs do not exist: llama.cpp, which runs there, is counted."""
    if engine != AUTO_ENGINE:
        if engine not in ENGINES:
            raise UserError(f"unknown engine '{engine}'; one of {AUTO_ENGINE}, {', '.join(ENGINES)}")
        return engine, None
    if len(table) == 1:  # one GPU named with --gpu
        (name, _), = table.items()
        if name in single:
            return "llama.cpp", (f"engine: llama.cpp, the default on {name} (one unified-memory device, where vLLM's "
                                 "CUDA context and graphs do not exist); give --engine to count another")
    return "vllm", None


def _advice(resolved: Resolved, est: MemoryEstimate, kv_dtype: str, single: frozenset[str] = frozenset()) -> list[str]:
    """For each GPU on which one request does not fit even on 8 of them (1 of a single device): what would."""
    out = []
    if est.context and resolved.max_context and est.context > resolved.max_context:
        out.append(f"{est.context:,} tokens is beyond the model's {resolved.max_context:,}-token context window")
    misfits = [f for f in est.fits if not f.fits]
    if not misfits:
        return out
    fitting = [f for f in est.fits if f.fits]
    if not fitting or len(est.fits) == 1:
        for f in misfits[:3]:
            most = 1 if f.gpu in single else 8
            longest = max_context_that_fits(resolved.arch, est.weights_bytes, f.gpu_memory_bytes, t=most,
                                            kv_bytes=KV_DTYPE_BYTES[kv_dtype], engine=est.engine, batch=est.batch)
            tips = []
            if longest:
                tips.append(f"a context of at most {longest:,} tokens")
            else:
                tips.append("fewer bits per weight (the weights alone do not fit)")
            if KV_DTYPE_BYTES[kv_dtype] > 1 and longest:
                fp8 = max_context_that_fits(resolved.arch, est.weights_bytes, f.gpu_memory_bytes, t=most, kv_bytes=1,
                                            engine=est.engine, batch=est.batch)
                tips.append(f"--kv-dtype fp8 (then up to {fp8:,} tokens)")
            if fitting:
                tips.append(f"a bigger GPU ({fitting[0].gpu})")
            elif most == 1:
                tips.append("a configuration with more unified memory, or GPUs that tensor parallelism can split "
                            "a model over")
            else:
                tips.append("a bigger GPU or more than 8 GPUs (pipeline parallelism)")
            out.append(f"one {est.context:,}-token request does not fit on {'one' if most == 1 else '8×'} {f.gpu}; "
                       "try " + ", or ".join(tips))
    return out


def _exact_weights(resolved: Resolved, asked: Precision | None,
                   served: Precision) -> tuple[WeightBytes | None, str | None]:
    """``--exact``: the weights as the safetensors headers count them, where the stored
    checkpoint is what is served (no other precision asked for than the one it is stored in,
    not fp32 served in 16 bit); else None and a note of the stored size."""
    n, source = resolved.exact_weight_bytes, resolved.exact_weights_source
    if n is None:
        return None, None
    as_stored = asked is None or (resolved.precision is not None and asked.name == resolved.precision.name)
    if as_stored and resolved.exact_is_served:
        return (WeightBytes(float(n), 0.0, 0.0, 0),
                f"weights: the exact bytes of the stored tensors, served as stored (not params × bits per weight), "
                f"from the {source}")
    why = "as asked" if not as_stored else "the 16-bit dtype an fp32 checkpoint is served in"
    return None, (f"weights computed for {served.name}, {why}; exact stored size at the checkpoint's own dtype, "
                  f"from the {source}")


def plan_vram(model: str, *, precision: PrecisionChoice = PrecisionChoice(), source: ModelSource = ModelSource(),
              context: int = 4096, batch: int = 1, kv_dtype: str = "auto", engine: str = AUTO_ENGINE,
              gpu: str = "all", gpus_file: str | Path | None = None,
              resolution: str | None = None) -> VramResult | DiffusionVramResult:
    """Memory for ``model`` (a size, config.json, catalog id or Hub id) at a context and batch.

    An image-diffusion pipeline (a diffusers folder, a bundled pipeline's Hub id, a catalog
    entry of kind diffusion-image) gets a :class:`~model_scorecard.sizing.diffusion.DiffusionVramResult`
    instead: memory by component at ``resolution``, no KV cache.

    ``source.exact`` (Hub models only) reads the safetensors headers: when no other precision
    is asked for, the weights are the exact bytes stored; ``source.refresh`` asks the Hub again.
    ``engine`` ``auto`` counts vLLM, or llama.cpp on one unified-memory device (:func:`_engine_for`)."""
    table, single = _gpu_table(gpu, gpus_file), _single_devices(gpus_file)
    engine, engine_note = _engine_for(engine, table, single)
    if not _SIZE.match(model):
        from model_scorecard.sizing.diffusion import find_pipeline, plan_diffusion

        pipe = find_pipeline(model, source.catalog)
        if pipe is not None:
            if source.exact:
                raise UserError(f"--exact applies to language models; {pipe.label} is an image-diffusion "
                                "pipeline, sized by component", hint="leave --exact out")
            return plan_diffusion(pipe, precision.resolve(), resolution=resolution, batch=batch,
                                  gpus=table)
    if resolution is not None:
        raise UserError("--resolution applies to image-diffusion pipelines only")
    resolved = resolve(model, source)
    asked = chosen = precision.resolve()
    sources = dict(resolved.sources)
    if chosen is None:
        chosen = resolved.precision or PRECISIONS["bf16"]
        if resolved.precision is None:
            sources["precision"] = "default bf16 (give --int4, --fp8 … to change)"
    else:
        sources["precision"] = "command line"
    if kv_dtype == "auto":
        kv_dtype = "fp32" if chosen.name == "fp32" else "bf16"
    weights, weights_note = _exact_weights(resolved, asked, chosen)
    if weights is not None:
        sources["weights"] = resolved.exact_weights_source or ""
    est = estimate_memory(resolved.arch, params=resolved.params, active_params=resolved.active_params,
                          precision=chosen, context=context, batch=batch, kv_dtype=kv_dtype,
                          engine=ENGINES[engine], gpus=table, sources=sources,
                          assumptions=(*resolved.assumptions, *([weights_note] if weights_note else ()),
                                       *([engine_note] if engine_note else ())),
                          weights=weights, single_device=single)
    if resolved.arch.is_encoder:
        est = replace(est, assumptions=(*est.assumptions, "an encoder keeps no KV cache between requests"))
    fits = tuple(batch_fit(resolved.arch, gpu=f.gpu, weights_total_bytes=est.weights_bytes,
                           gpu_memory_bytes=f.gpu_memory_bytes, gpu_count=f.count, batch=batch, context_tokens=context,
                           kv_bytes_per_element=KV_DTYPE_BYTES[kv_dtype], engine=est.engine,
                           **({"tp_sizes": (1,)} if f.gpu in single else {})) for f in est.fits)
    return VramResult(resolved.label, resolved, est, _advice(resolved, est, kv_dtype, single), resolved.warnings,
                      weights_note, fits)


# --------------------------------------------------------------------------- inverse questions

#: The precisions a one-shot table compares, most bits first: the names, then the GGUF file types
#: whose whole-file bits per weight are sourced (data/gguf.yaml).
TABLE_PRECISIONS = ("fp32", "bf16", "fp8", "int8", "nvfp4", "mxfp4", "int4")
TABLE_GGUF = ("Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M", "Q2_K")


@dataclass(frozen=True)
class PrecisionRow:
    """One precision on one GPU: the memory of a replica, how many GPUs it takes, the longest context."""

    precision: str
    bits_per_weight: float
    weights_bytes: float
    total_bytes: float  # one GPU's worth at the context and batch asked for
    gpus_needed: int | None  # the smallest tensor-parallel size that holds the batch; None: more than 8
    max_context_one_gpu: int  # the longest context one GPU holds for the batch (0: the weights do not fit)

    def as_dict(self) -> dict[str, Any]:
        return {"precision": self.precision, "bits_per_weight": round(self.bits_per_weight, 4),
                "weights_bytes": round(self.weights_bytes), "total_bytes": round(self.total_bytes),
                "gpus_needed": self.gpus_needed, "max_context_one_gpu": self.max_context_one_gpu}


@dataclass(frozen=True)
class PrecisionTable:
    """Every precision of :data:`TABLE_PRECISIONS` and :data:`TABLE_GGUF` for one model on one GPU, and
    the best: the most bits per weight whose batch fits on one GPU (None when none does)."""

    label: str
    gpu: str
    context: int
    batch: int
    rows: tuple[PrecisionRow, ...]
    best: str | None
    assumptions: tuple[str, ...]
    most_gpus: int = 8  # the largest tensor-parallel size tried (1: a single device)

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": VRAM_SCHEMA_VERSION, "model": self.label, "gpu": self.gpu,
                "context": self.context, "batch": self.batch, "best_on_one_gpu": self.best,
                "precisions": [r.as_dict() for r in self.rows], "assumptions": list(self.assumptions)}


def plan_precisions(model: str, *, gpu: str, source: ModelSource = ModelSource(), context: int = 4096,
                    batch: int = 1, kv_dtype: str = "auto", engine: str = AUTO_ENGINE,
                    gpus_file: str | Path | None = None) -> PrecisionTable:
    """Which precision fits: every precision on ``gpu`` at ``context`` × ``batch``, as accelerate's
    estimate-memory prints it, plus the GPUs each needs and the longest context one GPU holds."""
    from model_scorecard.sizing.target import gguf_types

    if gpu.strip().lower() == "all":
        raise UserError("the precision table is for one GPU: give --gpu NAME (H100, L4 …)")
    table, single = _gpu_table(gpu, gpus_file), _single_devices(gpus_file)
    engine, engine_note = _engine_for(engine, table, single)
    resolved = resolve(model, source)
    (name, memory), = table.items()
    known = gguf_types()
    choices = [PrecisionChoice(p) for p in TABLE_PRECISIONS] + [PrecisionChoice(quant=q) for q in TABLE_GGUF
                                                                 if q in known]
    rows = []
    for choice in choices:
        chosen = choice.resolve()
        assert chosen is not None
        kv = kv_dtype if kv_dtype != "auto" else ("fp32" if chosen.name == "fp32" else "bf16")
        est = estimate_memory(resolved.arch, params=resolved.params, active_params=resolved.active_params,
                              precision=chosen, context=context, batch=batch, kv_dtype=kv, engine=ENGINES[engine],
                              gpus=table, single_device=single)
        needed = batch_fit(resolved.arch, gpu=name, weights_total_bytes=est.weights_bytes, gpu_memory_bytes=memory,
                           gpu_count=None, batch=batch, context_tokens=context, kv_bytes_per_element=KV_DTYPE_BYTES[kv],
                           engine=est.engine, **({"tp_sizes": (1,)} if name in single else {})).gpu_count_for_batch
        longest = max_context_that_fits(resolved.arch, est.weights_bytes, memory, t=1, kv_bytes=KV_DTYPE_BYTES[kv],
                                        engine=est.engine, batch=batch)
        rows.append(PrecisionRow(chosen.name, chosen.bits, est.weights_bytes, est.total_bytes, needed,
                                 longest))
    best = next((r.precision for r in sorted(rows, key=lambda r: -r.bits_per_weight) if r.gpus_needed == 1), None)
    notes = (*resolved.assumptions,
             f"each row: the weights at that precision + the KV cache of {batch} × {context:,} tokens + "
             f"{engine} overhead; GPUs needed is the smallest tensor-parallel size whose KV cache holds the batch",
             "GGUF rows use the whole-file bits per weight measured on Llama-3-8B (data/gguf.yaml)",
             *([engine_note] if engine_note else ()))
    if name in single:
        notes = (*notes, f"{name} is one device with no interconnect: GPUs needed is 1 or more than 1 (no tensor "
                         "parallelism across devices)")
    return PrecisionTable(resolved.label, name, context, batch, tuple(rows), best, notes,
                          1 if name in single else 8)


@dataclass(frozen=True)
class ContextFit:
    """The longest context a batch fits in, per tensor-parallel size of one GPU type."""

    label: str
    gpu: str
    precision: str
    batch: int
    longest: tuple[tuple[int, int], ...]  # (GPUs, tokens); 0 tokens: the weights alone do not fit
    window: int | None  # the model's own context window, when known

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": VRAM_SCHEMA_VERSION, "model": self.label, "gpu": self.gpu,
                "precision": self.precision, "batch": self.batch, "context_window": self.window,
                "max_context": [{"gpus": t, "tokens": n} for t, n in self.longest]}


def plan_max_context(model: str, *, gpu: str, precision: PrecisionChoice = PrecisionChoice(),
                     source: ModelSource = ModelSource(), batch: int = 1, kv_dtype: str = "auto",
                     engine: str = AUTO_ENGINE, gpus_file: str | Path | None = None) -> ContextFit:
    """The longest context (a multiple of 16 tokens) for which ``batch`` requests fit on 1, 2, 4, 8 × ``gpu``."""
    from model_scorecard.calc.memory import TP_SIZES, tensor_parallel_allowed

    if gpu.strip().lower() == "all":
        raise UserError("--max-context is for one GPU: give --gpu NAME (H100, L4 …)")
    base = plan_vram(model, precision=precision, source=source, context=16, batch=batch, kv_dtype=kv_dtype,
                     engine=engine, gpu=gpu, gpus_file=gpus_file)
    if not isinstance(base, VramResult):
        raise UserError(f"{base.label} is an image-diffusion pipeline: it has no context to size")
    est, arch = base.estimate, base.resolved.arch
    fit = est.fits[0]
    sizes = (1,) if fit.gpu in _single_devices(gpus_file) else TP_SIZES  # one device: no tensor parallelism
    longest = tuple((t, max_context_that_fits(arch, est.weights_bytes, fit.gpu_memory_bytes, t=t,
                                              kv_bytes=KV_DTYPE_BYTES[est.kv_dtype], engine=est.engine, batch=batch))
                    for t in sizes if tensor_parallel_allowed(arch, t))
    return ContextFit(base.label, fit.gpu, est.precision.name, batch, longest, base.resolved.max_context)
