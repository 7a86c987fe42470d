"""Write the bundled price snapshot, src/model_scorecard/data/genai-prices.json, from genai-prices.

A maintainer's script, not part of the package: run it in a virtual environment that has the
genai-prices release to snapshot installed (``pip install genai-prices==X.Y.Z``), then commit
the file it writes::

    python scripts/snapshot_genai_prices.py [--date YYYY-MM-DD] [-o PATH]

genai-prices (https://github.com/pydantic/genai-prices, MIT licence) ships its price data as
Python objects; this writes them back in the form of the upstream ``prices/data.json`` (a list
of providers, each with its models and their prices), trimmed to what ``scorecard import
genai-prices`` reads: ids, names, context windows, and the token prices (input, output, cache
read, cache write, USD per 1M tokens) with the date each takes effect. Prices by time of day
(off-peak rates) and request variants (batch, priority …) are left out; tiered prices keep
their tiers. The licence notice travels at the top of the file, as the MIT licence asks.
Nothing is fetched: the data is the installed release's.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime, timezone
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "src" / "model_scorecard" / "data" / "genai-prices.json"
UPSTREAM = "https://github.com/pydantic/genai-prices"
#: The token prices kept, as genai-prices names them (USD per 1M tokens).
KEYS = ("input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok")


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _price(value: Any) -> Any:
    from genai_prices.types import TieredPrices

    if isinstance(value, TieredPrices):
        return {"base": _number(value.base), "tiers": [{"start": t.start, "price": _number(t.price)} for t in value.tiers]}
    return _number(value)


def _prices(model_price: Any) -> dict[str, Any]:
    return {key: _price(getattr(model_price, key)) for key in KEYS if getattr(model_price, key, None) is not None}


def _model(model: Any) -> dict[str, Any] | None:
    from genai_prices.types import ModelPrice, StartDateConstraint

    out: dict[str, Any] = {"id": model.id}
    if model.name:
        out["name"] = model.name
    if model.context_window:
        out["context_window"] = model.context_window
    if isinstance(model.prices, ModelPrice):
        prices = _prices(model.prices)
        if not prices:
            return None
        out["prices"] = prices
        return out
    dated = []
    for conditional in model.prices:
        constraint = conditional.constraint
        if constraint is not None and not isinstance(constraint, StartDateConstraint):
            continue  # a price by time of day (an off-peak rate): not a list price
        prices = _prices(conditional.prices)
        if not prices:
            continue
        item: dict[str, Any] = {}
        if constraint is not None:
            item["constraint"] = {"start_date": constraint.start_date.isoformat()}
        item["prices"] = prices
        dated.append(item)
    if not dated:
        return None
    out["prices"] = dated
    return out


def snapshot(day: date) -> dict[str, Any]:
    from genai_prices.data import providers

    version = metadata.version("genai-prices")
    licence = metadata.distribution("genai-prices").read_text("licenses/LICENSE") or ""
    out_providers = []
    left_out = 0
    for provider in providers:
        models = []
        for model in provider.models:
            kept = _model(model)
            if kept is None:
                left_out += 1
            else:
                models.append(kept)
        if models:
            out_providers.append({"id": provider.id, "name": provider.name, "models": models})
    about = {
        "what": "Token prices from genai-prices, in the form of its prices/data.json, trimmed to what "
                "`scorecard import genai-prices` reads; written by scripts/snapshot_genai_prices.py.",
        "upstream": UPSTREAM,
        "genai_prices_version": version,
        "snapshot_date": day.isoformat(),
        "left_out": f"{left_out} models with no price per token (speech, OCR, free tiers …); prices by time "
                    "of day; request variants (batch, priority …)",
        "license": "MIT",
        "license_notice": licence.strip().splitlines(),
    }
    return {"genai_prices_snapshot": about, "providers": out_providers}


def dump(data: dict[str, Any]) -> str:
    """One model a line: small, and a refresh reads as a readable diff."""
    lines = ["{", f'"genai_prices_snapshot": {json.dumps(data["genai_prices_snapshot"], indent=1)},',
             '"providers": [']
    for i, provider in enumerate(data["providers"]):
        head = json.dumps({k: v for k, v in provider.items() if k != "models"})[:-1]
        lines.append(f'{head}, "models": [')
        models = provider["models"]
        lines.extend(json.dumps(m, separators=(",", ":")) + ("," if j < len(models) - 1 else "")
                     for j, m in enumerate(models))
        lines.append("]}" + ("," if i < len(data["providers"]) - 1 else ""))
    lines += ["]", "}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--date", type=date.fromisoformat, default=datetime.now(timezone.utc).date(),
                        help="the snapshot's date (default: today, UTC); the data is the installed release's")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args()
    text = dump(snapshot(args.date))
    json.loads(text)  # it must be JSON
    args.output.write_text(text, encoding="utf-8")
    n = sum(len(p["models"]) for p in json.loads(text)["providers"])
    print(f"wrote {args.output}: {n} models, {len(text.encode()) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
