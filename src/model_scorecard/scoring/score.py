"""Scoring: criteria → layer scores (0–5) → total (0–30) → verdict, with every reason kept.

Each catalog entry is scored once per deployment (see :mod:`.deployments`). The verdict
is decided by a ladder, checked in order:

1. ``not-applicable`` -- the workload does not serve this kind of model, or the model was
   not released on the evaluation date: listed apart, never ranked;
2. ``walk-away`` -- at least the rubric's number of red flags;
3. ``not-green`` -- a gate failed (context window, availability, licence, first-token
   budget, GPU fit, checkpoint type; see :mod:`.gates`);
4. ``insufficient-evidence`` -- a layer rests on fewer criteria backed by evidence than
   the rubric's minimum; the result names the facts that would lift it;
5. ``green-light`` -- the total reaches the threshold;
6. ``not-green`` otherwise.

Evidence: a sourced catalog fact graded first-party or independent (or not graded), a
reviewer's dated assessment, or a figure computed from such facts. Third-party facts and
facts with no source are scored but not counted as evidence; values inferred from the
access mode or a default are *assumptions*: shown with the score they would give, but
counted nowhere -- they weigh as unknowns in every total and never as evidence.

Unknown evidence follows the rubric's policy (a criterion may override it):

- ``zero``: an unknown criterion scores 0.
- ``skip``: it drops out of its layer's average, so the layer rests on what is known. A
  layer with no evidence at all scores 0.
- ``fail``: it scores 0 and the model cannot be green-lit.

Beside the headline total: the pessimistic total (unknowns and assumptions as 0) and the
optimistic total (unknowns and assumptions as 5). Red flags are a veto, never folded into the total.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from model_scorecard._gc import paused_gc
from model_scorecard.schema.catalog import Benchmark, Catalog, ModelEntry
from model_scorecard.schema.rubric import (
    LAYER_IDS,
    LAYER_TITLES,
    Condition,
    Criterion,
    Rubric,
)
from model_scorecard.schema.workload import Workload
from model_scorecard.scoring.computed import Enricher
from model_scorecard.scoring.deployments import Deployment, deployments
from model_scorecard.scoring.evidence import Computed, Reading, reader
from model_scorecard.scoring.gates import evaluate_gates
from model_scorecard.scoring.results import (
    CriterionInfo,
    CriterionResult,
    FlagResult,
    LayerResult,
    ModelResult,
    Report,
)
from model_scorecard.units import format_value

MAX_SCORE = 5.0


@lru_cache(maxsize=1 << 16)  # scores repeat: a 10,000-model catalog rounds few distinct values
def _round(x: float, places: int = 1) -> float:
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


class _Plan:
    """What scoring derives from the rubric and workload alone, worked out once per catalog.

    Which criteria apply depends on a deployment's kind and access only, so each distinct
    pair gets its list once (``shape``); results that cannot differ between models -- not
    applicable, no evidence, a value's score and reason -- are made once and shared.
    """

    def __init__(self, rubric: Rubric, workload: Workload, as_of: date):
        self.rubric, self.workload, self.as_of = rubric, workload, as_of
        self.readers = {c.id: [(p, reader(p)) for p in (c.field, *c.fallbacks) if p]
                        for _, c in rubric.criteria()}
        self.titles = {lid: layer.title or LAYER_TITLES[lid] for lid, layer in rubric.layers.items()}
        self.policies = {c.id: c.unknown or rubric.unknown for _, c in rubric.criteria()}
        self.flag_rules = [(fid, rule.title, [(cond, reader(cond.field), cond.operator) for cond in rule.when])
                           for fid, rule in rubric.red_flags.items()]
        self.enricher = Enricher(workload, as_of)
        self._shapes: dict[tuple[str, tuple[str, ...]], list[list[Any]]] = {}
        self.unknown: dict[str, CriterionResult] = {}
        self.scores: dict[tuple[Any, ...], tuple[str, float | None, str]] = {}

    def shape(self, kind: str, access: tuple[str, ...]) -> list[list[Any]]:
        """Per layer, each criterion as its shared not-applicable result or as (criterion, scale, label)."""
        found = self._shapes.get((kind, access))
        if found is None:
            found = self._shapes[(kind, access)] = [
                [_applicability(c, lid, kind, access, self.workload) for c in self.rubric.layers[lid].criteria]
                for lid in LAYER_IDS]  # type: ignore[index]
        return found

    def no_evidence(self, c: Criterion, lid: str) -> CriterionResult:
        found = self.unknown.get(c.id)
        if found is None:
            tried = [p for p, _ in self.readers[c.id]]
            reason = "no evidence" + (f" (also tried {', '.join(tried[1:])})" if len(tried) > 1 else "")
            found = self.unknown[c.id] = _result(c, lid, "unknown", None, reason)
        return found


def _result(c: Criterion, layer: str, status: str, score: float | None, reason: str) -> CriterionResult:
    return CriterionResult(c.id, layer, c.title, status, score, c.weight, reason, c.field)


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


def _band_score(c: Criterion, value: float, scale: float, unit_label: str) -> tuple[float, str]:
    assert c.bands is not None
    higher = c.better == "higher"
    for threshold, score in c.bands:
        limit = threshold * scale
        if (value >= limit) if higher else (value <= limit):
            op = "≥" if higher else "≤"
            return score, f"{format_value(value)} {op} {format_value(limit)}{unit_label} → {score:g}"
    worst = c.bands[-1][0] * scale
    op = "<" if higher else ">"
    return 0.0, f"{format_value(value)} {op} {format_value(worst)}{unit_label}, outside every band → 0"


def describe_protocol(n_shot: int | None, cot: bool | None, variant: str | None) -> str:
    parts = []
    if variant is not None:
        parts.append(variant)
    if n_shot is not None:
        parts.append(f"{n_shot}-shot")
    if cot is not None:
        parts.append("CoT" if cot else "no CoT")
    return ", ".join(parts) or "protocol not stated"


def protocol_check(c: Criterion, bench: Benchmark) -> tuple[list[str], list[str]]:
    """(mismatches, keys the fact does not state) of a benchmark against the criterion's protocol."""
    mismatched: list[str] = []
    unstated: list[str] = []
    want = c.protocol
    if want is None:
        return mismatched, unstated
    for key in ("variant", "n_shot", "cot"):
        required = getattr(want, key)
        if required is None:
            continue
        have = getattr(bench, key)
        if have is None:
            unstated.append(key)
        elif (have.lower() != required.lower()) if key == "variant" else have != required:
            mismatched.append(key)
    return mismatched, unstated


