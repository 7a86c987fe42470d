"""Fast paths of YAML loading: plain block-style documents, read without positions.

Two twins of the positioned builder in :mod:`model_scorecard.schema.yamlio`, kept because
ranking a 10,000-model catalog needs them (``benchmarks/bench_rank.py``; on its generated
8 MB catalog): the line scanner (:func:`block_parse`, no PyYAML, 0.42 s) and the event loop
(:func:`fast_parse`, PyYAML's events without positions, 0.96 s), against 1.45 s for the
builder. Each returns plain data or raises :class:`Unusual`, and the caller falls back to
the builder, which applies every check and says where a problem is.
``tests/schema/test_yamlfast.py`` holds both to libyaml's reading of everything they accept.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from model_scorecard.schema.yamlcore import (
    MAX_DEPTH,
    SPECIAL_FIRST,
    EventLoader,
    plain_scalar,
)


class Unusual(Exception):
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
        value = memo[text] = plain_scalar(text)
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
                raise Unusual
            key, token, sep = m.group(1, 2, 3)
            if token[0] == "'" or token[0] == '"':
                value: Any = _quoted(token)
            else:
                token = token.rstrip(" ")
                if ": " in token or token[-1] == ":" or (":" in token and _FLOW_COLON.search(token)):
                    raise Unusual
                value = _resolved(token, memo)
            if is_map:
                if key is None:
                    raise Unusual
                k = _resolved(key, memo)
                if k in container:
                    raise Unusual
                container[k] = value
            elif key is None:
                container.append(value)
            else:
                raise Unusual  # a one-pair mapping inside a flow sequence
            pos = m.end()
            if sep == close:
                break
            if sep != ",":
                raise Unusual
    if _TRAILER.fullmatch(rest, pos) is None:
        raise Unusual
    return container


def _line_value(rest: str, memo: dict[str, Any]) -> Any:
    """The value written after ``key: `` or ``- `` (``rest`` is not empty and not a comment)."""
    first = rest[0]
    if first not in _NOT_PLAIN or (first == "-" and len(rest) > 1 and rest[1] in "0123456789."):
        cut = rest.find(" #")
        text = (rest if cut < 0 else rest[:cut]).rstrip(" ")
        if ": " in text or text[-1] == ":":
            raise Unusual
        return _resolved(text, memo)
    if first == "{" or first == "[":
        return _flow(rest, memo)
    if first == "'" or first == '"':
        m = _QUOTED.fullmatch(rest)
        if m is None:
            raise Unusual
        return _quoted(m.group(1))
    raise Unusual


def block_parse(text: str) -> Any:
    """Plain data from a document written in the common block style, or ``Unusual``.

    A catalog is mostly ``key: value`` lines, ``- `` entries and one-line flow collections
    (``{value: 70B, source: …}``, ``[api, open-weights]``); this reads those a line at a
    time, several times faster than PyYAML's event stream. It accepts a strict subset of
    YAML -- plain keys; plain, single-line quoted and one-line flow values; comments -- and
    raises :class:`Unusual` at anything else (anchors, tags, block scalars, values that
    span lines, duplicate keys, tabs …), so the caller falls back to the event-based
    readers, which agree with it on every document it accepts.
    """
    if _BLOCK_UNSAFE.search(text) is not None:
        raise Unusual
    memo: dict[str, Any] = {}
    not_plain, scalar_of, line_value = _NOT_PLAIN, plain_scalar, _line_value
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
            raise Unusual  # a scalar on a line of its own: a continuation, a document marker …
        indent = len(spaces)
        if cur is None:
            if root is not None:  # pragma: no cover - the root is never closed
                raise Unusual
            root = cur = [] if dash else {}
            indent0, is_map = indent, not dash
        elif indent != indent0 or dash or not is_map:
            while indent < indent0:
                if not stack:
                    raise Unusual  # less indented than the first line: a second document node
                indent0, cur, is_map, compact = stack.pop()
                pending = False
            if indent == indent0:
                if not is_map:
                    if not dash:  # a key after a sequence written at its key's indent
                        if not compact:
                            raise Unusual
                        indent0, cur, is_map, compact = stack.pop()
                elif dash:  # "key:" then "- entry" at the key's indent
                    if not pending:
                        raise Unusual
                    seq: list[Any] = []
                    cur[pending_key] = seq
                    stack.append((indent0, cur, is_map, compact))
                    cur, is_map, compact = seq, False, True
            else:  # deeper: the block value of the last key or entry
                if not pending or len(stack) >= MAX_DEPTH:
                    raise Unusual
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
                raise Unusual
            stack.append((indent0, cur, False, compact))
            indent0, cur, is_map, compact = indent + 1 + len(after_dash), entry, True, False
        k = memo.get(key, memo)
        if k is memo:
            k = memo[key] = scalar_of(key)
        if k in cur:
            raise Unusual  # a duplicate key: the full builder reports it
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
            raise Unusual
        value = memo.get(rest, memo)
        if value is memo:
            value = memo[rest] = scalar_of(rest)
        cur[k] = value
    if root is None:
        raise Unusual
    return root


def fast_parse(text: str) -> Any:
    """Plain data from a well-formed document, or ``Unusual``.

    The common case -- mappings, sequences and untagged scalars, unique plain keys, no
    anchors, aliases or tags -- built in one tight loop, about twice as fast as
    :class:`_Builder`. Anything else (including every kind of problem) raises
    :class:`Unusual`, and the caller parses again with the full builder, which applies
    every check and limit and says where the problem is.
    """
    scalar_cls, map_cls, seq_cls = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end, doc_start = yaml.MappingEndEvent, yaml.SequenceEndEvent, yaml.DocumentStartEvent
    scalar_of, special = plain_scalar, SPECIAL_FIRST
    loader = EventLoader(text)
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
                    raise Unusual
                text_ = ev.value
                if ev.style or not ev.implicit[0]:
                    value: Any = text_
                elif text_ and text_[0] not in special:
                    value = text_
                else:
                    value = scalar_of(text_)
            elif cls is map_cls or cls is seq_cls:
                if ev.anchor is not None or ev.tag not in (None, "!") or len(stack) >= MAX_DEPTH:
                    raise Unusual
                is_map = cls is map_cls
                if stack and stack[-1][1] and not stack[-1][3]:
                    raise Unusual  # a collection as a mapping key
                stack.append([{} if is_map else [], is_map, None, False])
                continue
            elif cls is map_end or cls is seq_end:
                value = stack.pop()[0]
            elif cls is doc_start:
                documents += 1
                if documents > 1:
                    raise Unusual
                continue
            elif cls is yaml.AliasEvent:
                raise Unusual
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
                    raise Unusual
                try:
                    if value in top[0]:
                        raise Unusual
                except TypeError:  # pragma: no cover - scalars are hashable
                    raise Unusual from None
                top[2], top[3] = value, True
    except yaml.YAMLError:
        raise Unusual from None
    finally:
        loader.dispose()
    if not has_root:
        raise Unusual
    return root
