"""Scoring: criteria → layer scores (0–5) → total (0–30) → verdict, with every reason kept.

Unknown evidence follows the rubric's policy (a criterion may override it):

- ``zero``: an unknown criterion scores 0.
- ``skip``: it drops out of its layer's average, so the layer rests on what is known. A
  layer with no evidence at all scores 0: skipping whole layers would let a model with
  one benchmark reach a green light.
- ``fail``: it scores 0 and the model cannot be green-lit.

Whatever the policy, ``pessimistic_total`` scores every unknown as 0 and ``confidence``
is the share of the rubric's weight backed by evidence, so no verdict silently rests on
an imputed value. Red flags are a veto, never folded into the total.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from .catalog import Catalog, ModelEntry, Workload
from .enrich import enrich
from .fields import Computed, Evidence, getter, lookup
from .results import CriterionInfo, CriterionResult, FlagResult, LayerResult, ModelResult, Report
from .rubric import LAYER_IDS, LAYER_TITLES, Condition, Criterion, Rubric


@lru_cache(maxsize=1 << 16)  # scores repeat: a 10,000-model catalog rounds few distinct values
def _round(x: float, places: int = 1) -> float:
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _Plan:
    """What scoring derives from the rubric alone, worked out once per catalog, not per model."""

    def __init__(self, rubric: Rubric):
        self.rubric = rubric
        self.paths = {c.id: [p for p in (c.field, *c.fallbacks) if p]
                      for layer in rubric.layers.values() for c in layer.criteria}
        self.policies = {lid: {c.id: c.unknown or rubric.unknown for c in layer.criteria}
                         for lid, layer in rubric.layers.items()}
        self.titles = {lid: layer.title or LAYER_TITLES[lid] for lid, layer in rubric.layers.items()}
        # memos filled while scoring (a plan serves one rubric and one workload)
        self.applicability: dict[tuple[str, str, tuple[str, ...]], CriterionResult | tuple[float, str]] = {}
        self.bands: dict[tuple[str, Any, float], tuple[float, str]] = {}
        self.unknown: dict[str, CriterionResult] = {}  # "no evidence" is the same result for every model


class _Context:
    """What every criterion of one model needs: entry, computed values, workload, date."""

    def __init__(self, entry: ModelEntry, computed: dict[str, Computed], workload: Workload, as_of: date,
                 plan: _Plan):
        self.entry, self.computed, self.workload, self.as_of, self.plan = entry, computed, workload, as_of, plan
        self.assessments = {}
        for a in sorted(entry.assessments, key=lambda a: a.date):  # the latest assessment wins
            self.assessments[("criterion", a.criterion) if a.criterion else ("layer", a.layer)] = a

    def evidence(self, paths: list[str]) -> Evidence | None:
        entry, computed = self.entry, self.computed
        for path in paths:
            ev = getter(path)(entry, computed)
            if ev is not None:
                return ev
        return None


def _result(c: Criterion, layer: str, status: str, score: float | None, reason: str,
            ev: Evidence | None = None) -> CriterionResult:
    if ev is None:
        return CriterionResult(c.id, layer, c.title, status, score, c.weight, reason, c.field)
    return CriterionResult(c.id, layer, c.title, status, score, c.weight, reason,
                           ev.field, ev.value, ev.source, ev.as_of, ev.computed)


def _band_score(c: Criterion, value: float, scale: float, unit_label: str) -> tuple[float, str]:
    assert c.bands is not None
    higher = c.better == "higher"
    for threshold, score in c.bands:
        limit = threshold * scale
        if (value >= limit) if higher else (value <= limit):
            op = "≥" if higher else "≤"
            return score, f"{_fmt(value)} {op} {_fmt(limit)}{unit_label} → {score:g}"
    worst = c.bands[-1][0] * scale
    op = "<" if higher else ">"
    return 0.0, f"{_fmt(value)} {op} {_fmt(worst)}{unit_label}, outside every band → 0"


def _applicability(c: Criterion, layer: str, ctx: _Context) -> CriterionResult | tuple[float, str]:
    """A not-applicable result, or the band scale and its label: depends on kind, access and workload only."""
    entry = ctx.entry
    if c.kinds and entry.kind not in c.kinds:
        return _result(c, layer, "not-applicable", None, f"applies to {', '.join(c.kinds)} models, not {entry.kind}")
    if c.access and not set(c.access) & set(entry.access):
        return _result(c, layer, "not-applicable", None, f"applies to {' or '.join(c.access)} access only")
    if c.relative_to:
        budget = getattr(ctx.workload, c.relative_to)
        if budget is None:
            return _result(c, layer, "not-applicable", None, f"workload '{ctx.workload.name}' sets no {c.relative_to}")
        return float(budget), f" (= {c.relative_to} {budget:g} × band)"
    return 1.0, ""


def score_criterion(c: Criterion, layer: str, ctx: _Context) -> CriterionResult:
    # Results that depend only on the model's kind and access are shared, not rebuilt per model.
    key = (c.id, ctx.entry.kind, ctx.entry.access)
    applies = ctx.plan.applicability.get(key)
    if applies is None:
        applies = ctx.plan.applicability[key] = _applicability(c, layer, ctx)
    if isinstance(applies, CriterionResult):
        return applies
    scale, unit_label = applies
    assessed = ctx.assessments.get(("criterion", c.id))
    if assessed is not None:
        reason = f"assessed {assessed.score:g} by {assessed.reviewer} on {assessed.date.isoformat()}: {assessed.reason}"
        return CriterionResult(c.id, layer, c.title, "manual", assessed.score, c.weight, reason,
                               field=None, value=assessed.score, source=assessed.reviewer,
                               as_of=assessed.date.isoformat())
    plan = ctx.plan
    if c.manual:
        shared = plan.unknown.get(c.id)
        if shared is None:
            shared = plan.unknown[c.id] = _result(
                c, layer, "unknown", None, f"needs a reviewer's assessment (catalog: assessments: - criterion: {c.id})")
        return shared
    paths = plan.paths[c.id]
    ev = ctx.evidence(paths)
    if ev is None:
        shared = plan.unknown.get(c.id)
        if shared is None:
            tried = f" (also tried {', '.join(paths[1:])})" if len(paths) > 1 else ""
            shared = plan.unknown[c.id] = _result(c, layer, "unknown", None, f"no evidence{tried}")
        return shared
    value = ev.value
    if c.bands is not None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return _result(c, layer, "unknown", None, f"{ev.field} = {_fmt(value)} is not a number", ev)
        memo = ctx.plan.bands
        band_key = (c.id, value, scale)
        scored = memo.get(band_key)
        if scored is None:
            scored = memo[band_key] = _band_score(c, float(value), scale, unit_label)
        return _result(c, layer, "scored", scored[0], scored[1], ev)
    if c.bool_ is not None:
        if not isinstance(value, bool):
            return _result(c, layer, "unknown", None, f"{ev.field} = {_fmt(value)} is not true/false", ev)
        score = c.bool_[value]
        return _result(c, layer, "scored", score, f"{_fmt(value)} → {score:g}", ev)
    assert c.map is not None
    if value not in c.map:
        return _result(c, layer, "unknown", None,
                       f"{_fmt(value)} is not in the rubric's map ({', '.join(_fmt(k) for k in c.map)})", ev)
    return _result(c, layer, "scored", c.map[value], f"{_fmt(value)} → {c.map[value]:g}", ev)


def _layer(rubric: Rubric, lid: str, results: list[CriterionResult], ctx: _Context) -> tuple[LayerResult, bool]:
    """Layer score under the unknown policy; also whether a `fail` criterion lacked evidence."""
    layer = rubric.layers[lid]  # type: ignore[index]
    plan = ctx.plan
    policies = plan.policies[lid]
    title = plan.titles[lid]
    assessed = ctx.assessments.get(("layer", lid))
    if assessed is not None:
        return LayerResult(lid, title, assessed.score, assessed.score, 1.0, layer.weight,
                           f"{assessed.reviewer} on {assessed.date.isoformat()}: {assessed.reason}"), False
    # one pass: weight of applicable criteria, of known ones, of unknowns that count as 0
    all_weight = known_weight = known_sum = unknown_counted = 0.0
    failed = False
    for r in results:
        status = r.status
        if status == "not-applicable":
            continue
        all_weight += r.weight
        if r.score is not None:
            known_weight += r.weight
            known_sum += r.score * r.weight
        else:
            policy = policies[r.id]
            if policy != "skip":
                unknown_counted += r.weight
            failed = failed or (status == "unknown" and policy == "fail")
    if not all_weight:
        return LayerResult(lid, title, None, None, 0.0, layer.weight), False
    counted = known_weight + unknown_counted
    main = known_sum / counted if counted else 0.0
    return LayerResult(lid, title, _round(main), _round(known_sum / all_weight), _round(known_weight / all_weight, 2),
                       layer.weight), failed


# -- red flags ------------------------------------------------------------------------------

def _region(code: str) -> str:
    return code.strip().upper().split("-")[0]


def _condition(cond: Condition, ctx: _Context) -> str | None:
    """Why the condition holds, or None when it does not (or the fact is unknown)."""
    ev = lookup(ctx.entry, ctx.computed, cond.field)
    if ev is None:
        return None
    v, op = ev.value, cond.operator
    if op == "equals":
        return f"{cond.field} is {_fmt(v)}" if v == cond.equals and type(v) is type(cond.equals) else None
    if op == "in":
        return f"{cond.field} is {_fmt(v)}" if v in (cond.in_ or []) else None
    if op in ("gt", "lt") and isinstance(v, (int, float)) and not isinstance(v, bool):
        limit = cond.gt if op == "gt" else cond.lt
        assert limit is not None
        holds = v > limit if op == "gt" else v < limit
        return f"{cond.field} = {_fmt(v)} {'>' if op == 'gt' else '<'} {_fmt(limit)}" if holds else None
    if op == "on_or_before" and isinstance(v, date):
        limit = ctx.as_of if cond.on_or_before == "evaluation_date" else cond.on_or_before
        return f"{cond.field} {v.isoformat()} is on or before {_fmt(limit)}" if v <= limit else None  # type: ignore[operator]
    if op == "missing_any_of" and isinstance(v, (list, tuple)):
        missing = [x for x in ctx.workload.languages if x not in v]
        return (f"no evaluation in {', '.join(missing)} (evaluated: {', '.join(v)})") if missing else None
    if op == "outside" and isinstance(v, str) and ctx.workload.jurisdiction:
        if _region(v) != _region(ctx.workload.jurisdiction):
            return f"{cond.field} is {v}, outside the workload's jurisdiction {ctx.workload.jurisdiction}"
    return None


def red_flags(rubric: Rubric, ctx: _Context) -> tuple[FlagResult, ...]:
    flags: dict[str, FlagResult] = {}
    for asserted in ctx.entry.red_flags:
        rule = rubric.red_flags.get(asserted.id)
        title = asserted.title or (rule.title if rule else asserted.id)
        flags[asserted.id] = FlagResult(asserted.id, title, asserted.reason, False, None,
                                        asserted.source or ctx.entry.source)
    for fid, rule in rubric.red_flags.items():
        if fid in flags:
            continue
        for cond in rule.when:
            why = _condition(cond, ctx)
            if why:
                ev = lookup(ctx.entry, ctx.computed, cond.field)
                flags[fid] = FlagResult(fid, rule.title, why, True, cond.field, ev.source if ev else None)
                break
    return tuple(flags[k] for k in sorted(flags))


# -- one model, a whole catalog ----------------------------------------------------------------

def score_model(entry: ModelEntry, rubric: Rubric, workload: Workload, as_of: date,
                _plan: _Plan | None = None) -> ModelResult:
    computed = enrich(entry, workload, as_of)
    ctx = _Context(entry, computed, workload, as_of, _plan or _Plan(rubric))
    criteria: list[CriterionResult] = []
    layers: dict[str, LayerResult] = {}
    failed_unknown = False
    for lid in LAYER_IDS:
        results = [score_criterion(c, lid, ctx) for c in rubric.layers[lid].criteria]  # type: ignore[index]
        layers[lid], failed = _layer(rubric, lid, results, ctx)
        failed_unknown |= failed
        criteria.extend(results)
    scored = [lr for lr in layers.values() if lr.score is not None]
    weight = sum(lr.weight for lr in scored) or 1.0
    factor = len(LAYER_IDS) / weight
    total = _round(sum(lr.score * lr.weight for lr in scored) * factor)  # type: ignore[operator]
    pessimistic = _round(sum(lr.pessimistic * lr.weight for lr in scored) * factor)  # type: ignore[operator]
    confidence = _round(sum(lr.evidence_share * lr.weight for lr in scored) / weight, 2)
    flags = red_flags(rubric, ctx)
    margin = _round(total - rubric.green_light)
    reasons: list[str] = []
    if len(flags) >= rubric.walk_away_flags:
        verdict = "walk-away"
        reasons.append(f"{len(flags)} red flags (walk away at {rubric.walk_away_flags}): "
                       + "; ".join(f.title for f in flags))
    elif total >= rubric.green_light and not failed_unknown:
        verdict = "green-light"
        reasons.append(f"total {total:g} ≥ {rubric.green_light:g}")
    else:
        verdict = "not-green"
        if total < rubric.green_light:
            reasons.append(f"total {total:g} is {abs(margin):g} below the green light ({rubric.green_light:g})")
        if failed_unknown:
            missing = [c.id for c in criteria if c.status == "unknown"]
            reasons.append("unknown evidence fails the rubric (unknown: fail): " + ", ".join(missing))
    if flags and verdict != "walk-away":
        reasons.append("red flag: " + "; ".join(f"{f.title} ({f.reason})" for f in flags))
    weak = [f"{layers[lid].title} {layers[lid].score:g}" for lid in LAYER_IDS
            if layers[lid].score is not None and layers[lid].score < 3]  # type: ignore[operator]
    if weak and verdict != "green-light":
        reasons.append("weak layers: " + ", ".join(weak))
    unknown = sum(1 for c in criteria if c.status == "unknown")
    if unknown:
        applicable = sum(1 for c in criteria if c.status != "not-applicable")
        reasons.append(f"{unknown} of {applicable} criteria lack evidence (confidence {confidence:.2f}; "
                       f"pessimistic total {pessimistic:g})")
    return ModelResult(entry.id, entry.name, entry.vendor, entry.kind, entry.access, verdict, total, pessimistic,
                       confidence, margin, layers, flags, tuple(criteria), tuple(reasons), computed)


def evaluate(catalog: Catalog, rubric: Rubric, workload: Workload | None = None,
             as_of: date | None = None) -> Report:
    """Score every model of ``catalog`` with ``rubric`` for ``workload`` on ``as_of`` (default today).

    Inputs are never mutated: the report holds new objects only.
    """
    if workload is None:
        from .loading import load_workload

        workload = load_workload(rubric.default_workload)
    day = as_of or date.today()
    plan = _Plan(rubric)
    results = [score_model(entry, rubric, workload, day, plan) for entry in catalog.models]
    results.sort(key=lambda m: (-m.total, -m.pessimistic_total, m.id))
    info = tuple(CriterionInfo(c.id, lid, c.title, c.weight, c.field)
                 for lid in LAYER_IDS for c in rubric.layers[lid].criteria)  # type: ignore[index]
    return Report(rubric.name, rubric.green_light, rubric.walk_away_flags, rubric.unknown, workload, day,
                  tuple(results), catalog.name, info)