_BASIS_NOTE = {"evidence": "", "assumption": "; an assumption from the access mode or a default: shown, not counted",
               "third-party": "; a third-party source: scored, not counted as evidence",
               "unsourced": "; no source: scored, not counted as evidence"}


def _judge(c: Criterion, path: str, value: Any, basis: str, scale: float,
           unit_label: str) -> tuple[str, float | None, str]:
    """(status, score, reason) of ``value`` read from ``path`` for criterion ``c``."""
    if c.bands is not None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "unknown", None, f"{path} = {format_value(value)} is not a number"
        score, reason = _band_score(c, float(value), scale, unit_label)
    elif c.bool_ is not None:
        if not isinstance(value, bool):
            return "unknown", None, f"{path} = {format_value(value)} is not true/false"
        score = c.bool_[value]
        reason = f"{format_value(value)} → {score:g}"
    else:
        assert c.map is not None
        if not isinstance(value, (str, bool, int, float)) or value not in c.map:
            return "unknown", None, f"{format_value(value)} is not in the rubric's map ({', '.join(format_value(k) for k in c.map)})"
        score = c.map[value]
        reason = f"{format_value(value)} → {score:g}"
    if path != c.field:
        reason += f" (from {path})"
    return "scored", score, reason + _BASIS_NOTE[basis]


def _score_value(c: Criterion, lid: str, path: str, found: Reading, scale: float,
                 unit_label: str, plan: _Plan) -> CriterionResult:
    value, source, as_of, is_computed, basis = found
    key = (c.id, path, type(value), value, basis, scale) if isinstance(value, (str, int, float, bool)) else None
    judged = plan.scores.get(key) if key is not None else None
    if judged is None:
        judged = _judge(c, path, value, basis, scale, unit_label)
        if key is not None:
            plan.scores[key] = judged
    return CriterionResult(c.id, lid, c.title, judged[0], judged[1], c.weight, judged[2], path, value, source,
                           as_of, is_computed, basis)


