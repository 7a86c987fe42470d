"""The canonical JSON report: stable keys and order, no timestamps, byte-identical per input.

Encoded with orjson: the standard library only accelerates compact JSON, and its indented
encoder is pure Python (40× slower on a 10,000-model report). Keys keep the report's order.

A ranking is written in chunks (:func:`iter_render`, :func:`write`): the head of the report,
then :data:`CHUNK_MODELS` models at a time, each chunk built, encoded and let go before the
next. The whole document never exists as a tree of dicts, so rendering costs the report
itself plus one chunk, whatever the number of models; the bytes are those of
``dumps_bytes(report.to_dict())``, exactly.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any, BinaryIO

import orjson

if TYPE_CHECKING:  # a type only: `vram -f json` must not load the scoring engine
    from model_scorecard.scoring.results import Report

_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
#: Models per chunk: big enough that the per-chunk work (the rubric's head, once) is noise,
#: small enough that a chunk is a few megabytes.
CHUNK_MODELS = 256
_EMPTY_MODELS = b'  "models": []\n}\n'


def dumps_bytes(data: Any, *, sort_keys: bool = False) -> bytes:
    """Indented JSON as UTF-8 bytes with a final newline: the one encoder of every command's
    JSON (reports, gate results, SARIF, schemas, Hub answers). Control characters,
    bidirectional overrides and CI workflow-command openers in strings are written as \\u
    escapes (the parsed document is the same), so the JSON is safe on a terminal and in a CI
    log. A NaN or infinity is refused (ValueError): no figure leaves the tool as one."""
    from model_scorecard.report.escape import json_safe_bytes

    _refuse_non_finite(data)
    return json_safe_bytes(orjson.dumps(data, option=_OPTIONS | (orjson.OPT_SORT_KEYS if sort_keys else 0)))


def dumps(data: Any, *, sort_keys: bool = False) -> str:
    return dumps_bytes(data, sort_keys=sort_keys).decode("utf-8")


def _refuse_non_finite(data: Any) -> None:
    """orjson writes NaN and infinity as null; the stdlib encoder (allow_nan=False) refused them,
    and so does this one, so a bug upstream cannot pass for an unknown."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            if item != item or item in (float("inf"), float("-inf")):
                raise ValueError(f"a JSON figure is not finite: {item}")
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


def iter_render(report: Report, chunk_models: int = CHUNK_MODELS) -> Iterator[bytes]:
    """The report's JSON, ``dumps_bytes(report.to_dict())`` byte for byte, in chunks.

    Every model's dict comes from ``Report.to_dict`` itself, applied to a slice of the
    models (``p_green`` and the shared-result memos included): only the ``summary`` counts,
    which cover all the models, are counted here, under the keys ``to_dict`` gives them.
    """
    from model_scorecard.report.escape import json_safe_bytes

    head = replace(report, models=()).to_dict()
    verdicts = Counter(m.verdict for m in report.models)
    head["summary"] = {v: verdicts.get(v, 0) for v in head["summary"]}
    text = dumps_bytes(head)
    if not report.models:
        yield text
        return
    if list(head)[-1] != "models" or not text.endswith(_EMPTY_MODELS):  # pragma: no cover - a new layout
        yield dumps_bytes(report.to_dict())
        return
    yield text[: -len(_EMPTY_MODELS)] + b'  "models": [\n'
    models = report.models
    for start in range(0, len(models), chunk_models):
        part = replace(report, models=models[start:start + chunk_models]).to_dict()["models"]
        # a list alone is indented from column 0; inside the report it sits 2 deeper. JSON
        # strings hold no raw newline, so every newline in the encoding starts a line.
        body = json_safe_bytes(orjson.dumps(part, option=orjson.OPT_INDENT_2))[2:-2]  # without "[\n" and "\n]"
        del part
        yield (b",\n  " if start else b"  ") + body.replace(b"\n", b"\n  ")
    yield b"\n  ]\n}\n"


def write(report: Report, out: BinaryIO) -> int:
    """Write the report's JSON to a binary stream chunk by chunk; the bytes written."""
    written = 0
    for chunk in iter_render(report):
        out.write(chunk)
        written += len(chunk)
    return written


def render_bytes(report: Report) -> bytes:
    """The whole document as bytes, built from the chunks (never from the full tree of dicts)
    in one growing buffer that ``getvalue`` hands over without a copy: about the document's
    size on top of the report, where a join would hold every chunk and the result at once."""
    buffer = io.BytesIO()
    write(report, buffer)
    return buffer.getvalue()


def render(report: Report) -> str:
    return render_bytes(report).decode("utf-8")
