"""``scorecard finetune``: GPU memory of fine-tuning a model on one GPU -- full, LoRA or QLoRA."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from model_scorecard.cli import app
from model_scorecard.cli.common import console, emit, guarded
from model_scorecard.cli.options import (
    AssumptionsOpt,
    CatalogOpt,
    FormatOpt,
    GpusFileOpt,
    ModelArg,
    OfflineOpt,
    OutFormat,
    RefreshOpt,
    RevisionOpt,
    model_source,
)


class Method(str, Enum):
    full = "full"
    lora = "lora"
    qlora = "qlora"


class TrainPrecision(str, Enum):
    mixed = "mixed"
    fp32 = "fp32"
    bf16 = "bf16"
    pure_bf16 = "pure_bf16"


@app.command()
@guarded
def finetune(
    model: str = ModelArg,
    method: Method = typer.Option(Method.lora, "--method", "-m", help="full, lora or qlora (4-bit NF4 base)."),
    rank: int = typer.Option(64, "--rank", "-r", min=1, max=65_536, help="LoRA rank."),
    modules: str = typer.Option("q,k,v,o,gate,up,down", "--modules", metavar="LIST",
                                help="LoRA target matrices: any of q, k, v, o, gate, up, down."),
    frozen: float = typer.Option(0.7, "--frozen", metavar="SHARE",
                                 help="Share of layers, from the bottom, frozen with no adapter (the 2024 roadmap post's "
                                      "recipe: 0.7). For --method full, those layers are frozen outright."),
    batch: int = typer.Option(1, "--batch", "-b", min=1, help="Sequences per micro-batch."),
    seq: str = typer.Option("2048", "--seq", metavar="TOKENS", help="Tokens per sequence: 2048, 4k, 8K."),
    checkpointing: bool = typer.Option(True, "--checkpointing/--no-checkpointing",
                                       help="Gradient (activation) checkpointing."),
    flash: bool = typer.Option(True, "--flash/--no-flash", help="A fused attention kernel (no s² matrix kept)."),
    precision: Optional[TrainPrecision] = typer.Option(
        None, "--precision", "-p", help="Trainable parameters' precision. Default: mixed for full, fp32 adapters "
                                        "for lora (PEFT's upcast), bf16 adapters for qlora."),
    gpu: Optional[str] = typer.Option(None, "--gpu", metavar="NAME", help="Say whether the run fits on one GPU."),
    gpus_file: Optional[Path] = GpusFileOpt,
    catalog: Optional[Path] = CatalogOpt,
    revision: Optional[str] = RevisionOpt,
    offline: bool = OfflineOpt,
    refresh: bool = RefreshOpt,
    gib: bool = typer.Option(False, "--gib", help="Show GiB (2³⁰ bytes) instead of GB (10⁹)."),
    assumptions: bool = AssumptionsOpt,
    fmt: OutFormat = FormatOpt,
) -> None:
    """GPU memory to fine-tune MODEL on one GPU: weights, gradients, optimizer states, activations.

    The default is the 2024 roadmap post's recipe: LoRA rank 64 on every matrix of the upper 30 % of layers.

    Example: scorecard finetune meta-llama/Llama-3.1-8B --method qlora --gpu L4
    """
    from model_scorecard.calc.finetune import LoraSpec, Workload
    from model_scorecard.cli.vram import parse_count
    from model_scorecard.errors import UserError
    from model_scorecard.sizing.finetune import plan_finetune

    targets = tuple(m.strip() for m in modules.split(",") if m.strip())
    if not 0 <= frozen < 1:
        raise UserError(f"--frozen must be in [0, 1), got {frozen:g}")
    plan = plan_finetune(model, method=method.value, source=model_source(catalog, revision, offline, refresh, False),
                         workload=Workload(batch=batch, sequence_tokens=parse_count(seq, "--seq"),
                                           gradient_checkpointing=checkpointing, flash_attention=flash),
                         lora=LoraSpec(rank=rank, modules=targets, frozen_fraction=frozen),
                         precision=precision.value if precision else None, gpu=gpu, gpus_file=gpus_file)
    if fmt is OutFormat.json:
        from model_scorecard.report.jsonfmt import dumps_bytes

        emit(dumps_bytes(plan.to_dict()))
        return
    from model_scorecard.report.finetune import render_rich

    out = console()
    for part in render_rich(plan, gib, assumptions):
        out.print(part)
