"""Start-up of `scorecard vram`: what it imports (benchmarks/bench_vram.py times it).

The command line uses typer's public API only, so typer's own option coercion (a pydantic
TypeAdapter per option) is part of every start-up; what these tests keep out is the rest:
the catalog and rubric schema, YAML positions, pandas, the Hub client.
"""

from __future__ import annotations

import ast
import subprocess
import sys

from model_scorecard.cli import COMMAND_MODULES
from tests.conftest import REPO


def test_vram_start_up_imports_no_schema_yaml_pandas_or_hub():
    code = ("import sys; sys.argv = ['scorecard', 'vram', '70B', '--int4']\n"
            "from model_scorecard.cli import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert e.code in (0, None), e.code\n"
            "heavy = ('pandas', 'huggingface_hub', 'model_scorecard.schema.catalog', 'model_scorecard.schema.yamlio',\n"
            "         'model_scorecard.scoring.score', 'model_scorecard.hub.client', 'model_scorecard.schema.rubric')\n"
            "print([m for m in heavy if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_app_lists_every_command_in_the_order_of_command_modules():
    fresh = subprocess.run([sys.executable, "-c", "import typer.main; from model_scorecard.cli import app; "
                            "print(list(typer.main.get_command(app).commands))"],
                           capture_output=True, text=True, cwd=REPO, check=True).stdout.strip()
    listed = ast.literal_eval(fresh)
    commands = [{"imports": "import"}.get(m, m) for m in COMMAND_MODULES]  # `import` is a Python keyword
    assert set(listed) == set(commands)
    groups = {"hub", "import"}  # command groups: typer lists groups after the commands
    assert [c for c in listed if c not in groups] == [m for m in commands if m not in groups]


def test_no_private_module_of_a_dependency_is_imported():
    """Public APIs only: no ``typer._x``, ``pydantic._internal`` and the like anywhere in src/."""
    src = REPO / "src" / "model_scorecard"
    private = []
    for path in src.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            for name in names:
                root, *rest = name.split(".")
                if root != "model_scorecard" and any(part.startswith("_") for part in rest):
                    private.append(f"{path.relative_to(src)}: {name}")
    assert private == []
