"""Every bundled catalog, rubric and example validates and ranks; the seed's skip zone is not green-lit."""

from __future__ import annotations

from datetime import date

import pytest

from model_scorecard import bundled
from model_scorecard.schema.load import load_catalog, load_rubric
from model_scorecard.schema.validate import validate_file
from model_scorecard.schema.workload import load_workload
from model_scorecard.scoring import evaluate

from .conftest import REPO

FILES = sorted(p for folder in ("catalogs", "rubrics", "examples") for p in (REPO / folder).glob("*.yaml"))
CATALOGS = [p for p in FILES if validate_file(p).kind == "catalog"]
RUBRICS = [p for p in FILES if validate_file(p).kind == "rubric"]


def test_there_is_something_to_check():
    assert len(CATALOGS) >= 2 and len(RUBRICS) >= 2


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: p.name)
@pytest.mark.parametrize("rubric", RUBRICS, ids=lambda p: p.name)
@pytest.mark.parametrize("workload", ["chat", "voice", "ad-auction", "batch"])
def test_every_catalog_ranks_under_every_rubric_and_workload(catalog, rubric, workload):
    report = evaluate(load_catalog(catalog), load_rubric(rubric), load_workload(workload), date(2026, 11, 23))
    assert report.models and all(0 <= m.total <= 30 for m in report.models)
    assert all(0 <= m.confidence <= 1 and m.pessimistic_total <= m.total for m in report.models)


def test_the_default_catalog_is_the_current_one():
    assert bundled.default_catalog().name == "current.yaml"
    assert bundled.catalog_names() == ["current", "roadmap-2024"]


ROADMAP_IDS = {
    # seed section 4: the green zone (real names for the post's non-existent ones) and the skip zone
    "gpt-4-turbo-2024-04-09", "claude-3-sonnet", "llama-3-70b-instruct", "mistral-large-2402", "gemini-1.5-pro",
    "dbrx-instruct", "sdxl-1.0-base", "sdxl-lightning", "dall-e-3", "codellama-34b-python", "command-r-plus",
    "falcon-180b", "gpt-3.5-turbo-0301", "stable-diffusion-2.1",
    # seed 001's size table
    "phi-3-mini", "llama-3.2-3b", "llama-3.1-8b", "mistral-7b", "gemma-7b", "llama-2-13b", "llama-3.1-70b",
    "gpt-4o", "claude-3.5-sonnet", "gemini-1.5-flash",
}


def test_roadmap_catalog_covers_the_seed():
    ids = {m.id for m in load_catalog("roadmap-2024").models}
    assert ROADMAP_IDS <= ids
    assert "kimi-9b" not in ids and "jamba-1.5-slim" not in ids  # the post names models that do not exist


def test_every_roadmap_fact_has_a_source():
    from pydantic import BaseModel

    from model_scorecard.schema.base import Fact, Provenance

    def walk(obj, inherited, path):
        if isinstance(obj, Provenance):
            inherited = obj.source or inherited
        if isinstance(obj, Fact):
            assert inherited, f"{path} has no source"
            return
        if isinstance(obj, dict):
            for k, v in obj.items():
                walk(v, inherited, f"{path}.{k}")
        elif isinstance(obj, (list, tuple)):
            for i, v in enumerate(obj):
                walk(v, inherited, f"{path}[{i}]")
        elif isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                walk(getattr(obj, name), inherited, f"{path}.{name}")

    for m in load_catalog("roadmap-2024").models:
        walk(m, m.source, m.id)


@pytest.mark.parametrize("model_id", ["falcon-180b", "gpt-3.5-turbo-0301", "stable-diffusion-2.1"])
@pytest.mark.parametrize("day", [date(2024, 6, 1), date(2026, 11, 23)])
def test_skip_zone_is_not_green_lit_and_the_report_says_why(model_id, day):
    report = evaluate(load_catalog("roadmap-2024"), load_rubric("roadmap-2024"), load_workload("chat"), day)
    m = report.model(model_id)
    assert m.verdict != "green-light"
    assert m.reasons and any("below the green light" in r or "red flag" in r or "gate failed" in r
                             or "evidence" in r or "serves" in r for r in m.reasons)


def test_falcon_180b_carries_the_hosting_flag_from_its_licence():
    m = evaluate(load_catalog("roadmap-2024"), load_rubric("roadmap-2024"), load_workload("chat"),
                 date(2026, 11, 23)).model("falcon-180b")
    assert "hosting-restricted" in {f.id for f in m.red_flags}


def test_gpt_35_turbo_0301_is_retired_since_its_shutdown():
    cat, rub, chat = load_catalog("roadmap-2024"), load_rubric("roadmap-2024"), load_workload("chat")
    assert evaluate(cat, rub, chat, date(2024, 6, 13)).model("gpt-3.5-turbo-0301").computed["lifecycle"].value == "retired"
    assert evaluate(cat, rub, chat, date(2024, 6, 12)).model("gpt-3.5-turbo-0301").computed["lifecycle"].value != "retired"


