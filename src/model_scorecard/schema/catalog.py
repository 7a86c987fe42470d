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

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from model_scorecard.units import MAX_BYTES, MAX_COUNT, MAX_MAGNITUDE, MAX_TOKENS, parse_params, parse_tokens

T = TypeVar("T")

SCHEMA_VERSION = 1
Kind = Literal["llm", "diffusion-image", "diffusion-llm", "embedding", "speech"]
Checkpoint = Literal["instruct", "reasoning", "base", "code"]
#: Checkpoints fit for a conversational workload.
CONVERSATIONAL_CHECKPOINTS = ("instruct", "reasoning")
Access = Literal["api", "open-weights"]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
ACCESSES: tuple[str, ...] = Access.__args__  # type: ignore[attr-defined]

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class Strict(BaseModel):
    """Base of every input model: unknown fields are errors, numbers are real numbers.

    Numbers are finite (no NaN or infinity) and bounded: an integer by :func:`integer_limit`
    of its field's name (a fact's value by the field that holds the fact), a real number by
    ``units.MAX_MAGNITUDE`` (and, unless 0, at least its reciprocal); so no figure read from
    a file, nor any computed from a few of them, leaves what a float, a 64-bit integer and
    JSON hold."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False,
                              populate_by_name=True)

    @model_validator(mode="after")
    def _bounded_integers(self) -> Strict:
        for name, value in self.__dict__.items():
            if isinstance(value, Fact):
                value = value.value
            kind = type(value)
            if kind is int and value > 1_000 and value > (limit := integer_limit(name)):
                shown = f"{value:,}" if value.bit_length() <= 200 else f"a number of {value.bit_length()} bits"
                raise ValueError(f"{name}: {shown} is above the limit of {limit:,}")
            if kind is float and value:
                if abs(value) > (bound := _REAL_LIMITS.get(name, MAX_MAGNITUDE)):
                    raise ValueError(f"{name}: {value:g} is beyond the limit of ±{bound:g} for a figure")
                if abs(value) < 1 / MAX_MAGNITUDE:  # its reciprocal (a share divided by) would be beyond
                    raise ValueError(f"{name}: {value:g} is closer to zero than {1 / MAX_MAGNITUDE:g}, too small "
                                     "to be a figure")
        return self


#: Bounds of integer fields by name, beyond the generic MAX_COUNT (see :func:`integer_limit`).
_TOKEN_FIELDS = ("input_tokens", "output_tokens", "prompt_tokens", "context_window", "max_output_tokens")
_ARCHITECTURE_KEYS = {"num_layers": "num_hidden_layers", "hidden_size": "hidden_size",
                      "num_heads": "num_attention_heads", "num_kv_heads": "num_key_value_heads",
                      "head_dim": "head_dim", "vocab_size": "vocab_size", "num_experts": "num_experts",
                      "experts_per_token": "num_experts_per_tok", "sliding_window": "sliding_window"}


# a GPU's memory (calc/gpu_schema.py rows) at most units.MAX_BYTES, in each unit it may be given in
_MEMORY_LIMITS = {"memory_bytes": MAX_BYTES, "memory_mib": MAX_BYTES // 2**20}
_REAL_LIMITS = {"memory_gib": MAX_BYTES / 2**30, "memory_gb": MAX_BYTES / 1e9}


def integer_limit(field: str) -> int:
    """The largest integer a catalog, workload or GPU-file field may hold: a token count's bound
    for tokens per request or context, calc.architecture's for a config.json figure,
    ``units.MAX_BYTES`` for a GPU's memory, else 2^53 − 1."""
    if field in _TOKEN_FIELDS:
        return MAX_TOKENS
    if field in _MEMORY_LIMITS:
        return _MEMORY_LIMITS[field]
    if field in _ARCHITECTURE_KEYS:
        from model_scorecard.calc.architecture import LIMITS

        return LIMITS[_ARCHITECTURE_KEYS[field]]
    return MAX_COUNT


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



Grade = Literal["first-party", "independent", "third-party"]


class Provenance(Strict):
    """Where a group of facts came from; applies to members that do not say."""

    source: str | None = None
    as_of: AsOf | None = None
    grade: Grade | None = Field(
        default=None, description="first-party (the vendor's card, docs, price page, licence text); independent "
                                  "(a measurement that runs every model the same way); third-party (a wiki, news "
                                  "copy, reseller or gateway: shown and scored, never counted as evidence)")
    note: str | None = None


class Fact(Provenance, Generic[T]):
    """One value with where it came from."""

    value: T



