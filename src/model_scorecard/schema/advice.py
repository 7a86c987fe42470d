"""The advice playbook (rules as data) and the situation it is asked about, both validated with
every problem located (file, line, field).

A playbook (``rubrics/advice/*.yaml``) holds questions; each question holds rules; a rule fires
when every one of its conditions holds. A condition compares one fact of the situation with a
threshold written in the file, or with a figure the tool derives (named in ``DERIVED``). The
playbook never runs code: the operators and facts are the closed lists below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Optional, Union

from pydantic import Field, model_validator

from model_scorecard.schema.base import Share, Slug, Strict, TokenCount
from model_scorecard.schema.located import Located, expect_mapping, validate
from model_scorecard.schema.yamlio import load_file

__all__ = ["DERIVED", "FACTS", "Condition", "Figure", "Playbook", "Question", "Rule", "Situation", "load_playbook",
           "load_situation", "playbook_from"]


class Situation(Strict):
    """What the team knows about its product and workload; every fact may be left out (unknown)."""

    schema_version: Literal[1] = Field(default=1, description="version of the situation format: 1")
    text_share: Share | None = Field(None, description="share of the product's output that is text, 0-1")
    visual_fidelity_drives_margin: bool | None = Field(None, description="does the margin live or die by "
                                                                         "visual fidelity?")
    latency_bound: bool | None = Field(None, description="is the text workload bound by generation latency "
                                                         "(voice agents, code completion, fast agent loops)?")
    private_eval_accuracy: Share | None = Field(None, description="base model's accuracy on your private eval, 0-1")
    model: Annotated[str, Field(min_length=1, max_length=500)] | None = Field(
        None, description="model to fine-tune: a size (8B), a config.json or a catalog id")
    latency_ms: Annotated[float, Field(gt=0, le=3_600_000)] | None = Field(None, description="latency budget, ms")
    batch_heavy: bool | None = Field(None, description="is the workload batch-heavy?")
    jax_team: bool | None = Field(None, description="does the team run JAX/XLA?")
    edge_fanless: bool | None = Field(None, description="fanless edge device (kiosk)?")
    research: bool | None = Field(None, description="is this a research workload?")
    context_tokens: TokenCount | None = Field(None, description="context length the workload needs, tokens")
    gpu_utilisation: Annotated[float, Field(gt=0, le=1)] | None = Field(
        None, description="share of paid GPU time spent serving, (0, 1]")
    fixed_cost_share: Annotated[float, Field(ge=0, lt=1)] | None = Field(
        None, description="share of the dense deployment's full-load hourly cost paid whatever the load, [0, 1)")
    tokens_per_day: Annotated[int, Field(ge=0)] | None = Field(None, description="tokens served per day")
    eu: bool | None = Field(None, description="served from the EU (EU carbon price)?")
    a100_tokens_per_s: Annotated[float, Field(gt=0, le=1e9)] | None = Field(
        None, description="measured throughput of one A100 on this workload, tokens/s")


#: Facts a condition may read: the situation's own (less its version and the model name) and the
#: figures the tool derives from them.
DERIVED = ("moe_break_even_utilisation",)
FACTS = tuple(name for name in Situation.model_fields if name not in ("schema_version", "model")) + DERIVED
FactName = Literal[FACTS]  # type: ignore[valid-type]
#: The yes/no facts; every other fact is a number.
YES_NO = frozenset(name for name, f in Situation.model_fields.items() if f.annotation == Optional[bool])
Op = Literal["lt", "le", "gt", "ge", "eq"]


class Condition(Strict):
    """``fact op value`` (a threshold written here) or ``fact op than`` (another fact)."""

    fact: FactName = Field(description="the situation's fact (or derived figure) compared")
    op: Op = Field(description="comparison: lt, le, gt, ge or eq")
    value: Union[bool, float, None] = Field(
        default=None, description="a threshold to compare with: a number, or true/false for a yes/no fact")
    than: FactName | None = Field(default=None, description="another fact to compare with")

    @model_validator(mode="after")
    def _one_threshold(self) -> Condition:
        if (self.value is None) == (self.than is None):
            raise ValueError("give exactly one of value (a threshold) or than (another fact)")
        if isinstance(self.value, bool) and self.op != "eq":
            raise ValueError(f"a yes/no value can only be compared with eq, not {self.op}")
        return self


class Rule(Strict):
    id: Slug = Field(description="the rule's id")
    when: Annotated[list[Condition], Field(min_length=1)] = Field(
        description="conditions that must all hold for the rule to fire")
    answer: Annotated[str, Field(min_length=1)] = Field(description="the answer when the rule fires")
    because: Annotated[str, Field(min_length=1)] = Field(description="the reason given with the answer")
    source: Annotated[str, Field(min_length=1)] = Field(description="where the reasoning comes from")


class Question(Strict):
    id: Slug = Field(description="the question's id")
    title: Annotated[str, Field(min_length=1)] = Field(description="the question as a reader asks it")
    rules: Annotated[list[Rule], Field(min_length=1)] = Field(
        description="rules tried in order; the first that fires answers")
    note: str | None = Field(default=None, description="a note shown with the question's answer")


class Figure(Strict):
    """A number the rules' arithmetic uses, with where it comes from."""

    value: float = Field(description="the figure")
    unit: str = Field(description="the figure's unit")
    source: Annotated[str, Field(min_length=1)] = Field(description="where the figure comes from")


