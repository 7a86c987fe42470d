"""The composite action (action.yml), its bash steps run the way the GitHub runner runs them.

The runner writes each `run:` step to a file and starts `bash --noprofile --norc -eo pipefail
FILE` with the step's `env:` (after substituting `${{ … }}` expressions), in its
`working-directory`, with $GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY and $GITHUB_ENV pointing at
files. This module does the same for every bash step, in order, with a small substitution
of the expressions action.yml uses (`inputs.*`, `steps.*.outputs.*`, `github.*`, `runner.*`).
The `uses:` steps (the install cache) are not run: the restored cache is simulated by a
virtual environment whose `scorecard` is this test environment's, so the install step takes
its "already installed" path and nothing touches the network.

macOS runs these scripts with bash 3.2; only the bash on this machine is tried here (the
self-test workflow, .github/workflows/action-selftest.yml, runs the action on macOS).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from ..conftest import REPO

ACTION = REPO / "action.yml"
EXAMPLES = REPO / "examples"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def _action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def _scorecard() -> Path:
    found = shutil.which("scorecard", path=str(Path(sys.executable).parent)) or shutil.which("scorecard")
    if found is None:
        pytest.skip("the scorecard command is not installed (pip install -e .)")
    return Path(found)


def _outputs(path: Path) -> dict[str, str]:
    """$GITHUB_OUTPUT's `name=value` lines (the action writes no multi-line values)."""
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line:
            name, _, value = line.partition("=")
            pairs[name] = value
    return pairs


@dataclass
class Run:
    code: int
    outputs: dict[str, str]
    log: str
    env_file: str
    summary: str
    steps: dict[str, dict[str, str]] = field(default_factory=dict)


def run_action(tmp_path: Path, inputs: dict[str, str], *, runner_os: str = "Linux", cached: bool = True,
               extra_path: list[Path] | None = None) -> Run:
    """Every bash step of action.yml in order, as the runner would; stops at the first that fails."""
    action = _action()
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    for name, spec in action["inputs"].items():
        if spec.get("required") and name not in inputs:
            raise AssertionError(f"input {name} is required")
    values.update(inputs)

    workspace = tmp_path / "workspace"
    temp = tmp_path / "runner-temp"
    workspace.mkdir(exist_ok=True)
    temp.mkdir(exist_ok=True)
    env_file = tmp_path / "github-env"
    summary = tmp_path / "step-summary"
    env_file.write_text("", encoding="utf-8")
    summary.write_text("", encoding="utf-8")

    base = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_", "SCORECARD_"))}
    path = [str(p) for p in (extra_path or [])] + [str(Path(sys.executable).parent), base.get("PATH", os.defpath)]
    base.update({
        "PATH": os.pathsep.join(path),
        "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_ACTION_PATH": str(REPO), "GITHUB_ENV": str(env_file), "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_OS": runner_os, "RUNNER_ARCH": "X64", "RUNNER_TEMP": str(temp), "COLUMNS": "200",
    })
    steps: dict[str, dict[str, str]] = {}
    simulated = {"restore": {"cache-hit": "true" if cached else ""}}

    def expression(match: re.Match[str]) -> str:
        expr = match.group(1)
        scope, _, rest = expr.partition(".")
        if scope == "inputs":
            return values[rest]
        if scope == "steps":
            step_id, _, output = rest.partition(".outputs.")
            return {**simulated, **steps}.get(step_id, {}).get(output, "")
        if expr == "github.action_path":
            return str(REPO)
        if expr == "github.workspace":
            return str(workspace)
        if expr == "runner.os":
            return runner_os
        if expr == "runner.temp":
            return str(temp)
        raise AssertionError(f"the test does not substitute ${{{{ {expr} }}}}: add it")

    log = []
    code = 0
    for number, step in enumerate(action["runs"]["steps"]):
        if "run" not in step:
            continue
        assert step.get("shell") == "bash", step
        assert "if" not in step, "a conditional run step: teach the test to evaluate it"
        if step.get("id") == "install" and cached:
            # A restored cache: the venv the setup step named, holding this environment's scorecard.
            bin_path = Path(steps["setup"]["bin"])
            bin_path.parent.mkdir(parents=True, exist_ok=True)
            if not bin_path.exists():
                bin_path.symlink_to(_scorecard())
        output = tmp_path / f"output-{number}"
        output.write_text("", encoding="utf-8")
        script = tmp_path / f"step-{number}.sh"
        script.write_text(step["run"], encoding="utf-8")
        env = dict(base)
        env["GITHUB_OUTPUT"] = str(output)
        for name, value in (step.get("env") or {}).items():
            env[name] = EXPRESSION.sub(expression, str(value))
        cwd = workspace / EXPRESSION.sub(expression, str(step.get("working-directory", ".")))
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=300)
        log.append(f"--- {step.get('name')} (exit {proc.returncode})\n{proc.stdout}{proc.stderr}")
        if "id" in step:
            steps[step["id"]] = _outputs(output)
        code = proc.returncode
        if code != 0:
            break
    return Run(code=code, outputs=steps.get("gate", {}), log="\n".join(log),
               env_file=env_file.read_text(encoding="utf-8"), summary=summary.read_text(encoding="utf-8"), steps=steps)


