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

import os
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from model_scorecard.atomic import note_input
from model_scorecard.errors import InvalidInput, Problem, echo
from model_scorecard.schema.yamlcore import (
    CORE_TAG,
    MAX_ALIASES,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    EventLoader,
    plain_scalar,
    tagged_scalar,
)
from model_scorecard.schema.yamlfast import Unusual, block_parse, fast_parse

Path_ = tuple[Any, ...]



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
                value = plain_scalar(text) if plain else text
            elif tag.startswith(CORE_TAG) and tag[len(CORE_TAG):] in ("str", "int", "float", "bool", "null"):
                value = tagged_scalar(tag, text)
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
        allowed = (None, "!", CORE_TAG + ("map" if isinstance(container, dict) else "seq"))
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



def _parse(text: str, file: str, track: bool) -> _Builder:
    """Run the parser's events through a builder; problems are collected, not raised."""
    builder = _Builder(file, track)
    loader = EventLoader(text)
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
    for fast in (block_parse, fast_parse):
        try:
            return Document(file, fast(text), text)
        except Unusual:
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
