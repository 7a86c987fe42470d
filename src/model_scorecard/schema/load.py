"""Files → validated models. Every problem is reported at once, as file:line:col: path: message."""

from __future__ import annotations

import copy
import re
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from model_scorecard import bundled
from model_scorecard._gc import paused_gc
from model_scorecard.schema.catalog import Catalog, Workload, WorkloadFile
from model_scorecard.errors import InvalidInput, Problem, UserError, echo, redact
from model_scorecard.schema.facts import check_path, model_fields_of, type_at, unwrap
from model_scorecard.errors import suggest
from model_scorecard.schema.rubric import LAYER_IDS, Rubric
from model_scorecard.schema.yamlio import Document, format_path, load_file

M = TypeVar("M", bound=BaseModel)
Where = tuple[str, int | None, int | None]
_UNION_TAG = re.compile(r"^[a-z_-]+\[.*\]$|^(str|int|float|bool|none|dict|list|tuple|date)$")
MAX_EXTENDS_DEPTH = 8


class Located:
    """Data plus a map from each path to the file, line and column it came from.

    For a single file the map is built from the document only when a problem needs a
    position; a merged rubric passes the map it assembled from its files.
    """

    def __init__(self, data: Any, file: str, where: dict[tuple[Any, ...], Where] | None = None,
                 doc: Document | None = None):
        self.data, self.file, self._where, self._doc = data, file, where, doc

    @classmethod
    def from_document(cls, doc: Document) -> "Located":
        return cls(doc.data, doc.file, doc=doc)

    @cached_property
    def where(self) -> dict[tuple[Any, ...], Where]:
        if self._where is not None:
            return self._where
        assert self._doc is not None
        doc = self._doc
        where: dict[tuple[Any, ...], Where] = {p: (doc.file, *lc) for p, lc in doc.positions.items()}
        for p, lc in doc.key_positions.items():
            where.setdefault(("__key__", *p), (doc.file, *lc))
        return where

    def locate(self, path: tuple[Any, ...], key: bool = False) -> Where:
        if key and ("__key__", *path) in self.where:
            return self.where[("__key__", *path)]
        path = tuple(path)
        while path and path not in self.where:
            path = path[:-1]
        return self.where.get(path, (self.file, None, None))

    def problem(self, path: tuple[Any, ...], message: str, key: bool = False) -> Problem:
        file, line, col = self.locate(path, key)
        return Problem(file, line, col, format_path(path), message)


# -- pydantic errors → plain problems -------------------------------------------------------

def _clean_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop pydantic's union tags and the ``value`` of a fact written bare."""
    out: list[Any] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(part, str) and _UNION_TAG.match(part):
            continue
        elif isinstance(node, (dict, list)) or node is None:
            out.append(part)
            node = None
        else:  # the input here is a scalar: the rest is our wrapping (``value``), not the user's
            break
    return tuple(out)


def _message(err: dict[str, Any], root: type[BaseModel], loc: tuple[Any, ...]) -> str:
    kind, msg = err["type"], err["msg"]
    if kind == "extra_forbidden":
        parent = type_at(root, loc[:-1])
        names = []
        if parent is not None:
            for alt in unwrap(parent):
                if isinstance(alt, type) and issubclass(alt, BaseModel):
                    names = list(model_fields_of(alt))
        return f"unknown field '{loc[-1]}'{suggest(loc[-1], names)}"
    if kind == "missing":
        return "required field is missing"
    value = err.get("input")
    if kind in ("value_error", "assertion_error"):  # a validator's words may quote the value: redact a secret
        return redact(re.sub(r"^(Value|Assertion) error, ", "", msg), value)
    shown = echo(value) if isinstance(value, (str, int, float, bool)) else None
    got = f" (got {shown})" if shown is not None else ""
    if kind == "literal_error":
        return f"must be one of {err['ctx']['expected']}{got}"
    return redact(msg, value) + got


