"""Workloads: what a team will run (tokens per request, traffic, budgets, GPU), and the bundled presets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from model_scorecard import bundled
from model_scorecard.errors import UserError, suggest
from model_scorecard.schema.base import Kind, NonNegative, Slug, Strict
from model_scorecard.schema.located import Located, expect_mapping, validate
from model_scorecard.schema.yamlio import load_file

__all__ = ["Workload", "WorkloadDocument", "WorkloadFile", "load_workload", "workload_presets", "workload_from"]


class Workload(Strict):
    """What the team will run. Token counts are per request."""

    name: Slug = Field(description="the workload's id (a preset's name, or your own)")
    description: str | None = Field(default=None, description="what the workload is, for a reader")
    input_tokens: Annotated[int, Field(ge=0)] = Field(default=2_000, description="prompt tokens per request")
    output_tokens: Annotated[int, Field(ge=0)] = Field(default=500, description="output tokens per request")
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
    concurrency: Annotated[int, Field(ge=1)] = Field(
        default=1, description="concurrent requests a self-hosted replica serves")
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]] = Field(
        default=["en"], description="ISO 639 codes of the languages the users write in")
    jurisdiction: str | None = Field(default=None, description="where the team is: EU, EU-DE, US-CA … (legal flags)")
    egress_usd_per_gb: NonNegative = Field(
        default=0.09, description="internet egress price; 0.09 USD/GB is AWS's first-10-TB tier")
    bytes_per_token: NonNegative = Field(default=4.0, description="bytes of response text per output token")
    carbon_price_eur_per_t: NonNegative = Field(
        default=65.0, description="carbon price; 65 EUR/t CO2e is the 2024 roadmap post's EU figure (EU ETS averaged ~67 in 2024)")
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
    """A file of workloads (the bundled presets are one)."""

    schema_version: Literal[1] = Field(description="version of the workload file format: 1")
    workloads: list[Workload] = Field(description="the workloads, each with its name")


class WorkloadDocument(Workload):
    """A file holding one workload, as ``--workload FILE`` reads it: the workload's fields, and
    the format's version like every other file (optional, so files written without it still load)."""

    schema_version: Literal[1] | None = Field(default=None, description="version of the workload format: 1")


def workload_from(located: Located) -> Workload:
    """A single-workload file (already read), validated; problems located in the file."""
    expect_mapping(located, "workload")
    document = validate(located, WorkloadDocument)
    return Workload(**{name: getattr(document, name) for name in Workload.model_fields})


def workload_presets() -> dict[str, Workload]:
    located = Located.from_document(load_file(bundled.data_file("workloads.yaml")))
    return {w.name: w for w in validate(located, WorkloadFile).workloads}


def load_workload(ref: str | Path | None, default: str = "chat") -> Workload:
    """A preset by name (chat, voice, ad-auction, batch) or a YAML file with one workload."""
    presets = workload_presets()
    name = str(ref or default)
    if name in presets:
        return presets[name]
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return workload_from(Located.from_document(load_file(path)))
    raise UserError(f"unknown workload '{name}'{suggest(name, presets)}",
                    hint=f"presets: {', '.join(presets)}; or give a YAML file describing your workload")
