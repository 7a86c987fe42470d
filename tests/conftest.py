"""Shared fixtures: files written inside each test, the CLI through typer's CliRunner."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import pytest
from typer.testing import CliRunner

from model_scorecard.cli import app

from .gatekit import GateFiles

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite tests/golden/* from current output")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write("name.yaml", text) → path of a file holding the dedented text."""

    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def cli() -> Callable[..., object]:
    runner = CliRunner(env={"COLUMNS": "200"})  # wide enough that ids do not wrap

    def _run(*args: str, **kw: object):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, **kw)

    return _run


MINIMAL_MODEL = """
  - id: {id}
    name: {name}
    vendor: Acme
    kind: llm
    access: api
"""


def catalog_text(*models: str, header: str = "schema_version: 1\nmodels:\n") -> str:
    return header + "".join(models)


@pytest.fixture
def files(tmp_path: Path) -> GateFiles:
    """A gate-test workspace: the small rubric, catalogs and shortlists of tests/gatekit.py."""
    return GateFiles(tmp_path)
