from __future__ import annotations

import pytest

from model_scorecard.errors import InvalidInput, UserError
from model_scorecard.schema.load import load_catalog, load_rubric
from model_scorecard.schema.validate import validate_file
from model_scorecard.schema.workload import load_workload

GOOD = """
schema_version: 1
models:
  - id: small
    name: Small
    vendor: Acme
    kind: llm
    access: [api, open-weights]
    params: 7.2b
    context_window: 128K
    benchmarks:
      mmlu: 61.5
      gsm8k: {value: 50, n_shot: 8, source: https://example.org/card, as_of: 2024-04}
    pricing: {input_per_1m: 0.5, output_per_1m: 1.5, source: https://example.org/prices, as_of: 2024-05-01}
    operations: {shutdown_date: 2025-01-31}
"""


def problem_lines(path) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        load_catalog(path)
    return [str(p) for p in info.value.problems]


def test_a_good_catalog_loads_with_units_and_provenance(write):
    cat = load_catalog(write("c.yaml", GOOD))
    m = cat.models[0]
    assert m.params.value == 7_200_000_000
    assert m.context_window.value == 131_072
    assert m.access == ("api", "open-weights")
    assert m.benchmarks["gsm8k"].n_shot == 8
    assert m.pricing.source == "https://example.org/prices"
    assert m.operations.shutdown_date.value.isoformat() == "2025-01-31"
    assert m.compliance.soc2_type2 is None  # missing is unknown, not false


def test_every_problem_is_named_with_file_line_column_and_field(write):
    path = write("catalog.yaml", """
        schema_version: 1
        models:
          - id: a
            name: A
            vendor: Acme
            kind: lm
            access: api
            parms: 70B
          - id: a
            name: B
            vendor: Acme
            kind: llm
            access: api
            params: -5B
            context_window: .nan
            benchmarks: {mmlu: "82"}
            compliance: {uptime_sla_pct: 120, soc2_type2: yes}
            pricing: {input_per_1m: -1}
    """)
    lines = problem_lines(path)
    f = str(path)
    expected = [
        f"{f}:6:11: models[0].kind: must be one of 'llm', 'diffusion-image', 'diffusion-llm', 'embedding' or 'speech' (got 'lm')",
        f"{f}:8:5: models[0].parms: unknown field 'parms'; did you mean 'params'?",
        f"{f}:14:13: models[1].params: '-5B' is not a parameter count",
        f"{f}:15:21: models[1].context_window: token count must be a finite number",
        f"{f}:16:24: models[1].benchmarks.mmlu: must be a number (got '82')",
        f"{f}:17:34: models[1].compliance.uptime_sla_pct: must be at most 100 (got 120)",
        f"{f}:17:51: models[1].compliance.soc2_type2: must be true or false (got 'yes')",
        f"{f}:18:29: models[1].pricing.input_per_1m: must be at least 0 (got -1)",
    ]
    for want in expected:
        assert any(line.startswith(want) for line in lines), f"{want}\nnot in\n" + "\n".join(lines)
    assert len(lines) == len(expected)


def test_duplicate_ids_are_reported_at_the_second(write):
    path = write("c.yaml", "schema_version: 1\nmodels:\n" + """
  - {id: x, name: X, vendor: V, kind: llm, access: api}
  - {id: y, name: Y, vendor: V, kind: llm, access: api}
  - {id: x, name: X2, vendor: V, kind: llm, access: api}
""")
    assert problem_lines(path) == [f"{path}:6:10: models[2].id: duplicate id 'x' (first at models[0])"]


def test_missing_required_fields_and_wrong_top_level(write):
    lines = problem_lines(write("c.yaml", "schema_version: 1\nmodels:\n  - id: x\n"))
    assert any("models[0].name: required field is missing" in line for line in lines)
    assert problem_lines(write("list.yaml", "- a\n- b\n"))[0].endswith("expected a catalog (a YAML mapping at the top level)")


def test_nan_and_infinity_are_rejected(write):
    lines = problem_lines(write("c.yaml", "schema_version: 1\nmodels:\n  - {id: x, name: X, vendor: V, kind: llm, access: api, "
                                          "benchmarks: {mmlu: .nan, gsm8k: .inf}}\n"))
    assert len(lines) == 2 and all("finite number" in line for line in lines)


def test_assessment_must_name_a_criterion_or_a_known_layer(write):
    path = write("c.yaml", """
        schema_version: 1
        models:
          - id: x
            name: X
            vendor: V
            kind: llm
            access: api
            assessments:
              - {layer: capabilty, score: 4, reason: tried it, reviewer: me, date: 2026-01-01}
              - {score: 4, reason: tried it, reviewer: me, date: 2026-01-01}
    """)
    lines = problem_lines(path)
    assert any("assessments[0].layer: unknown layer 'capabilty'; did you mean 'capability'?" in line for line in lines)
    assert any("assessments[1]: name either a `criterion` or a `layer`" in line for line in lines)


