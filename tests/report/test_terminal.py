"""The terminal pages at 80 and 200 columns with output piped, as in a CI log: nothing cut,
the verdict first, numbers never shortened, assumptions folded behind a count unless asked."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

LLAMA3_8B = str(REPO / "tests" / "calc" / "configs" / "meta-llama--Meta-Llama-3-8B.json")


def run(width: int, *args: str) -> str:
    env = {**os.environ, "COLUMNS": str(width), "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run([sys.executable, "-m", "model_scorecard", *args], capture_output=True, text=True,
                          env=env, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return done.stdout


PAGES = [
    ("show", "gpt-oss-120b"), ("show", "gpt-oss-120b", "--full"), ("vram", "70B", "--int4"),
    ("vram", LLAMA3_8B, "--context", "32k", "--batch", "4"), ("estimate", "70B", "--fp8"),
    ("vram", "70B", "--gpu", "L40S", "--precisions"), ("finetune", LLAMA3_8B, "--gpu", "L4"), ("rank",),
    ("advise", "--text-share", "0.8", "--private-eval", "0.72", "--latency-ms", "40"),
]


@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize("args", PAGES, ids=lambda a: " ".join(a)[:40])
def test_no_line_is_wider_than_the_terminal_and_no_number_is_cut(width, args):
    text = run(width, *args)
    assert max(len(line) for line in text.splitlines()) <= width
    if args[0] in ("vram", "estimate", "finetune", "advise"):
        assert "…" not in text  # a cell shortened with an ellipsis would hide a figure


@pytest.mark.parametrize("width", [80, 200])
def test_show_opens_with_the_verdict_and_the_six_layers_as_bars(width):
    text = run(width, "show", "gpt-oss-120b")
    assert text.splitlines()[0].split()[0] in ("green-light", "not-green", "insufficient-evidence", "walk-away",
                                               "not-applicable")
    bars = [line for line in text.splitlines() if line[:6].strip() in ("Cap", "Safe", "Lat", "Cost", "Ops", "Eco")
            and "|" in line]
    assert len(bars) == 6


def test_show_brief_is_shorter_than_full_and_full_prints_each_assumption_once():
    brief, full = run(80, "show", "gpt-oss-120b"), run(80, "show", "gpt-oss-120b", "--full")
    assert len(brief.splitlines()) < len(full.splitlines())
    assert "--full" in brief and "why:" in full and "why:" not in brief
    notes = [line.strip() for line in full.splitlines() if line.strip().startswith("[")]
    assert notes and len(notes) == len(set(notes))


def test_show_keeps_every_criterion_title_whole_at_80_columns():
    import json

    doc = json.loads(run(200, "show", "gpt-oss-120b", "--format", "json"))
    titles = {c["id"]: c["title"] for c in doc["rubric"]["criteria"]}
    (model,) = doc["models"]
    shown = [titles[c["id"]] for c in model["criteria"] if c["status"] != "not-applicable"]
    text = " ".join(run(80, "show", "gpt-oss-120b").split())  # lines joined: wrapping is only at spaces
    assert len(shown) > 10 and [t for t in shown if " ".join(t.split()) not in text] == []


@pytest.mark.parametrize("args", [("vram", "70B", "--int4"), ("estimate", "70B", "--fp8")])
def test_assumptions_are_counted_by_default_and_listed_when_asked(args):
    folded, listed = run(80, *args), run(80, *args, "--assumptions")
    assert "assumptions behind these figures" in folded and "Assumptions:" not in folded
    assert "Assumptions:" in listed and listed.count("•") >= 3
