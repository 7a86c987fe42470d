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
        from model_scorecard.atomic import discard_pending, invocation

        with invocation():  # the files this command reads: none of its outputs may replace one
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


def parse_day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"--as-of {text!r} is not a date; write YYYY-MM-DD") from None


def write_or_emit(text: Any, output: Path | None, inputs: Iterable[str | Path] = ()) -> None:
    """Print ``text`` on stdout, or write it atomically to ``output`` (never over an input)."""
    if output is None:
        emit(text)
        return
    from model_scorecard.atomic import write_text

    write_text(output, text, protect=inputs)  # also refuses every file the run read (atomic.note_input)
    say(f"wrote {output}")


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


# --------------------------------------------------------------------------- lean coercion

def _lean_classes() -> tuple[type, type]:
    """Typer command and group classes whose plain options skip building pydantic TypeAdapters.

    typer 0.29 coerces every non-flag option with a pydantic ``TypeAdapter``, built for each
    parameter on each run even when the option was not given; importing pydantic's schema
    machinery for that is most of ``scorecard vram``'s start-up. This class gives options
    of type ``str``, ``int``, ``float`` and ``Enum`` a coercion that accepts exactly the
    plain values (``"8192"``, ``"1.5"``, a choice) and returns what typer's adapter would;
    anything else -- a value out of range, a malformed number, a wrong choice, any other
    type -- goes to typer's own adapter, so results and error messages stay typer's.
    tests/cli/test_vram_startup.py checks the two agree. It uses typer internals (pinned ~=0.29.1);
    if they move, it steps aside and typer does all the coercion.
    """
    import re
    from enum import Enum

    from typer.core import TyperCommand, TyperGroup

    try:
        from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
        from typer._param_types import coerce_cli_choice
    except ImportError:  # pragma: no cover - a typer without these internals
        return TyperCommand, TyperGroup

    digits = re.compile(r"[0-9]{1,18}")
    decimal = re.compile(r"[0-9]{1,18}(\.[0-9]{1,18})?")
    missing = object()

    def plain(annotation: Any, info: Any, value: Any, ctx: Any) -> Any:
        """The value typer's adapter gives for a plain input, or ``missing`` to ask the adapter."""
        if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
            return missing
        if annotation is str:
            return value if type(value) is str else missing
        if annotation is int or annotation is float:
            if getattr(info, "clamp", False):
                return missing
            if type(value) is str:
                if not (digits if annotation is int else decimal).fullmatch(value):
                    return missing
                number: Any = annotation(value)
            elif type(value) is int or (type(value) is float and annotation is float):
                number = annotation(value)
            else:
                return missing
            low, high = getattr(info, "min", None), getattr(info, "max", None)
            if (low is not None and number < low) or (high is not None and number > high):
                return missing
            return number
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            try:
                return coerce_cli_choice(value, choices=tuple(annotation), case_sensitive=info.case_sensitive, ctx=ctx)
            except ValueError:
                return missing
        return missing

    class LeanRuntimeParam(RuntimeParam):  # type: ignore[misc]  # (its dataclass fields, no new ones)
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            result = plain(self.annotation, self.parameter_info, value, ctx)
            if result is missing:  # typer's own coercion, from now on for this parameter
                param._runtime_param = full = build_runtime_param(param.type_descriptor)
                return full._coerce_value(value, param=param, ctx=ctx)
            return result

    def install(param: Any) -> Any:
        desc = getattr(param, "type_descriptor", None)
        if (isinstance(desc, TypeDescriptor) and desc.file_annotation is None
                and getattr(param, "_runtime_param", missing) is None):
            param._runtime_param = LeanRuntimeParam(parameter_info=desc.parameter_info, annotation=desc.annotation)
        return param

    class Lean:
        """Mixin: lean coercion for the command's own parameters and its --help option."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[call-arg]
            for param in self.params:  # type: ignore[attr-defined]
                install(param)

        def get_help_option(self, ctx: Any) -> Any:
            option = super().get_help_option(ctx)  # type: ignore[misc]
            return option if option is None else install(option)

    class LeanCommand(Lean, TyperCommand):  # type: ignore[misc]
        pass

    class LeanGroup(Lean, TyperGroup):  # type: ignore[misc]
        pass

    return LeanCommand, LeanGroup


LeanCommand, LeanGroup = _lean_classes()