# -- the current catalog (the default) -----------------------------------------------------------

def _facts(obj, inherited=(None, None, None)):
    """(source, as_of, grade) of every fact in ``obj``, each with what its groups lend it."""
    from pydantic import BaseModel

    from model_scorecard.schema.base import Fact, Provenance

    if isinstance(obj, Fact):
        yield (obj.source or inherited[0], obj.as_of or inherited[1], obj.grade or inherited[2])
        return
    if isinstance(obj, Provenance):
        inherited = (obj.source or inherited[0], obj.as_of or inherited[1], obj.grade or inherited[2])
    if isinstance(obj, dict):
        for v in obj.values():
            yield from _facts(v, inherited)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _facts(v, inherited)
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _facts(getattr(obj, name), inherited)


def test_the_current_catalog_covers_what_teams_choose_between():
    cat = load_catalog()
    kinds = [m.kind for m in cat.models]
    assert len(cat.models) >= 35 and kinds.count("diffusion-image") >= 3 and kinds.count("diffusion-llm") >= 2
    vendors = {m.vendor.split(" (")[0] for m in cat.models}
    assert {"Anthropic", "OpenAI", "Google", "Meta", "DeepSeek", "Mistral AI", "Alibaba"} <= vendors
    assert all(m.checkpoint is not None for m in cat.models if m.kind in ("llm", "diffusion-llm"))


def test_every_current_fact_is_sourced_dated_and_graded():
    facts = [f for m in load_catalog().models for f in _facts(m)]
    assert len(facts) > 400
    assert sum(1 for s, _, _ in facts if s) / len(facts) >= 0.97
    assert sum(1 for _, d, _ in facts if d) / len(facts) >= 0.90
    assert all(g in ("first-party", "independent", "third-party") for _, _, g in facts)


def test_no_current_score_rests_on_the_access_mode():
    """Assumptions (data control and lifecycle inferred from open weights) are shown, counted nowhere:
    each layer's score is the weighted mean of the other known criteria (the rubric skips unknowns)."""
    report = evaluate(load_catalog(), load_rubric(), load_workload("chat"), date(2026, 11, 23))
    assumed = 0
    for m in report.models:
        for lid, layer in m.layers.items():
            if layer.score is None or layer.assessed_by:
                continue
            rows = [c for c in m.criteria if c.layer == lid and c.score is not None]
            assumed += sum(1 for c in rows if c.basis == "assumption")
            counted = [c for c in rows if c.basis != "assumption"]
            weight = sum(c.weight for c in counted)
            expected = sum(c.score * c.weight for c in counted) / weight if weight else 0.0
            assert layer.score == pytest.approx(expected, abs=0.051), (m.key, lid)
    assert assumed > 0  # the catalog has open weights whose data control is assumed


def test_the_current_catalog_validates(cli):
    result = cli("validate", REPO / "catalogs" / "current.yaml")
    assert result.exit_code == 0, result.output


def test_shipped_files_cite_no_unshipped_notes():
    """Code, data and docs cite docs/domain.md or a primary source, never the design notes and
    seed documents that stay outside the repository (a reader could not follow them)."""
    unshipped = ("DOMAIN.md", "DESIGN.md", "STYLE.md", "seeds/")
    files = [REPO / "README.md", *(p for folder in ("src", "docs") for p in (REPO / folder).rglob("*"))]
    found = []
    for path in files:
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            found += [f"{path.relative_to(REPO)}:{number}: {name}" for name in unshipped if name in line]
    assert not found, "\n".join(found)


def test_dependencies_are_not_capped_without_a_named_breaking_release():
    """A user installs the newest releases; an upper bound needs a comment naming what broke."""
    import re

    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    project = tomllib.loads(text)["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    capped = [r for r in requirements if re.search(r"<|~=|==", r)]
    for requirement in capped:
        line = next(i for i, l in enumerate(text.splitlines()) if requirement in l)
        comment = text.splitlines()[line - 1].strip()
        assert comment.startswith("#") and re.search(r"\d+\.\d+", comment), (
            f"{requirement} is capped without a comment above it naming the release that broke the tool")


def test_bundled_yaml_reads_in_other_yaml_readers_too():
    """Teams read the catalogs with their own tools: PyYAML (YAML 1.1, stricter about `?` and
    `:` in plain scalars of flow mappings) must parse every bundled file."""
    import yaml

    files = [*REPO.glob("catalogs/*.yaml"), *REPO.glob("rubrics/**/*.yaml"), *REPO.glob("examples/*.yaml"),
             *(REPO / "src" / "model_scorecard" / "data").glob("*.yaml")]
    assert len(files) > 10
    for path in files:
        assert yaml.safe_load(path.read_text(encoding="utf-8")) is not None, path
