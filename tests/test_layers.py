"""The floor plan: packages import downward only, with no circles, and tests mirror ``src/``.

Every import is read from the source (function-level ones too, since a lazy import is still
a dependency), so a floor cannot slide by hiding an import inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "model_scorecard"
TESTS = Path(__file__).resolve().parent
PKG = "model_scorecard"

#: Floors, lowest first. A module may import its own room (without circles) and the floors
#: below it, never a floor above or beside it.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("_version", "_gc", "errors"),
    ("units",),
    ("atomic", "bundled"),
    ("calc",),
    ("schema",),
    ("tables",),
    ("hub",),
    ("importers",),
    ("sizing",),
    ("scoring",),
    ("gate", "lint"),
    ("report",),
    ("cli",),
    ("__main__",),
)
FLOOR = {room: level for level, rooms in enumerate(FLOORS) for room in rooms}

#: calc/ is pure arithmetic: besides itself, only these.
CALC_MAY_IMPORT = {"errors", "units", "_version"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PKG, *parts])


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in SRC.rglob("*.py")}


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Package modules that ``name`` imports, resolved to module names (names imported from a
    module count as the module; a submodule imported by name counts as the submodule)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == PKG)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] != PKG:
                continue
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                found.add(sub if sub in MODULES else module)
    found.discard(name)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_the_facade_is_imported_by_no_module_inside():
    importers = sorted(m for m, deps in GRAPH.items() if PKG in deps and m != PKG)
    assert importers == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != PKG))
def test_imports_point_down(module):
    here = _room(module)
    assert here in FLOOR, f"{module} is in no floor of the plan: add its room to FLOORS"
    wrong = sorted(dep for dep in GRAPH[module]
                   if dep != PKG and _room(dep) != here and FLOOR[_room(dep)] >= FLOOR[here])
    assert wrong == [], f"{module} imports upward or sideways: {wrong}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _room(m) == "calc"))
def test_calc_imports_only_errors_and_units(module):
    outside = sorted(dep for dep in GRAPH[module] if _room(dep) != "calc" and _room(dep) not in CALC_MAY_IMPORT)
    assert outside == [], f"{module} is not pure: it imports {outside}"


def test_no_circles():
    # Tarjan's strongly connected components over the whole import graph.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH.get(v, ()):
            if w not in GRAPH:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            # a package importing its own submodules (re-exports) is not a circle
            if len(group) > 1 and not all(g.startswith(min(group, key=len) + ".") or g == min(group, key=len)
                                          for g in group):
                circles.append(sorted(group))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert circles == []


def test_only_the_hub_room_imports_huggingface_hub():
    users = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            mods = ([a.name for a in node.names] if isinstance(node, ast.Import)
                    else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(m.split(".")[0] == "huggingface_hub" for m in mods) and _room(name) != "hub":
                users.append(name)
    assert users == []


def test_no_module_over_600_lines():
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert long == {}


def test_a_root_of_at_most_eight_small_modules_besides_main():
    root = sorted(p.stem for p in SRC.glob("*.py") if p.stem not in ("__init__", "__main__"))
    assert len(root) <= 8, root


def test_every_test_folder_has_a_source_folder():
    """tests/ mirrors src/: a folder of tests is named for the room it tests."""
    rooms = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    rooms |= {f"{p.parent.name}/{p.name}" for p in SRC.glob("*/*") if p.is_dir() and (p / "__init__.py").exists()}
    orphans = []
    for folder in sorted(p for p in TESTS.rglob("*") if p.is_dir() and any(p.glob("test_*.py"))):
        rel = folder.relative_to(TESTS).as_posix()
        if rel not in rooms:
            orphans.append(rel)
    assert orphans == []
