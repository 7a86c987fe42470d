"""Loading shortlists: paths relative to the file, every problem located as file:line:col."""

from __future__ import annotations

import pytest

from model_scorecard.errors import InvalidInput
from model_scorecard.schema.shortlist import load_shortlist

from ..gatekit import line_of, model


def test_bare_ids_and_requirements_with_shared_defaults(files):
    path = files.standard("""
        - alpha
        - id: beta
          min_total: 20
          safety_compliance: 4.5
          notes: [first, second]
        """, header="require:\n  no_red_flags: true\n  safety_compliance: 3\n")
    loaded = load_shortlist(path)
    alpha, beta = loaded.shortlist.candidates
    assert alpha.id == "alpha" and alpha.min_total is None
    assert loaded.requirements(alpha).model_dump(exclude_none=True) == {"no_red_flags": True, "safety_compliance": 3}
    assert loaded.requirements(beta).model_dump(exclude_none=True) == {
        "min_total": 20, "no_red_flags": True, "safety_compliance": 4.5}
    assert [m.id for m in loaded.catalog.models] == ["alpha", "beta"]  # the candidates only, in shortlist order
    assert loaded.positions["beta"].line == line_of(path, "id: beta")
    assert loaded.rubric.name == "gate-test" and loaded.workload.name == "chat"


def test_paths_are_relative_to_the_shortlist_not_the_working_directory(files, tmp_path, monkeypatch):
    files.catalog(name="data/catalog.yaml")
    files.catalog(model("extra", 90), name="data/more.yaml")
    files.rubric(name="rubrics/team.yaml")
    path = files.shortlist("- alpha\n- extra\n", name="ci/shortlist.yaml",
                           catalog="[../data/catalog.yaml, ../data/more.yaml]", rubric="../rubrics/team.yaml")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    loaded = load_shortlist(path)
    assert [m.id for m in loaded.catalog.models] == ["alpha", "extra"]
    assert len(loaded.catalog_paths) == 2 and (tmp_path / "rubrics" / "team.yaml") in loaded.input_paths


def test_inline_workload(files):
    path = files.standard("- alpha\n", header="workload:\n  input_tokens: 4000\n  output_tokens: 100\n")
    workload = load_shortlist(path).workload
    assert (workload.name, workload.input_tokens, workload.output_tokens) == ("inline", 4000, 100)


def _problems(path) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        load_shortlist(path)
    return [str(p) for p in info.value.problems]


def test_unknown_candidate_is_located_with_a_suggestion(files):
    path = files.standard("- alpha\n- id: gamm\n  min_total: 20\n")
    (problem,) = _problems(path)
    assert problem.startswith(f"{path}:{line_of(path, 'id: gamm')}:")
    assert "no model 'gamm'" in problem and "did you mean 'gamma'" in problem


def test_every_problem_at_once(files):
    """Schema problems all together; once the file is well formed, every reference problem."""
    path = files.standard("""
        - alpha
        - id: beta
          safety_complance: 4
        - id: gamma
          capability: 7
        """)
    text = "\n".join(_problems(path))
    assert f":{line_of(path, 'safety_complance: 4')}:" in text and "did you mean 'safety_compliance'" in text
    assert f":{line_of(path, 'capability: 7')}:" in text
    path = files.standard("- alpha\n- alpha\n- nobody\n- id: nemo\n")
    problems = _problems(path)
    assert len(problems) == 3
    assert "listed twice" in problems[0] and "no model 'nobody'" in problems[1] and "no model 'nemo'" in problems[2]


def test_missing_catalog_rubric_and_workload_files(files):
    files.rubric()
    path = files.shortlist("- alpha\n", catalog="nowhere.yaml", rubric="missing/rubric.yaml",
                           header="workload: loads/heavy.yaml\n")
    text = "\n".join(_problems(path))
    assert f"{path}:{line_of(path, 'catalog:')}:" in text and "catalog 'nowhere.yaml' not found" in text
    assert f"{path}:{line_of(path, 'rubric:')}:" in text and "workload file 'loads/heavy.yaml' not found" in text


def test_unknown_preset_and_bad_inline_workload(files):
    path = files.standard("- alpha\n", header="workload: chatt\n")
    (problem,) = _problems(path)
    assert "unknown workload 'chatt'" in problem and "did you mean 'chat'" in problem
    path = files.standard("- alpha\n", header="workload:\n  input_tokens: lots\n")
    (problem,) = _problems(path)
    assert f":{line_of(path, 'input_tokens: lots')}:" in problem and "workload.input_tokens" in problem


def test_model_ids_must_be_unique_across_catalogs(files):
    files.catalog(name="a.yaml")
    files.catalog(model("alpha", 50), name="b.yaml")
    files.rubric()
    path = files.shortlist("- alpha\n", catalog="[a.yaml, b.yaml]")
    (problem,) = _problems(path)
    assert "'alpha' is in both a.yaml and b.yaml" in problem


def test_structural_problems(files):
    files.catalog()
    files.rubric()
    assert "expected a shortlist" in _problems(files.write("s.yaml", "- just\n- a list\n"))[0]
    text = "\n".join(_problems(files.write("s.yaml", "schema_version: 1\ncatalog: catalog.yaml\ncandidates: []\n")))
    assert "candidates" in text
    wrong_version = "schema_version: 2\ncatalog: catalog.yaml\ncandidates: [alpha]\n"
    text = "\n".join(_problems(files.write("s.yaml", wrong_version)))
    assert "schema_version" in text


def test_a_broken_catalog_is_reported_at_its_own_lines(files):
    files.rubric()
    files.write("catalog.yaml", "schema_version: 1\nmodels:\n  - id: alpha\n    name: a\n    vendor: v\n"
                "    kind: llm\n    access: api\n    params: lots\n")
    path = files.shortlist("- alpha\n")
    (problem,) = _problems(path)
    assert problem.startswith(f"{files.root / 'catalog.yaml'}:8:")
