"""model-scorecard: score foundation models on the six-layer production scorecard.

Using it as a library::

    from model_scorecard import load_catalog, load_rubric, evaluate
    report = evaluate(load_catalog("current"), load_rubric("production"))
    report.to_dataframe()      # pandas, one row per model

Names are imported on first use, so ``import model_scorecard`` (and the CLI's start-up)
stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from model_scorecard._version import __version__

_EXPORTS = {
    "load_catalog": "schema.load", "load_rubric": "schema.load", "load_workload": "schema.workload",
    "evaluate": "scoring", "Report": "scoring.results", "ModelResult": "scoring.results",
    "Catalog": "schema.catalog", "ModelEntry": "schema.catalog", "Workload": "schema.workload",
    "Rubric": "schema.rubric",
    "ScorecardError": "errors", "UserError": "errors", "InvalidInput": "errors",
    "HubUnavailable": "errors", "InternalError": "errors", "Problem": "errors",
}
__all__ = [*_EXPORTS, "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    # ruff: noqa: F401 -- the names are exported lazily by __getattr__
    from model_scorecard.errors import (
        HubUnavailable,
        InternalError,
        InvalidInput,
        Problem,
        ScorecardError,
        UserError,
    )
    from model_scorecard.schema.catalog import Catalog, ModelEntry
    from model_scorecard.schema.load import load_catalog, load_rubric
    from model_scorecard.schema.rubric import Rubric
    from model_scorecard.schema.workload import Workload, load_workload
    from model_scorecard.scoring import evaluate
    from model_scorecard.scoring.results import ModelResult, Report


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'model_scorecard' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
