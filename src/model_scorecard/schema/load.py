"""Files → validated models. Every problem is reported at once, as file:line:col: path: message."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from model_scorecard import bundled
from model_scorecard._gc import paused_gc
from model_scorecard.errors import InvalidInput, UserError, suggest
from model_scorecard.schema.catalog import Catalog
from model_scorecard.schema.facts import check_path
from model_scorecard.schema.located import (
    Located,
    Where,
    check_unique_ids,
    expect_mapping,
    validate,
)
from model_scorecard.schema.rubric import LAYER_IDS, Rubric
from model_scorecard.schema.yamlio import load_file

MAX_EXTENDS_DEPTH = 8


# -- catalogs --------------------------------------------------------------------------------

def catalog_from(located: Located) -> Catalog:
    expect_mapping(located, "catalog")
    catalog = validate(located, Catalog)
    problems = check_unique_ids(located, catalog.models, "models", "id")
    for i, entry in enumerate(catalog.models):
        if entry.params is not None and entry.active_params is not None \
                and entry.active_params.value > entry.params.value:
            problems.append(located.problem(
                ("models", i, "active_params"), f"{entry.active_params.value:,} active parameters exceed params "
                f"({entry.params.value:,}): a mixture of experts activates part of its parameters, never more"))
        for j, a in enumerate(entry.assessments):
            if (a.criterion is None) == (a.layer is None):
                problems.append(located.problem(("models", i, "assessments", j), "name either a `criterion` or a `layer`"))
            elif a.layer is not None and a.layer not in LAYER_IDS:
                problems.append(located.problem(("models", i, "assessments", j, "layer"),
                                                f"unknown layer '{a.layer}'{suggest(a.layer, LAYER_IDS)}"))
    if problems:
        raise InvalidInput(f"{located.file}: {len(problems)} problem(s)", problems)
    return catalog


def resolve_catalog(ref: str | Path | None) -> Path:
    """A catalog file: ``ref`` as a path when that file exists, else a bundled catalog of that
    name (``current``, ``roadmap-2024``), else the bundled default when ``ref`` is None."""
    if ref is None:
        return bundled.default_catalog()
    path = Path(ref)
    if path.exists():
        return path
    named = bundled.catalog_by_name(str(ref).removesuffix(".yaml"))
    if named is not None:
        return named
    if path.suffix in (".yaml", ".yml") or "/" in str(ref):
        return path  # reported as not found, at its own name
    names = bundled.catalog_names()
    raise UserError(f"no catalog file or bundled catalog named '{ref}'{suggest(str(ref), names)}",
                    hint=f"bundled catalogs: {', '.join(names)}; or give a path to a YAML file")


def find_entry(model_id: str, catalog: str | Path | None = None) -> Any:
    """The entry ``model_id`` of ``catalog``, or with no catalog named, of the first bundled
    catalog that has it (the default first); None when none has it."""
    refs: list[str | Path | None] = [catalog] if catalog is not None else [
        None, *(n for n in bundled.catalog_names() if bundled.catalog_by_name(n) != bundled.default_catalog())]
    for ref in refs:
        found = next((m for m in load_catalog(ref).models if m.id == model_id), None)
        if found is not None:
            return found
    return None


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load and validate a catalog: a file, a bundled catalog's name (``current``,
    ``roadmap-2024``), or the bundled default when ``path`` is None."""
    with paused_gc():
        return catalog_from(Located.from_document(load_file(resolve_catalog(path))))


# -- rubrics and extends ---------------------------------------------------------------------

def _reroot(where: dict[tuple[Any, ...], Where], src: tuple[Any, ...], dst: tuple[Any, ...],
            out: dict[tuple[Any, ...], Where]) -> None:
    n = len(src)
    for path, w in where.items():
        if path[:n] == src:
            out[dst + path[n:]] = w
        elif path[:1] == ("__key__",) and path[1:n + 1] == src:
            out[("__key__", *dst, *path[n + 1:])] = w


def _drop(where: dict[tuple[Any, ...], Where], prefix: tuple[Any, ...]) -> None:
    n = len(prefix)
    for path in [p for p in where if p[:n] == prefix or (p[:1] == ("__key__",) and p[1:n + 1] == prefix)]:
        del where[path]


def _merge(parent: Located, child: Located) -> Located:
    """Child over parent: scalars replace, layers and criteria merge by id, `remove: true` drops."""
    data = copy.deepcopy(parent.data)
    where = dict(parent.where)
    for key, value in child.data.items():
        if key == "extends":
            continue
        if key == "layers" and isinstance(value, dict) and isinstance(data.get("layers"), dict):
            for lid, layer in value.items():
                base = data["layers"].get(lid)
                if not (isinstance(layer, dict) and isinstance(base, dict)):
                    data["layers"][lid] = layer
                    _drop(where, ("layers", lid))
                    _reroot(child.where, ("layers", lid), ("layers", lid), where)
                    continue
                for lk, lv in layer.items():
                    if lk == "criteria" and isinstance(lv, list) and isinstance(base.get("criteria"), list):
                        _merge_criteria(base, lv, lid, child, where)
                    else:
                        base[lk] = lv
                        _drop(where, ("layers", lid, lk))
                        _reroot(child.where, ("layers", lid, lk), ("layers", lid, lk), where)
            continue
        if key == "red_flags" and isinstance(value, dict) and isinstance(data.get("red_flags"), dict):
            for fid, rule in value.items():
                _drop(where, ("red_flags", fid))
                if rule is None:
                    data["red_flags"].pop(fid, None)
                else:
                    data["red_flags"][fid] = rule
                    _reroot(child.where, ("red_flags", fid), ("red_flags", fid), where)
            continue
        data[key] = value
        _drop(where, (key,))
        _reroot(child.where, (key,), (key,), where)
    data.pop("extends", None)
    return Located(data, child.file, where)


