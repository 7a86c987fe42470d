"""A model's 90-day roll-out: the template's phases on dated weeks, and the model's open issues as tasks.

Week ``n`` of a plan starting on ``start`` runs from ``start + 7n`` days to six days later;
the plan of 13 weeks (0-12) ends on day 90. The model is scored as of the start day, then
each open issue of the deployment becomes a task in the week of the phase that takes it up
(``data/rollout.yaml``):

- a red flag (blocking), in its phase or the default one;
- a failed gate (blocking) or an unknown gate (a check), in its phase or the default one;
- a layer short of its evidence minimum (blocking), with the facts that would lift it, in the
  default phase -- it decides the go/no-go;
- a shutdown date inside the plan (blocking) or after it, a deprecation date up to the plan's
  end, in the default phase; a shutdown inside the plan is also marked in its own week.

A walk-away or not-applicable model's plan says so first (:attr:`RolloutPlan.stop`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from model_scorecard.errors import UserError
from model_scorecard.schema.catalog import Catalog
from model_scorecard.schema.rubric import Rubric
from model_scorecard.schema.workload import Workload
from model_scorecard.scoring.results import ModelResult, Report
from model_scorecard.tables.rollout import RolloutTemplate, load_rollout

PLAN_SCHEMA_VERSION = 1
DEPLOYMENTS = ("api", "self-hosted")
#: What a task comes from: the template, or one kind of open issue.
TASK_KINDS = ("phase", "red-flag", "gate", "evidence", "lifecycle")


@dataclass(frozen=True)
class RolloutTask:
    text: str
    kind: str                 # one of TASK_KINDS
    blocking: bool = False    # must be closed before the roll-out goes on
    ref: str | None = None    # the red flag, gate or layer id it comes from

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "ref": self.ref, "blocking": self.blocking, "text": self.text}


@dataclass(frozen=True)
class PlanWeek:
    week: int
    start: date
    end: date
    phase: str
    phase_title: str
    tasks: tuple[RolloutTask, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"week": self.week, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "phase": self.phase, "phase_title": self.phase_title, "tasks": [t.to_dict() for t in self.tasks]}


@dataclass(frozen=True)
class RolloutPlan:
    key: str
    name: str
    deployment: str
    verdict: str
    total: float
    margin: float
    start: date
    end: date
    stop: str | None          # why not to start, first in the plan (walk-away, not-applicable)
    weeks: tuple[PlanWeek, ...]
    rubric_name: str
    workload_name: str
    catalog_name: str | None = None

    @property
    def blocking(self) -> list[tuple[int, RolloutTask]]:
        return [(w.week, t) for w in self.weeks for t in w.tasks if t.blocking]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": PLAN_SCHEMA_VERSION, "tool": "model-scorecard", "kind": "rollout-plan",
            "model": {"key": self.key, "name": self.name, "deployment": self.deployment, "verdict": self.verdict,
                      "total": self.total, "margin": self.margin},
            "catalog": self.catalog_name, "rubric": self.rubric_name, "workload": self.workload_name,
            "start": self.start.isoformat(), "end": self.end.isoformat(), "stop": self.stop,
            "blocking": len(self.blocking),
            "weeks": [w.to_dict() for w in self.weeks],
        }


# -- dates ------------------------------------------------------------------------------------

def week_start(start: date, week: int) -> date:
    return start + timedelta(days=7 * week)


def week_bounds(start: date, week: int) -> tuple[date, date]:
    """First and last day of week ``week`` (0-based) of a plan starting on ``start``."""
    first = week_start(start, week)
    return first, first + timedelta(days=6)


def plan_end(start: date, weeks: int) -> date:
    """The last day of the last week: day 90 of a 13-week plan."""
    return week_bounds(start, weeks - 1)[1]


def week_of(day: date, start: date) -> int:
    """The plan week ``day`` falls in (negative before the start)."""
    return (day - start).days // 7


# -- the open issues of one deployment ------------------------------------------------------------

def _lifecycle_tasks(result: ModelResult, start: date, end: date, weeks: int) -> list[tuple[int | None, RolloutTask]]:
    """(week or None for the default phase, task) for the shutdown and deprecation dates."""
    life = result.computed.get("lifecycle")
    if life is None:
        return []
    shutdown = life.inputs.get("shutdown_date")
    deprecation = life.inputs.get("deprecation_date")
    out: list[tuple[int | None, RolloutTask]] = []
    if shutdown:
        day = date.fromisoformat(shutdown)
        if start <= day <= end:
            week = week_of(day, start)
            out.append((None, RolloutTask(
                f"Shutdown on {shutdown}, in week {week} of this plan (which ends {end.isoformat()}): choose a "
                "successor model or a self-hosted deployment before the go/no-go", "lifecycle", True, "shutdown")))
            out.append((week, RolloutTask(f"The vendor shuts the model down on {shutdown}", "lifecycle", True,
                                          "shutdown")))
        elif day > end:
            out.append((None, RolloutTask(
                f"Shutdown announced for {shutdown}, {(day - end).days} days after this plan ends: schedule the "
                "migration to a successor", "lifecycle", False, "shutdown")))
    if deprecation:
        day = date.fromisoformat(deprecation)
        if day <= end:
            when = "since" if day <= start else "on"
            out.append((None, RolloutTask(
                f"Deprecated {when} {deprecation}: confirm with the vendor how long it stays available and name "
                "its successor", "lifecycle", False, "deprecation")))
    return out


def issue_tasks(result: ModelResult, template: RolloutTemplate, start: date) -> dict[int, list[RolloutTask]]:
    """The deployment's open issues as tasks, by week (blocking first within a week)."""
    default_week = template.phase(template.default_phase).first_week
    end = plan_end(start, template.weeks)
    by_week: dict[int, list[RolloutTask]] = {}

    def put(week: int, task: RolloutTask) -> None:
        by_week.setdefault(week, []).append(task)

    for flag in result.red_flags:
        text = f"Red flag — {flag.title}: {flag.reason}. Resolve it, or record why it is accepted"
        put(template.phase_for("red-flag", flag.id).first_week, RolloutTask(text, "red-flag", True, flag.id))
    for gate in result.gates:
        if gate.passed is True:
            continue
        failed = gate.passed is False
        text = (f"Failed gate — {gate.title}: {gate.reason}. Fix it or stop the roll-out" if failed
                else f"Check gate — {gate.title}: {gate.reason}. Establish it with a sourced fact or a measurement")
        put(template.phase_for("gate", gate.id).first_week, RolloutTask(text, "gate", failed, gate.id))
    for lid, layer in result.layers.items():
        if layer.short_of_evidence:
            lift = "; ".join(layer.lift) if layer.lift else "a sourced fact for one of its criteria"
            put(default_week, RolloutTask(
                f"Evidence — {layer.title}: {layer.evidence_count} of {layer.evidence_required} required criteria "
                f"rest on evidence; would lift it: {lift}", "evidence", True, lid))
    for week, task in _lifecycle_tasks(result, start, end, template.weeks):
        put(default_week if week is None else week, task)
    for tasks in by_week.values():
        tasks.sort(key=lambda t: not t.blocking)  # stable: issue order kept within each group
    return by_week


