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

from ..catalog import Catalog, ModelEntry, Workload
from .computed import Enricher
from ..fields import Computed, reader
from .results import CriterionInfo, CriterionResult, FlagResult, LayerResult, ModelResult, Report
from ..rubric import LAYER_IDS, LAYER_TITLES, Condition, Criterion, Rubric


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
    """What scoring derives from the rubric and workload alone, worked out once per catalog.

    A model's kind and access decide which criteria apply (and a band's scale); each
    distinct pair gets a :class:`_Shape` listing, per layer, the shared not-applicable
    results and how to score the rest. Memos filled while scoring share the results that
    cannot differ between models (no evidence, a band's score and reason, a layer's scores).
    """

    def __init__(self, rubric: Rubric, workload: Workload, as_of: date):
        self.rubric, self.workload, self.as_of = rubric, workload, as_of
        self.paths = {c.id: [p for p in (c.field, *c.fallbacks) if p]
                      for layer in rubric.layers.values() for c in layer.criteria}
        self.policies = {lid: {c.id: c.unknown or rubric.unknown for c in layer.criteria}
                         for lid, layer in rubric.layers.items()}
        self.titles = {lid: layer.title or LAYER_TITLES[lid] for lid, layer in rubric.layers.items()}
        self.shapes: dict[tuple[str, tuple[str, ...]], _Shape] = {}
        self.bands: dict[tuple[str, Any, float], tuple[float, str]] = {}
        self.choices: dict[tuple[str, Any], tuple[float, str, Any]] = {}  # bool and map scores
        self.unknown: dict[str, CriterionResult] = {}  # "no evidence" is the same result for every model
        self.layers: dict[tuple[Any, ...], LayerResult] = {}
        self.totals: dict[tuple[int, ...], tuple[float, float, float]] = {}
        self.flag_rules = [(fid, rule.title, [(cond, reader(cond.field), cond.operator) for cond in rule.when])
                           for fid, rule in rubric.red_flags.items()]
        self.enricher = Enricher(workload, as_of)

    def shape(self, kind: str, access: tuple[str, ...]) -> "_Shape":
        shape = self.shapes.get((kind, access))
        if shape is None:
            shape = self.shapes[(kind, access)] = _Shape(self, kind, access)
        return shape

    def unknown_result(self, c: Criterion, layer: str) -> CriterionResult:
        shared = self.unknown.get(c.id)
        if shared is None:
            if c.manual:
                reason = f"needs a reviewer's assessment (catalog: assessments: - criterion: {c.id})"
            else:
                paths = self.paths[c.id]
                reason = "no evidence" + (f" (also tried {', '.join(paths[1:])})" if len(paths) > 1 else "")
            shared = self.unknown[c.id] = _result(c, layer, "unknown", None, reason)
        return shared


_NOT_APPLICABLE, _BANDS, _BOOL, _MAP, _MANUAL = range(5)
_HASHABLE = (str, bool, int, float)  # values whose `bool`/`map` score the plan memoises


class _Shape:
    """The rubric as it applies to models of one kind and access: per layer, each criterion
    as a shared not-applicable result or as what scoring needs (readers, band scale)."""

    def __init__(self, plan: _Plan, kind: str, access: tuple[str, ...]):
        self.layers: list[tuple[str, str, float, list[tuple[Any, ...]], float]] = []
        self.applicable = 0
        for lid in LAYER_IDS:
            layer = plan.rubric.layers[lid]  # type: ignore[index]
            items: list[tuple[Any, ...]] = []
            all_weight = 0.0
            for c in layer.criteria:
                applies = _applicability(c, lid, kind, access, plan.workload)
                if isinstance(applies, CriterionResult):
                    items.append((_NOT_APPLICABLE, applies))
                    continue
                self.applicable += 1
                all_weight += c.weight
                code = (_MANUAL if c.manual else _BANDS if c.bands is not None
                        else _BOOL if c.bool_ is not None else _MAP)
                readers = tuple((p, reader(p)) for p in plan.paths[c.id])
                single = readers[0] if len(readers) == 1 else (None, None)
                # a tuple, indexed in score_model's inner loop: 0 code, 1 criterion, 2 (path, reader)
                # pairs, 3 band scale, 4 its label, 5 unknown policy, 6 the shared "no evidence"
                # result, 7 the reader and 8 the path when there are no fallbacks, 9 weight
                items.append((code, c, readers, applies[0], applies[1], plan.policies[lid][c.id],
                              plan.unknown_result(c, lid), single[1], single[0], c.weight))
            self.layers.append((lid, plan.titles[lid], layer.weight, items, all_weight))


