"""Energy and emissions per 1k tokens, embodied emissions, carbon prices (docs/domain.md §8).

Operational energy of one replica of N GPUs serving T tokens/s during a share u of the
time it is powered (the rest idle), per 1k tokens served:

    Wh/1k = 1000 · PUE · (N·(u·P_busy + (1−u)·P_idle) + P_host) / (3600 · T · u)

and g CO2e/1k = Wh/1k · grid gCO2e/kWh / 1000. Embodied (manufacturing) emissions are
amortised over the hardware's life and reported separately, never added in silently.
Presets (grid intensities, PUE, carbon prices, embodied figures, the 2024 roadmap post's kg per
GPU-hour) are read by :mod:`model_scorecard.tables.carbon`; here every figure is a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from model_scorecard.calc.cost import _check as _finite
from model_scorecard.calc.cost import carbon_eur_per_1k_tokens
from model_scorecard.calc.ranges import Range

if TYPE_CHECKING:
    from model_scorecard.calc.gpus import GPU

__all__ = [
    "HOURS_PER_YEAR",
    "CarbonEstimate",
    "carbon_eur_per_1k_tokens",
    "carbon_tax_eur_per_gpu_hour",
    "embodied_g_co2e_per_1k_tokens",
    "estimate_carbon",
    "g_co2e_per_1k_tokens",
    "implied_grid_g_co2e_per_kwh",
    "implied_power_w",
    "kg_co2e_per_gpu_hour",
    "wh_per_1k_tokens",
]

HOURS_PER_YEAR = 8760.0


def _utilisation(u: float) -> None:
    _finite("utilisation", u, positive=True)
    if u > 1:
        raise ValueError(f"utilisation is a share of powered time (0 < u <= 1), got {u!r}")


# --------------------------------------------------------------------------- formulas


def wh_per_1k_tokens(tokens_per_s: float, gpus: int, busy_w: float, idle_w: float, utilisation: float,
                     pue: float, host_w: float = 0.0) -> float:
    """Facility energy per 1k tokens served, Wh.

    ``tokens_per_s`` (T): the replica's throughput while busy; ``gpus`` (N) per replica;
    ``busy_w`` / ``idle_w``: one GPU's draw while serving / idle; ``utilisation`` (u):
    share of powered time spent serving; ``pue``: facility overhead (>= 1); ``host_w``:
    the replica's share of its host's draw (CPUs, memory, network), constant.
    """
    _finite("tokens_per_s", tokens_per_s, positive=True)
    _finite("gpus", gpus, positive=True)
    _finite("busy_w", busy_w)
    _finite("idle_w", idle_w)
    _finite("host_w", host_w)
    _utilisation(utilisation)
    _finite("pue", pue, positive=True)
    if pue < 1:
        raise ValueError(f"PUE is facility energy / IT energy, at least 1; got {pue!r}")
    power_w = gpus * (utilisation * busy_w + (1 - utilisation) * idle_w) + host_w
    return 1000 * pue * power_w / (3600 * tokens_per_s * utilisation)


def g_co2e_per_1k_tokens(wh_per_1k: float, grid_g_co2e_per_kwh: float) -> float:
    """Operational emissions per 1k tokens: Wh × gCO2e/kWh / 1000."""
    _finite("wh_per_1k", wh_per_1k)
    _finite("grid_g_co2e_per_kwh", grid_g_co2e_per_kwh)
    return wh_per_1k * grid_g_co2e_per_kwh / 1000


def embodied_g_co2e_per_1k_tokens(tokens_per_s: float, gpus: int, utilisation: float, embodied_kg_per_gpu: float,
                                  life_years: float, host_embodied_kg: float = 0.0) -> float:
    """Manufacturing emissions amortised per 1k tokens served, g CO2e.

    The hardware's embodied kg (``gpus`` × ``embodied_kg_per_gpu`` + the replica's share
    of its host, ``host_embodied_kg``) spread evenly over ``life_years`` of wall-clock
    time; only the share ``utilisation`` of that time serves tokens.
    """
    _finite("tokens_per_s", tokens_per_s, positive=True)
    _finite("gpus", gpus, positive=True)
    _utilisation(utilisation)
    _finite("embodied_kg_per_gpu", embodied_kg_per_gpu)
    _finite("life_years", life_years, positive=True)
    _finite("host_embodied_kg", host_embodied_kg)
    kg_per_hour = (gpus * embodied_kg_per_gpu + host_embodied_kg) / (life_years * HOURS_PER_YEAR)
    tokens_per_hour = 3600 * tokens_per_s * utilisation
    return kg_per_hour * 1000 * 1000 / tokens_per_hour


def kg_co2e_per_gpu_hour(power_w: float, pue: float, grid_g_co2e_per_kwh: float) -> float:
    """Operational kg CO2e of one GPU-hour at an average draw: W × PUE × g/kWh / 10⁶."""
    _finite("power_w", power_w)
    _finite("pue", pue, positive=True)
    _finite("grid_g_co2e_per_kwh", grid_g_co2e_per_kwh)
    return power_w * pue * grid_g_co2e_per_kwh / 1e6


def implied_grid_g_co2e_per_kwh(kg_co2e_per_gpu_hour: float, power_w: float, pue: float) -> float:
    """The grid intensity a kg-per-GPU-hour figure implies at a given draw and PUE."""
    _finite("kg_co2e_per_gpu_hour", kg_co2e_per_gpu_hour)
    _finite("power_w", power_w, positive=True)
    _finite("pue", pue, positive=True)
    return kg_co2e_per_gpu_hour * 1e6 / (power_w * pue)


def implied_power_w(kg_co2e_per_gpu_hour: float, grid_g_co2e_per_kwh: float, pue: float) -> float:
    """The average draw a kg-per-GPU-hour figure implies on a grid at a PUE."""
    _finite("kg_co2e_per_gpu_hour", kg_co2e_per_gpu_hour)
    _finite("grid_g_co2e_per_kwh", grid_g_co2e_per_kwh, positive=True)
    _finite("pue", pue, positive=True)
    return kg_co2e_per_gpu_hour * 1e6 / (grid_g_co2e_per_kwh * pue)


def carbon_tax_eur_per_gpu_hour(kg_per_gpu_hour: float, eur_per_t: float) -> float:
    """Carbon cost of one GPU-hour: kg × €/t / 1000 (0.68 kg × €65/t = €0.0442)."""
    _finite("kg_per_gpu_hour", kg_per_gpu_hour)
    _finite("eur_per_t", eur_per_t)
    return kg_per_gpu_hour * eur_per_t / 1000


# --------------------------------------------------------------------------- the estimate


@dataclass(frozen=True)
class CarbonEstimate:
    """Per 1k tokens, as Ranges (low = optimistic: the low end of energy and emissions).

    ``embodied_g_co2e_per_1k_tokens`` is None when the GPU's embodied figure is unknown
    and none was given; ``eur_per_1k_tokens`` is None without a carbon price. Embodied
    emissions are never included in ``g_co2e_per_1k_tokens`` or its price.
    """

    wh_per_1k_tokens: Range
    g_co2e_per_1k_tokens: Range
    embodied_g_co2e_per_1k_tokens: Range | None
    eur_per_1k_tokens: Range | None
    assumptions: tuple[str, ...]
    inputs: Mapping[str, Any] = field(hash=False)


def estimate_carbon(
    gpu: "GPU",
    gpus: int,
    tokens_per_s: Range | float,
    *,
    utilisation: float,
    pue: float,
    grid_g_co2e_per_kwh: float,
    busy_w: float | None = None,
    idle_w: float | None = None,
    idle_fraction_of_tdp_if_unknown: float = 0.15,
    host_w: float = 0.0,
    eur_per_t: float | None = None,
    embodied_kg_per_gpu: float | None = None,
    host_embodied_kg: float = 0.0,
    life_years: float = 3.0,
) -> CarbonEstimate:
    """Energy, emissions and carbon cost per 1k tokens of a replica of ``gpus`` × ``gpu``.

    ``tokens_per_s``: the replica's throughput (a :class:`Range` from the speed estimate,
    or a measured figure). ``busy_w`` defaults to the GPU's TDP (an upper bound: serving
    often draws 60-90% of it); ``idle_w`` to the GPU table's idle figure, else
    ``idle_fraction_of_tdp_if_unknown`` × TDP. ``embodied_kg_per_gpu`` defaults to the
    GPU table's figure, if any.
    """
    assumptions: list[str] = []
    if busy_w is None:
        if gpu.tdp_w is None:
            raise ValueError(f"{gpu.name} has no TDP in the GPU table: give busy_w")
        busy_w = gpu.tdp_w
        assumptions.append(f"busy GPU draws its TDP, {busy_w:g} W (an upper bound; serving often draws 60-90%)")
    else:
        assumptions.append(f"busy GPU draws {busy_w:g} W (given)")
    if idle_w is None:
        if gpu.idle_w is not None:
            idle_w = gpu.idle_w
            assumptions.append(f"idle GPU draws {idle_w:g} W (GPU table, typical reading)")
        else:
            _finite("idle_fraction_of_tdp_if_unknown", idle_fraction_of_tdp_if_unknown)
            idle_w = idle_fraction_of_tdp_if_unknown * busy_w
            assumptions.append(f"idle GPU draws {idle_fraction_of_tdp_if_unknown:g} x busy power = {idle_w:g} W "
                               "(the GPU table gives no idle figure)")
    assumptions.append(f"utilisation {utilisation:g} of powered time serving; PUE {pue:g}; "
                       f"host share {host_w:g} W; grid {grid_g_co2e_per_kwh:g} gCO2e/kWh")
    throughput = tokens_per_s if isinstance(tokens_per_s, Range) else Range.point(float(tokens_per_s))
    wh = throughput.map(lambda t: wh_per_1k_tokens(t, gpus, busy_w, idle_w, utilisation, pue, host_w))
    grams = wh.map(lambda w: g_co2e_per_1k_tokens(w, grid_g_co2e_per_kwh))

    embodied_kg = embodied_kg_per_gpu if embodied_kg_per_gpu is not None else gpu.embodied_kg_co2e
    embodied = None
    if embodied_kg is not None:
        embodied = throughput.map(lambda t: embodied_g_co2e_per_1k_tokens(
            t, gpus, utilisation, embodied_kg, life_years, host_embodied_kg))
        assumptions.append(f"embodied {embodied_kg:g} kg CO2e per GPU + {host_embodied_kg:g} kg host share over "
                           f"{life_years:g} years, reported separately")
    else:
        assumptions.append(f"embodied emissions of {gpu.name} unknown: not reported")

    eur = None
    if eur_per_t is not None:
        eur = grams.map(lambda g: carbon_eur_per_1k_tokens(g, eur_per_t))
        assumptions.append(f"carbon price EUR {eur_per_t:g}/t on operational emissions only")
    return CarbonEstimate(
        wh_per_1k_tokens=wh,
        g_co2e_per_1k_tokens=grams,
        embodied_g_co2e_per_1k_tokens=embodied,
        eur_per_1k_tokens=eur,
        assumptions=tuple(assumptions),
        inputs=MappingProxyType({
            "gpu": gpu.name, "gpus": gpus, "tokens_per_s": throughput.as_dict(), "utilisation": utilisation,
            "pue": pue, "grid_g_co2e_per_kwh": grid_g_co2e_per_kwh, "busy_w": busy_w, "idle_w": idle_w,
            "host_w": host_w, "eur_per_t": eur_per_t, "embodied_kg_per_gpu": embodied_kg,
            "host_embodied_kg": host_embodied_kg, "life_years": life_years,
        }),
    )
