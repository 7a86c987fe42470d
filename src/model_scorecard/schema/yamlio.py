"""Safe YAML loading that remembers where every value came from.

The document is built from the parser's event stream (libyaml when available) by an
explicit stack, never by PyYAML's constructors, so:

- no tag can construct an object or run code: only the YAML 1.2 core types are accepted
  (str, int, float, bool, null, map, seq); any other tag is an error;
- scalars resolve by the YAML 1.2 core schema: ``no``, ``on`` and ``1:30`` stay strings
  and dates stay text for the schema to parse;
- limits bound file size, nesting depth, aliases and the number of nodes an alias can
  expand to (the "billion laughs" bomb), without recursion on deep input;
- duplicate keys are errors, and every problem found is reported, not just the first;
- every value's path (``("models", 3, "params")``) maps to its 1-based line and column.
"""

from __future__ import annotations

import math
import os
import re
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from model_scorecard.atomic import note_input
from model_scorecard.errors import InvalidInput, Problem, echo

try:  # libyaml's parser is ~10x faster; the pure-Python one gives the same events.
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

Path_ = tuple[Any, ...]

MAX_BYTES = int(os.environ.get("SCORECARD_MAX_YAML_BYTES", 64 * 1024 * 1024))
MAX_DEPTH = 64
MAX_ALIASES = 1_000
MAX_NODES = 5_000_000

_TAG = "tag:yaml.org,2002:"
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+$")
_INT_OCT = re.compile(r"0o[0-7]+$")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)$")
_NAN = re.compile(r"\.(nan|NaN|NAN)$")


