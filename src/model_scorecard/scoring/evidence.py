"""Evidence: a fact read from an entry by dotted path, with its source, date and basis.

A rubric names facts as dotted paths (checked by :mod:`model_scorecard.schema.facts` when
it loads); here they are resolved against an entry, or against what the calculators
computed for it (:class:`Computed`), into a :data:`Reading` that scoring weighs by its basis.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

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

# What scoring keeps of a fact: (value, source, as_of, computed, basis) -- a plain tuple, as
# scoring reads 30 criteria and 9 red flags for each of 10,000 models.
Reading = tuple[Any, str | None, str | None, bool, str]


def _computed_reader(name: str) -> Callable[[ModelEntry, dict[str, Computed]], Reading | None]:
    sources: dict[str, str] = {}

    def read(entry: ModelEntry, computed: dict[str, Computed]) -> Reading | None:
        c = computed.get(name)
        if c is None:
            return None
        source = sources.get(c.method)
        if source is None:
            source = sources[c.method] = f"computed: {c.method}"
        return (c.value, source, None, True, c.basis)
    return read


def _fact_reader(parts: tuple[str, ...]) -> Callable[[ModelEntry, dict[str, Computed]], Reading | None]:
    if len(parts) == 2:  # `group.fact` or `mapping.key`: most rubric fields, unrolled
        group_name, name = parts

        def read2(entry: ModelEntry, computed: dict[str, Computed]) -> Reading | None:
            group = getattr(entry, group_name, None)
            if group is None:
                return None
            source, as_of, grade = entry.source, entry.as_of, entry.grade
            if type(group) is dict:
                obj = group.get(name)
            else:
                source, as_of, grade = group.source or source, group.as_of or as_of, group.grade or grade
                obj = getattr(group, name, None)
            if obj is None:
                return None
            if isinstance(obj, Fact):
                source = obj.source or source
                return (obj.value, source, obj.as_of or as_of, False, basis_of(source, obj.grade or grade))
            if isinstance(obj, (list, tuple, dict)) and not obj:
                return None
            return (obj, source, as_of, False, basis_of(source, grade))
        return read2

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
            return (obj.value, source, obj.as_of or as_of, False, basis_of(source, obj.grade or grade))
        if isinstance(obj, (list, tuple, dict)) and not obj:
            return None
        return (obj, source, as_of, False, basis_of(source, grade))
    return read


@lru_cache(maxsize=1024)
def reader(path: str) -> Callable[[ModelEntry, dict[str, Computed]], Reading | None]:
    """A reader for one dotted path, built once per path: the value, its source and date, or None."""
    parts = tuple(path.split("."))
    if parts[0] == "computed":
        return _computed_reader(parts[1])
    return _fact_reader(parts)