def _merge_criteria(base: dict[str, Any], items: list[Any], lid: str, child: Located,
                    where: dict[tuple[Any, ...], Where]) -> None:
    """Merge a child's criteria into the parent's by id and re-point every position."""
    prefix = ("layers", lid, "criteria")
    before = dict(where)
    merged = list(base["criteria"])
    sources: list[list[tuple[dict[tuple[Any, ...], Where], tuple[Any, ...]]]] = [
        [(before, (*prefix, i))] for i in range(len(merged))]
    for j, item in enumerate(items):
        idx = next((i for i, c in enumerate(merged)
                    if isinstance(c, dict) and isinstance(item, dict) and c.get("id") == item.get("id")), None)
        if idx is None:
            merged.append(item)
            sources.append([(child.where, (*prefix, j))])
        elif isinstance(item, dict) and item.get("remove") is True:
            del merged[idx], sources[idx]
        else:
            merged[idx] = {**merged[idx], **item}
            sources[idx].append((child.where, (*prefix, j)))
    base["criteria"] = merged
    _drop(where, prefix)
    if prefix in before:
        where[prefix] = before[prefix]
    for new_index, origins in enumerate(sources):
        for src_where, src in origins:
            _reroot(src_where, src, (*prefix, new_index), where)


def _resolve_rubric_ref(ref: str, relative_to: Path | None) -> Path:
    by_name = bundled.rubric_by_name(ref)
    candidate = (relative_to / ref) if relative_to and not Path(ref).is_absolute() else Path(ref)
    if candidate.is_file():
        return candidate
    if by_name is not None:
        return by_name
    raise UserError(f"rubric '{ref}' not found",
                    hint=f"give a path to a rubric file or a bundled name: {', '.join(bundled.rubric_names())}")


def rubric_chain(path: Path, depth: int = 0, seen: tuple[Path, ...] = ()) -> Located:
    located = Located.from_document(load_file(path))
    expect_mapping(located, "rubric")
    parent_ref = located.data.get("extends")
    if parent_ref is None:
        return located
    if not isinstance(parent_ref, str):
        raise InvalidInput(f"{located.file}: invalid input", [located.problem(("extends",), "must be a rubric name or path")])
    try:
        parent_path = _resolve_rubric_ref(parent_ref, path.parent).resolve()
    except UserError as exc:
        raise InvalidInput(f"{located.file}: invalid input", [located.problem(("extends",), exc.message + ("; " + exc.hint if exc.hint else ""))]) from None
    if parent_path in seen or parent_path == path.resolve() or depth >= MAX_EXTENDS_DEPTH:
        raise InvalidInput(f"{located.file}: invalid input", [located.problem(("extends",), "extends forms a cycle or is nested too deep")])
    parent = rubric_chain(parent_path, depth + 1, (*seen, path.resolve()))
    return _merge(parent, located)


def rubric_from(located: Located) -> Rubric:
    rubric = validate(located, Rubric)
    problems = []
    for lid, layer in rubric.layers.items():
        for i, c in enumerate(layer.criteria):
            for j, f in enumerate([c.field, *c.fallbacks]):
                if f is None:
                    continue
                error = check_path(f)
                if error:
                    loc = ("layers", lid, "criteria", i, "field") if j == 0 else ("layers", lid, "criteria", i, "fallbacks", j - 1)
                    problems.append(located.problem(loc, error))
    for fid, rule in rubric.red_flags.items():
        for k, cond in enumerate(rule.when):
            error = check_path(cond.field)
            if error:
                problems.append(located.problem(("red_flags", fid, "when", k, "field"), error))
    seen: dict[str, str] = {}
    for lid, c in rubric.criteria():
        if c.id in seen:
            i = [x.id for x in rubric.layers[lid].criteria].index(c.id)
            problems.append(located.problem(("layers", lid, "criteria", i, "id"),
                                            f"criterion id '{c.id}' is also used in layer {seen[c.id]}"))
        seen.setdefault(c.id, lid)
    if problems:
        raise InvalidInput(f"{located.file}: {len(problems)} problem(s)", problems)
    return rubric


def load_rubric(ref: str | Path | None = None) -> Rubric:
    """Load a rubric by path or bundled name (default: the bundled production rubric)."""
    path = _resolve_rubric_ref(str(ref or bundled.DEFAULT_RUBRIC), Path.cwd())
    return rubric_from(rubric_chain(path))


# -- reference cohorts ----------------------------------------------------------------------

def load_cohorts() -> dict[str, Any]:
    """The bundled reference cohorts (data/cohorts.yaml) by id."""
    from model_scorecard.schema.rubric import CohortFile

    located = Located.from_document(load_file(bundled.data_file("cohorts.yaml")))
    return {c.id: c for c in validate(located, CohortFile).cohorts}
