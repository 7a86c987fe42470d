"""Carbon presets: grid intensities, PUE, carbon prices and embodied figures (``data/carbon.yaml``).

Each value carries its source and year; the calculators in :mod:`model_scorecard.calc.carbon`
take the numbers as parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, ValidationError

from model_scorecard import bundled
from model_scorecard.errors import InvalidInput, UserError, suggest
from model_scorecard.schema.base import Strict
from model_scorecard.schema.yamlio import load_file

__all__ = ["CarbonPresets", "carbon_presets", "grid_g_co2e_per_kwh", "pue_preset"]


class SourcedValue(Strict):
    value: Annotated[float, Field(ge=0)]
    low: Annotated[float, Field(ge=0)] | None = None
    high: Annotated[float, Field(ge=0)] | None = None
    year: Annotated[int, Field(ge=1990, le=2100)]
    source: Annotated[str, Field(min_length=1)]


class SeedPreset(Strict):
    kg_co2e_per_gpu_hour: dict[str, Annotated[float, Field(ge=0)]]
    h100_throughput_vs_a100: Annotated[float, Field(gt=0)]
    carbon_price_eur_per_t: Annotated[float, Field(ge=0)]
    year: int
    source: Annotated[str, Field(min_length=1)]
    note: str


class CarbonPresets(Strict):
    """The contents of ``data/carbon.yaml``."""

    schema_version: Literal[1] = 1
    grid_g_co2e_per_kwh: dict[str, SourcedValue]
    pue: dict[str, SourcedValue]
    carbon_price_eur_per_t: dict[str, SourcedValue]
    embodied: dict[str, SourcedValue]
    seed_presets: dict[str, SeedPreset]


@lru_cache(maxsize=1)
def carbon_presets() -> CarbonPresets:
    """The bundled presets, validated (cached)."""
    doc = load_file(bundled.data_file("carbon.yaml"))
    try:
        return CarbonPresets.model_validate(doc.data)
    except ValidationError:  # pragma: no cover - the bundled file is tested
        from model_scorecard.schema.located import Located, validate

        validate(Located.from_document(doc), CarbonPresets)
        raise InvalidInput(f"{doc.file}: invalid carbon presets") from None


def _lookup(table: Mapping[str, SourcedValue], name: str, what: str) -> SourcedValue:
    key = name.strip().lower().replace(" ", "-").replace("_", "-")
    if key in table:
        return table[key]
    raise UserError(f"unknown {what} '{name}'{suggest(key, table)}", hint=f"known: {', '.join(table)}")


def grid_g_co2e_per_kwh(region: str) -> float:
    """A grid-intensity preset by region (france, sweden, germany, usa, eu-27, world)."""
    return _lookup(carbon_presets().grid_g_co2e_per_kwh, region, "grid region").value


def pue_preset(name: str) -> float:
    """A PUE preset: ``hyperscaler`` (1.1, range 1.09-1.2) or ``industry`` (1.58)."""
    return _lookup(carbon_presets().pue, name, "PUE preset").value


