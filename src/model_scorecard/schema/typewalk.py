"""Walking pydantic annotations: the alternatives of a type, a model's fields, the type at a path.

Used to word validation problems (:mod:`model_scorecard.schema.located`) and to check the dotted
paths a rubric names (:mod:`model_scorecard.schema.facts`).
"""

from __future__ import annotations

import types
import typing
from typing import Any, Union

from pydantic import BaseModel

__all__ = ["is_model", "model_fields_of", "type_at", "unwrap"]


def unwrap(tp: Any) -> list[Any]:
    """The concrete alternatives of a type: Annotated stripped, unions split, None dropped."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return unwrap(typing.get_args(tp)[0])
    if origin in (Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(tp):
            if arg is not type(None):
                out.extend(unwrap(arg))
        return out
    return [tp]


def is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def model_fields_of(tp: Any) -> dict[str, Any]:
    """Field name (or alias) → annotation, for a pydantic model type."""
    out = {}
    for name, info in tp.model_fields.items():
        out[info.alias or name] = info.annotation
    return out


def type_at(root: Any, parts: tuple[Any, ...]) -> Any | None:
    """The type found by following ``parts`` from ``root``, or None when it leads nowhere."""
    current = [root]
    for part in parts:
        found = None
        for alt in (a for t in current for a in unwrap(t)):
            origin = typing.get_origin(alt)
            if is_model(alt) and isinstance(part, str) and part in model_fields_of(alt):
                found = model_fields_of(alt)[part]
            elif origin is dict:
                found = typing.get_args(alt)[1]
            elif origin in (list, tuple) and isinstance(part, int):
                found = typing.get_args(alt)[0]
            if found is not None:
                break
        if found is None:
            return None
        current = [found]
    return current[0]
