"""Arithmetic lint of the figures a catalog records as stated: recompute, compare, locate.

A catalog keeps what a document claims (``claims:`` at the top level, ``cost_claims:`` on
a model entry) beside the sourced facts. This module recomputes each claimed figure from
the other figures the same claim states, and from physics where the claim names a GPU,
and reports every figure that does not follow, at the line and column where it is
written. The slips of docs/domain.md §9 are the cases it exists for: "$311 ($0.25 / 1k)" for
1B tokens, €0.029 of carbon tax on 0.68 kg at €65/t, and "0.45 kg vs 0.68 kg, 2.3×
throughput" counted twice.

Each finding names its rule (``RULES``), the claimed value, the recomputed value, the
formula and its inputs. ``error`` means the stated figures cannot all be true;
``warning`` means they are implausible or could not be checked. The module is pure: a
validated :class:`Catalog`, the positions of its document and a GPU table in, findings out.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from model_scorecard.calc.carbon import (
    carbon_tax_eur_per_gpu_hour,
    implied_power_w,
    kg_co2e_per_gpu_hour,
)
from model_scorecard.errors import Problem, UserError
from model_scorecard.schema.base import Fact
from model_scorecard.schema.catalog import Catalog, CostClaim, ModelEntry, PriceClaim
from model_scorecard.schema.load import catalog_from
from model_scorecard.schema.located import Located
from model_scorecard.schema.yamlio import Document, format_path, load_file

if TYPE_CHECKING:
    from model_scorecard.calc.gpus import GPU

Severity = Literal["error", "warning"]

RULES: dict[str, str] = {
    "cost-per-1k": "usd_per_1k = usd / tokens × 1000 (a per-1M figure written as per 1k is off by 1000×)",
    "cost-vs-pricing": "a model's cost claim = pricing.<basis>_per_1m / 1000 per 1k tokens, "
                       "or × tokens / 10^6 for usd",
    "carbon-tax": "tax_eur_per_gpu_hour = kg_co2e_per_gpu_hour × carbon_price_eur_per_t / 1000",
    "carbon-power": "power implied by kg/GPU-hour = kg × 10^6 / (grid g/kWh × PUE) W: equal to power_w when "
                    "stated, else between the GPU's idle power and 2 × TDP",
    "carbon-same-site": "at one site, kg/GPU-hour of two GPUs scale as their power (within 1.5×)",
    "carbon-per-token": "change per token = (kg ratio / throughput ratio − 1) × 100 %; at one site the kg ratio "
                        "is the power ratio",
    "claim-reference": "carbon claim ids are unique and comparisons name existing ones",
    "unknown-gpu": "a carbon claim's GPU is in the GPU table (or the claim states power_w)",
    "benchmark-protocol": "a benchmark was run with the protocol (shots, CoT, variant) the rubric's criterion "
                          "scores, and says so; another protocol's result is shown as context, not scored",
    "checkpoint-required": "an LLM entry states its checkpoint type (instruct, reasoning, base, code): workload fit "
                           "depends on it",
    "third-party-only": "a fact the rubric scores has a first-party or independent source, not only a third-party "
                        "rewrite (which is scored but never counts as evidence)",
    "stale-fact": "prices and measured serving figures are less than a year old (they move fast)",
}

#: Fact groups that go stale within a year.
FAST_MOVING = ("pricing", "serving")
STALE_AFTER_DAYS = 365

# Tolerances. A claimed figure agrees with its recomputed value when it is within half a
# unit of its own last written digit (0.25 ± 0.005, 311 ± 0.5) or within REL_TOL of it,
# whichever is wider: the writer may round, but not by more than the digits they wrote.
REL_TOL = 0.01
PCT_TOL_PP = 2.0  # percentages stated as "~71 %": 2 percentage points
# At one site two GPUs' kg/GPU-hour follow their average power; average power is a load
# factor times TDP, and load factors differ between cards, so the ratio of kg ratios to
# TDP ratios may stray this far from 1 before the pair is called impossible.
SITE_RATIO_TOL = 1.5
# A GPU-hour's energy includes the GPU's share of its host (CPUs, memory, fans, network):
# a DGX A100 is rated 6.5 kW for 8 × 400 W GPUs (2.0 × TDP per GPU), a DGX H100 10.2 kW
# for 8 × 700 W (1.8 ×). More than 2 × TDP per GPU is not drawn, whatever the load.
HOST_SHARE_CEILING = 2.0
# PUE when a claim gives a grid but no PUE: from an ideal 1.0 to 2.0, wider than the
# 1.09–1.58 of docs/domain.md §8, so an unstated PUE never makes a claim look wrong.
PUE_UNSTATED = (1.0, 2.0)


@dataclass(frozen=True)
class Finding:
    """One stated figure that does not follow from the others, located where it is written."""

    file: str
    line: int | None
    column: int | None
    field: str
    severity: Severity
    rule: str
    message: str

    def as_problem(self) -> Problem:
        return Problem(self.file, self.line, self.column, self.field, f"{self.severity}: {self.message} [{self.rule}]")

    def __str__(self) -> str:
        return str(self.as_problem())


def lint_catalog(catalog: Catalog, doc: Document, gpus: Mapping[str, GPU] | None = None,
                 rubric: Any = None, today: date | None = None) -> list[Finding]:
    """Every arithmetic finding of a validated catalog, in file order.

    ``doc`` is the YAML document the catalog was validated from (for positions and the
    digits each figure was written with); ``gpus`` is the GPU table to take TDPs and idle
    power from (default: the bundled one, ``calc.gpus.load_gpus()``). With ``rubric`` (a
    :class:`~model_scorecard.schema.rubric.Rubric`) the catalog's hygiene is checked too: the
    benchmark protocols that rubric scores, checkpoint types, scored facts sourced only by
    third parties, and prices or serving figures older than a year on ``today``.
    """
    lint = _Lint(doc, gpus)
    lint.cost_claims(catalog.claims.cost, ("claims", "cost"))
    for i, entry in enumerate(catalog.models):
        lint.cost_claims(entry.cost_claims, ("models", i, "cost_claims"), entry=entry, entry_path=("models", i))
        if rubric is not None:
            lint.protocols(entry, ("models", i), rubric)
            lint.hygiene(entry, ("models", i), rubric, today or date.today())
    lint.carbon(catalog)
    return sorted(set(lint.findings), key=lambda f: (f.file, f.line or 0, f.column or 0, f.field, f.rule))


def lint_file(path: str | Path, gpus: Mapping[str, GPU] | None = None, rubric: Any = None,
              today: date | None = None) -> list[Finding]:
    """Load and validate a catalog file, then lint it. Raises InvalidInput when it is invalid."""
    doc = load_file(path)
    return lint_catalog(catalog_from(Located.from_document(doc)), doc, gpus, rubric, today)


def _latest_day(as_of: str | None) -> date | None:
    """The last day a partial date (2026, 2026-09, 2026-09-01) can mean: a fact dated "2025"
    is stale only once all of 2025 is more than a year old."""
    if not as_of:
        return None
    parts = [int(p) for p in as_of.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        year, month = parts
        return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return date(parts[0], 12, 31)


# -- numbers ---------------------------------------------------------------------------------

_NUMBER = re.compile(r"[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?")


class _Stated(float):
    """A claimed figure that remembers how it was written (``0.000300`` keeps its zeros)."""

    text: str

    def __new__(cls, value: float, text: str) -> "_Stated":
        obj = super().__new__(cls, value)
        obj.text = text
        return obj


def _digits(value: float) -> str:
    if isinstance(value, _Stated):
        return value.text.replace("_", "")
    return repr(value) if isinstance(value, float) else str(value)


def _half_unit(written: float) -> float:
    """Half a unit of the last digit written: 0.25 → 0.005, 311 → 0.5, 3.11e-4 → 5e-7."""
    try:
        exponent = Decimal(_digits(written)).as_tuple().exponent
    except ArithmeticError:
        exponent = 0
    return 0.5 * 10.0 ** min(exponent if isinstance(exponent, int) else 0, 0)


def _agrees(claimed: float, recomputed: float, slack: float = 0.0) -> bool:
    return abs(claimed - recomputed) <= max(_half_unit(claimed), REL_TOL * abs(recomputed), slack)


def _w(value: float) -> str:
    """A figure as the catalog writes it."""
    if isinstance(value, _Stated):
        return value.text
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e15):
        return f"{int(value):,}"
    return format(Decimal(repr(value)), "f")


def _n(value: float) -> str:
    """A recomputed figure to three significant digits, never in e-notation."""
    if value == 0 or not math.isfinite(value):
        return str(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{float(f'{value:.3g}'):.12f}".rstrip("0").rstrip(".")


def _pct(value: float) -> str:
    return f"{value:+.0f}%"


def _factor_1000(claimed: float, recomputed: float) -> str:
    """Say so when a figure is off by about 1000× (per 1M written as per 1k, kg as t)."""
    if claimed <= 0 or recomputed <= 0:
        return ""
    power = math.log10(claimed / recomputed)
    if abs(power - 3) < 0.3:
        return f"; about 1000× too high ({_n(claimed / recomputed)}×)"
    if abs(power + 3) < 0.3:
        return f"; about 1000× too low ({_n(recomputed / claimed)}×)"
    return ""


# -- the rules -------------------------------------------------------------------------------

class _Lint:
    def __init__(self, doc: Document, gpus: Mapping[str, GPU] | None):
        self.doc = doc
        self.located = Located.from_document(doc)
        self._gpus = gpus
        self._power: dict[int, tuple[float, float | None, str] | None] = {}
        self.findings: list[Finding] = []

    def add(self, path: tuple[Any, ...], severity: Severity, rule: str, message: str) -> None:
        assert rule in RULES
        file, line, column = self.located.locate(path)
        self.findings.append(Finding(file, line, column, format_path(path), severity, rule, message))

    def raw(self, path: tuple[Any, ...], parsed: float) -> float:
        """The claimed figure with the digits it was written with (311 stays 311, 0.000300 keeps its zeros)."""
        if path not in self.doc.positions:
            return parsed
        line, column = self.doc.positions[path]
        lines = self.doc.text.split("\n")
        match = _NUMBER.match(lines[line - 1][column - 1:]) if line <= len(lines) else None
        if not match or not any(c.isdigit() for c in match.group()):
            return parsed
        return _Stated(parsed, match.group())

    def protocols(self, entry: ModelEntry, entry_path: tuple[Any, ...], rubric: Any) -> None:
        from model_scorecard.scoring.score import describe_protocol, protocol_check

        for _, c in rubric.criteria():
            if c.protocol is None or not (c.field or "").startswith("benchmarks."):
                continue
            name = c.field.split(".", 1)[1]
            bench = entry.benchmarks.get(name)
            if bench is None:
                continue
            mismatched, unstated = protocol_check(c, bench)
            want = describe_protocol(c.protocol.n_shot, c.protocol.cot, c.protocol.variant)
            if mismatched:
                have = describe_protocol(bench.n_shot, bench.cot, bench.variant)
                self.add((*entry_path, "benchmarks", name), "warning", "benchmark-protocol",
                         f"{entry.id}: {name} {bench.value:g} was measured {have}; rubric {rubric.name}'s "
                         f"'{c.id}' scores {want}: shown as context, not scored")
            elif unstated:
                self.add((*entry_path, "benchmarks", name), "warning", "benchmark-protocol",
                         f"{entry.id}: {name} does not state its {', '.join(unstated)}; rubric {rubric.name}'s "
                         f"'{c.id}' scores {want}: scored as if comparable — state the protocol the source gives")

    def hygiene(self, entry: ModelEntry, entry_path: tuple[Any, ...], rubric: Any, today: date) -> None:
        from model_scorecard.scoring.evidence import reader

        if entry.kind in ("llm", "diffusion-llm") and entry.checkpoint is None:
            self.add(entry_path, "error", "checkpoint-required",
                     f"{entry.id}: state `checkpoint:` (instruct, reasoning, base or code) with its source; a base "
                     "or code checkpoint does not fit a conversational workload")
        third = sorted({path for _, c in rubric.criteria() for path in (c.field, *c.fallbacks)
                        if path and not path.startswith("computed.")
                        and (found := reader(path)(entry, {})) is not None and found.basis == "third-party"})
        if third:
            self.add(entry_path, "warning", "third-party-only",
                     f"{entry.id}: scored facts sourced only by a third party (scored, never counted as evidence): "
                     f"{', '.join(third)}; cite the vendor or an independent measurement")
        for group_name in FAST_MOVING:
            group = getattr(entry, group_name)
            stale = []
            for name in type(group).model_fields:
                fact = getattr(group, name)
                if not isinstance(fact, Fact):
                    continue
                when = _latest_day(fact.as_of or group.as_of or entry.as_of)
                if when is not None and (today - when).days > STALE_AFTER_DAYS:
                    stale.append(f"{name} ({fact.as_of or group.as_of or entry.as_of})")
            if stale:
                self.add((*entry_path, group_name), "warning", "stale-fact",
                         f"{entry.id}: {group_name} older than a year on {today.isoformat()}: {', '.join(stale)}; "
                         "refresh from the source")

    def line_of(self, path: tuple[Any, ...]) -> str:
        _, line, _ = self.located.locate(path)
        return f"line {line}" if line else format_path(path)

    def table(self) -> Mapping[str, GPU]:
        if self._gpus is None:
            from model_scorecard.tables.gpus import load_gpus

            self._gpus = load_gpus()
        return self._gpus

    # -- cost ------------------------------------------------------------------------------
    def cost_claims(self, claims: list[CostClaim] | list[PriceClaim], base: tuple[Any, ...],
                    entry: ModelEntry | None = None, entry_path: tuple[Any, ...] = ()) -> None:
        for i, claim in enumerate(claims):
            path = (*base, i)
            per_1k_ok = self.cost_per_1k(claim, path)
            if entry is not None and isinstance(claim, PriceClaim) and claim.basis is not None:
                self.cost_vs_pricing(claim, path, entry, entry_path, check_per_1k=per_1k_ok)

    def cost_per_1k(self, claim: CostClaim, path: tuple[Any, ...]) -> bool:
        if claim.usd is None or claim.tokens is None or claim.usd_per_1k is None:
            return True
        usd, claimed = self.raw((*path, "usd"), claim.usd), self.raw((*path, "usd_per_1k"), claim.usd_per_1k)
        per_1k = claim.usd / claim.tokens * 1000
        if _agrees(claimed, per_1k):
            return True
        message = (f"claimed ${_w(claimed)} per 1k tokens, but ${_w(usd)} for {claim.tokens:,} tokens is "
                   f"${_n(per_1k)} per 1k (usd / tokens × 1000 = {_w(usd)} / {claim.tokens:,} × 1000)")
        per_1m = per_1k * 1000
        if per_1m > 0 and 0.5 <= claimed / per_1m <= 2:
            message += f"; ${_w(claimed)} is the size of the per-1M figure (${_n(per_1m)} per 1M): per 1M written as per 1k?"
        else:
            message += _factor_1000(claimed, per_1k)
        self.add((*path, "usd_per_1k"), "error", "cost-per-1k", message)
        return False

    def cost_vs_pricing(self, claim: PriceClaim, path: tuple[Any, ...], entry: ModelEntry,
                        entry_path: tuple[Any, ...], check_per_1k: bool) -> None:
        pricing = entry.pricing
        where = (*path, "basis")
        if pricing.currency != "USD":
            self.add(where, "warning", "cost-vs-pricing",
                     f"pricing is in {pricing.currency} and the claim in USD: not compared")
            return
        if claim.basis == "blended":
            from model_scorecard.calc.cost import blended_usd_per_1k_tokens

            inp, out = pricing.input_per_1m, pricing.output_per_1m
            if inp is None or out is None:
                self.add(where, "warning", "cost-vs-pricing",
                         "a blended claim needs pricing.input_per_1m and pricing.output_per_1m to compare with")
                return
            n_in, n_out = claim.input_tokens or 0, claim.output_tokens or 0
            expected = blended_usd_per_1k_tokens(inp.value, out.value, n_in, n_out)
            source = (f"pricing ${_w(inp.value)} in / ${_w(out.value)} out per 1M blended {n_in:,}:{n_out:,} "
                      f"({_w(n_in)} × {_w(inp.value)} + {_w(n_out)} × {_w(out.value)}) / {n_in + n_out:,} / 1000")
        else:
            field = f"{claim.basis}_per_1m"
            fact = getattr(pricing, field)
            if fact is None:
                self.add(where, "warning", "cost-vs-pricing", f"pricing.{field} is not given: nothing to compare with")
                return
            expected = fact.value / 1000
            price_path = (*entry_path, "pricing", field)
            source = f"pricing.{field} ${_w(fact.value)} per 1M ({self.line_of(price_path)}) / 1000"
        if claim.usd_per_1k is not None:
            if not check_per_1k:
                return  # already wrong against its own usd and tokens; one finding per figure
            claimed = self.raw((*path, "usd_per_1k"), claim.usd_per_1k)
            if not _agrees(claimed, expected):
                self.add((*path, "usd_per_1k"), "error", "cost-vs-pricing",
                         f"claimed ${_w(claimed)} per 1k tokens; the list price gives ${_n(expected)} per 1k "
                         f"({source}){_factor_1000(claimed, expected)}")
        elif claim.usd is not None and claim.tokens is not None:
            claimed = self.raw((*path, "usd"), claim.usd)
            usd = expected * claim.tokens / 1000
            if not _agrees(claimed, usd):
                self.add((*path, "usd"), "error", "cost-vs-pricing",
                         f"claimed ${_w(claimed)} for {claim.tokens:,} tokens; the list price gives ${_n(usd)} "
                         f"(${_n(expected)} per 1k × {claim.tokens:,} / 1000; {source}){_factor_1000(claimed, usd)}")

    # -- carbon ----------------------------------------------------------------------------
    def carbon(self, catalog: Catalog) -> None:
        claims = catalog.claims.carbon
        by_id: dict[str, int] = {}
        for i, claim in enumerate(claims):
            if claim.id in by_id:
                self.add(("claims", "carbon", i, "id"), "error", "claim-reference",
                         f"duplicate carbon claim id '{claim.id}' (first at claims.carbon[{by_id[claim.id]}])")
            else:
                by_id[claim.id] = i
        for i, claim in enumerate(claims):
            self.carbon_tax(i, catalog)
            self.carbon_power(i, claim)
        for j, comparison in enumerate(catalog.claims.carbon_comparisons):
            path = ("claims", "carbon_comparisons", j)
            ends = []
            for side in ("of", "against"):
                ref = getattr(comparison, side)
                if ref not in by_id:
                    hint = difflib.get_close_matches(ref, list(by_id), n=1)
                    self.add((*path, side), "error", "claim-reference",
                             f"no carbon claim '{ref}'" + (f"; did you mean '{hint[0]}'?" if hint else "")
                             + (f" (ids: {', '.join(by_id)})" if by_id else " (claims.carbon is empty)"))
                else:
                    ends.append(by_id[ref])
            if len(ends) == 2:
                self.compare(j, comparison, ends[0], ends[1], claims)

    def power_of(self, i: int, claim: Any) -> tuple[float, float | None, str] | None:
        """(reference W, idle W, how) for a claim: its stated power, else its GPU's TDP.

        Looked up only for the rules that need it, and once per claim, so an unknown GPU is
        reported once and only where it matters.
        """
        if i not in self._power:
            self._power[i] = self._lookup_power(i, claim)
        return self._power[i]

    def _lookup_power(self, i: int, claim: Any) -> tuple[float, float | None, str] | None:
        if claim.power_w is not None:
            return claim.power_w, None, f"{_w(claim.power_w)} W stated"
        try:
            from model_scorecard.tables.gpus import find_gpu

            gpu = find_gpu(claim.gpu, self.table())
        except UserError as exc:
            self.add(("claims", "carbon", i, "gpu"), "warning", "unknown-gpu",
                     f"{exc.message}: power checks skipped; give power_w, or describe the GPU in a GPU file")
            return None
        if gpu.tdp_w is None:
            self.add(("claims", "carbon", i, "gpu"), "warning", "unknown-gpu",
                     f"the GPU table gives no TDP for {gpu.name}: power checks skipped; give power_w")
            return None
        return gpu.tdp_w, gpu.idle_w, f"{gpu.name} TDP {_w(gpu.tdp_w)} W"

    def carbon_tax(self, i: int, catalog: Catalog) -> None:
        claims = catalog.claims.carbon
        claim = claims[i]
        if claim.tax_eur_per_gpu_hour is None or claim.carbon_price_eur_per_t is None:
            return
        path = ("claims", "carbon", i)
        tax = self.raw((*path, "tax_eur_per_gpu_hour"), claim.tax_eur_per_gpu_hour)
        kg = self.raw((*path, "kg_co2e_per_gpu_hour"), claim.kg_co2e_per_gpu_hour)
        price = self.raw((*path, "carbon_price_eur_per_t"), claim.carbon_price_eur_per_t)
        expected = carbon_tax_eur_per_gpu_hour(claim.kg_co2e_per_gpu_hour, claim.carbon_price_eur_per_t)
        if _agrees(tax, expected):
            return
        message = (f"claimed €{_w(tax)} per {claim.gpu}-hour, but {_w(kg)} kg × €{_w(price)}/t = €{_n(expected)} "
                   f"(kg_co2e_per_gpu_hour × carbon_price_eur_per_t / 1000)")
        for other in claims:
            other_tax = carbon_tax_eur_per_gpu_hour(other.kg_co2e_per_gpu_hour, claim.carbon_price_eur_per_t)
            if other is not claim and _agrees(tax, other_tax):
                message += (f"; €{_w(tax)} is the {other.gpu} figure ({_w(other.kg_co2e_per_gpu_hour)} kg × "
                            f"€{_w(price)}/t = €{_n(other_tax)})")
                break
        else:
            message += _factor_1000(tax, expected)
        self.add((*path, "tax_eur_per_gpu_hour"), "error", "carbon-tax", message)

    def carbon_power(self, i: int, claim: Any) -> None:
        grid = claim.grid_g_co2e_per_kwh
        if grid is None:
            return
        power = self.power_of(i, claim)
        if power is None:
            return
        path = ("claims", "carbon", i, "kg_co2e_per_gpu_hour")
        kg = self.raw(path, claim.kg_co2e_per_gpu_hour)
        pue_lo, pue_hi = (claim.pue, claim.pue) if claim.pue is not None else PUE_UNSTATED
        pue_text = f"PUE {_w(claim.pue)}" if claim.pue is not None else f"PUE {_w(pue_lo)}–{_w(pue_hi)} (not stated)"
        if grid == 0:
            if claim.kg_co2e_per_gpu_hour > 0:
                self.add(path, "error", "carbon-power", f"claimed {_w(kg)} kg per GPU-hour on a 0 g/kWh grid, "
                                                        "which emits nothing per kWh")
            return
        implied_hi = implied_power_w(claim.kg_co2e_per_gpu_hour, grid, pue_lo)
        implied_lo = implied_power_w(claim.kg_co2e_per_gpu_hour, grid, pue_hi)
        implied = _n(implied_lo) if implied_lo == implied_hi else f"{_n(implied_lo)}–{_n(implied_hi)}"
        formula = (f"{_w(kg)} kg × 10^6 / ({_w(grid)} g/kWh × {pue_text}) = {implied} W per GPU "
                   "(kg × 10^6 / (g/kWh × PUE))")
        watts, idle, how = power
        if claim.power_w is not None:
            lo, hi = kg_co2e_per_gpu_hour(watts, pue_lo, grid), kg_co2e_per_gpu_hour(watts, pue_hi, grid)
            if not (_agrees(kg, lo) or _agrees(kg, hi) or lo <= claim.kg_co2e_per_gpu_hour <= hi):
                expected = _n(lo) if lo == hi else f"{_n(lo)}–{_n(hi)}"
                self.add(path, "error", "carbon-power",
                         f"claimed {_w(kg)} kg per GPU-hour, but {_w(watts)} W × {_w(grid)} g/kWh × {pue_text} "
                         f"/ 10^6 = {expected} kg (power_w × grid × PUE / 10^6)")
            return
        ceiling = HOST_SHARE_CEILING * watts
        if implied_lo > ceiling * (1 + REL_TOL):
            self.add(path, "error", "carbon-power",
                     f"claimed {_w(kg)} kg per {claim.gpu}-hour implies {formula}; {how}, and with its host share "
                     f"a GPU draws at most {_n(ceiling)} W ({_w(HOST_SHARE_CEILING)} × TDP)")
        elif idle is not None and implied_hi < idle * (1 - REL_TOL):
            self.add(path, "warning", "carbon-power",
                     f"claimed {_w(kg)} kg per {claim.gpu}-hour implies {formula}, less than the {_w(idle)} W "
                     f"an idle {claim.gpu} draws ({how})")

    def compare(self, j: int, comparison: Any, a: int, b: int, claims: list[Any]) -> None:
        of, against = claims[a], claims[b]
        if against.kg_co2e_per_gpu_hour == 0:
            return
        kg_of = self.raw(("claims", "carbon", a, "kg_co2e_per_gpu_hour"), of.kg_co2e_per_gpu_hour)
        kg_against = self.raw(("claims", "carbon", b, "kg_co2e_per_gpu_hour"), against.kg_co2e_per_gpu_hour)
        kg_ratio = of.kg_co2e_per_gpu_hour / against.kg_co2e_per_gpu_hour
        kg_text = f"{_w(kg_of)} / {_w(kg_against)}"
        physics: tuple[float, str] | None = None
        site_mismatch = False
        power_of = self.power_of(a, of) if comparison.same_site else None
        power_against = self.power_of(b, against) if comparison.same_site else None
        if power_of is not None and power_against is not None:
            (w_of, _, how_of), (w_against, _, how_against) = power_of, power_against
            power_ratio = w_of / w_against
            physics = (power_ratio, f"{_w(w_of)} W / {_w(w_against)} W")
            mismatch = kg_ratio / power_ratio
            site_mismatch = not (1 / SITE_RATIO_TOL <= mismatch <= SITE_RATIO_TOL)
            if site_mismatch:
                self.add(("claims", "carbon", a, "kg_co2e_per_gpu_hour"), "error", "carbon-same-site",
                         f"{_w(kg_of)} kg per {of.gpu}-hour against {_w(kg_against)} kg per {against.gpu}-hour "
                         f"({self.line_of(('claims', 'carbon', b, 'kg_co2e_per_gpu_hour'))}) is a ratio of "
                         f"{kg_text} = {_n(kg_ratio)}, "
                         f"but at one site kg/GPU-hour follows power: {physics[1]} = {_n(power_ratio)} "
                         f"({how_of}; {how_against}); "
                         f"both figures cannot hold on one grid (compared in claims.carbon_comparisons[{j}])")
        thr, claimed = comparison.throughput_ratio, comparison.co2e_per_token_change_pct
        if thr is None or claimed is None:
            return
        path = ("claims", "carbon_comparisons", j, "co2e_per_token_change_pct")
        claimed = self.raw(path, claimed)
        stated = (kg_ratio / thr - 1) * 100
        stated_text = f"({kg_text}) / {_w(thr)} = {_n(kg_ratio / thr)} → {_pct(stated)}"
        if site_mismatch and physics is not None:
            same_site = (physics[0] / thr - 1) * 100
            if _agrees(claimed, same_site, PCT_TOL_PP):
                return
            message = f"claimed {_pct(claimed)} CO2e per token; "
            message += ("the stated figures give " + stated_text + ", " if not _agrees(claimed, stated, PCT_TOL_PP)
                        else f"that is {stated_text}, ")
            message += (f"which counts the GPU's efficiency twice: at one site kg/GPU-hour follows power "
                        f"({physics[1]} = {_n(physics[0])}, not {_n(kg_ratio)}), so per token ({physics[1]}) / "
                        f"{_w(thr)} = {_n(physics[0] / thr)} → {_pct(same_site)} "
                        "((power ratio / throughput ratio − 1) × 100)")
            self.add(path, "error", "carbon-per-token", message)
        elif not _agrees(claimed, stated, PCT_TOL_PP):
            self.add(path, "error", "carbon-per-token",
                     f"claimed {_pct(claimed)} CO2e per token, but the stated figures give {stated_text} "
                     "((kg ratio / throughput ratio − 1) × 100)")
