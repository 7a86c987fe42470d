"""lm-evaluation-harness results (``lm_eval --output_path``, ``results_*.json``) → benchmarks.

The harness writes ``results: {task: {"acc,none": 0.71, "acc_stderr,none": 0.012, …}}``
(metric, comma, filter), with ``n-shot``, ``versions``, ``n-samples``, ``group_subtasks``,
``config`` (the model and its arguments) and ``date`` (Unix time) beside it. Each task
becomes one benchmark: the value in % (a share × 100), ``ci`` = 1.96 × the standard error ×
100, ``n_shot`` from ``n-shot``, and a ``setting`` naming the harness, the task's version,
the metric and its filter. Tasks that match a rubric's benchmark take its slug and protocol
(``gpqa_diamond_cot_zeroshot`` → ``gpqa``, variant diamond, cot, 0-shot); the rest keep a
slug of the task name. A run of the harness is graded independent: it runs every model the
same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from model_scorecard.importers.common import (
    Foreign,
    NewEntry,
    checkpoint_fact,
    clean,
    is_number,
    slug_of,
    stamp,
    unix_day,
)

__all__ = ["LmEvalOptions", "import_lm_eval", "rubric_slug"]

WHAT = "an lm-evaluation-harness results file"
GRADE = "independent"

#: Metrics that are shares (0–1), in the order one is chosen for a task.
SHARE_METRICS = ("acc_norm", "acc", "exact_match", "pass@1", "pass_at_1", "prompt_level_strict_acc",
                 "inst_level_strict_acc", "prompt_level_loose_acc", "inst_level_loose_acc", "mc2", "mc1",
                 "f1", "em", "contains")
#: Filters in the order one is chosen, the others after them alphabetically.
#: flexible-extract before strict-match: a chain-of-thought task's strict match often finds no answer at all.
FILTERS = ("none", "custom-extract", "flexible-extract", "strict-match", "get-answer", "create_test")

#: Harness task names that measure a benchmark the rubric names: (pattern, slug, variant, cot).
#: A cot of None leaves chain of thought unstated. ``{v}`` takes the pattern's ``v`` group.
_RUBRIC_TASKS: tuple[tuple[re.Pattern[str], str, str | None, bool | None], ...] = (
    (re.compile(r"^mmlu_pro$"), "mmlu_pro", None, True),  # the harness prompts 5-shot chain of thought
    (re.compile(r"^leaderboard_mmlu_pro$"), "mmlu_pro", None, False),  # Open LLM Leaderboard: log-likelihood
    (re.compile(r"^gpqa_(?P<v>diamond|main|extended)_cot_(zeroshot|n_shot)$"), "gpqa", "{v}", True),
    (re.compile(r"^gpqa_(?P<v>diamond|main|extended)_(zeroshot|n_shot|generative_n_shot)$"), "gpqa", "{v}", False),
    (re.compile(r"^leaderboard_gpqa_(?P<v>diamond|main|extended)$"), "gpqa", "{v}", False),
    (re.compile(r"^mmlu$"), "mmlu", None, False),
    (re.compile(r"^mmlu_flan_cot_(fewshot|zeroshot)$"), "mmlu", None, True),
    (re.compile(r"^gsm8k$"), "gsm8k", None, None),
    (re.compile(r"^gsm8k_cot(_zeroshot|_llama|_self_consistency)?$"), "gsm8k", None, True),
    (re.compile(r"^humaneval(_instruct)?$"), "humaneval", None, None),
)
_METRIC_KEY = re.compile(r"^(?P<metric>[^,]+),(?P<filter>.+)$")
#: Model types of the harness that run weights you hold (the rest call an API).
_LOCAL_MODELS = {"hf", "hf-auto", "huggingface", "hf-multimodal", "vllm", "vllm-vlm", "sglang", "gguf", "ggml",
                 "mamba_ssm", "nemo_lm", "neuronx", "optimum-causal", "openvino", "ipex", "hf-audiolm-qwen",
                 "steered", "textsynth"}
_HF_ID = re.compile(r"^[\w.-]+/[\w.-]+$")


def rubric_slug(task: str) -> tuple[str, str | None, bool | None] | None:
    """The rubric's benchmark slug, variant and chain of thought a harness task measures, or None."""
    for pattern, slug, variant, cot in _RUBRIC_TASKS:
        m = pattern.match(task)
        if m:
            return slug, (variant.format(**m.groupdict()) if variant else None), cot
    return None


