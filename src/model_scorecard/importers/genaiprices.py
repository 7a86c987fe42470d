"""genai-prices' price data → the prices in effect on a date, with their history.

genai-prices (https://github.com/pydantic/genai-prices, MIT licence) keeps the list prices of
many providers' models with the date each price took effect. Its ``prices/data.json`` is a
list of providers ``{id, name, models: [...]}``; a model has ``id``, ``name``,
``context_window`` and ``prices``: either one price ``{input_mtok, output_mtok,
cache_read_mtok, cache_write_mtok, ...}`` in USD per 1M tokens, or a list of conditional
prices ``{constraint: {start_date: YYYY-MM-DD}, prices: {...}}`` where the last one in force
wins (a price with no constraint is always in force). A tiered price is ``{base, tiers:
[{start, price}]}``: the base tier is read, and the note says a higher price applies above
``start`` input tokens. Prices by time of day (``constraint: {start_time, end_time}``, off-peak
rates) and keys other than those of text tokens are not read.

The package bundles a dated snapshot of that data (``data/genai-prices.json``, written by the
project's ``scripts/snapshot_genai_prices.py``: the same form, with the release, the snapshot's
date and the licence notice at the top). It is read only when this importer runs; nothing is
fetched. Every fact is graded third-party: an aggregator's copy of the vendors' prices.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from model_scorecard.errors import UserError, suggest
from model_scorecard.importers.common import (
    Foreign,
    checkpoint_fact,
    clean,
    is_number,
    iso_day,
    slug_of,
    stamp,
)

__all__ = ["GRADE", "UPSTREAM", "WHAT", "GenaiPricesOptions", "Price", "import_genai_prices", "price_on",
           "read_data", "snapshot_path"]

WHAT = "genai-prices price data (its prices/data.json, or the bundled snapshot)"
GRADE = "third-party"
UPSTREAM = "https://github.com/pydantic/genai-prices"
SNAPSHOT = "genai-prices.json"
#: genai-prices price keys (USD per 1M tokens) → pricing fields.
PRICES = (("input_mtok", "input_per_1m"), ("output_mtok", "output_per_1m"), ("cache_read_mtok", "cached_input_per_1m"))
Problems = list[tuple[tuple[Any, ...], str]]


def snapshot_path() -> Path:
    """The bundled snapshot."""
    from model_scorecard.bundled import data_file

    return data_file(SNAPSHOT)


@dataclass(frozen=True)
class GenaiPricesOptions:
    models: tuple[str, ...] = ()  # genai-prices model ids; none: every model (of --provider)
    providers: tuple[str, ...] = ()
    as_of: date | None = None  # the day whose prices to take; none: today
    source: str | None = None
    checkpoint: str | None = None  # of new LLM entries


@dataclass(frozen=True)
class Price:
    start: str | None  # the day it takes effect; None: genai-prices gives none (always in force)
    values: Mapping[str, float]  # genai-prices key → USD per 1M tokens (the base tier of a tiered price)
    tiers: Mapping[str, int]  # key → input tokens above which genai-prices gives a higher price


@dataclass(frozen=True)
class Model:
    provider: str
    id: str
    name: str
    context_window: int | None
    prices: tuple[Price, ...]


@dataclass(frozen=True)
class Data:
    models: tuple[Model, ...]
    label: str  # "genai-prices 0.2.3", or the file's name
    day: str  # the data's date: the snapshot's, or the file's last change
    day_how: str
    source: str  # the source a fact names by default


# --------------------------------------------------------------------------- reading

def _amount(value: Any, path: tuple[Any, ...], problems: Problems) -> float | None:
    """USD per 1M tokens: a number (or a decimal in a string, as Decimal writes it), 0 or more."""
    if is_number(value) and value >= 0:
        return clean(float(value))
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite() and number >= 0:
            return clean(float(number))
    problems.append((path, f"{value!r} is not a price (USD per 1M tokens, 0 or more)"))
    return None


def _price(raw: Any, path: tuple[Any, ...], start: str | None, problems: Problems) -> Price | None:
    if not isinstance(raw, Mapping):
        problems.append((path, f"a {type(raw).__name__}, not an object of prices"))
        return None
    values: dict[str, float] = {}
    tiers: dict[str, int] = {}
    for key, _ in PRICES:
        value = raw.get(key)
        if value is None:
            continue
        if isinstance(value, Mapping):  # tiered: {base, tiers: [{start, price}]}
            base = _amount(value.get("base"), (*path, key, "base"), problems)
            steps = value.get("tiers")
            starts = [t.get("start") for t in steps if isinstance(t, Mapping)] if isinstance(steps, list) else None
            if not starts or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in starts):
                problems.append(((*path, key, "tiers"), "not a list of tiers {start: tokens, price}"))
                continue
            if base is not None:
                values[key], tiers[key] = base, min(starts)
            continue
        amount = _amount(value, (*path, key), problems)
        if amount is not None:
            values[key] = amount
    return Price(start, values, tiers)


def _prices(raw: Any, path: tuple[Any, ...], problems: Problems) -> tuple[Price, ...]:
    if isinstance(raw, Mapping):
        one = _price(raw, path, None, problems)
        return (one,) if one is not None else ()
    if not isinstance(raw, list):
        problems.append((path, "neither an object of prices nor a list of conditional prices"))
        return ()
    out = []
    for k, item in enumerate(raw):
        where = (*path, k)
        if not isinstance(item, Mapping) or "prices" not in item:
            problems.append((where, "not a conditional price {constraint, prices}"))
            continue
        constraint = item.get("constraint")
        start = None
        if isinstance(constraint, Mapping) and "start_date" in constraint:
            start = iso_day(constraint["start_date"])
            if start is None:
                problems.append(((*where, "constraint", "start_date"),
                                 f"{constraint['start_date']!r} is not a date (YYYY-MM-DD)"))
                continue
        elif isinstance(constraint, Mapping) and "start_time" in constraint:
            continue  # a price by time of day (an off-peak rate): not a list price
        elif constraint is not None:
            problems.append(((*where, "constraint"), "neither {start_date} nor {start_time, end_time}"))
            continue
        price = _price(item["prices"], (*where, "prices"), start, problems)
        if price is not None:
            out.append(price)
    return tuple(out)


def _text(raw: Mapping[str, Any], key: str, path: tuple[Any, ...], problems: Problems) -> str | None:
    value = raw.get(key)
    if isinstance(value, str) and value.strip():
        return value.strip()
    problems.append(((*path, key) if key in raw else path, f"no {key} (text)"))
    return None


def _models(providers: Any, path: tuple[Any, ...], problems: Problems) -> list[Model]:
    if not isinstance(providers, list):
        problems.append((path, "not a list of providers"))
        return []
    out = []
    for i, provider in enumerate(providers):
        where = (*path, i)
        if not isinstance(provider, Mapping):
            problems.append((where, f"a {type(provider).__name__}, not a provider"))
            continue
        pid = _text(provider, "id", where, problems)
        models = provider.get("models", [])
        if not isinstance(models, list):
            problems.append(((*where, "models"), "not a list of models"))
            continue
        for j, model in enumerate(models):
            at = (*where, "models", j)
            if not isinstance(model, Mapping):
                problems.append((at, f"a {type(model).__name__}, not a model"))
                continue
            mid = _text(model, "id", at, problems)
            window = model.get("context_window")
            if window is not None and not (isinstance(window, int) and not isinstance(window, bool) and window > 0):
                problems.append(((*at, "context_window"), f"{window!r} is not a positive whole number of tokens"))
                window = None
            prices = _prices(model.get("prices", []), (*at, "prices"), problems)
            name = model.get("name")
            if pid and mid:
                out.append(Model(pid, mid, name.strip() if isinstance(name, str) and name.strip() else mid,
                                 window, prices))
    return out


def read_data(doc: Foreign) -> Data:
    """The models of genai-prices data: the upstream list of providers, or the bundled snapshot
    (``{genai_prices_snapshot: {...}, providers: [...]}``); InvalidInput naming file, line and
    field of every value that is not what genai-prices writes."""
    problems: Problems = []
    if isinstance(doc.data, list):
        models = _models(doc.data, (), problems)
        when = stamp(doc.path)
        label, day, how, source = doc.path.name, when.as_of, when.how, doc.path.name
    else:
        about = doc.data.get("genai_prices_snapshot")
        if not isinstance(about, Mapping):
            raise doc.error((), "neither genai-prices' list of providers nor its snapshot "
                                "({genai_prices_snapshot, providers})", what=WHAT)
        version, day = about.get("genai_prices_version"), iso_day(about.get("snapshot_date"))
        if not isinstance(version, str) or day is None:
            raise doc.error(("genai_prices_snapshot",), "no genai_prices_version or snapshot_date", what=WHAT)
        models = _models(doc.data.get("providers"), ("providers",), problems)
        label, how = f"genai-prices {version}", "the snapshot's date"
        source = f"{about.get('upstream') or UPSTREAM} (genai-prices {version}, snapshot of {day})"
    if problems:
        raise doc.errors(problems, what=WHAT)
    return Data(tuple(models), label, day, how, source)


# --------------------------------------------------------------------------- the prices of a day

def price_on(prices: tuple[Price, ...], day: date) -> Price | None:
    """The price in force on ``day``, as genai-prices chooses it: the last one whose start date
    is on or before ``day`` (one with no start date is always in force); None when every price
    starts later."""
    for price in reversed(prices):
        if price.start is None or date.fromisoformat(price.start) <= day:
            return price
    return None


def _selected(data: Data, opts: GenaiPricesOptions) -> list[Model]:
    models = list(data.models)
    if opts.providers:
        known = sorted({m.provider for m in models})
        unknown = [p for p in opts.providers if p not in known]
        if unknown:
            raise UserError(f"{data.label} has no provider " + ", ".join(f"'{p}'{suggest(p, known)}" for p in unknown),
                            hint="its providers: " + ", ".join(known))
        rank = {p: i for i, p in enumerate(dict.fromkeys(opts.providers))}
        # stable: a provider named earlier takes an id several providers list
        models = sorted((m for m in models if m.provider in rank), key=lambda m: rank[m.provider])
    if opts.models:
        wanted = {m.casefold() for m in opts.models}
        names = sorted({m.id for m in models})
        found = {m.id.casefold() for m in models}
        unknown = [m for m in opts.models if m.casefold() not in found]
        if unknown:
            of = f" of provider {', '.join(opts.providers)}" if opts.providers else ""
            raise UserError(f"{data.label} has no model{of} " + ", ".join(f"'{m}'{suggest(m, names)}" for m in unknown))
        models = [m for m in models if m.id.casefold() in wanted]
    return models


def _kind(model: Model) -> str | None:
    """llm when genai-prices prices output tokens; embedding when it prices input tokens only
    and says embed; else None (the model is not read)."""
    if any("output_mtok" in p.values for p in model.prices):
        return "llm"
    if any("input_mtok" in p.values for p in model.prices) and "embed" in f"{model.id} {model.name}".lower():
        return "embedding"
    return None


def _fact(value: Any, source: str, as_of: str, note: str) -> dict[str, Any]:
    return {"value": value, "source": source, "as_of": as_of, "grade": GRADE, "note": note}


def _entry(model: Model, kind: str, price: Price, data: Data, asked: date, source: str,
           opts: GenaiPricesOptions) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": slug_of(model.id), "name": model.name, "vendor": model.provider, "kind": kind,
                             "access": ["api"]}
    seen = min(asked.isoformat(), data.day)
    if kind == "llm" and opts.checkpoint:
        entry["checkpoint"] = checkpoint_fact(opts.checkpoint)
    if model.context_window:
        entry["context_window"] = _fact(model.context_window, source, data.day,
                                        f"{data.label} context_window; as_of: {data.day_how}")
    # as_of is the day asked for (at the latest the data's own date): genai-prices gives the price as
    # in force that day. The day it took effect goes in the note: as_of on that day would make a
    # price still in force look stale (`scorecard validate` warns on prices older than a year).
    since = f"in force since {price.start}" if price.start else "no start date given"
    later = sorted(p.start for p in model.prices if p.start and p.start > asked.isoformat())
    if later:
        since += f" (a new price from {later[0]})"
    when = f"{since}; as_of: the day asked for (--as-of), at the latest {data.day_how} {data.day}"
    pricing: dict[str, Any] = {}
    for key, field in PRICES:
        if key not in price.values:
            continue
        tier = price.tiers.get(key)
        tiered = (f"; the base tier: above {tier:,} input tokens {data.label} gives a higher price"
                  if tier is not None else "")
        pricing[field] = _fact(price.values[key], source, seen, f"{data.label} {key}, {when}{tiered}")
    entry["pricing"] = {"currency": "USD", **pricing}
    return entry


def _summary(what: str, items: list[str], limit: int = 6) -> list[str]:
    if len(items) <= limit:
        return [f"{item}: {what}" for item in items]
    return [f"{len(items)} models: {what}: {', '.join(items[:limit])} …"]


def import_genai_prices(doc: Foreign, opts: GenaiPricesOptions) -> tuple[list[dict[str, Any]], list[str], str, str]:
    """The catalog entries (plain data) of the models chosen from genai-prices data with the
    prices in force on ``opts.as_of``; warnings; the source the facts name; and a line for the
    catalog's header."""
    data = read_data(doc)
    asked = opts.as_of or datetime.now(timezone.utc).date()
    source = opts.source or data.source
    warnings: list[str] = []
    if asked.isoformat() > data.day:
        warnings.append(f"--as-of {asked.isoformat()} is after {data.label}'s date ({data.day}): a price change "
                        "since then is not in it")
    entries: list[dict[str, Any]] = []
    taken: dict[str, str] = {}
    clash, not_tokens, not_yet = [], [], []
    for model in _selected(data, opts):
        kind = _kind(model)
        if kind is None:
            not_tokens.append(f"{model.provider}/{model.id}")
            continue
        price = price_on(model.prices, asked)
        if price is None:
            first = min(p.start for p in model.prices if p.start)
            not_yet.append(f"{model.provider}/{model.id} (from {first})")
            continue
        entry = _entry(model, kind, price, data, asked, source, opts)
        if entry["id"] in taken:
            clash.append(f"{model.provider}/{model.id} ({taken[entry['id']]}'s)")
            continue
        taken[entry["id"]] = f"{model.provider}/{model.id}"
        entries.append(entry)
    warnings += _summary(f"no price in force on {asked.isoformat()}, left out", not_yet)
    warnings += _summary("no price per output token nor an embedding's per input token, left out", not_tokens)
    warnings += _summary("the id is another provider's model's, left out (choose with --provider)", clash)
    if not entries:
        raise UserError(f"{data.label}: no model to import with a price in force on {asked.isoformat()}",
                        hint="choose models with --model ID and --provider ID; --as-of chooses the day")
    extra = (f"genai-prices is an aggregator's copy of the vendors' prices: shown, never evidence. "
             f"Prices in force on {asked.isoformat()}; {data.label}, {data.day_how} {data.day}.")
    return entries, warnings, source, extra
