"""What every command shares: error handling, exit codes and where output goes.

Only the CLI prints or exits. stdout carries the data (the report); stderr carries
messages for people. Exit codes: 0 ok · 1 gate failed · 2 usage or invalid input, or
the environment refused (disk full, no permission, a bad output path) · 3 internal error ·
4 Hugging Face Hub unreachable and nothing cached · 128 + the signal when stopped:
130 Ctrl-C (SIGINT), 143 SIGTERM, 129 SIGHUP -- temporary files removed, nothing half-written.
"""

from __future__ import annotations

import errno
import functools
import os
import signal
import sys
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

import typer

from model_scorecard.errors import ScorecardError, UserError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_GATE_FAILED, EXIT_INVALID, EXIT_INTERNAL, EXIT_HUB, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130


def debug() -> bool:
    return os.environ.get("SCORECARD_DEBUG", "") not in ("", "0")


def say(message: str) -> None:
    """A message for people, on stderr, plain text (paths with [brackets] stay intact). It may
    quote user input, so control characters are made visible and no line can start a CI
    workflow command (report.escape.terminal_message)."""
    from model_scorecard.report.escape import terminal_message

    sys.stderr.write(terminal_message(message.rstrip("\n")) + "\n")
    sys.stderr.flush()


def say_command(line: str) -> None:
    """A CI workflow command (``::error …``) on stderr, already escaped by its maker."""
    sys.stderr.write(line.rstrip("\n") + "\n")
    sys.stderr.flush()


class Stopped(KeyboardInterrupt):
    """A stop signal other than Ctrl-C (SIGTERM, SIGHUP), raised in the main thread by
    :func:`model_scorecard.cli.main`'s handler so that a run unwinds as under Ctrl-C."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def stop_code(exc: BaseException) -> int:
    """The exit code of a run stopped by ``exc``: 128 + the signal (130 for Ctrl-C)."""
    return 128 + int(getattr(exc, "signum", signal.SIGINT))


def stop_message(code: int) -> str:
    if code == EXIT_INTERRUPTED:
        return "interrupted"
    try:
        return f"stopped by {signal.Signals(code - 128).name}"
    except ValueError:
        return "stopped"


# OS errors that are the environment's doing -- the disk, permissions, the device -- not a bug.
ENVIRONMENT_ERRNOS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EROFS", "EACCES", "EPERM", "EXDEV",
                                      "EBUSY", "EISDIR", "ENOTDIR", "ENXIO", "ENODEV", "EMFILE", "ENFILE", "ENOMEM",
                                      "ENAMETOOLONG", "ELOOP", "ETXTBSY")
    if hasattr(errno, name))


def _environment_fault(exc: OSError) -> bool:
    module = type(exc).__module__ or ""
    return exc.errno in ENVIRONMENT_ERRNOS and not module.startswith(("requests", "urllib3", "httpx", "huggingface_hub"))


def emit(text: Any) -> None:
    """Data on stdout: text, bytes (straight to the binary stream: no decode and re-encode),
    or an iterable of byte chunks (a streamed report, written piece by piece)."""
    if isinstance(text, str):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    sys.stdout.flush()
    for chunk in ((text,) if isinstance(text, (bytes, bytearray)) else text):
        sys.stdout.buffer.write(chunk)
    sys.stdout.buffer.flush()


def guarded(fn: F) -> F:
    """Run a command body; turn our errors into messages and exit codes, never tracebacks."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from model_scorecard._gc import paused_gc
        from model_scorecard.atomic import discard_pending, invocation

        # the files this command reads: none of its outputs may replace one
        with invocation(), paused_gc():
            try:
                return fn(*args, **kwargs)
            except typer.Exit:
                raise
            except ScorecardError as exc:
                _quietly(say, f"error: {exc}")
                raise typer.Exit(exc.exit_code) from None
            except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM/SIGHUP through main()'s handler
                discard_pending()
                code = stop_code(exc)
                _quietly(say, stop_message(code))
                raise typer.Exit(code) from None
            except BrokenPipeError:  # `scorecard rank | head`: the reader left; that is fine
                silence_stdout()
                raise typer.Exit(EXIT_OK) from None
            except OSError as exc:
                if debug() or not _environment_fault(exc):
                    return _internal(exc)
                what = f"{exc.filename}" if exc.filename else "cannot write the output (stdout)"
                _quietly(say, f"error: {what}: {exc.strerror or exc}\n"
                              "The operating system refused (disk full, permissions, the device); "
                              "this is not a bug in model-scorecard.")
                raise typer.Exit(EXIT_INVALID) from None
            except Exception as exc:  # a bug: say so plainly, keep the traceback for SCORECARD_DEBUG=1
                return _internal(exc)

    return wrapper  # type: ignore[return-value]


def _internal(exc: Exception) -> Any:
    if debug():
        raise exc
    from model_scorecard.hub.ids import redact_url

    say(f"internal error: {type(exc).__name__}: {redact_url(str(exc))}\n"
        "This is a bug in model-scorecard. Rerun with SCORECARD_DEBUG=1 for the traceback and report it.")
    raise typer.Exit(EXIT_INTERNAL) from None


def _quietly(fn: Callable[..., Any], *args: Any) -> None:
    """Call ``fn``; a message that cannot be written (stderr closed or full) must not change the exit code."""
    try:
        fn(*args)
    except (OSError, ValueError):
        pass


def silence_stdout() -> None:
    """Point stdout at /dev/null: the reader left, and nothing more should fail on it (nor at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def parse_day(text: str | None, option: str = "--as-of") -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option} {text!r} is not a date; write YYYY-MM-DD") from None


def write_or_emit(text: Any, output: Path | None, inputs: Iterable[str | Path] = ()) -> None:
    """Print ``text`` on stdout, or write it atomically to ``output`` (never over an input)."""
    if output is None:
        emit(text)
        return
    from model_scorecard.atomic import write_text

    write_text(output, text, protect=inputs)  # also refuses every file the run read (atomic.note_input)
    say(f"wrote {output}")


def console(stderr: bool = False) -> Any:
    """A rich console whose closed pipe reaches the command as ``BrokenPipeError``, which
    :func:`guarded` ends with exit 0 (``scorecard rank | head -1``) and the gate with its verdict:
    rich's own reaction, ``on_broken_pipe``, exits 1, the code the README keeps for a failed gate."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            silence_stdout()
            raise BrokenPipeError

    return _Console(stderr=stderr, highlight=False)