FigureName = Literal["moe_footprint_ratio", "moe_usd_per_1b_tokens", "dense_usd_per_1b_tokens",
                     "moe_claimed_break_even_section_5", "moe_claimed_break_even_takeaways",
                     "hybrid_frozen_fraction", "hybrid_lora_rank"]


class Playbook(Strict):
    schema_version: Literal[1] = Field(description="version of the playbook format: 1")
    title: Annotated[str, Field(min_length=1)] = Field(description="the playbook's title")
    source: Annotated[str, Field(min_length=1)] = Field(description="where the playbook's reasoning comes from")
    figures: dict[FigureName, Figure] = Field(description="numbers the rules' arithmetic uses, each with its source")
    questions: Annotated[list[Question], Field(min_length=1)] = Field(
        description="the questions the playbook answers")

    @model_validator(mode="after")
    def _complete(self) -> Playbook:
        missing = [name for name in FigureName.__args__ if name not in self.figures]  # type: ignore[attr-defined]
        if missing:
            raise ValueError(f"figures: missing {', '.join(missing)}")
        return self


def playbook_from(located: Located) -> Playbook:
    from model_scorecard.errors import InvalidInput
    from model_scorecard.schema.located import check_unique_ids

    expect_mapping(located, "advice playbook")
    book = validate(located, Playbook)
    problems = check_unique_ids(located, book.questions, "questions", "id")
    for i, q in enumerate(book.questions):
        seen: dict[str, int] = {}
        for j, rule in enumerate(q.rules):
            if rule.id in seen:
                problems.append(located.problem(("questions", i, "rules", j, "id"),
                                                f"duplicate rule id '{rule.id}' (first at rules[{seen[rule.id]}])"))
            seen.setdefault(rule.id, j)
            for k, cond in enumerate(rule.when):
                where = ("questions", i, "rules", j, "when", k)
                message = _type_mismatch(cond)
                if message:
                    problems.append(located.problem(where, message))
    if problems:
        raise InvalidInput(f"{located.file}: {len(problems)} problem(s)", problems)
    return book


def _type_mismatch(cond: Condition) -> str | None:
    """Why a condition compares a yes/no fact with a number, or a number with yes/no; else None."""
    if cond.fact in YES_NO:
        if cond.op != "eq" or cond.than is not None or not isinstance(cond.value, bool):
            return f"{cond.fact} is yes/no: compare it with eq and value true or false"
        return None
    if isinstance(cond.value, bool) or (cond.than is not None and cond.than in YES_NO):
        return f"{cond.fact} is a number: compare it with a number"
    return None


def load_playbook(path: str | Path) -> Playbook:
    """Read and validate an advice playbook; raises InvalidInput naming file, line and field."""
    return playbook_from(Located.from_document(load_file(path)))


def load_situation(path: str | Path) -> Situation:
    """Read and validate a situation file; raises InvalidInput naming file, line and field."""
    located = Located.from_document(load_file(path))
    expect_mapping(located, "situation")
    return validate(located, Situation)