class Benchmark(Fact[float]):
    """A benchmark score as published: keep the protocol, scores differ by it.

    ``n_shot``, ``cot`` and ``variant`` are the protocol a rubric criterion can require;
    ``setting`` is free text for the rest (harness, judge, prompt)."""

    value: NonNegative
    n_shot: Count | None = None
    cot: bool | None = Field(default=None, description="chain-of-thought prompting (true) or direct answers (false)")
    variant: str | None = Field(default=None, description="the benchmark's subset or version: diamond, main, "
                                                          "verified, v2 …")
    setting: str | None = None
    scale: Annotated[float, Field(gt=0)] | None = Field(
        default=100, description="the score's maximum (100 for %, 10 for MT-Bench); null for an open-ended rating "
                                 "such as an Arena (Elo-style) score")
    ci: NonNegative | None = Field(default=None, description="half-width of the score's 95 % confidence interval, "
                                                             "as the source gives it (an Arena score's ±)")

    @model_validator(mode="after")
    def _within_scale(self) -> "Benchmark":
        if self.scale is not None and self.value > self.scale:
            raise ValueError(f"{self.value:g} is above the score's maximum {self.scale:g} "
                             "(percentages run 0–100; give `scale` for another maximum)")
        return self


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
    """Measured serving figures: the conditions matter as much as the numbers.

    For an entry offered both as open weights and as an API they describe the API (the
    vendor's endpoint) unless ``deployment: self-hosted`` says otherwise."""

    deployment: Literal["api", "self-hosted"] | None = Field(
        default=None, description="which deployment was measured: api (default when the entry has an API) or "
                                  "self-hosted")
    prompt_tokens: Count | None = Field(default=None, description="prompt length the figures were measured at")

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
    endpoint: str | None = Field(default=None, description="the endpoint measured (provider's API, region)")


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
    vllm: FactOf[bool] | None = Field(default=None, description="vLLM supports the architecture (its support "
                                                                 "matrix lists it); leave out when not listed")
    tensorrt_llm: FactOf[bool] | None = None
    openai_compatible: FactOf[bool] | None = Field(
        default=None, description="the vendor's API accepts OpenAI-style chat-completions requests")
    sdk_integrations: FactOf[Count] | None = Field(
        default=None, description="SDKs and gateways that integrate the API (LangChain, LlamaIndex, LiteLLM, "
                                  "Vercel AI SDK, OpenRouter …), counted from their provider lists")
    cloud_platforms: FactOf[Count] | None = Field(
        default=None, description="major clouds that serve the model (AWS Bedrock, Azure AI Foundry, Google Vertex AI)")
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


CommitSha = Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")]
Gating = Literal["no", "auto", "manual"]
PositiveCount = Annotated[int, Field(ge=1)]


class HubRepository(Provenance):
    """What the Hugging Face Hub says about the repository named by ``hf_id`` (`scorecard enrich` fills it)."""

    revision: FactOf[CommitSha] | None = Field(
        default=None, description="commit sha (40 hex digits) the Hub facts of this entry were read at")
    gated: FactOf[Gating] | None = Field(
        default=None, description="access to the weights: no; auto (granted on request); manual (the authors "
                                  "approve each request); a gated model needs HF_TOKEN to download")
    last_modified: FactOf[Date] | None = Field(default=None, description="date of the repository's last commit")
    library: FactOf[str] | None = Field(
        default=None, description="library the Hub names for the weights (transformers, diffusers …)")
    pipeline_tag: FactOf[str] | None = Field(
        default=None, description="the Hub's task tag (text-generation, text-to-image …)")


class ArchitectureFacts(Provenance):
    """The model's shape as its config.json states it: counts read, never estimated."""

    model_type: FactOf[str] | None = Field(
        default=None, description="config.json model_type (llama, qwen2, mixtral …)")
    num_layers: FactOf[PositiveCount] | None = Field(default=None, description="transformer layers")
    hidden_size: FactOf[PositiveCount] | None = Field(default=None, description="width of the residual stream")
    num_heads: FactOf[PositiveCount] | None = Field(default=None, description="query heads per attention layer")
    num_kv_heads: FactOf[PositiveCount] | None = Field(
        default=None, description="key/value heads per attention layer (fewer than num_heads: GQA/MQA)")
    head_dim: FactOf[PositiveCount] | None = Field(default=None, description="size of one attention head")
    vocab_size: FactOf[PositiveCount] | None = Field(default=None, description="tokens in the vocabulary")
    num_experts: FactOf[PositiveCount] | None = Field(
        default=None, description="routed experts per mixture-of-experts layer (absent for a dense model)")
    experts_per_token: FactOf[PositiveCount] | None = Field(
        default=None, description="routed experts each token uses (mixture of experts)")
    sliding_window: FactOf[PositiveCount] | None = Field(
        default=None, description="tokens a sliding-window attention layer attends to")


