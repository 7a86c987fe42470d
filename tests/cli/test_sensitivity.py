"""``scorecard sensitivity``: parse → one call → render, on small catalogs written here."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ..conftest import REPO
from ..scoring.cases import catalog_dict, model, rubric_dict, write_yaml

DAY = "2026-11-23"


@pytest.fixture
def files(tmp_path):
    cat = write_yaml(tmp_path / "catalog.yaml", catalog_dict(
        model("green"),                                              # total 27: green, flips at soc2 5 → 1.9
        model("below", compliance={"soc2_type2": False}),            # total 22: not green, flips at soc2 0 → 2
        model("gated", context_window=1000),                         # its requests do not fit: blocked
        model("unknowns", serving={"tokens_per_s": None}, ecosystem={"vllm": None}),
    ))
    rub = write_yaml(tmp_path / "rubric.yaml", rubric_dict())
    return cat, rub


def run(cli, files, *args):
    cat, rub = files
    return cli("sensitivity", cat, "--rubric", rub, "--workload", "chat", "--as-of", DAY, *args)


def test_json_gives_every_model_p_green_and_a_flip_or_a_blocker(cli, files):
    result = run(cli, files, "--format", "json", "--draws", "2000")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 1 and doc["seed"] == 0 and doc["draws"] == 2000 and doc["concentration"] == 50
    rows = {m["key"]: m for m in doc["models"]}
    assert set(rows) == {"green", "below", "gated", "unknowns"}
    for m in rows.values():
        assert 0 <= m["p_green"] <= 1 and "flip" in m and "blocked_by" in m
        assert m["total_p05"] <= m["total_p95"]
    assert rows["green"]["flip"] == {"kind": "criterion", "id": "soc2", "from": 5.0, "to": 1.9, "points": -3.1,
                                     "distance": 0.62}
    assert rows["below"]["flip"] == {"kind": "criterion", "id": "soc2", "from": 0.0, "to": 2.0, "points": 2.0,
                                     "distance": 0.4}
    assert rows["gated"]["flip"] is None and rows["gated"]["blocked_by"] == "gate:context-fit"
    assert rows["gated"]["p_green"] == 0
    assert sum(m["p_rank1"] for m in rows.values()) == pytest.approx(1.0)


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_draws(cli, files):
    first = run(cli, files, "-f", "json", "--draws", "1000", "--seed", "5")
    second = run(cli, files, "-f", "json", "--draws", "1000", "--seed", "5")
    other = run(cli, files, "-f", "json", "--draws", "1000", "--seed", "6")
    assert first.exit_code == second.exit_code == other.exit_code == 0
    assert first.stdout == second.stdout
    assert first.stdout != other.stdout
    assert json.loads(other.stdout)["seed"] == 6


def test_table_says_what_blocks_a_model(cli, files):
    result = run(cli, files, "--draws", "500")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Verdict sensitivity" in out and "P(green)" in out
    assert "blocked: gate:context-fit" in out and "0 (blocked)" in out
    assert "soc2 5 → 1.9 (-3.1)" in out
    assert "500 draws, seed 0" in out


def test_output_file_by_extension_written_atomically(cli, files, tmp_path):
    target = tmp_path / "out.json"
    result = run(cli, files, "--draws", "300", "-o", target)
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and f"wrote {target}" in result.stderr
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["draws"] == 300 and len(doc["models"]) == 4
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    text = tmp_path / "out.txt"
    assert run(cli, files, "--draws", "300", "-o", text).exit_code == 0
    assert "Verdict sensitivity" in text.read_text(encoding="utf-8")


def test_refuses_to_write_over_its_catalog(cli, files):
    cat, _ = files
    before = cat.read_bytes()
    result = run(cli, files, "--draws", "10", "-f", "json", "-o", cat)
    assert result.exit_code == 2 and "input of this run" in result.stderr
    assert cat.read_bytes() == before


@pytest.mark.parametrize("args", [["--concentration", "0"], ["--concentration", "-1"], ["--draws", "0"],
                                  ["--seed", "-3"], ["--format", "csv"]])
def test_bad_options_exit_2(cli, files, args):
    result = run(cli, files, *args)
    assert result.exit_code == 2


def test_help_has_an_example(cli):
    result = cli("sensitivity", "--help")
    assert result.exit_code == 0 and "Example: scorecard sensitivity" in result.stdout


def test_help_imports_neither_numpy_nor_pandas():
    code = ("import sys; sys.argv = ['scorecard', 'sensitivity', '--help']\n"
            "from model_scorecard.cli import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert e.code in (0, None), e.code\n"
            "print([m for m in ('numpy', 'pandas') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "COLUMNS": "200"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
