"""HTML reports: one self-contained page per ranking (``render``) or gate result (``render_gate``).

The page carries its own stylesheet and nothing else: no script, no font, no image, no
link to anything outside it, and a Content-Security-Policy that forbids them, so it
renders the same offline, attached to a CI run or mailed around. Every piece of text
from the inputs (model names, reasons, notes, sources) goes through ``html.escape``; no
input ever becomes markup. Details sit in ``<details>`` elements, open and close without
JavaScript. The page holds no timestamp beyond the evaluation date the JSON carries, so
identical runs give identical bytes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from model_scorecard.report.charts import charts
from model_scorecard.report.escape import html_text
from model_scorecard.report.text import LAYER_SHORT, context_line, score, signed
from model_scorecard.schema.rubric import LAYER_IDS, LAYER_TITLES
from model_scorecard.scoring.results import (
    VERDICTS,
    CriterionResult,
    ModelResult,
    Report,
)
from model_scorecard.units import format_value

if TYPE_CHECKING:  # pragma: no cover
    from model_scorecard.gate import CandidateOutcome, GateResult

CSS = """\
:root{color-scheme:light;--line:#d0d7de;--muted:#57606a;--bg-soft:#f6f8fa}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1400px;padding:1.5rem;color:#1f2328;background:#fff;
font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
h1{font-size:1.6rem;margin:0 0 .4rem}
h2{font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:1px solid var(--line);padding-bottom:.3rem}
h3{font-size:1rem;margin:1.2rem 0 .4rem}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--bg-soft);
padding:0 .25em;border-radius:4px;overflow-wrap:anywhere}
.muted,.context,footer{color:var(--muted)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:.4rem 0 1rem}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--bg-soft);position:sticky;top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
abbr{text-decoration:none}
.verdict,.gate{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-weight:600;white-space:nowrap;
border:1px solid transparent}
.v-green-light,.g-pass{background:#dafbe1;color:#116329;border-color:#4ac26b}
.v-not-green,.g-warn{background:#fff8c5;color:#7d4e00;border-color:#d4a72c}
.v-walk-away,.g-fail{background:#ffebe9;color:#a40e26;border-color:#ff8182}
.v-insufficient-evidence{background:#fbefff;color:#6e40c9;border-color:#c297ff}
.v-not-applicable{background:var(--bg-soft);color:var(--muted);border-color:var(--line)}
.s5{background:#aceebb}.s4{background:#dafbe1}.s3{background:#fff8c5}.s2{background:#ffe7c2}.s1,.s0{background:#ffebe9}
.na{color:var(--muted);background:repeating-linear-gradient(135deg,#fff 0 4px,#eaeef2 4px 8px)}
.summary{border:1px solid var(--line);border-radius:6px;padding:.6rem 1rem;background:var(--bg-soft)}
.summary p{margin:.3rem 0}
figure.chart{margin:1rem 0;max-width:900px}
figure.chart svg *{stroke-linejoin:round;stroke-linecap:butt}
@media (max-width:900px){body{padding:.6rem}h1{font-size:1.3rem}th,td{padding:.2rem .35rem}}
.flags{color:#a40e26}
.banner{font-size:1.1rem;font-weight:600;padding:.6rem .9rem;border-radius:6px;border:1px solid}
.banner.g-pass{border-color:#4ac26b}.banner.g-fail{border-color:#ff8182}.banner.g-warn{border-color:#d4a72c}
details{border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:0 .8rem}
details[open]{padding-bottom:.6rem}
summary{cursor:pointer;padding:.5rem 0;font-weight:600}
details details{border-style:dashed}
tr.layer th{background:var(--bg-soft)}
tr.fails td{background:#fff5f5}
.status-unknown{color:#7d4e00}.status-not-applicable{color:var(--muted)}.status-manual{color:#0550ae}
.status-context,.status-shown{color:var(--muted);font-style:italic}
ul{margin:.3rem 0;padding-left:1.3rem}
footer{margin-top:2rem;border-top:1px solid var(--line);padding-top:.6rem;font-size:.9em}
@media print{thead th{position:static}details{break-inside:avoid-page}}
"""

DETAILS_LIMIT = 1000  # models shown criterion by criterion in a ranking page
_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _e(value: object) -> str:
    """Text as HTML: escaped (quotes included, so it is safe in attributes too), controls replaced
    (the HTML sink's helper, :func:`.escape.html_text`)."""
    return html_text(value)


def _anchor(prefix: str, ident: str) -> str:
    """An id attribute value for ``ident`` (ids are slugs, but nothing is taken on trust)."""
    return _e(f"{prefix}-{re.sub(r'[^A-Za-z0-9._+-]', '_', ident)}")


def _score_td(value: float | None, tag: str = "td") -> str:
    """A 0–5 score in a cell tinted by its rounded value."""
    if value is None:
        return f'<{tag} class="num na">n/a</{tag}>'
    bucket = min(5, max(0, int(value + 0.5)))
    return f'<{tag} class="num s{bucket}">{score(value)}</{tag}>'


def _verdict(verdict: str) -> str:
    return f'<span class="verdict v-{_e(verdict)}">{_e(verdict)}</span>'


def _page(title: str, body: Iterable[str]) -> str:
    head = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_CSP}\">\n"
            "<meta name=\"generator\" content=\"model-scorecard\">\n"
            f"<title>{_e(title)}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n")
    return head + "\n".join(body) + "\n</body>\n</html>\n"


def _layer_head() -> list[str]:
    return [f'<th scope="col" class="num"><abbr title="{_e(LAYER_TITLES[lid])}">{LAYER_SHORT[lid]}</abbr></th>'
            for lid in LAYER_IDS]


def _flags_cell(m: ModelResult) -> str:
    if not m.red_flags:
        return '<td class="muted">none</td>'
    return '<td class="flags">' + ", ".join(f'<abbr title="{_e(f.title)}">{_e(f.id)}</abbr>' for f in m.red_flags) \
        + "</td>"


# -- one model in detail ----------------------------------------------------------------------

def _evidence(c: CriterionResult) -> str:
    if not c.field:
        return ""
    text = f"<code>{_e(c.field)}</code>"
    if c.value is not None:
        text += f" = {_e(format_value(c.value))}"
    if c.computed:
        text += ' <span class="muted">(computed)</span>'
    if c.source:
        text += f'<br><span class="muted">source: {_e(c.source)}' + (f" ({_e(c.as_of)})" if c.as_of else "") \
            + "</span>"
    elif c.as_of:
        text += f'<br><span class="muted">as of {_e(c.as_of)}</span>'
    return text


def model_details(m: ModelResult) -> list[str]:
    """Every criterion by layer with its evidence, then the red flags and computed figures."""
    out = ['<div class="scroll"><table class="criteria">',
           '<thead><tr><th scope="col">Criterion</th><th scope="col">Status</th><th scope="col" class="num">Score'
           '</th><th scope="col" class="num">Weight</th><th scope="col">Evidence</th><th scope="col">Why</th>'
           '</tr></thead>']
    gates = []
    if m.gates:
        gates = ["<h3>Gates</h3>", '<div class="scroll"><table class="gates"><thead><tr><th scope="col">Gate</th>'
                 '<th scope="col">Result</th><th scope="col">Why</th></tr></thead><tbody>']
        for g in m.gates:
            cls, word = {True: ("g-pass", "pass"), False: ("g-fail", "fail"), None: ("g-warn", "unknown")}[g.passed]
            gates.append(f'<tr><td>{_e(g.title)}</td><td><span class="gate {cls}">{word}</span></td>'
                         f"<td>{_e(g.reason)}</td></tr>")
        gates.append("</tbody></table></div>")
    out = gates + out
    by_layer: dict[str, list[CriterionResult]] = {lid: [] for lid in LAYER_IDS}
    for c in m.criteria:
        by_layer.setdefault(c.layer, []).append(c)
    for lid in LAYER_IDS:
        lr = m.layers[lid]
        assessed = f"; assessed by {_e(lr.assessed_by)}" if lr.assessed_by else ""
        out.append(f'<tbody><tr class="layer"><th scope="rowgroup">{_e(lr.title)}</th><th></th>'
                   + _score_td(lr.score, "th")
                   + f'<th class="num">{lr.weight:g}</th><th class="muted">evidence for {lr.evidence_share:.0%} '
                   f"of the layer ({lr.evidence_count} of {lr.evidence_required} required criteria){assessed}</th>"
                   f"<th>{'short of evidence: ' + _e(', '.join(lr.lift)) if lr.short_of_evidence else ''}</th></tr>")
        for c in by_layer[lid]:
            out.append(f"<tr><td>{_e(c.title)}</td><td class=\"status-{_e(c.status)}\">{_e(c.status)}</td>"
                       f"{_score_td(c.score)}<td class=\"num\">{c.weight:g}</td><td>{_evidence(c)}</td>"
                       f"<td>{_e(c.reason)}</td></tr>")
        out.append("</tbody>")
    out.append("</table></div>")
    if m.red_flags:
        out += ["<h3>Red flags</h3>", '<div class="scroll"><table class="red-flags">',
                '<thead><tr><th scope="col">Flag</th><th scope="col">How</th><th scope="col">Reason</th>'
                '<th scope="col">Evidence</th></tr></thead><tbody>']
        for f in m.red_flags:
            where = " ".join(x for x in (f"<code>{_e(f.field)}</code>" if f.field else "",
                                         f"source: {_e(f.source)}" if f.source else "") if x)
            out.append(f'<tr><td class="flags">{_e(f.title)} <code>{_e(f.id)}</code></td>'
                       f"<td>{'derived' if f.derived else 'asserted'}</td><td>{_e(f.reason)}</td><td>{where}</td></tr>")
        out.append("</tbody></table></div>")
    if m.computed:
        out += ["<h3>Computed</h3>", '<div class="scroll"><table class="computed">',
                '<thead><tr><th scope="col">Figure</th><th scope="col" class="num">Value</th><th scope="col">Unit'
                '</th><th scope="col">Method and assumptions</th></tr></thead><tbody>']
        for key, comp in m.computed.items():
            how = "<br>".join(_e(x) for x in (comp.method, *comp.assumptions,
                                              *(() if comp.basis == "evidence" else (f"basis: {comp.basis}",))))
            out.append(f"<tr><td><code>{_e(key)}</code></td><td class=\"num\">{_e(format_value(comp.value))}</td>"
                       f"<td>{_e(comp.unit)}</td><td>{how}</td></tr>")
        out.append("</tbody></table></div>")
    return out


def _model_summary(m: ModelResult) -> str:
    return (f"<p>{_e(m.vendor)} · {_e(m.kind)} · deployment {_e(m.deployment)} — {_verdict(m.verdict)} total "
            f"<strong>{score(m.total)}</strong> / 30 (margin {signed(m.margin)}, range "
            f"{score(m.pessimistic_total)}–{score(m.optimistic_total)}, confidence {m.confidence:.2f})</p>")


def _reasons(reasons: Iterable[str]) -> str:
    items = "".join(f"<li>{_e(r)}</li>" for r in reasons)
    return f'<ul class="reasons">{items}</ul>' if items else ""


# -- the ranking ------------------------------------------------------------------------------

def _summary(report: Report) -> list[str]:
    """What to ship for this workload, the runner-up, and what would change the answer."""
    ranked = [m for _, m in report.numbered() if m.ranked]
    workload = _e(report.workload.name)
    if not ranked:
        return ['<section id="summary" class="summary"><h2>Summary</h2>'
                f"<p>No model in this catalog serves the <strong>{workload}</strong> workload.</p></section>"]
    green = [m for m in ranked if m.verdict == "green-light"]
    top = green[0] if green else ranked[0]
    others = [m for m in (green if len(green) > 1 else ranked) if m is not top]
    runner = others[0] if others else None

    def name(m: ModelResult) -> str:
        return f"{_e(m.name)} <code>{_e(m.key or m.id)}</code>"

    def odds(m: ModelResult) -> str:
        p = report.p_green.get(m.key or m.id) if report.p_green is not None else None
        return f", P(green) {p:.0%}" if p is not None else ""

    lines = []
    if green:
        lines.append(f"<p><strong>Ship for {workload}:</strong> {name(top)} {_verdict(top.verdict)} "
                     f"{score(top.total)} / 30 (margin {signed(top.margin)}, range {score(top.pessimistic_total)}–"
                     f"{score(top.optimistic_total)}{odds(top)}).</p>")
    else:
        lines.append(f"<p><strong>Nothing is green-lit for {workload}.</strong> The best candidate is {name(top)} "
                     f"{_verdict(top.verdict)} {score(top.total)} / 30{odds(top)}.</p>")
    if runner is not None:
        lines.append(f"<p><strong>Runner-up:</strong> {name(runner)} {_verdict(runner.verdict)} "
                     f"{score(runner.total)} / 30{odds(runner)}.</p>")
    change = []
    failed = [g for g in top.gates if g.passed is False]
    if failed:
        change.append("passing its gates: " + "; ".join(f"{_e(g.title)} ({_e(g.reason)})" for g in failed[:3]))
    short = [top.layers[lid] for lid in LAYER_IDS if top.layers[lid].short_of_evidence]
    if short:
        lift = sorted({f for lr in short for f in lr.lift})[:6]
        change.append("evidence for " + ", ".join(_e(lr.title) for lr in short)
                      + (" (" + ", ".join(f"<code>{_e(f)}</code>" for f in lift) + ")" if lift else ""))
    if top.verdict == "green-light":
        change.append(f"a loss of {max(top.margin, 0.0):.1f} point(s) would take it below the green light")
    if runner is not None and runner.total > top.total:
        change.append(f"{_e(runner.key or runner.id)} scores higher ({score(runner.total)}) but is "
                      f"{_e(runner.verdict)}: its gates and evidence decide")
    if change:
        lines.append("<p><strong>What would change the answer:</strong> " + "; ".join(change) + ".</p>")
    if report.p_green is None:
        lines.append('<p class="muted">rank --sensitivity adds each row\'s P(green) over 10,000 draws of the '
                     "weights and unknowns.</p>")
    return ['<section id="summary" class="summary"><h2>Summary</h2>', *lines, "</section>"]


def render(report: Report, details_limit: int = DETAILS_LIMIT) -> str:
    """The ranking as one HTML page: the ranked table, then each model criterion by criterion.

    The table holds every model; criterion details are given for the best ``details_limit``
    (all of them, for any catalog a person reads model by model: 10,000 models in detail
    would make a page of over 100 MB that no browser opens comfortably).
    """
    title = report.catalog_name or "Model scorecard"
    detailed = report.models[:details_limit] if details_limit > 0 else report.models
    counts = {v: 0 for v in VERDICTS}
    for m in report.models:
        counts[m.verdict] = counts.get(m.verdict, 0) + 1
    body = [f"<header><h1>{_e(title)}</h1>", f'<p class="context">{_e(context_line(report))}</p>',
            "<p>" + " · ".join(f"{_verdict(v)} {n}" for v, n in counts.items()) + f" of {len(report.models)} "
            "model(s)</p></header>", "<main>", *_summary(report), '<section id="charts"><h2>Charts</h2>',
            *charts(report),
            '<p class="muted">In the tables a hatched <span class="na">n/a</span> cell is a layer no criterion '
            "scores for that model: unknown, not zero.</p></section>",
            '<section id="ranking"><h2>Ranking</h2>',
            '<div class="scroll"><table class="ranking"><thead><tr><th scope="col" class="num">#</th>'
            '<th scope="col">Model</th><th scope="col">Verdict</th>' + "".join(_layer_head())
            + '<th scope="col" class="num">Total</th><th scope="col" class="num">Margin</th>'
            '<th scope="col" class="num">Pessimistic</th><th scope="col" class="num">Confidence</th>'
            + ('<th scope="col" class="num">P(green)</th>' if report.p_green is not None else "")
            + '<th scope="col">Red flags</th></tr></thead>', "<tbody>"]
    for i, (rank, m) in enumerate(report.numbered(), 1):
        key = m.key or m.id
        label = f"<code>{_e(key)}</code>" if m.name == key else f"{_e(m.name)} <code>{_e(key)}</code>"
        if i <= len(detailed):
            label = f'<a href="#{_anchor("model", key)}">{label}</a>'
        body.append(f'<tr><td class="num">{rank or "–"}</td><td>{label}</td>'
                    f"<td>{_verdict(m.verdict)}</td>" + "".join(_score_td(m.layers[lid].score) for lid in LAYER_IDS)
                    + f'<td class="num"><strong>{score(m.total)}</strong></td><td class="num">{signed(m.margin)}</td>'
                    f'<td class="num">{score(m.pessimistic_total)}</td><td class="num">{m.confidence:.2f}</td>'
                    + (f'<td class="num">{report.p_green.get(key, 0.0):.0%}</td>' if report.p_green is not None
                       else "")
                    + _flags_cell(m) + "</tr>")
    body += ["</tbody></table></div></section>", '<section id="models"><h2>Why: model by model</h2>']
    if len(detailed) < len(report.models):
        body.append(f'<p class="muted">Criterion by criterion for the best {len(detailed):,} of '
                    f"{len(report.models):,} models; the JSON report (--format json) holds every model's.</p>")
    for rank, m in enumerate(detailed, 1):
        key = m.key or m.id
        body.append(f'<details class="model" id="{_anchor("model", key)}"><summary>{rank}. {_e(m.name)} '
                    f"<code>{_e(key)}</code> {_verdict(m.verdict)} {score(m.total)}</summary>")
        body += [_model_summary(m), _reasons(m.reasons), *model_details(m), "</details>"]
    body += ["</section>", "</main>",
             f"<footer>model-scorecard · rubric {_e(report.rubric_name)} · evaluated on "
             f"{report.as_of.isoformat()}</footer>"]
    return _page(title, body)


# -- a gate result ----------------------------------------------------------------------------

def _gate_class(result: GateResult) -> str:
    if not result.passed:
        return "g-fail"
    return "g-warn" if result.failing else "g-pass"


def _gate_cell(c: CandidateOutcome, enforced: bool) -> str:
    if c.passed:
        return '<span class="gate g-pass">pass</span>'
    return '<span class="gate g-fail">FAIL</span>' if enforced else '<span class="gate g-warn">would fail</span>'


def _delta(c: CandidateOutcome) -> str:
    comp = c.comparison
    if comp is None:
        return '<td class="num na">new</td>'
    was = "" if comp.verdict_before == comp.verdict_after else f" (was {_e(comp.verdict_before)})"
    return f'<td class="num">{comp.delta:+.1f}{was}</td>'


def _candidate(c: CandidateOutcome, result: GateResult) -> list[str]:
    m = c.model
    enforced = result.policy.enforced
    where = f"{result.shortlist_file}:{c.where.line}" if c.where.line else result.shortlist_file
    out = [f'<details class="candidate" id="{_anchor("candidate", c.id)}"{"" if c.passed else " open"}>'
           f"<summary><code>{_e(c.id)}</code> {_gate_cell(c, enforced)} {_verdict(m.verdict)} "
           f"{score(m.total)}</summary>",
           f'<p class="muted">{_e(m.name)} · shortlisted at <code>{_e(where)}</code></p>', _model_summary(m)]
    if c.findings:
        out += ['<div class="scroll"><table class="findings"><thead><tr><th scope="col">Rule</th>'
                '<th scope="col">Counts</th><th scope="col">Finding</th></tr></thead><tbody>']
        for f in c.findings:
            counts = ("fails" if enforced else "would fail") if f.fails else "informs"
            if f.fails and f.missing_data:
                counts += " (missing data)"
            row = '<tr class="fails">' if f.fails else "<tr>"
            out.append(f"{row}<td><code>{_e(f.rule)}</code></td>"
                       f"<td>{counts}</td><td>{_e(f.message)}</td></tr>")
        out.append("</tbody></table></div>")
    else:
        out.append("<p>No findings: the candidate passes everything the shortlist asks.</p>")
    required = c.requirements.model_dump(exclude_none=True)
    if required:
        items = []
        for key, value in required.items():
            if key == "no_red_flags":
                items.append("no red flags" if value else "red flags allowed")
            elif key == "min_total":
                items.append(f"total ≥ {value:g}")
            else:
                items.append(f"{_e(LAYER_TITLES.get(key, key))} ≥ {value:g}")
        out.append("<p>Requirements: " + " · ".join(items) + "</p>")
    if c.notes:
        out.append("<p>Notes:</p>" + _reasons(c.notes))
    comp = c.comparison
    if comp is not None:
        out += [f"<h3>Against the baseline</h3><p>verdict {_verdict(comp.verdict_before)} → "
                f"{_verdict(comp.verdict_after)}; total {comp.total_before:.1f} → {comp.total_after:.1f} "
                f"({comp.delta:+.1f})</p>",
                '<table class="baseline"><thead><tr><th scope="col">Layer</th><th scope="col" class="num">Before'
                '</th><th scope="col" class="num">After</th><th scope="col" class="num">Δ</th></tr></thead><tbody>']
        for lc in comp.layers:
            delta = "n/a" if lc.delta is None else f"{lc.delta:+.1f}"
            out.append(f"<tr><td>{_e(LAYER_TITLES[lc.layer])}</td>{_score_td(lc.before)}{_score_td(lc.after)}"
                       f'<td class="num">{delta}</td></tr>')
        out.append("</tbody></table>")
    out += ["<details><summary>Criteria and evidence</summary>", _reasons(m.reasons), *model_details(m),
            "</details>", "</details>"]
    return out


def render_gate(result: GateResult) -> str:
    """A gate result as one HTML page: the verdict, a row per candidate, then each one's findings."""
    from model_scorecard._version import __version__

    report, policy = result.report, result.policy
    enforced, with_baseline = policy.enforced, result.baseline is not None
    when = {"--as-of": "set by --as-of", "shortlist": "the shortlist's as_of", "today": "today"}.get(
        result.as_of_source, result.as_of_source)
    settings = (f"fail on {policy.fail_on}" + (" · strict" if policy.strict else "")
                + (f" · min total {policy.min_total:g}" if policy.min_total is not None else "")
                + (f" · baseline {result.baseline.file} (tolerance {policy.tolerance:g})"
                   if result.baseline is not None else ""))
    title = f"Model gate: {result.name}"
    body = [f"<header><h1>{_e(title)}</h1>",
            f'<p class="banner {_gate_class(result)}">{_e(result.verdict_line())}</p>',
            f'<p class="context">shortlist <code>{_e(result.shortlist_file)}</code> · {_e(context_line(report))} '
            f"({_e(when)}) · {_e(settings)}</p></header>", "<main>", *_summary(report),
            '<section id="charts"><h2>Charts</h2>', *charts(report), "</section>",
            '<section id="candidates"><h2>Candidates</h2>',
            '<div class="scroll"><table class="gate"><thead><tr><th scope="col">Candidate</th>'
            '<th scope="col">Gate</th><th scope="col">Verdict</th><th scope="col" class="num">Total</th>'
            + "".join(_layer_head()) + '<th scope="col" class="num">Conf.</th><th scope="col">Red flags</th>'
            + ('<th scope="col" class="num">Δ baseline</th>' if with_baseline else "") + "</tr></thead>", "<tbody>"]
    for c in result.candidates:
        m = c.model
        body.append(f'<tr><td><a href="#{_anchor("candidate", c.id)}"><code>{_e(c.id)}</code></a></td>'
                    f"<td>{_gate_cell(c, enforced)}</td><td>{_verdict(m.verdict)}</td>"
                    f'<td class="num"><strong>{score(m.total)}</strong></td>'
                    + "".join(_score_td(m.layers[lid].score) for lid in LAYER_IDS)
                    + f'<td class="num">{m.confidence:.2f}</td>' + _flags_cell(m)
                    + (_delta(c) if with_baseline else "") + "</tr>")
    body += ["</tbody></table></div></section>", '<section id="details"><h2>Why: candidate by candidate</h2>']
    for c in result.candidates:
        body += _candidate(c, result)
    body.append("</section>")
    if result.removed_from_baseline:
        body += ['<section id="removed"><h2>No longer shortlisted</h2>',
                 "<p>In the baseline but not in this shortlist: "
                 + ", ".join(f"<code>{_e(x)}</code>" for x in result.removed_from_baseline) + "</p></section>"]
    body += ["</main>", f"<footer>model-scorecard {_e(__version__)} · rubric {_e(report.rubric_name)} · "
             f"evaluated on {report.as_of.isoformat()}</footer>"]
    return _page(title, body)