def _result(c: Criterion, layer: str, status: str, score: float | None, reason: str) -> CriterionResult:
    return CriterionResult(c.id, layer, c.title, status, score, c.weight, reason, c.field)


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


def _applicability(c: Criterion, layer: str, kind: str, access: tuple[str, ...],
                   workload: Workload) -> CriterionResult | tuple[float, str]:
    """A not-applicable result, or the band scale and its label: depends on kind, access and workload only."""
    if c.kinds and kind not in c.kinds:
        return _result(c, layer, "not-applicable", None, f"applies to {', '.join(c.kinds)} models, not {kind}")
    if c.access and not set(c.access) & set(access):
        return _result(c, layer, "not-applicable", None, f"applies to {' or '.join(c.access)} access only")
    if c.relative_to:
        budget = getattr(workload, c.relative_to)
        if budget is None:
            return _result(c, layer, "not-applicable", None, f"workload '{workload.name}' sets no {c.relative_to}")
        return float(budget), f" (= {c.relative_to} {budget:g} × band)"
    return 1.0, ""


def _score(item: tuple[Any, ...], lid: str, entry: ModelEntry, computed: dict[str, Computed],
           assessments: dict[tuple[str, Any], Any], plan: _Plan) -> CriterionResult:
    """One applicable criterion of one model (``item`` comes from its :class:`_Shape`)."""
    code, c, readers, scale, unit_label = item[:5]
    if assessments:
        assessed = assessments.get(("criterion", c.id))
        if assessed is not None:
            reason = (f"assessed {assessed.score:g} by {assessed.reviewer} on {assessed.date.isoformat()}: "
                      f"{assessed.reason}")
            return CriterionResult(c.id, lid, c.title, "manual", assessed.score, c.weight, reason,
                                   field=None, value=assessed.score, source=assessed.reviewer,
                                   as_of=assessed.date.isoformat())
    if code == _MANUAL:
        return plan.unknown_result(c, lid)
    for path, read in readers:
        found = read(entry, computed)
        if found is not None:
            break
    else:
        return plan.unknown_result(c, lid)
    value, source, as_of, is_computed = found
    if code == _BANDS:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return CriterionResult(c.id, lid, c.title, "unknown", None, c.weight,
                                   f"{path} = {_fmt(value)} is not a number", path, value, source, as_of, is_computed)
        memo = plan.bands
        key = (c.id, value, scale)
        scored = memo.get(key)
        if scored is None:
            scored = memo[key] = _band_score(c, float(value), scale, unit_label)
        return CriterionResult(c.id, lid, c.title, "scored", scored[0], c.weight, scored[1],
                               path, value, source, as_of, is_computed)
    if code == _BOOL:
        if not isinstance(value, bool):
            return CriterionResult(c.id, lid, c.title, "unknown", None, c.weight,
                                   f"{path} = {_fmt(value)} is not true/false", path, value, source, as_of,
                                   is_computed)
        key = (c.id, value)
        chosen = plan.choices.get(key)
        if chosen is None:
            score = c.bool_[value]  # type: ignore[index]
            chosen = plan.choices[key] = (score, f"{_fmt(value)} → {score:g}", value)
        return CriterionResult(c.id, lid, c.title, "scored", chosen[0], c.weight, chosen[1],
                               path, value, source, as_of, is_computed)
    assert c.map is not None
    if value not in c.map:
        return CriterionResult(c.id, lid, c.title, "unknown", None, c.weight,
                               f"{_fmt(value)} is not in the rubric's map ({', '.join(_fmt(k) for k in c.map)})",
                               path, value, source, as_of, is_computed)
    key = (c.id, value)
    chosen = plan.choices.get(key)
    if chosen is None or type(value) is not type(chosen[2]):
        score = c.map[value]
        chosen = plan.choices[key] = (score, f"{_fmt(value)} → {score:g}", value)
    return CriterionResult(c.id, lid, c.title, "scored", chosen[0], c.weight, chosen[1],
                           path, value, source, as_of, is_computed)


# -- red flags ------------------------------------------------------------------------------

