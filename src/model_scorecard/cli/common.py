"""What every command shares: error handling, exit codes and where output goes.

Only the CLI prints or exits. stdout carries the data (the report); stderr carries
messages for people. Exit codes: 0 ok · 1 gate failed · 2 usage or invalid input ·
3 internal error · 4 Hugging Face Hub unreachable and nothing cached · 130 interrupted.
"""

from __future__ import annotations

import functools
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

import typer

from ..errors import ScorecardError, UserError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_GATE_FAILED, EXIT_INVALID, EXIT_INTERNAL, EXIT_HUB, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130


def debug() -> bool:
    return os.environ.get("SCORECARD_DEBUG", "") not in ("", "0")


def say(message: str) -> None:
    """A message for people, on stderr, plain text (paths with [brackets] stay intact)."""
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()


def emit(text: str | bytes) -> None:
    """Data on stdout (bytes go straight to the binary stream: no decode and re-encode)."""
    if isinstance(text, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(text)
        sys.stdout.buffer.flush()
        return
    sys.stdout.write(text)
    sys.stdout.flush()


def guarded(fn: F) -> F:
    """Run a command body; turn our errors into messages and exit codes, never tracebacks."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except ScorecardError as exc:
            say(f"error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            say("interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:  # `scorecard rank | head`: the reader left; that is fine
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(EXIT_OK) from None
        except Exception as exc:  # a bug: say so plainly, keep the traceback for SCORECARD_DEBUG=1
            if debug():
                raise
            say(f"internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in model-scorecard. Rerun with SCORECARD_DEBUG=1 for the traceback and report it.")
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def parse_day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"--as-of {text!r} is not a date; write YYYY-MM-DD") from None


def write_or_emit(text: str | bytes, output: Path | None, inputs: Iterable[str | Path] = ()) -> None:
    """Print ``text`` on stdout, or write it atomically to ``output`` (never over an input)."""
    if output is None:
        emit(text)
        return
    from ..atomic import write_text

    write_text(output, text, protect=inputs)
    say(f"wrote {output}")


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)
