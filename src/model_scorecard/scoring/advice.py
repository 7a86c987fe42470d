"""``scorecard advise``: the playbook's rules evaluated on a situation.

Each rule is evaluated on its own: **fired** (every condition holds), **not fired** (some
condition is known to fail) or **not evaluated** (no condition fails, but one reads a fact the
situation leaves unknown: the missing facts are named, never guessed). Every condition reports
the value it read and the threshold it compared with. Beside the rules, each question shows
the figures its arithmetic uses, each with where it came from (the playbook, the tool's data
files, or a calculator fed by them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from model_scorecard import bundled
from model_scorecard.schema.advice import (
    Condition,
    Playbook,
    Rule,
    Situation,
    load_playbook,
)

__all__ = ["Advice", "ConditionResult", "Number", "QuestionResult", "RuleResult", "advise", "default_playbook",
           "derived_facts", "evaluate_rule", "show", "situation_from"]

SCHEMA_VERSION = 1
DEFAULT_PLAYBOOK = "rubrics/advice/roadmap-2024.yaml"
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "lt": lambda a, b: a < b, "le": lambda a, b: a <= b, "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b,
    "eq": lambda a, b: a == b}
_SYMBOL = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "="}


def default_playbook() -> Path:
    return bundled.root() / DEFAULT_PLAYBOOK


@dataclass(frozen=True)
class Number:
    """A figure shown beside a question: its value, unit and where it came from."""

    name: str
    value: Any
    unit: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "unit": self.unit, "source": self.source}


@dataclass(frozen=True)
class ConditionResult:
    fact: str
    op: str
    threshold: Any  # the number or yes/no compared with; None when it is an unknown fact
    threshold_from: str  # "playbook" or the derived fact's name
    value: Any  # the situation's value; None when unknown
    holds: bool | None  # None: not evaluated

    def text(self) -> str:
        """``text_share > 0.7 (is 0.8)``; ``eu = yes (is unknown)``."""
        value = "unknown" if self.value is None else show(self.value)
        threshold = "unknown" if self.threshold is None else show(self.threshold)
        if self.threshold_from != "playbook":
            threshold = f"{self.threshold_from} = {threshold}"
        return f"{self.fact} {_SYMBOL[self.op]} {threshold} (is {value})"

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "op": self.op, "value": self.value, "threshold": self.threshold,
                "threshold_from": self.threshold_from, "holds": self.holds}


@dataclass(frozen=True)
class RuleResult:
    id: str
    status: str  # fired | not-fired | not-evaluated
    answer: str
    because: str
    source: str
    conditions: tuple[ConditionResult, ...]
    missing: tuple[str, ...]  # unknown facts that left it not evaluated

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "answer": self.answer, "because": self.because,
                "source": self.source, "conditions": [c.to_dict() for c in self.conditions],
                "missing": list(self.missing)}


@dataclass(frozen=True)
class QuestionResult:
    id: str
    title: str
    status: str  # answered | not-evaluated | no-rule-fired
    rules: tuple[RuleResult, ...]
    numbers: tuple[Number, ...]
    note: str | None

    @property
    def answers(self) -> tuple[str, ...]:
        return tuple(r.answer for r in self.rules if r.status == "fired")

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "status": self.status, "answers": list(self.answers),
                "rules": [r.to_dict() for r in self.rules], "numbers": [n.to_dict() for n in self.numbers],
                "note": self.note}


@dataclass(frozen=True)
class Advice:
    playbook: str
    playbook_title: str
    playbook_source: str
    situation: dict[str, Any]
    questions: tuple[QuestionResult, ...]
    notes: tuple[str, ...] = field(default=())

    def question(self, qid: str) -> QuestionResult:
        return next(q for q in self.questions if q.id == qid)

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "kind": "advice",
                "playbook": {"file": self.playbook, "title": self.playbook_title, "source": self.playbook_source},
                "situation": self.situation, "questions": [q.to_dict() for q in self.questions]}


def show(value: Any) -> str:
    """A fact or threshold in words: yes/no, whole numbers with thousands separators, else 4 digits."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


