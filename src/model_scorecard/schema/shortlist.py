"""A team's shortlist of candidate models, and what each must achieve to pass the CI gate.

A shortlist names catalogs (paths relative to the shortlist file), an optional rubric and
workload, and the candidates by catalog id, each with optional requirements::

    schema_version: 1
    name: Chat assistant shortlist
    catalog: team-catalog.yaml            # or a list of catalogs
    rubric: production                    # bundled name or path; default: production
    workload: chat                        # preset name, path, or an inline mapping
    as_of: 2026-11-23                     # evaluation date; pins the gate's result
    require:                              # defaults for every candidate
      no_red_flags: true
    candidates:
      - llama-3.3-70b-instruct            # a bare id: only the rubric's verdict counts
      - id: gpt-oss-120b
        min_total: 20
        safety_compliance: 4              # a minimum for one layer, keyed by layer id
        notes: our default for long documents

Loading checks everything a gate run needs before scoring anything: the file itself, that
the catalogs, rubric and workload load, and that every candidate id is in a catalog.
Every problem is reported at once, located in the shortlist as file:line:col.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BeforeValidator, Field

from model_scorecard import bundled
from model_scorecard.errors import (
    InvalidInput,
    Problem,
    ScorecardError,
    UserError,
    suggest,
)
from model_scorecard.schema.base import Date, Slug, Strict
from model_scorecard.schema.catalog import Catalog, ModelEntry
from model_scorecard.schema.rubric import LAYER_IDS, Rubric
from model_scorecard.schema.workload import Workload

SHORTLIST_SCHEMA_VERSION = 1
LayerMinimum = Annotated[float, Field(ge=0, le=5)]
CatalogRef = Annotated[str, Field(min_length=1)]


class Requirements(Strict):
    """What a candidate must achieve beyond the rubric's verdict. Absent means no requirement."""

    min_total: Annotated[float, Field(ge=0, le=30)] | None = Field(
        default=None, description="the candidate's total (0–30) must be at least this")
    no_red_flags: bool | None = Field(
        default=None, description="any red flag fails the candidate (the rubric alone walks away at 2)")
    min_p_green: Annotated[float, Field(ge=0, le=1)] | None = Field(
        default=None, description="the candidate's P(green) from `scorecard sensitivity` (seed 0, 10,000 draws) "
                                  "must be at least this (0–1)")
    capability: LayerMinimum | None = Field(default=None, description="minimum Capability layer score (0–5)")
    safety_compliance: LayerMinimum | None = Field(default=None, description="minimum Safety & Compliance score")
    latency_throughput: LayerMinimum | None = Field(default=None, description="minimum Latency & Throughput score")
    cost_to_serve: LayerMinimum | None = Field(default=None, description="minimum Cost-to-Serve score")
    operational_maturity: LayerMinimum | None = Field(default=None, description="minimum Operational Maturity score")
    ecosystem_moat: LayerMinimum | None = Field(default=None, description="minimum Ecosystem Moat score")

    def layer_minimums(self) -> dict[str, float]:
        return {lid: getattr(self, lid) for lid in LAYER_IDS if getattr(self, lid) is not None}

    def over(self, defaults: "Requirements") -> "Requirements":
        """These requirements, with ``defaults`` filling what they leave out."""
        merged = {name: getattr(self, name) if getattr(self, name) is not None else getattr(defaults, name)
                  for name in Requirements.model_fields}
        return Requirements(**merged)


def _bare_id(value: Any) -> Any:
    return {"id": value} if isinstance(value, str) else value


class Candidate(Requirements):
    """One shortlisted model: a catalog id, its requirements and the team's notes."""

    id: Slug = Field(description="the candidate's id in one of the catalogs")
    notes: str | list[str] | None = Field(
        default=None, description="the team's notes on the candidate: a line or a list of lines")


CandidateItem = Annotated[Candidate, BeforeValidator(_bare_id, json_schema_input_type=Union[Slug, Candidate])]


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class InlineWorkload(Workload):
    """A workload written inline in a shortlist: a workload's fields, its name optional ('inline')."""

    name: Slug = Field(default="inline", description="the workload's id (a preset's name, or your own)")


def _as_written(value: Any) -> Any:
    return value