@dataclass(frozen=True)
class LmEvalOptions:
    model_id: str
    source: str | None = None
    as_of: date | None = None
    metric: str | None = None  # "acc" or "acc,none": the metric to take where a task has it
    subtasks: bool = False
    new: NewEntry = NewEntry()  # what a new entry needs that the results file may not say
    grade: str = GRADE  # who ran it: independent (your team, one way for every model) by default


def _model_args(config: Mapping[str, Any]) -> dict[str, str]:
    args = config.get("model_args")
    if isinstance(args, Mapping):
        return {str(k): str(v) for k, v in args.items() if isinstance(v, (str, int, float))}
    if isinstance(args, str):
        return dict(part.split("=", 1) for part in args.split(",") if "=" in part)
    return {}


def _identity(doc: Foreign, opts: LmEvalOptions) -> dict[str, Any]:
    config = doc.data.get("config") if isinstance(doc.data.get("config"), Mapping) else {}
    pretrained = _model_args(config).get("pretrained", "").strip()
    hf_id = pretrained if _HF_ID.match(pretrained) and not pretrained.startswith(".") else None
    stated = doc.data.get("model_name")
    stated = stated.strip().rstrip("/").rsplit("/", 1)[-1] if isinstance(stated, str) and stated.strip() else None
    name = opts.new.name or (hf_id.split("/")[1] if hf_id else None) or stated or opts.model_id
    vendor = opts.new.vendor or (hf_id.split("/")[0] if hf_id else None)  # None: a new entry needs --vendor
    access = list(opts.new.access)
    model_type = config.get("model")
    if not access and isinstance(model_type, str):  # none: a new entry needs --access
        access = ["open-weights" if model_type in _LOCAL_MODELS else "api"]
    out: dict[str, Any] = {"id": opts.model_id, "name": name, "vendor": vendor, "kind": opts.new.kind, "access": access}
    if hf_id and "open-weights" in access:
        out["hf_id"] = hf_id
    return out


def _number(doc: Foreign, path: tuple[Any, ...], value: Any) -> float | None:
    """A metric's value: a number, or None for the harness's "N/A"; anything else is an error."""
    if isinstance(value, str) and value.strip().upper() == "N/A":
        return None
    if not is_number(value):
        raise doc.error(path, f"{value!r} is not a number", what=WHAT)
    return float(value)


def _metrics(doc: Foreign, task: str, where: str, block: Mapping[str, Any]) -> dict[tuple[str, str], tuple[float, float | None]]:
    """``{(metric, filter): (value, stderr)}`` of the share metrics a task reports."""
    found: dict[tuple[str, str], tuple[float, float | None]] = {}
    for key, value in block.items():
        m = _METRIC_KEY.match(str(key))
        if not m or m["metric"].endswith("_stderr") or m["metric"] not in SHARE_METRICS:
            continue
        number = _number(doc, (where, task, key), value)
        if number is None:
            continue
        if not 0 <= number <= 1:
            raise doc.error((where, task, key), f"{number:g} is not a share from 0 to 1", what=WHAT)
        se_key = f"{m['metric']}_stderr,{m['filter']}"
        se = _number(doc, (where, task, se_key), block[se_key]) if se_key in block else None
        if se is not None and se < 0:
            raise doc.error((where, task, se_key), f"a standard error of {se:g} is below 0", what=WHAT)
        found[(m["metric"], m["filter"])] = (number, se)
    return found


def _choose(found: Mapping[tuple[str, str], Any], wanted: str | None) -> tuple[str, str] | None:
    if wanted:
        metric, _, filt = wanted.partition(",")
        keys = [k for k in found if k[0] == metric and (not filt or k[1] == filt)]
    else:
        keys = list(found)
    if not keys:
        return None

    def rank(key: tuple[str, str]) -> tuple[int, int, str]:
        metric, filt = key
        return (SHARE_METRICS.index(metric), FILTERS.index(filt) if filt in FILTERS else len(FILTERS), filt)

    return min(keys, key=rank)


def _mapping(doc: Foreign, key: str) -> Mapping[str, Any]:
    value = doc.data.get(key, {})
    if not isinstance(value, Mapping):
        raise doc.error((key,), f"a {type(value).__name__}, not an object", what=WHAT)
    return value


