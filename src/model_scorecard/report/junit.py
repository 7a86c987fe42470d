"""JUnit XML of a gate result, for CI test dashboards (GitLab, Jenkins, Azure, GitHub apps).

One ``<testsuite>`` for the shortlist and one ``<testcase>`` per candidate. A candidate
that fails gets a ``<failure>`` listing every reason; one that fails only for lack of
evidence (``--strict``, a required layer with no score) gets an ``<error>`` instead. The
verdict, totals and the six layer scores are ``<property>`` elements of the testcase;
informational findings and the team's notes go to ``<system-out>``. No timestamps or
durations vary between runs, so identical runs give identical files.

Input text goes through :func:`.escape.xml_text` (the serialiser escapes markup characters);
each finding and note is one line, so no line of the file starts with input text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import PurePath

from model_scorecard.gate import CandidateOutcome, GateResult
from model_scorecard.report.escape import xml_text as _clean
from model_scorecard.schema.rubric import LAYER_IDS


def _line(text: str) -> str:
    """One finding or note: a single line of XML-safe text."""
    return _clean(text, one_line=True)


def _props(parent: ET.Element, items: list[tuple[str, object]]) -> None:
    props = ET.SubElement(parent, "properties")
    for name, value in items:
        if value is None:
            continue
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        ET.SubElement(props, "property", name=name, value=_clean(text))


def _testcase(suite: ET.Element, c: CandidateOutcome, classname: str, file: str) -> None:
    attrs = {"classname": classname, "name": _clean(c.id), "file": _clean(file)}
    if c.where.line is not None:
        attrs["line"] = str(c.where.line)
    attrs["time"] = "0"
    case = ET.SubElement(suite, "testcase", attrs)
    m = c.model
    _props(case, [("verdict", m.verdict), ("total", f"{m.total:g}"), ("pessimistic_total", f"{m.pessimistic_total:g}"),
                  ("confidence", f"{m.confidence:g}"), ("margin", f"{m.margin:g}"),
                  *((f"layer.{lid}", "n/a" if m.layers[lid].score is None else f"{m.layers[lid].score:g}")
                    for lid in LAYER_IDS),
                  ("red_flags", ",".join(f.id for f in m.red_flags) or "none"),
                  ("baseline.delta", None if c.comparison is None else f"{c.comparison.delta:+g}")])
    failing = c.failing
    if failing:
        tag = "error" if c.missing_data_only else "failure"
        el = ET.SubElement(case, tag, message=_line(failing[0].message[:500]),
                           type=_clean(",".join(sorted({f.rule for f in failing}))))
        el.text = "\n".join(_line(f"[{f.rule}] {f.message}") for f in failing)
    info = [f"[{f.rule}] {f.message}" for f in c.findings if not f.fails] + [f"note: {n}" for n in c.notes]
    if info:
        ET.SubElement(case, "system-out").text = "\n".join(_line(x) for x in info)


def render(result: GateResult) -> str:
    cases = result.candidates
    failures = sum(1 for c in cases if c.failing and not c.missing_data_only)
    errors = sum(1 for c in cases if c.missing_data_only)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": str(errors)}
    root = ET.Element("testsuites", {"name": "scorecard gate", **counts, "time": "0"})
    suite = ET.SubElement(root, "testsuite", {"name": _clean(result.name), **counts, "skipped": "0", "time": "0",
                                              "file": _clean(result.shortlist_file)})
    report, policy = result.report, result.policy
    _props(suite, [("shortlist", result.shortlist_file), ("rubric", report.rubric_name),
                   ("green_light", f"{report.green_light:g}"), ("workload", report.workload.name),
                   ("evaluated_on", report.as_of.isoformat()), ("fail_on", policy.fail_on),
                   ("strict", policy.strict), ("enforced", policy.enforced), ("passed", result.passed),
                   ("baseline", result.baseline.file if result.baseline else None)])
    stem = re.sub(r"[^A-Za-z0-9_]+", "_", PurePath(result.shortlist_file).name.split(".")[0]) or "shortlist"
    for c in cases:
        _testcase(suite, c, f"scorecard.gate.{stem}", result.shortlist_file)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
