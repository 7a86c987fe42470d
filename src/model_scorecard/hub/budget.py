"""Time budgets for Hub calls: a deadline per model and per run, and threads the caller waits on in short slices (Ctrl-C stays instant)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from model_scorecard.errors import HubUnavailable, UserError
from model_scorecard.hub.ids import shown_endpoint

#: How often a waiting thread looks at the clock (and lets Ctrl-C in).
_POLL_S = 0.05

# --------------------------------------------------------------------------- time budgets, threads

class OutOfTime(HubUnavailable):
    """A budget ran out, or the run was stopped: ``what`` says which, for the message."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


class Budget:
    """A deadline for a piece of Hub work, a per-read timeout within it, and a stop signal.

    ``parent``: the run this work belongs to; stopping (or running out of) the run stops it too.
    """

    def __init__(self, seconds: float, setting: str, read_timeout_s: float = 10.0, parent: Budget | None = None,
                 what: str = "answer"):
        self.seconds, self.setting, self.read_timeout_s, self.parent = seconds, setting, read_timeout_s, parent
        self.deadline = time.monotonic() + seconds
        self.stopped = threading.Event()
        self.what = what

    def stop(self) -> None:
        self.stopped.set()

    def check(self) -> float:
        """Seconds left; raises :class:`OutOfTime` when none are, or when the work was stopped."""
        if self.parent is not None:
            self.parent.check()
        if self.stopped.is_set():
            raise OutOfTime("stopped before the Hub answered")
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise OutOfTime(self.spent())
        return left

    def spent(self) -> str:
        """What to say when the budget ran out."""
        try:
            where = shown_endpoint()
        except UserError:
            where = "the Hub"
        return f"the Hub at {where} did not {self.what} within {self.seconds:g} s (the limit {self.setting} sets)"

    def cut_short(self) -> Budget | None:
        """The budget (this one or its run's) that a read which just timed out was cut short by,
        rather than by the per-read timeout; None when it was the per-read timeout."""
        if self.deadline - time.monotonic() < 0.1:
            return self
        return self.parent.cut_short() if self.parent is not None else None

    def read_timeout(self) -> float:
        """The timeout for one read: the per-read timeout, or less when less time is left."""
        return max(0.05, min(self.read_timeout_s, self.check()))

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``, or until the budget runs out (then :class:`OutOfTime`)."""
        end = time.monotonic() + seconds
        while (now := time.monotonic()) < end:
            self.stopped.wait(min(_POLL_S, end - now, max(0.0, self.check())))
        self.check()


def _wait(done: threading.Event, budget: Budget | None) -> None:
    """Wait for ``done`` in short slices: the budget is looked at, and Ctrl-C comes in, at each."""
    while not done.wait(_POLL_S):
        if budget is not None:
            budget.check()


def map_bounded(fn: Callable[[Any], Any], items: list[Any], jobs: int, budget: Budget | None = None) -> list[Any]:
    """``[fn(x) for x in items]``, ``jobs`` at a time, in daemon threads the caller waits on.

    The first error (Ctrl-C included) stops the calls not yet started and is raised at once;
    so is :class:`OutOfTime` when ``budget`` runs out or is stopped, which also stops the
    work in flight. Calls still running are left behind: daemon threads never keep the
    process alive, so a command stops within a fraction of a second whatever the Hub does.
    """
    n = len(items)
    if n == 0:
        return []
    results: list[Any] = [None] * n
    failures: list[BaseException] = []
    lock = threading.Lock()
    queue = iter(range(n))
    left = [n]
    done, stop = threading.Event(), threading.Event()

    def work() -> None:
        while not stop.is_set():
            with lock:
                i = next(queue, None)
            if i is None:
                return
            try:
                value = fn(items[i])
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
                with lock:
                    failures.append(exc)
                stop.set()
                done.set()
                return
            with lock:
                results[i] = value
                left[0] -= 1
                if left[0] == 0:
                    done.set()

    for k in range(max(1, min(jobs, n))):
        threading.Thread(target=work, name=f"hub-{k}", daemon=True).start()
    try:
        _wait(done, budget)
    except BaseException:
        stop.set()
        if budget is not None:
            budget.stop()
        raise
    if failures:
        raise failures[0]
    return results