def _criterion(c: Criterion, lid: str, applies: CriterionResult | tuple[float, str], entry: ModelEntry,
               computed: dict[str, Computed], assessments: dict[tuple[str, Any], Any], plan: _Plan) -> CriterionResult:
    if isinstance(applies, CriterionResult):
        return applies
    scale, unit_label = applies
    assessed = assessments.get(("criterion", c.id)) if assessments else None
    if assessed is not None:
        reason = (f"assessed {assessed.score:g} by {assessed.reviewer} on {assessed.date.isoformat()}: "
                  f"{assessed.reason}")
        return CriterionResult(c.id, lid, c.title, "manual", assessed.score, c.weight, reason, None,
                               assessed.score, assessed.reviewer, assessed.date.isoformat(), False, "evidence")
    if c.manual:
        return _result(c, lid, "unknown", None,
                       f"needs a reviewer's assessment (catalog: assessments: - criterion: {c.id})")
    if c.context_only:
        for path, read in plan.readers[c.id]:
            found = read(entry, computed)
            if found is not None:
                return CriterionResult(c.id, lid, c.title, "shown", None, c.weight,
                                       f"{format_value(found.value)}: shown as context, not scored (the rubric treats "
                                       "this benchmark as saturated)", path, *found)
        return _result(c, lid, "not-applicable", None, "context only, and the catalog states no value")
    paths = plan.readers[c.id]
    context: CriterionResult | None = None
    for path, read in paths:
        found = read(entry, computed)
        if found is None:
            continue
        if c.protocol is not None and path == c.field:
            bench = entry.benchmarks.get(path.split(".", 1)[1])
            if bench is not None:
                mismatched, unstated = protocol_check(c, bench)
                if mismatched:
                    want = describe_protocol(c.protocol.n_shot, c.protocol.cot, c.protocol.variant)
                    have = describe_protocol(bench.n_shot, bench.cot, bench.variant)
                    context = CriterionResult(
                        c.id, lid, c.title, "context", None, c.weight,
                        f"{format_value(found.value)} was measured {have}; this criterion scores {want}: shown as "
                        "context, not scored", path, *found)
                    continue
                result = _score_value(c, lid, path, found, scale, unit_label, plan)
                if unstated:
                    result = result._replace(reason=result.reason + f" (the source does not state its "
                                                                     f"{', '.join(unstated)}: assumed comparable)")
                return result
        return _score_value(c, lid, path, found, scale, unit_label, plan)
    return context if context is not None else plan.no_evidence(c, lid)


# -- red flags ------------------------------------------------------------------------------

def _region(code: str) -> str:
    return code.strip().upper().split("-")[0]


def _holds(cond: Condition, op: str, v: Any, workload: Workload, as_of: date) -> str | None:
    """Why the condition holds for the value ``v`` of its field, or None when it does not."""
    if op == "equals":
        return f"{cond.field} is {format_value(v)}" if v == cond.equals and type(v) is type(cond.equals) else None
    if op == "in":
        return f"{cond.field} is {format_value(v)}" if v in (cond.in_ or []) else None
    if op in ("gt", "lt") and isinstance(v, (int, float)) and not isinstance(v, bool):
        limit = cond.gt if op == "gt" else cond.lt
        assert limit is not None
        holds = v > limit if op == "gt" else v < limit
        return f"{cond.field} = {format_value(v)} {'>' if op == 'gt' else '<'} {format_value(limit)}" if holds else None
    if op == "on_or_before" and isinstance(v, date):
        limit = as_of if cond.on_or_before == "evaluation_date" else cond.on_or_before
        return f"{cond.field} {v.isoformat()} is on or before {format_value(limit)}" if v <= limit else None  # type: ignore[operator]
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
            why = _holds(cond, op, found.value, workload, as_of)
            if why:
                flags[fid] = FlagResult(fid, title, why, True, cond.field, found.source)
                break
    return tuple(flags[k] for k in sorted(flags))


# -- layers and totals ------------------------------------------------------------------------

