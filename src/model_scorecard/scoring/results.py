"""What scoring produces: plain frozen dataclasses with one canonical dict form.

``Report.to_dict()`` is the canonical JSON document (stable keys and order, versioned by
``schema_version``); every other format renders from the same objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from model_scorecard.schema.rubric import LAYER_IDS
from model_scorecard.schema.workload import Workload
from model_scorecard.scoring.evidence import Computed
from model_scorecard.scoring.gates import GateCheck

if TYPE_CHECKING:  # pragma: no cover
    import pandas

REPORT_SCHEMA_VERSION = 2
#: Verdicts, best first. ``not-applicable``: the workload does not serve this kind of model,
#: or the model was not released on the evaluation date; listed apart, never ranked.
VERDICTS = ("green-light", "insufficient-evidence", "not-green", "walk-away", "not-applicable")


_PLAIN = (str, int, bool, type(None))


def jsonable(value: Any) -> Any:
    """Dates as ISO text, tuples as lists, floats rounded so output is stable."""
    kind = type(value)
    if kind is float:
        return float(f"{value:.10g}")
    if kind in _PLAIN:
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, float):
        return float(f"{value:.10g}")
    return value


class CriterionResult(NamedTuple):
    """One criterion's outcome (a tuple: a 10,000-model catalog makes 300,000 of them)."""

    id: str
    layer: str
    title: str
    # scored | manual | unknown | context (another protocol: shown, counts as unknown) | shown (a context-only
    # criterion: shown, never counted) | not-applicable
    status: str
    score: float | None
    weight: float
    reason: str
    field: str | None = None
    value: Any = None
    source: str | None = None
    as_of: str | None = None
    computed: bool = False
    basis: str | None = None  # evidence | third-party | unsourced | assumption (fields.BASES)

    def to_dict(self, primary_field: str | None = None) -> dict[str, Any]:
        """Compact: layer, title, weight and field live once in the report's ``rubric.criteria``
        (``field`` is repeated here only when a fallback supplied the evidence), and absent
        evidence keys are left out rather than written as null (10,000 models × 33 criteria)."""
        cid, _, _, status, score, _, reason, field, value, source, as_of, computed, basis = self
        out: dict[str, Any] = {"id": cid, "status": status, "score": score}
        if field is not None and field != primary_field:
            out["field"] = field
        if value is not None:
            out["value"] = jsonable(value)
        if source is not None:
            out["source"] = source
        if as_of is not None:
            out["as_of"] = as_of
        if computed:
            out["computed"] = True
        if basis is not None:
            out["basis"] = basis
        out["reason"] = reason
        return out


class CriterionInfo(NamedTuple):
    """What the rubric says about a criterion, once per report rather than once per model."""

    id: str
    layer: str
    title: str
    weight: float
    field: str | None


@dataclass(frozen=True)
class LayerResult:
    id: str
    title: str
    score: float | None          # None: no criterion applies to this model
    pessimistic: float | None    # unknowns and assumptions as 0
    evidence_share: float        # share of the layer's weight backed by counted evidence
    weight: float
    assessed_by: str | None = None
    optimistic: float | None = None  # unknowns as 5
    evidence_count: int = 0      # criteria resting on counted evidence
    evidence_required: int = 0   # the rubric's minimum for this layer (capped at the applicable criteria)
    lift: tuple[str, ...] = ()   # fields that would add evidence, when short of the minimum

    @property
    def short_of_evidence(self) -> bool:
        return self.evidence_count < self.evidence_required


@dataclass(frozen=True)
class FlagResult:
    id: str
    title: str
    reason: str
    derived: bool
    field: str | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "derived": self.derived, "reason": self.reason,
                "field": self.field, "source": self.source}