def _region(code: str) -> str:
    return code.strip().upper().split("-")[0]


def _holds(cond: Condition, op: str, v: Any, workload: Workload, as_of: date) -> str | None:
    """Why the condition holds for the value ``v`` of its field, or None when it does not."""
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
        limit = as_of if cond.on_or_before == "evaluation_date" else cond.on_or_before
        return f"{cond.field} {v.isoformat()} is on or before {_fmt(limit)}" if v <= limit else None  # type: ignore[operator]
    if op == "missing_any_of" and isinstance(v, (list, tuple)):
        missing = [x for x in workload.languages if x not in v]
        return (f"no evaluation in {', '.join(missing)} (evaluated: {', '.join(v)})") if missing else None
    if op == "outside" and isinstance(v, str) and workload.jurisdiction:
        if _region(v) != _region(workload.jurisdiction):
            return f"{cond.field} is {v}, outside the workload's jurisdiction {workload.jurisdiction}"
    return None


def _red_flags(rubric: Rubric, plan: _Plan, entry: ModelEntry, computed: dict[str, Computed]) -> tuple[FlagResult, ...]:
    flags: dict[str, FlagResult] = {}
    for asserted in entry.red_flags:
        rule = rubric.red_flags.get(asserted.id)
        title = asserted.title or (rule.title if rule else asserted.id)
        flags[asserted.id] = FlagResult(asserted.id, title, asserted.reason, False, None,
                                        asserted.source or entry.source)
    workload, as_of = plan.workload, plan.as_of
    for fid, title, conditions in plan.flag_rules:
        if fid in flags:
            continue
        for cond, read, op in conditions:
            found = read(entry, computed)
            if found is None:
                continue
            why = _holds(cond, op, found[0], workload, as_of)
            if why:
                flags[fid] = FlagResult(fid, title, why, True, cond.field, found[1])
                break
    if len(flags) < 2:
        return tuple(flags.values())
    return tuple(flags[k] for k in sorted(flags))


# -- one model, a whole catalog ----------------------------------------------------------------

def score_model(entry: ModelEntry, rubric: Rubric, workload: Workload, as_of: date,
                _plan: _Plan | None = None) -> ModelResult:
    plan = _plan or _Plan(rubric, workload, as_of)
    computed = plan.enricher(entry)
    assessments: dict[tuple[str, Any], Any] = {}
    for a in sorted(entry.assessments, key=lambda a: a.date):  # the latest assessment wins
        assessments[("criterion", a.criterion) if a.criterion else ("layer", a.layer)] = a
    shape = plan.shape(entry.kind, entry.access)
    criteria: list[CriterionResult] = []
    append = criteria.append
    layers: dict[str, LayerResult] = {}
    layer_memo, band_memo, choice_memo = plan.layers, plan.bands, plan.choices
    failed_unknown = False
    unknown = 0
    for lid, title, layer_weight, items, all_weight in shape.layers:
        # one pass: weight of known criteria, their weighted sum, weight of unknowns that count as 0
        known_weight = known_sum = unknown_counted = 0.0
        failed = False
        for item in items:
            code = item[0]
            if code == _NOT_APPLICABLE:
                append(item[1])
                continue
            if not assessments and code != _MANUAL:  # the common cases inline; the rest via _score
                read = item[7]
                if read is not None:  # one field, no fallbacks
                    path = item[8]
                    found = read(entry, computed)
                else:
                    for path, read in item[2]:
                        found = read(entry, computed)
                        if found is not None:
                            break
                    else:
                        found = None
                if found is None:  # no evidence: the shared result
                    append(item[6])
                    unknown += 1
                    policy = item[5]
                    if policy != "skip":
                        unknown_counted += item[9]
                        if policy == "fail":
                            failed = True
                    continue
                value = found[0]
                kind = type(value)
                c = item[1]
                if code == _BANDS:
                    if kind is float or kind is int:
                        key: tuple[Any, ...] = (c.id, value, item[3])
                        scored = band_memo.get(key)
                        if scored is None:
                            scored = band_memo[key] = _band_score(c, float(value), item[3], item[4])
                    else:
                        scored = None
                elif kind in _HASHABLE:
                    scored = choice_memo.get((c.id, value))
                    if scored is not None and type(scored[2]) is not kind:
                        scored = None
                else:
                    scored = None
                if scored is not None:
                    weight = item[9]
                    append(CriterionResult(c.id, lid, c.title, "scored", scored[0], weight, scored[1],
                                           path, value, found[1], found[2], found[3]))
                    known_weight += weight
                    known_sum += scored[0] * weight
                    continue
            r = _score(item, lid, entry, computed, assessments, plan)
            append(r)
            score = r.score
            if score is not None:
                known_weight += r.weight
                known_sum += score * r.weight
            else:
                policy = item[5]
                if policy != "skip":
                    unknown_counted += r.weight
                if r.status == "unknown":
                    unknown += 1
                    if policy == "fail":
                        failed = True
        assessed = assessments.get(("layer", lid)) if assessments else None
        if assessed is not None:
            layers[lid] = LayerResult(lid, title, assessed.score, assessed.score, 1.0, layer_weight,
                                      f"{assessed.reviewer} on {assessed.date.isoformat()}: {assessed.reason}")
            continue
        failed_unknown = failed_unknown or failed
        key = (lid, all_weight, known_weight, known_sum, unknown_counted)
        lr = layer_memo.get(key)
        if lr is None:
            if not all_weight:
                lr = LayerResult(lid, title, None, None, 0.0, layer_weight)
            else:
                counted = known_weight + unknown_counted
                main = known_sum / counted if counted else 0.0
                lr = LayerResult(lid, title, _round(main), _round(known_sum / all_weight),
                                 _round(known_weight / all_weight, 2), layer_weight)
            layer_memo[key] = lr
        layers[lid] = lr
    total, pessimistic, confidence = _totals(layers, plan, not assessments)
    flags = _red_flags(rubric, plan, entry, computed)
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
    if verdict != "green-light":
        weak = [f"{lr.title} {lr.score:g}" for lr in layers.values()
                if lr.score is not None and lr.score < 3]
        if weak:
            reasons.append("weak layers: " + ", ".join(weak))
    if unknown:
        reasons.append(f"{unknown} of {shape.applicable} criteria lack evidence (confidence {confidence:.2f}; "
                       f"pessimistic total {pessimistic:g})")
    return ModelResult(entry.id, entry.name, entry.vendor, entry.kind, entry.access, verdict, total, pessimistic,
                       confidence, margin, layers, flags, tuple(criteria), tuple(reasons), computed)