def _layer(lid: str, title: str, weight: float, results: list[CriterionResult], rubric: Rubric,
           policies: dict[str, str], assessed: Any) -> LayerResult:
    layer = rubric.layers[lid]  # type: ignore[index]
    required_default = rubric.min_evidence
    applicable = [r for r in results if r.status not in ("not-applicable", "shown")]
    required = min(layer.min_evidence if layer.min_evidence is not None else required_default, len(applicable))
    if assessed is not None:
        return LayerResult(lid, title, assessed.score, assessed.score, 1.0, weight,
                           f"{assessed.reviewer} on {assessed.date.isoformat()}: {assessed.reason}",
                           assessed.score, max(required, 1), required)
    all_weight = sum(r.weight for r in applicable)
    if not all_weight:
        return LayerResult(lid, title, None, None, 0.0, weight)
    known_weight = known_sum = counted_unknown = evidence_weight = firm_sum = unknown_weight = 0.0
    evidence_count = 0
    for r in applicable:
        score = r.score
        if score is None or r.basis == "assumption":  # an assumption is shown, never counted
            unknown_weight += r.weight
            if policies[r.id] != "skip":
                counted_unknown += r.weight
            continue
        known_weight += r.weight
        known_sum += score * r.weight
        firm_sum += score * r.weight
        if r.basis == "evidence":
            evidence_count += 1
            evidence_weight += r.weight
    counted = known_weight + counted_unknown
    main = known_sum / counted if counted else 0.0
    lift = _lift(applicable) if evidence_count < required else ()
    return LayerResult(lid, title, _round(main), _round(firm_sum / all_weight), _round(evidence_weight / all_weight, 2),
                       weight, None, _round((known_sum + MAX_SCORE * unknown_weight) / all_weight),
                       evidence_count, required, lift)


_WHY_NOT_COUNTED = {"assumption": "an assumption", "third-party": "third-party source", "unsourced": "no source"}


def _lift(applicable: list[CriterionResult]) -> tuple[str, ...]:
    """The facts of a layer short of evidence that would add evidence, with why each does not count now."""
    out = []
    for r in applicable:
        if r.score is not None and r.basis == "evidence":
            continue
        why = "another protocol" if r.status == "context" else _WHY_NOT_COUNTED.get(r.basis or "", "unknown")
        out.append(f"{r.field} ({why})" if r.field else f"{r.id}: a reviewer's assessment")
    return tuple(out)


def _total(layers: dict[str, LayerResult], attr: str) -> float:
    scored = [lr for lr in layers.values() if lr.score is not None]
    weight = sum(lr.weight for lr in scored) or 1.0
    return _round(sum(getattr(lr, attr) * lr.weight for lr in scored) * len(LAYER_IDS) / weight)


# -- one deployment, a whole catalog ---------------------------------------------------------------

def _not_applicable_reason(entry: ModelEntry, workload: Workload, as_of: date) -> str | None:
    if entry.kind not in workload.serves:
        return f"workload '{workload.name}' serves {', '.join(workload.serves)} models, not {entry.kind}"
    released = entry.release_date.value if entry.release_date else None
    if released is not None and released > as_of:
        return f"released {released.isoformat()}, after the evaluation date {as_of.isoformat()}"
    return None


