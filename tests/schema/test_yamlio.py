from __future__ import annotations

import math
import re
import time

import pytest

from model_scorecard.errors import InvalidInput
from model_scorecard.schema.yamlio import load_file, loads


def problems(text: str) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        loads(text, "f.yaml")
    return [str(p) for p in info.value.problems]


def test_core_schema_types_and_positions():
    doc = loads("a: 1\nb: [x, {c: no}]\nd: 1.5\ne: 0x1f\nf: '1'\ng: 2024-01-01\nh: ~\ni: True\nj: 1:30\n", "f.yaml")
    assert doc.data == {"a": 1, "b": ["x", {"c": "no"}], "d": 1.5, "e": 31, "f": "1", "g": "2024-01-01",
                        "h": None, "i": True, "j": "1:30"}
    assert doc.locate(("b", 1, "c")) == (2, 12)
    assert doc.locate(("b", 1, "c"), key=True) == (2, 9)
    assert doc.locate(("b", 1, "missing", 3)) == (2, 8)  # nearest located parent


def test_nan_stays_a_float_for_the_schema_to_reject():
    assert math.isnan(loads("x: .nan\n").data["x"])


@pytest.mark.parametrize("text, expected", [
    ("a: 1\nb: 2\na: 3\n", "f.yaml:3:1: a: duplicate key 'a' (first defined at line 1)"),
    ("x: !!python/object/apply:os.system ['echo hi']\n", "f.yaml:1:4: x: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    ("x: !custom 1\n", "f.yaml:1:4: x: tag '!custom' is not allowed"),
    ("x: !!binary aGk=\n", "is not allowed"),
    ("a: 1\n---\nb: 2\n", "more than one YAML document"),
    ("a: b: c\n", "f.yaml:1:5: YAML syntax error"),
    ("{[1]: 2}\n", "a mapping key must be a plain value"),
    ("a: &x 1\n<<: {b: 2}\n", "merge keys (<<) are not supported"),
    ("x: !!int abc\n", "f.yaml:1:4: x: the value is not a valid !!int"),  # located, never echoed
])
def test_rejected_documents_name_line_and_column(text, expected):
    assert any(expected in p for p in problems(text)), problems(text)


def test_every_problem_is_reported_at_once():
    found = problems("a: 1\na: 2\nb: !!python/name:os.system x\nb: 3\n")
    assert len(found) == 3


def test_alias_bomb_is_stopped_quickly():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    found = problems("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 2
    assert any("alias bomb" in p for p in found)


def test_deep_nesting_is_refused_without_recursion():
    # Which limit fires first -- ours or the parser's own (PyYAML >= 6.0.4 stops at 1,000
    # levels) -- is the parser's business; the property is a quick, located refusal.
    started = time.perf_counter()
    found = problems("[" * 10_000 + "]" * 10_000)
    assert time.perf_counter() - started < 2
    assert found and all(re.match(r"f\.yaml:\d+:\d+: ", p) for p in found), found


def test_nesting_past_our_limit_is_refused_at_the_deep_node():
    found = problems("a:\n" + "".join(" " * (2 * i) + f"k{i}:\n" for i in range(1, 80)) + " " * 160 + "v: 1\n")
    assert any("nested deeper than 64 levels" in p for p in found), found
    assert all(re.match(r"f\.yaml:\d+:\d+: ", p) for p in found), found


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty_files(text):
    assert problems(text) == ["f.yaml:1:1: file is empty"]


def test_non_utf8_bytes_are_located(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"name: ok\nvendor: Soci\xe9t\xe9\n")
    with pytest.raises(InvalidInput) as info:
        load_file(path)
    assert str(info.value.problems[0]).endswith("2:13: not valid UTF-8 (byte 0xe9); save the file as UTF-8")


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: é\n".encode())
    assert load_file(path).data == {"a": "é"}


def test_size_cap(tmp_path, monkeypatch):
    import model_scorecard.schema.yamlio as yamlio

    monkeypatch.setattr(yamlio, "MAX_BYTES", 10)
    path = tmp_path / "big.yaml"
    path.write_text("a: 123456789012\n")
    with pytest.raises(InvalidInput, match="invalid input") as info:
        load_file(path)
    assert "the limit is 10" in str(info.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InvalidInput, match="file not found"):
        load_file(tmp_path / "nope.yaml")
    with pytest.raises(InvalidInput, match="is a directory"):
        load_file(tmp_path)
