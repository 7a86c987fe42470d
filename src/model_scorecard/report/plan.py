"""``scorecard plan`` as GitHub-flavoured Markdown: a dated checklist, one section per week.

Every string that comes from input (the model's name and id, flag titles and reasons, the
facts that would lift a layer, the template's texts) goes through
:func:`.escape.markdown_text`, or :func:`.escape.markdown_code` for ids.
"""

from __future__ import annotations

from model_scorecard.report.escape import markdown_code as _code
from model_scorecard.report.escape import markdown_text as _text
from model_scorecard.report.markdown import VERDICT_MARK
from model_scorecard.scoring.rollout import PlanWeek, RolloutPlan, RolloutTask

STOP_MARK = {"walk-away": "⛔", "not-applicable": "➖"}


def _phase_span(plan: RolloutPlan, week: PlanWeek) -> str:
    weeks = [w.week for w in plan.weeks if w.phase == week.phase]
    return f"week {weeks[0]}" if len(weeks) == 1 else f"weeks {weeks[0]}–{weeks[-1]}"


def _task(task: RolloutTask) -> str:
    return f"- [ ] {'**Blocking.** ' if task.blocking else ''}{_text(task.text)}"


def render(plan: RolloutPlan) -> str:
    label = _code(plan.key) if plan.name == plan.key else f"{_text(plan.name)} ({_code(plan.key)})"
    lines = [f"# 90-day roll-out: {label}", ""]
    if plan.stop:
        lines += [f"> {STOP_MARK.get(plan.verdict, '⛔')} **{_text(plan.stop)}**", ""]
    catalog = f" · catalog {_text(plan.catalog_name)}" if plan.catalog_name else ""
    lines += [f"Verdict on {plan.start.isoformat()}: **{VERDICT_MARK.get(plan.verdict, _text(plan.verdict))}** "
              f"(total {plan.total:.1f}, margin {plan.margin:+.1f}) · rubric {_text(plan.rubric_name)} · "
              f"workload {_text(plan.workload_name)}{catalog} · deployment {_text(plan.deployment)}", "",
              f"Weeks 0–{len(plan.weeks) - 1}: {plan.start.isoformat()} to {plan.end.isoformat()} "
              f"(day {(plan.end - plan.start).days}).", ""]
    blocking = plan.blocking
    if blocking:
        first = min(week for week, _ in blocking)
        lines += [f"**{len(blocking)} blocking task{'s' if len(blocking) != 1 else ''}**, the first due in "
                  f"week {first}. The roll-out goes on only when each is closed.", ""]
    else:
        lines += ["No blocking task: the model's gates, red flags and evidence leave nothing open.", ""]
    for week in plan.weeks:
        lines.append(f"## Week {week.week} · {week.start.isoformat()} – {week.end.isoformat()} · "
                     f"{_text(week.phase_title)} ({_phase_span(plan, week)})")
        lines.append("")
        lines += [_task(t) for t in week.tasks] or [f"- Continue: {_text(week.phase_title)}"]
        lines.append("")
    return "\n".join(lines)
