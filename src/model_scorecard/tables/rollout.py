"""The roll-out template of ``scorecard plan`` (``data/rollout.yaml``): phases, their weeks and tasks.

Data, validated like users' files: the phases cover weeks 0 to ``weeks - 1`` in order without
gaps or overlaps, each task falls inside its phase, and a gate or red flag belongs to at most
one phase (so an open issue has exactly one week).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from model_scorecard.schema.base import Slug, Strict

__all__ = ["Phase", "PhaseTask", "RolloutTemplate", "load_rollout"]


class PhaseTask(Strict):
    week: int = Field(ge=0, description="the week the task is due, inside its phase")
    text: str = Field(min_length=1)


class Phase(Strict):
    id: Slug
    title: str = Field(min_length=1)
    first_week: int = Field(ge=0)
    last_week: int = Field(ge=0)
    tasks: list[PhaseTask] = Field(default_factory=list)
    gates: list[Slug] = Field(default_factory=list, description="gate ids whose open checks this phase takes up")
    red_flags: list[Slug] = Field(default_factory=list, description="red-flag ids this phase takes up")


class RolloutTemplate(Strict):
    schema_version: Literal[1]
    weeks: int = Field(ge=1, le=104, description="weeks in the plan, numbered from 0")
    default_phase: Slug = Field(description="the phase of evidence gaps, lifecycle dates and unlisted issues")
    phases: list[Phase] = Field(min_length=1)

    def phase(self, phase_id: str) -> Phase:
        return next(p for p in self.phases if p.id == phase_id)

    def phase_of_week(self, week: int) -> Phase:
        return next(p for p in self.phases if p.first_week <= week <= p.last_week)

    def phase_for(self, kind: Literal["gate", "red-flag"], issue_id: str) -> Phase:
        """The phase that takes up a gate or red flag, or the default phase."""
        for p in self.phases:
            if issue_id in (p.gates if kind == "gate" else p.red_flags):
                return p
        return self.phase(self.default_phase)


def _problems(template: RolloutTemplate) -> list[tuple[tuple[object, ...], str]]:
    found: list[tuple[tuple[object, ...], str]] = []
    expected = 0
    owner: dict[tuple[str, str], str] = {}
    for i, p in enumerate(template.phases):
        if p.first_week != expected:
            found.append((("phases", i, "first_week"), f"phase '{p.id}' starts in week {p.first_week}; "
                                                       f"the previous phase leaves week {expected} next"))
        if p.last_week < p.first_week:
            found.append((("phases", i, "last_week"), f"phase '{p.id}' ends before it starts"))
        expected = p.last_week + 1
        for j, t in enumerate(p.tasks):
            if not p.first_week <= t.week <= p.last_week:
                found.append((("phases", i, "tasks", j, "week"),
                              f"week {t.week} is outside phase '{p.id}' (weeks {p.first_week}-{p.last_week})"))
        for kind, ids in (("gates", p.gates), ("red_flags", p.red_flags)):
            for j, issue in enumerate(ids):
                if (kind, issue) in owner:
                    found.append((("phases", i, kind, j), f"'{issue}' is already taken up by phase "
                                                         f"'{owner[kind, issue]}'"))
                owner[kind, issue] = p.id
    if expected != template.weeks:
        found.append((("weeks",), f"the phases cover weeks 0-{expected - 1}, not 0-{template.weeks - 1}"))
    if template.default_phase not in {p.id for p in template.phases}:
        found.append((("default_phase",), f"no phase '{template.default_phase}'"))
    if len({p.id for p in template.phases}) != len(template.phases):
        found.append((("phases",), "phase ids repeat"))
    return found


def _template_from(path: Path) -> RolloutTemplate:
    from model_scorecard.errors import InvalidInput
    from model_scorecard.schema.located import Located, validate
    from model_scorecard.schema.yamlio import load_file

    located = Located.from_document(load_file(path))
    template = validate(located, RolloutTemplate)
    problems = [located.problem(where, message) for where, message in _problems(template)]
    if problems:
        raise InvalidInput(f"{path}: {len(problems)} problem(s)", problems)
    return template


@lru_cache(maxsize=4)
def load_rollout(path: str | Path | None = None) -> RolloutTemplate:
    """The roll-out template: the bundled ``data/rollout.yaml`` unless ``path`` names another."""
    from model_scorecard import bundled

    return _template_from(Path(path) if path else bundled.data_file("rollout.yaml"))
