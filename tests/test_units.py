from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model_scorecard.units import (
    MAX_BYTES,
    MAX_PARAMS,
    MAX_TOKENS,
    format_params,
    format_tokens,
    parse_bytes,
    parse_params,
    parse_tokens,
)


@pytest.mark.parametrize("text, value", [
    ("70B", 70_000_000_000), ("7.2b", 7_200_000_000), ("1.5T", 1_500_000_000_000), ("350M", 350_000_000),
    ("8_030_261_248", 8_030_261_248), (7e9, 7_000_000_000), (12, 12), ("3.21B", 3_210_000_000),
])
def test_parse_params(text, value):
    assert parse_params(text) == value


@pytest.mark.parametrize("text, value", [
    ("128k", 128_000), ("128K", 131_072), ("1M", 1_048_576), ("1m", 1_000_000), ("8192", 8192),
    ("200k", 200_000), ("32Ki", 32_768), (4096, 4096),
])
def test_parse_tokens_follows_vllm_case_convention(text, value):
    assert parse_tokens(text) == value


@pytest.mark.parametrize("text, value", [("35 GB", 35 * 10**9), ("80GiB", 80 * 2**30), ("1024", 1024)])
def test_parse_bytes(text, value):
    assert parse_bytes(text) == value


@pytest.mark.parametrize("bad", ["abc", "-5B", "7.5", "1.2345678901234B", True, float("nan"), -1, "12 parsecs", [1]])
def test_bad_params_are_rejected(bad):
    with pytest.raises(ValueError):
        parse_params(bad)


@given(st.integers(min_value=1, max_value=MAX_PARAMS))
def test_integers_parse_to_themselves(n):
    assert parse_params(n) == n
    assert parse_params(str(n)) == n
    assert parse_params(f"{n:,}") == n
    if n <= MAX_TOKENS:
        assert parse_tokens(n) == n


@given(st.integers(min_value=1, max_value=4096), st.sampled_from(["k", "K", "m", "M"]))
def test_token_suffixes_scale(n, suffix):
    scale = {"k": 1000, "K": 1024, "m": 10**6, "M": 2**20}[suffix]
    assert parse_tokens(f"{n}{suffix}") == n * scale


@given(st.integers(min_value=1, max_value=MAX_TOKENS))
def test_format_tokens_round_trips(n):
    assert parse_tokens(format_tokens(n)) == n  # its thousands separators included


@given(st.decimals(min_value=0, max_value=1000, places=2), st.sampled_from(["M", "B", "T"]))
def test_params_with_decimals(value, suffix):
    scale = {"M": 10**6, "B": 10**9, "T": 10**12}[suffix]
    assert parse_params(f"{value}{suffix}") == int(value * scale)


def test_format_params():
    assert format_params(70_553_706_496) == "70.6B"
    assert format_params(8_030_261_248) == "8.03B"
    assert format_params(1_500_000_000_000) == "1.5T"


# -- hostile numbers (issue 14): separators only in real groups of three; every quantity bounded

@pytest.mark.parametrize("text, value", [
    ("7,500B", 7_500_000_000_000), ("7,500", 7_500), ("1,234,567", 1_234_567), ("1_000B", 10**12),
    ("12,000.5k", 12_000_500), ("999", 999), ("0012", 12),
])
def test_real_thousands_groups_are_read(text, value):
    assert parse_params(text) == value


@pytest.mark.parametrize("bad", ["7,5B", "7,50B", "7,5000B", "1,00,000", "12,3", ",500B", "7,500,00", "1_0B",
                                 "1,000_000", "7,,500", "1,234.5,6B"])
def test_separators_outside_groups_of_three_are_refused(bad):
    for parse in (parse_params, parse_tokens, parse_bytes):
        with pytest.raises(ValueError):
            parse(bad)


def test_a_misplaced_separator_says_so():
    with pytest.raises(ValueError, match="groups of three"):
        parse_params("7,5B")


@pytest.mark.parametrize("parse, limit", [(parse_params, MAX_PARAMS), (parse_tokens, MAX_TOKENS),
                                          (parse_bytes, MAX_BYTES)])
def test_every_quantity_is_bounded(parse, limit):
    assert parse(limit) == limit
    for bad in (limit + 1, float(limit) * 2, str(limit + 1), "9" * 400, "9" * 5000, 10**5000, 1e308):
        with pytest.raises(ValueError, match="limit"):
            parse(bad)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf"), "nan", "inf", "Infinity", "1e400"])
def test_non_finite_numbers_are_refused(bad):
    for parse in (parse_params, parse_tokens, parse_bytes):
        with pytest.raises(ValueError):
            parse(bad)


def test_a_refused_huge_value_is_not_echoed_whole():
    with pytest.raises(ValueError) as info:
        parse_params("9" * 5000 + "B")
    assert len(str(info.value)) < 200
