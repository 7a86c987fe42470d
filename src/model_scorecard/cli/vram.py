"""``scorecard vram``: GPU memory for a model, and which GPUs (and how many) serve it."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer

from model_scorecard.cli import app
from model_scorecard.cli.common import console, emit, guarded
from model_scorecard.cli.options import (
    AssumptionsOpt,
    Bf16Opt,
    BitsOpt,
    CatalogOpt,
    ExactOpt,
    FormatOpt,
    Fp8Opt,
    Fp16Opt,
    Fp32Opt,
    GpusFileOpt,
    Int4Opt,
    Int8Opt,
    ModelArg,
    Mxfp4Opt,
    Nvfp4Opt,
    OfflineOpt,
    OutFormat,
    PrecisionName,
    PrecisionOpt,
    QuantOpt,
    RefreshOpt,
    RevisionOpt,
    model_source,
    precision_choice,
)


class EngineName(str, Enum):
    auto = "auto"
    vllm = "vllm"
    transformers = "transformers"
    llamacpp = "llama.cpp"


class KVDtype(str, Enum):
    auto = "auto"
    bf16 = "bf16"
    fp16 = "fp16"
    fp32 = "fp32"
    fp8 = "fp8"


def parse_count(text: str, what: str) -> int:
    from model_scorecard.errors import UserError
    from model_scorecard.units import parse_tokens

    try:
        value = parse_tokens(text)
    except ValueError as exc:
        raise UserError(f"{what}: {exc}") from None
    if value <= 0:
        raise UserError(f"{what} must be positive")
    return value


@app.command()
@guarded
def vram(
    model: str = ModelArg,
    fp32: bool = Fp32Opt, bf16: bool = Bf16Opt, fp16: bool = Fp16Opt, fp8: bool = Fp8Opt, int8: bool = Int8Opt,
    int4: bool = Int4Opt, nvfp4: bool = Nvfp4Opt, mxfp4: bool = Mxfp4Opt,
    precision: Optional[PrecisionName] = PrecisionOpt,
    bits: Optional[float] = BitsOpt,
    quant: Optional[str] = QuantOpt,
    context: str = typer.Option("4096", "--context", "-c", metavar="TOKENS",
                                help="Tokens per request: 8192, 128k (=128,000), 128K (=131,072)."),
    batch: int = typer.Option(1, "--batch", "-b", min=1, help="Concurrent requests of that context (images, for "
                              "an image-diffusion pipeline)."),
    resolution: Optional[str] = typer.Option(None, "--resolution", metavar="WxH",
                                             help="Image size for a diffusion pipeline (default: its native size)."),
    kv_dtype: KVDtype = typer.Option(KVDtype.auto, "--kv-dtype", help="KV-cache dtype (auto: bf16, fp32 for fp32)."),
    engine: EngineName = typer.Option(EngineName.auto, "--engine",
                                      help="Serving engine whose overhead to count; auto: vLLM, or llama.cpp on one "
                                           "unified-memory device (Apple silicon)."),
    gpu: str = typer.Option("all", "--gpu", metavar="NAME|all", help="One GPU (H100, L4 …) or all."),
    gpus_file: Optional[Path] = GpusFileOpt,
    catalog: Optional[Path] = CatalogOpt,
    revision: Optional[str] = RevisionOpt,
    offline: bool = OfflineOpt,
    refresh: bool = RefreshOpt,
    exact: bool = ExactOpt,
    gib: bool = typer.Option(False, "--gib", help="Show GiB (2³⁰ bytes) instead of GB (10⁹)."),
    assumptions: bool = AssumptionsOpt,
    precisions: bool = typer.Option(False, "--precisions",
                                    help="With --gpu NAME: every precision (and GGUF type) side by side, and the best "
                                         "that fits the batch on one GPU."),
    max_context: bool = typer.Option(False, "--max-context",
                                     help="With --gpu NAME: the longest context the batch fits in on 1, 2, 4 and 8 "
                                          "GPUs."),
    fmt: OutFormat = FormatOpt,
) -> None:
    """GPU memory to serve MODEL: weights, KV cache and engine overhead, and the GPUs that fit it.

    Example: scorecard vram 70B --int4 --context 32k --gpu H100

    Example: scorecard vram meta-llama/Llama-3.1-8B --gpu L4 --precisions
    """
    from model_scorecard.sizing.vram import plan_vram

    chosen = precision_choice(precision, bits, quant, fp32=fp32, bf16=bf16, fp16=fp16, fp8=fp8, int8=int8,
                              int4=int4, nvfp4=nvfp4, mxfp4=mxfp4)
    if precisions or max_context:
        _inverse(model, precisions, max_context, chosen, model_source(catalog, revision, offline, refresh, exact),
                 context, batch, kv_dtype.value, engine.value, gpu, gpus_file, gib, fmt, assumptions)
        return
    result = plan_vram(model, precision=chosen, source=model_source(catalog, revision, offline, refresh, exact),
                       context=parse_count(context, "--context"), batch=batch, kv_dtype=kv_dtype.value,
                       engine=engine.value, gpu=gpu, gpus_file=gpus_file, resolution=resolution)
    if fmt is OutFormat.json:
        from model_scorecard.report.jsonfmt import dumps_bytes

        emit(dumps_bytes(result.to_dict()))
        return
    from model_scorecard.report.vram import render_rich

    out = console()
    warnings = [f"warning: {w}" for w in getattr(result, "warnings", ())]  # Hub answers only
    for part in render_rich(result.estimate, result.label, gib, [*warnings, *result.advice],
                            getattr(result, "batch_fits", ()), out.width, assumptions):  # diffusion: no batch fits
        out.print(part)


def _inverse(model: str, precisions: bool, max_context: bool, chosen: Any, source: Any, context: str, batch: int,
             kv_dtype: str, engine: str, gpu: str, gpus_file: Path | None, gib: bool, fmt: OutFormat,
             show_assumptions: bool) -> None:
    """``--precisions`` (which precision fits) and ``--max-context`` (how long a context fits)."""
    from model_scorecard.errors import UserError

    if precisions and max_context:
        raise UserError("ask one question at a time: --precisions or --max-context")
    if precisions:
        from model_scorecard.sizing.vram import plan_precisions

        if chosen.name or chosen.bits is not None or chosen.quant:
            raise UserError("--precisions compares every precision: leave the precision flags out")
        result: Any = plan_precisions(model, gpu=gpu, source=source, context=parse_count(context, "--context"),
                                      batch=batch, kv_dtype=kv_dtype, engine=engine, gpus_file=gpus_file)
    else:
        from model_scorecard.sizing.vram import plan_max_context

        result = plan_max_context(model, gpu=gpu, precision=chosen, source=source, batch=batch, kv_dtype=kv_dtype,
                                  engine=engine, gpus_file=gpus_file)
    if fmt is OutFormat.json:
        from model_scorecard.report.jsonfmt import dumps_bytes

        emit(dumps_bytes(result.to_dict()))
        return
    from model_scorecard.report.vram import render_max_context, render_precisions

    out = console()
    for part in (render_precisions(result, gib, show_assumptions) if precisions else render_max_context(result)):
        out.print(part)
