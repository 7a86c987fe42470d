"""The canonical JSON report: stable keys and order, no timestamps, byte-identical per input."""

from __future__ import annotations

import json

from ..results import Report


def render(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