# A shortlist's ``workload:`` as read: a preset name or path, or a mapping that load_shortlist
# validates as a Workload (so its problems are located at their lines, as ``workload.<field>``).
# Its JSON Schema is the Workload's own fields (InlineWorkload), so editors check inline workloads too.
WorkloadSpec = Annotated[Union[str, dict[str, Any], None],
                         BeforeValidator(_as_written, json_schema_input_type=Union[str, InlineWorkload, None])]


class Shortlist(Strict):
    """The shortlist file as written."""

    schema_version: Literal[1] = Field(description="version of the shortlist format: 1")
    name: str | None = Field(default=None, description="the shortlist's name, shown in the gate's output")
    description: str | None = Field(default=None, description="what the shortlist is for")
    catalog: Annotated[list[CatalogRef], Field(min_length=1),
                       BeforeValidator(_one_or_many,
                                       json_schema_input_type=Union[CatalogRef, Annotated[list[CatalogRef],
                                                                                          Field(min_length=1)]]),
                       Field(description="catalog path(s), relative to this file, or bundled catalog names "
                                         "(current, roadmap-2024)")]
    rubric: str | None = Field(default=None, description="bundled rubric name or path; default: production")
    workload: WorkloadSpec = Field(
        default=None, description="preset name, a workload file, or the workload written inline")
    as_of: Date | None = Field(default=None, description="evaluation date; default: today (or --as-of)")
    require: Requirements = Field(default=Requirements(), description="requirements every candidate inherits")
    candidates: list[CandidateItem] = Field(
        min_length=1, description="the models to gate: a catalog id, or an id with requirements")


@dataclass(frozen=True)
class Where:
    """Where something sits in the shortlist file (1-based line and column)."""

    file: str
    line: int | None
    column: int | None


@dataclass(frozen=True)
class LoadedShortlist:
    """A validated shortlist with everything it refers to loaded and checked."""

    path: Path
    shortlist: Shortlist
    catalog: Catalog                      # the candidates' entries only, in shortlist order
    rubric: Rubric
    workload: Workload
    rubric_ref: str                       # as resolved: a bundled name or a path
    catalog_paths: tuple[Path, ...]
    input_paths: tuple[Path, ...]         # every file read: outputs must never overwrite one
    positions: dict[str, Where]           # candidate id → its line in the shortlist

    @property
    def display_name(self) -> str:
        return self.shortlist.name or self.path.stem

    def requirements(self, candidate: Candidate) -> Requirements:
        return candidate.over(self.shortlist.require)


def _beside(base: Path, ref: str) -> Path:
    """``ref`` relative to the shortlist's folder (an absolute path stays as it is)."""
    return Path(os.path.normpath(base / ref))


def _looks_like_path(ref: str) -> bool:
    return "/" in ref or "\\" in ref or ref.endswith((".yaml", ".yml"))


