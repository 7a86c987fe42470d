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
    n_shot: Count | None = Field(default=None, description="examples in the prompt (0 = zero-shot, 5 = five-shot)")
    cot: bool | None = Field(default=None, description="chain-of-thought prompting (true) or direct answers (false)")
    variant: str | None = Field(default=None, description="the benchmark's subset or version: diamond, main, "
                                                          "verified, v2 …")
    setting: str | None = Field(
        default=None, description="free text for the rest of the protocol: harness, judge, prompt")
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

    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = Field(
        default="USD", description="ISO 4217 currency code of the prices (USD)")
    provider: str | None = Field(default=None, description="who charges this price, when not the vendor")
    input_per_1m: FactOf[NonNegative] | None = Field(default=None, description="price per 1M input tokens")
    output_per_1m: FactOf[NonNegative] | None = Field(default=None, description="price per 1M output tokens")
    cached_input_per_1m: FactOf[NonNegative] | None = Field(
        default=None, description="price per 1M cached (prompt-cache hit) input tokens")
    batch_input_per_1m: FactOf[NonNegative] | None = Field(
        default=None, description="batch-API price per 1M input tokens")
    batch_output_per_1m: FactOf[NonNegative] | None = Field(
        default=None, description="batch-API price per 1M output tokens")
    per_image: FactOf[NonNegative] | None = Field(default=None, description="price per generated image")


class Serving(Provenance):
    """Measured serving figures: the conditions matter as much as the numbers.

    For an entry offered both as open weights and as an API they describe the API (the
    vendor's endpoint) unless ``deployment: self-hosted`` says otherwise."""

    deployment: Literal["api", "self-hosted"] | None = Field(
        default=None, description="which deployment was measured: api (default when the entry has an API) or "
                                  "self-hosted")
    prompt_tokens: Count | None = Field(default=None, description="prompt length the figures were measured at")

    ttft_p95_ms: FactOf[NonNegative] | None = Field(default=None, description="p95 time to first token, ms")
    ttft_median_ms: FactOf[NonNegative] | None = Field(default=None, description="median time to first token, ms")
    tokens_per_s: FactOf[NonNegative] | None = Field(default=None, description="output tokens/s per stream")
    aggregate_tokens_per_s: FactOf[NonNegative] | None = Field(
        default=None, description="output tokens/s over all concurrent streams")
    batch_elasticity: FactOf[Share] | None = Field(
        default=None, description="aggregate throughput at 8 concurrent users / (8 × one user's); 1 = scales perfectly")
    seconds_per_image: FactOf[NonNegative] | None = Field(default=None, description="seconds to generate one image")
    hardware: str | None = Field(default=None, description="hardware the figures were measured on (8×H100 …)")
    concurrency: Count | None = Field(default=None, description="concurrent requests the figures were measured at")
    provider: str | None = Field(default=None, description="who served the model when it was measured")
    endpoint: str | None = Field(default=None, description="the endpoint measured (provider's API, region)")


class Compliance(Provenance):
    soc2_type2: FactOf[bool] | None = Field(default=None, description="vendor ships a SOC 2 Type II report")
    eu_ai_act_high_risk: FactOf[bool] | None = Field(
        default=None, description="the intended use falls under an EU AI Act Annex III high-risk area")
    gdpr_dpa: FactOf[GdprDpa] | None = Field(
        default=None,
        description="GDPR data processing agreement: standard (offered to every customer), on-request or none")
    eu_data_residency: FactOf[bool] | None = Field(
        default=None, description="prompts and outputs can be kept within the EU")
    uptime_sla_pct: FactOf[Percent] | None = Field(
        default=None, description="uptime the vendor's SLA promises, % (99.9 …)")
    unsafe_response_rate_pct: FactOf[Percent] | None = Field(
        default=None, description="share of unsafe answers on a safety benchmark, %")
    ailuminate_grade: FactOf[AiluminateGrade] | None = Field(
        default=None, description="MLCommons AILuminate safety grade: poor, fair, good, very-good, excellent")


class LicenseTerms(Provenance):
    """What the licence or terms of service allow, as read by someone with a source."""

    commercial_use: FactOf[bool] | None = Field(default=None, description="the licence allows commercial use")
    hosting_for_third_parties: FactOf[bool] | None = Field(
        default=None, description="may you offer the model as a hosted service to others (competitors included)")
    onprem_redistribution: FactOf[bool] | None = Field(
        default=None, description="you may redistribute the weights with an on-premises product")
    user_cap_mau: FactOf[Count] | None = Field(
        default=None,
        description="monthly active users above which the licence needs another agreement (Llama: 700M)")
    arbitration_jurisdiction: FactOf[str] | None = Field(
        default=None, description="where disputes go, as a region code: US-CA, EU, EU-FR, GB …")