# What validate() calls each model it checks a whole file against, in "not a …" messages.
_KIND_NAMES = {"Catalog": "catalog", "Rubric": "rubric", "Workload": "workload", "WorkloadFile": "workload file",
               "Shortlist": "shortlist", "GPUFile": "GPU file"}


def _foreign(located: Located, model: type[BaseModel]) -> InvalidInput | None:
    """A mapping none of whose top-level keys is one of ``model``'s fields (nor a near miss): a file
    of another kind -- a secrets file named as a catalog, say. It is refused as a whole, quoting
    none of its keys or values: an error must not copy a stranger's file into a CI log."""
    data = located.data
    if not isinstance(data, dict) or not data:
        return None
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names.add(name)
        names.update(a for a in (info.alias, info.validation_alias) if isinstance(a, str))
    keys = [str(k) for k in data]
    if any(k in names or suggest(k, names) for k in keys):
        return None
    what = _KIND_NAMES.get(model.__name__, model.__name__)
    required = [name for name, info in model.model_fields.items() if info.is_required()]
    expected = f" (a {what} has {', '.join(k + ':' for k in required)})" if required else ""
    return InvalidInput(f"{located.file}: not a {what}", [located.problem(
        (), f"not a {what}: none of its {len(keys)} top-level key(s) is a {what} field{expected}")])


def validate(located: Located, model: type[M]) -> M:
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        foreign = _foreign(located, model)
        if foreign is not None:
            raise foreign from None
        problems = []
        for err in exc.errors(include_url=False):
            loc = _clean_loc(located.data, tuple(err["loc"]))
            problems.append(located.problem(loc, _message(err, model, loc), key=err["type"] == "extra_forbidden"))
        raise InvalidInput(f"{located.file}: {len(set(problems))} problem(s)", list(set(problems))) from None


def _expect_mapping(located: Located, what: str) -> None:
    if not isinstance(located.data, dict):
        raise InvalidInput(f"{located.file}: not a {what}",
                           [located.problem((), f"expected a {what} (a YAML mapping at the top level)")])


# -- catalogs --------------------------------------------------------------------------------

def _check_unique_ids(located: Located, items: list[Any], key: str, label: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for i, item in enumerate(items):
        ident = getattr(item, "id", None) or getattr(item, "name", None)
        if ident in seen:
            problems.append(located.problem((key, i, label), f"duplicate {label} '{ident}' (first at {key}[{seen[ident]}])"))
        else:
            seen[ident] = i
    return problems


def catalog_from(located: Located) -> Catalog:
    _expect_mapping(located, "catalog")
    catalog = validate(located, Catalog)
    problems = _check_unique_ids(located, catalog.models, "models", "id")
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
    _expect_mapping(located, "rubric")
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


# -- workloads -------------------------------------------------------------------------------

def workload_presets() -> dict[str, Workload]:
    located = Located.from_document(load_file(bundled.data_file("workloads.yaml")))
    return {w.name: w for w in validate(located, WorkloadFile).workloads}


def load_workload(ref: str | Path | None, default: str = "chat") -> Workload:
    """A preset by name (chat, voice, ad-auction, batch) or a YAML file with one workload."""
    presets = workload_presets()
    name = str(ref or default)
    if name in presets:
        return presets[name]
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        located = Located.from_document(load_file(path))
        _expect_mapping(located, "workload")
        return validate(located, Workload)
    raise UserError(f"unknown workload '{name}'{suggest(name, presets)}",
                    hint=f"presets: {', '.join(presets)}; or give a YAML file describing your workload")


# -- reference cohorts ----------------------------------------------------------------------

def load_cohorts() -> dict[str, Any]:
    """The bundled reference cohorts (data/cohorts.yaml) by id."""
    from model_scorecard.schema.rubric import CohortFile

    located = Located.from_document(load_file(bundled.data_file("cohorts.yaml")))
    return {c.id: c for c in validate(located, CohortFile).cohorts}
