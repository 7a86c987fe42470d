"""LiteLLM's price map → prices per 1M tokens, limits and deprecation dates, graded third-party."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from model_scorecard.errors import InvalidInput, UserError
from model_scorecard.importers.common import clean, read_json
from model_scorecard.importers.litellm import WHAT, LiteLLMOptions, import_litellm

DATA = Path(__file__).resolve().parent / "data"


def _entries(path: Path = DATA / "litellm-prices.json", **kw):
    entries, warnings = import_litellm(read_json(path, what=WHAT), LiteLLMOptions(as_of=date(2026, 12, 1), **kw))
    return {e["id"]: e for e in entries}, warnings


def test_per_token_prices_become_clean_prices_per_million():
    entries, warnings = _entries()
    assert sorted(entries) == ["acme-acme-chat-mini", "acme-chat-large", "other-chat-7b"]  # chat only, no sample_spec
    large = entries["acme-chat-large"]
    prices = {k: v["value"] for k, v in large["pricing"].items() if isinstance(v, dict)}
    assert prices == {"input_per_1m": 3.0, "output_per_1m": 15.0, "cached_input_per_1m": 0.3,
                      "batch_input_per_1m": 1.5, "batch_output_per_1m": 7.5}
    assert entries["acme-acme-chat-mini"]["pricing"]["input_per_1m"]["value"] == 0.11  # 1.1e-07 × 1e6
    assert large["context_window"]["value"] == 200_000 and large["max_output_tokens"]["value"] == 16_384
    assert large["operations"]["deprecation_date"]["value"] == "2027-06-30"
    assert large["checkpoint"]["value"] == "reasoning" and entries["other-chat-7b"]["checkpoint"]["value"] == "instruct"
    assert "context_window" not in entries["other-chat-7b"]  # max_tokens alone is not read
    assert (large["vendor"], large["access"], large["kind"]) == ("acme", ["api"], "llm")
    fact = large["pricing"]["input_per_1m"]
    assert (fact["grade"], fact["as_of"], fact["source"]) == ("third-party", "2026-12-01", "litellm-prices.json")
    assert warnings == []


def test_clean_rounds_away_float_noise():
    assert 1e-07 * 1e6 != 0.1 and clean(1e-07 * 1e6) == 0.1
    assert 1.3e-08 * 1e6 != 0.013 and clean(1.3e-08 * 1e6) == 0.013 and clean(0.0) == 0.0


def test_selection_by_name_provider_and_mode():
    assert list(_entries(models=("acme/acme-chat-mini",))[0]) == ["acme-acme-chat-mini"]
    assert sorted(_entries(providers=("otherhost",))[0]) == ["other-chat-7b"]
    embed = _entries(mode="embedding")[0]["acme-embed-v2"]
    assert embed["kind"] == "embedding" and "checkpoint" not in embed
    assert embed["pricing"]["output_per_1m"]["value"] == 0.0
    with pytest.raises(UserError, match="no model 'acme-chat-larg'"):
        _entries(models=("acme-chat-larg",))
    with pytest.raises(UserError, match="no model of mode chat"):
        _entries(providers=("nobody",))


def test_an_image_model_named_is_refused_with_its_place():
    with pytest.raises(InvalidInput) as err:
        _entries(models=("acme-image-1",))
    assert err.value.problems[0].field == "acme-image-1.mode"


@pytest.mark.parametrize("spec, field", [
    ({"input_cost_per_token": "0.1"}, "m.input_cost_per_token"),
    ({"output_cost_per_token": -1e-6}, "m.output_cost_per_token"),
    ({"max_input_tokens": "128k"}, "m.max_input_tokens"),
    ({"deprecation_date": "soon"}, "m.deprecation_date"),
    ({"deprecation_date": "2026-02-30"}, "m.deprecation_date"),
    ({"litellm_provider": None}, "m.litellm_provider"),
])
def test_a_bad_value_is_refused_with_file_line_and_field(write, spec, field):
    path = write("p.json", json.dumps({"m": {"mode": "chat", "litellm_provider": "a", **spec}}, indent=2))
    with pytest.raises(InvalidInput) as err:
        _entries(path)
    problem = err.value.problems[0]
    assert (problem.file, problem.field) == (str(path), field) and problem.line and problem.line > 1


def test_not_json_is_refused_with_its_line(write):
    path = write("p.json", '{\n  "m": {"mode": "chat",,}\n}')
    with pytest.raises(InvalidInput) as err:
        _entries(path)
    assert err.value.problems[0].line == 2
