"""``scorecard gate``: the CI gate on a shortlist. Exit 0 all pass · 1 gate failed · 2 invalid input."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Any, Callable, List, Optional

import typer

from model_scorecard.cli import app
from model_scorecard.cli.common import (
    EXIT_GATE_FAILED,
    EXIT_OK,
    console,
    emit,
    guarded,
    parse_day,
    say,
    say_command,
    silence_stdout,
)
from model_scorecard.errors import InvalidInput, UserError
from model_scorecard.report.gatefmt import GateView

STEP_SUMMARY_LIMIT = 1024 * 1024  # GitHub refuses a step summary over 1 MiB


class FailOn(str, Enum):
    not_green = "not-green"
    walk_away = "walk-away"
    never = "never"


def _shown(path: Path, github: bool) -> str:
    """The path people and annotations see: relative to the workspace (GitHub) or cwd when inside it."""
    base = Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd()) if github else Path.cwd()
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _append_summary(markdown: str) -> None:
    """Append to $GITHUB_STEP_SUMMARY. The summary is a courtesy: when it cannot be written (a
    folder, a missing folder, a full disk, an input of the run) that is a warning, and the exit
    code stays the gate's verdict -- the verdict line already printed must not be contradicted."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    from model_scorecard.atomic import is_input

    def skip(why: str) -> None:
        say(f"warning: step summary not written: {target}: {why}")

    if is_input(target):
        return skip("it is an input of this run")
    data = markdown.encode("utf-8")
    try:
        size = Path(target).stat().st_size if Path(target).is_file() else 0
        if size + len(data) > STEP_SUMMARY_LIMIT:
            return skip("it would pass GitHub's 1 MiB limit")
        with open(target, "ab") as fh:
            fh.write(data)
    except OSError as exc:
        skip(exc.strerror or type(exc).__name__)


def _annotate_problems(exc: InvalidInput, write: Callable[[str], None]) -> None:
    from model_scorecard.report.github import (
        MAX_ANNOTATIONS,
        escape_data,
        escape_property,
    )

    for p in exc.problems[:MAX_ANNOTATIONS]:
        where = f"file={escape_property(_shown(Path(p.file), True))}"
        where += f",line={p.line}" if p.line else ""
        where += f",col={p.column}" if p.column else ""
        message = f"{p.field}: {p.message}" if p.field else p.message
        write(f"::error {where},title=invalid input::{escape_data(message)}\n")