def _totals(layers: dict[str, LayerResult], plan: _Plan, shared: bool) -> tuple[float, float, float]:
    """Total, pessimistic total and confidence from the layer results (in LAYER_IDS order).

    Layer results come from the plan's memo unless a reviewer assessed a layer, so the
    totals of a combination already seen are looked up by the results' identities.
    """
    key = tuple(map(id, layers.values())) if shared else None
    if key is not None:
        found = plan.totals.get(key)
        if found is not None:
            return found
    scored = [lr for lr in layers.values() if lr.score is not None]
    weight = sum(lr.weight for lr in scored) or 1.0
    factor = len(LAYER_IDS) / weight
    total = _round(sum(lr.score * lr.weight for lr in scored) * factor)  # type: ignore[operator]
    pessimistic = _round(sum(lr.pessimistic * lr.weight for lr in scored) * factor)  # type: ignore[operator]
    confidence = _round(sum(lr.evidence_share * lr.weight for lr in scored) / weight, 2)
    if key is not None:
        plan.totals[key] = (total, pessimistic, confidence)
    return total, pessimistic, confidence


def evaluate(catalog: Catalog, rubric: Rubric, workload: Workload | None = None,
             as_of: date | None = None) -> Report:
    """Score every model of ``catalog`` with ``rubric`` for ``workload`` on ``as_of`` (default today).

    Inputs are never mutated: the report holds new objects only.
    """
    if workload is None:
        from ..loading import load_workload

        workload = load_workload(rubric.default_workload)
    day = as_of or date.today()
    plan = _Plan(rubric, workload, day)
    results = [score_model(entry, rubric, workload, day, plan) for entry in catalog.models]
    results.sort(key=lambda m: (-m.total, -m.pessimistic_total, m.id))
    info = tuple(CriterionInfo(c.id, lid, c.title, c.weight, c.field)
                 for lid in LAYER_IDS for c in rubric.layers[lid].criteria)  # type: ignore[index]
    return Report(rubric.name, rubric.green_light, rubric.walk_away_flags, rubric.unknown, workload, day,
                  tuple(results), catalog.name, info)
