"""``scorecard plan`` through the CLI: Markdown and JSON, files, deployments, bad input, escaping."""

from __future__ import annotations

import json

import pytest

import model_scorecard.cli.plan  # noqa: F401  registers the command while cli/__init__ does not list it yet
from tests.gatekit import RUBRIC, model

START = "2026-12-28"


@pytest.fixture
def catalog(write):
    def _catalog(entries: str):
        write("rubric.yaml", RUBRIC)
        return write("catalog.yaml", "schema_version: 1\nname: test catalog\nmodels:\n" + entries)
    return _catalog


def run_plan(cli, catalog_path, *args):
    return cli("plan", *args, "--catalog", catalog_path, "--rubric", catalog_path.parent / "rubric.yaml")


def test_markdown_plan_with_dated_weeks(cli, catalog):
    path = catalog(model("alpha", 95))
    result = run_plan(cli, path, "alpha", "--start", START)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("# 90-day roll-out: `alpha`\n")
    assert "## Week 0 · 2026-12-28 – 2027-01-03 · Select and score (weeks 0–2)" in out
    assert "## Week 12 · 2027-03-22 – 2027-03-28 · Soft launch and full roll-out (weeks 9–12)" in out
    assert out.count("\n## Week ") == 13
    assert "- [ ] Go/no-go" in out


def test_a_failed_gate_appears_as_a_blocking_task_in_its_week(cli, catalog):
    path = catalog(model("slow", 95) + "    serving: {ttft_p95_ms: 900}\n")
    out = run_plan(cli, path, "slow", "--start", START).stdout
    week5 = out.split("## Week 5 ")[1].split("## Week 6 ")[0]
    assert "- [ ] **Blocking.** Failed gate — First token within 300 ms" in week5


def test_walk_away_is_said_before_the_weeks(cli, catalog):
    path = catalog(model("delta", 95, flags=2))
    out = run_plan(cli, path, "delta", "--start", START).stdout
    stop = out.index("> ⛔ **Walk away")
    assert stop < out.index("## Week 0")
    assert out.splitlines()[2].startswith("> ⛔ **Walk away")


def test_json_plan(cli, catalog):
    path = catalog(model("alpha", 95))
    result = run_plan(cli, path, "alpha", "--start", START, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["kind"] == "rollout-plan" and data["schema_version"] == 1
    assert (data["start"], data["end"]) == ("2026-12-28", "2027-03-28")
    assert [w["week"] for w in data["weeks"]] == list(range(13))
    assert run_plan(cli, path, "alpha", "--start", START, "--format", "json").stdout == result.stdout


def test_output_file_is_written(cli, catalog, tmp_path):
    path = catalog(model("alpha", 95))
    target = tmp_path / "plan.md"
    result = run_plan(cli, path, "alpha", "--start", START, "-o", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("# 90-day roll-out")


def test_output_never_replaces_the_catalog(cli, catalog):
    path = catalog(model("alpha", 95))
    before = path.read_bytes()
    result = run_plan(cli, path, "alpha", "--start", START, "-o", path)
    assert result.exit_code == 2
    assert path.read_bytes() == before


BOTH = ("  - id: both\n    name: both\n    vendor: Acme\n    kind: llm\n    access: [api, open-weights]\n"
        "    params: 8B\n    checkpoint: instruct\n")


def test_two_deployments_ask_which(cli, catalog):
    path = catalog(BOTH)
    result = run_plan(cli, path, "both", "--start", START)
    assert result.exit_code == 2
    assert "both@api" in result.stderr and "both@self-hosted" in result.stderr
    assert result.stdout == ""


def test_the_named_deployment_is_planned(cli, catalog):
    path = catalog(BOTH)
    result = run_plan(cli, path, "both@self-hosted", "--start", START)
    assert result.exit_code == 0
    assert "`both@self-hosted`" in result.stdout.splitlines()[0]


@pytest.mark.parametrize("bad", ["2027-13-01", "next monday", "2027-02-30", ""])
def test_a_bad_start_date_is_a_usage_error_without_a_traceback(cli, catalog, bad):
    path = catalog(model("alpha", 95))
    result = run_plan(cli, path, "alpha", "--start", bad)
    assert result.exit_code == 2
    assert "--start" in result.stderr and "YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.output


def test_an_unknown_model_is_a_usage_error(cli, catalog):
    path = catalog(model("alpha", 95))
    result = run_plan(cli, path, "alhpa", "--start", START)
    assert result.exit_code == 2 and "did you mean 'alpha'" in result.stderr


def test_a_hostile_model_name_is_escaped(cli, catalog):
    hostile = "Evil <img src=x onerror=alert(1)> [click](https://evil.test) @everyone | `code` *bold*"
    entry = model("evil", 95).replace("    name: evil\n", f"    name: {json.dumps(hostile)}\n")
    entry += "    red_flags:\n      - {id: odd, title: \"<script>x</script>\", reason: \"![img](https://evil.test/p.png)\"}\n"
    path = catalog(entry)
    result = run_plan(cli, path, "evil", "--start", START)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "<img" not in out and "<script>" not in out
    assert "[click](" not in out and "![img](" not in out
    assert "@everyone" not in out  # a mention is broken by a zero-width space
    assert out.splitlines()[0].startswith("# 90-day roll-out: Evil &lt;img")
