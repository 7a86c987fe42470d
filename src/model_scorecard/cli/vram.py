"""``scorecard vram``: GPU memory for a model, and which GPUs (and how many) serve it."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from model_scorecard.cli import app
from model_scorecard.cli.common import console, emit, guarded

MODEL_HELP = ("A size (70B, 7.2b), a config.json or model folder, a catalog model id, "
              "or a Hugging Face Hub id (ORG/NAME).")
EXACT_HELP = ("Hub ids: read the safetensors headers; with no precision flag the weights are the exact "
              "bytes stored.")


class OutFormat(str, Enum):
    table = "table"
    json = "json"


class PrecisionName(str, Enum):
    fp32 = "fp32"
    bf16 = "bf16"
    fp16 = "fp16"
    fp8 = "fp8"
    int8 = "int8"
    int4 = "int4"
    nvfp4 = "nvfp4"
    mxfp4 = "mxfp4"


class EngineName(str, Enum):
    vllm = "vllm"
    transformers = "transformers"
    llamacpp = "llama.cpp"


class KVDtype(str, Enum):
    auto = "auto"
    bf16 = "bf16"
    fp16 = "fp16"
    fp32 = "fp32"
    fp8 = "fp8"


def precision_flags(**flags: bool) -> str | None:
    chosen = [name for name, on in flags.items() if on]
    if len(chosen) > 1:
        from model_scorecard.errors import UserError

        raise UserError(f"choose one precision flag, not {' and '.join('--' + c for c in chosen)}")
    return chosen[0] if chosen else None


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
    model: str = typer.Argument(..., metavar="MODEL", help=MODEL_HELP),
    fp32: bool = typer.Option(False, "--fp32", help="Weights in fp32."),
    bf16: bool = typer.Option(False, "--bf16", help="Weights in bf16 (default unless the checkpoint says otherwise)."),
    fp16: bool = typer.Option(False, "--fp16", help="Weights in fp16."),
    fp8: bool = typer.Option(False, "--fp8", help="fp8 weights (embeddings and head stay 16-bit)."),
    int8: bool = typer.Option(False, "--int8", help="int8 weights (embeddings and head stay 16-bit)."),
    int4: bool = typer.Option(False, "--int4", help="GPTQ/AWQ int4, group 128 (4.16 bits with scales)."),
    nvfp4: bool = typer.Option(False, "--nvfp4", help="NVFP4 (4.5 bits with scales)."),
    mxfp4: bool = typer.Option(False, "--mxfp4", help="MXFP4 (4.25 bits with scales)."),
    bits: Optional[float] = typer.Option(None, "--bits", metavar="N", help="Any other width: N bits per weight."),
    quant: Optional[str] = typer.Option(None, "--quant", metavar="GGUF_TYPE", help="GGUF type, e.g. Q4_K_M, Q8_0."),
    context: str = typer.Option("4096", "--context", "-c", metavar="TOKENS",
                                help="Tokens per request: 8192, 128k (=128,000), 128K (=131,072)."),
    batch: int = typer.Option(1, "--batch", "-b", min=1, help="Concurrent requests of that context (images, for "
                              "an image-diffusion pipeline)."),
    resolution: Optional[str] = typer.Option(None, "--resolution", metavar="WxH",
                                             help="Image size for a diffusion pipeline (default: its native size)."),
    kv_dtype: KVDtype = typer.Option(KVDtype.auto, "--kv-dtype", help="KV-cache dtype (auto: bf16, fp32 for fp32)."),
    engine: EngineName = typer.Option(EngineName.vllm, "--engine", help="Serving engine whose overhead to count."),
    gpu: str = typer.Option("all", "--gpu", metavar="NAME|all", help="One GPU (H100, L4 …) or all."),
    gpus_file: Optional[Path] = typer.Option(None, "--gpus-file", metavar="FILE",
                                             help="Your own GPUs, in the format of the bundled gpus.yaml."),
    catalog: Optional[Path] = typer.Option(None, "--catalog", metavar="FILE",
                                           help="Catalog (file or bundled name) for model ids. Default: the bundled catalogs."),
    revision: Optional[str] = typer.Option(None, "--revision", help="Hub revision (branch, tag or commit)."),
    offline: bool = typer.Option(False, "--offline", help="Hub ids: use only cached Hub answers."),
    refresh: bool = typer.Option(False, "--refresh", help="Hub ids: ask the Hub again even when the answer is cached."),
    exact: bool = typer.Option(False, "--exact", help=EXACT_HELP),
    gib: bool = typer.Option(False, "--gib", help="Show GiB (2³⁰ bytes) instead of GB (10⁹)."),
    fmt: OutFormat = typer.Option(OutFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """GPU memory to serve MODEL: weights, KV cache and engine overhead, and the GPUs that fit it.

    Example: scorecard vram 70B --int4 --context 32k --gpu H100
    """
    from model_scorecard.sizing.vram import plan_vram

    name = precision_flags(fp32=fp32, bf16=bf16, fp16=fp16, fp8=fp8, int8=int8, int4=int4, nvfp4=nvfp4,
                           mxfp4=mxfp4)
    result = plan_vram(model, precision=name, bits=bits, quant=quant, context=parse_count(context, "--context"),
                       batch=batch, kv_dtype=kv_dtype.value, engine=engine.value, gpu=gpu, gpus_file=gpus_file,
                       catalog=catalog, revision=revision, offline=offline or None, refresh=refresh, exact=exact,
                       resolution=resolution)
    if fmt is OutFormat.json:
        from model_scorecard.report.jsonfmt import dumps_bytes

        emit(dumps_bytes(result.to_dict()))
        return
    from model_scorecard.report.vram import render_rich

    out = console()
    warnings = [f"warning: {w}" for w in getattr(result, "warnings", ())]  # Hub answers only
    for part in render_rich(result.estimate, result.label, gib, [*warnings, *result.advice],
                            getattr(result, "batch_fits", ())):  # a diffusion pipeline has none
        out.print(part)
