"""Output formats of a ranking behind one interface: ``render(report, fmt) -> str``.

The terminal table is rich; every other format is text built from the same ``Report``.
JSON is the canonical form; CSV goes through pandas and HTML through ``html.py``, each
imported only when asked for. The format table (``formats.FormatTable``) is the one the
gate's outputs use too: ``--format`` names a format, or ``-o FILE``'s extension picks it.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from model_scorecard.report.formats import FormatTable, Lazy, OutputFormat

if TYPE_CHECKING:  # pragma: no cover - results imports the pydantic models; keep `vram` start-up light
    from model_scorecard.scoring.results import Report


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"


FORMATS: FormatTable[Format] = FormatTable(Format, {
    Format.table: OutputFormat(Lazy(".table", "render_plain"), (".txt",)),
    Format.json: OutputFormat(Lazy(".jsonfmt", "render_bytes"), (".json",), Lazy(".jsonfmt", "iter_render")),
    Format.csv: OutputFormat(Lazy(".csvfmt", "render"), (".csv",)),
    Format.markdown: OutputFormat(Lazy(".markdown", "render"), (".md", ".markdown")),
    Format.html: OutputFormat(Lazy(".html", "render"), (".html", ".htm")),
})
RENDERERS: dict[Format, Callable[[Report], str | bytes]] = FORMATS.renderers


def format_for(path: str | Path, default: Format | None = Format.table) -> Format:
    """The format ``-o FILE`` asks for by its extension; the plain table when it names none."""
    return FORMATS.format_for(path, default)


def render(report: Report, fmt: Format) -> str:
    """The report as text in ``fmt`` (the table without colour, for files)."""
    return FORMATS.render(report, fmt)


def render_bytes(report: Report, fmt: Format) -> bytes:
    """The report as UTF-8 bytes, for files and pipes (JSON skips a decode and re-encode)."""
    return FORMATS.render_bytes(report, fmt)


def render_chunks(report: Report, fmt: Format) -> Any:
    """The report's bytes in chunks (JSON streams: memory stays flat whatever the catalog size)."""
    return FORMATS.render_chunks(report, fmt)
