"""The GPU table: bundled ``data/gpus.yaml`` plus an optional user file in the same format.

Figures are stored in SI units internally (bytes, bytes/s, FLOP/s, W, USD/hour); the YAML
writes them in the units people read on data sheets (MiB, GB/s, TFLOPS) with the unit in
each key. ``load_gpus()`` validates the YAML with a strict pydantic model, so a user's file
gets the same ``file:line: field: message`` problems as a catalog does.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from model_scorecard import bundled
from model_scorecard.catalog import Strict
from model_scorecard.errors import InvalidInput, Problem, UserError
from model_scorecard.yamlio import format_path, load_file

__all__ = ["GPU", "INTERCONNECTS", "GPUFile", "GPUSpec", "find_gpu", "load_gpus", "normalise_gpu_name"]

Interconnect = Literal["nvlink", "pcie", "infinity-fabric", "ici"]
INTERCONNECTS: tuple[str, ...] = Interconnect.__args__  # type: ignore[attr-defined]

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


Positive = Annotated[float, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]


class GPUSpec(Strict):
    """One row of a GPU file, in data-sheet units; exactly one ``memory_*`` key."""

    name: Annotated[str, Field(min_length=1, max_length=80)]
    aliases: list[Annotated[str, Field(min_length=1, max_length=80)]] = []
    memory_mib: Annotated[int, Field(gt=0)] | None = None
    memory_gib: Positive | None = None
    memory_gb: Positive | None = Field(default=None, description="decimal GB (10^9 bytes)")
    memory_bytes: Annotated[int, Field(gt=0)] | None = None
    memory_basis: str = Field(default="not stated", description="what the memory figure is: nvidia-smi total, nominal …")
    bandwidth_gb_per_s: Positive
    bf16_tflops: Positive = Field(description="dense peak, not the sparse figure")
    fp8_tflops: Positive | None = None
    int8_tops: Positive | None = None
    tdp_w: Positive | None = None
    idle_w: NonNegative | None = None
    interconnect: Interconnect
    link_gb_per_s: Positive | None = Field(default=None, description="per GPU, one direction")
    usd_per_hour: Annotated[list[NonNegative], Field(min_length=2, max_length=2)] | None = Field(
        default=None, description="[low, high] on-demand USD per GPU-hour")
    embodied_kg_co2e: NonNegative | None = None
    source: Annotated[str, Field(min_length=1)]

    @field_validator("name")
    @classmethod
    def _name_has_text(cls, value: str) -> str:
        if not normalise_gpu_name(value):
            raise ValueError("a GPU name needs at least one letter or digit")
        return value.strip()

    @model_validator(mode="after")
    def _consistent(self) -> "GPUSpec":
        given = [k for k in ("memory_mib", "memory_gib", "memory_gb", "memory_bytes") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of memory_mib, memory_gib, memory_gb, memory_bytes"
                             + (f" (got {', '.join(given)})" if given else ""))
        if self.usd_per_hour is not None and self.usd_per_hour[0] > self.usd_per_hour[1]:
            raise ValueError("usd_per_hour is [low, high]: low must not exceed high")
        if self.idle_w is not None and self.tdp_w is not None and self.idle_w > self.tdp_w:
            raise ValueError("idle_w cannot exceed tdp_w")
        return self

    def to_gpu(self) -> GPU:
        if self.memory_mib is not None:
            memory = self.memory_mib * MIB
        elif self.memory_gib is not None:
            memory = round(self.memory_gib * GIB)
        elif self.memory_gb is not None:
            memory = round(self.memory_gb * 1e9)
        else:
            assert self.memory_bytes is not None
            memory = self.memory_bytes
        low, high = self.usd_per_hour if self.usd_per_hour is not None else (None, None)
        return GPU(
            name=self.name,
            aliases=tuple(dict.fromkeys(a.strip().lower() for a in self.aliases)),
            memory_bytes=memory,
            bandwidth_bytes_per_s=self.bandwidth_gb_per_s * 1e9,
            bf16_flops=self.bf16_tflops * 1e12,
            fp8_flops=None if self.fp8_tflops is None else self.fp8_tflops * 1e12,
            int8_ops=None if self.int8_tops is None else self.int8_tops * 1e12,
            tdp_w=self.tdp_w,
            idle_w=self.idle_w,
            interconnect=self.interconnect,
            link_bytes_per_s=None if self.link_gb_per_s is None else self.link_gb_per_s * 1e9,
            usd_per_hour_low=low,
            usd_per_hour_high=high,
            embodied_kg_co2e=self.embodied_kg_co2e,
            source=self.source,
        )


class GPUFile(Strict):
    """A GPU file: the bundled ``gpus.yaml`` or a user's own in the same format."""

    schema_version: Literal[1] = 1
    gpus: Annotated[list[GPUSpec], Field(min_length=1)]


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
    """Validate one GPU file; each GPU with its path in the file. Raises InvalidInput."""
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


@lru_cache(maxsize=1)
def _bundled() -> tuple[GPU, ...]:
    return tuple(gpu for gpu, _ in _parse(bundled.data_file("gpus.yaml")))


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
    for gpu, _ in _parse(Path(extra)):
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
