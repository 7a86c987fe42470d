"""The ``scorecard`` command line: parse arguments → one call of the core → render.

Commands live one per module and import the core lazily, so ``scorecard --help`` and
``scorecard vram`` stay quick and never import pandas. The command modules register
themselves on ``app`` when this package is imported, in the order ``--help`` lists them.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from importlib import import_module
from typing import Any, NoReturn

import typer

from model_scorecard._version import __version__

HELP = """Score foundation models on the six-layer production scorecard and gate on the verdict.

Exit codes: 0 ok · 1 gate failed · 2 invalid input or usage · 3 internal error ·
4 Hugging Face Hub unreachable · 130 interrupted (143 SIGTERM).
"""

# The command modules, in the order their commands are listed by --help.
COMMAND_MODULES = ("rank", "show", "advise", "plan", "vram", "estimate", "finetune", "validate", "schema", "hub",
                   "enrich", "imports", "gate", "sensitivity")


app = typer.Typer(name="scorecard", help=HELP, no_args_is_help=True, add_completion=True,
                  pretty_exceptions_enable=False, context_settings={"help_option_names": ["-h", "--help"]})


def _version(value: bool) -> None:
    if value:
        typer.echo(f"model-scorecard {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """Score foundation models on the six-layer production scorecard."""


__all__ = ["COMMAND_MODULES", "app", "main"]

# Each command module registers its command on `app`; they import the core only inside the
# command, so loading all ten costs little (benchmarks/bench_vram.py).
for _name in COMMAND_MODULES:
    import_module(f"{__name__}.{_name}")


def main() -> None:
    """Console-script entry point.

    Ctrl-C, SIGTERM and SIGHUP all unwind the run the same way: the command stops where it
    is, temporary files are removed (no output is ever half-written), and the process exits
    with 128 + the signal -- 130, 143, 129 -- at once, even when worker threads (Hub requests)
    are still blocked: it never waits for them. A second signal ends it on the spot.
    """
    code: Any = 0
    try:
        _catch_stop_signals()  # kept to the end: a signal while exiting still unwinds cleanly
        app(prog_name="scorecard")
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt as exc:  # outside a command body; click turns most into SystemExit
        code = 128 + int(getattr(exc, "signum", signal.SIGINT))
    _finish(code)


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
_stopped: list[int] = []  # the stop signals received, in order
_finishing: list[bool] = []  # set once the command has returned: a signal then just ends the process


def _on_stop(signum: int, frame: Any) -> None:
    """Raise KeyboardInterrupt (SIGINT) or common.Stopped (others) in the main thread; a second
    signal, when the first is still unwinding, ends the process at once."""
    _stopped.append(signum)
    if len(_stopped) > 1 or _finishing:
        _exit_now(128 + _stopped[0])
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    from model_scorecard.cli.common import Stopped

    raise Stopped(signum)


def _catch_stop_signals() -> None:
    _stopped.clear()
    _finishing.clear()
    for signum in _STOP_SIGNALS:
        if signal.getsignal(signum) is signal.SIG_IGN:  # nohup: an ignored signal stays ignored
            continue
        try:
            signal.signal(signum, _on_stop)
        except (ValueError, OSError):  # not the main thread, or a signal this platform refuses
            pass


def _exit_now(code: int) -> NoReturn:
    """Remove temporary files, flush what was printed, and end the process without waiting for threads."""
    from model_scorecard.atomic import discard_pending

    discard_pending()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def _finish(code: Any) -> NoReturn:
    """Exit with ``code``, or 128 + the stop signal when one arrived. A run that was stopped, or
    that leaves worker threads blocked (a Hub request still waiting), exits at once."""
    _finishing.append(True)
    if _stopped:
        code = 128 + _stopped[0]
    waiting = [t for t in threading.enumerate()
               if t is not threading.main_thread() and t.is_alive() and not t.daemon]
    if _stopped or waiting:
        if code is None:
            code = 0
        elif not isinstance(code, int):
            try:
                sys.stderr.write(f"{code}\n")
            except (OSError, ValueError):
                pass
            code = 1
        _exit_now(code)
    raise SystemExit(code)
