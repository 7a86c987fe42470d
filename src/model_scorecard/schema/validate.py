"""Any input file, for ``scorecard validate``: what kind it is, validated as that kind.

The file is read once; the document and the validated model come back together, so the
catalog lint works on the same reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from model_scorecard.errors import InvalidInput
from model_scorecard.schema.load import catalog_from, rubric_chain, rubric_from
from model_scorecard.schema.located import Located, validate
from model_scorecard.schema.shortlist import load_shortlist
from model_scorecard.schema.workload import Workload, WorkloadFile, workload_from
from model_scorecard.schema.yamlio import Document, load_file

__all__ = ["Validated", "detect_kind", "validate_file"]


@dataclass(frozen=True)
class Validated:
    """A file that passed: its kind, the validated model, and the document it was read from."""

    kind: str  # catalog | rubric | workloads | workload | shortlist | advice
    value: Any
    doc: Document


def detect_kind(data: Any) -> str | None:
    """What a file is, from its top-level keys; None when it is none of the six.

    A file of one workload (what ``--workload FILE`` reads) is told by a workload's own keys
    (name, input_tokens, gpu …), once no other kind's key is there."""
    if not isinstance(data, dict):
        return None
    if "models" in data:
        return "catalog"
    if "layers" in data or "extends" in data:
        return "rubric"
    if "workloads" in data:
        return "workloads"
    if "candidates" in data:
        return "shortlist"
    if "questions" in data:
        return "advice"
    if any(key in Workload.model_fields for key in data):
        return "workload"
    return None


def validate_file(path: str | Path) -> Validated:
    """Validate a catalog, rubric, workload file (one workload or a list), shortlist or advice
    playbook. Raises InvalidInput."""
    doc = load_file(path)
    kind = detect_kind(doc.data)
    located = Located.from_document(doc)
    if kind is None:
        raise InvalidInput(f"{path}: invalid input", [located.problem((), "not a catalog (models:), rubric (layers: or "
                                                      "extends:), workload file (workloads:, or one workload's name:, "
                                                      "input_tokens: …), shortlist (candidates:) or advice playbook "
                                                      "(questions:)")])
    if kind == "catalog":
        value: Any = catalog_from(located)
    elif kind == "rubric":
        value = rubric_from(rubric_chain(Path(path)))
    elif kind == "workloads":
        value = validate(located, WorkloadFile)
    elif kind == "workload":
        value = workload_from(located)
    elif kind == "advice":
        from model_scorecard.schema.advice import playbook_from

        value = playbook_from(located)
    else:
        value = load_shortlist(path, doc)
    return Validated(kind, value, doc)
