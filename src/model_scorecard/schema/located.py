"""Validation with positions: pydantic's errors turned into problems that name file, line, column and field.

Every problem is reported at once, as ``file:line:col: path: message``.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from model_scorecard.errors import InvalidInput, Problem, echo, redact, suggest
from model_scorecard.schema.typewalk import model_fields_of, type_at, unwrap
from model_scorecard.schema.yamlio import Document, format_path

M = TypeVar("M", bound=BaseModel)
Where = tuple[str, int | None, int | None]
_UNION_TAG = re.compile(r"^[a-z_-]+\[.*\]$|^(str|int|float|bool|none|dict|list|tuple|date)$")


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
    ours = _plain(kind, err.get("ctx") or {})
    return (ours or redact(msg, value)) + got


# Our words for pydantic's error types (its `type` codes are a stable API; its messages are
# not ours to promise): a user reads the same message whichever pydantic is installed.
_PLAIN = {
    "int_parsing": "must be a whole number", "int_type": "must be a whole number",
    "int_from_float": "must be a whole number", "float_parsing": "must be a number", "float_type": "must be a number",
    "bool_parsing": "must be true or false", "bool_type": "must be true or false", "string_type": "must be text",
    "list_type": "must be a list", "tuple_type": "must be a list", "dict_type": "must be a mapping (key: value)",
    "model_type": "must be a mapping (key: value)", "model_attributes_type": "must be a mapping (key: value)",
    "date_parsing": "must be a date, YYYY-MM-DD", "date_from_datetime_parsing": "must be a date, YYYY-MM-DD",
    "date_type": "must be a date, YYYY-MM-DD", "finite_number": "must be a finite number",
}
_BOUNDS = {"greater_than_equal": ("ge", "at least"), "greater_than": ("gt", "more than"),
           "less_than_equal": ("le", "at most"), "less_than": ("lt", "less than"),
           "string_too_short": ("min_length", "at least {} character(s) long"),
           "string_too_long": ("max_length", "at most {} character(s) long"),
           "too_short": ("min_length", "at least {} item(s) long"), "too_long": ("max_length", "at most {} item(s) long"),
           "string_pattern_mismatch": ("pattern", "text matching {}")}


def _plain(kind: str, ctx: dict[str, Any]) -> str | None:
    if kind in _PLAIN:
        return _PLAIN[kind]
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        if key not in ctx:
            return None
        bound = ctx[key]
        bound = f"{bound:g}" if isinstance(bound, float) else str(bound)
        return "must be " + (words.format(bound) if "{}" in words else f"{words} {bound}")
    return None


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


def expect_mapping(located: Located, what: str) -> None:
    if not isinstance(located.data, dict):
        raise InvalidInput(f"{located.file}: not a {what}",
                           [located.problem((), f"expected a {what} (a YAML mapping at the top level)")])



def check_unique_ids(located: Located, items: list[Any], key: str, label: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for i, item in enumerate(items):
        ident = getattr(item, "id", None) or getattr(item, "name", None)
        if ident in seen:
            problems.append(located.problem((key, i, label), f"duplicate {label} '{ident}' (first at {key}[{seen[ident]}])"))
        else:
            seen[ident] = i
    return problems
