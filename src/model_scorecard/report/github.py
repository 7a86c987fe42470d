"""GitHub Actions output of a gate result: a Markdown summary and workflow-command annotations.

- ``summary_markdown``: a compact verdict table and the reasons, opened by a stable HTML
  comment (``MARKER``) so a sticky-comment action can keep updating one pull-request
  comment. It stays under ``SUMMARY_LIMIT`` characters (a PR comment holds 65,536; a step
  summary 1 MiB): past the budget, rows and reasons are counted instead of shown.
- ``annotation_lines``: at most ``MAX_ANNOTATIONS`` ``::error`` lines, one per failing
  candidate at its line in the shortlist; past that the last line summarises the rest.
  Values are escaped as the runner expects (``%``, CR and LF everywhere; ``:`` and ``,``
  too in properties). Report-only gates (``--fail-on never``) annotate with ``::warning``.

Input text goes through the sink's helper in :mod:`.escape`: ``markdown_text`` in the summary
(no raw HTML, mentions, links or images in a PR comment), ``workflow_data`` and
``workflow_property`` in the annotations (no line break, so no second command).
"""

from __future__ import annotations

from model_scorecard.gate import RULES, CandidateOutcome, GateResult
from model_scorecard.report.escape import markdown_code as _code
from model_scorecard.report.escape import markdown_text as _cell
from model_scorecard.report.escape import workflow_data, workflow_property
from model_scorecard.report.text import LAYER_SHORT
from model_scorecard.schema.rubric import LAYER_IDS

MARKER = "<!-- model-scorecard:gate -->"
SUMMARY_LIMIT = 60_000          # characters; comfortably below a PR comment's 65,536
MAX_ANNOTATIONS = 10            # GitHub shows at most 10 error annotations per step
MAX_MESSAGE = 4_000
VERDICT_MARK = {"green-light": "✅ green-light", "not-green": "⚠️ not-green", "walk-away": "⛔ walk-away"}


def _score(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1f}"


def _status(c: CandidateOutcome, enforced: bool) -> str:
    if c.passed:
        return "✅ pass"
    return "❌ fail" if enforced else "⚠️ would fail"


def _row(c: CandidateOutcome, enforced: bool, with_baseline: bool) -> str:
    m = c.model
    cells = [_code(c.id, in_table=True), _status(c, enforced), VERDICT_MARK.get(m.verdict, m.verdict), _score(m.total),
             *(_score(m.layers[lid].score) for lid in LAYER_IDS), f"{m.confidence:.2f}",
             _cell(", ".join(f.id for f in m.red_flags)) or "—"]
    if with_baseline:
        cells.append("new" if c.comparison is None else f"{c.comparison.delta:+.1f}"
                     + ("" if c.comparison.verdict_before == m.verdict else f" (was {c.comparison.verdict_before})"))
    return "| " + " | ".join(cells) + " |"


