"""What every importer shares: reading a foreign JSON file with located errors, dates, clean
numbers, new entries, and the new catalog file (standalone, or merged into a copy of one).

An importer reads a file another tool wrote (lm-evaluation-harness, LiteLLM, promptfoo) and
turns it into catalog entries as plain data; :func:`write_catalog` makes the text of a new
catalog from them, read back with the project's loader and validated before anything is
written. Nothing here fetches anything.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Any

from model_scorecard.errors import InvalidInput, Problem, UserError

__all__ = ["MAX_IMPORT_BYTES", "Foreign", "ImportResult", "NewEntry", "Stamp", "checkpoint_fact", "clean",
           "entry_skeleton", "read_json", "slug_of", "stamp", "write_catalog"]

#: The largest foreign file read (LiteLLM's price map is a few MB; an lm-eval results file with configs, more).
MAX_IMPORT_BYTES = 256 * 2**20


@dataclass(frozen=True)
class Foreign:
    """A foreign JSON document: its data, and where each part of it is in the file."""

    path: Path
    name: str  # as the user wrote it, for messages
    text: str
    data: Any

    @cached_property
    def _positions(self) -> Any:
        from model_scorecard.schema.yamlio import loads

        try:
            return loads(self.text, self.name)  # JSON is YAML 1.2: the loader knows positions
        except Exception:  # noqa: BLE001 - positions are a courtesy; the message stands without them
            return None

    def where(self, path: tuple[Any, ...]) -> tuple[int | None, int | None]:
        """Line and column of ``path`` in the file (best effort: the nearest enclosing part found)."""
        doc = self._positions
        if doc is None:
            return None, None
        try:
            while path:
                line, col = doc.locate(path)
                if line is not None:
                    return line, col
                path = path[:-1]
        except Exception:  # noqa: BLE001 - positions are a courtesy; the message stands without them
            return None, None
        return 1, 1  # the document as a whole

    def problem(self, path: tuple[Any, ...], message: str) -> Problem:
        from model_scorecard.schema.yamlio import format_path

        line, col = self.where(path)
        return Problem(self.name, line, col, format_path(path), message)

    def error(self, path: tuple[Any, ...], message: str, *, what: str) -> InvalidInput:
        return InvalidInput(f"{self.name}: not {what}", [self.problem(path, message)])

    def errors(self, problems: list[tuple[tuple[Any, ...], str]], *, what: str) -> InvalidInput:
        return InvalidInput(f"{self.name}: not {what}", [self.problem(p, m) for p, m in problems])


def _no_constants(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def read_json(path: str | Path, *, what: str, array: bool = False) -> Foreign:
    """The JSON document at ``path``: InvalidInput naming the file, line and column when it is
    not JSON (NaN and Infinity are not JSON either), or not an object (or, with ``array``, a
    list) at the top."""
    from model_scorecard.schema.yamlio import read_input

    name = str(path)
    raw = read_input(path, MAX_IMPORT_BYTES, name, what=what)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput.single(name, f"not UTF-8 text (byte {exc.start}): not {what}") from None
    try:
        data = json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise InvalidInput.single(name, f"not JSON ({exc.msg}): not {what}", exc.lineno, exc.colno) from None
    except (ValueError, RecursionError) as exc:
        raise InvalidInput.single(name, f"not JSON ({exc}): not {what}") from None
    if not isinstance(data, (dict, list) if array else dict):
        wanted = "an object or a list" if array else "an object"
        raise InvalidInput.single(name, f"the top of the file is a {type(data).__name__}, not {wanted}: not {what}",
                                  1, 1)
    return Foreign(Path(path), name, text, data)


def clean(value: float, digits: int = 10) -> float:
    """``value`` rounded to ``digits`` significant digits: 3e-06 × 1e6 is 3.0, not 2.9999999999999996."""
    if value == 0 or not math.isfinite(value):
        return float(value)
    return float(f"{value:.{digits}g}")


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


_NOT_SLUG = re.compile(r"[^a-z0-9._+-]+")


def slug_of(text: str) -> str:
    """A catalog slug from a foreign name: lower case, runs of other characters as ``-``."""
    slug = _NOT_SLUG.sub("-", text.strip().lower()).strip("-._+")
    return slug[:120].rstrip("-._+") or "model"


@dataclass(frozen=True)
class Stamp:
    """The date facts are as of, and how it was found (said in each fact's note)."""

    as_of: str
    how: str


def stamp(path: Path, *, from_file: str | None = None, from_file_how: str = "", as_of: date | None = None) -> Stamp:
    """The ``as_of`` of imported facts: the date the file itself states, else ``--as-of``,
    else the date the file was last changed (its mtime, UTC)."""
    if from_file:
        return Stamp(from_file, from_file_how)
    if as_of is not None:
        return Stamp(as_of.isoformat(), "date given with --as-of")
    mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).date().isoformat()
    return Stamp(mtime, "the file states no date: the date it was last changed")


def unix_day(value: Any) -> str | None:
    """The UTC day of a Unix time (seconds or, when large, milliseconds), or None."""
    if not is_number(value) or value <= 0:
        return None
    seconds = value / 1000 if value > 1e11 else value
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def iso_day(value: Any) -> str | None:
    """The day of an ISO 8601 time stamp (``2025-03-01T12:00:00Z``), or None."""
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class NewEntry:
    """What a new catalog entry needs that an imported file may not say (--name, --vendor, --kind,
    --access, --checkpoint); an entry that exists already (--into) keeps its own."""

    name: str | None = None
    vendor: str | None = None
    kind: str = "llm"
    access: tuple[str, ...] = ()
    checkpoint: str | None = None


