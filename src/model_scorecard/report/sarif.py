"""SARIF 2.1.0 of a gate result, for code scanning (GitHub's "Security" tab, GitLab, IDEs).

Every finding is a result under a stable rule id: one per kind of failure
(``gate/not-green``, ``gate/min-total``, ``baseline/total-drop`` …, see ``gate.RULES``)
and one per red flag (``red-flag/<flag id>``). Each result points at the candidate's line
in the shortlist, so a reviewer lands where the decision is written down. Failing
findings are errors (warnings for a report-only gate), informational ones warnings or
notes. A fingerprint of candidate and rule lets code scanning follow a result across
commits even when lines move.

Input text is JSON-escaped by the encoder; :func:`.escape.json_safe` escapes what the encoder
leaves raw (C1 controls, bidirectional overrides, lone surrogates, a ``##[`` CI command), so
the file parses to the same document and prints safely on a terminal or CI log.
"""

from __future__ import annotations

from pathlib import PurePath, PurePosixPath
from typing import Any

from model_scorecard._version import __version__
from model_scorecard.gate import RULES, Finding, GateResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_INFO_LEVEL = {"baseline/new-candidate": "note"}


def _artifact(file: str) -> dict[str, Any]:
    path = PurePath(file)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": PurePosixPath(*path.parts).as_posix(), "uriBaseId": "%SRCROOT%"}


def _level(f: Finding, enforced: bool) -> str:
    if f.fails:
        return "error" if enforced else "warning"
    return _INFO_LEVEL.get(f.rule, "warning")


def project_urls() -> dict[str, str]:
    """The ``Project-URL`` entries of the installed distribution's metadata, by lower-case label.

    SARIF's ``informationUri`` and each rule's ``helpUri`` come from here, so they are the
    addresses the package itself declares; with none declared they are left out rather
    than made up."""
    from importlib import metadata

    try:
        entries = metadata.metadata("model-scorecard").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return {}
    urls = {}
    for entry in entries:
        label, _, url = entry.partition(",")
        if url.strip().startswith("https://"):
            urls[label.strip().lower()] = url.strip()
    return urls


def _rule(rule_id: str, title: str, text: str, help_uri: str | None) -> dict[str, Any]:
    name = "".join(part.capitalize() for part in rule_id.replace("/", "-").split("-"))
    rule = {"id": rule_id, "name": name, "shortDescription": {"text": title}, "fullDescription": {"text": text},
            "help": {"text": text, "markdown": f"**{title}**\n\n{text}"}}
    if help_uri:
        rule["helpUri"] = help_uri
    return rule


def sarif_document(result: GateResult, urls: dict[str, str] | None = None) -> dict[str, Any]:
    urls = project_urls() if urls is None else urls
    home = urls.get("homepage") or urls.get("source") or urls.get("repository")
    docs = urls.get("documentation") or home
    rules = [_rule(r.id, r.title, r.help, docs) for r in RULES.values()]
    flags: dict[str, str] = {}
    for c in result.candidates:
        for flag in c.model.red_flags:
            flags.setdefault(flag.id, flag.title)
    for fid in sorted(flags):
        rules.append(_rule(f"red-flag/{fid}", f"Red flag: {flags[fid]}",
                           f"The model carries the red flag '{flags[fid]}'. Two or more red flags mean walk away; "
                           "a shortlist entry with no_red_flags: true fails on any.", docs))
    index = {r["id"]: i for i, r in enumerate(rules)}
    artifact = _artifact(result.shortlist_file)
    results = []
    for c in result.candidates:
        for f in c.findings:
            location: dict[str, Any] = {"physicalLocation": {"artifactLocation": artifact}}
            if c.where.line is not None:
                region = {"startLine": c.where.line}
                if c.where.column is not None:
                    region["startColumn"] = c.where.column
                location["physicalLocation"]["region"] = region
            results.append({
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": _level(f, result.policy.enforced),
                "message": {"text": f"{c.id}: {f.message}"},
                "locations": [location],
                "partialFingerprints": {"candidateRule/v1": f"{c.id}:{f.rule}"},
                "properties": {"candidate": c.id, "verdict": c.model.verdict, "total": c.model.total,
                               "missingData": f.missing_data},
            })
    report = result.report
    stem = PurePath(result.shortlist_file).name
    driver: dict[str, Any] = {"name": "model-scorecard", "version": __version__, "rules": rules}
    if home:
        driver["informationUri"] = home
    run = {
        "tool": {"driver": driver},
        "automationDetails": {"id": f"scorecard-gate/{stem}/"},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"shortlist": result.shortlist_file, "rubric": report.rubric_name,
                       "workload": report.workload.name, "evaluatedOn": report.as_of.isoformat(),
                       "failOn": result.policy.fail_on, "strict": result.policy.strict, "passed": result.passed},
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(result: GateResult) -> str:
    from model_scorecard.report.jsonfmt import dumps

    return dumps(sarif_document(result))
