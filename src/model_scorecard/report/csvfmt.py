"""CSV, one row per model, through pandas (the same table as ``Report.to_dataframe()``).

Every text column goes through :func:`.escape.csv_cell`: a name or vendor that a spreadsheet
would evaluate (``=HYPERLINK(…)``, ``+cmd|…``, ``@SUM(…)``, ``-2+3``) is written with a
leading ``'`` so it stays text. Numeric columns are left alone: a negative margin is a number.
"""

from __future__ import annotations

from model_scorecard.report.escape import csv_cell
from model_scorecard.scoring.results import Report


def render(report: Report) -> str:
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    frame = report.to_dataframe()
    for column in frame.columns:
        values = frame[column]
        if not (is_numeric_dtype(values) or is_bool_dtype(values)):  # text: ids, names, vendors, flags, gates
            frame[column] = values.map(csv_cell)
    return frame.to_csv(index=False, lineterminator="\n")
