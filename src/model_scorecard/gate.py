"""The CI gate: score a shortlist and decide, candidate by candidate, whether it passes.

``evaluate_gate`` is pure: a loaded shortlist, a policy and an optional baseline in, a
``GateResult`` out. Each candidate gets findings, each under a stable rule id (the ids
SARIF, JUnit and annotations use), and fails when any finding counts against it:

- ``gate/not-green`` and ``gate/walk-away``: the rubric's verdict, as ``--fail-on`` says
  (``not-green``: anything but a green light fails; ``walk-away``: only a walk-away fails;
  ``never``: report only — findings are worked out as for ``not-green`` but the gate
  passes whatever they say);
- ``gate/min-total``: below the candidate's, the shortlist's or ``--min-total``'s minimum;
- ``gate/layer-minimum``: a layer below the shortlist's minimum (a layer without any score
  is missing data);
- ``red-flag/<id>``: one per red flag; it fails the candidate when it asks ``no_red_flags``
  (two or more flags already make the verdict a walk-away);
- ``gate/unknown-evidence``: with ``--strict``, any criterion without evidence fails the
  candidate (missing data), i.e. a confidence below 1;
- ``baseline/verdict-worse`` and ``baseline/total-drop``: against ``--baseline``, a worse
  verdict, or a total that fell by more than ``--tolerance``; ``baseline/layer-drop``
  (a layer fell by more than the tolerance) and ``baseline/new-candidate`` inform only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from model_scorecard.errors import InvalidInput
from model_scorecard.schema.rubric import LAYER_IDS, LAYER_TITLES
from model_scorecard.schema.shortlist import LoadedShortlist, Requirements, Where
from model_scorecard.scoring.results import ModelResult, Report, jsonable

GATE_SCHEMA_VERSION = 1
GATE_KIND = "scorecard-gate"
FAIL_ON = ("not-green", "walk-away", "never")
VERDICT_RANK = {"green-light": 0, "insufficient-evidence": 1, "not-green": 2, "not-applicable": 2, "walk-away": 3}
MAX_LISTED = 8


class Rule(NamedTuple):
    id: str
    title: str
    help: str


RULES: dict[str, Rule] = {r.id: r for r in (
    Rule("gate/not-green", "Candidate is not green-lit",
         "The candidate's total is below the rubric's green light, or the rubric fails it for unknown evidence."),
    Rule("gate/walk-away", "Candidate is a walk-away",
         "The candidate has at least the rubric's walk-away number of red flags, whatever its total."),
    Rule("gate/min-total", "Total below the required minimum",
         "The candidate's total is below the min_total the shortlist or --min-total asks for."),
    Rule("gate/layer-minimum", "Layer below the required minimum",
         "A layer scores below the minimum the shortlist asks for, or has no score at all."),
    Rule("gate/unknown-evidence", "Criteria without evidence",
         "With --strict, a candidate with any criterion lacking evidence (confidence below 1) fails."),
    Rule("gate/min-p-green", "P(green) below the required minimum",
         "The share of sensitivity draws (unknowns, computed ranges, layer weights) in which the candidate is "
         "green is below the min_p_green the shortlist or --min-p-green asks for."),
    Rule("baseline/verdict-worse", "Verdict worse than the baseline",
         "The candidate's verdict is worse than in the baseline result."),
    Rule("baseline/total-drop", "Total dropped against the baseline",
         "The candidate's total fell by more than the tolerance since the baseline result."),
    Rule("baseline/layer-drop", "Layer dropped against the baseline",
         "A layer fell by more than the tolerance since the baseline result (informational)."),
    Rule("baseline/new-candidate", "Candidate not in the baseline",
         "The candidate was not in the baseline result, so nothing is compared (informational)."),
)}


def red_flag_rule(flag_id: str) -> str:
    return f"red-flag/{flag_id}"


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    fails: bool                 # counts against the candidate
    missing_data: bool = False  # it fails for lack of evidence rather than a poor score

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "fails": self.fails, "missing_data": self.missing_data, "message": self.message}


@dataclass(frozen=True)
class Policy:
    fail_on: str = "not-green"
    strict: bool = False
    min_total: float | None = None
    tolerance: float = 0.0
    min_p_green: float | None = None

    def __post_init__(self) -> None:
        if self.fail_on not in FAIL_ON:
            raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON)}")
        if self.tolerance < 0:
            raise ValueError("tolerance must not be negative")
        if self.min_p_green is not None and not 0 <= self.min_p_green <= 1:
            raise ValueError("min_p_green must be between 0 and 1")

    @property
    def enforced(self) -> bool:
        return self.fail_on != "never"

    def to_dict(self) -> dict[str, Any]:
        return {"fail_on": self.fail_on, "strict": self.strict, "min_total": self.min_total,
                "tolerance": self.tolerance, "min_p_green": self.min_p_green}


# -- baseline ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class BaselineEntry:
    id: str
    verdict: str
    total: float
    layers: dict[str, float | None]


@dataclass(frozen=True)
class Baseline:
    file: str
    evaluated_on: str | None
    entries: dict[str, BaselineEntry]


def load_baseline(path: str | Path) -> Baseline:
    """Read a previous ``scorecard gate -o result.json``; InvalidInput when it is not one.

    Read as every JSON input is (:func:`~model_scorecard.sizing.read_json_file`: a regular
    file within the size cap, no NaN or infinity); each candidate needs a string id, a
    known verdict and finite numbers, or the regression check could not compare it."""
    from model_scorecard.sizing.target import read_json_file

    file = str(path)
    if not Path(path).exists() and not Path(path).is_symlink():
        raise InvalidInput.single(file, "baseline file not found")
    doc = read_json_file(path, file)
    hint = "; give a result written by `scorecard gate SHORTLIST -o result.json`"
    if not isinstance(doc, dict) or doc.get("kind") != GATE_KIND:
        raise InvalidInput.single(file, "not a gate result (no \"kind\": \"scorecard-gate\")" + hint)
    if doc.get("schema_version") != GATE_SCHEMA_VERSION:
        version = doc.get("schema_version")
        shown = repr(version) if isinstance(version, (int, str, type(None))) and len(repr(version)) <= 40 else "?"
        raise InvalidInput.single(file, f"gate result schema_version {shown} is not {GATE_SCHEMA_VERSION}" + hint)
    candidates = doc.get("candidates") or []
    if not isinstance(candidates, list):
        raise InvalidInput.single(file, "candidates must be a list" + hint)
    evaluated_on = doc.get("evaluated_on")
    if evaluated_on is not None and (not isinstance(evaluated_on, str) or len(evaluated_on) > 40):
        raise InvalidInput.single(file, "evaluated_on must be a date (YYYY-MM-DD)" + hint)
    entries: dict[str, BaselineEntry] = {}
    for i, c in enumerate(candidates):
        entry = _baseline_entry(c)
        if entry is None:
            raise InvalidInput.single(file, f"candidates[{i}] lacks a valid id, verdict, finite total or layers"
                                      + hint)
        entries[entry.id] = entry
    return Baseline(file, evaluated_on, entries)


def _finite(value: Any) -> float | None:
    """``value`` as a float when it is a finite JSON number (not a boolean); else None."""
    import math

    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value) if not isinstance(value, int) or abs(value) < 2**1000 else math.inf
    return number if math.isfinite(number) else None


def _baseline_entry(c: Any) -> BaselineEntry | None:
    """One candidate of a baseline, or None when it lacks a valid id, verdict, total or layers."""
    if not isinstance(c, dict):
        return None
    cid, verdict, total, layers = c.get("id"), c.get("verdict"), _finite(c.get("total")), c.get("layers") or {}
    if not isinstance(cid, str) or not cid or not isinstance(verdict, str) or verdict not in VERDICT_RANK \
            or total is None:
        return None
    if not isinstance(layers, dict):
        return None
    scores: dict[str, float | None] = {}
    for lid in LAYER_IDS:
        raw = layers.get(lid)
        scores[lid] = None if raw is None else _finite(raw)
        if raw is not None and scores[lid] is None:
            return None
    return BaselineEntry(cid, verdict, total, scores)


@dataclass(frozen=True)
class LayerChange:
    layer: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 2)


@dataclass(frozen=True)
class Comparison:
    verdict_before: str
    verdict_after: str
    total_before: float
    total_after: float
    layers: tuple[LayerChange, ...]

    @property
    def delta(self) -> float:
        return round(self.total_after - self.total_before, 2)

    @property
    def changed_layers(self) -> tuple[LayerChange, ...]:
        return tuple(lc for lc in self.layers if lc.before != lc.after)

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict_before, "total": self.total_before, "delta": self.delta,
                "layers": {lc.layer: {"before": lc.before, "after": lc.after, "delta": lc.delta}
                           for lc in self.layers}}


# -- results ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CandidateOutcome:
    id: str
    where: Where
    requirements: Requirements
    notes: tuple[str, ...]
    model: ModelResult
    findings: tuple[Finding, ...]
    comparison: Comparison | None = None

    @property
    def passed(self) -> bool:
        return not any(f.fails for f in self.findings)

    @property
    def failing(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.fails)

    @property
    def missing_data_only(self) -> bool:
        """It fails, and only for lack of evidence (JUnit reports that as an error)."""
        failing = self.failing
        return bool(failing) and all(f.missing_data for f in failing)

    def to_dict(self) -> dict[str, Any]:
        m = self.model
        return {
            "id": self.id, "line": self.where.line, "passed": self.passed, "verdict": m.verdict,
            "total": m.total, "pessimistic_total": m.pessimistic_total, "confidence": m.confidence,
            "margin": m.margin, "layers": {lid: m.layers[lid].score for lid in LAYER_IDS},
            "red_flags": [f.id for f in m.red_flags],
            "requirements": self.requirements.model_dump(exclude_none=True),
            "notes": list(self.notes),
            "findings": [f.to_dict() for f in self.findings],
            "baseline": self.comparison.to_dict() if self.comparison else None,
        }


@dataclass(frozen=True)
class GateResult:
    shortlist_file: str          # as shown to people and in annotations (relative where possible)
    name: str
    policy: Policy
    report: Report
    candidates: tuple[CandidateOutcome, ...]
    as_of_source: str            # --as-of | shortlist | today
    baseline: Baseline | None = None
    removed_from_baseline: tuple[str, ...] = field(default=())

    @property
    def failing(self) -> tuple[CandidateOutcome, ...]:
        return tuple(c for c in self.candidates if not c.passed)

    @property
    def passed(self) -> bool:
        """What the exit code says: always true when the policy enforces nothing."""
        return not self.policy.enforced or not self.failing

    def verdict_line(self) -> str:
        n, bad = len(self.candidates), self.failing
        names = ", ".join(c.id for c in bad[:MAX_LISTED])
        if len(bad) > MAX_LISTED:
            names += f" and {len(bad) - MAX_LISTED} more"
        if not self.policy.enforced:
            tail = f"{len(bad)} of {n} candidate(s) would fail: {names}" if bad else f"all {n} candidate(s) pass"
            return f"gate passed (report only, --fail-on never): {tail}"
        if bad:
            return f"gate FAILED: {len(bad)} of {n} candidate(s) fail: {names}"
        return f"gate passed: all {n} candidate(s) pass (fail on {self.policy.fail_on})"

    def to_dict(self) -> dict[str, Any]:
        from model_scorecard._version import __version__

        return {
            "schema_version": GATE_SCHEMA_VERSION,
            "kind": GATE_KIND,
            "tool": "model-scorecard",
            "version": __version__,
            "shortlist": {"file": self.shortlist_file, "name": self.name},
            "evaluated_on": self.report.as_of.isoformat(),
            "evaluated_on_from": self.as_of_source,
            "rubric": self.report.rubric_name,
            "workload": self.report.workload.name,
            "policy": self.policy.to_dict(),
            "passed": self.passed,
            "enforced": self.policy.enforced,
            "verdict": self.verdict_line(),
            "summary": {"candidates": len(self.candidates), "passed": len(self.candidates) - len(self.failing),
                        "failed": len(self.failing)},
            "baseline": None if self.baseline is None else {
                "file": self.baseline.file, "evaluated_on": self.baseline.evaluated_on,
                "removed": list(self.removed_from_baseline)},
            "candidates": [c.to_dict() for c in self.candidates],
            "report": jsonable(self.report.to_dict()),
        }


# -- the gate ---------------------------------------------------------------------------------

def _listed(items: list[str]) -> str:
    head = ", ".join(items[:MAX_LISTED])
    return head + (f" … (+{len(items) - MAX_LISTED})" if len(items) > MAX_LISTED else "")


def _score(x: float | None) -> str:
    return "n/a" if x is None else f"{x:g}"


def _findings(m: ModelResult, req: Requirements, policy: Policy, p_green: float | None = None) -> list[Finding]:
    out: list[Finding] = []
    fail_on = "not-green" if policy.fail_on == "never" else policy.fail_on
    why = "; ".join(m.reasons)
    if m.verdict == "walk-away":
        out.append(Finding("gate/walk-away", f"verdict walk-away: {why}", True))
    elif m.verdict != "green-light":
        out.append(Finding("gate/not-green", f"verdict {m.verdict}: {why}", fail_on == "not-green"))
    for minimum, origin in ((req.min_total, "the shortlist's min_total"), (policy.min_total, "--min-total")):
        if minimum is not None and m.total < minimum:
            out.append(Finding("gate/min-total", f"total {m.total:g} is below {origin} {minimum:g}", True))
    for minimum, origin in ((req.min_p_green, "the shortlist's min_p_green"), (policy.min_p_green, "--min-p-green")):
        if minimum is not None and p_green is not None and p_green < minimum:
            out.append(Finding("gate/min-p-green", f"P(green) {p_green:.2f} is below {origin} {minimum:g} "
                                                   "(scorecard sensitivity, seed 0)", True))
    for lid, minimum in req.layer_minimums().items():
        layer = m.layers[lid]
        title = LAYER_TITLES[lid]
        if layer.score is None:
            out.append(Finding("gate/layer-minimum", f"{title} has no score (no criterion applies); the shortlist "
                               f"requires {lid} ≥ {minimum:g}", True, missing_data=True))
        elif layer.score < minimum:
            out.append(Finding("gate/layer-minimum", f"{title} {layer.score:g} is below the shortlist's minimum "
                               f"{lid}: {minimum:g}", True))
    for flag in m.red_flags:
        how = "derived" if flag.derived else "asserted"
        suffix = " (no_red_flags: true)" if req.no_red_flags else ""
        out.append(Finding(red_flag_rule(flag.id), f"red flag {flag.title} ({how}): {flag.reason}{suffix}",
                           bool(req.no_red_flags)))
    if policy.strict:
        assessed = {lid for lid in LAYER_IDS if m.layers[lid].assessed_by}
        unknown = [c.id for c in m.criteria if c.status == "unknown" and c.layer not in assessed]
        if unknown:
            out.append(Finding("gate/unknown-evidence", f"--strict: {len(unknown)} criteria lack evidence "
                               f"(confidence {m.confidence:.2f}): {_listed(unknown)}", True, missing_data=True))
    return out


def _compare(m: ModelResult, before: BaselineEntry, tolerance: float) -> tuple[Comparison, list[Finding]]:
    layers = tuple(LayerChange(lid, before.layers.get(lid), m.layers[lid].score) for lid in LAYER_IDS)
    comp = Comparison(before.verdict, m.verdict, before.total, m.total, layers)
    out: list[Finding] = []
    if VERDICT_RANK[m.verdict] > VERDICT_RANK[before.verdict]:
        out.append(Finding("baseline/verdict-worse", f"verdict {before.verdict} → {m.verdict} since the baseline",
                           True))
    if -comp.delta > tolerance + 1e-9:
        out.append(Finding("baseline/total-drop", f"total {before.total:g} → {m.total:g} ({comp.delta:+g}; "
                           f"tolerance {tolerance:g})", True))
    for lc in layers:
        if lc.delta is not None and -lc.delta > tolerance + 1e-9:
            out.append(Finding("baseline/layer-drop", f"{LAYER_TITLES[lc.layer]} {_score(lc.before)} → "
                               f"{_score(lc.after)} ({lc.delta:+g})", False))
        elif lc.before is not None and lc.after is None:
            out.append(Finding("baseline/layer-drop", f"{LAYER_TITLES[lc.layer]} {_score(lc.before)} → n/a", False))
    return comp, out


def evaluate_gate(loaded: LoadedShortlist, policy: Policy, as_of: date | None = None,
                  baseline: Baseline | None = None, display_file: str | None = None) -> GateResult:
    """Score the shortlist's candidates and judge each against its requirements.

    The evaluation date is ``as_of``, else the shortlist's ``as_of``, else today.
    """
    from model_scorecard.scoring import evaluate

    if as_of is not None:
        day, source = as_of, "--as-of"
    elif loaded.shortlist.as_of is not None:
        day, source = loaded.shortlist.as_of, "shortlist"
    else:
        day, source = date.today(), "today"
    report = evaluate(loaded.catalog, loaded.rubric, loaded.workload, day)
    # An entry offered as open weights and as an API is two deployments: the gate judges the
    # better of them (the report says which), as a team ships the deployment that passes.
    by_id: dict[str, ModelResult] = {}
    for m in report.models:
        best = by_id.get(m.id)
        if best is None or (VERDICT_RANK[m.verdict], -m.total) < (VERDICT_RANK[best.verdict], -best.total):
            by_id[m.id] = m
    needs_p_green = policy.min_p_green is not None or any(
        loaded.requirements(c).min_p_green is not None for c in loaded.shortlist.candidates)
    robust = None
    if needs_p_green:
        from model_scorecard.scoring.sensitivity import sensitivity

        robust = sensitivity(report, loaded.rubric)
    outcomes = []
    for cand in loaded.shortlist.candidates:
        m = by_id[cand.id]
        req = loaded.requirements(cand)
        findings = _findings(m, req, policy, robust.model(m.key).p_green if robust is not None else None)
        comparison = None
        if baseline is not None:
            before = baseline.entries.get(cand.id)
            if before is None:
                findings.append(Finding("baseline/new-candidate", "not in the baseline: nothing to compare", False))
            else:
                comparison, more = _compare(m, before, policy.tolerance)
                findings.extend(more)
        notes = (cand.notes,) if isinstance(cand.notes, str) else tuple(cand.notes or ())
        outcomes.append(CandidateOutcome(cand.id, loaded.positions[cand.id], req, notes, m, tuple(findings),
                                         comparison))
    removed: tuple[str, ...] = ()
    if baseline is not None:
        removed = tuple(sorted(set(baseline.entries) - set(by_id)))
    return GateResult(display_file or str(loaded.path), loaded.display_name, policy, report, tuple(outcomes),
                      source, baseline, removed)
