"""The facts a rubric may name: dotted paths into a model entry, checked against the schema.

Rubric criteria and red-flag conditions name fields as dotted paths
(``benchmarks.mmlu``, ``pricing.input_per_1m``, ``computed.usd_per_1k_tokens``). This
module checks such paths when a rubric loads; :mod:`model_scorecard.scoring.evidence` reads
them from an entry when it is scored.
"""

from __future__ import annotations

import typing
from typing import Any

from model_scorecard.errors import suggest
from model_scorecard.schema.base import Fact
from model_scorecard.schema.catalog import ModelEntry
from model_scorecard.schema.typewalk import is_model, model_fields_of, unwrap

# Names the calculators may put under ``computed`` (see scoring/computed.py), with their units.
COMPUTED_FIELDS: dict[str, str] = {
    "usd_per_1k_tokens": "USD per 1k tokens, blended by the workload's input/output mix",
    "usd_per_1k_tokens_3to1": "USD per 1k tokens, blended 3:1 input:output",
    "usd_per_image": "USD per image",
    "egress_usd_per_1k_tokens": "USD of internet egress per 1k output tokens",
    "carbon_eur_per_1k_tokens": "EUR of carbon cost per 1k tokens at the workload's carbon price",
    "data_control": "self-hosted | eu-region | vendor-region: where prompts and outputs are processed",
    "lifecycle": "active | sunset-announced | deprecated | retired, at the evaluation date",
    "license_review": "unreviewed: open weights under a licence with no known terms (other, unknown, not in the "
                      "licence table) and no license_terms in the catalog",
    "days_to_shutdown": "days from the evaluation date to the announced shutdown",
    "checkpoint_fit": "fits | mismatch: whether the checkpoint type (base, code …) suits the workload's use",
    # self-hosted open weights, sized from params on the workload's GPU (scoring/computed.py)
    "gpus_needed": "GPUs per replica on the workload's GPU for one full request (null: more than 8)",
    "fits_target_gpu": "whether the model fits on at most 8 of the workload's GPU",
    "memory_gb": "GB per replica: weights + KV cache for the workload's concurrency + engine overhead",
    "ttft_ms": "estimated time to first token for the workload's prompt, ms (roofline, likely)",
    "tokens_per_s": "estimated decode tokens/s per stream at the workload's concurrency (roofline, likely)",
    "self_hosted_usd_per_1k_tokens": "estimated USD per 1k tokens on the workload's GPU at its utilisation (likely)",
    "g_co2e_per_1k_tokens": "estimated operational gCO2e per 1k tokens (likely)",
}


def _is_fact(tp: Any) -> bool:
    return is_model(tp) and issubclass(tp, Fact)


def check_path(path: str) -> str | None:
    """None when ``path`` names a fact of a model entry, else what is wrong with it."""
    parts = path.split(".")
    if parts[0] == "computed":
        if len(parts) != 2 or parts[1] not in COMPUTED_FIELDS:
            name = parts[1] if len(parts) > 1 else ""
            return (f"'{path}' is not a computed field{suggest(name, COMPUTED_FIELDS)} "
                    f"(known: {', '.join(sorted(COMPUTED_FIELDS))})")
        return None
    current: Any = ModelEntry
    for i, part in enumerate(parts):
        alts = unwrap(current)
        model = next((a for a in alts if is_model(a) and not _is_fact(a)), None)
        if model is not None:
            names = [n for n in model_fields_of(model) if n not in ("source", "as_of", "note")]
            if part not in names:
                where = ".".join(parts[:i]) or "a model entry"
                return f"'{part}' is not a field of {where}{suggest(part, names)}"
            current = model_fields_of(model)[part]
            continue
        if any(typing.get_origin(a) is dict for a in alts):
            current = typing.get_args(next(a for a in alts if typing.get_origin(a) is dict))[1]
            continue
        return f"'{'.'.join(parts[:i])}' is a single fact; it has no '{part}'"
    alts = unwrap(current)
    if any(is_model(a) and not _is_fact(a) for a in alts):
        model = next(a for a in alts if is_model(a))
        names = [n for n in model_fields_of(model) if n not in ("source", "as_of", "note")]
        return f"'{path}' is a group of facts; name one of them: {', '.join(names)}"
    if any(typing.get_origin(a) is dict for a in alts):
        return f"'{path}' is a mapping; name one entry, e.g. {path}.mmlu"
    return None
