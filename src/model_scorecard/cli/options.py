"""Options several commands share, declared once, and the objects they become.

``vram`` and ``estimate`` take the same model, precision and model-source options: the
precision as one shorthand flag (``--int4``), a name (``--precision int4``), a width
(``--bits 4.5``) or a GGUF type (``--quant Q4_K_M``) -- at most one -- which
:func:`precision_choice` turns into a :class:`~model_scorecard.sizing.target.PrecisionChoice`;
``--catalog``, ``--revision``, ``--offline``, ``--refresh`` and ``--exact`` become one
:class:`~model_scorecard.sizing.target.ModelSource`.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer

RubricOpt = typer.Option(None, "--rubric", "-r", metavar="NAME|FILE",
                         help="Rubric file, or a bundled rubric name. Default: the bundled 'production' rubric.")
WorkloadOpt = typer.Option(None, "--workload", "-w", metavar="NAME|FILE",
                           help="Workload preset (chat, voice, ad-auction, batch) or a YAML file. Default: the rubric's (chat).")
AsOfOpt = typer.Option(None, "--as-of", metavar="YYYY-MM-DD",
                       help="Evaluate deprecations and dates as of this day. Default: today.")
OutputOpt: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE",
                                         help="Write to FILE (atomically) instead of stdout.")
CatalogArg = typer.Argument(None, metavar="[CATALOG]",
                            help="Catalog YAML or bundled catalog name (current, roadmap-2024). Default: current.")


# -- a model to size: vram and estimate ------------------------------------------------------

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


ModelArg = typer.Argument(..., metavar="MODEL", help="A size (70B, 7.2b), a config.json or model folder, a catalog "
                                                     "model id, or a Hugging Face Hub id (ORG/NAME).")
FormatOpt = typer.Option(OutFormat.table, "--format", "-f", help="Output format.")
GpusFileOpt = typer.Option(None, "--gpus-file", metavar="FILE",
                           help="Your own GPUs, in the format of the bundled gpus.yaml.")

PrecisionOpt = typer.Option(None, "--precision", "-p", help="Weight precision (or one of the shorthand flags).")
Fp32Opt = typer.Option(False, "--fp32", help="Weights in fp32.")
Bf16Opt = typer.Option(False, "--bf16", help="Weights in bf16 (default unless the checkpoint says otherwise).")
Fp16Opt = typer.Option(False, "--fp16", help="Weights in fp16.")
Fp8Opt = typer.Option(False, "--fp8", help="fp8 weights (embeddings and head stay 16-bit).")
Int8Opt = typer.Option(False, "--int8", help="int8 weights (embeddings and head stay 16-bit).")
Int4Opt = typer.Option(False, "--int4", help="GPTQ/AWQ int4, group 128 (4.16 bits with scales).")
Nvfp4Opt = typer.Option(False, "--nvfp4", help="NVFP4 (4.5 bits with scales).")
Mxfp4Opt = typer.Option(False, "--mxfp4", help="MXFP4 (4.25 bits with scales).")
BitsOpt = typer.Option(None, "--bits", metavar="N", help="Any other width: N bits per weight.")
QuantOpt = typer.Option(None, "--quant", metavar="GGUF_TYPE", help="GGUF type, e.g. Q4_K_M, Q8_0.")

AssumptionsOpt = typer.Option(False, "--assumptions", help="List every assumption behind the figures (the table "
                                                           "shows their count; JSON always holds them).")
CatalogOpt = typer.Option(None, "--catalog", metavar="FILE",
                          help="Catalog (file or bundled name) for model ids. Default: the bundled catalogs.")
RevisionOpt = typer.Option(None, "--revision", help="Hub revision (branch, tag or commit).")
OfflineOpt = typer.Option(False, "--offline", help="Hub ids: use only cached Hub answers.")
RefreshOpt = typer.Option(False, "--refresh", help="Hub ids: ask the Hub again even when the answer is cached.")
ExactOpt = typer.Option(False, "--exact", help="Hub ids: read the safetensors headers; with no precision flag the "
                                               "weights are the exact bytes stored.")


def precision_choice(name: PrecisionName | None, bits: float | None, quant: str | None, **flags: bool) -> Any:
    """One :class:`PrecisionChoice` from ``--precision``, the shorthand flags, ``--bits`` and ``--quant``."""
    from model_scorecard.errors import UserError
    from model_scorecard.sizing.target import PrecisionChoice

    chosen = [f for f, on in flags.items() if on]
    if len(chosen) > 1 or (chosen and name is not None):
        given = [f"--{c}" for c in chosen] + ([f"--precision {name.value}"] if name is not None else [])
        raise UserError(f"choose one precision, not {' and '.join(given)}")
    picked = chosen[0] if chosen else (name.value if name is not None else None)
    return PrecisionChoice(picked, bits, quant)


def model_source(catalog: Path | None, revision: str | None, offline: bool, refresh: bool, exact: bool) -> Any:
    """One :class:`ModelSource` from ``--catalog``, ``--revision``, ``--offline``, ``--refresh`` and ``--exact``."""
    from model_scorecard.sizing.target import ModelSource

    return ModelSource(catalog, revision, offline or None, refresh, exact)