@app.command()
@guarded
def gate(
    shortlists: List[Path] = typer.Argument(..., metavar="SHORTLIST", help="Shortlist YAML file(s)."),
    fail_on: FailOn = typer.Option(FailOn.not_green, "--fail-on",
                                   help="Which verdict fails a candidate; 'never' reports without failing."),
    strict: bool = typer.Option(False, "--strict", help="A criterion without evidence fails its candidate."),
    min_total: Optional[float] = typer.Option(None, "--min-total", min=0, max=30, metavar="N",
                                              help="Every candidate needs a total of at least N (0-30)."),
    min_p_green: Optional[float] = typer.Option(None, "--min-p-green", min=0, max=1, metavar="P",
                                                help="Every candidate needs P(green) of at least P (0-1), from "
                                                     "`scorecard sensitivity` with seed 0."),
    view: GateView = typer.Option("table", "--format", "-f",  # type: ignore[valid-type]
                                  help="Print the table, or the result in a file format (json: what -o gate.json "
                                       "writes); the verdict line then goes to stderr. Same exit code."),
    outputs: List[Path] = typer.Option([], "--output", "-o", metavar="FILE",
                                       help="Write the result; repeatable. Format by extension: .json, .md, "
                                            ".junit.xml, .sarif, .html."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", metavar="FILE",
                                            help="A previous gate result (.json): fail on a worse verdict or total."),
    tolerance: float = typer.Option(0.0, "--tolerance", min=0, max=30, metavar="POINTS",
                                    help="How far a total may drop against --baseline before it fails."),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="YYYY-MM-DD",
                                        help="Evaluation date. Default: the shortlist's as_of, else today."),
    github: Optional[bool] = typer.Option(None, "--github/--no-github",
                                          help="Step summary and annotations. Default: on when GITHUB_ACTIONS=true."),
) -> None:
    """Gate CI on a shortlist: exit 1 when a candidate does not pass, 0 when all do.

    stdout gets the table, or with --format the result alone: scorecard gate shortlist.yaml -f json | jq .passed

    Example: scorecard gate shortlist.yaml --baseline main.json -o gate.json -o gate.junit.xml -o gate.html
    """
    from model_scorecard.atomic import check_target, note_input, write_text
    from model_scorecard.gate import Policy, evaluate_gate, load_baseline
    from model_scorecard.report.gatefmt import (
        format_for,
        render_gate_bytes,
        stdout_format,
    )
    from model_scorecard.report.github import summary_markdown
    from model_scorecard.schema.shortlist import load_shortlist

    printed = stdout_format(view)  # None: the terminal table
    if len(shortlists) > 1 and (outputs or baseline or printed):
        raise UserError("-o, --baseline and --format other than table need a single shortlist",
                        hint="run `scorecard gate` once per shortlist")
    on_github = github if github is not None else os.environ.get("GITHUB_ACTIONS") == "true"
    # With a report on stdout, workflow commands go to stderr (GitHub reads both) so stdout stays the report.
    command: Callable[[str], None] = emit if printed is None else say_command
    policy = Policy(fail_on.value, strict, min_total, tolerance, min_p_green)
    formats = [(path, format_for(path)) for path in outputs]
    day = parse_day(as_of)
    if baseline:
        note_input(baseline)  # an input like any other: -o never replaces it
    previous = load_baseline(baseline) if baseline else None
    # Every shortlist is loaded, and every output checked, before any verdict is printed or any
    # file written: invalid input exits 2 with no verdict line, and nothing is half-done.
    loaded_all, failures = [], []
    for path in shortlists:
        try:
            loaded_all.append(load_shortlist(path))
        except InvalidInput as exc:
            if on_github:
                _annotate_problems(exc, command)
            failures.append(exc)
    if len(failures) == 1:
        raise failures[0]
    if failures:
        problems = [p for exc in failures for p in exc.problems]
        raise InvalidInput(f"{len(failures)} of {len(shortlists)} shortlists invalid, {len(problems)} problem(s):",
                           problems)
    for target, _ in formats:
        check_target(target, [*(p for loaded in loaded_all for p in loaded.input_paths),
                              *([baseline] if baseline else [])])
    results = [evaluate_gate(loaded, policy, day, previous, _shown(loaded.path, on_github)) for loaded in loaded_all]
    for result in results:
        for target, fmt in formats:
            write_text(target, render_gate_bytes(result, fmt))
            say(f"wrote {target}")
    passed = all(result.passed for result in results)
    try:
        _print(results, printed, on_github, command)
    except BrokenPipeError:  # the reader of stdout left: the exit code is still the verdict
        silence_stdout()
    for result in results:
        if on_github:
            _append_summary(summary_markdown(result))
    raise typer.Exit(EXIT_OK if passed else EXIT_GATE_FAILED)


def _print(results: list[Any], printed: object, on_github: bool, command: Callable[[str], None]) -> None:
    from model_scorecard.report.gatefmt import render_gate_bytes
    from model_scorecard.report.gatetable import gate_renderables
    from model_scorecard.report.github import MAX_ANNOTATIONS, annotation_lines

    budget, out = MAX_ANNOTATIONS, console()
    for result in results:
        if printed is None:
            for part in gate_renderables(result, out.width):
                out.print(part)
        else:
            emit(render_gate_bytes(result, printed))
            say(result.verdict_line())
        if on_github:
            for line in annotation_lines(result, limit=budget):
                command(line + "\n")
            budget -= min(budget, len(result.failing))
