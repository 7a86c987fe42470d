"""Scoring: catalog × rubric × workload → :class:`Report`.

``deployments`` splits entries into what is actually scored, ``computed`` runs the
calculators, ``score`` applies the rubric, gates and evidence minimums and decides the
verdict, ``sensitivity`` asks how robust that verdict is, ``results`` holds the output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from model_scorecard.scoring.score import evaluate, score_model

__all__ = ["evaluate", "score_model"]


def __getattr__(name: str) -> Any:
    """``evaluate`` and ``score_model`` load the engine on first use: importing ``scoring.results``
    (a report's types) must not."""
    if name in __all__:
        from model_scorecard.scoring import score

        value = getattr(score, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