class Operations(Provenance):
    status: FactOf[Lifecycle] | None = Field(
        default=None, description="where the model is in its life: active, legacy, deprecated or retired")
    deprecation_date: FactOf[Date] | None = Field(
        default=None, description="date the vendor deprecated (or will deprecate) the model")
    shutdown_date: FactOf[Date] | None = Field(default=None, description="date the model stops being served")
    rollback_without_reindex: FactOf[bool] | None = Field(
        default=None, description="you can roll back to the previous version without re-embedding your data")
    versioned_lora_adapters: FactOf[bool] | None = Field(
        default=None, description="LoRA adapters can be versioned and served side by side")
    fine_tuning: FactOf[bool] | None = Field(default=None, description="the vendor offers fine-tuning of the model")
    tokenizer_changed: FactOf[bool] | None = Field(
        default=None, description="the tokenizer changed from the previous version (cached embeddings break)")


class Ecosystem(Provenance):
    vllm: FactOf[bool] | None = Field(default=None, description="vLLM supports the architecture (its support "
                                                                 "matrix lists it); leave out when not listed")
    tensorrt_llm: FactOf[bool] | None = Field(default=None, description="TensorRT-LLM supports the architecture")
    openai_compatible: FactOf[bool] | None = Field(
        default=None, description="the vendor's API accepts OpenAI-style chat-completions requests")
    sdk_integrations: FactOf[Count] | None = Field(
        default=None, description="SDKs and gateways that integrate the API (LangChain, LlamaIndex, LiteLLM, "
                                  "Vercel AI SDK, OpenRouter …), counted from their provider lists")
    cloud_platforms: FactOf[Count] | None = Field(
        default=None, description="major clouds that serve the model (AWS Bedrock, Azure AI Foundry, Google Vertex AI)")
    tokenizer_integrations: FactOf[Count] | None = Field(
        default=None, description="libraries and runtimes that ship the model's tokenizer, counted")
    hf_downloads: FactOf[Count] | None = Field(default=None, description="Hugging Face downloads, last 30 days")
    hf_likes: FactOf[Count] | None = Field(default=None, description="Hugging Face likes of the repository")


