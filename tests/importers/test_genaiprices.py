"""genai-prices' dated prices → the price in force on a day, graded third-party; the bundled snapshot."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from model_scorecard.errors import InvalidInput, UserError
from model_scorecard.importers.common import read_json
from model_scorecard.importers.genaiprices import (
    UPSTREAM,
    WHAT,
    GenaiPricesOptions,
    Price,
    import_genai_prices,
    price_on,
    read_data,
    snapshot_path,
)

DATA = Path(__file__).resolve().parent / "data" / "genai-prices-data.json"


def _import(path: Path = DATA, day: date = date(2026, 3, 1), **kw):
    doc = read_json(path, what=WHAT, array=True)
    entries, warnings, source, _ = import_genai_prices(doc, GenaiPricesOptions(as_of=day, **kw))
    return {e["id"]: e for e in entries}, warnings, source


def _prices(entry) -> dict[str, float]:
    return {k: v["value"] for k, v in entry["pricing"].items() if isinstance(v, dict)}


HISTORY = (Price("2026-02-01", {"input_mtok": 3.0}, {}), Price("2026-08-01", {"input_mtok": 2.5}, {}))


@pytest.mark.parametrize("day, expected", [
    (date(2026, 1, 31), None),  # before the first price: the data does not say
    (date(2026, 2, 1), 3.0),  # the day it takes effect
    (date(2026, 7, 31), 3.0),  # between two
    (date(2026, 8, 1), 2.5),
    (date(2027, 1, 1), 2.5),  # after the last
])
def test_the_price_in_force_is_the_last_one_started(day, expected):
    chosen = price_on(HISTORY, day)
    assert (chosen and chosen.values["input_mtok"]) == expected or (chosen is None and expected is None)


def test_a_price_with_no_start_date_holds_until_a_dated_one():
    prices = (Price(None, {"input_mtok": 0.2}, {}), Price("2026-05-01", {"input_mtok": 0.1}, {}))
    assert price_on(prices, date(2020, 1, 1)).values["input_mtok"] == 0.2
    assert price_on(prices, date(2026, 5, 1)).values["input_mtok"] == 0.1


def test_prices_of_the_day_become_third_party_facts():
    entries, warnings, source = _import(day=date(2026, 3, 1))
    assert sorted(entries) == ["acme-chat-large", "acme-chat-mini", "acme-embed-v2", "other-chat-7b"]
    large = entries["acme-chat-large"]
    assert _prices(large) == {"input_per_1m": 3.0, "output_per_1m": 15.0, "cached_input_per_1m": 0.3}
    assert (large["vendor"], large["kind"], large["access"], large["name"]) == ("acme", "llm", ["api"],
                                                                               "Acme Chat Large")
    fact = large["pricing"]["input_per_1m"]
    assert (fact["grade"], fact["source"], fact["as_of"]) == ("third-party", "genai-prices-data.json", "2026-03-01")
    assert "in force since 2026-02-01" in fact["note"] and "a new price from 2026-08-01" in fact["note"]
    assert large["context_window"]["value"] == 200_000
    mini = entries["acme-chat-mini"]
    assert _prices(mini) == {"input_per_1m": 0.2, "output_per_1m": 0.8}  # the base tier; a decimal in a string
    assert "128,000" in mini["pricing"]["input_per_1m"]["note"] and "no start date" in mini["pricing"]["input_per_1m"]["note"]
    embed = entries["acme-embed-v2"]
    assert embed["kind"] == "embedding" and _prices(embed) == {"input_per_1m": 0.02} and "checkpoint" not in embed
    assert entries["other-chat-7b"]["name"] == "Other-Chat-7B"  # no name: the id
    assert source == "genai-prices-data.json"
    assert any("acme-voice" in w and "left out" in w for w in warnings)  # audio prices only
    assert any("otherhost/acme-chat-large" in w and "--provider" in w for w in warnings)  # the id is acme's


def test_a_later_day_takes_the_later_price_and_an_earlier_one_none():
    entries, _, _ = _import(day=date(2026, 9, 1))
    assert _prices(entries["acme-chat-large"]) == {"input_per_1m": 2.5, "output_per_1m": 12.5,
                                                   "cached_input_per_1m": 0.25}
    assert _prices(entries["acme-chat-mini"]) == {"input_per_1m": 0.1, "output_per_1m": 0.4}
    early, warnings, _ = _import(day=date(2026, 1, 1))
    assert early["acme-chat-large"]["vendor"] == "otherhost"  # acme's has no price yet: the host's takes the id
    assert any("acme/acme-chat-large" in w and "2026-02-01" in w and "no price in force" in w for w in warnings)


def test_selection_by_model_and_provider_and_checkpoint():
    entries, _, _ = _import(providers=("otherhost",), models=("acme-chat-large",), checkpoint="instruct")
    assert list(entries) == ["acme-chat-large"] and _prices(entries["acme-chat-large"])["input_per_1m"] == 3.3
    assert entries["acme-chat-large"]["checkpoint"]["value"] == "instruct"
    assert list(_import(models=("other-chat-7b",))[0]) == ["other-chat-7b"]  # ids match whatever the case
    first, warnings, _ = _import(providers=("otherhost", "acme"))  # the provider named first takes a shared id
    assert first["acme-chat-large"]["vendor"] == "otherhost" and any("acme/acme-chat-large" in w for w in warnings)
    assert _import(providers=("acme", "otherhost"))[0]["acme-chat-large"]["vendor"] == "acme"
    with pytest.raises(UserError, match="no model 'acme-chat-larg'"):
        _import(models=("acme-chat-larg",))
    with pytest.raises(UserError, match="no provider 'acm'"):
        _import(providers=("acm",))
    with pytest.raises(UserError, match="no model to import"):
        _import(models=("acme-voice",))


def test_a_day_after_the_data_is_warned_about(write):
    path = write("data.json", DATA.read_text())
    _, warnings, _ = _import(path, day=date(2999, 1, 1))
    assert any("after" in w and "not in it" in w for w in warnings)
    entries, _, _ = _import(path, day=date(2999, 1, 1))
    assert entries["acme-chat-large"]["pricing"]["input_per_1m"]["as_of"] < "2999-01-01"  # at most the data's date


def test_the_bundled_snapshot_loads_with_its_licence_and_release():
    path = snapshot_path()
    assert path.stat().st_size < 1_000_000
    doc = read_json(path, what=WHAT, array=True)
    about = doc.data["genai_prices_snapshot"]
    notice = "\n".join(about["license_notice"])
    assert about["license"] == "MIT" and "Copyright (c) Pydantic Services Inc." in notice
    assert "Permission is hereby granted" in notice and about["upstream"] == UPSTREAM
    assert about["genai_prices_version"] and date.fromisoformat(about["snapshot_date"])
    data = read_data(doc)
    assert len(data.models) > 1000 and data.label == f"genai-prices {about['genai_prices_version']}"
    assert data.day == about["snapshot_date"] and about["genai_prices_version"] in data.source
    assert any(m.provider == "anthropic" for m in data.models)
    assert any(p.start for m in data.models for p in m.prices)  # the history is kept


@pytest.mark.parametrize("model, field", [
    ({"prices": {"input_mtok": "cheap"}}, "[0].models[0].prices.input_mtok"),
    ({"prices": {"output_mtok": -1}}, "[0].models[0].prices.output_mtok"),
    ({"prices": [{"constraint": {"start_date": "soon"}, "prices": {"input_mtok": 1}}]},
     "[0].models[0].prices[0].constraint.start_date"),
    ({"prices": {"input_mtok": {"base": 1, "tiers": "many"}}}, "[0].models[0].prices.input_mtok.tiers"),
    ({"context_window": "128k", "prices": {"input_mtok": 1}}, "[0].models[0].context_window"),
    ({"prices": 3}, "[0].models[0].prices"),
])
def test_a_bad_value_is_refused_with_file_line_and_field(write, model, field):
    body = [{"id": "a", "name": "A", "models": [{"id": "m", "name": "M", **model}]}]
    path = write("p.json", json.dumps(body, indent=2))
    with pytest.raises(InvalidInput) as err:
        _import(path)
    problem = err.value.problems[0]
    assert (problem.file, problem.field) == (str(path), field) and problem.line and problem.line > 1


def test_neither_form_is_refused(write):
    with pytest.raises(InvalidInput):
        _import(write("p.json", '{"models": []}'))
    with pytest.raises(InvalidInput) as err:
        _import(write("q.json", "[\n  {\"id\": \"a\",\n   \"models\": [{\"name\": \"x\"}]}\n]"))
    assert err.value.problems[0].line == 3
