"""Hub facts → catalog facts: fill what a catalog does not say, never what it says.

For every entry with an ``hf_id`` the Hub's answer (see :mod:`model_scorecard.hub`) gives
``params``, ``active_params`` (MoE), ``context_window``, ``license``, the repository facts
``hub.revision`` / ``gated`` / ``last_modified`` / ``library`` / ``pipeline_tag``, the
``architecture`` group read from config.json, and ``ecosystem.hf_downloads`` / ``hf_likes``,
each as ``{value, source: huggingface, as_of, note}``; the entry's licence id then gives
``license_terms`` through the bundled licence table (:mod:`model_scorecard.tables.licences`). A
fact the catalog already states wins, unless ``overwrite``; a fact an earlier run filled
(its source is ours) is always brought up to date, and dropped when the Hub (or the
licence table) no longer gives it.

Two ways in: :func:`apply_hub_facts` returns a new :class:`Catalog` (``rank --hub``), and
:func:`enrich_catalog_file` returns the text of a new catalog file that keeps the input's
own wording of every fact it did not touch (``scorecard enrich``). Inputs are never changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from model_scorecard.errors import (
    HubUnavailable,
    InvalidInput,
    ScorecardError,
    UserError,
)
from model_scorecard.hub.client import DEFAULT_JOBS, fetch_many
from model_scorecard.hub.model import HubModel
from model_scorecard.schema.catalog import Catalog, ModelEntry
from model_scorecard.schema.catalogfile import changed_facts, dump_yaml, is_fact, read_back
from model_scorecard.schema.catalogfile import merge_facts as merge
from model_scorecard.tables.licences import (
    LICENSE_SOURCE,
    TERM_FIELDS,
    license_gap,
    license_terms,
)

__all__ = ["HUB_SOURCE", "EnrichResult", "apply_hub_facts", "apply_hub_models", "architecture_facts",
           "enrich_catalog_file", "facts_from_hub", "fetch_catalog_models", "licence_warning", "merge_facts"]

HUB_SOURCE = "huggingface"
_OURS = (HUB_SOURCE, LICENSE_SOURCE)
_NOTE_PREFIX = "huggingface: "
OnResult = Callable[[str, "HubModel | ScorecardError"], None]


def facts_from_hub(model: HubModel, *, evals: bool = False) -> dict[str, Any]:
    """The catalog facts one Hub answer gives, as plain data (``{field: {value, source, as_of, note}}``).

    The groups ``hub``, ``architecture`` and ``ecosystem`` (and, with ``evals``, ``benchmarks``
    from the repository's .eval_results and the card's model-index: :mod:`model_scorecard.hub.evals`)
    are always there, empty when the Hub says nothing of theirs, so that a refresh drops what an
    earlier answer gave.
    """
    at = f"{model.repo_id}@{model.sha[:12]}" if model.sha else model.repo_id

    def fact(value: Any, note: str) -> dict[str, Any]:
        return {"value": value, "source": HUB_SOURCE, "as_of": model.fetched_at, "note": f"{at}: {note}"}

    out: dict[str, Any] = {}
    if model.params is not None:
        out["params"] = fact(model.params, model.sources["params"])
    if model.active_params is not None:
        out["active_params"] = fact(model.active_params, model.sources["active_params"])
    if model.context_window is not None:
        out["context_window"] = fact(model.context_window, model.sources["context_window"])
    if model.license is not None:
        lid = model.license.strip().lower()
        named = f" ({model.license_name})" if model.license_name else ""
        note = f"model card licence{named}" + (f", {model.license_link}" if model.license_link else "")
        if not license_terms(lid):
            note += "; the licence table gives no terms for it: commercial use, hosting and redistribution unknown"
        out["license"] = fact(lid, note)
    out["hub"] = _repository_facts(model, fact)
    out["architecture"] = architecture_facts(model.config, fact) if model.config is not None else {}
    eco: dict[str, Any] = {}
    if model.downloads is not None:
        eco["hf_downloads"] = fact(model.downloads, "downloads in the last 30 days")
    if model.likes is not None:
        eco["hf_likes"] = fact(model.likes, "likes")
    out["ecosystem"] = eco
    if evals:
        from model_scorecard.hub.evals import benchmark_facts

        out["benchmarks"] = benchmark_facts(model)
    return out


_GATING = {False: "no", "false": "no", "False": "no", "auto": "auto", "manual": "manual"}
SHA_PATTERN = re.compile(r"^[0-9a-f]{40}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
Maker = Callable[[Any, str], dict[str, Any]]


def _repository_facts(model: HubModel, fact: Maker) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if model.sha and SHA_PATTERN.match(model.sha):
        asked = f"revision '{model.revision}'" if model.revision else "the default branch"
        why = f"; {model.config_error}" if model.config_error else ""  # why `architecture` is missing
        out["revision"] = fact(model.sha, f"commit of {asked}{why}")
    gating = _GATING.get(model.gated) if isinstance(model.gated, (str, bool)) else None  # True: which kind is unsaid
    if gating is not None:
        what = {"no": "not gated", "auto": "gated: access is granted on request",
                "manual": "gated: the authors approve each access request"}[gating]
        out["gated"] = fact(gating, what)
    if model.last_modified and _DAY.match(model.last_modified):
        out["last_modified"] = fact(model.last_modified[:10], f"last commit {model.last_modified}")
    if model.library_name:
        out["library"] = fact(model.library_name, "library_name")
    if model.pipeline_tag:
        out["pipeline_tag"] = fact(model.pipeline_tag, "pipeline_tag")
    return out


#: ``architecture`` facts and the config.json keys that state them, first match wins
#: (used where the exact counter does not know the model type).
RAW_ARCHITECTURE_KEYS: dict[str, tuple[str, ...]] = {
    "num_layers": ("num_hidden_layers", "n_layer", "num_layers", "n_layers"),
    "hidden_size": ("hidden_size", "n_embd", "d_model"),
    "num_heads": ("num_attention_heads", "n_head", "num_heads", "n_heads"),
    "num_kv_heads": ("num_key_value_heads", "num_kv_heads", "n_kv_heads"),
    "head_dim": ("head_dim",),
    "vocab_size": ("vocab_size",),
    "num_experts": ("num_local_experts", "num_experts", "n_routed_experts", "moe_num_experts"),
    "experts_per_token": ("num_experts_per_tok", "num_experts_per_token", "moe_top_k"),
    "sliding_window": ("sliding_window",),
}
#: The config.json key an exact count took from the class default, for each fact.
_DEFAULTED = {"num_layers": "num_hidden_layers", "hidden_size": "hidden_size", "num_heads": "num_attention_heads",
              "num_kv_heads": "num_key_value_heads", "head_dim": "head_dim", "vocab_size": "vocab_size",
              "sliding_window": "sliding_window"}


def _positive(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def architecture_facts(config: Mapping[str, Any], fact: Maker) -> dict[str, Any]:
    """The ``architecture`` group from a config.json: the exact reading of
    :func:`~model_scorecard.calc.architecture.architecture_from_config` where the model
    type is supported, else the keys the config states (nothing is derived or guessed)."""
    from model_scorecard.calc.architecture import architecture_from_config

    try:
        arch = architecture_from_config(config)
    except UserError:
        return _raw_architecture(config, fact)
    values = {"model_type": arch.model_type, "num_layers": arch.num_layers, "hidden_size": arch.hidden_size,
              "num_heads": arch.num_heads, "num_kv_heads": arch.num_kv_heads, "head_dim": arch.head_dim,
              "vocab_size": arch.vocab_size, "num_experts": arch.num_experts,
              "experts_per_token": arch.experts_per_token, "sliding_window": arch.sliding_window}
    out: dict[str, Any] = {}
    for name, value in values.items():
        if value is None or (name != "model_type" and _positive(value) is None):
            continue
        note = f"config.json, read as {arch.counted_class}"
        key = _DEFAULTED.get(name)
        if key in arch.defaults_used:
            note += f" ({key} is not in config.json: {arch.counted_class}'s default)"
        out[name] = fact(value, note)
    return out


def _raw_architecture(config: Mapping[str, Any], fact: Maker) -> dict[str, Any]:
    out: dict[str, Any] = {}
    model_type = config.get("model_type")
    if isinstance(model_type, str) and model_type.strip():
        out["model_type"] = fact(model_type.strip(), "config.json model_type")
    text = config.get("text_config") if isinstance(config.get("text_config"), Mapping) else {}
    for name, keys in RAW_ARCHITECTURE_KEYS.items():
        if name == "sliding_window" and config.get("use_sliding_window") is False:
            continue  # stated but switched off
        for where, part in (("config.json", config), ("config.json text_config", text)):
            key = next((k for k in keys if _positive(part.get(k)) is not None), None)
            if key is not None:
                out[name] = fact(part[key], f"{where} {key} (model type not read by the exact counter)")
                break
    return out


#: What a refresh may drop when the Hub (or the licence table) no longer gives it: top-level
#: facts, and per group the facts of ours in it (None: all of them). A fact of another
#: name is never dropped, whatever its source says.
_HUB_TOP = ("params", "active_params", "context_window", "license")
_OWNED_IN_GROUP: dict[str, tuple[str, ...] | None] = {
    "hub": None, "architecture": None, "ecosystem": ("hf_downloads", "hf_likes"), "license_terms": TERM_FIELDS,
    "benchmarks": None}


def _is_ours(value: Any) -> bool:
    return isinstance(value, Mapping) and value.get("source") in _OURS


def merge_facts(data: Mapping[str, Any], facts: Mapping[str, Any], *, overwrite: bool = False,
                order: tuple[str, ...] = (), prune: Iterable[str] = ()) -> dict[str, Any]:
    """:func:`~model_scorecard.schema.catalogfile.merge_facts` as a refresh from the Hub merges: facts
    an earlier run filled (their source is the Hub's or the licence table's) are replaced, and those
    named in ``prune`` (and, inside the groups ``hub``, ``architecture``, ``ecosystem``,
    ``license_terms`` and ``benchmarks``, those we fill) are dropped when ``facts`` no longer gives them."""
    return merge(data, facts, overwrite=overwrite, order=order, prune=prune, ours=_OURS, owned=_OWNED_IN_GROUP)


def _licence_value(entry: Mapping[str, Any]) -> str | None:
    lic = entry.get("license")
    if isinstance(lic, Mapping):
        lic = lic.get("value")
    return lic if isinstance(lic, str) else None


_ENTRY_ORDER: tuple[str, ...] = tuple(ModelEntry.model_fields)


def _validates(data: Mapping[str, Any]) -> ModelEntry | None:
    from pydantic import ValidationError

    try:
        return ModelEntry.model_validate(data)
    except (ValidationError, ValueError, TypeError):
        return None


def _valid_facts(entry: Mapping[str, Any], facts: Mapping[str, Any], *, overwrite: bool,
                 left_out: list[str]) -> dict[str, Any]:
    """``facts`` less those the catalog would refuse (a count beyond the catalog's bounds, a
    text of the wrong form): each is tried on ``entry`` alone, and named in ``left_out``.
    When ``entry`` does not validate by itself, nothing is judged (its own problems are the
    catalog's to report)."""
    if _validates(entry) is None:
        return dict(facts)
    kept: dict[str, Any] = {}
    for key, new in facts.items():
        if isinstance(new, Mapping) and not is_fact(new):  # a group: each fact on its own
            group = {}
            for inner, fact in new.items():
                if _validates(merge_facts(entry, {key: {inner: fact}}, overwrite=overwrite)) is not None:
                    group[inner] = fact
                else:
                    left_out.append(f"{key}.{inner}")
            kept[key] = group
        elif _validates(merge_facts(entry, {key: new}, overwrite=overwrite)) is not None:
            kept[key] = new
        else:
            left_out.append(key)
    return kept


def _enrich_entry(entry: Mapping[str, Any], model: HubModel, *, overwrite: bool,
                  left_out: list[str] | None = None, evals: bool = False) -> dict[str, Any]:
    """``entry`` with the Hub's facts; a fact the catalog would refuse is left out (and named in
    ``left_out``), and so is an ``active_params`` or ``params`` of the Hub's that contradicts
    the other, stated by hand (more active parameters than parameters)."""
    dropped: list[str] = [] if left_out is None else left_out
    facts = _valid_facts(entry, facts_from_hub(model, evals=evals), overwrite=overwrite, left_out=dropped)
    out = merge_facts(entry, facts, overwrite=overwrite, order=_ENTRY_ORDER, prune=_HUB_TOP)
    checked = _validates(out)
    if (checked is not None and checked.params is not None and checked.active_params is not None
            and checked.active_params.value > checked.params.value):
        for name in ("active_params", "params"):
            if _is_ours(out.get(name)) and not _is_ours(out.get("params" if name == "active_params" else "active_params")):
                out = {k: v for k, v in out.items() if k != name}
                dropped.append("active_params (above the catalog's params)" if name == "active_params"
                               else "params (below the catalog's active_params)")
                break
    out = merge_facts(out, {"license_terms": license_terms(_licence_value(out))}, overwrite=overwrite,
                      order=_ENTRY_ORDER)
    notes = out.get("notes")
    if isinstance(notes, list):  # the one-line summary earlier versions wrote: now facts of `hub`
        kept = [n for n in notes if not (isinstance(n, str) and n.startswith(_NOTE_PREFIX))]
        if len(kept) != len(notes):
            if kept:
                out["notes"] = kept
            else:
                del out["notes"]
    return out


def licence_warning(entry: Mapping[str, Any], model: HubModel | None = None) -> str | None:
    """Why an entry has no licence terms (so they are unknown), or None when it has some: from
    the licence table, or written by hand for a licence the table does not list."""
    terms = entry.get("license_terms")
    if isinstance(terms, Mapping) and any(k in TERM_FIELDS and (v.get("value") if isinstance(v, Mapping) else v)
                                          is not None for k, v in terms.items()):
        return None
    lid = _licence_value(entry)
    card = ""
    if model is not None and (model.license_name or model.license_link):
        card = " (model card: " + ", ".join(x for x in (model.license_name, model.license_link) if x) + ")"
    return license_gap(lid, card)


# --------------------------------------------------------------------------- fetching

def fetch_catalog_models(hf_ids: Iterable[str], *, offline: bool | None = None, refresh: bool = False,
                         exact: bool = False, jobs: int = DEFAULT_JOBS, timeout_s: float = 10.0,
                         on_result: OnResult | None = None) -> dict[str, HubModel]:
    """Every ``hf_id``'s Hub answer (cache first), or one error naming every id that failed.

    :class:`HubUnavailable` (exit 4) when any id could not be fetched and is not cached,
    else :class:`UserError` (exit 2) listing the ids that do not exist or are gated.
    """
    results = fetch_many(hf_ids, offline=offline, refresh=refresh, exact=exact, jobs=jobs,
                         timeout_s=timeout_s, on_result=on_result)
    failed = {i: r for i, r in results.items() if isinstance(r, ScorecardError)}
    if failed:
        lines = "\n".join(f"  {i}: {r.message if isinstance(r, UserError) else r}" for i, r in failed.items())
        if any(isinstance(r, HubUnavailable) for r in failed.values()):
            raise HubUnavailable(f"{len(failed)} of {len(results)} Hugging Face model(s) could not be read:\n{lines}")
        hints = sorted({r.hint for r in failed.values() if isinstance(r, UserError) and r.hint})
        raise UserError(f"{len(failed)} of {len(results)} hf_id(s) could not be used:\n{lines}",
                        hint="\n".join(hints) or None)
    return {i: r for i, r in results.items() if isinstance(r, HubModel)}


def apply_hub_models(catalog: Catalog, models: Mapping[str, HubModel], *, overwrite: bool = False) -> Catalog:
    """A new catalog: each entry with an ``hf_id`` in ``models`` gets the facts it lacks (those
    the catalog accepts: a Hub value beyond its bounds is left out, as :func:`_enrich_entry` says)."""
    entries = []
    for entry in catalog.models:
        model = models.get(entry.hf_id) if entry.hf_id else None
        if model is None:
            entries.append(entry)
            continue
        enriched = _validates(_enrich_entry(entry.model_dump(), model, overwrite=overwrite))
        entries.append(enriched if enriched is not None else entry)  # facts that only fail together: none
    return catalog.model_copy(update={"models": entries})


def apply_hub_facts(catalog: Catalog, *, offline: bool | None = None, refresh: bool = False,
                    overwrite: bool = False, exact: bool = False, jobs: int = DEFAULT_JOBS,
                    on_result: OnResult | None = None) -> Catalog:
    """``catalog`` with the Hub's facts filled in where it has none (cache first; never mutates it)."""
    ids = [m.hf_id for m in catalog.models if m.hf_id]
    if not ids:
        return catalog
    models = fetch_catalog_models(ids, offline=offline, refresh=refresh, exact=exact, jobs=jobs, on_result=on_result)
    return apply_hub_models(catalog, models, overwrite=overwrite)


# --------------------------------------------------------------------------- a new catalog file

@dataclass(frozen=True)
class EnrichResult:
    text: str
    models: int
    facts_added: int
    warnings: tuple[str, ...]
    #: licence ids of enriched entries that the licence table does not list (``"(none)"``: no
    #: licence at all) or lists for review: their terms stay unknown
    licences_without_terms: tuple[str, ...] = ()


HEADER = ("# Written by `scorecard enrich`: facts with `source: huggingface` come from the Hugging Face\n"
          "# Hub (model_info with its eval results, config.json, the model card's model-index), `source: model-scorecard licenses.yaml` from the bundled\n"
          "# licence table; every other fact is the input's. Comments of the input are not carried over.\n")


def enrich_catalog_file(path: str | Path, *, offline: bool | None = None, refresh: bool = False,
                        overwrite: bool = False, exact: bool = False, jobs: int = DEFAULT_JOBS,
                        on_start: Callable[[int], None] | None = None,
                        on_result: OnResult | None = None, output: str | Path | None = None) -> EnrichResult:
    """The text of a new catalog: the file at ``path`` with Hub facts filled in.

    The input is validated first. The text returned is read back with the project's loader
    (:func:`model_scorecard.schema.yamlio.loads`, YAML 1.2 core) and must give exactly the data meant
    (else :class:`InternalError`, exit 3: a bug, nothing to write), and what it gives must
    validate as a catalog (else :class:`UserError`, exit 2, located in ``output``): a file
    this writes always loads, to the same values. ``on_start(n)`` is told how many Hub ids
    will be read.
    """
    from model_scorecard.schema.load import catalog_from
    from model_scorecard.schema.located import Located
    from model_scorecard.schema.yamlio import load_file

    doc = load_file(path)
    catalog = catalog_from(Located.from_document(doc))
    ids = list(dict.fromkeys(m.hf_id for m in catalog.models if m.hf_id))
    if on_start is not None:
        on_start(len(ids))
    models = fetch_catalog_models(ids, offline=offline, refresh=refresh, exact=exact, jobs=jobs,
                                  on_result=on_result) if ids else {}
    data = dict(doc.data)
    new_entries, added, warnings, unknown = [], 0, [], set()
    for raw in data["models"]:
        model = models.get(raw.get("hf_id")) if isinstance(raw, Mapping) else None
        if model is None:
            new_entries.append(raw)
            continue
        left_out: list[str] = []
        new = _enrich_entry(raw, model, overwrite=overwrite, left_out=left_out, evals=True)
        if left_out:
            warnings.append(f"{raw.get('id')} ({model.repo_id}): left out the Hub's {', '.join(left_out)}: "
                            "values the catalog does not accept")
        added += changed_facts(raw, new)
        new_entries.append(new)
        for problem in (model.config_error, model.architecture_error if model.params is None else None):
            if problem:
                warnings.append(f"{raw.get('id')} ({model.repo_id}): {problem}")
        warnings.extend(f"{raw.get('id')} ({model.repo_id}): {w}" for w in model.warnings)
        gap = licence_warning(new, model)
        if gap:
            warnings.append(f"{raw.get('id')} ({model.repo_id}): {gap}")
            unknown.add(_licence_value(new) or "(none)")
    data["models"] = new_entries
    text = HEADER + dump_yaml(data)
    doc = read_back(text, data, str(output if output is not None else path))
    try:
        catalog_from(Located.from_document(doc))  # what we write must load
    except InvalidInput as exc:
        raise UserError("the catalog with the Hub's facts filled in does not validate, so nothing was written:",
                        exc.problems, hint="the catalog's own facts win over the Hub's: correct them, or take "
                                           "the Hub's with --overwrite") from None
    return EnrichResult(text, len(models), added, tuple(warnings), tuple(sorted(unknown)))
