"""What the Hub says about one model (:class:`HubModel`), built from a cached or fresh record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from model_scorecard.errors import UserError
from model_scorecard.hub.ids import redact_url, shown_endpoint

# --------------------------------------------------------------------------- the result

@dataclass(frozen=True)
class HubModel:
    """What the Hub says about one revision of one model repository.

    ``sources`` names, for each figure, where it came from. ``params`` is the best
    logical parameter count: exact from ``config.json`` where the architecture is known
    (see :mod:`model_scorecard.calc.architecture`), else the safetensors count corrected
    for packed 4-bit tensors, else the stored count. ``weight_bytes`` is exact (from the
    safetensors headers) only when fetched with ``exact=True``; ``weight_bytes_from_counts``
    is the Hub's element counts × bytes per dtype. ``warnings`` are about this run (a
    failed refresh, a cache that could not be written) and are not part of :meth:`to_dict`.
    """

    repo_id: str
    revision: str | None
    sha: str | None
    endpoint: str
    fetched_at: str
    from_cache: bool
    config: Mapping[str, Any] | None
    config_error: str | None
    license: str | None
    license_name: str | None
    license_link: str | None
    base_model: tuple[str, ...]
    gated: str | bool | None
    private: bool | None
    downloads: int | None
    likes: int | None
    last_modified: str | None
    tags: tuple[str, ...]
    library_name: str | None
    pipeline_tag: str | None
    safetensors_params_by_dtype: Mapping[str, int]
    safetensors_total: int | None
    quantization: Mapping[str, Any] | None
    corrected_params: int | None
    params: int | None
    active_params: int | None
    context_window: int | None
    architecture_error: str | None
    weight_bytes: int | None
    weight_bytes_from_counts: int | None
    exact_error: str | None
    sources: Mapping[str, str]
    warnings: tuple[str, ...] = field(default=(), compare=False)
    #: the model card's eval results (``model-index``), one flat mapping each (see :func:`info_record`)
    eval_results: tuple[Mapping[str, Any], ...] = ()
    #: the repository's ``.eval_results/*.yaml`` entries, one flat mapping each (see :func:`info_record`)
    eval_entries: tuple[Mapping[str, Any], ...] = ()

    @property
    def url(self) -> str:
        return redact_url(f"{self.endpoint}/{self.repo_id}")

    @property
    def is_gated(self) -> bool:
        return self.gated not in (None, False, "false", "False")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready document; the same cache gives the same bytes."""
        return {
            "schema_version": 1,
            "repo_id": self.repo_id,
            "revision": self.revision,
            "sha": self.sha,
            "url": self.url,
            "fetched_at": self.fetched_at,
            "license": self.license,
            "license_name": self.license_name,
            "license_link": self.license_link,
            "base_model": list(self.base_model),
            "gated": self.gated,
            "private": self.private,
            "downloads": self.downloads,
            "likes": self.likes,
            "last_modified": self.last_modified,
            "tags": list(self.tags),
            "library_name": self.library_name,
            "pipeline_tag": self.pipeline_tag,
            "safetensors": {"params_by_dtype": dict(sorted(self.safetensors_params_by_dtype.items())),
                            "total": self.safetensors_total},
            "quantization": dict(self.quantization) if self.quantization else None,
            "corrected_params": self.corrected_params,
            "params": self.params,
            "active_params": self.active_params,
            "context_window": self.context_window,
            "weight_bytes": self.weight_bytes,
            "weight_bytes_from_counts": self.weight_bytes_from_counts,
            "config": dict(self.config) if self.config is not None else None,
            "eval_results": [dict(r) for r in self.eval_results],
            "eval_entries": [dict(r) for r in self.eval_entries],
            "errors": {k: v for k, v in (("config", self.config_error), ("architecture", self.architecture_error),
                                         ("exact", self.exact_error)) if v},
            "sources": dict(sorted(self.sources.items())),
        }


