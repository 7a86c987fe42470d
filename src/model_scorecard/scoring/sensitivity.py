"""How robust is each verdict? Margin, flip distance and a Monte Carlo of the total.

:func:`sensitivity` takes a scored :class:`~.results.Report` and the rubric that scored it
and answers, per deployment row:

**Margin and flip distance.** The margin is total − green light. The flip is the smallest
single change that moves the verdict across the green light, found among

- one *criterion's score* moved to another value in 0–5 (in steps of 0.1, the precision
  the report gives scores), the other scores kept: only criteria that have a score
  (scored or assessed) in layers not assessed as a whole; unknown criteria are what the
  Monte Carlo explores;
- one *layer's weight* changed (to two decimals), the other weights kept.

Changes are compared by ``distance``: a criterion's move as a share of the 0–5 scale
(``|to − from| / 5``), a layer's as a share of its weight (``|to − from| / from``); ties
go to the smaller movement of the total, then to criteria, then to rubric order. Each
candidate is re-scored exactly as :mod:`.score` does (the rubric's unknown policy, layer
scores and the total rounded half-up to one decimal). Only a verdict decided by the
total can flip this way: green-light, or not-green with nothing but the total against
it. Otherwise ``flip`` is None and ``blocked_by`` names what decides the verdict, in the
order of the verdict ladder: ``not-applicable``, ``walk-away``, ``gate:<id>`` (the first
failed gate), ``insufficient-evidence``, ``unknown:<criterion>`` (an unknown the rubric's
``unknown: fail`` policy counts against the model).

**Monte Carlo.** Each draw

a. scores every applicable criterion without a score (unknown, or measured under another
   protocol) uniformly from the scores its rule can give: the distinct band scores and 0,
   the map's or bool's values, 0–5 in whole points for a manual criterion. The rubric's
   unknown policy applies to the headline only: in a draw every unknown *has* a score;
b. draws every computed figure that carries ``low`` and ``high`` in its inputs (the
   self-hosted roofline estimates) from a triangular distribution low / likely / high,
   and re-bands the criteria that read it; a figure computed in proportion to a drawn one
   (the carbon cost from the emissions estimate) moves with it;
c. draws the six layer weights from a Dirichlet distribution centred on the rubric's
   (concentration × normalised weights, so a larger concentration keeps them closer).

Red flags, gates and evidence minimums read facts, not scores, so they hold in every draw:
a blocked row has ``p_green`` 0 and says why. ``p_green`` is the share of draws whose total
reaches the green light; ``p_rank1`` the share in which the row has the highest total of
the ranked rows (ties go as ``rank`` orders them: pessimistic total, then key); the
total's 5th and 95th percentiles bound the middle 90 % of draws.

Draws are reproducible: the weights come from one stream of ``seed``; a row's own draws
from a stream of ``seed`` and its key, so they do not depend on the other rows of the
catalog. The same inputs and seed give byte-identical JSON.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from model_scorecard.errors import UserError
from model_scorecard.schema.rubric import LAYER_IDS, Criterion, Rubric
from model_scorecard.scoring.results import ModelResult, Report, jsonable

SENSITIVITY_SCHEMA_VERSION = 1
DEFAULT_DRAWS = 10_000
DEFAULT_CONCENTRATION = 50.0
MAX_DRAWS = 1_000_000
SCORE_STEP = 0.1     # criterion scores move on this grid
WEIGHT_STEP = 0.01   # layer weights move on this grid
MAX_SCORE = 5.0
# A computed figure (key) that is the value of another (value) times a constant of the workload.
PROPORTIONAL = {"carbon_eur_per_1k_tokens": "g_co2e_per_1k_tokens"}
_EPS = 1e-8  # in tenths: values this close below a rounding half count as the half (fp noise)


# -- results -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Flip:
    """The smallest single change that flips a verdict across the green light."""

    kind: str        # "criterion" | "layer" (its weight)
    id: str          # the criterion's or the layer's id
    from_: float     # the criterion's score, or the layer's weight, now
    to: float        # … after the change
    points: float    # how far the total moves (signed)
    distance: float  # what was minimised: |to − from| / 5 (criterion) or |to − from| / from (layer)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "from": self.from_, "to": self.to, "points": self.points,
                "distance": self.distance}


@dataclass(frozen=True)
class ModelSensitivity:
    key: str
    verdict: str
    total: float
    margin: float
    flip: Flip | None
    blocked_by: str | None   # what decides the verdict when the total does not (flip is then None)
    p_green: float           # 0 when blocked: blockers hold in every draw
    p_rank1: float | None    # None for rows that are not ranked (not-applicable)
    total_p05: float
    total_p95: float

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "verdict": self.verdict, "total": self.total, "margin": self.margin,
                "flip": self.flip.to_dict() if self.flip else None, "blocked_by": self.blocked_by,
                "p_green": self.p_green, "p_rank1": self.p_rank1, "total_p05": self.total_p05,
                "total_p95": self.total_p95}


@dataclass(frozen=True)
class SensitivityReport:
    """Per row of a report (same order): how robust its verdict is."""

    seed: int
    draws: int
    concentration: float
    green_light: float
    models: tuple[ModelSensitivity, ...]
    rubric_name: str = ""
    catalog_name: str | None = None
    workload_name: str = ""
    as_of: str = ""

    def model(self, key: str) -> ModelSensitivity:
        """The row named ``key``: a row key (``id@api``), or an entry id (its first row)."""
        for m in self.models:
            if m.key == key:
                return m
        for m in self.models:
            if m.key.split("@", 1)[0] == key:
                return m
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": SENSITIVITY_SCHEMA_VERSION,
            "tool": "model-scorecard",
            "evaluated_on": self.as_of,
            "catalog": self.catalog_name,
            "rubric": self.rubric_name,
            "workload": self.workload_name,
            "green_light": self.green_light,
            "seed": self.seed,
            "draws": self.draws,
            "concentration": self.concentration,
            "models": [m.to_dict() for m in self.models],
        })


# -- the one entry point ----------------------------------------------------------------------

def sensitivity(report: Report, rubric: Rubric, *, draws: int = DEFAULT_DRAWS, seed: int = 0,
                concentration: float = DEFAULT_CONCENTRATION) -> SensitivityReport:
    """Margin, flip distance and Monte Carlo odds of every row of ``report``, scored with ``rubric``."""
    import numpy as np

    _check(draws, seed, concentration)
    rules = _rules(report, rubric)
    thr = _tenths_threshold(report.green_light)
    weights = np.array([rubric.layers[lid].weight for lid in LAYER_IDS], dtype=float)  # type: ignore[index]
    shares = np.random.default_rng([seed, 0]).dirichlet(concentration * weights / weights.sum(), size=draws)
    shares = np.maximum(shares, np.finfo(float).tiny)  # a tiny concentration can underflow a share to 0

    ranked = [m for m in report.models if m.ranked]
    tiebreak = {id(m): i for i, m in enumerate(sorted(ranked, key=lambda m: (-m.pessimistic_total, m.key or m.id)))}
    n = len(ranked)
    best = np.full(draws, -1, dtype=np.int64)
    winner = np.full(draws, -1, dtype=np.int64)
    index = {id(m): i for i, m in enumerate(ranked)}

    rows: list[tuple[ModelResult, str | None, float, float, float]] = []
    for m in report.models:
        blocked = _blocker(m, rubric, rules)
        totals = _draw_totals(m, rules, report, shares, _row_rng(seed, m.key or m.id), np)
        p_green = 0.0 if blocked else float(np.count_nonzero(totals >= thr)) / draws
        low, high = np.percentile(totals, [5, 95]) / 10
        if m.ranked:
            composite = totals.astype(np.int64) * (n + 1) + (n - tiebreak[id(m)])
            better = composite > best
            best = np.where(better, composite, best)
            winner = np.where(better, index[id(m)], winner)
        rows.append((m, blocked, p_green, round(float(low), 2), round(float(high), 2)))
    wins = np.bincount(winner[winner >= 0], minlength=n) if n else np.zeros(0)
    out = []
    for m, blocked, p_green, low, high in rows:
        flip = None if blocked else _flip(m, rules, rubric, report.green_light, thr)
        p_rank1 = float(wins[index[id(m)]]) / draws if m.ranked else None
        out.append(ModelSensitivity(m.key or m.id, m.verdict, m.total, m.margin, flip, blocked, p_green, p_rank1,
                                    low, high))
    return SensitivityReport(seed, draws, float(concentration), report.green_light, tuple(out), report.rubric_name,
                             report.catalog_name, report.workload.name, report.as_of.isoformat())


def _check(draws: Any, seed: Any, concentration: Any) -> None:
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= MAX_DRAWS:
        raise UserError(f"draws must be a whole number from 1 to {MAX_DRAWS:,}, not {draws!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise UserError(f"the seed must be a whole number ≥ 0, not {seed!r}")
    if (isinstance(concentration, bool) or not isinstance(concentration, (int, float))
            or not math.isfinite(concentration) or concentration <= 0):
        raise UserError(f"the concentration must be a number > 0, not {concentration!r}",
                        hint="larger keeps the drawn layer weights closer to the rubric's (default 50)")


def _rules(report: Report, rubric: Rubric) -> dict[tuple[str, str], Criterion]:
    """The rubric's criteria by (layer, id); the report must have been scored with this rubric."""
    rules = {(lid, c.id): c for lid, c in rubric.criteria()}
    missing = sorted({f"{c.layer}.{c.id}" for m in report.models for c in m.criteria if (c.layer, c.id) not in rules})
    if missing or (report.rubric_name and report.rubric_name != rubric.name):
        raise UserError(f"the report was scored with rubric '{report.rubric_name}', not '{rubric.name}'"
                        + (f" (unknown criteria: {', '.join(missing[:5])})" if missing else ""),
                        hint="pass the rubric that scored the report")
    return rules


