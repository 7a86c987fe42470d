"""Output formats behind one interface: ``render(report, fmt) -> str``.

The terminal table is rich; every other format is plain text built from the same
``Report``. JSON is the canonical form; CSV goes through pandas (imported only then).
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # pragma: no cover - results imports the pydantic models; keep `vram` start-up light
    from ..results import Report


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


def _json(report: Report) -> str:
    from .jsonfmt import render
    return render(report)


def _csv(report: Report) -> str:
    from .csvfmt import render
    return render(report)


def _markdown(report: Report) -> str:
    from .markdown import render
    return render(report)


def _table(report: Report) -> str:
    from .table import render_plain
    return render_plain(report)


RENDERERS: dict[Format, Callable[[Report], str]] = {
    Format.table: _table,
    Format.json: _json,
    Format.csv: _csv,
    Format.markdown: _markdown,
}


def render(report: Report, fmt: Format) -> str:
    """The report as text in ``fmt`` (the table without colour, for files)."""
    return RENDERERS[fmt](report)


def render_bytes(report: Report, fmt: Format) -> bytes:
    """The report as UTF-8 bytes, for files and pipes (JSON skips a decode and re-encode)."""
    if fmt is Format.json:
        from .jsonfmt import render_bytes as json_bytes
        return json_bytes(report)
    return render(report, fmt).encode("utf-8")