def int_or_none(value: Any) -> int | None:
    """A count as the Hub states it: a whole number from 0 to 2**63 - 1, else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63 else None


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def model_from_record(record: Mapping[str, Any], revision: str | None, *, from_cache: bool,
                       warnings: tuple[str, ...] = ()) -> HubModel:
    """A :class:`HubModel` from a cache record: fresh answers and cached ones take one path."""
    from model_scorecard.calc.architecture import architecture_from_config
    from model_scorecard.calc.quantization import (
        bytes_from_dtype_counts,
        logical_params,
        quantization_from_config,
    )

    info = _dict(record.get("info"))
    sha = record.get("sha")
    at = f"{record['repo_id']}@{sha[:12]}" if isinstance(sha, str) else record["repo_id"]
    card = _dict(info.get("card"))
    config = record.get("config") if isinstance(record.get("config"), dict) else None
    st = _dict(info.get("safetensors"))
    counts = {str(k): v for k, v in _dict(st.get("parameters")).items() if int_or_none(v) is not None}
    sources: dict[str, str] = {"repo": f"Hugging Face Hub model_info for {at}, fetched {record.get('fetched_at')}"}

    arch, arch_error = None, None
    if config is not None:
        try:
            arch = architecture_from_config(config)
        except UserError as exc:
            arch_error = exc.message
    summary = info.get("config") if isinstance(info.get("config"), dict) else None
    quant = quantization_from_config(config) or quantization_from_config(summary)
    if quant:
        sources["quantization"] = f"quantization_config in {'config.json' if config else 'the Hub config summary'}"

    exact = record.get("exact") if isinstance(record.get("exact"), dict) else None
    corrected = None
    if quant and exact:
        corrected = logical_params(_dict(exact.get("params_by_dtype")), quant, _dict(exact.get("metadata_by_dtype")))
        if corrected is not None:
            sources["corrected_params"] = (
                f"safetensors headers: {quant['packed_dtype']} elements × {quant['values_per_element']} "
                f"({quant['precision']}), scales and zero points left out")
    elif quant:
        corrected = logical_params(counts, quant)
        if corrected is not None:
            sources["corrected_params"] = (
                f"Hub safetensors counts: {quant['packed_dtype']} elements × {quant['values_per_element']} "
                f"({quant['precision']}); scales and zero points stored in that dtype are counted too "
                "(exact with --exact)")
    total = int_or_none(st.get("total"))
    if counts or total is not None:
        sources["safetensors_total"] = "Hub safetensors metadata: stored elements per dtype (packed values count once)"

    params: int | None = None
    if arch is not None:
        params = arch.total_params
        sources["params"] = f"config.json: exact count for {arch.counted_class} (quantization ignored)"
    elif corrected is not None:
        params = corrected
        sources["params"] = sources["corrected_params"]
    elif total is not None and (config is not None or info.get("library_name") == "transformers"):
        # one model per repository; a diffusers repository sums its components and variants
        params = total
        sources["params"] = "Hub safetensors metadata (stored elements" + (")" if config is not None else
                                                                            "; config.json not read)")
    active = None
    if arch is not None and arch.is_moe:
        active = arch.active_params
        sources["active_params"] = f"config.json: {arch.experts_per_token} of {arch.num_experts} experts per token"
    context = None
    if arch is not None and arch.max_position_embeddings:
        context = arch.max_position_embeddings
    elif config is not None and int_or_none(config.get("max_position_embeddings")):
        context = config["max_position_embeddings"]
    if context:
        sources["context_window"] = "config.json max_position_embeddings"

    weight_bytes = int_or_none(exact.get("weight_bytes")) if exact else None
    if exact and weight_bytes is not None:
        sources["weight_bytes"] = f"safetensors headers of {exact.get('files')} file(s), {exact.get('tensors')} tensors"
    from_counts = bytes_from_dtype_counts(counts)
    if from_counts is not None:
        sources["weight_bytes_from_counts"] = "Hub safetensors counts × bytes per dtype"
    if config is not None:
        sources["config"] = f"config.json at {at}"
    if _str_or_none(card.get("license")):
        sources["license"] = "model card metadata (license)"
    if info.get("downloads") is not None:
        sources["downloads"] = "Hub model_info: downloads in the last 30 days"
    if info.get("likes") is not None:
        sources["likes"] = "Hub model_info: likes"

    base = card.get("base_model")
    base_models = tuple(b for b in ([base] if isinstance(base, str) else base or []) if isinstance(b, str))
    gated = info.get("gated")
    return HubModel(
        repo_id=record["repo_id"], revision=revision, sha=sha if isinstance(sha, str) else None,
        endpoint=redact_url(str(record.get("endpoint") or shown_endpoint())), fetched_at=str(record.get("fetched_at")),
        from_cache=from_cache,
        config=MappingProxyType(config) if config is not None else None,
        config_error=_str_or_none(record.get("config_error")),
        license=_str_or_none(card.get("license")), license_name=_str_or_none(card.get("license_name")),
        license_link=_str_or_none(card.get("license_link")), base_model=base_models,
        gated=gated if isinstance(gated, (str, bool)) else None,
        private=info.get("private") if isinstance(info.get("private"), bool) else None,
        downloads=int_or_none(info.get("downloads")), likes=int_or_none(info.get("likes")),
        last_modified=_str_or_none(info.get("last_modified")),
        tags=tuple(t for t in _list(info.get("tags")) if isinstance(t, str)),
        library_name=_str_or_none(info.get("library_name")), pipeline_tag=_str_or_none(info.get("pipeline_tag")),
        safetensors_params_by_dtype=MappingProxyType(counts), safetensors_total=total,
        quantization=MappingProxyType(dict(quant)) if quant else None, corrected_params=corrected,
        params=params, active_params=active, context_window=context, architecture_error=arch_error,
        weight_bytes=weight_bytes, weight_bytes_from_counts=from_counts, exact_error=_str_or_none(record.get("exact_error")),
        sources=MappingProxyType(sources), warnings=warnings,
        eval_results=tuple(MappingProxyType(r) for r in _list(card.get("eval_results")) if isinstance(r, dict)),
        eval_entries=tuple(MappingProxyType(r) for r in _list(info.get("eval_entries")) if isinstance(r, dict)),
    )


def _strings(values: Any) -> list[str]:
    return [v for v in values if isinstance(v, str)] if isinstance(values, (list, tuple)) else []


#: What :func:`info_record` keeps of each model-index result huggingface_hub parsed (``EvalResult``).
EVAL_FIELDS = ("task_type", "dataset_type", "dataset_name", "dataset_config", "dataset_split", "dataset_args",
               "metric_type", "metric_value", "metric_name", "verified", "source_name", "source_url")


def _eval_results(card: Any) -> list[dict[str, Any]]:
    results = getattr(card, "eval_results", None) if card is not None else None
    if not isinstance(results, list):
        return []
    return [{k: getattr(r, k, None) for k in EVAL_FIELDS} for r in results]


#: What :func:`info_record` keeps of each ``.eval_results`` entry huggingface_hub parsed (``EvalResultEntry``);
#: ``verify_token`` is kept as whether there is one.
ENTRY_FIELDS = ("dataset_id", "task_id", "value", "date", "source_url", "source_name", "source_user", "source_org",
                "notes")


def _eval_entries(info: Any) -> list[dict[str, Any]]:
    entries = getattr(info, "eval_results", None)
    if not isinstance(entries, list):
        return []
    return [{**{k: getattr(e, k, None) for k in ENTRY_FIELDS}, "verified": bool(getattr(e, "verify_token", None))}
            for e in entries]


def info_record(info: Any) -> dict[str, Any]:
    """The parts of a ``ModelInfo`` we keep, as plain JSON, whatever types the answer held."""
    card = info.card_data
    card_get = (lambda key: getattr(card, key, None)) if card is not None else (lambda key: None)
    st = info.safetensors
    params = getattr(st, "parameters", None) if st is not None else None
    siblings = info.siblings
    last = info.last_modified
    return {
        "id": info.id,
        "sha": info.sha,
        "last_modified": last.isoformat() if hasattr(last, "isoformat") else None,
        "gated": info.gated,
        "private": info.private,
        "downloads": info.downloads,
        "likes": info.likes,
        "tags": _strings(info.tags),
        "library_name": info.library_name,
        "pipeline_tag": info.pipeline_tag,
        "card": {"license": card_get("license"), "license_name": card_get("license_name"),
                 "license_link": card_get("license_link"), "base_model": card_get("base_model"),
                 "eval_results": _eval_results(card)},
        "config": info.config if isinstance(info.config, dict) else None,
        "safetensors": {"parameters": {str(k): v for k, v in params.items()}, "total": getattr(st, "total", None)}
        if isinstance(params, dict) else None,
        "files": sorted(_strings([getattr(s, "rfilename", None) for s in siblings]))
        if isinstance(siblings, list) else None,
        "eval_entries": _eval_entries(info),
    }
