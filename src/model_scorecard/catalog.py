"""Pydantic models of what a catalog says about candidate models, and of workloads.

Every leaf fact may be written bare (``params: 70B``) or with its provenance
(``params: {value: 70B, source: https://…, as_of: 2024-04-18}``). A group (``pricing:``,
``compliance:`` …) and the model entry itself may carry ``source``/``as_of`` that apply to
the facts inside it that do not name their own. A fact that is absent is unknown: it is
never read as zero.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Generic, Literal, TypeVar, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from .units import parse_params, parse_tokens

T = TypeVar("T")

SCHEMA_VERSION = 1
Kind = Literal["llm", "diffusion-image", "diffusion-llm", "embedding", "speech"]
Access = Literal["api", "open-weights"]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
ACCESSES: tuple[str, ...] = Access.__args__  # type: ignore[attr-defined]

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class Strict(BaseModel):
    """Base of every input model: unknown fields are errors, numbers are real numbers."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False,
                              populate_by_name=True)


def _as_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date; write YYYY-MM-DD") from None
    return value


def _as_partial_date(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and not _PARTIAL_DATE.match(value.strip()):
        raise ValueError(f"{value!r} is not a date; write YYYY-MM-DD, YYYY-MM or YYYY (leave it out when unknown)")
    return value.strip() if isinstance(value, str) else value


Date = Annotated[date, BeforeValidator(_as_date, json_schema_input_type=str)]
AsOf = Annotated[str, BeforeValidator(_as_partial_date, json_schema_input_type=str)]
ParamCount = Annotated[int, BeforeValidator(parse_params, json_schema_input_type=Union[int, str]), Field(ge=0)]
TokenCount = Annotated[int, BeforeValidator(parse_tokens, json_schema_input_type=Union[int, str]), Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]
Percent = Annotated[float, Field(ge=0, le=100)]
Share = Annotated[float, Field(ge=0, le=1)]
Count = Annotated[int, Field(ge=0)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._+-]*$", max_length=120)]



class Provenance(Strict):
    """Where a group of facts came from; applies to members that do not say."""

    source: str | None = None
    as_of: AsOf | None = None
    note: str | None = None


class Fact(Provenance, Generic[T]):
    """One value with where it came from."""

    value: T



class Benchmark(Fact[float]):
    """A benchmark score as published: keep the setting, scores differ by it."""

    value: NonNegative
    n_shot: Count | None = None
    setting: str | None = None
    scale: float = Field(default=100, gt=0, description="the score's maximum (100 for %, 10 for MT-Bench)")


def _wrap(value: Any) -> Any:
    """A bare value becomes ``{value: …}``; a mapping is a fact with provenance."""
    if isinstance(value, dict) or isinstance(value, Provenance):
        return value
    return {"value": value}


class _FactOf:
    """``FactOf[int]``: a fact that may be written bare or with provenance."""

    def __class_getitem__(cls, item: Any) -> Any:
        return Annotated[Fact[item], BeforeValidator(_wrap, json_schema_input_type=Union[item, Fact[item]])]


FactOf = _FactOf
BenchmarkFact = Annotated[Benchmark, BeforeValidator(_wrap, json_schema_input_type=Union[float, Benchmark])]


class Pricing(Provenance):
    """List prices of an API (or of a host serving open weights), per 1M tokens or per image."""

    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    provider: str | None = Field(default=None, description="who charges this price, when not the vendor")
    input_per_1m: FactOf[NonNegative] | None = None
    output_per_1m: FactOf[NonNegative] | None = None
    cached_input_per_1m: FactOf[NonNegative] | None = None
    batch_input_per_1m: FactOf[NonNegative] | None = None
    batch_output_per_1m: FactOf[NonNegative] | None = None
    per_image: FactOf[NonNegative] | None = None


class Serving(Provenance):
    """Measured serving figures: the conditions matter as much as the numbers."""

    ttft_p95_ms: FactOf[NonNegative] | None = Field(default=None, description="p95 time to first token, ms")
    ttft_median_ms: FactOf[NonNegative] | None = None
    tokens_per_s: FactOf[NonNegative] | None = Field(default=None, description="output tokens/s per stream")
    aggregate_tokens_per_s: FactOf[NonNegative] | None = None
    batch_elasticity: FactOf[Share] | None = Field(
        default=None, description="aggregate throughput at 8 concurrent users / (8 × one user's); 1 = scales perfectly")
    seconds_per_image: FactOf[NonNegative] | None = None
    hardware: str | None = None
    concurrency: Count | None = None
    provider: str | None = None


class Compliance(Provenance):
    soc2_type2: FactOf[bool] | None = Field(default=None, description="vendor ships a SOC 2 Type II report")
    eu_ai_act_high_risk: FactOf[bool] | None = Field(
        default=None, description="the intended use falls under an EU AI Act Annex III high-risk area")
    gdpr_dpa: FactOf[Literal["standard", "on-request", "none"]] | None = None
    eu_data_residency: FactOf[bool] | None = None
    uptime_sla_pct: FactOf[Percent] | None = None
    unsafe_response_rate_pct: FactOf[Percent] | None = None
    ailuminate_grade: FactOf[Literal["poor", "fair", "good", "very-good", "excellent"]] | None = None


class LicenseTerms(Provenance):
    """What the licence or terms of service allow, as read by someone with a source."""

    commercial_use: FactOf[bool] | None = None
    hosting_for_third_parties: FactOf[bool] | None = Field(
        default=None, description="may you offer the model as a hosted service to others (competitors included)")
    onprem_redistribution: FactOf[bool] | None = None
    user_cap_mau: FactOf[Count] | None = None
    arbitration_jurisdiction: FactOf[str] | None = Field(
        default=None, description="where disputes go, as a region code: US-CA, EU, EU-FR, GB …")


class Operations(Provenance):
    status: FactOf[Literal["active", "legacy", "deprecated", "retired"]] | None = None
    deprecation_date: FactOf[Date] | None = None
    shutdown_date: FactOf[Date] | None = None
    rollback_without_reindex: FactOf[bool] | None = None
    versioned_lora_adapters: FactOf[bool] | None = None
    fine_tuning: FactOf[bool] | None = None
    tokenizer_changed: FactOf[bool] | None = Field(
        default=None, description="the tokenizer changed from the previous version (cached embeddings break)")


class Ecosystem(Provenance):
    vllm: FactOf[bool] | None = None
    tensorrt_llm: FactOf[bool] | None = None
    tokenizer_integrations: FactOf[Count] | None = None
    hf_downloads: FactOf[Count] | None = Field(default=None, description="Hugging Face downloads, last 30 days")
    hf_likes: FactOf[Count] | None = None


class TrainingData(Provenance):
    fine_tuning_data_disclosed: FactOf[bool] | None = None
    books_memorised_share: FactOf[Share] | None = Field(
        default=None, description="share of a books probe reproduced verbatim (Books3-style fingerprint), 0–1")
    pretraining_tokens: FactOf[ParamCount] | None = None


class Sustainability(Provenance):
    g_co2e_per_1k_tokens: FactOf[NonNegative] | None = Field(
        default=None, description="vendor-declared or measured grams CO2e per 1k tokens served")


RedFlagId = Literal[
    "hosting-restricted", "tokenizer-changed", "hidden-fine-tuning-data", "no-eval-in-language",
    "foreign-arbitration", "memorised-books", "deprecated", "non-commercial-licence",
]
RED_FLAG_IDS: tuple[str, ...] = RedFlagId.__args__  # type: ignore[attr-defined]


class AssertedFlag(Provenance):
    """A red flag a reviewer asserts, with the reason; derived flags come from the rubric."""

    id: Slug
    reason: str = Field(min_length=3)
    title: str | None = Field(default=None, description="required for a flag not in the standard list")


class Assessment(Strict):
    """A person's score for a criterion or a whole layer, with who, when and why."""

    criterion: Slug | None = None
    layer: str | None = None
    score: Annotated[float, Field(ge=0, le=5)]
    reason: str = Field(min_length=3)
    reviewer: str = Field(min_length=1)
    date: Date


def _access_list(value: Any) -> Any:
    if isinstance(value, str):
        return (value,)
    return tuple(value) if isinstance(value, list) else value


class ModelEntry(Provenance):
    """One candidate model."""

    id: Slug
    name: str = Field(min_length=1)
    vendor: str = Field(min_length=1)
    family: str | None = None
    kind: Kind
    access: Annotated[tuple[Access, ...], BeforeValidator(_access_list, json_schema_input_type=Union[Access, list[Access]]),
                      Field(min_length=1)]
    hf_id: str | None = Field(default=None, pattern=r"^[\w.-]+/[\w.-]+$")
    release_date: FactOf[Date] | None = None
    params: FactOf[ParamCount] | None = None
    active_params: FactOf[ParamCount] | None = None
    context_window: FactOf[TokenCount] | None = None
    max_output_tokens: FactOf[TokenCount] | None = None
    license: FactOf[str] | None = Field(default=None, description="Hugging Face licence id, or 'proprietary'")
    license_terms: LicenseTerms = LicenseTerms()
    benchmarks: dict[Slug, BenchmarkFact] = {}
    eval_languages: FactOf[list[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]]] | None = Field(
        default=None, description="ISO 639 codes of languages the vendor (or you) evaluated")
    pricing: Pricing = Pricing()
    serving: Serving = Serving()
    compliance: Compliance = Compliance()
    operations: Operations = Operations()
    ecosystem: Ecosystem = Ecosystem()
    training_data: TrainingData = TrainingData()
    sustainability: Sustainability = Sustainability()
    red_flags: list[AssertedFlag] = []
    assessments: list[Assessment] = []
    notes: list[str] = []