@dataclass(frozen=True)
class ModelResult:
    """One deployment of one catalog entry, scored. ``key`` names the row: the entry's id, or
    ``id@api`` / ``id@self-hosted`` when the entry offers both."""

    id: str
    name: str
    vendor: str
    kind: str
    access: tuple[str, ...]
    verdict: str
    total: float
    pessimistic_total: float
    confidence: float
    margin: float
    layers: dict[str, LayerResult]
    red_flags: tuple[FlagResult, ...]
    criteria: tuple[CriterionResult, ...]
    reasons: tuple[str, ...]
    computed: dict[str, Computed] = field(default_factory=dict)
    deployment: str = "api"
    key: str = ""
    optimistic_total: float = 0.0
    gates: tuple[GateCheck, ...] = ()

    @property
    def ranked(self) -> bool:
        return self.verdict != "not-applicable"

    def to_dict(self, fields: dict[str, str | None] | None = None,
                _memo: dict[int, dict[str, Any]] | None = None,
                _computed_memo: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
        """``fields`` maps criterion ids to the rubric's primary field (see CriterionResult.to_dict).

        Scoring shares one result object among models where the outcome cannot differ
        (not applicable, no evidence), and enrichment shares computed figures among models
        with the same inputs; the memos let a report convert each of those once.
        """
        primary = fields or {}
        memo = {} if _memo is None else _memo
        criteria = []
        for c in self.criteria:
            d = memo.get(id(c))
            if d is None or d["id"] != c.id:
                d = memo[id(c)] = c.to_dict(primary.get(c.id))
            criteria.append(d)
        cmemo = {} if _computed_memo is None else _computed_memo
        computed = {}
        for k, c in self.computed.items():
            d = cmemo.get(id(c))
            if d is None:
                d = cmemo[id(c)] = _computed_dict(c)
            computed[k] = d
        layers = self.layers
        return {
            "key": self.key or self.id, "id": self.id, "deployment": self.deployment, "name": self.name,
            "vendor": self.vendor, "kind": self.kind,
            "access": list(self.access), "verdict": self.verdict, "total": self.total,
            "total_range": [self.pessimistic_total, self.optimistic_total],
            "pessimistic_total": self.pessimistic_total, "confidence": self.confidence, "margin": self.margin,
            "layers": {lid: layers[lid].score for lid in LAYER_IDS},
            "layer_evidence": {lid: layers[lid].evidence_share for lid in LAYER_IDS},
            "evidence": {lid: {"count": layers[lid].evidence_count, "required": layers[lid].evidence_required,
                               **({"lift": list(layers[lid].lift)} if layers[lid].lift else {})}
                         for lid in LAYER_IDS},
            "gates": [g.to_dict() for g in self.gates],
            "red_flags": [f.to_dict() for f in self.red_flags],
            "reasons": list(self.reasons),
            "criteria": criteria,
            "computed": computed,
        }


def _computed_dict(c: Computed) -> dict[str, Any]:
    return {"value": jsonable(c.value), "unit": c.unit, "method": c.method, "inputs": jsonable(c.inputs),
            "assumptions": list(c.assumptions), "basis": c.basis}


@dataclass(frozen=True)
class Report:
    """The scored catalog: models sorted by total (highest first), then id."""

    rubric_name: str
    green_light: float
    walk_away_flags: int
    unknown_policy: str
    workload: Workload
    as_of: date
    models: tuple[ModelResult, ...]
    catalog_name: str | None = None
    criteria: tuple[CriterionInfo, ...] = ()
    # P(green) per row key from `scorecard sensitivity`, when asked for (rank --sensitivity)
    p_green: dict[str, float] | None = None

    def model(self, model_id: str) -> ModelResult:
        """The row named ``model_id``: a row key (``id@api``), or an entry id (its first deployment)."""
        for m in self.models:
            if m.key == model_id:
                return m
        for m in self.models:
            if m.id == model_id:
                return m
        raise KeyError(model_id)

    def deployments_of(self, model_id: str) -> list[ModelResult]:
        """Every row of the catalog entry ``model_id`` (or the one row a key names)."""
        return [m for m in self.models if m.id == model_id or m.key == model_id]

    def to_dict(self) -> dict[str, Any]:
        fields = {c.id: c.field for c in self.criteria}
        memo: dict[int, dict[str, Any]] = {}
        computed_memo: dict[int, dict[str, Any]] = {}
        models = [m.to_dict(fields, memo, computed_memo) for m in self.models]
        if self.p_green is not None:
            for m, d in zip(self.models, models):
                d["p_green"] = self.p_green.get(m.key or m.id)
        return {
            "schema_version": REPORT_SCHEMA_VERSION,
            "tool": "model-scorecard",
            "evaluated_on": self.as_of.isoformat(),
            "catalog": self.catalog_name,
            "rubric": {"name": self.rubric_name, "green_light": self.green_light,
                       "walk_away_flags": self.walk_away_flags, "unknown": self.unknown_policy,
                       "criteria": [c._asdict() for c in self.criteria]},
            "workload": jsonable(self.workload.model_dump()),
            "summary": {v: sum(1 for m in self.models if m.verdict == v) for v in VERDICTS},
            "models": models,
        }

    def numbered(self) -> list[tuple[int | None, ModelResult]]:
        """Every row with its rank, in report order: ranked rows count 1, 2, 3 …; rows listed
        apart (not-applicable) have none."""
        out: list[tuple[int | None, ModelResult]] = []
        rank = 0
        for m in self.models:
            rank += m.ranked
            out.append((rank if m.ranked else None, m))
        return out

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per model: the table behind CSV, Markdown and ``to_dataframe``."""
        rows = []
        for rank, m in self.numbered():
            row: dict[str, Any] = {"rank": rank, "id": m.key or m.id, "name": m.name,
                                   "vendor": m.vendor, "kind": m.kind, "deployment": m.deployment,
                                   "verdict": m.verdict}
            for lid in LAYER_IDS:
                row[lid] = m.layers[lid].score
            row.update({"total": m.total, "pessimistic_total": m.pessimistic_total,
                        "optimistic_total": m.optimistic_total, "margin": m.margin,
                        "confidence": m.confidence, "red_flag_count": len(m.red_flags),
                        "red_flags": ";".join(f.id for f in m.red_flags),
                        "failed_gates": ";".join(g.id for g in m.gates if g.passed is False)})
            if self.p_green is not None:
                row["p_green"] = self.p_green.get(m.key or m.id)
            rows.append(row)
        return rows

    def to_dataframe(self, computed: bool = False) -> "pandas.DataFrame":
        """The ranking as a pandas DataFrame, one row per model (imports pandas on first use).

        ``verdict`` is an ordered categorical (green-light first), so sorting and filtering by it
        follow the ladder. ``computed=True`` adds the calculators' figures as numeric columns named
        ``computed.<figure>`` ($ per 1k tokens, first-token ms, tokens/s, GB, gCO2e …: the likely
        values, in the units ``schema.facts.COMPUTED_FIELDS`` names); a row without a figure has NaN."""
        import pandas

        columns = ["rank", "id", "name", "vendor", "kind", "deployment", "verdict", *LAYER_IDS, "total",
                   "pessimistic_total", "optimistic_total", "margin", "confidence", "red_flag_count", "red_flags",
                   "failed_gates", *(["p_green"] if self.p_green is not None else [])]
        frame = pandas.DataFrame(self.rows(), columns=columns)
        frame["rank"] = frame["rank"].astype("Int64")  # not-applicable rows have no rank
        frame["verdict"] = pandas.Categorical(frame["verdict"], categories=list(VERDICTS), ordered=True)
        if computed:
            names = sorted({k for m in self.models for k, c in m.computed.items()
                            if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)})
            for name in names:
                values = []
                for m in self.models:
                    c = m.computed.get(name)
                    ok = c is not None and isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
                    values.append(float(c.value) if ok else float("nan"))
                frame[f"computed.{name}"] = values
        return frame