def checkpoint_fact(checkpoint: str | None) -> dict[str, Any] | None:
    """The checkpoint type given on the command line, as a fact that says so."""
    return {"value": checkpoint, "note": "given with --checkpoint of scorecard import"} if checkpoint else None


def entry_skeleton(model_id: str, *, name: str, vendor: str, kind: str, access: Iterable[str],
                   hf_id: str | None = None) -> dict[str, Any]:
    """The identity of a new entry: what every entry states besides its facts."""
    out: dict[str, Any] = {"id": model_id, "name": name, "vendor": vendor, "kind": kind, "access": list(access)}
    if hf_id:
        out["hf_id"] = hf_id
    return out


# --------------------------------------------------------------------------- the new catalog

@dataclass(frozen=True)
class ImportResult:
    text: str
    added: tuple[str, ...]  # ids of new entries
    merged: tuple[str, ...]  # ids of entries of --into that took facts
    facts: int  # facts written
    warnings: tuple[str, ...] = field(default=())


_IDENTITY = ("id", "name", "vendor", "family", "kind", "access", "hf_id")


def _currency_clash(old: Any, new: Any) -> str | None:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        a, b = old.get("currency", "USD"), new.get("currency", "USD")
        if a != b:
            return f"the catalog's prices are in {a}, the imported ones in {b}: prices left out"
    return None


def write_catalog(entries: list[dict[str, Any]], *, header: str, output: str | Path, into: str | Path | None = None,
                  overwrite: bool = False, name: str | None = None,
                  warnings: Iterable[str] = ()) -> ImportResult:
    """The text of a new catalog: ``entries`` alone, or merged into a copy of the catalog ``into``.

    Merged by id: a fact the catalog states wins unless ``overwrite`` (as ``scorecard enrich``
    does); an id the catalog lacks becomes a new entry. The text is read back with the
    project's loader and must validate as a catalog: what this returns always loads."""
    from model_scorecard.schema.catalog import ModelEntry
    from model_scorecard.schema.catalogfile import changed_facts, count_facts, dump_yaml, merge_facts, read_back
    from model_scorecard.schema.load import catalog_from
    from model_scorecard.schema.located import Located
    from model_scorecard.schema.yamlio import load_file

    told = list(warnings)
    order = tuple(ModelEntry.model_fields)
    added: list[str] = []
    merged: list[str] = []
    facts = 0
    if into is not None:
        doc = load_file(into)
        catalog_from(Located.from_document(doc))  # the catalog must be valid before we add to it
        data = dict(doc.data)
        models = list(data["models"])
        index = {m.get("id"): i for i, m in enumerate(models) if isinstance(m, Mapping)}
        for entry in entries:
            i = index.get(entry["id"])
            if i is None:
                models.append(entry)
                index[entry["id"]] = len(models) - 1
                added.append(entry["id"])
                facts += count_facts(entry)
                continue
            old = models[i]
            if not isinstance(old, Mapping):
                continue  # catalog_from above refuses such an entry
            new_facts = {k: v for k, v in entry.items() if k not in _IDENTITY}
            clash = _currency_clash(old.get("pricing"), new_facts.get("pricing"))
            if clash:
                new_facts.pop("pricing")
                told.append(f"{entry['id']}: {clash}")
            new = merge_facts(old, new_facts, overwrite=overwrite, order=order)
            changed = changed_facts(old, new)
            if changed:
                merged.append(entry["id"])
                facts += changed
            models[i] = new
        data["models"] = models
    else:
        data = {"schema_version": 1}
        if name:
            data["name"] = name
        data["models"] = entries
        added = [e["id"] for e in entries]
        facts = sum(count_facts(e) for e in entries)
    _check_new(data["models"], set(added))
    text = header + dump_yaml(data)
    shown = str(output)
    doc = read_back(text, data, shown)
    try:
        catalog_from(Located.from_document(doc))
    except InvalidInput as exc:
        raise UserError("the imported catalog does not validate, so nothing was written:", exc.problems,
                        hint="the catalog's own facts win over imported ones: correct them, or take the "
                             "imported ones with --overwrite") from None
    return ImportResult(text, tuple(added), tuple(merged), facts, tuple(told))


#: What a new entry must state, and the option that gives it.
_NEEDED = (("name", "--name"), ("vendor", "--vendor"), ("access", "--access"))


def _check_new(models: list[Any], added: set[str]) -> None:
    """A new entry needs its identity, and an LLM its checkpoint type (``scorecard validate``
    requires it): UserError naming the options that give what is missing."""
    missing: list[str] = []
    for entry in models:
        if not isinstance(entry, Mapping) or entry.get("id") not in added:
            continue
        lacks = [opt for key, opt in _NEEDED if not entry.get(key)]
        if entry.get("kind") in ("llm", "diffusion-llm") and entry.get("checkpoint") is None:
            lacks.append("--checkpoint")
        if lacks:
            missing.append(f"  {entry['id']}: {', '.join(lacks)}")
    if missing:
        if len(missing) > 20:  # a price list imports hundreds of models: the first ones say enough
            missing[20:] = [f"  … and {len(missing) - 20} more"]
        raise UserError("a new catalog entry needs what the imported file does not say; give it with:\n"
                        + "\n".join(missing),
                        hint="--checkpoint is the checkpoint type (instruct, reasoning, base or code) that "
                             "`scorecard validate` requires of an LLM; or add the facts to an existing entry "
                             "with --into CATALOG")


def header_lines(tool: str, source: str, grade: str, extra: str = "") -> str:
    """The comment at the top of an imported catalog."""
    lines = [f"Written by `scorecard import {tool}` from {source}: imported facts carry that source,",
             f"their as_of and grade {grade}.{(' ' + extra) if extra else ''}",
             "Comments of a catalog given with --into are not carried over."]
    return "".join(f"# {line}\n" for line in lines)