class TrainingData(Provenance):
    fine_tuning_data_disclosed: FactOf[bool] | None = Field(
        default=None, description="the vendor discloses the data the model was fine-tuned on")
    books_memorised_share: FactOf[Share] | None = Field(
        default=None, description="share of a books probe reproduced verbatim (Books3-style fingerprint), 0–1")
    pretraining_tokens: FactOf[ParamCount] | None = Field(
        default=None, description="tokens the model was pretrained on: 15T, 1.4T (decimal suffixes)")


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
                        written_as("TokenVolume", "a number of tokens processed: a whole number, or text with a "
                                   "decimal suffix: k = 10^3, M = 10^6, B = 10^9, T = 10^12, either case (1B = 10^9)",
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
    kg_co2e_per_gpu_hour: NonNegative = Field(description="stated kg CO2e per GPU-hour")
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

    cost: list[CostClaim] = Field(
        default=[], description="costs as a document states them (self-hosting tests and the like)")
    carbon: list[CarbonClaim] = Field(default=[], description="emissions per GPU-hour as a document states them")
    carbon_comparisons: list[CarbonComparison] = Field(
        default=[], description="two carbon claims compared, as a document compares them")


RedFlagId = Literal[
    "hosting-restricted", "tokenizer-changed", "hidden-fine-tuning-data", "no-eval-in-language",
    "foreign-arbitration", "memorised-books", "deprecated", "non-commercial-licence", "checkpoint-mismatch",
]
RED_FLAG_IDS: tuple[str, ...] = RedFlagId.__args__  # type: ignore[attr-defined]


class AssertedFlag(Provenance):
    """A red flag a reviewer asserts, with the reason; derived flags come from the rubric."""

    id: Slug = Field(
        description="the flag's id: one of the standard flags (hosting-restricted …) or your own with a title")
    reason: str = Field(min_length=3, description="why the flag applies, in a sentence a reader can check")
    title: str | None = Field(default=None, description="required for a flag not in the standard list")


class Assessment(Strict):
    """A person's score for a criterion or a whole layer, with who, when and why."""

    criterion: Slug | None = Field(
        default=None, description="id of the rubric criterion this score is for (leave out for a whole layer)")
    layer: str | None = Field(
        default=None, description="the rubric layer this score is for, when it scores a whole layer (capability …)")
    score: Annotated[float, Field(ge=0, le=5)] = Field(description="the score, 0–5")
    reason: str = Field(min_length=3, description="why this score, in a sentence a reader can check")
    reviewer: str = Field(min_length=1, description="who gave the score")
    date: Date


def _access_list(value: Any) -> Any:
    if isinstance(value, str):
        return (value,)
    return tuple(value) if isinstance(value, list) else value


class ModelEntry(Provenance):
    """One candidate model."""

    id: Slug = Field(description="the model's id in this catalog, referred to by shortlists and reports")
    name: str = Field(min_length=1, description="the model's name as people write it")
    vendor: str = Field(min_length=1, description="who makes the model")
    family: str | None = Field(default=None, description="the model family (Llama 3, Qwen2.5 …)")
    kind: Kind = Field(description="what the model is: llm, diffusion-image, diffusion-llm, embedding or speech")
    access: Annotated[tuple[Access, ...], Field(min_length=1), BeforeValidator(
        _access_list, json_schema_input_type=Union[Access, Annotated[list[Access], Field(min_length=1)]])] = Field(
        description="how the model is offered: api, open-weights, or a list of both")
    hf_id: str | None = Field(
        default=None, pattern=r"^[\w.-]+/[\w.-]+$",
        description="the Hugging Face repository of the weights, org/name")
    hub: HubRepository = Field(
        default=HubRepository(), description="the Hugging Face repository of hf_id: commit, gating, last change")
    checkpoint: FactOf[Checkpoint] | None = Field(
        default=None, description="what the weights were trained for: instruct (chat / instruction-tuned), "
                                  "reasoning (instruct with a thinking phase), base (pretrained only), code "
                                  "(code completion only)")
    release_date: FactOf[Date] | None = Field(default=None, description="when the model was released, YYYY-MM-DD")
    params: FactOf[ParamCount] | None = Field(
        default=None, description="total parameters: 70B, 7.2b, 1.5T (decimal suffixes) or a whole number")
    active_params: FactOf[ParamCount] | None = Field(
        default=None,
        description="parameters used per token (a mixture of experts uses fewer than it has): 13B, 37B …")
    context_window: FactOf[TokenCount] | None = Field(
        default=None,
        description="tokens the model reads at once: 128k = 128,000, 128K = 131,072 (as vLLM reads them)")
    max_output_tokens: FactOf[TokenCount] | None = Field(
        default=None, description="most tokens one answer may have: 8k = 8,000, 8K = 8,192")
    architecture: ArchitectureFacts = Field(
        default=ArchitectureFacts(), description="layers, heads, vocabulary and experts from config.json")
    license: FactOf[str] | None = Field(default=None, description="Hugging Face licence id, or 'proprietary'")
    license_terms: LicenseTerms = Field(
        default=LicenseTerms(),
        description="what the licence or terms of service allow, read by someone with a source")
    benchmarks: dict[Slug, BenchmarkFact] = Field(
        default={},
        description="published benchmark scores by benchmark id (mmlu, gpqa …): a bare score or one with its "
                    "protocol")
    eval_languages: FactOf[list[LanguageCode]] | None = Field(
        default=None, description="ISO 639 codes of languages the vendor (or you) evaluated")
    pricing: Pricing = Field(default=Pricing(), description="list prices per 1M tokens (or per image)")
    serving: Serving = Field(
        default=Serving(),
        description="measured latency and throughput, with the conditions they were measured under")
    compliance: Compliance = Field(
        default=Compliance(), description="certifications, data agreements and safety figures")
    operations: Operations = Field(
        default=Operations(),
        description="lifecycle: status, deprecation and shutdown dates, rollback and fine-tuning")
    ecosystem: Ecosystem = Field(default=Ecosystem(), description="runtimes, SDKs and clouds that support the model")
    training_data: TrainingData = Field(default=TrainingData(), description="what is known about the training data")
    sustainability: Sustainability = Field(default=Sustainability(), description="emissions figures")
    cost_claims: list[PriceClaim] = Field(
        default=[], description="cost figures a document states for this model, checked by `scorecard validate`")
    red_flags: list[AssertedFlag] = Field(
        default=[], description="red flags a reviewer asserts, with reasons (derived flags come from the rubric)")
    assessments: list[Assessment] = Field(
        default=[], description="reviewers' scores for manual criteria or whole layers, with reasons")
    notes: list[str] = Field(default=[], description="free-text notes shown with the model")


class Catalog(Strict):
    """A list of candidate models and when the facts were gathered."""

    schema_version: Literal[1] = Field(description="version of the catalog format: 1")
    name: str | None = Field(default=None, description="the catalog's name, shown in reports")
    description: str | None = Field(default=None, description="what the catalog is for")
    as_of: Date | None = Field(default=None, description="when the catalog's facts were gathered, YYYY-MM-DD")
    models: list[ModelEntry] = Field(description="the candidate models")
    claims: Claims = Field(
        default=Claims(), description="cost and carbon figures a source states that are not about one model")