# --------------------------------------------------------------------------- derived facts

def _busy_ratio(book: Playbook) -> float:
    from model_scorecard.calc.moe import busy_cost_ratio

    return busy_cost_ratio(book.figures["moe_usd_per_1b_tokens"].value, book.figures["dense_usd_per_1b_tokens"].value)


def derived_facts(book: Playbook, situation: Situation) -> dict[str, float | None]:
    """The figures conditions may compare with, computed by calc from the situation and the
    playbook's sourced figures; None where an input is unknown."""
    from model_scorecard.calc.moe import moe_break_even_utilisation

    out: dict[str, float | None] = {"moe_break_even_utilisation": None}
    if situation.fixed_cost_share is not None:
        out["moe_break_even_utilisation"] = moe_break_even_utilisation(
            book.figures["moe_footprint_ratio"].value, _busy_ratio(book), situation.fixed_cost_share)
    return out


# --------------------------------------------------------------------------- evaluation

def _condition(cond: Condition, facts: dict[str, Any]) -> ConditionResult:
    value = facts.get(cond.fact)
    if cond.than is not None:
        threshold, origin = facts.get(cond.than), cond.than
    else:
        threshold, origin = cond.value, "playbook"
    holds = None if value is None or threshold is None else _OPS[cond.op](value, threshold)
    return ConditionResult(cond.fact, cond.op, threshold, origin, value, holds)


def evaluate_rule(rule: Rule, facts: dict[str, Any]) -> RuleResult:
    results = tuple(_condition(c, facts) for c in rule.when)
    missing: list[str] = []
    for c, r in zip(rule.when, results):
        if r.value is None and c.fact not in missing:
            missing.append(c.fact)
        if r.threshold is None and c.than is not None and c.than not in missing:
            missing.append(c.than)
    if any(r.holds is False for r in results):
        status = "not-fired"
    elif missing:
        status = "not-evaluated"
    else:
        status = "fired"
    return RuleResult(rule.id, status, rule.answer, rule.because, rule.source, results,
                      tuple(missing) if status == "not-evaluated" else ())


def advise(situation: Situation, playbook: str | Path | None = None) -> Advice:
    """Evaluate every rule of ``playbook`` (the bundled one by default) on ``situation``."""
    path = Path(playbook) if playbook is not None else default_playbook()
    book = load_playbook(path)
    facts: dict[str, Any] = situation.model_dump(exclude={"schema_version", "model"})
    facts.update(derived_facts(book, situation))
    questions = []
    for q in book.questions:
        rules = tuple(evaluate_rule(r, facts) for r in q.rules)
        if any(r.status == "fired" for r in rules):
            status = "answered"
        elif any(r.status == "not-evaluated" for r in rules):
            status = "not-evaluated"
        else:
            status = "no-rule-fired"
        numbers = tuple(_NUMBERS[q.id](book, situation, facts)) if q.id in _NUMBERS else ()
        questions.append(QuestionResult(q.id, q.title, status, rules, numbers, q.note))
    shown = {k: v for k, v in situation.model_dump(exclude={"schema_version"}).items() if v is not None}
    return Advice(str(playbook) if playbook is not None else DEFAULT_PLAYBOOK, book.title, book.source, shown,
                  tuple(questions))


# --------------------------------------------------------------------------- figures per question

def _figure(book: Playbook, name: str) -> Number:
    f = book.figures[name]
    return Number(name, int(f.value) if f.value.is_integer() else f.value, f.unit, f.source)