def score_deployment(dep: Deployment, rubric: Rubric, plan: _Plan) -> ModelResult:
    """Score one deployment of a catalog entry."""
    entry, workload, as_of = dep.entry, plan.workload, plan.as_of
    computed = plan.enricher(entry)
    assessments: dict[tuple[str, Any], Any] = {}
    for a in sorted(entry.assessments, key=lambda a: a.date):  # the latest assessment wins
        assessments[("criterion", a.criterion) if a.criterion else ("layer", a.layer)] = a
    criteria: list[CriterionResult] = []
    layers: dict[str, LayerResult] = {}
    failed_unknown: list[str] = []
    for lid, shape in zip(LAYER_IDS, plan.shape(entry.kind, entry.access)):
        layer = rubric.layers[lid]  # type: ignore[index]
        results = [_criterion(c, lid, applies, entry, computed, assessments, plan)
                   for c, applies in zip(layer.criteria, shape)]
        criteria.extend(results)
        failed_unknown.extend(r.id for r in results if r.score is None and r.status not in ("not-applicable", "shown")
                              and plan.policies[r.id] == "fail")
        layers[lid] = _layer(lid, plan.titles[lid], layer.weight, results, rubric, plan.policies,
                             assessments.get(("layer", lid)))
    total, pessimistic, optimistic = _total(layers, "score"), _total(layers, "pessimistic"), _total(layers, "optimistic")
    scored = [lr for lr in layers.values() if lr.score is not None]
    weight = sum(lr.weight for lr in scored) or 1.0
    confidence = _round(sum(lr.evidence_share * lr.weight for lr in scored) / weight, 2)
    flags = _red_flags(rubric, plan, entry, computed)
    gates = evaluate_gates(entry, computed, workload, as_of)
    margin = _round(total - rubric.green_light)
    failed_gates = [g for g in gates if g.passed is False]
    short = [lr for lr in layers.values() if lr.short_of_evidence]
    reasons: list[str] = []
    outside = _not_applicable_reason(entry, workload, as_of)
    if outside:
        verdict = "not-applicable"
        reasons.append(outside)
    elif len(flags) >= rubric.walk_away_flags:
        verdict = "walk-away"
        reasons.append(f"{len(flags)} red flags (walk away at {rubric.walk_away_flags}): "
                       + "; ".join(f.title for f in flags))
    elif failed_gates:
        verdict = "not-green"
        reasons.extend(f"gate failed: {g.title}: {g.reason}" for g in failed_gates)
    elif short:
        verdict = "insufficient-evidence"
        for lr in short:
            reasons.append(f"{lr.title}: {lr.evidence_count} of {lr.evidence_required} required criteria rest on "
                           f"evidence; would lift it: {', '.join(lr.lift)}")
    elif failed_unknown:
        verdict = "not-green"
        reasons.append("unknown evidence fails the rubric (unknown: fail): " + ", ".join(failed_unknown))
    elif total >= rubric.green_light:
        verdict = "green-light"
        reasons.append(f"total {total:g} ≥ {rubric.green_light:g}, margin +{margin:g} "
                       f"(range {pessimistic:g}–{optimistic:g} with unknowns at 0 and 5)")
    else:
        verdict = "not-green"
        reasons.append(f"total {total:g} is {abs(margin):g} below the green light ({rubric.green_light:g})")
    if flags and verdict != "walk-away":
        reasons.append("red flag: " + "; ".join(f"{f.title} ({f.reason})" for f in flags))
    if verdict not in ("green-light", "not-applicable"):
        weak = [f"{lr.title} {lr.score:g}" for lr in layers.values() if lr.score is not None and lr.score < 3]
        if weak:
            reasons.append("weak layers: " + ", ".join(weak))
    unknown = sum(1 for c in criteria if c.status in ("unknown", "context"))
    if unknown:
        applicable = sum(1 for c in criteria if c.status not in ("not-applicable", "shown"))
        reasons.append(f"{unknown} of {applicable} criteria lack evidence (confidence {confidence:.2f}; "
                       f"total range {pessimistic:g}–{optimistic:g})")
    return ModelResult(entry.id, entry.name, entry.vendor, entry.kind, entry.access, verdict, total, pessimistic,
                       confidence, margin, layers, flags, tuple(criteria), tuple(reasons), computed,
                       dep.name, dep.key, optimistic, gates)


def score_model(entry: ModelEntry, rubric: Rubric, workload: Workload, as_of: date,
                _plan: _Plan | None = None) -> ModelResult:
    """The first deployment of ``entry`` (its API when it offers one); see :func:`score_entry` for all."""
    return score_entry(entry, rubric, workload, as_of, _plan)[0]


def score_entry(entry: ModelEntry, rubric: Rubric, workload: Workload, as_of: date,
                _plan: _Plan | None = None) -> list[ModelResult]:
    """Every deployment of ``entry``, scored."""
    plan = _plan or _Plan(rubric, workload, as_of)
    return [score_deployment(dep, rubric, plan) for dep in deployments(entry)]


def _order(m: ModelResult) -> tuple[Any, ...]:
    return (not m.ranked, -m.total, -m.pessimistic_total, m.key)


def evaluate(catalog: Catalog, rubric: Rubric, workload: Workload | None = None,
             as_of: date | None = None) -> Report:
    """Score every deployment of every model of ``catalog`` with ``rubric`` for ``workload``
    on ``as_of`` (default today). Inputs are never mutated: the report holds new objects only."""
    if workload is None:
        from model_scorecard.schema.workload import load_workload

        workload = load_workload(rubric.default_workload)
    day = as_of or date.today()
    plan = _Plan(rubric, workload, day)
    with paused_gc():
        results = [r for entry in catalog.models for r in score_entry(entry, rubric, workload, day, plan)]
        results.sort(key=_order)
    info = tuple(CriterionInfo(c.id, lid, c.title, c.weight, c.field)
                 for lid in LAYER_IDS for c in rubric.layers[lid].criteria)  # type: ignore[index]
    return Report(rubric.name, rubric.green_light, rubric.walk_away_flags, rubric.unknown, workload, day,
                  tuple(results), catalog.name, info)