@pytest.fixture
def workspace_with_examples(tmp_path: Path) -> Path:
    """The shipped example shortlists and the catalog they name, copied into the job's workspace."""
    workspace = tmp_path / "workspace"
    shutil.copytree(EXAMPLES, workspace / "examples")
    shutil.copytree(REPO / "catalogs", workspace / "catalogs")
    return workspace


def test_no_expression_reaches_a_script() -> None:
    """Inputs (and every other expression) go through `env:`; the scripts quote them."""
    for step in _action()["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step["name"]


def test_third_party_actions_are_pinned_by_commit() -> None:
    for step in _action()["runs"]["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


def _zizmor(*paths: Path) -> list:
    exe = shutil.which("zizmor") or shutil.which("zizmor", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("zizmor is not installed (pip install '.[test]' installs it)")
    done = subprocess.run([exe, "--offline", "--no-config", "--format", "json", *map(str, paths)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 10, 11, 12, 13, 14), done.stderr  # 1x: findings of some severity
    import json

    return json.loads(done.stdout)


@pytest.mark.slow
def test_zizmor_finds_nothing_in_the_action_and_its_workflows(tmp_path: Path) -> None:
    """zizmor, the GitHub Actions security linter: no finding of any severity (the self-test
    workflow's three `uses: ./` carry an inline ignore naming why)."""
    unsafe = tmp_path / ".github" / "workflows" / "unsafe.yml"
    unsafe.parent.mkdir(parents=True)
    unsafe.write_text("on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.event.issue.title }}\n", encoding="utf-8")
    assert _zizmor(unsafe), "zizmor found nothing in a workflow with a template injection: it did not run"
    assert _zizmor(ACTION, REPO / ".github" / "workflows") == []


def test_passing_shortlist(tmp_path: Path, workspace_with_examples: Path) -> None:
    run = run_action(tmp_path, {"shortlist": "examples/shortlist.yaml"})
    assert run.code == 0, run.log
    assert run.outputs["passed"] == "true"
    assert run.outputs["exit-code"] == "0"
    assert Path(run.outputs["result"]).is_file()
    assert Path(run.outputs["result"]).name == "scorecard-gate.json"
    assert run.steps["install"] == {"installed": "false"}, run.log
    assert "<!-- model-scorecard:gate -->" in run.summary
    assert run.env_file == ""


def test_failing_shortlist_still_writes_the_outputs(tmp_path: Path, workspace_with_examples: Path) -> None:
    run = run_action(tmp_path, {"shortlist": "examples/shortlist-failing.yaml"})
    assert run.code == 1, run.log
    assert run.outputs["passed"] == "false"
    assert run.outputs["exit-code"] == "1"
    result = Path(run.outputs["result"])
    assert result.is_absolute() and result.is_file()
    assert '"passed": false' in result.read_text(encoding="utf-8")
    assert "::error" in run.log and "gate FAILED" in run.log
    assert run.env_file == ""


def test_invalid_shortlist_exits_2_with_outputs(tmp_path: Path, workspace_with_examples: Path) -> None:
    (workspace_with_examples / "broken.yaml").write_text("schema_version: 1\ncandidates: 7\n", encoding="utf-8")
    run = run_action(tmp_path, {"shortlist": "broken.yaml"})
    assert run.code == 2, run.log
    assert run.outputs == {"result": "", "passed": "false", "exit-code": "2"}
    assert run.env_file == ""


def test_missing_shortlist_exits_2_with_outputs(tmp_path: Path, workspace_with_examples: Path) -> None:
    run = run_action(tmp_path, {"shortlist": "no-such-shortlist.yaml"})
    assert run.code == 2, run.log
    assert run.outputs == {"result": "", "passed": "false", "exit-code": "2"}


def test_inputs_are_data_not_shell(tmp_path: Path, workspace_with_examples: Path) -> None:
    """Quotes, `$(…)`, globs and `;` in inputs reach scorecard as text and are never run."""
    marker = tmp_path / "pwned"
    hostile = f'$(touch {marker}) `touch {marker}`; touch {marker} "\' *'
    run = run_action(tmp_path, {"shortlist": hostile, "baseline": hostile})
    assert run.code == 2, run.log
    assert not marker.exists()
    run = run_action(tmp_path, {"shortlist": "examples/shortlist.yaml", "args": f"--tolerance 0.5 $(touch {marker}) *"})
    assert run.code == 2, run.log  # the words are options scorecard rejects, not commands
    assert not marker.exists()


def test_args_empty_and_several(tmp_path: Path, workspace_with_examples: Path) -> None:
    run = run_action(tmp_path, {"shortlist": "examples/shortlist.yaml", "args": ""})
    assert run.code == 0, run.log
    run = run_action(tmp_path, {"shortlist": "examples/shortlist-failing.yaml",
                                "args": "  --fail-on never\t-o gate.md  "})
    assert run.code == 0, run.log  # the last --fail-on wins: report only
    assert run.outputs["passed"] == "true"
    assert (workspace_with_examples / "gate.md").is_file()
    run = run_action(tmp_path, {"shortlist": "examples/shortlist-failing.yaml",
                                "args": "--fail-on never\n-o gate.html\n"})  # a YAML `args: |` block
    assert run.code == 0, run.log
    assert (workspace_with_examples / "gate.html").is_file()


def test_working_directory_and_baseline(tmp_path: Path, workspace_with_examples: Path) -> None:
    first = run_action(tmp_path, {"shortlist": "shortlist.yaml", "working-directory": "examples"})
    assert first.code == 0, first.log
    second = run_action(tmp_path, {"shortlist": "shortlist.yaml", "working-directory": "examples",
                                   "baseline": first.outputs["result"]})
    assert second.code == 0, second.log
    assert second.outputs["result"] != first.outputs["result"]  # each run its own file
    assert Path(first.outputs["result"]).is_file() and Path(second.outputs["result"]).is_file()


def test_windows_layout(tmp_path: Path, workspace_with_examples: Path) -> None:
    """On Windows the venv keeps its commands in Scripts/ with .exe names."""
    run = run_action(tmp_path, {"shortlist": "examples/shortlist.yaml"}, runner_os="Windows")
    assert run.code == 0, run.log
    assert run.steps["setup"]["bin"].endswith("/Scripts/scorecard.exe")
    assert run.steps["setup"]["key"].startswith("model-scorecard-Windows-X64-py")


def test_cache_key_follows_the_version_input(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    own = run_action(tmp_path / "a", {"shortlist": "x"})
    pinned = run_action(tmp_path / "b", {"shortlist": "x", "version": "model-scorecard==0.1.0"})
    python = "%d.%d.%d" % sys.version_info[:3]
    assert own.steps["setup"]["key"].startswith(f"model-scorecard-Linux-X64-py{python}-")
    assert own.steps["setup"]["key"] != pinned.steps["setup"]["key"]
    assert own.steps["setup"]["venv"] != pinned.steps["setup"]["venv"]


def test_version_must_not_be_an_option(tmp_path: Path) -> None:
    run = run_action(tmp_path, {"shortlist": "x", "version": "--index-url=https://example.invalid"})
    assert run.code == 2
    assert "::error" in run.log and "pip requirement" in run.log
    assert "gate" not in run.steps


def test_old_python_is_refused_clearly(tmp_path: Path) -> None:
    fake = tmp_path / "old-python"
    fake.mkdir()
    for name in ("python3", "python"):
        (fake / name).write_text("#!/bin/sh\necho 3.8.10\n", encoding="utf-8")
        (fake / name).chmod(0o755)
    run = run_action(tmp_path, {"shortlist": "x"}, extra_path=[fake])
    assert run.code == 1
    assert "::error" in run.log and "Python 3.10 or later" in run.log and "3.8.10" in run.log
    assert "gate" not in run.steps and run.env_file == ""


def test_empty_arrays_are_bash_3_2_safe() -> None:
    """macOS's bash 3.2 treats `"${a[@]}"` of an empty array as unbound under `set -u`.

    Not run under bash 3.2 here (this machine has a newer bash): the scripts must expand
    any array that can be empty as `${a[@]+"${a[@]}"}`, and `extra` (from `args`) can.
    """
    script = next(step["run"] for step in _action()["runs"]["steps"] if step.get("id") == "gate")
    assert '${extra[@]+"${extra[@]}"}' in script
    assert '"${extra[@]}"' not in script.replace('${extra[@]+"${extra[@]}"}', "")
