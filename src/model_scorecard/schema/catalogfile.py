"""Writing a catalog file: facts merged into an entry, YAML as catalogs are written, and the text
read back before anything is written.

``scorecard enrich`` (the Hub's facts) and ``scorecard import`` (another tool's file) both write
a new catalog this way: :func:`merge_facts` adds facts to a copy of an entry (a fact the catalog
states wins unless ``overwrite``), :func:`dump_yaml` writes the data with each fact on one line,
and :func:`read_back` checks that the project's own loader reads the text as exactly the data
meant, so no value changes type on the way to disk.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from model_scorecard.errors import InternalError, InvalidInput

__all__ = ["changed_facts", "count_facts", "dump_yaml", "is_fact", "merge_facts", "read_back"]


def is_fact(value: Any) -> bool:
    """A fact as a catalog writes it: a mapping with a ``value``."""
    return isinstance(value, Mapping) and "value" in value


def merge_facts(data: Mapping[str, Any], facts: Mapping[str, Any], *, overwrite: bool = False,
                order: tuple[str, ...] = (), prune: Iterable[str] = (), ours: Collection[str] = (),
                owned: Mapping[str, tuple[str, ...] | None] | None = None) -> dict[str, Any]:
    """A new mapping: ``data`` with ``facts`` added where ``data`` has none (or, with
    ``overwrite``, everywhere). New keys go after the nearest key that precedes them in ``order``.

    A writer that refreshes its own earlier output names the sources of the facts it writes in
    ``ours``: a fact of ours in ``data`` is replaced whatever ``overwrite`` says, and those named
    in ``prune`` are dropped when ``facts`` no longer gives them. Inside a group, ``owned`` says
    which facts of ours may be dropped (None: any of them; a group it does not name: none)."""
    out = dict(data)

    def is_ours(value: Any) -> bool:
        return isinstance(value, Mapping) and value.get("source") in ours

    for key in [k for k in prune if k in out and k not in facts and is_fact(out[k]) and is_ours(out[k])]:
        del out[key]
    for key, new in facts.items():
        old = out.get(key)
        if isinstance(new, Mapping) and not is_fact(new):  # a group of facts
            if old is not None and not isinstance(old, Mapping):
                continue  # not a mapping: validation reports it, we do not guess
            mine = (owned or {}).get(key, ())
            inner = (old or {}).keys() if mine is None else mine
            value: Any = merge_facts(old or {}, new, overwrite=overwrite, prune=tuple(inner), ours=ours, owned=owned)
            if value == old or (old is None and not value):
                continue
        elif old is None or overwrite or is_ours(old):
            value = new
        else:
            continue
        out = _put(out, key, value, order)
    return out


def _put(data: dict[str, Any], key: str, value: Any, order: tuple[str, ...]) -> dict[str, Any]:
    if key in data or key not in order:
        data[key] = value
        return data
    rank = order.index(key)
    after = None
    for existing in data:
        if existing in order and order.index(existing) < rank:
            after = existing
    out: dict[str, Any] = {}
    if after is None:
        out[key] = value
    for k, v in data.items():
        out[k] = v
        if k == after:
            out[key] = value
    return out


def count_facts(value: Any) -> int:
    """The facts in ``value``, groups searched."""
    if is_fact(value):
        return 1
    if isinstance(value, Mapping):
        return sum(count_facts(v) for v in value.values())
    return 0


def changed_facts(before: Mapping[str, Any], after: Mapping[str, Any]) -> int:
    """The facts of ``after`` that ``before`` does not hold as they are, groups searched."""
    n = 0
    for key, value in after.items():
        old = before.get(key)
        if is_fact(value):
            n += value != old
        elif isinstance(value, Mapping):
            n += changed_facts(old if isinstance(old, Mapping) else {}, value)
    return n


def _difference(meant: Any, read: Any, where: tuple[Any, ...] = ()) -> tuple[tuple[Any, ...], str] | None:
    """Where ``read`` differs from ``meant`` -- in type (a bool is not an int, an int not a float)
    or value, keys and their order included -- and how; None when it does not."""
    if type(meant) is not type(read):
        return where, f"a {type(meant).__name__} became a {type(read).__name__}"
    if isinstance(meant, dict):
        if len(meant) != len(read):
            return where, f"{len(meant)} keys became {len(read)}"
        for (k, v), (k2, v2) in zip(meant.items(), read.items()):
            if type(k) is not type(k2) or k != k2:
                return (*where, k), "a key changed"
            found = _difference(v, v2, (*where, k))
            if found:
                return found
        return None
    if isinstance(meant, list):
        if len(meant) != len(read):
            return where, f"{len(meant)} items became {len(read)}"
        for i, (v, v2) in enumerate(zip(meant, read)):
            found = _difference(v, v2, (*where, i))
            if found:
                return found
        return None
    if isinstance(meant, float) and math.isnan(meant):
        return None if math.isnan(read) else (where, "the value changed")
    return None if meant == read else (where, "the value changed")


def read_back(text: str, meant: Any, file: str) -> Any:
    """``text`` parsed by the project's loader, which must give exactly ``meant``; the Document.

    Every YAML writer checks its text here before the atomic rename: a string the YAML 1.2
    core schema reads as a number, a bool or null (``1e3``, ``0o17``, ``.inf``, ``null``)
    would otherwise come back as another value. A difference is a bug (:class:`InternalError`).
    """
    from model_scorecard.schema.yamlio import format_path, loads

    def bug(what: str) -> InternalError:
        return InternalError(f"the YAML written for {file} does not read back as meant ({what}); nothing was "
                             "written. This is a bug in model-scorecard: please report it.")

    try:
        text.encode("utf-8")
        doc = loads(text, file)
    except (UnicodeError, InvalidInput) as exc:
        raise bug(f"the loader refuses it: {str(exc).splitlines()[-1][:200]}") from None
    found = _difference(meant, doc.data)
    if found is not None:
        where, how = found
        raise bug(f"at {format_path(where) or 'the top'}: {how}")
    return doc


#: Plain scalars that the YAML 1.2 core schema (the project's loader) reads as null, a bool, an
#: int or a float; PyYAML (YAML 1.1) writes some of them unquoted (``1e3``, ``0o17``, ``1.5e3``).
_CORE_NOT_STR = re.compile(
    r"(|~|null|Null|NULL|true|True|TRUE|false|False|FALSE"
    r"|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))")
_STR_TAG = "tag:yaml.org,2002:str"


def dump_yaml(data: Any) -> str:
    """Block YAML, with each fact (``{value: …, source: …}``) on one line as catalogs write them.

    A string is written plain only when both YAML 1.1 and the YAML 1.2 core schema read the
    plain text back as that string; otherwise it is quoted. (:func:`read_back` checks.)
    """
    import yaml

    class _Flow(dict):  # type: ignore[type-arg]
        pass

    class _Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)  # list items indented under their key, as catalogs write them

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            tag = super().resolve(kind, value, implicit)
            if (kind is yaml.ScalarNode and implicit[0] and tag == _STR_TAG and isinstance(value, str)
                    and _CORE_NOT_STR.fullmatch(value)):
                return "tag:yaml.org,2002:core-non-str"  # not the str tag: the emitter quotes it
            return tag

    _Dumper.add_representer(_Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True))

    def wrap(value: Any) -> Any:
        if isinstance(value, Mapping):
            inner = {k: wrap(v) for k, v in value.items()}
            scalar = all(not isinstance(v, (Mapping, list)) for v in value.values())
            return _Flow(inner) if "value" in value and scalar else inner
        if isinstance(value, list):
            return [wrap(v) for v in value]
        return value

    return yaml.dump(wrap(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=2**16,
                     default_flow_style=False)