def _n_shot(task: str, shots: Mapping[str, Any], groups: Mapping[str, Any]) -> int | None:
    value = shots.get(task)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    subs = groups.get(task)
    if isinstance(subs, list) and subs:
        values = {_n_shot(s, shots, groups) for s in subs if isinstance(s, str)}
        if len(values) == 1:
            return values.pop()
    return None


def import_lm_eval(doc: Foreign, opts: LmEvalOptions) -> tuple[dict[str, Any], list[str]]:
    """The catalog entry (plain data) an lm-evaluation-harness results file gives, and warnings."""
    data = doc.data
    if not isinstance(data.get("results"), Mapping):
        raise doc.error(("results",) if "results" in data else (), "no `results` object of tasks", what=WHAT)
    tasks: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for where in ("results", "groups"):
        for task, block in _mapping(doc, where).items():
            if not isinstance(block, Mapping):
                raise doc.error((where, task), f"a {type(block).__name__}, not an object of metrics", what=WHAT)
            tasks.setdefault(str(task), (where, block))
    groups = _mapping(doc, "group_subtasks")
    inside = {s for subs in groups.values() if isinstance(subs, list) for s in subs if isinstance(s, str)}
    shots, versions, samples = _mapping(doc, "n-shot"), _mapping(doc, "versions"), _mapping(doc, "n-samples")
    day = unix_day(data.get("date"))
    when = stamp(doc.path, from_file=day, from_file_how="the run's date in the results file", as_of=opts.as_of)
    source = opts.source or doc.path.name
    harness = data.get("lm_eval_version") or data.get("git_hash")
    harness_text = "lm-evaluation-harness" + (f" {harness}" if isinstance(harness, str) and harness else "")
    benchmarks: dict[str, Any] = {}
    warnings: list[str] = []
    skipped: list[str] = []
    for task, (where, block) in tasks.items():
        if task in inside and not opts.subtasks:
            continue
        found = _metrics(doc, task, where, block)
        chosen = _choose(found, opts.metric)
        if chosen is None:
            skipped.append(task)
            continue
        metric, filt = chosen
        value, se = found[chosen]
        mapped = rubric_slug(task)
        slug, variant, cot = mapped if mapped else (slug_of(task), None, None)
        if slug in benchmarks:
            if mapped:
                warnings.append(f"task {task} measures {slug} too: kept as {slug_of(task)}")
            slug, variant, cot = slug_of(task), None, None
        if slug in benchmarks:
            warnings.append(f"task {task}: its slug {slug} is taken; left out")
            continue
        version = versions.get(task)
        setting = f"{harness_text}, task {task}" + (f" v{version}" if isinstance(version, (int, float, str)) else "")
        setting += f", {metric} (filter {filt})"
        effective = samples.get(task, {}).get("effective") if isinstance(samples.get(task), Mapping) else None
        effective = effective if effective is not None else block.get("sample_len")  # older files
        if isinstance(effective, int) and not isinstance(effective, bool):
            setting += f", {effective} samples"
        fact: dict[str, Any] = {"value": clean(value * 100)}
        n = _n_shot(task, shots, groups)
        if n is not None:
            fact["n_shot"] = n
        if cot is not None:
            fact["cot"] = cot
        if variant:
            fact["variant"] = variant
        fact["setting"] = setting
        if se is not None:
            fact["ci"] = clean(1.96 * se * 100, 6)
        fact.update({"source": source, "as_of": when.as_of, "grade": opts.grade,
                     "note": f"lm-evaluation-harness results: {metric},{filt} × 100"
                             + ("; ci = 1.96 × stderr × 100" if se is not None else "; no stderr")
                             + f"; as_of: {when.how}"})
        benchmarks[slug] = fact
    if skipped:
        warnings.append(f"no share metric ({', '.join(SHARE_METRICS[:4])} …"
                        + (f" or {opts.metric}" if opts.metric else "") + f") in task(s): {', '.join(skipped)}")
    if not benchmarks:
        raise doc.error(("results",), "no task reports a metric that is a share (acc, acc_norm, exact_match …)"
                        + (f" matching --metric {opts.metric}" if opts.metric else ""), what=WHAT)
    entry = _identity(doc, opts)
    if opts.new.checkpoint:
        entry["checkpoint"] = checkpoint_fact(opts.new.checkpoint)
    entry["benchmarks"] = benchmarks
    return entry, warnings
