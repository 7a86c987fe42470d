"""A model card's eval results (``model-index``) → catalog benchmarks, graded by who measured.

Each result names a dataset (``type``, ``name``, ``config``, ``split``, ``args.num_few_shot``),
metrics (``type``, ``value``, ``name``) and, optionally, where it comes from (``source.name``,
``source.url``). A result becomes ``benchmarks.<slug>``: the slug from the dataset
(``TIGER-Lab/MMLU-Pro`` → ``mmlu_pro``, ``Idavidrein/gpqa`` → ``gpqa`` with the variant its
config names), the value in % (a share from 0 to 1 × 100), ``n_shot`` from the dataset's
arguments; ``source: huggingface`` and a note naming the card and the result's own source,
``as_of`` the repository's last change. Only accuracy-like metrics are read (acc, exact
match, pass@1, f1 …); BLEU, perplexity and ratings are left out.

Grades:

- a result the Hub verified (``verified: true``: the Hub's own evaluation), or one the
  Open LLM Leaderboard measured: **independent** (one harness for every model). The
  Leaderboard's v2 scores are normalised above the random baseline, so they are kept under
  ``oll_<slug>`` and never stand in for the raw benchmark a rubric scores;
- a result with no source, or sourced to the repository itself, in the card of a model that
  is not a quantized copy: **first-party** (the publisher's own claim about its model);
- anything else -- a quantized copy's card (its tags say ``base_model:quantized:…``), a
  result sourced elsewhere: **third-party**.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from model_scorecard.hub.model import HubModel

__all__ = ["SOURCE", "benchmark_facts", "dataset_slug", "grade_of"]

SOURCE = "huggingface"
#: Dataset names (the last part of ``type``, lower case, ``_`` for other characters) → rubric slugs.
_ALIASES = {"hendrycks_test": "mmlu", "openai_humaneval": "humaneval", "mmlu_pro": "mmlu_pro",
            "swe_bench_verified": "swe_bench_verified", "mt_bench": "mt_bench", "hle": "hle"}
_GPQA_VARIANT = re.compile(r"(diamond|main|extended)")
_ACCURACY = re.compile(r"(^|_)(acc|accuracy|exact_match|em|f1|pass@1|pass_at_1|mc1|mc2|strict_acc)($|_)")
_NOT = re.compile(r"[^a-z0-9@]+")
_LEADERBOARD = re.compile(r"open[\s_-]*llm[\s_-]*leaderboard", re.IGNORECASE)


def _norm(text: Any) -> str:
    return _NOT.sub("_", str(text).strip().lower()).strip("_") if isinstance(text, str) else ""


def dataset_slug(result: Mapping[str, Any]) -> tuple[str, str | None] | None:
    """The benchmark slug and variant of a result's dataset, or None when it names none."""
    name = result.get("dataset_type") or result.get("dataset_name")
    if not isinstance(name, str) or not name.strip():
        return None
    key = _norm(name.strip().rstrip("/").rsplit("/", 1)[-1]).replace("@", "_")
    if not key:
        return None
    slug = _ALIASES.get(key, key)
    if not re.match(r"^[a-z0-9]", slug):
        return None
    variant = None
    if slug == "gpqa":
        where = " ".join(str(result.get(k) or "") for k in ("dataset_config", "dataset_name")).lower()
        m = _GPQA_VARIANT.search(where)
        variant = m.group(1) if m else None
    return slug[:100], variant


def _is_leaderboard(result: Mapping[str, Any]) -> bool:
    return any(isinstance(result.get(k), str) and _LEADERBOARD.search(result[k].replace("-", " "))
               for k in ("source_name", "source_url"))


def grade_of(result: Mapping[str, Any], model: HubModel) -> tuple[str, str]:
    """The grade of one model-index result in ``model``'s card, and why."""
    if result.get("verified") is True:
        return "independent", "verified by the Hub's own evaluation"
    if _is_leaderboard(result):
        return "independent", "measured by the Open LLM Leaderboard (one harness for every model)"
    if any(t.startswith("base_model:quantized:") for t in model.tags):
        return "third-party", "the card of a quantized copy: results copied from the base model's card"
    url = result.get("source_url")
    own = f"/{model.repo_id}".lower()
    if not result.get("source_name") and not url or isinstance(url, str) and url.lower().rstrip("/").endswith(own):
        return "first-party", "the publisher's own result in its model card"
    return "third-party", "a result the card attributes to another source"


def _percent(value: Any) -> tuple[float, str] | None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) or value < 0:
        return None
    if value <= 1:
        return float(f"{value * 100:.10g}"), f"{value:g} read as a share (× 100)"
    if value <= 100:
        return float(value), "a percentage"
    return None


def benchmark_facts(model: HubModel) -> dict[str, Any]:
    """``{slug: benchmark fact}`` from the card's model-index; the first result of a slug wins."""
    as_of = model.last_modified[:10] if model.last_modified and re.match(r"^\d{4}-\d{2}-\d{2}",
                                                                          model.last_modified) else model.fetched_at
    card = f"{model.url}@{model.sha[:12]}" if model.sha else model.url
    out: dict[str, Any] = {}
    for result in model.eval_results:
        metric = _norm(result.get("metric_type"))
        if not _ACCURACY.search(metric):
            continue
        named = dataset_slug(result)
        value = _percent(result.get("metric_value"))
        if named is None or value is None:
            continue
        slug, variant = named
        grade, why = grade_of(result, model)
        if _is_leaderboard(result):
            slug = f"oll_{slug}"
        if slug in out:
            continue
        fact: dict[str, Any] = {"value": value[0]}
        args = result.get("dataset_args")
        shots = args.get("num_few_shot") if isinstance(args, Mapping) else None
        if isinstance(shots, int) and not isinstance(shots, bool) and shots >= 0:
            fact["n_shot"] = shots
        if variant:
            fact["variant"] = variant
        dataset = ", ".join(str(result[k]) for k in ("dataset_name", "dataset_type", "dataset_config", "dataset_split")
                            if isinstance(result.get(k), (str, int)) and str(result[k]).strip())
        fact["setting"] = f"model card model-index: {dataset}; metric {result.get('metric_name') or metric}"
        source = " ".join(str(result[k]) for k in ("source_name", "source_url") if result.get(k))
        fact.update({"source": SOURCE, "as_of": as_of, "grade": grade,
                     "note": f"{card}: model-index result ({value[1]}); {why}"
                             + (f"; result source: {source}" if source else "")
                             + "; as_of: the repository's last change"})
        out[slug] = fact
    return out