class Catalog(Strict):
    """A list of candidate models and when the facts were gathered."""

    schema_version: Literal[1]
    name: str | None = None
    description: str | None = None
    as_of: Date | None = None
    models: list[ModelEntry]


class Workload(Strict):
    """What the team will run. Token counts are per request."""

    name: Slug
    description: str | None = None
    input_tokens: Annotated[int, Field(ge=0)] = 2_000
    output_tokens: Annotated[int, Field(ge=0)] = 500
    tokens_per_day: Annotated[int, Field(ge=0)] | None = None
    ttft_budget_ms: Annotated[float, Field(gt=0)] | None = Field(
        default=None, description="first-token latency budget; none for batch work")
    concurrency: Annotated[int, Field(ge=1)] = 1
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]] = ["en"]
    jurisdiction: str | None = Field(default=None, description="where the team is: EU, EU-DE, US-CA … (legal flags)")
    egress_usd_per_gb: NonNegative = Field(
        default=0.09, description="internet egress price; 0.09 USD/GB is AWS's first-10-TB tier")
    bytes_per_token: NonNegative = Field(default=4.0, description="bytes of response text per output token")
    carbon_price_eur_per_t: NonNegative = Field(
        default=65.0, description="carbon price; 65 EUR/t CO2e is the seed's EU figure (EU ETS averaged ~67 in 2024)")


class WorkloadFile(Strict):
    schema_version: Literal[1]
    workloads: list[Workload]