@dataclass(frozen=True)
class Document:
    """A loaded YAML file: its data and where each value sits in the text.

    Positions are only needed to report problems, so they are worked out on first use
    by parsing the text again; a valid file is parsed once.
    """

    file: str
    data: Any
    text: str = field(repr=False)

    @cached_property
    def _located(self) -> "_Builder":
        return _parse(self.text, self.file, track=True)

    @property
    def positions(self) -> dict[Path_, tuple[int, int]]:
        return self._located.positions

    @property
    def key_positions(self) -> dict[Path_, tuple[int, int]]:
        return self._located.key_positions

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of ``path`` or, failing that, of its nearest located parent."""
        path = tuple(path)
        if key and path in self.key_positions:
            return self.key_positions[path]
        while True:
            if path in self.positions:
                return self.positions[path]
            if not path:
                return (None, None)
            path = path[:-1]


_SPECIAL_FIRST = set("0123456789+-.~nNtTfF")


def _plain_scalar(text: str) -> Any:
    if text and text[0] not in _SPECIAL_FIRST:
        return text
    if text.isascii():  # the common numbers first: `42`, `58.7` (what the patterns below also say)
        if text.isdigit():
            return int(text)
        head, dot, tail = text.partition(".")
        if dot and head.isdigit() and tail.isdigit():
            return float(text)
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        return int(text)
    if _INT_OCT.match(text):
        return int(text[2:], 8)
    if _INT_HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text


def _tagged_scalar(tag: str, text: str) -> Any:
    kind = tag[len(_TAG):]
    if kind == "str":
        return text
    value = _plain_scalar(text)
    expected = {"null": type(None), "bool": bool, "int": int, "float": (int, float)}[kind]
    if not isinstance(value, expected) or (kind == "int" and isinstance(value, bool)):
        raise ValueError(f"the value is not a valid !!{kind}")  # line and column locate it: no echo
    return float(value) if kind == "float" else value


@dataclass
class _Frame:
    container: dict[Any, Any] | list[Any]
    path: Path_
    anchor: str | None
    start_nodes: int
    mark: tuple[int, int]
    key: Any = None
    has_key: bool = False
    key_mark: tuple[int, int] | None = None


class _Builder:
    """Turns parser events into plain data plus positions, collecting problems."""

    def __init__(self, file: str, track: bool):
        self.file = file
        self.track = track
        self.problems: list[Problem] = []
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.key_positions: dict[Path_, tuple[int, int]] = {}
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.stack: list[_Frame] = []
        self.nodes = 0
        self.aliases = 0
        self.root: Any = None
        self.has_root = False

    def problem(self, mark: tuple[int, int] | None, message: str, path: Path_ = ()) -> None:
        line, col = mark if mark else (None, None)
        self.problems.append(Problem(self.file, line, col, format_path(path), message))

    # -- where the next node goes -------------------------------------------------------
    def _child_path(self) -> Path_ | None:
        """Path of the node about to be added, or None when it is a mapping key."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        if not top.has_key:
            return None
        return (*top.path, top.key)

    def _add(self, value: Any, mark: tuple[int, int], is_scalar: bool) -> None:
        if not self.stack:
            self.root, self.has_root = value, True
            if self.track:
                self.positions[()] = mark
            return
        top = self.stack[-1]
        if isinstance(top.container, list):
            top.container.append(value)
            return
        if not top.has_key:
            if not is_scalar:
                self.problem(mark, "a mapping key must be a plain value, not a list or mapping", top.path)
                value = f"<complex key at line {mark[0]}>"
            if value == "<<":
                self.problem(mark, "merge keys (<<) are not supported; write the keys out", top.path)
            try:
                hash(value)
            except TypeError:  # pragma: no cover - scalars are hashable
                value = repr(value)
            if value in top.container:
                first = self.key_positions.get((*top.path, value))
                where = f" (first defined at line {first[0]})" if first else ""
                shown = echo(value)  # a key locates the problem; one that looks like a secret is not quoted
                self.problem(mark, f"duplicate key{' ' + shown if shown else ''}{where}", (*top.path, value))
            top.key, top.has_key, top.key_mark = value, True, mark
            if self.track:
                self.key_positions.setdefault((*top.path, value), mark)
            return
        key = top.key
        if key not in top.container:  # a duplicate keeps its first value
            top.container[key] = value
        top.has_key = False

    def _count(self, n: int, mark: tuple[int, int]) -> bool:
        self.nodes += n
        if self.nodes > MAX_NODES:
            self.problem(mark, f"document expands to more than {MAX_NODES:,} nodes (alias bomb?)")
            return False
        return True

    # -- events -------------------------------------------------------------------------
    def scalar(self, ev: Any, mark: tuple[int, int]) -> bool:
        path = self._child_path() if self.track else ()
        tag = ev.tag
        text = ev.value
        try:
            if tag in (None, "!"):
                plain = ev.implicit[0] and not ev.style
                value = _plain_scalar(text) if plain else text
            elif tag.startswith(_TAG) and tag[len(_TAG):] in ("str", "int", "float", "bool", "null"):
                value = _tagged_scalar(tag, text)
            else:
                self.problem(mark, f"tag {tag!r} is not allowed (only plain YAML data is accepted)", path or ())
                value = text
        except ValueError as exc:
            self.problem(mark, str(exc), path or ())
            value = text
        if path is not None and self.track:
            self.positions[path] = mark
        if ev.anchor:
            self.anchors[ev.anchor] = (value, 1)
        self._add(value, mark, is_scalar=True)
        return self._count(1, mark)

    def start(self, ev: Any, mark: tuple[int, int], container: dict[Any, Any] | list[Any]) -> bool:
        path = self._child_path()
        tag = ev.tag
        allowed = (None, "!", _TAG + ("map" if isinstance(container, dict) else "seq"))
        if tag not in allowed:
            self.problem(mark, f"tag {tag!r} is not allowed (only plain YAML data is accepted)", path or ())
        if path is None:  # a collection used as a key: report, then parse it as a throwaway
            self._add(None, mark, is_scalar=False)
            path = (*self.stack[-1].path, self.stack[-1].key)
        if self.track:
            self.positions[path] = mark
        if len(self.stack) >= MAX_DEPTH:
            self.problem(mark, f"nested deeper than {MAX_DEPTH} levels")
            return False
        if ev.anchor:
            self.open_anchors.add(ev.anchor)
        self.stack.append(_Frame(container, path, ev.anchor, self.nodes, mark))
        return self._count(1, mark)

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (frame.container, self.nodes - frame.start_nodes + 1)
        if isinstance(frame.container, dict) and frame.has_key:  # pragma: no cover - parser guarantees pairs
            frame.container[frame.key] = None
        self._add(frame.container, frame.mark, is_scalar=False)

    def alias(self, ev: Any, mark: tuple[int, int]) -> bool:
        path = self._child_path() if self.track else ()
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            self.problem(mark, f"more than {MAX_ALIASES} aliases")
            return False
        if ev.anchor in self.open_anchors:
            self.problem(mark, f"alias *{ev.anchor} refers to itself (recursive data is not allowed)", path or ())
            return False
        if ev.anchor not in self.anchors:  # pragma: no cover - the parser rejects undefined aliases
            self.problem(mark, f"undefined alias *{ev.anchor}", path or ())
            value, size = None, 1
        else:
            value, size = self.anchors[ev.anchor]
        if path is not None and self.track:
            self.positions[path] = mark
        self._add(value, mark, is_scalar=not isinstance(value, (dict, list)))
        return self._count(size, mark)


