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
