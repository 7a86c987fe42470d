"""Pydantic models of a rubric: six layers of declarative criteria, red flags and thresholds.

A rubric is data, never code. A criterion maps one field of an (enriched) model entry to
a 0–5 score by exactly one rule: ``bands`` with a direction, a ``map`` of values, a
``bool`` pair, or ``manual`` (a reviewer's assessment in the catalog).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from model_scorecard.schema.base import Date, Kind, Slug, Strict
from model_scorecard.schema.catalog import Access

LayerId = Literal["capability", "safety_compliance", "latency_throughput", "cost_to_serve",
                  "operational_maturity", "ecosystem_moat"]
LAYER_IDS: tuple[str, ...] = LayerId.__args__  # type: ignore[attr-defined]
LAYER_TITLES = {
    "capability": "Capability",
    "safety_compliance": "Safety & Compliance",
    "latency_throughput": "Latency & Throughput",
    "cost_to_serve": "Cost-to-Serve",
    "operational_maturity": "Operational Maturity",
    "ecosystem_moat": "Ecosystem Moat",
}
UnknownPolicy = Literal["zero", "skip", "fail"]
Score = Annotated[float, Field(ge=0, le=5)]
Scalar = Union[str, bool, int, float]
# Workload fields a band may be relative to (thresholds become multiples of it).
RELATIVE_TO = ("ttft_budget_ms",)


def _band_pair(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    return value


Band = Annotated[tuple[float, Score], BeforeValidator(_band_pair, json_schema_input_type=list[float]),
                 WithJsonSchema({"title": "Band", "type": "array", "minItems": 2, "maxItems": 2,
                                 "prefixItems": [{"type": "number"}, {"type": "number", "minimum": 0, "maximum": 5}],
                                 "description": "[threshold, score (0–5)]: the first band, best first, whose "
                                                "threshold the value reaches (at or above it for better: higher, at "
                                                "or below for lower) gives the score; none reached scores 0",
                                 "examples": [[85, 5]]})]


class Protocol(Strict):
    """How a benchmark must have been run for a criterion to score it; a key left out
    accepts any value. Results of another protocol are shown as context, never scored."""

    n_shot: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="examples in the prompt the benchmark must have been run with (0 = zero-shot)")
    cot: bool | None = Field(default=None, description="chain-of-thought prompting required (true) or excluded (false)")
    variant: str | None = Field(default=None, description="subset or version, e.g. diamond for GPQA Diamond")


class Criterion(Strict):
    """One question of the scorecard and how its answer becomes 0–5."""

    id: Slug = Field(description="the criterion's id, unique in the rubric")
    title: str = Field(min_length=1, description="short name shown in reports")
    question: str | None = Field(default=None, description="the question a reviewer asks, in plain words")
    field: str | None = Field(default=None, pattern=r"^[a-z_][a-z0-9_.-]*$",
                              description="dotted path into the model entry, e.g. benchmarks.mmlu")
    fallbacks: list[Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_.-]*$")]] = Field(
        default=[], description="fields read, in order, when `field` is unknown")
    better: Literal["higher", "lower"] | None = Field(
        default=None, description="for bands: whether a higher or a lower value is better")
    bands: list[Band] | None = Field(default=None, description="[threshold, score] pairs, best first")
    relative_to: Literal["ttft_budget_ms"] | None = Field(
        default=None, description="thresholds are multiples of this workload field")
    map: dict[Scalar, Score] | None = Field(
        default=None, description="scores by value: {permissive: 5, restricted: 2}")
    bool_: dict[bool, Score] | None = Field(
        default=None, alias="bool", description="scores for a yes/no field: {true: 5, false: 0}")
    manual: bool = Field(default=False, description="scored by a reviewer's assessment in the catalog, not from data")
    weight: Annotated[float, Field(gt=0)] = Field(
        default=1.0, description="weight of the criterion within its layer (more than 0; default 1)")
    kinds: list[Kind] | None = Field(default=None, description="only for these model kinds")
    access: list[Access] | None = Field(default=None, description="only for models with one of these access modes")
    unknown: UnknownPolicy | None = Field(default=None, description="overrides the rubric's policy")
    protocol: Protocol | None = Field(
        default=None, description="the benchmark protocol this criterion scores (benchmarks.* fields only)")
    cohort: str | None = Field(
        default=None, description="id of the reference cohort (data/cohorts.yaml) whose percentiles the bands are")
    context_only: bool = Field(
        default=False, description="shown beside the score, never scored or counted (a saturated benchmark on which "
                                   "every current model scores alike)")
    rationale: str | None = Field(
        default=None, description="why the criterion and its bands are what they are, for a reader")

    @model_validator(mode="after")
    def _one_rule(self) -> "Criterion":
        rules = [name.rstrip("_") for name in ("bands", "map", "bool_") if getattr(self, name) is not None]
        if self.manual:
            rules.append("manual")
        if self.context_only:
            if rules or self.better is not None or not self.field:
                raise ValueError("a `context_only` criterion names a `field` and no scoring rule: it is shown, "
                                 "never scored")
            return self
        if len(rules) != 1:
            raise ValueError("give exactly one scoring rule: bands, map, bool or manual: true"
                             + (f" (found {', '.join(rules)})" if rules else ""))
        if not self.manual and not self.field:
            raise ValueError("a criterion scored from data needs a `field`")
        if self.bands is not None:
            if self.better is None:
                raise ValueError("bands need `better: higher` or `better: lower`")
            thresholds = [t for t, _ in self.bands]
            ordered = sorted(thresholds, reverse=self.better == "higher")
            if thresholds != ordered or len(set(thresholds)) != len(thresholds):
                word = "highest" if self.better == "higher" else "lowest"
                raise ValueError(f"list bands best first ({word} threshold first), without repeats")
        elif self.better is not None or self.relative_to is not None:
            raise ValueError("`better` and `relative_to` belong with `bands`")
        if self.bool_ is not None and set(self.bool_) != {True, False}:
            raise ValueError("`bool` needs both `true:` and `false:` scores")
        if self.protocol is not None and not (self.field or "").startswith("benchmarks."):
            raise ValueError("`protocol` applies to benchmark fields (benchmarks.…) only")
        return self


class Layer(Strict):
    title: str | None = Field(default=None, description="the layer's name in reports; default: the standard title")
    weight: Annotated[float, Field(gt=0)] = Field(
        default=1.0, description="the layer's weight in the total (more than 0; default 1)")
    min_evidence: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="criteria of this layer that must rest on evidence (a first-party or independent "
                                  "fact, or a figure computed from one) before the model can be green-lit; "
                                  "default: the rubric's min_evidence")
    criteria: list[Criterion] = Field(min_length=1, description="the layer's criteria (at least one)")

    @model_validator(mode="after")
    def _unique(self) -> "Layer":
        seen: set[str] = set()
        for c in self.criteria:
            if c.id in seen:
                raise ValueError(f"criterion id {c.id!r} appears twice in this layer")
            seen.add(c.id)
        return self


class Condition(Strict):
    """A test on one field. Exactly one operator."""

    field: str = Field(
        pattern=r"^[a-z_][a-z0-9_.-]*$",
        description="dotted path into the model entry (license, operations.status, computed.lifecycle …)")
    equals: Scalar | None = Field(default=None, description="true when the field equals this value")
    in_: list[Scalar] | None = Field(
        default=None, alias="in", description="true when the field is one of these values")
    gt: float | None = Field(default=None, description="true when the field is greater than this number")
    lt: float | None = Field(default=None, description="true when the field is less than this number")
    on_or_before: Literal["evaluation_date"] | Date | None = Field(
        default=None, description="true when the field's date is on or before this date, or the evaluation date")
    missing_any_of: Literal["languages"] | None = Field(
        default=None, description="true when the field's list lacks any of the workload's list")
    outside: Literal["jurisdiction"] | None = Field(
        default=None, description="true when the field's region is not within the workload's")

    @model_validator(mode="after")
    def _one_op(self) -> "Condition":
        ops = [n for n in ("equals", "in_", "gt", "lt", "on_or_before", "missing_any_of", "outside")
               if getattr(self, n) is not None]
        if len(ops) != 1:
            raise ValueError("give exactly one of: equals, in, gt, lt, on_or_before, missing_any_of, outside")
        return self

    @property
    def operator(self) -> str:
        for n in ("equals", "in_", "gt", "lt", "on_or_before", "missing_any_of", "outside"):
            if getattr(self, n) is not None:
                return n.rstrip("_")
        raise AssertionError("validated to have one operator")  # pragma: no cover


class RedFlagRule(Strict):
    title: str = Field(min_length=1, description="the flag's name in reports")
    description: str | None = Field(default=None, description="what the flag means, for a reader")
    when: list[Condition] = Field(default=[], description="derived when any condition holds")


class Rubric(Strict):
    """A complete rubric, after ``extends:`` has been resolved."""

    schema_version: Literal[1] = Field(description="version of the rubric format: 1")
    name: str = Field(min_length=1, description="the rubric's name, shown in reports")
    description: str | None = Field(default=None, description="what the rubric is for")
    extends: str | None = Field(
        default=None, description="the rubric this one changes: a bundled name (production) or a path")
    green_light: Annotated[float, Field(ge=0, le=30)] = Field(
        default=24, description="total (0–30) at or above which a model is green-lit")
    walk_away_flags: Annotated[int, Field(ge=1)] = Field(
        default=2, description="red flags at which a model is walked away from")
    unknown: UnknownPolicy = Field(
        default="skip", description="what an unknown fact scores: zero, skip (the criterion drops out) or fail")
    min_evidence: Annotated[int, Field(ge=0)] = Field(
        default=0, description="per layer, criteria that must rest on evidence for a green light (a layer may "
                               "override); assumptions and third-party facts do not count")
    default_workload: Slug = Field(default="chat", description="workload preset used when none is given (chat)")
    layers: dict[LayerId, Layer] = Field(description="the six layers by id, each with its criteria")
    red_flags: dict[Slug, RedFlagRule] = Field(
        default={}, description="red-flag rules by id: a flag is derived when any of its conditions holds")

    @model_validator(mode="after")
    def _all_layers(self) -> "Rubric":
        missing = [lid for lid in LAYER_IDS if lid not in self.layers]
        if missing:
            raise ValueError(f"the rubric lacks layer(s): {', '.join(missing)}; all six are needed")
        return self

    def criteria(self) -> list[tuple[str, Criterion]]:
        return [(lid, c) for lid in LAYER_IDS for c in self.layers[lid].criteria]


# -- reference cohorts: bands that do not move with the catalog ---------------------------------

#: The cohort percentiles that give scores 5, 4, 3, 2 and 1.
COHORT_PERCENTILES = (90, 70, 50, 30, 10)


class ReferenceCohort(Strict):
    """One source's values of one index version on one date (data/cohorts.yaml)."""

    id: Slug
    title: str = Field(min_length=1)
    source: str = Field(min_length=1)
    as_of: Date
    grade: Literal["first-party", "independent", "third-party"]
    values: dict[str, float] = Field(min_length=2)
    notes: list[str] = []


class CohortFile(Strict):
    schema_version: Literal[1]
    cohorts: list[ReferenceCohort]


def percentile(values: list[float], pct: float) -> float:
    """The ``pct``-th percentile of ``values`` by linear interpolation between closest ranks."""
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def cohort_bands(cohort: ReferenceCohort, places: int = 2) -> list[tuple[float, float]]:
    """Bands for ``better: higher``: the cohort's 90th percentile scores 5 … its 10th scores 1."""
    values = list(cohort.values.values())
    return [(round(percentile(values, p), places), float(5 - i)) for i, p in enumerate(COHORT_PERCENTILES)]
