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

__version__ = "0.1.0"

_EXPORTS = {
    "load_catalog": "loading", "load_rubric": "loading", "load_workload": "loading",
    "evaluate": "scoring", "Report": "results", "ModelResult": "results",
    "Catalog": "catalog", "ModelEntry": "catalog", "Workload": "catalog", "Rubric": "rubric",
    "ScorecardError": "errors", "UserError": "errors", "InvalidInput": "errors",
    "HubUnavailable": "errors", "InternalError": "errors", "Problem": "errors",
}
__all__ = [*_EXPORTS, "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog, ModelEntry, Workload
    from .errors import HubUnavailable, InternalError, InvalidInput, Problem, ScorecardError, UserError
    from .loading import load_catalog, load_rubric, load_workload
    from .scoring.results import ModelResult, Report
    from .rubric import Rubric
    from .scoring import evaluate


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'model_scorecard' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
