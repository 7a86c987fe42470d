"""Pydantic models of what a catalog says about candidate models, and of workloads.

Every leaf fact may be written bare (``params: 70B``) or with its provenance
(``params: {value: 70B, source: https://…, as_of: 2024-04-18}``). A group (``pricing:``,
``compliance:`` …) and the model entry itself may carry ``source``/``as_of`` that apply to
the facts inside it that do not name their own. A fact that is absent is unknown: it is
never read as zero.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BeforeValidator, Field, model_validator

from model_scorecard.schema.base import (
    Count,
    Date,
    Described,
    Fact,
    Kind,
    NonNegative,
    ParamCount,
    Percent,
    Provenance,
    Share,
    Slug,
    Strict,
    TokenCount,
    written_as,
)
from model_scorecard.units import MAX_PARAMS, PARAMS_PATTERN, parse_params

SCHEMA_VERSION = 1
Checkpoint = Annotated[Literal["instruct", "reasoning", "base", "code"],
                       Described("Checkpoint", "what the weights were trained for: instruct, reasoning, base or code")]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}$"), Described("LanguageCode", "an ISO 639 language code: "
                                                                                       "en, de, fr, yue …", ("en",))]
GdprDpa = Annotated[Literal["standard", "on-request", "none"],
                    Described("GdprDpa", "a GDPR data processing agreement: standard, on-request or none")]
AiluminateGrade = Annotated[Literal["poor", "fair", "good", "very-good", "excellent"],
                            Described("AiluminateGrade", "an MLCommons AILuminate grade")]
Lifecycle = Annotated[Literal["active", "legacy", "deprecated", "retired"],
                      Described("Lifecycle", "where the model is in its life: active, legacy, deprecated, retired")]
#: Checkpoints fit for a conversational workload.
CONVERSATIONAL_CHECKPOINTS = ("instruct", "reasoning")
Access = Literal["api", "open-weights"]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
ACCESSES: tuple[str, ...] = Access.__args__  # type: ignore[attr-defined]

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
    gdpr_dpa: FactOf[GdprDpa] | None = None
    eu_data_residency: FactOf[bool] | None = None
    uptime_sla_pct: FactOf[Percent] | None = None
    unsafe_response_rate_pct: FactOf[Percent] | None = None
    ailuminate_grade: FactOf[AiluminateGrade] | None = None


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
    status: FactOf[Lifecycle] | None = None
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


CommitSha = Annotated[str, Field(pattern=r"^[0-9a-f]{40}$"), Described("CommitSha", "a git commit sha, 40 hex digits")]
Gating = Annotated[Literal["no", "auto", "manual"], Described("Gating", "access to the weights: no, auto or manual")]
PositiveCount = Annotated[int, Field(ge=1), Described("PositiveCount", "a whole number, 1 or more")]


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

TokenVolume = Annotated[int, BeforeValidator(parse_params, json_schema_input_type=Union[int, str]), Field(gt=0),
                        written_as("TokenVolume", "a number of tokens processed: a whole number, or text with a decimal "
                                   "suffix: k = 10^3, M = 10^6, B = 10^9, T = 10^12, either case (1B = 10^9)",
                                   {"type": "integer", "minimum": 1, "maximum": MAX_PARAMS},
                                   {"type": "string", "pattern": PARAMS_PATTERN}, examples=("1B", "250M", 1000000))]
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
    eval_languages: FactOf[list[LanguageCode]] | None = Field(
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
