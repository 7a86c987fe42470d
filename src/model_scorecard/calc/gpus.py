"""The GPU table: bundled ``data/gpus.yaml`` plus an optional user file in the same format.

Figures are stored in SI units internally (bytes, bytes/s, FLOP/s, W, USD/hour); the YAML
writes them in the units people read on data sheets (MiB, GB/s, TFLOPS) with the unit in
each key. A user's file (``load_gpus(extra=...)``) is validated with the strict pydantic
model in :mod:`model_scorecard.calc.gpu_schema`, so it gets the same ``file:line: field:
message`` problems as a catalog does. The bundled file is read without pydantic: it ships
with the package, tests/calc/test_gpus.py checks that it passes the strict model and that
both paths give identical GPUs, and building the model classes would cost ``scorecard
vram`` more than the rest of its start-up.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from model_scorecard import bundled
from model_scorecard.errors import InvalidInput, Problem, UserError

if TYPE_CHECKING:  # pragma: no cover
    from model_scorecard.calc.gpu_schema import GPUFile, GPUSpec

__all__ = ["GPU", "INTERCONNECTS", "GPUFile", "GPUSpec", "find_gpu", "gpu_from_row", "load_gpus",
           "normalise_gpu_name"]

INTERCONNECTS: tuple[str, ...] = ("nvlink", "pcie", "infinity-fabric", "ici")

MIB = 1024**2
GIB = 1024**3


@dataclass(frozen=True)
class GPU:
    """One accelerator, in SI units. Compute figures are DENSE peaks (sparse is 2x)."""

    name: str  # display name, e.g. "H100 SXM"
    aliases: tuple[str, ...]  # lower-case lookups: "h100", "h100-80gb" ...
    memory_bytes: int  # device memory software sees (see memory_basis in the YAML)
    bandwidth_bytes_per_s: float  # HBM/GDDR peak bandwidth
    bf16_flops: float  # dense BF16 peak, FLOP/s
    fp8_flops: float | None  # dense FP8 peak; None where the chip has no FP8
    int8_ops: float | None  # dense INT8 peak, OP/s
    tdp_w: float | None
    idle_w: float | None
    interconnect: str  # "nvlink" | "pcie" | "infinity-fabric" | "ici"
    link_bytes_per_s: float | None  # per GPU, one direction, for tensor-parallel all-reduce
    usd_per_hour_low: float | None  # on-demand range (DOMAIN.md section 7, 2026)
    usd_per_hour_high: float | None
    embodied_kg_co2e: float | None
    source: str  # where the figures come from


def __getattr__(name: str) -> Any:
    """``GPUSpec`` and ``GPUFile`` (pydantic) load on first use: only user files need them."""
    if name in ("GPUSpec", "GPUFile"):
        from model_scorecard.calc import gpu_schema

        return getattr(gpu_schema, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _float(value: Any, scale: float = 1.0) -> float | None:
    return None if value is None else float(value) * scale


def gpu_from_row(row: Mapping[str, Any]) -> GPU:
    """A GPU from one row of a GPU file, in data-sheet units (``GPUSpec`` fields).

    The one conversion to SI units, used by :meth:`GPUSpec.to_gpu` for validated rows and
    directly for the bundled table. Float fields come out as floats and counts as ints, as
    the strict model gives them.
    """
    if row.get("memory_mib") is not None:
        memory = int(row["memory_mib"]) * MIB
    elif row.get("memory_gib") is not None:
        memory = round(float(row["memory_gib"]) * GIB)
    elif row.get("memory_gb") is not None:
        memory = round(float(row["memory_gb"]) * 1e9)
    else:
        memory = int(row["memory_bytes"])
    prices = row.get("usd_per_hour")
    low, high = (float(prices[0]), float(prices[1])) if prices is not None else (None, None)
    return GPU(
        name=str(row["name"]).strip(),
        aliases=tuple(dict.fromkeys(str(a).strip().lower() for a in row.get("aliases") or ())),
        memory_bytes=memory,
        bandwidth_bytes_per_s=float(row["bandwidth_gb_per_s"]) * 1e9,
        bf16_flops=float(row["bf16_tflops"]) * 1e12,
        fp8_flops=_float(row.get("fp8_tflops"), 1e12),
        int8_ops=_float(row.get("int8_tops"), 1e12),
        tdp_w=_float(row.get("tdp_w")),
        idle_w=_float(row.get("idle_w")),
        interconnect=str(row["interconnect"]),
        link_bytes_per_s=_float(row.get("link_gb_per_s"), 1e9),
        usd_per_hour_low=low,
        usd_per_hour_high=high,
        embodied_kg_co2e=_float(row.get("embodied_kg_co2e")),
        source=str(row["source"]),
    )


# --------------------------------------------------------------------------- names

_VENDOR = re.compile(r"^(nvidia|amd|google)(?=.)")


def normalise_gpu_name(name: str) -> str:
    """The lookup key of a name: lower case, no spaces, hyphens, underscores or vendor prefix.

    ``"NVIDIA H100-SXM"``, ``"h100 sxm"`` and ``"H100_SXM"`` all give ``"h100sxm"``.
    """
    key = re.sub(r"[\s_\-]+", "", str(name).lower())
    return _VENDOR.sub("", key)


def _keys(gpu: GPU) -> list[str]:
    return [normalise_gpu_name(n) for n in (gpu.name, *gpu.aliases)]


# --------------------------------------------------------------------------- loading


def _parse(path: Path) -> list[tuple[GPU, tuple[Any, ...]]]:
    """Validate one GPU file strictly; each GPU with its path in the file. Raises InvalidInput."""
    from pydantic import ValidationError

    from model_scorecard.calc.gpu_schema import GPUFile
    from model_scorecard.yamlio import load_file

    doc = load_file(path)
    try:
        parsed = GPUFile.model_validate(doc.data)
    except ValidationError:
        # Positions are only worked out when there is a problem to locate.
        from model_scorecard.loading import Located, validate

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
    from model_scorecard.yamlio import format_path

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