def _finetune_numbers(book: Playbook, situation: Situation, facts: dict[str, Any]) -> list[Number]:
    out = [_figure(book, "hybrid_frozen_fraction"), _figure(book, "hybrid_lora_rank")]
    if situation.model is None:
        out.append(Number("finetune_memory_bytes", None, "bytes", "not evaluated: give the model (a size such as "
                          "8B, a config.json or a catalog id) for the memory of the hybrid recipe"))
        return out
    from model_scorecard.calc.finetune import LoraSpec
    from model_scorecard.sizing.finetune import plan_finetune

    spec = LoraSpec(rank=int(book.figures["hybrid_lora_rank"].value),
                    frozen_fraction=book.figures["hybrid_frozen_fraction"].value)
    for method in ("lora", "qlora"):
        plan = plan_finetune(situation.model, method=method, lora=spec)
        est = plan.estimate
        out.append(Number(f"{method}_memory_bytes", round(est.total_bytes), "bytes",
                          f"calc/finetune.estimate_finetune: {plan.label}, {method}, rank {spec.rank}, lower "
                          f"{spec.frozen_fraction:g} of layers frozen, batch {est.batch} x "
                          f"{est.sequence_tokens} tokens"))
    return out


def _moe_numbers(book: Playbook, situation: Situation, facts: dict[str, Any]) -> list[Number]:
    from model_scorecard.calc.moe import (
        fixed_share_for_break_even,
        moe_to_dense_cost_ratio,
    )

    footprint, busy = book.figures["moe_footprint_ratio"].value, _busy_ratio(book)
    out = [_figure(book, "moe_footprint_ratio"),
           Number("moe_busy_cost_ratio", round(busy, 4), "MoE busy cost / dense busy cost",
                  "calc/moe.busy_cost_ratio of the playbook's moe_usd_per_1b_tokens / dense_usd_per_1b_tokens")]
    be = facts.get("moe_break_even_utilisation")
    out.append(Number("moe_break_even_utilisation", None if be is None else round(be, 4), "GPU utilisation",
                      "calc/moe.moe_break_even_utilisation with the situation's fixed_cost_share" if be is not None
                      else "not evaluated: give fixed_cost_share"))
    if situation.gpu_utilisation is not None and situation.fixed_cost_share is not None:
        ratio = moe_to_dense_cost_ratio(situation.gpu_utilisation, footprint, busy, situation.fixed_cost_share)
        out.append(Number("moe_to_dense_cost_ratio", round(ratio, 4), "MoE hourly cost / dense, at gpu_utilisation",
                          "calc/moe.moe_to_dense_cost_ratio"))
    for claim in ("moe_claimed_break_even_section_5", "moe_claimed_break_even_takeaways"):
        stated = book.figures[claim].value
        implied = fixed_share_for_break_even(stated, footprint, busy)
        out.append(Number(f"fixed_share_implied_by_{claim.removeprefix('moe_claimed_break_even_')}", round(implied, 4),
                          f"fixed_cost_share that puts the break-even at {stated:g}",
                          f"calc/moe.fixed_share_for_break_even of {claim} ({book.figures[claim].source})"))
    return out


