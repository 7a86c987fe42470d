"""``scorecard estimate``: speed, self-hosted cost and carbon of a model on a GPU, as ranges."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from model_scorecard.cli import app
from model_scorecard.cli.common import console, emit, guarded
from model_scorecard.cli.options import WorkloadOpt
from model_scorecard.cli.vram import EXACT_HELP, MODEL_HELP, OutFormat, PrecisionName


@app.command()
@guarded
def estimate(
    model: str = typer.Argument(..., metavar="MODEL", help=MODEL_HELP),
    gpu: str = typer.Option("H100", "--gpu", metavar="NAME", help="GPU to serve on (see `scorecard vram`)."),
    gpu_count: Optional[int] = typer.Option(None, "--gpus", min=1, max=8,
                                            help="GPUs per replica. Default: the smallest count that fits."),
    workload: Optional[str] = WorkloadOpt,
    precision: Optional[PrecisionName] = typer.Option(None, "--precision", "-p", help="Weight precision."),
    bits: Optional[float] = typer.Option(None, "--bits", metavar="N", help="Any other width: N bits per weight."),
    quant: Optional[str] = typer.Option(None, "--quant", metavar="GGUF_TYPE", help="GGUF type, e.g. Q4_K_M."),
    batch: Optional[int] = typer.Option(None, "--batch", "-b", min=1,
                                        help="Concurrent requests. Default: the workload's concurrency."),
    utilisation: Optional[float] = typer.Option(
        None, "--utilisation", help="Share of paid GPU time spent serving (0–1], on one replica. Default: from the "
        "workload's tokens_per_day (replicas and utilisation follow the traffic); 0.5 if it gives none."),
    region: str = typer.Option("eu-27", "--region", help="Grid: france, sweden, germany, usa, eu-27, world."),
    pue: str = typer.Option("hyperscaler", "--pue", help="Data-centre PUE preset: hyperscaler or industry."),
    usd_per_gpu_hour: Optional[float] = typer.Option(None, "--usd-per-gpu-hour", min=0,
                                                     help="GPU price. Default: the GPU table's on-demand range."),
    gpus_file: Optional[Path] = typer.Option(None, "--gpus-file", metavar="FILE", help="Your own GPUs (YAML)."),
    catalog: Optional[Path] = typer.Option(None, "--catalog", metavar="FILE",
                                           help="Catalog (file or bundled name) for model ids. Default: the bundled catalogs."),
    offline: bool = typer.Option(False, "--offline", help="Hub ids: use only cached Hub answers."),
    revision: Optional[str] = typer.Option(None, "--revision", help="Hub revision (branch, tag or commit)."),
    refresh: bool = typer.Option(False, "--refresh", help="Hub ids: ask the Hub again even when the answer is cached."),
    exact: bool = typer.Option(False, "--exact", help=EXACT_HELP),
    fmt: OutFormat = typer.Option(OutFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """Speed, $ per 1k tokens and carbon per 1k tokens of serving MODEL, each as low / likely / high.

    Example: scorecard estimate 70B --gpu H100 --workload chat --precision fp8
    """
    from model_scorecard.sizing.estimate import plan_estimate

    est = plan_estimate(model, gpu=gpu, gpu_count=gpu_count, workload=workload,
                        precision=precision.value if precision else None, bits=bits, quant=quant, batch=batch,
                        utilisation=utilisation, region=region, pue=pue, usd_per_gpu_hour=usd_per_gpu_hour,
                        gpus_file=gpus_file, catalog=catalog, revision=revision, offline=offline or None, refresh=refresh,
                        exact=exact)
    if fmt is OutFormat.json:
        from model_scorecard.report.jsonfmt import dumps_bytes

        emit(dumps_bytes(est.to_dict()))
        return
    from model_scorecard.report.estimate import render_rich

    out = console()
    for part in render_rich(est):
        out.print(part)
