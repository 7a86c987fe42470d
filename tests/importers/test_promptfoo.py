"""A promptfoo run → one provider's pass rate as benchmarks.private_eval, with a Wilson interval."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from model_scorecard.errors import InvalidInput, UserError
from model_scorecard.importers.common import read_json
from model_scorecard.importers.promptfoo import (
    WHAT,
    PromptfooOptions,
    import_promptfoo,
    wilson,
)

DATA = Path(__file__).resolve().parent / "data"


def _entry(path: Path = DATA / "promptfoo-output.json", **kw):
    return import_promptfoo(read_json(path, what=WHAT), PromptfooOptions(model_id="m", **kw))


def test_pass_rate_of_one_provider():
    entry, warnings = _entry(provider="large")
    fact = entry["benchmarks"]["private_eval"]
    assert fact["value"] == 75.0 and "3 of 4 test cases passed" in fact["setting"]
    low, high = wilson(3, 4)
    assert fact["ci"] == pytest.approx(100 * (high - low) / 2, rel=1e-5)
    assert (fact["as_of"], fact["grade"]) == ("2026-11-30", "independent")
    assert (entry["vendor"], entry["access"], entry["name"]) == ("acme", ["api"], "large")
    assert warnings and "mini" in warnings[0]


def test_errors_count_as_not_passed_and_the_id_selects_too():
    fact = _entry(provider="acme:chat:acme-chat-mini")[0]["benchmarks"]["private_eval"]
    assert fact["value"] == 50.0 and "1 errors counted as failures" in fact["setting"]


def test_wilson_interval():
    low, high = wilson(0, 10)
    assert low == 0 and 0.27 < high < 0.28  # the rule of three's neighbour: 0 of 10 is not 0 ± 0
    low, high = wilson(50, 100)
    assert math.isclose(low, 0.4038, abs_tol=1e-4) and math.isclose(high, 0.5962, abs_tol=1e-4)


def test_two_providers_need_a_choice():
    with pytest.raises(UserError, match="--provider"):
        _entry()
    with pytest.raises(UserError, match="no provider 'medium'"):
        _entry(provider="medium")


def test_older_files_with_a_plain_provider_id(write):
    doc = {"results": {"timestamp": "2024-05-01T10:00:00Z",
                       "results": [{"provider": "ollama:llama3", "success": True},
                                   {"provider": "ollama:llama3", "success": False}]}}
    entry, _ = _entry(write("o.json", json.dumps(doc)), benchmark="icd10")
    assert entry["benchmarks"]["icd10"]["value"] == 50.0 and entry["access"] == ["open-weights"]
    assert entry["benchmarks"]["icd10"]["as_of"] == "2024-05-01"


@pytest.mark.parametrize("doc, field", [
    ({"results": {"results": [{"provider": {"id": "a:b"}, "success": "yes"}]}}, "results.results[0].success"),
    ({"results": {"results": [{"success": True}]}}, "results.results[0]"),
    ({"results": {"stats": {}}}, "results"),
    ({"results": {"results": []}}, "results.results"),
])
def test_a_file_that_is_not_a_promptfoo_run_is_refused_with_its_place(write, doc, field):
    path = write("o.json", json.dumps(doc, indent=1))
    with pytest.raises(InvalidInput) as err:
        _entry(path)
    assert err.value.problems[0].field == field and err.value.problems[0].file == str(path)