# -- rubrics ------------------------------------------------------------------------------

def test_bundled_rubric_by_name_and_default():
    assert load_rubric().name == load_rubric("production").name == "production"


def test_extends_merges_by_id_and_removes(write):
    path = write("team.yaml", """
        schema_version: 1
        name: team
        extends: production
        green_light: 22
        layers:
          capability:
            criteria:
              - id: gpqa
                weight: 3
              - id: long-context
                title: Long context
                field: context_window
                better: higher
                bands: [[200000, 5], [32000, 3]]
          ecosystem_moat:
            criteria:
              - id: hf-likes
                remove: true
    """)
    rubric = load_rubric(path)
    cap = {c.id: c for c in rubric.layers["capability"].criteria}
    assert rubric.name == "team" and rubric.green_light == 22
    parent = {c.id: c for c in load_rubric().layers["capability"].criteria}
    assert cap["gpqa"].weight == 3 and cap["gpqa"].bands == parent["gpqa"].bands
    assert "long-context" in cap
    assert "hf-likes" not in {c.id for c in rubric.layers["ecosystem_moat"].criteria}


def test_errors_in_a_child_rubric_point_into_the_child(write):
    path = write("team.yaml", """
        schema_version: 1
        name: team
        extends: production
        layers:
          capability:
            criteria:
              - id: gpqa
                bands: [[50, 5], [80, 4]]
              - id: new-one
                title: New
                feild: benchmarks.mmlu
                bool: {true: 5, false: 0}
              - id: other
                title: Other
                field: benchmarks.mmlu
                map: {a: 9}
    """)
    with pytest.raises(InvalidInput) as info:
        load_rubric(path)
    lines = [str(p) for p in info.value.problems]
    assert any(line.startswith(f"{path}:") and "list bands best first" in line for line in lines), lines
    n = len(load_rubric().layers["capability"].criteria)  # new criteria come after the parent's
    assert any(f"{path}:11:9: layers.capability.criteria[{n}].feild: unknown field 'feild'; did you mean 'field'?"
               in line for line in lines), lines
    assert any(f"criteria[{n + 1}].map.a: must be at most 5" in line for line in lines), lines


def test_field_paths_are_checked_against_the_schema(write):
    path = write("r.yaml", """
        schema_version: 1
        name: r
        extends: production
        layers:
          cost_to_serve:
            criteria:
              - id: price
                title: Price
                field: pricing.inptu_per_1m
                better: lower
                bands: [[1, 5]]
        red_flags:
          custom:
            title: Custom
            when: [{field: computed.nope, equals: 1}]
    """)
    with pytest.raises(InvalidInput) as info:
        load_rubric(path)
    lines = [str(p) for p in info.value.problems]
    assert any(":9:16:" in line and "'inptu_per_1m' is not a field of pricing; did you mean 'input_per_1m'?" in line for line in lines)
    assert any("red_flags.custom.when[0].field: 'computed.nope' is not a computed field" in line for line in lines)


def test_extends_cycles_and_unknown_parents(write):
    a = write("a.yaml", "schema_version: 1\nname: a\nextends: b.yaml\n")
    write("b.yaml", "schema_version: 1\nname: b\nextends: a.yaml\n")
    with pytest.raises(InvalidInput, match="cycle"):
        load_rubric(a)
    c = write("c.yaml", "schema_version: 1\nname: c\nextends: nowhere\n")
    with pytest.raises(InvalidInput) as info:
        load_rubric(c)
    assert "rubric 'nowhere' not found" in str(info.value)


def test_unknown_rubric_name():
    with pytest.raises(UserError, match="rubric 'nope' not found"):
        load_rubric("nope")


# -- workloads and detection --------------------------------------------------------------

def test_workload_presets_and_files(write):
    assert load_workload("voice").ttft_budget_ms == 150
    assert load_workload(None).name == "chat"
    assert load_workload("batch").ttft_budget_ms is None
    custom = load_workload(write("w.yaml", "name: rag\ninput_tokens: 8000\noutput_tokens: 300\nlanguages: [th]\n"))
    assert custom.input_tokens == 8000 and custom.languages == ["th"]
    with pytest.raises(UserError, match="unknown workload 'chatt'; did you mean 'chat'"):
        load_workload("chatt")


def test_validate_file_detects_the_kind(write):
    assert validate_file(write("c.yaml", GOOD)).kind == "catalog"
    assert validate_file(write("r.yaml", "schema_version: 1\nname: x\nextends: production\n")).kind == "rubric"
    with pytest.raises(InvalidInput, match="invalid input"):
        validate_file(write("x.yaml", "foo: 1\n"))


def test_our_words_cover_real_pydantic_error_types():
    """The plain messages are keyed by pydantic's error type codes: each key must be one."""
    from typing import get_args

    from pydantic_core.core_schema import ErrorType

    from model_scorecard.schema import located

    known = set(get_args(ErrorType))
    assert set(located._PLAIN) | set(located._BOUNDS) <= known
