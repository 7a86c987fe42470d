"""Formats of a gate result behind one interface: ``render_gate(result, fmt) -> str``.

``scorecard gate -o FILE`` picks the format from the file's extension (``format_for``).
JSON is the canonical artefact (versioned, byte-identical for identical runs); Markdown
is the same text the GitHub step summary gets; JUnit XML and SARIF feed CI dashboards
and code scanning.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Callable

from ..errors import UserError
from ..gate import GateResult


class GateFormat(str, Enum):
    json = "json"
    markdown = "markdown"
    junit = "junit"
    sarif = "sarif"


# Longest suffix first: `gate.sarif.json` is SARIF, `gate.junit.xml` is JUnit.
SUFFIXES: tuple[tuple[str, GateFormat], ...] = (
    (".junit.xml", GateFormat.junit),
    (".sarif.json", GateFormat.sarif),
    (".sarif", GateFormat.sarif),
    (".json", GateFormat.json),
    (".markdown", GateFormat.markdown),
    (".md", GateFormat.markdown),
    (".xml", GateFormat.junit),
)


def format_for(path: str | Path) -> GateFormat:
    name = Path(path).name.lower()
    for suffix, fmt in SUFFIXES:
        if name.endswith(suffix):
            return fmt
    known = ", ".join(s for s, _ in SUFFIXES)
    raise UserError(f"cannot tell the format of '{path}' from its extension",
                    hint=f"name the file with one of: {known}")


def render_json(result: GateResult) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _markdown(result: GateResult) -> str:
    from .github import summary_markdown
    return summary_markdown(result)


def _junit(result: GateResult) -> str:
    from .junit import render
    return render(result)


def _sarif(result: GateResult) -> str:
    from .sarif import render
    return render(result)


GATE_RENDERERS: dict[GateFormat, Callable[[GateResult], str]] = {
    GateFormat.json: render_json,
    GateFormat.markdown: _markdown,
    GateFormat.junit: _junit,
    GateFormat.sarif: _sarif,
}


def render_gate(result: GateResult, fmt: GateFormat) -> str:
    return GATE_RENDERERS[fmt](result)
