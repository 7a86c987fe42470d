"""LiteLLM's price map (``model_prices_and_context_window.json``) → prices and limits.

Each key is a model name as LiteLLM routes it; its value gives USD per token
(``input_cost_per_token``, ``output_cost_per_token``, ``cache_read_input_token_cost``,
``input_cost_per_token_batches``, ``output_cost_per_token_batches``), the limits
(``max_input_tokens``, ``max_output_tokens``), ``litellm_provider``, ``mode`` and
``deprecation_date``. The ``sample_spec`` key documents the format and is skipped.

Prices become USD per 1M tokens, rounded to 10 significant digits (3e-06 × 10^6 is 3.0).
The map is a gateway's copy of the vendors' prices: every fact is graded third-party
(shown and scored, never counted as evidence); the file has no date, so ``as_of`` is
``--as-of`` or the file's last change. ``max_tokens`` is not read: LiteLLM uses it for the
context of some models and the output limit of others.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from model_scorecard.errors import UserError, suggest
from model_scorecard.importers.common import Foreign, clean, is_number, slug_of, stamp

__all__ = ["MODES", "LiteLLMOptions", "import_litellm"]

WHAT = "a LiteLLM price map (model_prices_and_context_window.json)"
GRADE = "third-party"
#: LiteLLM modes read, and the catalog kind each becomes.
MODES = {"chat": "llm", "embedding": "embedding"}
#: LiteLLM price keys (USD per token) → pricing fields (USD per 1M tokens).
PRICES = (("input_cost_per_token", "input_per_1m"), ("output_cost_per_token", "output_per_1m"),
          ("cache_read_input_token_cost", "cached_input_per_1m"),
          ("input_cost_per_token_batches", "batch_input_per_1m"),
          ("output_cost_per_token_batches", "batch_output_per_1m"))
LIMITS = (("max_input_tokens", "context_window"), ("max_output_tokens", "max_output_tokens"))
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class LiteLLMOptions:
    models: tuple[str, ...] = ()  # LiteLLM names; none: every model of the mode (and provider)
    providers: tuple[str, ...] = ()
    mode: str = "chat"
    source: str | None = None
    as_of: date | None = None


def _selected(doc: Foreign, opts: LiteLLMOptions) -> list[str]:
    names = [k for k in doc.data if k != "sample_spec"]
    if opts.models:
        unknown = [m for m in opts.models if m not in doc.data or m == "sample_spec"]
        if unknown:
            raise UserError(f"{doc.name} has no model " + ", ".join(f"'{m}'{suggest(m, names)}" for m in unknown))
        return list(dict.fromkeys(opts.models))
    chosen = []
    for name in names:
        spec = doc.data[name]
        if not isinstance(spec, Mapping):
            raise doc.error((name,), f"a {type(spec).__name__}, not an object", what=WHAT)
        if spec.get("mode") != opts.mode:
            continue
        if opts.providers and spec.get("litellm_provider") not in opts.providers:
            continue
        chosen.append(name)
    if not chosen:
        providers = f" of provider {', '.join(opts.providers)}" if opts.providers else ""
        raise UserError(f"{doc.name}: no model of mode {opts.mode}{providers}",
                        hint="choose models with --model NAME, --provider and --mode")
    return chosen


def _fact(value: Any, source: str, as_of: str, note: str) -> dict[str, Any]:
    return {"value": value, "source": source, "as_of": as_of, "grade": GRADE, "note": note}


def _entry(doc: Foreign, name: str, spec: Mapping[str, Any], source: str, as_of: str, how: str,
           problems: list[tuple[tuple[Any, ...], str]]) -> dict[str, Any] | None:
    mode = spec.get("mode")
    kind = MODES.get(mode) if isinstance(mode, str) else None
    if kind is None:
        problems.append(((name, "mode"), f"mode {mode!r} is not read (only {', '.join(MODES)})"))
        return None
    provider = spec.get("litellm_provider")
    if not isinstance(provider, str) or not provider.strip():
        problems.append(((name, "litellm_provider") if "litellm_provider" in spec else (name,),
                         "no litellm_provider (the entry's vendor)"))
        return None
    entry: dict[str, Any] = {"id": slug_of(name), "name": name, "vendor": provider.strip(), "kind": kind,
                             "access": ["api"]}
    if kind == "llm":
        reasoning = spec.get("supports_reasoning") is True
        entry["checkpoint"] = _fact("reasoning" if reasoning else "instruct", source, as_of,
                                    f"LiteLLM mode chat{', supports_reasoning' if reasoning else ''}; as_of: {how}")
    for key, field in LIMITS:
        value = spec.get(key)
        if value is None:
            continue
        if not (isinstance(value, int) and not isinstance(value, bool) and value > 0):
            if is_number(value) and value > 0 and float(value).is_integer():
                value = int(value)
            else:
                problems.append(((name, key), f"{value!r} is not a positive whole number of tokens"))
                continue
        entry[field] = _fact(value, source, as_of, f"LiteLLM {key}; as_of: {how}")
    pricing: dict[str, Any] = {}
    for key, field in PRICES:
        value = spec.get(key)
        if value is None:
            continue
        if not is_number(value) or value < 0:
            problems.append(((name, key), f"{value!r} is not a price (a number of USD per token, 0 or more)"))
            continue
        pricing[field] = _fact(clean(value * 1_000_000), source, as_of,
                               f"LiteLLM {key} {value:g} USD per token × 10^6; as_of: {how}")
    if pricing:
        entry["pricing"] = {"currency": "USD", **pricing}
    deprecation = spec.get("deprecation_date")
    if deprecation is not None:
        if isinstance(deprecation, str) and _DAY.match(deprecation.strip()):
            try:
                day = date.fromisoformat(deprecation.strip()).isoformat()
            except ValueError:
                day = None
            if day:
                entry["operations"] = {"deprecation_date": _fact(day, source, as_of,
                                                                 f"LiteLLM deprecation_date; as_of: {how}")}
            else:
                problems.append(((name, "deprecation_date"), f"{deprecation!r} is not a date"))
        else:
            problems.append(((name, "deprecation_date"), f"{deprecation!r} is not a date (YYYY-MM-DD)"))
    return entry


def import_litellm(doc: Foreign, opts: LiteLLMOptions) -> tuple[list[dict[str, Any]], list[str]]:
    """The catalog entries (plain data) of the models chosen from a LiteLLM price map, and warnings."""
    if opts.mode not in MODES:
        raise UserError(f"--mode {opts.mode}: LiteLLM modes read are {', '.join(MODES)}")
    when = stamp(doc.path, as_of=opts.as_of)
    source = opts.source or doc.path.name
    problems: list[tuple[tuple[Any, ...], str]] = []
    entries: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    warnings: list[str] = []
    for name in _selected(doc, opts):
        spec = doc.data[name]
        if not isinstance(spec, Mapping):
            problems.append(((name,), f"a {type(spec).__name__}, not an object"))
            continue
        entry = _entry(doc, name, spec, source, when.as_of, when.how, problems)
        if entry is None:
            continue
        if entry["id"] in seen:
            warnings.append(f"{name}: its id {entry['id']} is {seen[entry['id']]}'s: left out")
            continue
        seen[entry["id"]] = name
        if "pricing" not in entry:
            warnings.append(f"{name}: no price per token in the map")
        entries.append(entry)
    if problems:
        raise doc.errors(problems, what=WHAT)
    return entries, warnings
