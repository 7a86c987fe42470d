"""``scorecard import lm-eval|litellm|genai-prices|promptfoo``: a new catalog from data a team already has."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer

from model_scorecard.cli import app
from model_scorecard.cli.common import guarded, parse_day, say

import_app = typer.Typer(
    name="import", no_args_is_help=True, add_completion=False,
    help="Bring data you already have into a catalog: lm-evaluation-harness results, LiteLLM's price map, "
         "genai-prices' dated prices (a snapshot is bundled), a promptfoo run. Each imported fact carries its source, as_of and grade; nothing is fetched.")
app.add_typer(import_app, name="import")


class KindChoice(str, Enum):
    llm = "llm"
    diffusion_llm = "diffusion-llm"
    embedding = "embedding"


class AccessChoice(str, Enum):
    api = "api"
    open_weights = "open-weights"


class CheckpointChoice(str, Enum):
    instruct = "instruct"
    reasoning = "reasoning"
    base = "base"
    code = "code"


class GradeChoice(str, Enum):
    first_party = "first-party"
    independent = "independent"
    third_party = "third-party"


class ModeChoice(str, Enum):
    chat = "chat"
    embedding = "embedding"


OutputOpt = typer.Option(..., "--output", "-o", metavar="NEW.yaml",
                         help="The new catalog (written atomically; never the imported file nor --into).")
IntoOpt = typer.Option(None, "--into", metavar="CATALOG",
                       help="Add the imported facts to a copy of this catalog, a file or a bundled name such as current (by model id; new ids become new entries).")
OverwriteOpt = typer.Option(False, "--overwrite", help="With --into: replace facts the catalog states with imported ones.")
SourceOpt = typer.Option(None, "--source", metavar="URL|TEXT",
                         help="The source each imported fact names. Default: the imported file's name.")
AsOfOpt = typer.Option(None, "--as-of", metavar="YYYY-MM-DD",
                       help="The date of the facts when the file states none. Default: the file's last change.")
NameOpt = typer.Option(None, "--name", help="Name of a new entry.")
VendorOpt = typer.Option(None, "--vendor", help="Vendor of a new entry.")
KindOpt = typer.Option(KindChoice.llm, "--kind", help="Kind of a new entry.")
AccessOpt = typer.Option(None, "--access", help="Access of a new entry (repeat for both).")
GradeOpt = typer.Option(None, "--grade", help="Who ran it, if not your team: first-party (the vendor's own run) "
                                               "or third-party (a copy of someone's results). Default: independent.")
CheckpointOpt = typer.Option(None, "--checkpoint", help="Checkpoint type of a new LLM entry (validate requires one).")


def _new_entry(name: Optional[str], vendor: Optional[str], kind: KindChoice, access: Optional[list[AccessChoice]],
               checkpoint: Optional[CheckpointChoice]) -> Any:
    from model_scorecard.importers.common import NewEntry

    return NewEntry(name=name, vendor=vendor, kind=kind.value, access=tuple(a.value for a in access or ()),
                    checkpoint=checkpoint.value if checkpoint else None)


def _report(result: Any, output: Path) -> None:
    for warning in result.warnings:
        say(f"warning: {warning}")
    parts = []
    if result.added:
        parts.append(f"{len(result.added)} new entr{'y' if len(result.added) == 1 else 'ies'}")
    if result.merged:
        parts.append(f"facts added to {', '.join(result.merged)}")
    what = "; ".join(parts) or "nothing new (the catalog states every imported fact: --overwrite replaces them)"
    say(f"wrote {output}: {result.facts} fact(s) imported; {what}")


def _write(tool: str, path: Path, options: Any, output: Path, into: Optional[Path], overwrite: bool) -> None:
    from model_scorecard.atomic import write_text
    from model_scorecard.importers.run import import_file
    from model_scorecard.schema.load import resolve_catalog

    into = resolve_catalog(into) if into is not None else None  # a path, or a bundled catalog's name
    result = import_file(tool, path, options, output=output, into=into, overwrite=overwrite)
    write_text(output, result.text, protect=[p for p in (path, into) if p is not None])
    _report(result, output)


@import_app.command("lm-eval")
@guarded
def lm_eval(
    results: Path = typer.Argument(..., metavar="RESULTS.json", help="lm-evaluation-harness results file (results_*.json)."),
    model: str = typer.Option(..., "--model", "-m", metavar="ID", help="Catalog id of the model the results are of."),
    output: Path = OutputOpt,
    into: Optional[Path] = IntoOpt,
    overwrite: bool = OverwriteOpt,
    metric: Optional[str] = typer.Option(None, "--metric", metavar="METRIC[,FILTER]",
                                         help="The metric to take where a task has it (acc, acc_norm, "
                                              "exact_match,flexible-extract …). Default: acc_norm, acc, exact_match, …"),
    subtasks: bool = typer.Option(False, "--subtasks", help="Also import the subtasks of groups (mmlu_* …)."),
    source: Optional[str] = SourceOpt,
    as_of: Optional[str] = AsOfOpt,
    name: Optional[str] = NameOpt,
    vendor: Optional[str] = VendorOpt,
    kind: KindChoice = KindOpt,
    access: Optional[list[AccessChoice]] = AccessOpt,
    checkpoint: Optional[CheckpointChoice] = CheckpointOpt,
    grade: Optional[GradeChoice] = GradeOpt,
) -> None:
    """Import lm-evaluation-harness results as benchmarks of one model, graded independent (--grade).

    One benchmark per task (groups, not their subtasks, unless --subtasks): the metric's
    share × 100, ci = 1.96 × its stderr × 100, n_shot from n-shot, and a setting naming the
    harness, the task's version, the metric and its filter. Tasks the production rubric
    scores take its slug and protocol (mmlu_pro; gpqa_diamond_cot_zeroshot → gpqa, variant
    diamond, cot, 0-shot); the rest a slug of the task name. as_of is the run's date.
    A new entry takes its name, vendor and hf_id from config.model_args pretrained=ORG/NAME
    and its access from config.model (hf, vllm: open-weights); an LLM needs --checkpoint.

    Example: scorecard import lm-eval results.json --model qwen3-8b --into catalog.yaml -o new.yaml
    """
    from model_scorecard.importers.lmeval import LmEvalOptions

    opts = LmEvalOptions(model_id=model, source=source, as_of=parse_day(as_of), metric=metric, subtasks=subtasks,
                         new=_new_entry(name, vendor, kind, access, checkpoint),
                         grade=grade.value if grade else "independent")
    _write("lm-eval", results, opts, output, into, overwrite)


@import_app.command("litellm")
@guarded
def litellm(
    prices: Path = typer.Argument(..., metavar="PRICES.json", help="LiteLLM's model_prices_and_context_window.json."),
    output: Path = OutputOpt,
    model: Optional[list[str]] = typer.Option(None, "--model", "-m", metavar="NAME",
                                              help="A model by its LiteLLM name (repeat). Default: every model of --mode."),
    provider: Optional[list[str]] = typer.Option(None, "--provider", metavar="NAME",
                                                 help="Only models of this litellm_provider (repeat)."),
    mode: ModeChoice = typer.Option(ModeChoice.chat, "--mode", help="Which models: chat (LLMs) or embedding."),
    into: Optional[Path] = IntoOpt,
    overwrite: bool = OverwriteOpt,
    source: Optional[str] = SourceOpt,
    as_of: Optional[str] = AsOfOpt,
) -> None:
    """Import prices, context windows, output limits and deprecation dates from LiteLLM's price map.

    USD per token becomes USD per 1M tokens (input, output, cached input, batch input and
    output), rounded to 10 significant digits. One entry per model, id from its LiteLLM
    name, vendor = litellm_provider, access api, checkpoint from mode chat (reasoning where
    supports_reasoning). Every fact is graded third-party: the map is a gateway's copy of
    the vendors' prices, shown and scored, never counted as evidence. The map has no date:
    as_of is --as-of, else the file's last change. The tool never fetches prices.

    Example: scorecard import litellm model_prices_and_context_window.json --provider anthropic --as-of 2026-12-01 -o prices.yaml
    """
    from model_scorecard.importers.litellm import LiteLLMOptions

    opts = LiteLLMOptions(models=tuple(model or ()), providers=tuple(provider or ()), mode=mode.value,
                          source=source, as_of=parse_day(as_of))
    _write("litellm", prices, opts, output, into, overwrite)


@import_app.command("genai-prices")
@guarded
def genai_prices(
    data: Optional[Path] = typer.Argument(None, metavar="DATA.json",
                                          help="genai-prices' prices/data.json. Default: the bundled snapshot."),
    output: Path = OutputOpt,
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="YYYY-MM-DD",
                                        help="The day whose prices to take. Default: today."),
    model: Optional[list[str]] = typer.Option(None, "--model", "-m", metavar="ID",
                                              help="A model by its genai-prices id (repeat). Default: every model."),
    provider: Optional[list[str]] = typer.Option(None, "--provider", metavar="ID",
                                                 help="Only models of this genai-prices provider (repeat; one named first takes a model id several list)."),
    into: Optional[Path] = IntoOpt,
    overwrite: bool = OverwriteOpt,
    source: Optional[str] = typer.Option(None, "--source", metavar="URL|TEXT",
                                         help="The source each imported fact names. Default: genai-prices' URL "
                                              "and release, or DATA's file name."),
    checkpoint: Optional[CheckpointChoice] = CheckpointOpt,
) -> None:
    """Import the token prices in force on a day, and context windows, from genai-prices.

    genai-prices keeps each model's price history: a price takes effect on its start date
    and holds until the next. For each model the price in force on --as-of is taken (a
    model whose prices all start later gets none, with a warning): input, output and cached
    input per 1M tokens, the base tier of a tiered price. as_of is the day asked for (at the
    latest the data's date), the note says since when the price is in force. Without DATA
    the bundled snapshot is read; prices after its date are unknown to it. One entry per model,
    id from its genai-prices id, vendor = the provider, access api; an LLM (a model priced
    per output token) needs --checkpoint when it is new. Every fact is graded third-party:
    an aggregator's copy of the vendors' prices, shown and scored, never counted as
    evidence. The tool never fetches prices.

    Example: scorecard import genai-prices --provider anthropic --model claude-haiku-4-5 --as-of 2026-06-01 --into current -o prices.yaml
    """
    from model_scorecard.importers.genaiprices import GenaiPricesOptions, snapshot_path

    opts = GenaiPricesOptions(models=tuple(model or ()), providers=tuple(provider or ()), as_of=parse_day(as_of),
                              source=source, checkpoint=checkpoint.value if checkpoint else None)
    _write("genai-prices", data if data is not None else snapshot_path(), opts, output, into, overwrite)


@import_app.command("promptfoo")
@guarded
def promptfoo(
    run: Path = typer.Argument(..., metavar="OUTPUT.json", help="promptfoo's output file (promptfoo eval -o output.json)."),
    model: str = typer.Option(..., "--model", "-m", metavar="ID", help="Catalog id of the model the run is of."),
    output: Path = OutputOpt,
    provider: Optional[str] = typer.Option(None, "--provider", metavar="LABEL|ID",
                                           help="The provider whose pass rate to import. Default: the file's only one."),
    benchmark: str = typer.Option("private_eval", "--benchmark", metavar="SLUG",
                                  help="Benchmark to record the pass rate as (the rubric reads private_eval)."),
    into: Optional[Path] = IntoOpt,
    overwrite: bool = OverwriteOpt,
    source: Optional[str] = SourceOpt,
    as_of: Optional[str] = AsOfOpt,
    name: Optional[str] = NameOpt,
    vendor: Optional[str] = VendorOpt,
    kind: KindChoice = KindOpt,
    access: Optional[list[AccessChoice]] = AccessOpt,
    checkpoint: Optional[CheckpointChoice] = CheckpointOpt,
    grade: Optional[GradeChoice] = GradeOpt,
) -> None:
    """Import one provider's pass rate of a promptfoo run as your private eval, graded independent (--grade).

    The pass rate is test cases passed over all of the provider's test cases (errors count
    as not passed), in %, with ci the half-width of the Wilson 95 % interval and the counts
    in the setting; as_of is the run's time stamp. A new entry takes its vendor from the
    provider id (openai:gpt-4o → openai); an LLM needs --checkpoint.

    Example: scorecard import promptfoo output.json --model gpt-4o --provider openai:gpt-4o --into catalog.yaml -o new.yaml
    """
    import re

    from model_scorecard.errors import UserError
    from model_scorecard.importers.promptfoo import PromptfooOptions

    if not re.match(r"^[a-z0-9][a-z0-9._+-]*$", benchmark):
        raise UserError(f"--benchmark {benchmark!r} is not a slug (lower case letters, digits and . _ + -)")
    opts = PromptfooOptions(model_id=model, provider=provider, benchmark=benchmark, source=source,
                            as_of=parse_day(as_of), new=_new_entry(name, vendor, kind, access, checkpoint),
                            grade=grade.value if grade else "independent")
    _write("promptfoo", run, opts, output, into, overwrite)