def _row_rng(seed: int, key: str) -> Any:
    import numpy as np

    digest = int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")
    return np.random.default_rng([seed, 1, digest])


# -- rounding, exactly as scoring does ------------------------------------------------------------

def _round(x: float, places: int = 1) -> float:
    return float(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _tenths_threshold(green_light: float) -> int:
    """The smallest total in tenths that is green: ``total ≥ green_light`` on the one-decimal grid."""
    return math.ceil(round(green_light * 10, 6))


def _tenths(x: Any, np: Any) -> Any:
    """Half-up rounding to whole tenths of a score, vectorised (``x`` in score points)."""
    return np.floor(np.asarray(x, dtype=float) * 10 + 0.5 + _EPS)


def _total(scores: list[tuple[float, float]]) -> float:
    """The headline total of (layer score, layer weight) pairs of the scored layers, as :mod:`.score` does."""
    weight = sum(w for _, w in scores) or 1.0
    return _round(sum(s * w for s, w in scores) * len(LAYER_IDS) / weight)


# -- what decides a verdict -----------------------------------------------------------------------

def _policy(c: Any, rules: dict[tuple[str, str], Criterion], rubric: Rubric) -> str:
    return rules[(c.layer, c.id)].unknown or rubric.unknown


def _blocker(m: ModelResult, rubric: Rubric, rules: dict[tuple[str, str], Criterion]) -> str | None:
    """What decides the verdict when the total does not (None: the total does)."""
    if m.verdict in ("not-applicable", "walk-away"):
        return m.verdict
    failed = [g for g in m.gates if g.passed is False]
    if failed:
        return f"gate:{failed[0].id}"
    if m.verdict == "insufficient-evidence":
        return m.verdict
    if m.verdict == "green-light":
        return None
    for c in m.criteria:
        if c.score is None and c.status not in ("not-applicable", "shown") and _policy(c, rules, rubric) == "fail":
            return f"unknown:{c.id}"
    if m.verdict == "not-green" and m.total < rubric.green_light:
        return None
    return m.verdict  # a step of the ladder this module does not know: the total does not decide


# -- flip distance --------------------------------------------------------------------------------

def _flip(m: ModelResult, rules: dict[tuple[str, str], Criterion], rubric: Rubric, green_light: float,
          thr: int) -> Flip | None:
    import numpy as np

    green = m.verdict == "green-light"
    layers = {lid: m.layers[lid] for lid in LAYER_IDS if m.layers[lid].score is not None}
    if not layers:
        return None
    # candidates: (distance, |points|, kind order, position, kind, id, from, to)
    found: list[tuple[float, float, int, int, str, str, float, float]] = []
    grid = np.arange(round(MAX_SCORE / SCORE_STEP) + 1) * SCORE_STEP
    position = 0
    for lid in LAYER_IDS:
        lr = m.layers[lid]
        mine = [c for c in m.criteria if c.layer == lid]
        if lid not in layers or lr.assessed_by is not None:
            position += len(mine)
            continue
        applicable = [c for c in mine if c.status not in ("not-applicable", "shown")]
        known = [c for c in applicable if c.score is not None]
        counted = sum(c.weight for c in known) + sum(c.weight for c in applicable
                                                     if c.score is None and _policy(c, rules, rubric) != "skip")
        known_sum = sum(c.score * c.weight for c in known)  # type: ignore[operator]
        others = [(layers[o].score, layers[o].weight) for o in layers if o != lid]
        other_sum = sum(s * w for s, w in others)  # type: ignore[operator]
        weight = sum(w for _, w in others) + lr.weight
        if not counted or _round(known_sum / counted) != lr.score:
            position += len(mine)
            continue  # the layer is not scored the way this module re-scores it: offer no criterion flip
        for c in mine:
            position += 1
            if c.score is None or c.status not in ("scored", "manual"):
                continue
            rest = known_sum - c.score * c.weight
            layer_t = _tenths((rest + c.weight * grid) / counted, np)
            total_t = np.floor((other_sum * 10 + layer_t * lr.weight) * len(LAYER_IDS) / weight + 0.5 + _EPS)
            flips = total_t < thr if green else total_t >= thr
            for k in np.flatnonzero(flips):
                to = round(float(grid[k]), 1)
                points = _round(float(total_t[k]) / 10 - m.total)
                found.append((round(abs(to - c.score) / MAX_SCORE, 9), abs(points), 0, position, "criterion",
                              c.id, c.score, to))
    for pos, lid in enumerate(LAYER_IDS):
        if lid in layers:
            to = _layer_weight_flip(lid, layers, green, green_light, thr)
            if to is not None:
                w = layers[lid].weight
                points = _round(_total([(lr.score, to if o == lid else lr.weight)  # type: ignore[misc]
                                        for o, lr in layers.items()]) - m.total)
                found.append((round(abs(to - w) / w, 9), abs(points), 1, pos, "layer", lid, w, to))
    for distance, _, _, _, kind, cid, before, to in sorted(found):
        if kind == "criterion":
            after = _rescore_criterion(m, cid, to, rules, rubric)
        else:
            after = _total([(lr.score, to if o == cid else lr.weight) for o, lr in layers.items()])  # type: ignore[misc]
        if (after >= green_light) != green:  # re-scored exactly: it really flips
            return Flip(kind, cid, before, to, _round(after - m.total), round(distance, 4))
    return None


def _layer_weight_flip(lid: str, layers: dict[str, Any], green: bool, green_light: float, thr: int) -> float | None:
    """The layer weight nearest the current one (on the 0.01 grid, > 0) that flips the verdict."""
    s = layers[lid].score
    a = sum(lr.score * lr.weight for o, lr in layers.items() if o != lid)
    b_w = sum(lr.weight for o, lr in layers.items() if o != lid)
    bound = (thr - 0.5) / 10  # a total at or above this rounds to the green light
    slope = len(LAYER_IDS) * s - bound
    if not b_w or slope == 0:
        return None
    w_star = (bound * b_w - len(LAYER_IDS) * a) / slope  # T(w*) = bound; T − bound has the sign of slope·(w − w*)
    if w_star <= 0:
        return None
    below = (slope > 0) == green  # the flip lies below w* (else above it)
    k = math.floor(w_star / WEIGHT_STEP + 1e-9) if below else math.ceil(w_star / WEIGHT_STEP - 1e-9)
    for _ in range(4):  # step away from w* until the exact re-score flips (strict bounds, fp noise)
        if k < 1:
            return None
        to = round(k * WEIGHT_STEP, 2)
        total = _total([(lr.score, to if o == lid else lr.weight) for o, lr in layers.items()])
        if (total >= green_light) != green:
            return to
        k += -1 if below else 1
    return None


def _rescore_criterion(m: ModelResult, cid: str, to: float, rules: dict[tuple[str, str], Criterion],
                       rubric: Rubric) -> float:
    """The headline total with criterion ``cid`` scored ``to``, re-scored as :mod:`.score` does."""
    scores = []
    for lid in LAYER_IDS:
        lr = m.layers[lid]
        if lr.score is None:
            continue
        mine = [c for c in m.criteria if c.layer == lid]
        if lr.assessed_by is None and any(c.id == cid for c in mine):
            known_sum = counted = 0.0
            for c in mine:
                if c.status in ("not-applicable", "shown"):
                    continue
                score = to if c.id == cid else c.score
                if score is None:
                    if _policy(c, rules, rubric) != "skip":
                        counted += c.weight
                else:
                    known_sum += score * c.weight
                    counted += c.weight
            scores.append((_round(known_sum / counted if counted else 0.0), lr.weight))
        else:
            scores.append((lr.score, lr.weight))
    return _total(scores)


# -- Monte Carlo ----------------------------------------------------------------------------------

def _choices(rule: Criterion) -> tuple[float, ...]:
    """The scores an unknown criterion may turn out to have."""
    if rule.bands is not None:
        return tuple(sorted({float(s) for _, s in rule.bands} | {0.0}))
    if rule.map is not None:
        return tuple(sorted({float(s) for s in rule.map.values()}))
    if rule.bool_ is not None:
        return tuple(sorted({float(s) for s in rule.bool_.values()}))
    return tuple(float(s) for s in range(int(MAX_SCORE) + 1))  # manual: whole points


def _triangular(c: Any, rng: Any, draws: int) -> Any | None:
    """Draws of a computed figure with low/likely/high, or None when it has no range."""
    low, high, likely = c.inputs.get("low"), c.inputs.get("high"), c.value
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (low, high, likely)):
        return None
    left, right = min(low, high, likely), max(low, high, likely)
    if left == right:
        return None
    return rng.triangular(left, likely, right, size=draws)


