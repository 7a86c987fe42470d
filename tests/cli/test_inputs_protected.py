"""Issue 14, class 4: no `-o` of a run may replace a file the run read.

Every loader notes the files it reads (yamlio.read_input → atomic.note_input), and the
writer refuses each one: the whole `extends:` chain of a rubric, baselines, workload files,
shortlists and their catalogs -- by any name (a relative path, a symlink, a hard link).
Refused means exit 2 and nothing written, not even the other `-o` files of the run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from model_scorecard import atomic
from model_scorecard.errors import UserError

from ..gatekit import RUBRIC, model

DAY = "2026-11-23"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def chain(files):
    """A shortlist whose rubric extends a parent that extends a base rubric, beside a workload
    file and a catalog in a sub-folder. YAML files may have any name (JSON is YAML): these carry
    the extensions `gate -o` writes, as a rubric kept as `.json` would."""
    files.write("rubrics/base.json", RUBRIC)
    files.write("rubrics/parent.json", "extends: base.json\nname: parent\n")
    files.write("rubrics/child.md", "extends: parent.json\nname: child\n")
    files.write("work.json", "name: mine\ninput_tokens: 500\noutput_tokens: 200\n")
    files.catalog(model("alpha", 95), name="cat/catalog.json")
    return files.write("shortlist.html", f"schema_version: 1\nname: chain\ncatalog: cat/catalog.json\n"
                                         f"rubric: rubrics/child.md\nworkload: ./work.json\nas_of: {DAY}\n"
                                         "candidates:\n  - alpha\n")


@pytest.mark.parametrize("victim", ["rubrics/parent.json", "rubrics/base.json", "rubrics/child.md",
                                    "work.json", "cat/catalog.json", "shortlist.html"])
def test_gate_never_writes_over_a_file_it_read(cli, files, chain, victim):
    # before the fix only the first rubric of the chain was protected: -o parent.json replaced it
    before = _snapshot(files.root)
    result = cli("gate", chain, "-o", files.root / "first.json", "-o", files.root / victim)
    assert result.exit_code == 2, result.output
    assert "input of this run" in result.stderr and "Traceback" not in result.output
    assert _snapshot(files.root) == before  # nothing written: not even first.json
    assert "gate passed" not in result.stdout  # no verdict printed for a refused run


def test_gate_never_writes_over_its_baseline(cli, files, chain):
    base = files.root / "base.json"
    assert cli("gate", chain, "-o", base).exit_code == 0
    before = base.read_bytes()
    result = cli("gate", chain, "--baseline", base, "-o", base)
    assert result.exit_code == 2 and "input of this run" in result.stderr
    assert base.read_bytes() == before


def test_every_other_name_of_an_input_is_refused(cli, files, chain):
    parent = files.root / "rubrics" / "parent.json"
    before = parent.read_bytes()
    link = files.root / "link.json"
    link.symlink_to(parent)
    hard = files.root / "hard.json"
    os.link(parent, hard)
    dotted = files.root / "rubrics" / ".." / "rubrics" / "parent.json"
    for name in (link, hard, dotted):
        result = cli("gate", chain, "-o", name)
        assert result.exit_code == 2 and "input of this run" in result.stderr, name
    assert parent.read_bytes() == before and link.is_symlink()


@pytest.mark.parametrize("command", ["rank", "sensitivity"])
def test_rank_and_sensitivity_never_write_over_the_rubric_chain_or_workload(cli, files, chain, command):
    extra = ["--draws", "50"] if command == "sensitivity" else []
    for victim in ("rubrics/parent.json", "rubrics/base.json", "work.json", "cat/catalog.json"):
        before = _snapshot(files.root)
        result = cli(command, files.root / "cat" / "catalog.json", "-r", files.root / "rubrics" / "child.md",
                     "-w", files.root / "work.json", "--as-of", DAY, *extra, "-f", "json", "-o", files.root / victim)
        assert result.exit_code == 2 and "input of this run" in result.stderr, (victim, result.output)
        assert _snapshot(files.root) == before
    # and any other file is written
    out = files.root / "out.json"
    result = cli(command, files.root / "cat" / "catalog.json", "-r", files.root / "rubrics" / "child.md",
                 "--as-of", DAY, *extra, "-o", out)
    assert result.exit_code == 0 and json.loads(out.read_text())


def test_the_registry_is_one_per_command(cli, files, chain):
    # a file read by one command is free to be written by the next
    parent = files.root / "rubrics" / "parent.json"
    assert cli("gate", chain, "-o", parent).exit_code == 2
    out = files.root / "result.json"
    assert cli("gate", chain, "-o", out).exit_code == 0
    assert cli("rank", files.root / "cat" / "catalog.json", "--as-of", DAY, "-f", "json", "-o", out).exit_code == 0
    assert atomic.inputs_read() == ()  # nothing noted outside a command


def test_write_text_checks_what_the_loaders_noted(tmp_path):
    from model_scorecard.schema.yamlio import load_file

    src = tmp_path / "in.yaml"
    src.write_text("a: 1\n")
    with atomic.invocation():
        load_file(src)
        with pytest.raises(UserError, match="input of this run"):
            atomic.write_text(src, "b: 2\n")
        atomic.write_text(tmp_path / "other.yaml", "b: 2\n")
    assert src.read_text() == "a: 1\n"
    atomic.write_text(src, "c: 3\n")  # outside an invocation nothing is noted
    assert src.read_text() == "c: 3\n"


def test_a_gpu_file_read_by_the_run_is_protected(tmp_path):
    from model_scorecard.tables.gpus import load_gpus

    path = tmp_path / "my-gpus.yaml"
    path.write_text("schema_version: 1\ngpus:\n  - name: Test GPU 9000\n    memory_gb: 48\n"
                    "    bandwidth_gb_per_s: 900\n    bf16_tflops: 150\n    interconnect: pcie\n"
                    f"    source: made up for {tmp_path.name}\n")
    before = path.read_bytes()
    with atomic.invocation():
        assert "Test GPU 9000" in load_gpus(path)
        with pytest.raises(UserError, match="input of this run"):
            atomic.write_text(path, "{}")
    assert path.read_bytes() == before
