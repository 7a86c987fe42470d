"""``scorecard estimate``: speed, self-hosted cost and carbon of a model on a GPU, as ranges."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

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
    WorkloadOpt,
    model_source,
    precision_choice,
)


@app.command()
@guarded
def estimate(
    model: str = ModelArg,
    gpu: str = typer.Option("H100", "--gpu", metavar="NAME", help="GPU to serve on (see `scorecard vram`)."),
    gpu_count: Optional[int] = typer.Option(None, "--gpus", min=1, max=8,
                                            help="GPUs per replica. Default: the smallest count that fits."),
    workload: Optional[str] = WorkloadOpt,
    fp32: bool = Fp32Opt, bf16: bool = Bf16Opt, fp16: bool = Fp16Opt, fp8: bool = Fp8Opt, int8: bool = Int8Opt,
    int4: bool = Int4Opt, nvfp4: bool = Nvfp4Opt, mxfp4: bool = Mxfp4Opt,
    precision: Optional[PrecisionName] = PrecisionOpt,
    bits: Optional[float] = BitsOpt,
    quant: Optional[str] = QuantOpt,
    batch: Optional[int] = typer.Option(None, "--batch", "-b", min=1,
                                        help="Concurrent requests. Default: the workload's concurrency."),
    utilisation: Optional[float] = typer.Option(
        None, "--utilisation", help="Share of paid GPU time spent serving (0–1], on one replica. Default: from the "
        "workload's tokens_per_day (replicas and utilisation follow the traffic); 0.5 if it gives none."),
    region: str = typer.Option("eu-27", "--region", help="Grid: france, sweden, germany, usa, eu-27, world."),
    pue: str = typer.Option("hyperscaler", "--pue", help="Data-centre PUE preset: hyperscaler or industry."),
    usd_per_gpu_hour: Optional[float] = typer.Option(None, "--usd-per-gpu-hour", min=0,
                                                     help="GPU price. Default: the GPU table's on-demand range."),
    gpus_file: Optional[Path] = GpusFileOpt,
    catalog: Optional[Path] = CatalogOpt,
    revision: Optional[str] = RevisionOpt,
    offline: bool = OfflineOpt,
    refresh: bool = RefreshOpt,
    exact: bool = ExactOpt,
    assumptions: bool = AssumptionsOpt,
    fmt: OutFormat = FormatOpt,
) -> None:
    """Speed, $ per 1k tokens and carbon per 1k tokens of serving MODEL, each as low / likely / high.

    Example: scorecard estimate 70B --gpu H100 --workload chat --precision fp8
    """
    from model_scorecard.sizing.estimate import plan_estimate

    chosen = precision_choice(precision, bits, quant, fp32=fp32, bf16=bf16, fp16=fp16, fp8=fp8, int8=int8,
                              int4=int4, nvfp4=nvfp4, mxfp4=mxfp4)
    est = plan_estimate(model, precision=chosen, source=model_source(catalog, revision, offline, refresh, exact),
                        gpu=gpu, gpu_count=gpu_count, workload=workload, batch=batch, utilisation=utilisation,
                        region=region, pue=pue, usd_per_gpu_hour=usd_per_gpu_hour, gpus_file=gpus_file)
    if fmt is OutFormat.json:
        from model_scorecard.report.jsonfmt import dumps_bytes

        emit(dumps_bytes(est.to_dict()))
        return
    from model_scorecard.report.estimate import render_rich

    out = console()
    for part in render_rich(est, assumptions):
        out.print(part)
