"""Start-up of `scorecard vram`: what it imports, and the shortcuts that keep it quick.

benchmarks/bench_vram.py times it; these tests check that the shortcuts change nothing:
the lean option coercion gives typer's results and messages, and the lazily imported
command modules still make a complete app.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from model_scorecard.cli import COMMAND_MODULES, app
from tests.conftest import REPO


# -- start-up: typer's options without pydantic ------------------------------------------------

def _typer_coercion_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make CliRunner build commands whose options all use typer's own (pydantic) coercion."""
    import typer.testing

    build = typer.testing._get_command

    def get_command(app):  # type: ignore[no-untyped-def]
        command = build(app)
        stack = [command]
        while stack:
            cmd = stack.pop()
            stack.extend(getattr(cmd, "commands", {}).values())
            for param in cmd.params:
                param._runtime_param = None  # typer builds its TypeAdapter on first use
        return command

    monkeypatch.setattr(typer.testing, "_get_command", get_command)


@pytest.mark.parametrize("args", [
    ["70B", "--int4"], ["70B", "--batch", "3", "--context", "32k", "--gpu", "H100"], ["70B", "--batch", "007"],
    ["70B", "--batch", "0"], ["70B", "--batch", "x"], ["70B", "--batch", "2.0"], ["70B", "--bits", "4.5"],
    ["70B", "--bits", "4"], ["70B", "--bits", "00.5"], ["70B", "--bits", "1e1"], ["70B", "--bits", "abc"],
    ["70B", "--bits", "-3"], ["70B", "--kv-dtype", "fp8"], ["70B", "--kv-dtype", "FP8"], ["70B", "--kv-dtype", "x"],
    ["70B", "--engine", "llama.cpp"], ["70B", "--engine", "transformers", "--gib"], ["70B", "-f", "json"],
    ["70B", "-f", "yaml"], ["70B", "--quant", "Q4_K_M"], ["70B", "--context", ""], ["--help"], [],
])
def test_lean_option_coercion_gives_what_typer_gives(args, monkeypatch):
    # `vram` coerces plain str/int/float/choice options itself (no pydantic TypeAdapter per
    # option, which would double its start-up) and leaves anything else to typer: the exit
    # code and every byte of output must be what typer's own coercion gives.
    runner = CliRunner(env={"COLUMNS": "200"})
    lean = runner.invoke(app, ["vram", *args])
    _typer_coercion_only(monkeypatch)
    full = runner.invoke(app, ["vram", *args])
    assert (lean.exit_code, lean.stdout, lean.stderr) == (full.exit_code, full.stdout, full.stderr)


def test_vram_start_up_imports_no_pydantic_yamlio_or_other_commands():
    code = ("import sys; sys.argv = ['scorecard', 'vram', '70B', '--int4']\n"
            "from model_scorecard.cli import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert e.code in (0, None), e.code\n"
            "heavy = ('pydantic.main', 'pydantic.type_adapter', 'typer._adapters', 'model_scorecard.schema.catalog',\n"
            "         'model_scorecard.schema.yamlio', 'model_scorecard.cli.rank', 'model_scorecard.cli.gate')\n"
            "print([m for m in heavy if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_app_lists_every_command_in_order_even_after_main_loaded_one():
    # main() imports only the named command's module; the app still lists them all, in
    # COMMAND_MODULES order, the next time its command list is read.
    code = ("import sys; sys.argv = ['scorecard', 'vram', '8B', '-f', 'json']\n"
            "from model_scorecard.cli import app, main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert e.code in (0, None), e.code\n"
            "import typer.main\n"
            "print(list(typer.main.get_command(app).commands))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    listed = done.stdout.strip().splitlines()[-1]
    fresh = subprocess.run([sys.executable, "-c", "import typer.main; from model_scorecard.cli import app; "
                            "print(list(typer.main.get_command(app).commands))"],
                           capture_output=True, text=True, cwd=REPO, check=True).stdout.strip()
    assert listed == fresh
    assert set(ast.literal_eval(fresh)) == set(COMMAND_MODULES)