def _stop(result: ModelResult, report: Report) -> str | None:
    if result.verdict == "walk-away":
        return (f"Walk away: {len(result.red_flags)} red flags reach the rubric's walk-away count "
                f"({report.walk_away_flags}). Do not start this roll-out; the weeks below show what would have "
                "to change first.")
    if result.verdict == "not-applicable":
        why = result.reasons[0] if result.reasons else f"workload '{report.workload.name}' does not serve it"
        return f"Not applicable: {why}. There is nothing to roll out for this workload."
    return None


def build_plan(result: ModelResult, report: Report, start: date,
               template: RolloutTemplate | None = None) -> RolloutPlan:
    """The dated plan of one scored deployment."""
    template = template or load_rollout()
    issues = issue_tasks(result, template, start)
    weeks = []
    for n in range(template.weeks):
        phase = template.phase_of_week(n)
        first, last = week_bounds(start, n)
        own = [RolloutTask(t.text, "phase") for t in phase.tasks if t.week == n]
        weeks.append(PlanWeek(n, first, last, phase.id, phase.title, tuple(issues.get(n, []) + own)))
    return RolloutPlan(result.key or result.id, result.name, result.deployment, result.verdict, result.total,
                       result.margin, start, plan_end(start, template.weeks), _stop(result, report), tuple(weeks),
                       report.rubric_name, report.workload.name, report.catalog_name)


# -- from a catalog id to a plan -------------------------------------------------------------------

def split_model_id(model_id: str, ids: list[str], catalog_label: str) -> tuple[str, str | None]:
    """``id`` or ``id@api`` / ``id@self-hosted`` → (entry id, deployment or None)."""
    from model_scorecard.errors import suggest

    entry_id, at, deployment = model_id.partition("@")
    if at and deployment not in DEPLOYMENTS:
        raise UserError(f"'{model_id}': the part after @ names a deployment, api or self-hosted")
    if entry_id not in ids:
        raise UserError(f"no model '{entry_id}' in {catalog_label}{suggest(entry_id, ids)}",
                        hint=f"ids: {', '.join(ids[:20])}{' …' if len(ids) > 20 else ''}")
    return entry_id, (deployment or None)


def choose_deployment(report: Report, entry_id: str, deployment: str | None) -> ModelResult:
    """The one row to plan: the deployment named, the entry's only row, or a usage error naming the choices."""
    rows = report.deployments_of(entry_id)
    if deployment is not None:
        rows = [r for r in rows if r.deployment == deployment]
        if not rows:
            raise UserError(f"'{entry_id}' has no {deployment} deployment")
    if len(rows) > 1:
        choices = ", ".join(r.key or r.id for r in rows)
        raise UserError(f"'{entry_id}' has {len(rows)} deployments; plan one of them: {choices}",
                        hint=f"e.g. scorecard plan {rows[0].key or rows[0].id}")
    return rows[0]


def plan_rollout(catalog: Catalog, rubric: Rubric, workload: Workload | None, model_id: str, start: date,
                 template: RolloutTemplate | None = None) -> RolloutPlan:
    """Score ``model_id`` (``id``, ``id@api`` or ``id@self-hosted``) as of ``start`` and plan its roll-out."""
    from model_scorecard.scoring.score import evaluate

    ids = [m.id for m in catalog.models]
    entry_id, deployment = split_model_id(model_id, ids, catalog.name or "the catalog")
    one = catalog.model_copy(update={"models": [m for m in catalog.models if m.id == entry_id]})
    report = evaluate(one, rubric, workload, start)
    return build_plan(choose_deployment(report, entry_id, deployment), report, start, template)
