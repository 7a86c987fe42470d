"""The GPU table: bundled ``data/gpus.yaml`` plus an optional user file in the same format.

A user's file (``load_gpus(extra=...)``) is validated with the strict pydantic model in
:mod:`model_scorecard.tables.gpu_file`, so it gets the same ``file:line: field: message``
problems as a catalog does. The bundled file is read without pydantic: it ships with the
package, tests/tables/test_gpus.py checks that it passes the strict model and that both
paths give identical GPUs, and building the model classes would cost ``scorecard vram``
more than the rest of its start-up.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from model_scorecard import bundled
from model_scorecard.calc.gpus import GPU, gpu_from_row, normalise_gpu_name
from model_scorecard.errors import InvalidInput, Problem, UserError

__all__ = ["find_gpu", "load_gpus"]


def _keys(gpu: GPU) -> list[str]:
    return [normalise_gpu_name(n) for n in (gpu.name, *gpu.aliases)]


# --------------------------------------------------------------------------- loading


def _parse(path: Path) -> list[tuple[GPU, tuple[Any, ...]]]:
    """Validate one GPU file strictly; each GPU with its path in the file. Raises InvalidInput."""
    from pydantic import ValidationError

    from model_scorecard.schema.yamlio import load_file
    from model_scorecard.tables.gpu_file import GPUFile

    doc = load_file(path)
    try:
        parsed = GPUFile.model_validate(doc.data)
    except ValidationError:
        # Positions are only worked out when there is a problem to locate.
        from model_scorecard.schema.located import Located, validate

        located = Located.from_document(doc)
        if not isinstance(doc.data, dict):
            raise InvalidInput(f"{doc.file}: not a GPU file",
                               [located.problem((), "expected a mapping with a `gpus:` list")]) from None
        validate(located, GPUFile)
        raise  # pragma: no cover - validate() raised already
    gpus = [(spec.to_gpu(), ("gpus", i)) for i, spec in enumerate(parsed.gpus)]
    problems = _collisions(doc, gpus)
    if problems:
        raise InvalidInput(f"{doc.file}: {len(problems)} problem(s)", problems)
    return gpus


def _collisions(doc: Any, gpus: list[tuple[GPU, tuple[Any, ...]]]) -> list[Problem]:
    """Names and aliases must identify one GPU within a file."""
    from model_scorecard.schema.yamlio import format_path

    owner: dict[str, str] = {}
    problems = []
    for gpu, where in gpus:
        names = [("name", gpu.name), *((("aliases", j), a) for j, a in enumerate(gpu.aliases))]
        mine = set()
        for sub, label in names:
            key = normalise_gpu_name(label)
            if key in mine:
                continue
            mine.add(key)
            if key in owner:
                loc = (*where, *(sub if isinstance(sub, tuple) else (sub,)))
                line, column = doc.locate(loc)
                problems.append(Problem(doc.file, line, column, format_path(loc),
                                        f"'{label}' already names GPU '{owner[key]}' in this file"))
            else:
                owner[key] = gpu.name
    return problems


def _bundled_fast() -> tuple[GPU, ...]:
    """The bundled table without pydantic or yamlio (tests/calc/test_gpus.py checks it strictly)."""
    return tuple(gpu_from_row(row) for row in bundled.data_yaml("gpus.yaml")["gpus"])


@lru_cache(maxsize=1)
def _bundled() -> tuple[GPU, ...]:
    try:
        return _bundled_fast()
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):  # pragma: no cover - a broken edit
        return tuple(gpu for gpu, _ in _parse(bundled.data_file("gpus.yaml")))  # says what is wrong, and where


def _user_gpus(path: Path) -> tuple[GPU, ...]:
    """A user's GPU file, parsed once per process while it stays unchanged (size and mtime)."""
    try:
        st = path.stat()
    except OSError:
        return tuple(gpu for gpu, _ in _parse(path))  # _parse says what is wrong with the path
    return _user_gpus_at(str(path), str(path.resolve()), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _user_gpus_at(path: str, resolved: str, mtime_ns: int, size: int) -> tuple[GPU, ...]:
    return tuple(gpu for gpu, _ in _parse(Path(path)))  # messages name the path as the user gave it


def load_gpus(extra: str | Path | None = None) -> dict[str, GPU]:
    """The bundled GPU table by display name, in the file's order, plus a user's GPU file.

    A user entry whose name matches a bundled GPU (case, spaces and hyphens aside) replaces
    it in place; others are appended. A bundled alias that a user entry also claims is
    dropped from the bundled GPU, so it finds the user's (display names are never dropped
    and win over aliases in :func:`find_gpu`). The bundled table is parsed once per
    process. An invalid file raises :class:`InvalidInput` with ``file:line``.
    """
    table: dict[str, GPU] = {gpu.name: gpu for gpu in _bundled()}
    if extra is None:
        return table
    for gpu in _user_gpus(Path(extra)):
        taken = set(_keys(gpu))
        same = [name for name in table if normalise_gpu_name(name) == normalise_gpu_name(gpu.name)]
        rebuilt: dict[str, GPU] = {}
        for name, old in table.items():
            if name in same:
                rebuilt[gpu.name] = gpu
                continue
            aliases = tuple(a for a in old.aliases if normalise_gpu_name(a) not in taken)
            rebuilt[name] = old if aliases == old.aliases else replace(old, aliases=aliases)
        if not same:
            rebuilt[gpu.name] = gpu
        table = rebuilt
    return table


def find_gpu(name: str, gpus: Mapping[str, GPU] | None = None) -> GPU:
    """The GPU called ``name`` (a display name or alias; case, spaces, hyphens ignored).

    Display names win over aliases. An unknown name raises :class:`UserError` listing the
    known GPUs, with the closest one as a suggestion.
    """
    table = load_gpus() if gpus is None else gpus
    key = normalise_gpu_name(name)
    by_name = {normalise_gpu_name(g.name): g for g in table.values()}
    if key in by_name:
        return by_name[key]
    for gpu in table.values():
        if key in (normalise_gpu_name(a) for a in gpu.aliases):
            return gpu
    lookup: dict[str, str] = {}
    for gpu in table.values():
        for k in _keys(gpu):
            lookup.setdefault(k, gpu.name)
    close = difflib.get_close_matches(key, list(lookup), n=1, cutoff=0.6) if key else []
    hint = f"; did you mean '{lookup[close[0]]}'?" if close else ""
    raise UserError(
        f"unknown GPU '{name}'{hint}",
        hint=f"known GPUs: {', '.join(g.name for g in table.values())}. "
             "Describe another one in a YAML file in the format of the bundled gpus.yaml.",
    )