# -- claims: figures a document states, recorded as stated so `scorecard validate` can ------
# -- recompute them (see lint.py); scoring does not read them ---------------------------------

TokenVolume = Annotated[int, BeforeValidator(parse_params, json_schema_input_type=Union[int, str]), Field(gt=0)]
PriceBasis = Literal["input", "output", "cached_input", "batch_input", "batch_output", "blended"]
Positive = Annotated[float, Field(gt=0)]


class CostClaim(Provenance):
    """A cost as a document states it. Write the document's figures, not corrected ones.

    "$311 ($0.25 / 1k)" for a 1B-token test is ``{tokens: 1B, usd: 311, usd_per_1k: 0.25}``;
    the lint checks usd ÷ tokens × 1000 = usd_per_1k.
    """

    label: str | None = Field(default=None, description="what the figure is for, in the document's words")
    tokens: TokenVolume | None = Field(
        default=None, description="tokens the stated cost covers; decimal suffixes (1B = 10^9, 1M = 10^6)")
    usd: NonNegative | None = Field(default=None, description="stated cost of `tokens` tokens, USD")
    usd_per_1k: NonNegative | None = Field(default=None, description="stated USD per 1,000 tokens")

    @model_validator(mode="after")
    def _checkable(self) -> "CostClaim":
        if (self.usd is None) != (self.tokens is None):
            raise ValueError("give `usd` and `tokens` together: a cost and the tokens it covers")
        if self.usd is None and self.usd_per_1k is None:
            raise ValueError("a cost claim needs `usd_per_1k`, or `usd` with `tokens`")
        return self


class PriceClaim(CostClaim):
    """A cost claim about one model; with ``basis`` it is checked against the entry's ``pricing``."""

    basis: PriceBasis | None = Field(
        default=None, description="the list price the figure is of: compared with pricing.<basis>_per_1m / 1000; "
                                  "`blended` mixes input and output prices by input_tokens:output_tokens")
    input_tokens: Count | None = Field(default=None, description="input tokens per request, for `basis: blended`")
    output_tokens: Count | None = Field(default=None, description="output tokens per request, for `basis: blended`")

    @model_validator(mode="after")
    def _mix(self) -> "PriceClaim":
        mix = (self.input_tokens, self.output_tokens)
        if self.basis == "blended" and (None in mix or sum(mix) == 0):  # type: ignore[arg-type]
            raise ValueError("`basis: blended` needs input_tokens and output_tokens (the request mix, e.g. 2000 and 500)")
        if self.basis != "blended" and mix != (None, None):
            raise ValueError("input_tokens and output_tokens are the mix of `basis: blended`")
        return self


class CarbonClaim(Provenance):
    """Emissions per GPU-hour as a document states them, and the carbon cost it derives.

    "0.68 kg CO2e per A100-hour; €65/t → €0.029 per A100-hour" is ``{id: a100, gpu: A100,
    kg_co2e_per_gpu_hour: 0.68, carbon_price_eur_per_t: 65, tax_eur_per_gpu_hour: 0.029}``.
    """

    id: Slug = Field(description="name that comparisons refer to (a100, h100 …)")
    gpu: str = Field(min_length=1, description="the GPU, by a name or alias of the GPU table (A100, H100 SXM …)")
    kg_co2e_per_gpu_hour: NonNegative
    power_w: Positive | None = Field(
        default=None, description="average power per GPU the figure assumes, host share included, when stated; "
                                  "otherwise the GPU's idle power and 2 × TDP bound it")
    grid_g_co2e_per_kwh: NonNegative | None = Field(default=None, description="grid intensity the figure assumes")
    pue: Annotated[float, Field(ge=1)] | None = Field(default=None, description="data-centre PUE the figure assumes")
    carbon_price_eur_per_t: NonNegative | None = Field(default=None, description="carbon price used, EUR per t CO2e")
    tax_eur_per_gpu_hour: NonNegative | None = Field(
        default=None, description="stated carbon cost per GPU-hour, EUR; checked against kg × EUR/t / 1000")

    @model_validator(mode="after")
    def _priced(self) -> "CarbonClaim":
        if self.tax_eur_per_gpu_hour is not None and self.carbon_price_eur_per_t is None:
            raise ValueError("a carbon cost per GPU-hour needs the carbon_price_eur_per_t it was priced at")
        return self


