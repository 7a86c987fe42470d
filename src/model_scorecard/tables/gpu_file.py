"""The strict pydantic model of a GPU file, for users' own files (``--gpus-file``).

Imported only when such a file is read (or its schema is wanted): building these model
classes, and the catalog's base model they share, costs more than the rest of ``scorecard
vram``'s start-up. The bundled ``data/gpus.yaml`` is read without it (see
:mod:`model_scorecard.calc.gpus`); tests/calc/test_gpus.py checks that the bundled file
passes this model and that both paths give identical GPUs.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from model_scorecard.calc.gpus import (
    GPU,
    INTERCONNECTS,
    gpu_from_row,
    normalise_gpu_name,
)
from model_scorecard.schema.base import Strict

__all__ = ["GPUFile", "GPUSpec", "Interconnect"]

Interconnect = Literal["nvlink", "pcie", "infinity-fabric", "ici", "none"]
assert Interconnect.__args__ == INTERCONNECTS  # type: ignore[attr-defined]  # one list of interconnects

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
    bf16_tflops: Positive | None = Field(
        description="dense BF16 (or FP16) tensor peak, not the sparse figure; null: the vendor publishes none "
                    "(the key is required, so an unknown peak is said, not forgotten)")
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
        if self.interconnect == "none" and self.link_gb_per_s is not None:
            raise ValueError("interconnect none (a single device) has no link: link_gb_per_s must be null")
        return self

    def to_gpu(self) -> GPU:
        return gpu_from_row(dict(self))


class GPUFile(Strict):
    """A GPU file: the bundled ``gpus.yaml`` or a user's own in the same format."""

    schema_version: Literal[1] = 1
    gpus: Annotated[list[GPUSpec], Field(min_length=1)]
