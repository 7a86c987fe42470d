"""``scorecard enrich``: a new catalog with the facts the Hugging Face Hub knows filled in."""

from __future__ import annotations

from pathlib import Path

import typer

from model_scorecard.cli import app
from model_scorecard.cli.common import console, guarded, say
from model_scorecard.errors import UserError


@app.command()
@guarded
def enrich(
    catalog: Path = typer.Argument(..., help="Catalog YAML; entries with an hf_id are looked up."),
    output: Path = typer.Option(..., "--output", "-o", metavar="NEW.yaml", help="The new catalog (written atomically; never the input)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace facts the catalog states with the Hub's."),
    offline: bool = typer.Option(False, "--offline", help="Use only the cache (as HF_HUB_OFFLINE=1 does)."),
    refresh: bool = typer.Option(False, "--refresh", help="Ask the Hub again even for cached models."),
    exact: bool = typer.Option(False, "--exact", help="Also read safetensors headers (exact unpacked counts of quantized models)."),
    jobs: int = typer.Option(8, "--jobs", "-j", min=1, max=32, help="Requests in flight at once."),
) -> None:
    """Write a new catalog with the Hugging Face Hub's facts filled in, each with its source and date.

    For every entry with an hf_id: params, context window, architecture (layers, heads,
    vocabulary, experts), licence and its terms, gating, commit, last change, downloads and
    likes, and the eval results of the repository (.eval_results) and of its model card
    (model-index) as benchmarks, graded by who measured them. Facts the catalog states win unless --overwrite; each filled fact says
    `source: huggingface` and `as_of`. A licence the bundled licence table does not list (or lists for review) gets no
    terms: they stay unknown, and the command names those licence ids. Answers are cached, so a
    second run makes no request.

    Time limits (seconds, from the environment): SCORECARD_HUB_TIMEOUT_S (default 60) for each
    model's answer, SCORECARD_HUB_RUN_TIMEOUT_S (default 600) for the whole run. Past either,
    or when the Hub sends what is not a Hub answer, nothing is written and the exit code is 4.
    Ctrl-C stops at once (exit 130), writing nothing. The new file is read back with the
    catalog loader before it replaces anything: what it says is what was meant.

    Example: scorecard enrich catalogs/roadmap-2024.yaml -o enriched.yaml
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from model_scorecard.atomic import write_text
    from model_scorecard.hub.facts import enrich_catalog_file

    if output.resolve() == catalog.resolve():
        raise UserError(f"refusing to write {output}: it is the input catalog", hint="choose another file for -o")
    with Progress(TextColumn("Hugging Face Hub"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console(stderr=True), transient=True) as bar:
        task = bar.add_task("hub", total=0)
        result = enrich_catalog_file(
            catalog, offline=True if offline else None, refresh=refresh, overwrite=overwrite, exact=exact,
            jobs=jobs, on_start=lambda n: bar.update(task, total=n),
            on_result=lambda _id, _res: bar.advance(task), output=output)
    for warning in result.warnings:
        say(f"warning: {warning}")
    if result.licences_without_terms:
        say("licence terms unknown (no entry with terms in the licence table) for licence id(s): "
            + ", ".join(result.licences_without_terms))
    write_text(output, result.text, protect=[catalog])
    say(f"wrote {output}: {result.facts_added} fact(s) filled from the Hub for {result.models} model(s)")
