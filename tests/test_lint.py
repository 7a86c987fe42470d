"""The arithmetic lint: every slip of docs/domain.md §9 is caught with its recomputed figure,
correct figures pass, findings point at the claimed value, and `scorecard validate` exits
2 on an arithmetic error (0 with --no-lint)."""

from __future__ import annotations

from datetime import date

import pytest

from model_scorecard.errors import InvalidInput
from model_scorecard.lint import RULES, lint_file
from model_scorecard.schema.validate import validate_file

from .conftest import REPO

HEADER = "schema_version: 1\nmodels: []\nclaims:\n  source: seed 000, section 5\n"

# The seed's "Cost Curves" and "Carbon side note", written down as stated.
SEED = HEADER + """\
  cost:
    - label: Dense-70B on 8×A100
      tokens: 1B
      usd: 311
      usd_per_1k: 0.25
    - {label: MoE-8×7B on 8×A100, tokens: 1B, usd: 274, usd_per_1k: 0.22}
  carbon:
    - id: a100
      gpu: A100
      kg_co2e_per_gpu_hour: 0.68
      carbon_price_eur_per_t: 65
      tax_eur_per_gpu_hour: 0.029
    - id: h100
      gpu: H100
      kg_co2e_per_gpu_hour: 0.45
  carbon_comparisons:
    - of: h100
      against: a100
      throughput_ratio: 2.3
      co2e_per_token_change_pct: -60
"""


def lint(write, text: str):
    return lint_file(write("c.yaml", text))


def by_field(findings):
    return {f.field: f for f in findings}


