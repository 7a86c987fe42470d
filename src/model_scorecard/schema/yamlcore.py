"""YAML 1.2 core schema: how a plain scalar resolves, the limits every reading keeps, the event loader.

Shared by the positioned builder (:mod:`model_scorecard.schema.yamlio`) and the fast paths
(:mod:`model_scorecard.schema.yamlfast`), so both read a scalar the same way.
"""

from __future__ import annotations

import math
import os
import re
from typing import Any

__all__ = ["CORE_TAG", "MAX_ALIASES", "MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "SPECIAL_FIRST", "EventLoader", "plain_scalar",
           "tagged_scalar"]

try:  # libyaml's parser is ~10x faster; the pure-Python one gives the same events.
    from yaml import CSafeLoader as EventLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as EventLoader  # type: ignore[assignment]

MAX_BYTES = int(os.environ.get("SCORECARD_MAX_YAML_BYTES", 64 * 1024 * 1024))
MAX_DEPTH = 64
MAX_ALIASES = 1_000
MAX_NODES = 5_000_000

CORE_TAG = "tag:yaml.org,2002:"
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+$")
_INT_OCT = re.compile(r"0o[0-7]+$")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)$")
_NAN = re.compile(r"\.(nan|NaN|NAN)$")


SPECIAL_FIRST = set("0123456789+-.~nNtTfF")


def plain_scalar(text: str) -> Any:
    if text and text[0] not in SPECIAL_FIRST:
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


def tagged_scalar(tag: str, text: str) -> Any:
    kind = tag[len(CORE_TAG):]
    if kind == "str":
        return text
    value = plain_scalar(text)
    expected = {"null": type(None), "bool": bool, "int": int, "float": (int, float)}[kind]
    if not isinstance(value, expected) or (kind == "int" and isinstance(value, bool)):
        raise ValueError(f"the value is not a valid !!{kind}")  # line and column locate it: no echo
    return float(value) if kind == "float" else value
