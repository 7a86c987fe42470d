"""CSV, one row per model, through pandas (the same table as ``Report.to_dataframe()``)."""

from __future__ import annotations

from ..scoring.results import Report


def render(report: Report) -> str:
    return report.to_dataframe().to_csv(index=False, lineterminator="\n")