class CarbonComparison(Provenance):
    """Two carbon claims compared: "H100: 0.45 kg, 2.3× throughput → −60 % carbon per token"."""

    of: Slug = Field(description="id of the carbon claim being compared (h100)")
    against: Slug = Field(description="id of the baseline carbon claim (a100)")
    same_site: bool = Field(
        default=True, description="both GPUs run at one site (one grid, one PUE), so kg/GPU-hour must follow power; "
                                  "false only when the two figures come from different grids")
    throughput_ratio: Positive | None = Field(
        default=None, description="tokens/s of `of` divided by tokens/s of `against` on the same work")
    co2e_per_token_change_pct: Annotated[float, Field(ge=-100)] | None = Field(
        default=None, description="stated change in CO2e per token of `of` against `against`, % (-60 = 60% less)")


class Claims(Provenance):
    """Cost and hardware figures a source states that are not about one model (a blog post's
    self-hosting test, its carbon side note). Kept as stated so `scorecard validate` can
    recompute them; the source and date here apply to every claim that does not give its own.
    """

    cost: list[CostClaim] = []
    carbon: list[CarbonClaim] = []
    carbon_comparisons: list[CarbonComparison] = []


RedFlagId = Literal[
    "hosting-restricted", "tokenizer-changed", "hidden-fine-tuning-data", "no-eval-in-language",
    "foreign-arbitration", "memorised-books", "deprecated", "non-commercial-licence", "checkpoint-mismatch",
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
    hub: HubRepository = Field(
        default=HubRepository(), description="the Hugging Face repository of hf_id: commit, gating, last change")
    checkpoint: FactOf[Checkpoint] | None = Field(
        default=None, description="what the weights were trained for: instruct (chat / instruction-tuned), "
                                  "reasoning (instruct with a thinking phase), base (pretrained only), code "
                                  "(code completion only)")
    release_date: FactOf[Date] | None = None
    params: FactOf[ParamCount] | None = None
    active_params: FactOf[ParamCount] | None = None
    context_window: FactOf[TokenCount] | None = None
    max_output_tokens: FactOf[TokenCount] | None = None
    architecture: ArchitectureFacts = Field(
        default=ArchitectureFacts(), description="layers, heads, vocabulary and experts from config.json")
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
    cost_claims: list[PriceClaim] = Field(
        default=[], description="cost figures a document states for this model, checked by `scorecard validate`")
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
    claims: Claims = Field(
        default=Claims(), description="cost and carbon figures a source states that are not about one model")


class Workload(Strict):
    """What the team will run. Token counts are per request."""

    name: Slug
    description: str | None = None
    input_tokens: Annotated[int, Field(ge=0)] = 2_000
    output_tokens: Annotated[int, Field(ge=0)] = 500
    tokens_per_day: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="input + output tokens served per day: sizes self-hosted replicas and utilisation")
    serves: list[Kind] = Field(
        default=["llm", "diffusion-llm"], min_length=1,
        description="kinds of model this workload can use; others are listed apart as not applicable")
    conversational: bool = Field(
        default=True, description="people converse with the model: base and code-completion checkpoints do not fit")
    commercial: bool = Field(default=True, description="the use is commercial (a licence must allow it)")
    hosted_for_third_parties: bool = Field(
        default=False, description="you offer the model as a hosted service to others (some licences forbid it)")
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
    gpu: str = Field(default="H100 SXM", description="GPU that self-hosted open weights are sized and priced on")
    precision: Literal["fp32", "bf16", "fp16", "fp8", "int8", "int4", "nvfp4", "mxfp4"] = Field(
        default="bf16", description="weight precision for self-hosted estimates")
    gpu_usd_per_hour: NonNegative | None = Field(
        default=None, description="GPU price; default: the GPU table's 2026 on-demand range")
    utilisation: Annotated[float, Field(gt=0, le=1)] | None = Field(
        default=None, description="share of paid GPU time spent serving (self-hosted cost and carbon); default: "
                                  "from tokens_per_day over the replicas it needs (0.5 when the traffic is unknown)")
    region: str = Field(default="eu-27", description="grid for carbon estimates: france, sweden, germany, usa, eu-27, world")
    pue: str = Field(default="hyperscaler", description="data-centre PUE preset: hyperscaler or industry")


class WorkloadFile(Strict):
    schema_version: Literal[1]
    workloads: list[Workload]