def position(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based line and column of the value that follows ``needle`` on its line."""
    lines = text.splitlines()
    hits = [(i, line.index(needle)) for i, line in enumerate(lines) if needle in line]
    i, col = hits[nth]
    return i + 1, col + len(needle) + 1


# -- the seed's slips, one by one -----------------------------------------------------------

def test_the_seed_section_is_caught_at_every_slip(write):
    findings = by_field(lint(write, SEED))
    assert set(findings) == {
        "claims.cost[0].usd_per_1k", "claims.cost[1].usd_per_1k", "claims.carbon[0].tax_eur_per_gpu_hour",
        "claims.carbon[1].kg_co2e_per_gpu_hour", "claims.carbon_comparisons[0].co2e_per_token_change_pct",
    }
    assert all(f.severity == "error" for f in findings.values())


def test_price_per_1k_of_a_1b_token_test(write):
    f = by_field(lint(write, SEED))["claims.cost[0].usd_per_1k"]
    assert f.rule == "cost-per-1k"
    assert "claimed $0.25 per 1k" in f.message and "$0.000311 per 1k" in f.message
    assert "usd / tokens × 1000 = 311 / 1,000,000,000 × 1000" in f.message
    assert "$0.311 per 1M" in f.message  # what the 0.25 most likely was
    assert (f.line, f.column) == position(SEED, "usd_per_1k: ")
    moe = by_field(lint(write, SEED))["claims.cost[1].usd_per_1k"]
    assert "$0.000274 per 1k" in moe.message and (moe.line, moe.column) == position(SEED, "usd_per_1k: ", 1)


@pytest.mark.parametrize("per_1k", ["0.000311", "0.00031", "0.0003", "3.11e-4"])
def test_a_correct_price_per_1k_passes_at_its_rounding(write, per_1k):
    assert lint(write, HEADER + f"  cost:\n    - {{tokens: 1B, usd: 311, usd_per_1k: {per_1k}}}\n") == []


@pytest.mark.parametrize("per_1k", ["0.0004", "0.000300", "0.311", "311"])
def test_wrong_digits_are_not_excused_as_rounding(write, per_1k):
    findings = lint(write, HEADER + f"  cost:\n    - {{tokens: 1B, usd: 311, usd_per_1k: {per_1k}}}\n")
    assert [f.rule for f in findings] == ["cost-per-1k"]


def test_carbon_tax_is_kg_times_price_per_tonne(write):
    f = by_field(lint(write, SEED))["claims.carbon[0].tax_eur_per_gpu_hour"]
    assert f.rule == "carbon-tax"
    assert "claimed €0.029 per A100-hour" in f.message and "0.68 kg × €65/t = €0.0442" in f.message
    assert "€0.029 is the H100 figure (0.45 kg × €65/t = €0.0293)" in f.message
    assert (f.line, f.column) == position(SEED, "tax_eur_per_gpu_hour: ")


@pytest.mark.parametrize("kg, tax", [(0.68, 0.044), (0.68, 0.0442), (0.68, 0.04), (0.45, 0.029), (0.45, 0.0293)])
def test_a_correct_carbon_tax_passes(write, kg, tax):
    text = HEADER + f"""\
  carbon:
    - {{id: x, gpu: A100, kg_co2e_per_gpu_hour: {kg}, carbon_price_eur_per_t: 65, tax_eur_per_gpu_hour: {tax}}}
"""
    assert lint(write, text) == []


def test_a_tax_off_by_1000_says_so(write):
    text = HEADER + """\
  carbon:
    - {id: x, gpu: A100, kg_co2e_per_gpu_hour: 0.68, carbon_price_eur_per_t: 65, tax_eur_per_gpu_hour: 44.2}
"""
    (f,) = lint(write, text)
    assert "€0.0442" in f.message and "about 1000× too high" in f.message


def test_h100_and_a100_figures_cannot_both_hold_on_one_grid(write):
    f = by_field(lint(write, SEED))["claims.carbon[1].kg_co2e_per_gpu_hour"]
    assert f.rule == "carbon-same-site"
    assert "0.45 / 0.68 = 0.662" in f.message and "700 W / 400 W = 1.75" in f.message
    assert "cannot hold on one grid" in f.message
    assert (f.line, f.column) == position(SEED, "kg_co2e_per_gpu_hour: ", 1)


def test_per_token_carbon_double_count(write):
    f = by_field(lint(write, SEED))["claims.carbon_comparisons[0].co2e_per_token_change_pct"]
    assert f.rule == "carbon-per-token"
    assert "claimed -60%" in f.message
    assert "(0.45 / 0.68) / 2.3 = 0.288 → -71%" in f.message  # what the stated figures say
    assert "(700 W / 400 W) / 2.3 = 0.761 → -24%" in f.message  # same-site physics
    assert "twice" in f.message
    assert (f.line, f.column) == position(SEED, "co2e_per_token_change_pct: ")


def test_claiming_what_the_figures_say_is_still_a_double_count(write):
    text = SEED.replace("co2e_per_token_change_pct: -60", "co2e_per_token_change_pct: -71")
    f = by_field(lint(write, text))["claims.carbon_comparisons[0].co2e_per_token_change_pct"]
    assert "that is (0.45 / 0.68) / 2.3 = 0.288 → -71%" in f.message and "→ -24%" in f.message


def test_the_same_site_figure_passes_the_per_token_rule(write):
    text = SEED.replace("co2e_per_token_change_pct: -60", "co2e_per_token_change_pct: -24")
    rules = {f.field: f.rule for f in lint(write, text)}
    assert "claims.carbon_comparisons[0].co2e_per_token_change_pct" not in rules
    assert rules["claims.carbon[1].kg_co2e_per_gpu_hour"] == "carbon-same-site"  # the kg figures stay wrong


def test_figures_from_different_sites_are_only_checked_for_arithmetic(write):
    different = SEED.replace("      against: a100\n", "      against: a100\n      same_site: false\n")
    f = by_field(lint(write, different))["claims.carbon_comparisons[0].co2e_per_token_change_pct"]
    assert "claimed -60%" in f.message and "→ -71%" in f.message and "-24%" not in f.message
    assert "claims.carbon[1].kg_co2e_per_gpu_hour" not in by_field(lint(write, different))
    right = different.replace("co2e_per_token_change_pct: -60", "co2e_per_token_change_pct: -71")
    assert "claims.carbon_comparisons[0].co2e_per_token_change_pct" not in by_field(lint(write, right))


def test_consistent_same_site_figures_pass(write):
    # 700 W vs 400 W on one grid: 1.75× the kg per GPU-hour; 2.3× throughput → 24% less per token
    text = HEADER + """\
  carbon:
    - {id: a100, gpu: A100, kg_co2e_per_gpu_hour: 0.4}
    - {id: h100, gpu: H100 SXM, kg_co2e_per_gpu_hour: 0.7}
  carbon_comparisons:
    - {of: h100, against: a100, throughput_ratio: 2.3, co2e_per_token_change_pct: -24}
"""
    assert lint(write, text) == []


# -- kg per GPU-hour against power ----------------------------------------------------------

def carbon(**fields: object) -> str:
    body = ", ".join(f"{k}: {v}" for k, v in {"id": "x", "gpu": "A100", **fields}.items())
    return HEADER + f"  carbon:\n    - {{{body}}}\n"


def test_kg_per_gpu_hour_that_needs_more_than_the_gpu_can_draw(write):
    (f,) = lint(write, carbon(kg_co2e_per_gpu_hour=0.68, grid_g_co2e_per_kwh=56, pue=1.2))
    assert f.rule == "carbon-power" and f.severity == "error"
    assert "0.68 kg × 10^6 / (56 g/kWh × PUE 1.2) = 10,119 W" in f.message
    assert "TDP 400 W" in f.message and "at most 800 W" in f.message


def test_an_unstated_pue_is_given_the_benefit_of_the_doubt(write):
    (f,) = lint(write, carbon(kg_co2e_per_gpu_hour=0.68, grid_g_co2e_per_kwh=381))
    assert "PUE 1–2 (not stated)" in f.message and "892–1,785 W" in f.message
    assert lint(write, carbon(kg_co2e_per_gpu_hour=0.5, grid_g_co2e_per_kwh=381)) == []  # 656 W at PUE 2


@pytest.mark.parametrize("kg, grid, pue", [(0.2, 381, 1.2), (0.68, 700, 1.58), (0.15, 214, 1.1)])
def test_plausible_kg_per_gpu_hour_passes(write, kg, grid, pue):
    assert lint(write, carbon(kg_co2e_per_gpu_hour=kg, grid_g_co2e_per_kwh=grid, pue=pue)) == []


def test_kg_per_gpu_hour_below_idle_power_is_a_warning(write):
    (f,) = lint(write, carbon(gpu="H100", kg_co2e_per_gpu_hour=0.01, grid_g_co2e_per_kwh=381, pue=1.2))
    assert f.severity == "warning" and f.rule == "carbon-power" and "idle" in f.message


def test_stated_power_is_checked_exactly(write):
    assert lint(write, carbon(kg_co2e_per_gpu_hour=0.22, power_w=500, grid_g_co2e_per_kwh=400, pue=1.1)) == []
    (f,) = lint(write, carbon(kg_co2e_per_gpu_hour=0.5, power_w=500, grid_g_co2e_per_kwh=400, pue=1.1))
    assert f.severity == "error" and "500 W × 400 g/kWh × PUE 1.1 / 10^6 = 0.22 kg" in f.message


def test_no_grid_no_power_check(write):
    assert lint(write, carbon(kg_co2e_per_gpu_hour=50)) == []


# -- a model's cost claims against its list prices ------------------------------------------

ENTRY = """\
schema_version: 1
models:
  - id: m
    name: M
    vendor: V
    kind: llm
    access: api
    pricing:
      input_per_1m: 10
      output_per_1m: 30
    cost_claims:
"""


@pytest.mark.parametrize("claim", [
    "{basis: input, usd_per_1k: 0.01}",
    "{basis: output, usd_per_1k: 0.03}",
    "{basis: output, tokens: 1M, usd: 30}",
    "{basis: blended, input_tokens: 2000, output_tokens: 500, usd_per_1k: 0.014}",
    "{basis: input, tokens: 1B, usd: 10000, usd_per_1k: 0.01}",
    "{usd_per_1k: 0.5}",  # no basis: nothing to compare with
])
def test_cost_claims_that_follow_the_list_price_pass(write, claim):
    assert lint(write, ENTRY + f"      - {claim}\n") == []


def test_a_per_1m_price_written_as_per_1k(write):
    text = ENTRY + "      - {basis: input, usd_per_1k: 10}\n"
    (f,) = lint(write, text)
    assert f.rule == "cost-vs-pricing" and f.field == "models[0].cost_claims[0].usd_per_1k"
    assert "claimed $10 per 1k" in f.message and "$0.01 per 1k" in f.message
    assert "pricing.input_per_1m $10 per 1M (line 9) / 1000" in f.message and "1000× too high" in f.message
    assert (f.line, f.column) == position(text, "usd_per_1k: ")


def test_a_blended_claim_is_recomputed_from_the_mix(write):
    (f,) = lint(write, ENTRY + "      - {basis: blended, input_tokens: 2000, output_tokens: 500, usd_per_1k: 0.02}\n")
    assert "$0.014 per 1k" in f.message and "(2,000 × 10 + 500 × 30) / 2,500 / 1000" in f.message


def test_a_cost_for_n_tokens_against_the_list_price(write):
    (f,) = lint(write, ENTRY + "      - {basis: output, tokens: 1M, usd: 0.03}\n")
    assert f.field == "models[0].cost_claims[0].usd" and "the list price gives $30" in f.message
    assert "1000× too low" in f.message


def test_a_claim_wrong_in_itself_is_reported_once(write):
    findings = lint(write, ENTRY + "      - {basis: input, tokens: 1B, usd: 10000, usd_per_1k: 10}\n")
    assert [f.rule for f in findings] == ["cost-per-1k"]


def test_a_basis_without_that_price_is_a_warning(write):
    (f,) = lint(write, ENTRY + "      - {basis: cached_input, usd_per_1k: 0.005}\n")
    assert f.severity == "warning" and "pricing.cached_input_per_1m is not given" in f.message


# -- references, GPUs, schema ---------------------------------------------------------------

def test_comparisons_name_existing_claims(write):
    text = SEED.replace("of: h100", "of: h10")
    f = by_field(lint(write, text))["claims.carbon_comparisons[0].of"]
    assert f.rule == "claim-reference" and "no carbon claim 'h10'; did you mean 'h100'?" in f.message
    dup = SEED.replace("id: h100", "id: a100").replace("of: h100", "of: a100")
    assert by_field(lint(write, dup))["claims.carbon[1].id"].rule == "claim-reference"


def test_an_unknown_gpu_is_a_warning_unless_power_is_stated(write):
    (f,) = lint(write, carbon(gpu='"Z9000"', kg_co2e_per_gpu_hour=0.3, grid_g_co2e_per_kwh=381))
    assert f.rule == "unknown-gpu" and f.severity == "warning" and "Z9000" in f.message
    assert lint(write, carbon(gpu='"Z9000"', power_w=600, kg_co2e_per_gpu_hour=0.3, grid_g_co2e_per_kwh=400,
                              pue=1.25)) == []
    # only a rule that needs the GPU's power reports it: a tax needs none
    assert lint(write, carbon(gpu='"Z9000"', kg_co2e_per_gpu_hour=0.3, carbon_price_eur_per_t=65,
                              tax_eur_per_gpu_hour=0.0195)) == []


@pytest.mark.parametrize("claim, message", [
    ("  cost:\n    - {tokens: 1B, usd_per_1k: 0.1, usd_total: 3}\n", "unknown field 'usd_total'"),
    ("  cost:\n    - {usd: 311}\n", "give `usd` and `tokens` together"),
    ("  cost:\n    - {label: nothing stated}\n", "needs `usd_per_1k`, or `usd` with `tokens`"),
    ("  carbon:\n    - {id: x, gpu: A100, kg_co2e_per_gpu_hour: 0.68, tax_eur_per_gpu_hour: 0.04}\n",
     "needs the carbon_price_eur_per_t"),
])
def test_claims_that_cannot_be_checked_are_invalid(write, claim, message):
    with pytest.raises(InvalidInput) as exc:
        validate_file(write("c.yaml", HEADER + claim))
    assert any(message in p.message and p.line == 6 for p in exc.value.problems)


def test_a_blended_claim_needs_its_mix(write):
    with pytest.raises(InvalidInput) as exc:
        validate_file(write("c.yaml", ENTRY + "      - {basis: blended, usd_per_1k: 0.02}\n"))
    assert "needs input_tokens and output_tokens" in str(exc.value)


def test_every_rule_is_documented_and_exercised(write):
    seen = {f.rule for f in lint(write, SEED)}
    seen |= {f.rule for f in lint(write, ENTRY + "      - {basis: input, usd_per_1k: 10}\n")}
    seen |= {f.rule for f in lint(write, carbon(kg_co2e_per_gpu_hour=0.68, grid_g_co2e_per_kwh=56))}
    seen |= {f.rule for f in lint(write, SEED.replace("of: h100", "of: nope"))}
    seen |= {f.rule for f in lint(write, carbon(gpu="Z9000", kg_co2e_per_gpu_hour=0.3, grid_g_co2e_per_kwh=381))}
    from model_scorecard.schema.load import load_rubric

    protocol = ENTRY.replace("    cost_claims:\n", "    benchmarks:\n      mmlu_pro: {value: 80, n_shot: 0}\n")
    seen |= {f.rule for f in lint_file(write("p.yaml", protocol), rubric=load_rubric("production"))}
    seen |= {f.rule for f in lint_file(write("h.yaml", HYGIENE), rubric=load_rubric("production"), today=TODAY)}
    assert seen == set(RULES)


# -- catalog hygiene (validate lints with the production rubric) ------------------------------

TODAY = date(2026, 12, 5)
HYGIENE = """\
schema_version: 1
models:
  - id: m
    name: M
    vendor: V
    kind: llm
    access: api
    benchmarks:
      gpqa: {value: 60, source: "https://news.example/copy", grade: third-party}
      mmlu_pro: {value: 80, source: "https://vendor.example/card"}
    pricing:
      source: "https://vendor.example/pricing"
      as_of: 2025-06
      input_per_1m: 1
      output_per_1m: 2
"""


def hygiene(write, text: str, today: date = TODAY):
    from model_scorecard.schema.load import load_rubric

    return lint_file(write("h.yaml", text), rubric=load_rubric("production"), today=today)


def test_an_llm_without_a_checkpoint_type_is_an_error(write, cli):
    found = {f.rule: f for f in hygiene(write, HYGIENE)}
    assert found["checkpoint-required"].severity == "error" and found["checkpoint-required"].line == 3
    fixed = HYGIENE.replace("    access: api\n", "    access: api\n    checkpoint: instruct\n")
    assert "checkpoint-required" not in {f.rule for f in hygiene(write, fixed)}
    result = cli("validate", write("h.yaml", HYGIENE))
    assert result.exit_code == 2 and "h.yaml:3:5" in result.output and "checkpoint" in result.output


def test_a_scored_fact_sourced_only_by_a_third_party_is_named(write):
    found = [f for f in hygiene(write, HYGIENE) if f.rule == "third-party-only"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert "benchmarks.gpqa" in found[0].message and "benchmarks.mmlu_pro" not in found[0].message


def test_a_price_older_than_a_year_is_stale(write):
    found = [f for f in hygiene(write, HYGIENE) if f.rule == "stale-fact"]
    assert len(found) == 1 and "input_per_1m (2025-06)" in found[0].message and found[0].line == 12
    # "2025-06" is stale only once all of June 2025 is more than a year old
    assert not [f for f in hygiene(write, HYGIENE, today=date(2026, 6, 30)) if f.rule == "stale-fact"]
    assert [f for f in hygiene(write, HYGIENE, today=date(2026, 7, 1)) if f.rule == "stale-fact"]


def test_a_benchmark_that_does_not_state_the_scored_protocol_is_named(write):
    found = [f for f in hygiene(write, HYGIENE) if f.rule == "benchmark-protocol"]
    assert {f.field for f in found} == {"models[0].benchmarks.gpqa", "models[0].benchmarks.mmlu_pro"}
    assert all("does not state" in f.message for f in found)


def test_active_params_above_params_is_an_error(write, cli):
    text = HYGIENE.replace("    access: api\n", "    access: open-weights\n    params: 7B\n    active_params: 13B\n")
    result = cli("validate", write("moe.yaml", text))
    assert result.exit_code == 2 and "moe.yaml:9:20" in result.output and "active_params" in result.output


@pytest.mark.parametrize("path", sorted((REPO / "catalogs").glob("*.yaml")) + sorted((REPO / "examples").glob("*catalog*.yaml")),
                         ids=lambda p: p.name)
def test_bundled_catalogs_lint_clean(path):
    assert lint_file(path) == []


# -- scorecard validate ---------------------------------------------------------------------

def test_validate_exits_2_on_an_arithmetic_slip_and_prints_where(cli, write):
    path = write("seed.yaml", SEED)
    result = cli("validate", path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    line, col = position(SEED, "tax_eur_per_gpu_hour: ")
    assert (f"{path}:{line}:{col}: claims.carbon[0].tax_eur_per_gpu_hour: error: claimed €0.029 per A100-hour"
            in result.stderr)
    assert f"ok      {path}" not in result.stdout


def test_validate_no_lint_skips_the_arithmetic(cli, write):
    path = write("seed.yaml", SEED)
    result = cli("validate", "--no-lint", path)
    assert result.exit_code == 0 and f"ok      {path} (catalog)" in result.stdout


def test_validate_passes_correct_figures_and_prints_warnings(cli, write):
    clean = write("clean.yaml", HEADER + "  cost:\n    - {tokens: 1B, usd: 311, usd_per_1k: 0.000311}\n")
    warned = write("warned.yaml", carbon(gpu="H100", kg_co2e_per_gpu_hour=0.01, grid_g_co2e_per_kwh=381, pue=1.2))
    result = cli("validate", clean, warned, REPO / "catalogs" / "roadmap-2024.yaml", REPO / "examples" / "team-catalog.yaml")
    assert result.exit_code == 0, result.output
    assert f"ok      {clean} (catalog)" in result.stdout and f"ok      {warned} (catalog)" in result.stdout
    assert f"{warned}:6:" in result.stderr and "warning:" in result.stderr and "[carbon-power]" in result.stderr


def test_the_readme_example_lints_clean(write):
    import re
    import textwrap

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(\s*claims:.*?)```", readme, re.S)
    assert block, "README.md has a claims: example"
    assert lint(write, "schema_version: 1\nmodels: []\n" + textwrap.dedent(block.group(1))) == []