def summary_markdown(result: GateResult, limit: int = SUMMARY_LIMIT) -> str:
    """The verdict as GitHub-flavoured Markdown, never longer than ``limit`` characters."""
    enforced = result.policy.enforced
    icon = "✅" if result.passed and not result.failing else ("❌" if not result.passed else "⚠️")
    report = result.report
    head = [MARKER, f"## {icon} Model gate: {_cell(result.name[:200])}", "", f"**{_cell(result.verdict_line())}**", ""]
    with_baseline = result.baseline is not None
    columns = ["Candidate", "Gate", "Verdict", "Total", *(LAYER_SHORT[lid] for lid in LAYER_IDS), "Conf.", "Red flags"]
    aligns = ["---", "---", "---", "---:", *["---:"] * len(LAYER_IDS), "---:", "---"]
    if with_baseline:
        columns.append("Δ baseline")
        aligns.append("---:")
    table_head = ["| " + " | ".join(columns) + " |", "|" + "|".join(aligns) + "|"]
    when = {"--as-of": "set by --as-of", "shortlist": "the shortlist's as_of", "today": "today"}[result.as_of_source]
    policy = result.policy
    foot = ["", f"<sub>{_cell(result.shortlist_file[-300:])} · rubric {_cell(report.rubric_name)} (green light ≥ "
            f"{report.green_light:g}) · workload {_cell(report.workload.name)} · evaluated on "
            f"{report.as_of.isoformat()} ({when}) · fail on {policy.fail_on}"
            + (" · strict" if policy.strict else "")
            + (f" · min total {policy.min_total:g}" if policy.min_total is not None else "")
            + (f" · tolerance {policy.tolerance:g}" if with_baseline else "")
            + " · model-scorecard</sub>"]

    budget = limit - sum(len(s) + 1 for s in head + table_head + foot) - 400  # room for "not shown" notes
    body: list[str] = []
    rows_shown = 0
    for c in result.candidates:
        row = _row(c, enforced, with_baseline)
        if len(row) + 1 > budget:
            break
        body.append(row)
        budget -= len(row) + 1
        rows_shown += 1
    if rows_shown < len(result.candidates):
        body.append(f"\n_{len(result.candidates) - rows_shown} more candidate(s) not shown; "
                    "see the JSON result for all of them._")

    details: list[str] = []
    failing = result.failing
    if failing:
        details += ["", "### Why " + ("they fail" if enforced else "they would fail"), ""]
        for c in failing:
            where = f" (line {c.where.line})" if c.where.line else ""
            block = [f"- **{_code(c.id)}**{where}"]
            block += [f"  - **{RULES[f.rule].title if f.rule in RULES else _cell(f.rule)}**: {_cell(f.message)}"
                      for f in c.failing]
            size = sum(len(s) + 1 for s in block)
            if size > budget:
                details.append(f"- … reasons for {len(failing) - failing.index(c)} more candidate(s) not shown")
                break
            details += block
            budget -= size
    changes = [c for c in result.candidates if c.comparison and (c.comparison.delta or c.comparison.changed_layers
                                                                  or c.comparison.verdict_before != c.model.verdict)]
    if changes and budget > 200:
        details += ["", "### Changes since the baseline", ""]
        for c in changes:
            comp = c.comparison
            assert comp is not None
            parts = [f"total {comp.total_before:.1f} → {comp.total_after:.1f} ({comp.delta:+.1f})"]
            if comp.verdict_before != comp.verdict_after:
                parts.insert(0, f"{comp.verdict_before} → {comp.verdict_after}")
            parts += [f"{LAYER_SHORT[lc.layer]} {_score(lc.before)} → {_score(lc.after)}" for lc in comp.changed_layers]
            line = f"- {_code(c.id)}: " + "; ".join(parts)
            if len(line) + 1 > budget:
                details.append("- … more changes not shown")
                break
            details.append(line)
            budget -= len(line) + 1
    if result.removed_from_baseline and budget > 200:
        gone = ", ".join(_code(x) for x in result.removed_from_baseline)
        details += ["", f"No longer shortlisted: {gone}"[: max(0, budget - 10)]]
    text = "\n".join(head + table_head + body + details + foot) + "\n"
    assert len(text) <= limit, "the summary outgrew its budget"
    return text


# -- annotations ------------------------------------------------------------------------------

# The names callers know (cli/gate.py annotates invalid input with them): the CI log's helpers.
escape_data = workflow_data
escape_property = workflow_property


def _command(level: str, message: str, file: str, line: int | None = None, title: str | None = None) -> str:
    props = [f"file={escape_property(file)}"]
    if line is not None:
        props.append(f"line={line}")
    if title:
        props.append(f"title={escape_property(title)}")
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 1] + "…"
    return f"::{level} {','.join(props)}::{escape_data(message)}"


def annotation_lines(result: GateResult, file: str | None = None, limit: int = MAX_ANNOTATIONS) -> list[str]:
    """One annotation per failing candidate at its shortlist line; never more than ``limit``."""
    failing = result.failing
    if not failing or limit <= 0:
        return []
    level = "error" if result.policy.enforced else "warning"
    path = file or result.shortlist_file
    shown = failing if len(failing) <= limit else failing[: limit - 1]
    out = []
    for c in shown:
        rules = sorted({f.rule for f in c.failing})
        title = f"{c.id} fails the model gate ({', '.join(rules)})"
        message = "\n".join(f.message for f in c.failing)
        out.append(_command(level, message, path, c.where.line, title))
    rest = failing[len(shown):]
    if rest:
        out.append(_command(level, f"{len(rest)} more candidate(s) fail the gate: "
                            + ", ".join(c.id for c in rest) + " (see the step summary)", path,
                            title=f"{len(rest)} more failing candidate(s)"))
    return out
