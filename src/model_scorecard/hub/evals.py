"""A model's eval results on the Hub → catalog benchmarks, graded by who measured.

Two forms: the repository's ``.eval_results/*.yaml`` entries (the Hub's current form, read
first: a benchmark dataset, a task, a value, when it ran, who reported it) and the model
card's ``model-index`` (the older form).

An ``.eval_results`` entry becomes ``benchmarks.<slug>`` the same way (the slug from the
dataset id, a GPQA variant from the task id, a share from 0 to 1 × 100); ``as_of`` is the
date it ran (else the repository's last change); an entry with ``notes`` (``With tools``)
is another protocol and is kept under ``<slug>_<notes>``. Grades: an entry with the Hub's
verification token (a run the Hub can reproduce, one harness for every model) is
**independent**; one with no source, or sourced to the model's own repository or
organisation, **first-party** (a quantized copy's: third-party); a community-provided one
(another user or organisation) **third-party**.

For ``model-index``:

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

__all__ = ["SOURCE", "benchmark_facts", "dataset_slug", "entry_grade", "grade_of"]

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


def _quantized_copy(model: HubModel) -> bool:
    """The repository is a quantized copy of another model (its tags say ``base_model:quantized:…``)."""
    return any(t.startswith("base_model:quantized:") for t in model.tags)


def grade_of(result: Mapping[str, Any], model: HubModel) -> tuple[str, str]:
    """The grade of one model-index result in ``model``'s card, and why."""
    if result.get("verified") is True:
        return "independent", "verified by the Hub's own evaluation"
    if _is_leaderboard(result):
        return "independent", "measured by the Open LLM Leaderboard (one harness for every model)"
    if _quantized_copy(model):
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


def _day(text: Any) -> str | None:
    return text[:10] if isinstance(text, str) and re.match(r"^\d{4}-\d{2}-\d{2}", text) else None


def entry_grade(entry: Mapping[str, Any], model: HubModel) -> tuple[str, str]:
    """The grade of one ``.eval_results`` entry of ``model``'s repository, and why."""
    if entry.get("verified") is True:
        return "independent", "carries the Hub's verification token (a reproducible run)"
    if _quantized_copy(model):
        return "third-party", "the repository of a quantized copy: results copied from the base model's"
    owner = model.repo_id.split("/", 1)[0].lower()
    url, org, user = entry.get("source_url"), entry.get("source_org"), entry.get("source_user")
    own_url = isinstance(url, str) and url.lower().rstrip("/").endswith(f"/{model.repo_id}".lower())
    if not url and not org and not user or own_url or isinstance(org, str) and org.lower() == owner:
        return "first-party", "the publisher's own result in its repository"
    return "third-party", "a community-provided result (another user or organisation)"


def _entry_facts(model: HubModel, as_of: str, where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for entry in model.eval_entries:
        named = dataset_slug({"dataset_type": entry.get("dataset_id"), "dataset_config": entry.get("task_id")})
        value = _percent(entry.get("value"))
        if named is None or value is None:
            continue
        slug, variant = named
        notes = _norm(entry.get("notes"))
        if notes:
            slug = f"{slug}_{notes}"[:120]
        if slug in out:
            continue
        grade, why = entry_grade(entry, model)
        fact: dict[str, Any] = {"value": value[0]}
        if variant:
            fact["variant"] = variant
        fact["setting"] = (f".eval_results: {entry.get('dataset_id')}, task {entry.get('task_id')}"
                           + (f"; {entry['notes']}" if entry.get("notes") else ""))
        source = " ".join(str(entry[k]) for k in ("source_name", "source_org", "source_user", "source_url")
                          if entry.get(k))
        ran = _day(entry.get("date"))
        fact.update({"source": SOURCE, "as_of": ran or as_of, "grade": grade,
                     "note": f"{where}: .eval_results entry ({value[1]}); {why}"
                             + (f"; result source: {source}" if source else "")
                             + ("; as_of: the day it ran" if ran else "; as_of: the repository's last change")})
        out[slug] = fact
    return out


def benchmark_facts(model: HubModel) -> dict[str, Any]:
    """``{slug: benchmark fact}`` from the repository's ``.eval_results`` and then the card's
    model-index; the first result of a slug wins."""
    as_of = _day(model.last_modified) or model.fetched_at
    card = f"{model.url}@{model.sha[:12]}" if model.sha else model.url
    out: dict[str, Any] = _entry_facts(model, as_of, card)
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
