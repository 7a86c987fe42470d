"""Scoring: catalog × rubric × workload → :class:`Report`.

``deployments`` splits entries into what is actually scored, ``computed`` runs the
calculators, ``score`` applies the rubric, gates and evidence minimums and decides the
verdict, ``sensitivity`` asks how robust that verdict is, ``results`` holds the output.
"""

from __future__ import annotations

from model_scorecard.scoring.score import evaluate, score_model

__all__ = ["evaluate", "score_model"]
