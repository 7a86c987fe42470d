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
from typing import Any

from .catalog import Catalog, ModelEntry, Workload
from .enrich import enrich
from .fields import Computed, Evidence, lookup
from .results import CriterionResult, FlagResult, LayerResult, ModelResult, Report
from .rubric import LAYER_IDS, LAYER_TITLES, Condition, Criterion, Rubric


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


class _Context:
    """What every criterion of one model needs: entry, computed values, workload, date."""

    def __init__(self, entry: ModelEntry, computed: dict[str, Computed], workload: Workload, as_of: date):
        self.entry, self.computed, self.workload, self.as_of = entry, computed, workload, as_of
        self.assessments = {}
        for a in sorted(entry.assessments, key=lambda a: a.date):  # the latest assessment wins
            self.assessments[("criterion", a.criterion) if a.criterion else ("layer", a.layer)] = a

    def evidence(self, paths: list[str]) -> Evidence | None:
        for path in paths:
            ev = lookup(self.entry, self.computed, path)
            if ev is not None:
                return ev
        return None


def _result(c: Criterion, layer: str, status: str, score: float | None, reason: str,
            ev: Evidence | None = None) -> CriterionResult:
    return CriterionResult(c.id, layer, c.title, status, score, c.weight, reason,
                           field=ev.field if ev else c.field, value=ev.value if ev else None,
                           source=ev.source if ev else None, as_of=ev.as_of if ev else None,
                           computed=ev.computed if ev else False)


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


def score_criterion(c: Criterion, layer: str, ctx: _Context) -> CriterionResult:
    entry = ctx.entry
    if c.kinds and entry.kind not in c.kinds:
        return _result(c, layer, "not-applicable", None, f"applies to {', '.join(c.kinds)} models, not {entry.kind}")
    if c.access and not set(c.access) & set(entry.access):
        return _result(c, layer, "not-applicable", None, f"applies to {' or '.join(c.access)} access only")
    scale, unit_label = 1.0, ""
    if c.relative_to:
        budget = getattr(ctx.workload, c.relative_to)
        if budget is None:
            return _result(c, layer, "not-applicable", None, f"workload '{ctx.workload.name}' sets no {c.relative_to}")
        scale, unit_label = float(budget), f" (= {c.relative_to} {budget:g} × band)"
    assessed = ctx.assessments.get(("criterion", c.id))
    if assessed is not None:
        reason = f"assessed {assessed.score:g} by {assessed.reviewer} on {assessed.date.isoformat()}: {assessed.reason}"
        return CriterionResult(c.id, layer, c.title, "manual", assessed.score, c.weight, reason,
                               field=None, value=assessed.score, source=assessed.reviewer,
                               as_of=assessed.date.isoformat())
    if c.manual:
        return _result(c, layer, "unknown", None,
                       f"needs a reviewer's assessment (catalog: assessments: - criterion: {c.id})")
    paths = [p for p in (c.field, *c.fallbacks) if p]
    ev = ctx.evidence(paths)
    if ev is None:
        tried = f" (also tried {', '.join(paths[1:])})" if len(paths) > 1 else ""
        return _result(c, layer, "unknown", None, f"no evidence{tried}")
    value = ev.value
    if c.bands is not None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return _result(c, layer, "unknown", None, f"{ev.field} = {_fmt(value)} is not a number", ev)
        score, why = _band_score(c, float(value), scale, unit_label)
        return _result(c, layer, "scored", score, why, ev)
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
    policies = {c.id: c.unknown or rubric.unknown for c in layer.criteria}
    applicable = [r for r in results if r.status != "not-applicable"]
    failed = any(r.status == "unknown" and policies[r.id] == "fail" for r in applicable)
    title = layer.title or LAYER_TITLES[lid]
    assessed = ctx.assessments.get(("layer", lid))
    if assessed is not None:
        return LayerResult(lid, title, assessed.score, assessed.score, 1.0, layer.weight,
                           f"{assessed.reviewer} on {assessed.date.isoformat()}: {assessed.reason}"), False
    if not applicable:
        return LayerResult(lid, title, None, None, 0.0, layer.weight), False
    all_weight = sum(r.weight for r in applicable)
    known = [r for r in applicable if r.score is not None]
    known_sum = sum(r.score * r.weight for r in known)  # type: ignore[operator]
    known_weight = sum(r.weight for r in known)
    counted = known_weight + sum(r.weight for r in applicable if r.score is None and policies[r.id] != "skip")
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

def score_model(entry: ModelEntry, rubric: Rubric, workload: Workload, as_of: date) -> ModelResult:
    computed = enrich(entry, workload, as_of)
    ctx = _Context(entry, computed, workload, as_of)
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
    results = [score_model(entry, rubric, workload, day) for entry in catalog.models]
    results.sort(key=lambda m: (-m.total, -m.pessimistic_total, m.id))
    return Report(rubric.name, rubric.green_light, rubric.walk_away_flags, rubric.unknown, workload, day,
                  tuple(results), catalog.name)
