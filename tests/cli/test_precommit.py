"""The shipped pre-commit hooks, run by the real pre-commit framework (`pre-commit try-repo`).

The hooks are tried against a snapshot of this working tree (tracked and untracked files,
what git ignores left out) committed to a temporary repository, so uncommitted work is
what gets tested and this repository's own git state is never touched. pre-commit builds
its hook environment once per session (it installs this package and its dependencies
into a virtual environment): that is most of the time this module takes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REPO
from ..gatekit import GateFiles, line_of, model

pytestmark = pytest.mark.slow

GIT_ENV = {"GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
           "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
           "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}


def _git(*args: str, cwd: Path) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(cwd)}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def _init(path: Path) -> None:
    _git("init", "-q", cwd=path)
    _git("add", "-A", cwd=path)
    _git("commit", "-q", "--allow-empty", "--no-gpg-sign", "-m", "snapshot", cwd=path)


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree, committed to a throwaway repository pre-commit can clone."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install '.[test]')")
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout: the hooks are tried against one")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            check=True, capture_output=True).stdout.decode().split("\0")
    snapshot = tmp_path_factory.mktemp("hooks-repo")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():  # a tracked file deleted in the working tree is left out
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    _init(snapshot)
    return snapshot


def try_repo(hooks_repo: Path, cwd: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    """Every hook of the manifest on ``files``; `--verbose` shows each hook's output, pass or fail."""
    _init(cwd)
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_COLOR": "never"}
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hooks_repo), "--verbose",
                           "--files", *(f.relative_to(cwd).as_posix() for f in files)],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def _section(output: str, hook_name: str) -> str:
    """The part of pre-commit's output that belongs to one hook (its status line onwards)."""
    start = output.index(hook_name)
    rest = output[start + len(hook_name):]
    end = rest.find("\n- hook id:", rest.find("- hook id:") + 1)
    return rest if end < 0 else rest[:end]


def test_hooks_with_the_real_pre_commit(hooks_repo, tmp_path):
    """One try-repo run (pre-commit builds a fresh hook environment for each, ~20 s): valid
    and invalid files together, so both hooks show a pass and a failure in their output."""
    files = GateFiles(tmp_path)
    rubric = files.rubric(name="rubrics/team-rubric.yaml")
    catalog = files.catalog(model("alpha", 95) + model("gamma", 55), name="catalogs/models.yaml")
    broken = files.write("catalogs/broken.yaml", "schema_version: 1\nmodels:\n  - id: x\n    name: x\n"
                         "    vendor: v\n    kind: llm\n    access: api\n    params: lots\n")
    good = files.shortlist("- alpha\n", name="shortlist.yaml", catalog="catalogs/models.yaml",
                           rubric="rubrics/team-rubric.yaml")
    failing = files.shortlist("- alpha\n- gamma\n", name="ci/release-shortlist.yaml",
                              catalog="../catalogs/models.yaml", rubric="../rubrics/team-rubric.yaml")
    unrelated = files.write("config/settings.yaml", "anything: goes\n")
    result = try_repo(hooks_repo, tmp_path, catalog, rubric, good, failing, broken, unrelated)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out

    validate = _section(out, "validate scorecard catalogs, rubrics and shortlists")
    assert validate.lstrip(".").startswith("Failed"), out
    for path, kind in ((catalog, "catalog"), (rubric, "rubric"), (good, "shortlist"), (failing, "shortlist")):
        assert f"ok      {path.relative_to(tmp_path).as_posix()} ({kind})" in validate, out
    assert f"catalogs/broken.yaml:{line_of(broken, 'params: lots')}:" in validate, out
    assert "settings.yaml" not in out  # not a scorecard file: neither hook sees it

    gate = _section(out, "scorecard gate")
    assert gate.lstrip(".").startswith("Failed"), out
    assert "gate passed: all 1 candidate(s) pass" in gate and "gate FAILED: 1 of 2 candidate(s) fail: gamma" in gate
    assert "broken.yaml" not in gate  # the gate hook only runs on shortlists
