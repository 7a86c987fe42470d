"""Gates: conditions a deployment must meet for the workload before its total matters.

A failed gate makes the verdict ``not-green`` whatever the total. Each gate passes
(``True``), fails (``False``) or cannot be decided from the facts (``None``: shown, not a
failure). Gates read only facts and computed figures, never scores, so tightening a
workload (a longer prompt, a smaller first-token budget) can only fail more of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from model_scorecard.schema.catalog import ModelEntry
from model_scorecard.schema.workload import Workload
from model_scorecard.scoring.evidence import Computed


@dataclass(frozen=True)
class GateCheck:
    id: str
    title: str
    passed: bool | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "passed": self.passed, "reason": self.reason}


def _context(entry: ModelEntry, workload: Workload) -> GateCheck:
    title = "Prompt and output fit the context window"
    need = workload.input_tokens + workload.output_tokens
    out = entry.max_output_tokens
    if out is not None and workload.output_tokens > out.value:
        return GateCheck("context-fit", title, False,
                          f"{workload.output_tokens:,} output tokens per request exceed the {out.value:,}-token "
                          "output limit")
    window = entry.context_window
    if window is None:
        return GateCheck("context-fit", title, None, f"context window unknown; the workload needs {need:,} tokens")
    if need > window.value:
        return GateCheck("context-fit", title, False,
                          f"{need:,} tokens per request ({workload.input_tokens:,} prompt + "
                          f"{workload.output_tokens:,} output) exceed the {window.value:,}-token context window")
    return GateCheck("context-fit", title, True, f"{need:,} tokens per request fit the {window.value:,}-token window")


def _available(computed: dict[str, Computed], as_of: date) -> GateCheck:
    title = "Available on the evaluation date"
    life = computed.get("lifecycle")
    if life is not None and life.value == "retired":
        when = life.inputs.get("shutdown_date")
        why = f"shut down on {when}" if when else "retired (the vendor's stated status)"
        return GateCheck("available", title, False, f"{why}; evaluation date {as_of.isoformat()}")
    if life is None:
        return GateCheck("available", title, None, "no lifecycle facts (status, deprecation or shutdown date)")
    return GateCheck("available", title, True, f"lifecycle {life.value} on {as_of.isoformat()}")


def _licence(entry: ModelEntry, workload: Workload) -> GateCheck | None:
    title = "Licence allows the workload's use"
    terms = entry.license_terms
    uses = []
    if workload.commercial:
        uses.append(("commercial use", terms.commercial_use))
    if workload.hosted_for_third_parties:
        uses.append(("hosting for third parties", terms.hosting_for_third_parties))
    if not uses:
        return None
    forbidden = [name for name, fact in uses if fact is not None and fact.value is False]
    if forbidden:
        fact = next(fact for name, fact in uses if name == forbidden[0])
        return GateCheck("licence", title, False,
                          f"the licence forbids {' and '.join(forbidden)}, which workload '{workload.name}' declares"
                          + (f" ({fact.source})" if fact and fact.source else ""))
    unknown = [name for name, fact in uses if fact is None]
    if unknown and "open-weights" in entry.access:
        # Weights you host are used under their licence alone: unread terms are not a permission.
        return GateCheck("licence", title, False,
                         f"licence terms unknown for {' and '.join(unknown)}: review the licence and state "
                         "license_terms before shipping")
    if unknown:  # an API is used under its terms of service, which a paid plan grants for business use
        return GateCheck("licence", title, None, f"terms of service not recorded for {' and '.join(unknown)}")
    return GateCheck("licence", title, True, f"the licence allows {' and '.join(n for n, _ in uses)}")


def _first_token(entry: ModelEntry, computed: dict[str, Computed], workload: Workload) -> GateCheck | None:
    budget = workload.ttft_budget_ms
    if budget is None:
        return None
    title = f"First token within {budget:g} ms"
    p95, median = entry.serving.ttft_p95_ms, entry.serving.ttft_median_ms
    if p95 is not None and p95.value > budget:
        return GateCheck("first-token", title, False, f"measured p95 {p95.value:g} ms > budget {budget:g} ms")
    if median is not None and median.value > budget:
        return GateCheck("first-token", title, False,
                          f"measured median {median.value:g} ms > budget {budget:g} ms (a median is a lower bound "
                          "of the p95)")
    if p95 is not None:
        return GateCheck("first-token", title, True, f"measured p95 {p95.value:g} ms ≤ {budget:g} ms")
    if median is not None:
        return GateCheck("first-token", title, None,
                          f"measured median {median.value:g} ms ≤ {budget:g} ms, but the p95 is not known")
    estimate = computed.get("ttft_ms")
    if estimate is not None:
        ok = estimate.value <= budget
        return GateCheck("first-token", title, ok,
                          f"estimated {estimate.value:g} ms (roofline, likely) {'≤' if ok else '>'} {budget:g} ms")
    return GateCheck("first-token", title, None, "no measured or estimated first-token time")


def _fit(computed: dict[str, Computed], workload: Workload) -> GateCheck | None:
    fits = computed.get("fits_target_gpu")
    if fits is None:
        return None
    title = f"Fits on the workload's GPU ({workload.gpu})"
    if fits.value is False:
        return GateCheck("fits-gpu", title, False,
                          f"does not fit on 8× {workload.gpu} at {workload.precision} for this workload")
    return GateCheck("fits-gpu", title, True, f"{computed['gpus_needed'].value}× {workload.gpu} per replica")


def _checkpoint(computed: dict[str, Computed]) -> GateCheck | None:
    fit = computed.get("checkpoint_fit")
    if fit is None:
        return None
    title = "Checkpoint suits the workload"
    if fit.value == "mismatch":
        return GateCheck("checkpoint", title, False, f"a {fit.inputs['checkpoint']} checkpoint on a conversational "
                                                      "workload: it was not trained to follow a conversation")
    return GateCheck("checkpoint", title, True, f"{fit.inputs['checkpoint']} checkpoint")


def evaluate_gates(entry: ModelEntry, computed: dict[str, Computed], workload: Workload,
                   as_of: date) -> tuple[GateCheck, ...]:
    """Every gate that applies to this deployment, in a fixed order."""
    found = (_context(entry, workload), _available(computed, as_of), _licence(entry, workload),
             _first_token(entry, computed, workload), _fit(computed, workload), _checkpoint(computed))
    return tuple(g for g in found if g is not None)
