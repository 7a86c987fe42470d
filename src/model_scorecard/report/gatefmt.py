"""Formats of a gate result behind one interface: ``render_gate(result, fmt) -> str``.

``scorecard gate -o FILE`` picks the format from the file's extension (``format_for``),
through the same ``FormatTable`` mechanism as ``scorecard rank``; ``scorecard gate
--format`` prints any of the same formats on stdout instead of the terminal table
(``GateView``). JSON is the canonical artefact (versioned, byte-identical for identical
runs); Markdown is the same text the GitHub step summary gets; JUnit XML and SARIF feed
CI dashboards and code scanning; HTML is a self-contained page for people.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from model_scorecard.report.formats import FormatTable, Lazy, OutputFormat

if TYPE_CHECKING:  # pragma: no cover
    from model_scorecard.gate import GateResult


class GateFormat(str, Enum):
    json = "json"
    markdown = "markdown"
    junit = "junit"
    sarif = "sarif"
    codequality = "codequality"
    html = "html"


def render_json(result: GateResult) -> str:
    """The canonical gate result; input text escaped for a terminal or CI log by ``escape.json_safe``
    (JSON escapes only: the parsed document is the same)."""
    from model_scorecard.report.jsonfmt import dumps

    return dumps(result.to_dict())


GATE_FORMATS: FormatTable[GateFormat] = FormatTable(GateFormat, {
    GateFormat.json: OutputFormat(render_json, (".json",)),
    GateFormat.markdown: OutputFormat(Lazy(".github", "summary_markdown"), (".md", ".markdown")),
    GateFormat.junit: OutputFormat(Lazy(".junit", "render"), (".junit.xml", ".xml")),
    GateFormat.sarif: OutputFormat(Lazy(".sarif", "render"), (".sarif", ".sarif.json")),
    # GitLab's usual name, gl-code-quality-report.json, ends with the second suffix
    GateFormat.codequality: OutputFormat(Lazy(".codequality", "render"),
                                         (".codequality.json", "-code-quality-report.json")),
    GateFormat.html: OutputFormat(Lazy(".html", "render_gate"), (".html", ".htm")),
})
# What `scorecard gate --format` prints on stdout: the rich terminal table, or any format of
# GATE_FORMATS (derived from GateFormat, so a new file format is printable with no second list).
GateView = Enum("GateView", [("table", "table"), *((f.name, f.value) for f in GATE_FORMATS.kind)],  # type: ignore[misc]
                type=str)


def stdout_format(view: str) -> GateFormat | None:
    """The ``GateFormat`` that ``--format`` prints on stdout; None for the terminal table."""
    value = getattr(view, "value", view)
    return None if value == "table" else GateFormat(value)

# Longest suffix first: `gate.sarif.json` is SARIF, `gate.junit.xml` is JUnit.
SUFFIXES: tuple[tuple[str, GateFormat], ...] = GATE_FORMATS.suffixes
GATE_RENDERERS: dict[GateFormat, Callable[[GateResult], str | bytes]] = GATE_FORMATS.renderers


def format_for(path: str | Path) -> GateFormat:
    """The format of ``-o FILE`` by its extension; a UserError naming the known ones otherwise."""
    return GATE_FORMATS.format_for(path)


def render_gate(result: GateResult, fmt: GateFormat) -> str:
    return GATE_FORMATS.render(result, fmt)


def render_gate_bytes(result: GateResult, fmt: GateFormat) -> bytes:
    return GATE_FORMATS.render_bytes(result, fmt)
