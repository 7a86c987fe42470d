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


# -- the line scanner (yamlio._block_parse) must agree with libyaml on all it accepts ---------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from model_scorecard.schema import yamlio  # noqa: E402


def _same(a, b) -> bool:
    """Equal, with types (1 is not 1.0 or True) and NaN equal to itself."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _event_parse(text: str):
    """What the event-based readers make of ``text``, or None when they find a problem."""
    try:
        return yamlio._fast_parse(text)
    except yamlio._Unusual:
        builder = yamlio._parse(text, "f.yaml", track=False)
        return None if builder.problems or not builder.has_root else builder.root


def _agrees(text: str) -> bool:
    """False when the line scanner accepts ``text`` but reads it differently (True when it declines)."""
    try:
        mine = yamlio._block_parse(text)
    except yamlio._Unusual:
        return True
    theirs = _event_parse(text)
    assert theirs is not None, f"the line scanner accepted a document libyaml rejects:\n{text}"
    assert _same(mine, theirs), f"{text!r}:\n{mine!r}\n!=\n{theirs!r}"
    return True


CATALOG_STYLE = """\
schema_version: 1
name: generated   # a comment
models:
  - id: model-00001
    name: Model 1
    kind: llm
    access: [api, open-weights]
    as_of: 2026-03
    params: 70B
    context_window: 128k
    benchmarks:
      mmlu: {value: 58.7, n_shot: 5}
      gsm8k: 55.1
      humaneval: {value: 81.6, source: https://example.org/evals/1, note: "a, b"}
    pricing:
      input_per_1m: 0.50
    compliance:
      soc2_type2: true
      uptime_sla_pct: 99.9
    notes:
    - 'it''s quoted'
    - "double # not a comment"
    - -5
    - ~
  - id: model-00002
    name: Model 2
    operations:
      shutdown_date: 2027-01-15
    ecosystem: {}
    red_flags: []
"""


def test_the_line_scanner_reads_catalog_style_documents():
    assert yamlio._block_parse(CATALOG_STYLE) == yamlio._fast_parse(CATALOG_STYLE)
    assert _agrees(CATALOG_STYLE)


@pytest.mark.parametrize("text", [
    "a: 1\nb:\n- x\n- y\nc: 2\n", "a:\n  - x\n  -\n    b: 1\n", "- a: 1\n  b: [1, 2]\n- c\n", "a: b: c\n",
    "a: 1\n  b: 2\n", "a:\n  text\n", "a: |\n  x\n", "a: >-\n  x\n", "a: &x 1\nb: *x\n", "a: !!str 1\n",
    "a: 1\na: 2\n", "a: 'x\n  y'\n", "a: [1,\n  2]\n", "a: [a, ]\n", "a: {b: {c: 1}}\n", "a: [b: c]\n",
    "a: x # c\nb: 'y' # c\nc: [1] # c\n", "a: x#y\n", "a: 'x'y\n", "a: 1:30\nb: http://x\nc: [http://x, 1:30]\n",
    "a: -\n", "a: -1\nb: -.5\nc: --x\n", "- - a\n", "---\na: 1\n", "a: 1\n---\nb: 2\n", "a:\tb\n", "a: b\r\n",
    "a: \u0085\n", "a: \u2028\n", "\ufeffa: 1\n", "a: 1\n b: 2\n", "  a: 1\nb: 2\n", "a: [1, 2]x\n", "a: {b}\n",
    "? a\n: b\n", "a : b\n", "'a': 1\n", "a: 'x''y'\n", "a: \"x\\\"y\"\n", "true: 1\n1: 2\nnull: 3\n", "1: a\n1.0: b\n",
    "a: .nan\nb: .inf\nc: -.inf\nd: 0x1f\ne: 0o17\nf: 1e3\ng: +1\n", "a: no\nb: on\nc: 1_000\n",
    "a:\n- b:\n  - c\n- d\n", "a:\n  b:\n  c: 1\n", "a:  # nothing\n  b: 1\n", "a: [ ]\nb: { }\n",
])
def test_the_line_scanner_agrees_with_libyaml_or_declines(text):
    assert _agrees(text)


_KEYS = st.sampled_from(["a", "b", "1", "true", "null", "x.y", "a-b", "0x1f", "1.0"])
_SCALARS = st.sampled_from(["1", "-1", "1.5", "x y", "'q'", "'it''s'", '"dq"', '"a\\"b"', "# c", "v # c", "v#c", "a: b",
                            "http://x", "~", ".inf", "1e3", "no", "-", "-x", "[a, b]", "{a: 1, b: x}", "{a: 1, a: 2}",
                            "[a: b]", "[]", "{}", "[a , b ]", "{a:1}", "x:", "'a' b", "[a] # c", "[a]#c", "a :",
                            "[a, [b]]", "['a, b', c]", "&a x", "*a", "!!str 1", "|", "é", "x\ty", "1:30", "[a:b]"])


@st.composite
def _documents(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 10))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 2, 4, 1, 3]))
        dash = draw(st.sampled_from(["", "", "- ", "-  ", "-"]))
        if dash == "-":
            lines.append(indent + dash)
        elif draw(st.booleans()):
            lines.append(indent + dash + draw(_KEYS) + draw(st.sampled_from([": ", ":", " :"])) + draw(_SCALARS))
        else:
            lines.append(indent + dash + draw(st.sampled_from(["", "#c", "x", "---"])) if draw(st.booleans())
                         else indent + dash + draw(_KEYS) + ":")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(_documents())
def test_the_line_scanner_never_disagrees_with_libyaml(text):
    assert _agrees(text)


def test_the_line_scanner_stays_linear_on_long_lines():
    started = time.perf_counter()
    for text in ("a: [b" + " " * 200_000 + "\n", "a: 'b" + "''" * 100_000 + "\n", "a" * 200_000 + ":x\n",
                 "a: {b: c" + " " * 200_000 + "x\n"):
        with pytest.raises(yamlio._Unusual):
            yamlio._block_parse(text)
    assert time.perf_counter() - started < 1