def _h100_numbers(book: Playbook, situation: Situation, facts: dict[str, Any]) -> list[Number]:
    from model_scorecard.calc.carbon import carbon_tax_eur_per_gpu_hour
    from model_scorecard.calc.cost import self_hosted_usd_per_1k_tokens
    from model_scorecard.tables.carbon import carbon_presets
    from model_scorecard.tables.gpus import find_gpu, load_gpus

    preset = carbon_presets().seed_presets["seed-2024"]
    where = "data/carbon.yaml seed_presets.seed-2024"
    kg = preset.kg_co2e_per_gpu_hour
    a100_name, h100_name = "A100 80GB SXM", "H100 SXM"
    speed = preset.h100_throughput_vs_a100
    gpus = load_gpus()
    a100, h100 = find_gpu(a100_name, gpus), find_gpu(h100_name, gpus)
    price = preset.carbon_price_eur_per_t
    out = [Number(f"{name}_carbon_eur_per_gpu_hour", round(carbon_tax_eur_per_gpu_hour(kg[full], price), 5),
                  "EUR per GPU-hour", f"calc/carbon.carbon_tax_eur_per_gpu_hour: {kg[full]:g} kg x EUR "
                  f"{preset.carbon_price_eur_per_t:g}/t ({where})")
           for name, full in (("a100", a100_name), ("h100", h100_name))]
    out.append(Number("h100_throughput_vs_a100", speed, "x", where))
    out.append(Number("h100_carbon_per_token_vs_a100_seed", round(kg[h100_name] / (kg[a100_name] * speed), 4),
                      "H100 / A100 per token", f"{kg[h100_name]:g} / ({kg[a100_name]:g} x {speed:g}), the post's "
                      "figures (two different grids)"))
    if a100.tdp_w and h100.tdp_w:
        out.append(Number("h100_carbon_per_token_vs_a100_same_site", round(h100.tdp_w / (a100.tdp_w * speed), 4),
                          "H100 / A100 per token", f"TDP {h100.tdp_w:g} W / ({a100.tdp_w:g} W x {speed:g}), GPU table "
                          "(data/gpus.yaml): one grid, busy at TDP"))
    if situation.tokens_per_day is not None and situation.a100_tokens_per_s is not None:
        u = situation.gpu_utilisation or 1.0
        u_from = "gpu_utilisation" if situation.gpu_utilisation is not None else "assumed 1 (busy hours only)"
        for name, card, tps in (("a100", a100, situation.a100_tokens_per_s),
                                ("h100", h100, situation.a100_tokens_per_s * speed)):
            hours = situation.tokens_per_day / (3600 * tps * u)
            full = card.name
            out.append(Number(f"{name}_gpu_hours_per_day", round(hours, 3), "GPU-hours per day",
                              f"tokens_per_day / (3600 x {tps:g} tokens/s x utilisation {u:g}, {u_from})"))
            out.append(Number(f"{name}_carbon_eur_per_day",
                              round(hours * carbon_tax_eur_per_gpu_hour(kg[full], preset.carbon_price_eur_per_t), 4),
                              "EUR per day", f"GPU-hours x calc/carbon.carbon_tax_eur_per_gpu_hour ({where})"))
            if card.usd_per_hour_low is not None and card.usd_per_hour_high is not None:
                low, high = (self_hosted_usd_per_1k_tokens(p, 1, tps, u) * situation.tokens_per_day / 1000
                             for p in (card.usd_per_hour_low, card.usd_per_hour_high))
                out.append(Number(f"{name}_usd_per_day", [round(low, 2), round(high, 2)], "USD per day (low, high)",
                                  f"calc/cost.self_hosted_usd_per_1k_tokens at the GPU table's on-demand "
                                  f"${card.usd_per_hour_low:g}-{card.usd_per_hour_high:g}/GPU-hour"))
    return out


_NUMBERS: dict[str, Callable[[Playbook, Situation, dict[str, Any]], list[Number]]] = {
    "finetune-or-rag": _finetune_numbers, "moe-break-even": _moe_numbers, "h100-vs-a100": _h100_numbers}


def situation_from(path: str | Path | None, given: dict[str, Any], labels: dict[str, str] | None = None) -> Situation:
    """The situation of a file (if any) with the facts in ``given`` that are not None laid over it,
    validated: a problem in the file names its line; one in ``given`` names the field, or its
    label in ``labels`` (the command-line option that gave it)."""
    from model_scorecard.errors import InvalidInput, Problem
    from model_scorecard.schema.advice import load_situation
    from model_scorecard.schema.located import Located, validate

    base: dict[str, Any] = {}
    if path is not None:
        base = load_situation(path).model_dump(exclude_none=True)
    overrides = {k: v for k, v in given.items() if v is not None}
    if not overrides:
        return Situation.model_validate(base)
    try:
        return validate(Located({**base, **overrides}, "command-line options", where={}), Situation)
    except InvalidInput as exc:
        names = labels or {}
        problems = [Problem(p.file, p.line, p.column, names.get(p.field, p.field), p.message) for p in exc.problems]
        raise InvalidInput(exc.message, problems) from None