def format_path(path: Path_) -> str:
    """``("models", 3, "params")`` → ``models[3].params``."""
    out = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _decode(raw: bytes, file: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise InvalidInput.single(
            file, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", line, column
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


class _Unusual(Exception):
    """The fast path met something it leaves to the full builder (which reports it)."""


# -- the line scanner: plain block-style documents, read without PyYAML ---------------------

# Text made only of these characters can be read line by line: printable, no tab or CR,
# none of YAML's other line breaks (NEL, LS, PS) and no byte-order mark.
_BLOCK_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_KEY = r"[A-Za-z0-9_][A-Za-z0-9_.+/-]*"
# indent, the "-" of a sequence entry and the spaces after it, a plain key and its ":", the rest
_BLOCK_LINES = re.compile(r"^( *)(?:(-)( +|$))?(?:(" + _KEY + r"):(?: +|$))?(.*)$", re.MULTILINE)
# one entry of a one-line flow collection: an optional plain key, a scalar, then `,`, `]` or `}`
_FLOW_ITEM = re.compile(r" *(?:(" + _KEY + r"): +)?"
                        r"(\"[^\"\\]*\"|'(?:[^']|'')*'|(?:[^ ,\[\]{}#\"'&*!|>%@`?:\-]|-[0-9.])(?: *[^ ,\[\]{}#])*)"
                        r" *([,\]}])")
_TRAILER = re.compile(r"(?: +(?:#.*)?)?")  # what may follow a quoted scalar or flow collection
_QUOTED = re.compile(r"(\"[^\"\\]*\"|'(?:[^']|'')*')(?: +(?:#.*)?)?")
_FLOW_COLON = re.compile(r":(?![A-Za-z0-9/])")
_NOT_PLAIN = frozenset("-[{'\"#&*!|>%@`?:,]}")  # first characters that do not start a plain scalar


def _resolved(text: str, memo: dict[str, Any]) -> Any:
    value = memo.get(text, memo)
    if value is memo:
        value = memo[text] = _plain_scalar(text)
    return value


def _quoted(token: str) -> str:
    return token[1:-1].replace("''", "'") if token[0] == "'" else token[1:-1]


def _flow(rest: str, memo: dict[str, Any]) -> Any:
    """A flow mapping or sequence of plain or quoted scalars, closed on the same line."""
    is_map = rest[0] == "{"
    close = "}" if is_map else "]"
    container: Any = {} if is_map else []
    pos = 1
    while rest.startswith(" ", pos):
        pos += 1
    if rest.startswith(close, pos):
        pos += 1
    else:
        match = _FLOW_ITEM.match
        while True:
            m = match(rest, pos)
            if m is None:
                raise _Unusual
            key, token, sep = m.group(1, 2, 3)
            if token[0] == "'" or token[0] == '"':
                value: Any = _quoted(token)
            else:
                token = token.rstrip(" ")
                if ": " in token or token[-1] == ":" or (":" in token and _FLOW_COLON.search(token)):
                    raise _Unusual
                value = _resolved(token, memo)
            if is_map:
                if key is None:
                    raise _Unusual
                k = _resolved(key, memo)
                if k in container:
                    raise _Unusual
                container[k] = value
            elif key is None:
                container.append(value)
            else:
                raise _Unusual  # a one-pair mapping inside a flow sequence
            pos = m.end()
            if sep == close:
                break
            if sep != ",":
                raise _Unusual
    if _TRAILER.fullmatch(rest, pos) is None:
        raise _Unusual
    return container


def _line_value(rest: str, memo: dict[str, Any]) -> Any:
    """The value written after ``key: `` or ``- `` (``rest`` is not empty and not a comment)."""
    first = rest[0]
    if first not in _NOT_PLAIN or (first == "-" and len(rest) > 1 and rest[1] in "0123456789."):
        cut = rest.find(" #")
        text = (rest if cut < 0 else rest[:cut]).rstrip(" ")
        if ": " in text or text[-1] == ":":
            raise _Unusual
        return _resolved(text, memo)
    if first == "{" or first == "[":
        return _flow(rest, memo)
    if first == "'" or first == '"':
        m = _QUOTED.fullmatch(rest)
        if m is None:
            raise _Unusual
        return _quoted(m.group(1))
    raise _Unusual


def _block_parse(text: str) -> Any:
    """Plain data from a document written in the common block style, or ``_Unusual``.

    A catalog is mostly ``key: value`` lines, ``- `` entries and one-line flow collections
    (``{value: 70B, source: …}``, ``[api, open-weights]``); this reads those a line at a
    time, several times faster than PyYAML's event stream. It accepts a strict subset of
    YAML -- plain keys; plain, single-line quoted and one-line flow values; comments -- and
    raises :class:`_Unusual` at anything else (anchors, tags, block scalars, values that
    span lines, duplicate keys, tabs …), so the caller falls back to the event-based
    readers, which agree with it on every document it accepts.
    """
    if _BLOCK_UNSAFE.search(text) is not None:
        raise _Unusual
    memo: dict[str, Any] = {}
    not_plain, plain_scalar, line_value = _NOT_PLAIN, _plain_scalar, _line_value
    # The open node: its indent, container, kind, and whether it is a sequence written at
    # its key's indent ("key:" then "- entry"); the nodes it is nested in wait on `stack`.
    # `pending`: the last key or entry had no value on its line, so a deeper block may follow.
    stack: list[tuple[int, Any, bool, bool]] = []
    indent0, cur, is_map, compact = -1, None, False, False
    pending, pending_key = False, None
    root: Any = None
    for spaces, dash, after_dash, key, rest in _BLOCK_LINES.findall(text):
        if not dash and not key:
            if not rest or rest[0] == "#":
                continue  # blank or comment line
            raise _Unusual  # a scalar on a line of its own: a continuation, a document marker …
        indent = len(spaces)
        if cur is None:
            if root is not None:  # pragma: no cover - the root is never closed
                raise _Unusual
            root = cur = [] if dash else {}
            indent0, is_map = indent, not dash
        elif indent != indent0 or dash or not is_map:
            while indent < indent0:
                if not stack:
                    raise _Unusual  # less indented than the first line: a second document node
                indent0, cur, is_map, compact = stack.pop()
                pending = False
            if indent == indent0:
                if not is_map:
                    if not dash:  # a key after a sequence written at its key's indent
                        if not compact:
                            raise _Unusual
                        indent0, cur, is_map, compact = stack.pop()
                elif dash:  # "key:" then "- entry" at the key's indent
                    if not pending:
                        raise _Unusual
                    seq: list[Any] = []
                    cur[pending_key] = seq
                    stack.append((indent0, cur, is_map, compact))
                    cur, is_map, compact = seq, False, True
            else:  # deeper: the block value of the last key or entry
                if not pending or len(stack) >= MAX_DEPTH:
                    raise _Unusual
                new: Any = [] if dash else {}
                if is_map:
                    cur[pending_key] = new
                else:
                    cur[-1] = new
                stack.append((indent0, cur, is_map, compact))
                indent0, cur, is_map, compact = indent, new, not dash, False
        if dash:
            if not key:
                if rest and rest[0] != "#":
                    cur.append(line_value(rest, memo))
                    pending = False
                else:
                    cur.append(None)
                    pending = True
                continue
            entry: dict[Any, Any] = {}
            cur.append(entry)
            if len(stack) >= MAX_DEPTH:
                raise _Unusual
            stack.append((indent0, cur, False, compact))
            indent0, cur, is_map, compact = indent + 1 + len(after_dash), entry, True, False
        k = memo.get(key, memo)
        if k is memo:
            k = memo[key] = plain_scalar(key)
        if k in cur:
            raise _Unusual  # a duplicate key: the full builder reports it
        if not rest or rest[0] == "#":
            cur[k] = None
            pending, pending_key = True, k
            continue
        pending = False
        if rest[0] in not_plain:
            cur[k] = line_value(rest, memo)
            continue
        if " #" in rest:
            rest = rest[:rest.index(" #")]
        rest = rest.rstrip(" ")
        if ": " in rest or rest[-1] == ":":
            raise _Unusual
        value = memo.get(rest, memo)
        if value is memo:
            value = memo[rest] = plain_scalar(rest)
        cur[k] = value
    if root is None:
        raise _Unusual
    return root


def _fast_parse(text: str) -> Any:
    """Plain data from a well-formed document, or ``_Unusual``.

    The common case -- mappings, sequences and untagged scalars, unique plain keys, no
    anchors, aliases or tags -- built in one tight loop, about twice as fast as
    :class:`_Builder`. Anything else (including every kind of problem) raises
    :class:`_Unusual`, and the caller parses again with the full builder, which applies
    every check and limit and says where the problem is.
    """
    scalar_cls, map_cls, seq_cls = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end, doc_start = yaml.MappingEndEvent, yaml.SequenceEndEvent, yaml.DocumentStartEvent
    plain_scalar, special = _plain_scalar, _SPECIAL_FIRST
    loader = _EventLoader(text)
    get, check = loader.get_event, loader.check_event
    # stack entries: [container, is_mapping, pending_key, has_key]
    stack: list[list[Any]] = []
    root: Any = None
    has_root = False
    documents = 0
    try:
        while check():
            ev = get()
            cls = type(ev)
            if cls is scalar_cls:
                if ev.anchor is not None or ev.tag not in (None, "!"):
                    raise _Unusual
                text_ = ev.value
                if ev.style or not ev.implicit[0]:
                    value: Any = text_
                elif text_ and text_[0] not in special:
                    value = text_
                else:
                    value = plain_scalar(text_)
            elif cls is map_cls or cls is seq_cls:
                if ev.anchor is not None or ev.tag not in (None, "!") or len(stack) >= MAX_DEPTH:
                    raise _Unusual
                is_map = cls is map_cls
                if stack and stack[-1][1] and not stack[-1][3]:
                    raise _Unusual  # a collection as a mapping key
                stack.append([{} if is_map else [], is_map, None, False])
                continue
            elif cls is map_end or cls is seq_end:
                value = stack.pop()[0]
            elif cls is doc_start:
                documents += 1
                if documents > 1:
                    raise _Unusual
                continue
            elif cls is yaml.AliasEvent:
                raise _Unusual
            else:
                continue
            if not stack:
                root, has_root = value, True
                continue
            top = stack[-1]
            if not top[1]:
                top[0].append(value)
            elif top[3]:
                top[0][top[2]] = value
                top[3] = False
            else:
                if type(value) is str and value == "<<":
                    raise _Unusual
                try:
                    if value in top[0]:
                        raise _Unusual
                except TypeError:  # pragma: no cover - scalars are hashable
                    raise _Unusual from None
                top[2], top[3] = value, True
    except yaml.YAMLError:
        raise _Unusual from None
    finally:
        loader.dispose()
    if not has_root:
        raise _Unusual
    return root


def _parse(text: str, file: str, track: bool) -> _Builder:
    """Run the parser's events through a builder; problems are collected, not raised."""
    builder = _Builder(file, track)
    loader = _EventLoader(text)
    documents = 0
    scalar, start, end, alias = builder.scalar, builder.start, builder.end, builder.alias
    try:
        while loader.check_event():
            ev = loader.get_event()
            cls = type(ev)
            sm = ev.start_mark
            mark = (sm.line + 1, sm.column + 1)
            if cls is yaml.ScalarEvent:
                ok = scalar(ev, mark)
            elif cls is yaml.MappingStartEvent:
                ok = start(ev, mark, {})
            elif cls is yaml.SequenceStartEvent:
                ok = start(ev, mark, [])
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                end()
                ok = True
            elif cls is yaml.AliasEvent:
                ok = alias(ev, mark)
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                ok = documents == 1
                if not ok:
                    builder.problem(mark, "more than one YAML document in the file ('---'); use one")
            else:
                ok = True
            if not ok:
                break
    except yaml.MarkedYAMLError as exc:
        mk = exc.problem_mark or exc.context_mark
        line, col = (mk.line + 1, mk.column + 1) if mk else (None, None)
        # the parser's words only: str(exc) may quote a snippet of the line
        what = exc.problem or exc.context or "not valid YAML"
        builder.problems.append(Problem(file, line, col, "", f"YAML syntax error: {what}"))
    except yaml.YAMLError as exc:
        pos = getattr(exc, "position", None)
        builder.problems.append(Problem(file, None, None, "", f"YAML error: {exc}" if pos is None
                                        else f"YAML error at character {pos}: {exc}"))
    finally:
        loader.dispose()
    return builder


def loads(text: str, file: str = "<string>") -> Document:
    """Parse one YAML document from text. Raises InvalidInput with every problem found."""
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise InvalidInput.single(file, "file is empty", 1, 1)
    for fast in (_block_parse, _fast_parse):
        try:
            return Document(file, fast(text), text)
        except _Unusual:
            pass
    builder = _parse(text, file, track=False)
    if builder.problems:  # parse again, keeping positions, to say where each problem is
        builder = _parse(text, file, track=True)
        raise InvalidInput(f"{file}: invalid YAML", builder.problems)
    if not builder.has_root:
        raise InvalidInput.single(file, "file is empty", 1, 1)
    return Document(file, builder.root, text)


def open_regular(path: str | Path, display: str | None = None, what: str = "file") -> Any:
    """``path`` opened for binary reading, when it is a regular file: never blocks on a pipe,
    never opens a device. InvalidInput (located at ``display``) for anything else."""
    name = display or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InvalidInput.single(name, f"{what} not found") from None
    except IsADirectoryError:
        raise InvalidInput.single(name, "is a directory, not a file") from None
    except PermissionError:
        raise InvalidInput.single(name, "permission denied") from None
    except OSError as exc:
        raise InvalidInput.single(name, f"cannot read: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:  # pragma: no cover - fstat of an open descriptor
        os.close(fd)
        raise InvalidInput.single(name, f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise InvalidInput.single(name, "is a directory, not a file" if stat.S_ISDIR(mode)
                                  else "is not a regular file (a device, pipe or socket): give a file")
    return os.fdopen(fd, "rb")


def read_input(path: str | Path, limit: int, display: str | None = None, *, what: str = "file",
               setting: str | None = None) -> bytes:
    """The bytes of an input file, at most ``limit`` of them, recorded as an input of the run.

    Every file a command reads should come through here (YAML does, through :func:`load_file`):
    the size cap holds for anything (``/dev/zero``, a FIFO, a file growing while read), every OS
    error is a located InvalidInput, and the path is noted so that no ``-o`` of the run can
    overwrite it (:func:`model_scorecard.atomic.note_input`). ``setting`` names the
    environment variable that raises the cap, for the message.
    """
    p = Path(path)
    name = display or str(path)
    how = f" ({setting})" if setting else ""
    note_input(p)
    fh = open_regular(p, name, what)  # a FIFO or device is refused, never waited on or read
    try:  # opening faults are open_regular's; what is left is a read failing (EIO …)
        with fh:
            size = os.fstat(fh.fileno()).st_size
            if size > limit:
                raise InvalidInput.single(name, f"{what} is {size:,} bytes; the limit is {limit:,}{how}")
            raw = fh.read(limit + 1)
    except OSError as exc:
        raise InvalidInput.single(name, f"cannot read: {exc.strerror or type(exc).__name__}") from None
    if len(raw) > limit:
        raise InvalidInput.single(name, f"{what} is larger than the limit of {limit:,} bytes{how}")
    return raw


def load_file(path: str | Path, display: str | None = None) -> Document:
    """Read and parse a YAML file with the size cap applied before parsing."""
    name = display or str(path)
    raw = read_input(path, MAX_BYTES, name, setting="SCORECARD_MAX_YAML_BYTES")
    return loads(_decode(raw, name), name)
