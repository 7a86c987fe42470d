"""Evidence: a fact read from an entry by dotted path, with its source, date and basis.

A rubric names facts as dotted paths (checked by :mod:`model_scorecard.schema.facts` when
it loads); here they are resolved against an entry, or against what the calculators
computed for it (:class:`Computed`), into a :data:`Reading` that scoring weighs by its basis.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from model_scorecard.schema.base import Fact
from model_scorecard.schema.catalog import ModelEntry

#: How much a value read for a criterion can be trusted (see ``basis_of``):
#: ``evidence`` -- a sourced fact graded first-party or independent (or ungraded), or a
#: figure computed from such facts; ``third-party`` -- a sourced rewrite: scored, not counted
#: toward an evidence minimum; ``unsourced`` -- a fact with no source; ``assumption`` -- a
#: value inferred from the access mode or a default.
BASES = ("evidence", "third-party", "unsourced", "assumption")


def basis_of(source: str | None, grade: str | None) -> str:
    """The evidence basis of a catalog fact from its (inherited) source and grade."""
    if grade == "third-party":
        return "third-party"
    return "evidence" if source else "unsourced"


def fact_basis(entry: ModelEntry, group: Any, fact: Any) -> str:
    """Inheritance as the readers below apply it: the fact's own source and grade, else its group's, else the entry's.

    The evidence basis of ``fact`` (a Fact inside ``group`` of ``entry``, or a direct fact when ``group`` is None)."""
    if fact is None:
        return "assumption"
    source = fact.source or (group.source if group is not None else None) or entry.source
    grade = fact.grade or (group.grade if group is not None else None) or entry.grade
    return basis_of(source, grade)


@dataclass(frozen=True)
class Computed:
    """A figure a calculator derived, with the inputs and assumptions it used.

    ``basis`` is ``evidence`` when the inputs are evidence, else the weakest input's basis
    (an ``assumption`` when the figure follows from the access mode or a default)."""

    value: Any
    unit: str
    method: str
    inputs: dict[str, Any] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()
    basis: str = "evidence"



# -- reading values -----------------------------------------------------------------------

class Reading(NamedTuple):
    """What scoring keeps of a fact: its value and where it came from."""

    value: Any
    source: str | None
    as_of: str | None
    computed: bool  # a calculator's figure, not a catalog fact
    basis: str  # evidence | third-party | unsourced | assumption (see BASES)


def _computed_reader(name: str) -> Callable[[ModelEntry, dict[str, Computed]], Reading | None]:
    sources: dict[str, str] = {}

    def read(entry: ModelEntry, computed: dict[str, Computed]) -> Reading | None:
        c = computed.get(name)
        if c is None:
            return None
        source = sources.get(c.method)
        if source is None:
            source = sources[c.method] = f"computed: {c.method}"
        return Reading(c.value, source, None, True, c.basis)
    return read


def _fact_reader(parts: tuple[str, ...]) -> Callable[[ModelEntry, dict[str, Computed]], Reading | None]:
    def read(entry: ModelEntry, computed: dict[str, Computed]) -> Reading | None:
        obj: Any = entry
        source, as_of, grade = entry.source, entry.as_of, entry.grade
        for part in parts:
            if type(obj) is dict:
                obj = obj.get(part)
            else:
                source, as_of, grade = obj.source or source, obj.as_of or as_of, obj.grade or grade
                obj = getattr(obj, part, None)
            if obj is None:
                return None
        if isinstance(obj, Fact):
            source = obj.source or source
            return Reading(obj.value, source, obj.as_of or as_of, False, basis_of(source, obj.grade or grade))
        if isinstance(obj, (list, tuple, dict)) and not obj:
            return None
        return Reading(obj, source, as_of, False, basis_of(source, grade))
    return read


@lru_cache(maxsize=1024)
def reader(path: str) -> Callable[[ModelEntry, dict[str, Computed]], Reading | None]:
    """A reader for one dotted path, built once per path: the value, its source and date, or None."""
    parts = tuple(path.split("."))
    if parts[0] == "computed":
        return _computed_reader(parts[1])
    return _fact_reader(parts)
