"""A promptfoo run (``promptfoo eval -o output.json``) → a private-eval pass rate.

promptfoo writes ``{evalId, results: {version, timestamp, results: [...], stats}, config}``;
each row of ``results.results`` is one test case run on one provider, with ``provider``
(``{id, label}``, or a plain id in older files) and ``success``. The pass rate of one
provider -- rows with ``success: true`` over all its rows, errors counted as not passed --
becomes ``benchmarks.private_eval`` (what the rubric's private-eval criterion reads), in %,
with ``ci`` the half-width of the Wilson 95 % interval and the counts in ``setting``. Your
own eval, run the same way for every model, is graded independent.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from model_scorecard.errors import UserError, suggest
from model_scorecard.importers.common import (
    Foreign,
    NewEntry,
    checkpoint_fact,
    clean,
    iso_day,
    stamp,
    unix_day,
)

__all__ = ["PromptfooOptions", "import_promptfoo", "wilson"]

WHAT = "a promptfoo output file (promptfoo eval -o output.json)"
GRADE = "independent"
Z95 = 1.959963984540054
#: Provider id prefixes of promptfoo that run weights on your own machine.
_LOCAL = ("ollama", "llama", "localai", "llamafile", "huggingface", "hf", "transformers", "file")
_EVAL_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})T")


def wilson(passed: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a pass rate (as shares 0–1): right at 0 and n passes too."""
    if n <= 0:
        raise ValueError("no trials")
    p = passed / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class PromptfooOptions:
    model_id: str
    provider: str | None = None  # a provider's label or id; none: the file's only provider
    benchmark: str = "private_eval"
    source: str | None = None
    as_of: date | None = None
    new: NewEntry = NewEntry()  # what a new entry needs that the output file may not say
    grade: str = GRADE  # who ran it: independent (your team, one way for every model) by default


def _provider_of(row: Mapping[str, Any]) -> tuple[str, str] | None:
    """(label, id) of a row's provider; the label is the id when none is given."""
    provider = row.get("provider")
    if isinstance(provider, str) and provider:
        return provider, provider
    if isinstance(provider, Mapping):
        pid = provider.get("id")
        label = provider.get("label")
        if isinstance(pid, str) and pid:
            return (label if isinstance(label, str) and label else pid), pid
    return None


def _rows(doc: Foreign) -> tuple[list[Any], tuple[Any, ...]]:
    results = doc.data.get("results")
    if isinstance(results, Mapping) and isinstance(results.get("results"), list):
        return results["results"], ("results", "results")
    if isinstance(results, list):  # the rows at the top, as some exports write them
        return results, ("results",)
    raise doc.error(("results",) if "results" in doc.data else (), "no `results.results` list of test results",
                    what=WHAT)


def _day(doc: Foreign) -> str | None:
    results = doc.data.get("results") if isinstance(doc.data.get("results"), Mapping) else {}
    for where in (results, doc.data):
        day = iso_day(where.get("timestamp")) or unix_day(where.get("createdAt"))
        if day:
            return day
    eval_id = doc.data.get("evalId")
    m = _EVAL_DAY.search(eval_id) if isinstance(eval_id, str) else None
    return iso_day(m.group(1)) if m else None


def import_promptfoo(doc: Foreign, opts: PromptfooOptions) -> tuple[dict[str, Any], list[str]]:
    """The catalog entry (plain data) with one provider's pass rate of a promptfoo run, and warnings."""
    rows, at = _rows(doc)
    counts: dict[str, list[int]] = {}  # label -> [passed, failed, errors]
    ids: dict[str, str] = {}
    prompts: dict[str, set[Any]] = {}
    problems: list[tuple[tuple[Any, ...], str]] = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            problems.append(((*at, i), f"a {type(row).__name__}, not a test result"))
            continue
        provider = _provider_of(row)
        if provider is None:
            problems.append(((*at, i, "provider") if "provider" in row else (*at, i), "no provider id"))
            continue
        success = row.get("success")
        if not isinstance(success, bool):
            problems.append(((*at, i, "success") if "success" in row else (*at, i),
                             f"success is {success!r}, not true or false"))
            continue
        label, pid = provider
        ids.setdefault(label, pid)
        tally = counts.setdefault(label, [0, 0, 0])
        errored = not success and (row.get("failureReason") == 2 or bool(row.get("error")) and not
                                   isinstance(row.get("gradingResult"), Mapping))
        tally[0 if success else 2 if errored else 1] += 1
        prompts.setdefault(label, set()).add(row.get("promptIdx", row.get("promptId")))
    if problems:
        raise doc.errors(problems, what=WHAT)
    if not counts:
        raise doc.error(at, "no test results", what=WHAT)
    if opts.provider is None:
        if len(counts) > 1:
            raise UserError(f"{doc.name} has results of {len(counts)} providers: choose one with --provider "
                            f"({', '.join(sorted(counts))})")
        label = next(iter(counts))
    else:
        label = next((lab for lab in counts if opts.provider in (lab, ids[lab])), "")
        if not label:
            raise UserError(f"{doc.name} has no provider '{opts.provider}'{suggest(opts.provider, list(counts))} "
                            f"(it has {', '.join(sorted(counts))})")
    passed, failed, errors = counts[label]
    n = passed + failed + errors
    low, high = wilson(passed, n)
    when = stamp(doc.path, from_file=_day(doc), from_file_how="the run's time stamp in the output file",
                 as_of=opts.as_of)
    eval_id = doc.data.get("evalId")
    run = f"promptfoo eval {eval_id}" if isinstance(eval_id, str) and eval_id else "promptfoo eval"
    setting = (f"{run}, provider {label}" + (f" ({ids[label]})" if ids[label] != label else "")
               + f": {passed} of {n} test cases passed" + (f", {errors} errors counted as failures" if errors else "")
               + f", {len(prompts[label])} prompt(s)")
    fact = {"value": clean(100 * passed / n), "setting": setting, "ci": clean(100 * (high - low) / 2, 6),
            "source": opts.source or doc.path.name, "as_of": when.as_of, "grade": opts.grade,
            "note": f"pass rate = passed / test cases; ci: half-width of the Wilson 95 % interval "
                    f"[{clean(100 * low, 4):g}, {clean(100 * high, 4):g}]; as_of: {when.how}"}
    entry: dict[str, Any] = {"id": opts.model_id, "name": opts.new.name or label,
                             "vendor": opts.new.vendor or (ids[label].split(":", 1)[0] if ":" in ids[label] else None),
                             "kind": opts.new.kind}
    access = list(opts.new.access) or ["open-weights" if ids[label].split(":", 1)[0] in _LOCAL else "api"]
    entry["access"] = access
    if opts.new.checkpoint:
        entry["checkpoint"] = checkpoint_fact(opts.new.checkpoint)
    entry["benchmarks"] = {opts.benchmark: fact}
    warnings = []
    if len(counts) > 1:
        warnings.append(f"imported provider {label}; the file also has {', '.join(sorted(set(counts) - {label}))}")
    return entry, warnings
