"""GitLab Code Quality report of a gate result: the merge request's "Code Quality" widget.

A JSON array with one issue per finding of each candidate (the same findings as SARIF), each
pointing at the candidate's line in the shortlist. A finding that fails the candidate is
``major`` (``minor`` when the gate only reports); an informational one is ``info``. The
fingerprint is a digest of candidate and rule, so GitLab follows an issue across commits even
when lines move. Input text goes through the JSON encoder's escapes (see :mod:`.jsonfmt`).
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath, PurePosixPath
from typing import Any

from model_scorecard.gate import GateResult

__all__ = ["issues", "render"]


def _path(file: str) -> str:
    """The shortlist's path as GitLab wants it: relative to the project, with forward slashes."""
    path = PurePath(file)
    return path.as_posix() if path.is_absolute() else PurePosixPath(*path.parts).as_posix()


def issues(result: GateResult) -> list[dict[str, Any]]:
    enforced = result.policy.enforced
    path = _path(result.shortlist_file)
    out = []
    for c in result.candidates:
        for f in c.findings:
            severity = ("major" if enforced else "minor") if f.fails else "info"
            digest = hashlib.sha256(f"{result.shortlist_file}\0{c.id}\0{f.rule}".encode()).hexdigest()
            out.append({
                "type": "issue",
                "check_name": f.rule,
                "description": f"{c.id}: {f.message}",
                "categories": ["Bug Risk"] if f.fails else ["Style"],
                "severity": severity,
                "fingerprint": digest[:32],
                "location": {"path": path, "lines": {"begin": c.where.line or 1}},
            })
    return out


def render(result: GateResult) -> str:
    from model_scorecard.report.jsonfmt import dumps

    return dumps(issues(result))
