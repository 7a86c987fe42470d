"""One accelerator as the calculators see it: the :class:`GPU` record, in SI units.

Figures are stored in SI units (bytes, bytes/s, FLOP/s, W, USD/hour); a GPU table writes them
in the units people read on data sheets (MiB, GB/s, TFLOPS) with the unit in each key, and
:func:`gpu_from_row` converts one row. Reading the tables is :mod:`model_scorecard.tables.gpus`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["GIB", "GPU", "INTERCONNECTS", "MIB", "gpu_from_row", "normalise_gpu_name"]

INTERCONNECTS: tuple[str, ...] = ("nvlink", "pcie", "infinity-fabric", "ici", "none")

MIB = 1024**2
GIB = 1024**3


@dataclass(frozen=True)
class GPU:
    """One accelerator, in SI units. Compute figures are DENSE peaks (sparse is 2x)."""

    name: str  # display name, e.g. "H100 SXM"
    aliases: tuple[str, ...]  # lower-case lookups: "h100", "h100-80gb" ...
    memory_bytes: int  # device memory software sees (see memory_basis in the YAML)
    bandwidth_bytes_per_s: float  # HBM/GDDR peak bandwidth
    bf16_flops: float | None  # dense BF16 (or FP16) tensor peak, FLOP/s; None: the vendor publishes none
    fp8_flops: float | None  # dense FP8 peak; None where the chip has no FP8
    int8_ops: float | None  # dense INT8 peak, OP/s
    tdp_w: float | None
    idle_w: float | None
    interconnect: str  # "nvlink" | "pcie" | "infinity-fabric" | "ici" | "none" (one device, e.g. a unified-memory SoC)
    link_bytes_per_s: float | None  # per GPU, one direction, for tensor-parallel all-reduce
    usd_per_hour_low: float | None  # on-demand range (docs/domain.md §7, 2026)
    usd_per_hour_high: float | None
    embodied_kg_co2e: float | None
    source: str  # where the figures come from

    @property
    def single_device(self) -> bool:
        """No device-to-device link for tensor parallelism: a replica runs on one device only."""
        return self.interconnect == "none"


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
        bf16_flops=_float(row["bf16_tflops"], 1e12),
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
