"""The fast paths of YAML loading agree with libyaml on everything they accept, or decline."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model_scorecard.schema import yamlfast, yamlio


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
        return yamlfast.fast_parse(text)
    except yamlfast.Unusual:
        builder = yamlio._parse(text, "f.yaml", track=False)
        return None if builder.problems or not builder.has_root else builder.root


def _agrees(text: str) -> bool:
    """False when the line scanner accepts ``text`` but reads it differently (True when it declines)."""
    try:
        mine = yamlfast.block_parse(text)
    except yamlfast.Unusual:
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
    assert yamlfast.block_parse(CATALOG_STYLE) == yamlfast.fast_parse(CATALOG_STYLE)
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
        with pytest.raises(yamlfast.Unusual):
            yamlfast.block_parse(text)
    assert time.perf_counter() - started < 1