def load_shortlist(path: str | Path, doc: Any = None) -> LoadedShortlist:
    """Load a shortlist and everything it names; raise InvalidInput listing every problem.

    ``doc``: the shortlist already read (``schema.validate`` has it), so it is not read twice."""
    from model_scorecard.schema.load import load_catalog, load_rubric
    from model_scorecard.schema.located import Located, validate
    from model_scorecard.schema.workload import load_workload, workload_presets
    from model_scorecard.schema.yamlio import load_file

    file = Path(path)
    located = Located.from_document(doc if doc is not None else load_file(file))
    if not isinstance(located.data, dict):
        raise InvalidInput(f"{file}: not a shortlist",
                           [located.problem((), "expected a shortlist (a YAML mapping with candidates:)")])
    shortlist = validate(located, Shortlist)
    base = file.parent
    problems: list[Problem] = []
    inputs: list[Path] = [file]

    # -- catalogs: every candidate id must be in exactly one of them ------------------------
    models: dict[str, ModelEntry] = {}
    origin: dict[str, str] = {}
    catalog_paths: list[Path] = []
    listed = isinstance(located.data.get("catalog"), list)

    def loc_of_catalog(i: int) -> tuple[Any, ...]:
        return ("catalog", i) if listed else ("catalog",)

    for i, ref in enumerate(shortlist.catalog):
        cpath = _beside(base, ref)
        if not cpath.is_file() and bundled.catalog_by_name(str(ref)) is not None:
            cpath = bundled.catalog_by_name(str(ref))  # type: ignore[assignment]
        if not cpath.is_file():
            problems.append(located.problem(loc_of_catalog(i), f"catalog '{ref}' not found (looked for {cpath})"))
            continue
        catalog = load_catalog(cpath)  # a broken catalog is reported at its own file:line
        catalog_paths.append(cpath)
        inputs.append(cpath)
        for entry in catalog.models:
            if entry.id in models:
                problems.append(located.problem(loc_of_catalog(i), f"model id '{entry.id}' is in both "
                                                f"{origin[entry.id]} and {ref}; ids must be unique across catalogs"))
            else:
                models[entry.id] = entry
                origin[entry.id] = ref

    positions: dict[str, Where] = {}
    seen: dict[str, int] = {}
    for i, cand in enumerate(shortlist.candidates):
        file_, line, col = located.locate(("candidates", i))
        if cand.id in seen:
            problems.append(located.problem(("candidates", i), f"candidate '{cand.id}' is listed twice "
                                            f"(first at candidates[{seen[cand.id]}])"))
            continue
        seen[cand.id] = i
        positions[cand.id] = Where(file_, line, col)
        if catalog_paths and len(catalog_paths) == len(shortlist.catalog) and cand.id not in models:
            id_loc = ("candidates", i, "id") if isinstance(located.data["candidates"][i], dict) else ("candidates", i)
            problems.append(located.problem(id_loc, f"no model '{cand.id}' in {', '.join(shortlist.catalog)}"
                                            f"{suggest(cand.id, models)}"))

    # -- rubric ------------------------------------------------------------------------------
    rubric: Rubric | None = None
    rubric_ref = shortlist.rubric or "production"
    if shortlist.rubric and _looks_like_path(shortlist.rubric):
        rpath = _beside(base, shortlist.rubric)
        if not rpath.is_file():
            problems.append(located.problem(("rubric",), f"rubric '{shortlist.rubric}' not found (looked for {rpath})"))
        else:
            rubric = load_rubric(rpath)
            rubric_ref = str(rpath)
            inputs.append(rpath)
    else:
        try:
            rubric = load_rubric(rubric_ref)
        except InvalidInput:
            raise
        except UserError as exc:
            problems.append(located.problem(("rubric",), exc.message + (f"; {exc.hint}" if exc.hint else "")))

    # -- workload: preset, file or inline -----------------------------------------------------
    workload: Workload | None = None
    spec = shortlist.workload
    if isinstance(spec, dict):
        sub = {p[1:]: w for p, w in located.where.items() if p[:1] == ("workload",)}
        sub.update({("__key__", *p[2:]): w for p, w in located.where.items() if p[:2] == ("__key__", "workload")})
        data = {"name": InlineWorkload.model_fields["name"].default, **spec}
        try:
            workload = validate(Located(data, located.file, sub), Workload)
        except InvalidInput as exc:
            problems.extend(Problem(p.file, p.line, p.column, f"workload.{p.field}" if p.field else "workload",
                                    p.message) for p in exc.problems)
    else:
        default = rubric.default_workload if rubric else "chat"
        ref = spec or default
        if spec and _looks_like_path(spec) and spec not in workload_presets():
            wpath = _beside(base, spec)
            if not wpath.is_file():
                problems.append(located.problem(("workload",),
                                                f"workload file '{spec}' not found (looked for {wpath})"))
            else:
                workload = load_workload(wpath)
                inputs.append(wpath)
        else:
            try:
                workload = load_workload(ref)
            except InvalidInput:
                raise
            except UserError as exc:
                problems.append(located.problem(("workload",), exc.message + (f"; {exc.hint}" if exc.hint else "")))

    if problems:
        raise InvalidInput(f"{file}: {len(problems)} problem(s)", problems)
    if rubric is None or workload is None:  # pragma: no cover - each path above reports a problem
        raise ScorecardError("shortlist loaded without a rubric or workload")
    entries = [models[c.id] for c in shortlist.candidates]
    catalog = Catalog(schema_version=1, name=shortlist.name or file.stem, models=entries)
    return LoadedShortlist(file, shortlist, catalog, rubric, workload, rubric_ref, tuple(catalog_paths),
                           tuple(inputs), positions)