def _figures(m: ModelResult, rng: Any, draws: int) -> dict[str, Any]:
    """Drawn computed figures of one row, by name (only those with a range, or in proportion to one)."""
    out: dict[str, Any] = {}
    for name, c in m.computed.items():
        if name not in PROPORTIONAL:
            drawn = _triangular(c, rng, draws)
            if drawn is not None:
                out[name] = drawn
    for name, base in PROPORTIONAL.items():
        c, b = m.computed.get(name), m.computed.get(base)
        if (c is not None and base in out and b is not None and isinstance(c.value, (int, float))
                and b.value and c.inputs.get(base) == b.value):
            out[name] = c.value * (out[base] / b.value)
    return out


def _bands(values: Any, rule: Criterion, scale: float, np: Any) -> Any:
    """Band scores of an array of values (first band met, best first; 0 outside every band)."""
    assert rule.bands is not None
    out = np.zeros_like(values)
    for threshold, score in reversed(rule.bands):
        limit = threshold * scale
        met = values >= limit if rule.better == "higher" else values <= limit
        out = np.where(met, float(score), out)
    return out


def _draw_totals(m: ModelResult, rules: dict[tuple[str, str], Criterion], report: Report, shares: Any, rng: Any,
                 np: Any) -> Any:
    """The row's total in each draw, in whole tenths (int64 array)."""
    draws = shares.shape[0]
    figures: dict[str, Any] | None = None
    numerator: Any = 0.0
    denominator: Any = 0.0
    for i, lid in enumerate(LAYER_IDS):
        lr = m.layers[lid]
        if lr.score is None:
            continue
        if lr.assessed_by is not None:
            layer_t: Any = _tenths(lr.score, np)
        else:
            weighted: Any = 0.0
            weight = 0.0
            for c in m.criteria:
                if c.layer != lid or c.status in ("not-applicable", "shown"):
                    continue
                rule = rules[(lid, c.id)]
                score: Any = c.score
                if score is None:
                    choices = _choices(rule)
                    score = (np.asarray(choices)[rng.integers(0, len(choices), size=draws)] if len(choices) > 1
                             else choices[0])
                elif c.computed and (c.field or "").startswith("computed.") and rule.bands is not None:
                    if figures is None:
                        figures = _figures(m, rng, draws)
                    drawn = figures.get(c.field.split(".", 1)[1])  # type: ignore[union-attr]
                    if drawn is not None:
                        scale = float(getattr(report.workload, rule.relative_to)) if rule.relative_to else 1.0
                        score = _bands(drawn, rule, scale, np)
                weighted = weighted + score * c.weight
                weight += c.weight
            layer_t = _tenths(weighted / weight, np) if weight else _tenths(0.0, np)
        numerator = numerator + layer_t * shares[:, i]
        denominator = denominator + shares[:, i]
    if isinstance(denominator, float):  # no layer applies
        return np.zeros(draws, dtype=np.int64)
    return np.floor(numerator * len(LAYER_IDS) / denominator + 0.5 + _EPS).astype(np.int64)
