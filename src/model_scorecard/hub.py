"""The Hugging Face Hub: what it says about a model, fetched once, cached, usable offline.

``fetch_model("meta-llama/Llama-3.1-8B")`` makes one ``model_info`` call (``expand`` asks
for the safetensors parameter counts, config, card data, gating, downloads, likes, last
change, sha, tags, library, pipeline and file list), downloads ``config.json`` and, when
asked (``exact=True``), reads the safetensors headers for the exact weight bytes. The
answer is kept in our own cache, keyed by repository and commit sha, with a pointer from
each revision asked for to its sha. Later calls read the cache (``refresh=True`` asks
the Hub again); ``offline=True`` or ``HF_HUB_OFFLINE=1`` never touches the network.

This is the only module that imports ``huggingface_hub``, and only inside the functions
that talk to the Hub, so the command line starts without it.

Environment, read at each call: ``HF_ENDPOINT`` (a mirror, or a test server),
``HF_TOKEN`` (read by huggingface_hub for gated and private repositories; never printed
or logged here), ``HF_HUB_OFFLINE``, ``HF_HOME`` / ``HF_HUB_CACHE`` (where huggingface_hub
keeps downloaded files), and ``SCORECARD_CACHE_DIR`` (where this module keeps the Hub's
answers; default ``$XDG_CACHE_HOME/model-scorecard``, else ``~/.cache/model-scorecard``).
Before its first import of huggingface_hub this module sets ``HF_HUB_DISABLE_TELEMETRY=1``
unless the user set it, so the library makes no request beyond the ones asked for here.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

from .errors import HubUnavailable, ScorecardError, UserError

__all__ = [
    "CACHE_SCHEMA", "DEFAULT_JOBS", "EXPAND", "HubModel", "cache_dir", "fetch_many", "fetch_model",
    "hub_endpoint", "is_hub_id", "offline_from_env",
]

CACHE_SCHEMA = 1
DEFAULT_ENDPOINT = "https://huggingface.co"
#: What one ``model_info`` call asks for.
EXPAND = ("safetensors", "config", "cardData", "gated", "downloads", "likes", "lastModified", "sha",
          "tags", "library_name", "pipeline_tag", "siblings")
DEFAULT_JOBS = 8
#: Tries of one ``model_info`` call when the Hub answers 429 or 5xx, and the waits between them.
MAX_ATTEMPTS = 4
BACKOFF_S = 0.5
MAX_RETRY_WAIT_S = 30.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_JSON_BYTES = 16 * 1024 * 1024
MAX_SHARDS = 2_000
CONFIG = "config.json"
INDEX = "model.safetensors.index.json"
SINGLE = "model.safetensors"

_NAME = r"[A-Za-z0-9](?:[\w.-]{0,94}[A-Za-z0-9_])?"
_REPO_ID = re.compile(rf"^{_NAME}/{_NAME}$")
_SHA = re.compile(r"^[0-9a-f]{40}$")
_FILE_SUFFIXES = (".json", ".yaml", ".yml", ".safetensors", ".gguf", ".bin")
_TRUE = {"1", "true", "yes", "on"}


# --------------------------------------------------------------------------- names, places

def is_hub_id(text: str) -> bool:
    """``ORG/NAME`` as the Hub spells repository ids, and not a file or folder that exists here.

    A name ending in ``.json``/``.yaml``/``.safetensors`` is taken for a file, not a repository.
    """
    if not isinstance(text, str) or not _REPO_ID.match(text) or "--" in text or ".." in text:
        return False
    if text.lower().endswith(_FILE_SUFFIXES):
        return False
    return not Path(text).exists()


def _check_repo_id(repo_id: str) -> None:
    if not isinstance(repo_id, str) or not _REPO_ID.match(repo_id) or "--" in repo_id or ".." in repo_id:
        raise UserError(f"'{repo_id}' is not a Hugging Face model id",
                        hint="write it as ORG/NAME, e.g. meta-llama/Llama-3.1-8B")


def hub_endpoint() -> str:
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def offline_from_env() -> bool:
    return any(os.environ.get(v, "").strip().lower() in _TRUE for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def cache_dir() -> Path:
    """Where the Hub's answers are kept: ``$SCORECARD_CACHE_DIR``, else ``$XDG_CACHE_HOME/model-scorecard``,
    else ``~/.cache/model-scorecard``."""
    explicit = os.environ.get("SCORECARD_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "model-scorecard"


def _hf_files_dir() -> Path:
    """huggingface_hub's file cache, worked out at call time (the library reads it at import)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "huggingface" / "hub"


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

    @property
    def url(self) -> str:
        return f"{self.endpoint}/{self.repo_id}"

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
            "errors": {k: v for k, v in (("config", self.config_error), ("architecture", self.architecture_error),
                                         ("exact", self.exact_error)) if v},
            "sources": dict(sorted(self.sources.items())),
        }


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _model_from_record(record: Mapping[str, Any], revision: str | None, *, from_cache: bool,
                       warnings: tuple[str, ...] = ()) -> HubModel:
    """A :class:`HubModel` from a cache record: fresh answers and cached ones take one path."""
    from .calc.architecture import architecture_from_config
    from .calc.quantization import bytes_from_dtype_counts, logical_params, quantization_from_config

    info: Mapping[str, Any] = record.get("info") or {}
    sha = record.get("sha")
    at = f"{record['repo_id']}@{sha[:12]}" if isinstance(sha, str) else record["repo_id"]
    card = info.get("card") or {}
    config = record.get("config") if isinstance(record.get("config"), dict) else None
    st = info.get("safetensors") or {}
    counts = {str(k): v for k, v in (st.get("parameters") or {}).items() if _int_or_none(v) is not None}
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
        corrected = logical_params(exact.get("params_by_dtype") or {}, quant, exact.get("metadata_by_dtype") or {})
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
    total = _int_or_none(st.get("total"))
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
    elif config is not None and _int_or_none(config.get("max_position_embeddings")):
        context = config["max_position_embeddings"]
    if context:
        sources["context_window"] = "config.json max_position_embeddings"

    weight_bytes = _int_or_none(exact.get("weight_bytes")) if exact else None
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
        endpoint=str(record.get("endpoint") or hub_endpoint()), fetched_at=str(record.get("fetched_at")),
        from_cache=from_cache,
        config=MappingProxyType(config) if config is not None else None, config_error=record.get("config_error"),
        license=_str_or_none(card.get("license")), license_name=_str_or_none(card.get("license_name")),
        license_link=_str_or_none(card.get("license_link")), base_model=base_models,
        gated=gated if isinstance(gated, (str, bool)) else None,
        private=info.get("private") if isinstance(info.get("private"), bool) else None,
        downloads=_int_or_none(info.get("downloads")), likes=_int_or_none(info.get("likes")),
        last_modified=_str_or_none(info.get("last_modified")),
        tags=tuple(t for t in info.get("tags") or () if isinstance(t, str)),
        library_name=_str_or_none(info.get("library_name")), pipeline_tag=_str_or_none(info.get("pipeline_tag")),
        safetensors_params_by_dtype=MappingProxyType(counts), safetensors_total=total,
        quantization=MappingProxyType(dict(quant)) if quant else None, corrected_params=corrected,
        params=params, active_params=active, context_window=context, architecture_error=arch_error,
        weight_bytes=weight_bytes, weight_bytes_from_counts=from_counts, exact_error=record.get("exact_error"),
        sources=MappingProxyType(sources), warnings=warnings,
    )


# --------------------------------------------------------------------------- the cache

def _read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


class _Cache:
    """``<root>/hub/v1/<org>/<name>/<sha>.json`` records and ``refs/<revision>.json`` pointers."""

    def __init__(self, root: Path):
        self.root = root / "hub" / f"v{CACHE_SCHEMA}"

    def _repo(self, repo_id: str) -> Path:
        org, name = repo_id.split("/", 1)
        return self.root / org / name

    def _ref(self, repo_id: str, revision: str | None) -> Path:
        return self._repo(repo_id) / "refs" / (quote(revision, safe="") + ".json" if revision else "_default.json")

    def by_sha(self, repo_id: str, sha: str) -> dict[str, Any] | None:
        if not _SHA.match(sha):
            return None
        record = _read_json(self._repo(repo_id) / f"{sha}.json")
        ok = (isinstance(record, dict) and record.get("cache_schema") == CACHE_SCHEMA
              and record.get("repo_id") == repo_id and record.get("sha") == sha and isinstance(record.get("info"), dict))
        return record if ok else None

    def lookup(self, repo_id: str, revision: str | None) -> dict[str, Any] | None:
        if revision and _SHA.match(revision):
            return self.by_sha(repo_id, revision)
        pointer = _read_json(self._ref(repo_id, revision))
        sha = pointer.get("sha") if isinstance(pointer, dict) else None
        return self.by_sha(repo_id, sha) if isinstance(sha, str) else None

    def save(self, record: dict[str, Any], revision: str | None) -> tuple[str, ...]:
        """Write the record and the revision's pointer atomically; a failure is a warning, not an error."""
        from .atomic import write_text

        repo_id, sha = record["repo_id"], record.get("sha")
        if not isinstance(sha, str) or not _SHA.match(sha):
            return (f"the Hub gave no commit sha for {repo_id}: its answer is not cached",)
        try:
            folder = self._repo(repo_id)
            (folder / "refs").mkdir(parents=True, exist_ok=True)
            write_text(folder / f"{sha}.json", json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n")
            if not (revision and _SHA.match(revision)):
                pointer = {"sha": sha, "revision": revision, "fetched_at": record["fetched_at"]}
                write_text(self._ref(repo_id, revision), json.dumps(pointer, sort_keys=True) + "\n")
        except (OSError, ScorecardError) as exc:
            return (f"could not write the Hub cache under {self.root}: {getattr(exc, 'strerror', None) or exc}",)
        return ()


def _has_exact(record: Mapping[str, Any]) -> bool:
    return record.get("exact") is not None or record.get("exact_error") is not None


# --------------------------------------------------------------------------- talking to the Hub

def _hf() -> Any:
    # Without this, huggingface_hub's user-agent code fetches an "agent harnesses" list from
    # the Hub once a day: a request the user did not ask for. An explicit setting is kept.
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    import huggingface_hub

    return huggingface_hub


def _errors() -> Any:
    from huggingface_hub import errors

    return errors


def _transport_kind(exc: BaseException) -> str | None:
    """'timeout' or 'unreachable' for the HTTP client's transport errors, whatever the client."""
    names = {c.__name__ for c in type(exc).__mro__}
    if isinstance(exc, TimeoutError) or names & {"TimeoutException", "Timeout", "ReadTimeout", "ConnectTimeout"}:
        return "timeout"
    if isinstance(exc, ConnectionError) or names & {"TransportError", "NetworkError", "ConnectError",
                                                    "RemoteProtocolError", "ProxyError", "ConnectionError"}:
        return "unreachable"
    return None


def _status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def _unavailable(repo_id: str, what: str) -> HubUnavailable:
    return HubUnavailable(f"{what}, and nothing is cached for {repo_id}. Run again when the Hub can be reached "
                          "(HF_HUB_OFFLINE=1 or --offline uses only the cache).")


def _translate(exc: BaseException, repo_id: str, revision: str | None, timeout_s: float) -> ScorecardError | None:
    """Our error for a huggingface_hub or transport error; None for anything else (a bug)."""
    err = _errors()
    url = f"{hub_endpoint()}/{repo_id}"
    if isinstance(exc, err.GatedRepoError):  # before RepositoryNotFoundError: it is a subclass
        return UserError(f"{repo_id} is a gated model and the Hub did not give this token access to it",
                         hint=f"request access on {url}, then set HF_TOKEN to a token of the account that was "
                              "granted access (scorecard reads HF_TOKEN, or the token saved by `hf auth login`)")
    if isinstance(exc, err.RevisionNotFoundError):
        return UserError(f"{repo_id} has no revision '{revision}'",
                         hint="give a branch, a tag or a commit sha that exists on the Hub (default: the main branch)")
    if isinstance(exc, err.RepositoryNotFoundError):
        return UserError(f"no model '{repo_id}' on the Hugging Face Hub ({hub_endpoint()})",
                         hint="check the ORG/NAME spelling; a private repository needs HF_TOKEN")
    if isinstance(exc, err.OfflineModeIsEnabled):
        return _unavailable(repo_id, "huggingface_hub is in offline mode")
    if isinstance(exc, err.HfHubHTTPError):
        status = _status(exc)
        if status == 429:
            return _unavailable(repo_id, f"the Hub kept rate-limiting requests (429) after {MAX_ATTEMPTS} tries")
        if status is not None and status >= 500:
            return _unavailable(repo_id, f"the Hub answered {status} (server error) after {MAX_ATTEMPTS} tries")
        if status == 401:
            return UserError("the Hub rejected the access token (401)",
                             hint="check HF_TOKEN (or `hf auth login`), or unset it for public models")
        return UserError(f"the Hub refused the request for {repo_id} ({status})",
                         hint="a private or gated repository needs HF_TOKEN with access to it")
    if isinstance(exc, err.LocalEntryNotFoundError):
        return _unavailable(repo_id, f"cannot reach the Hub at {hub_endpoint()}")
    kind = _transport_kind(exc)
    if kind == "timeout":
        return _unavailable(repo_id, f"the Hub at {hub_endpoint()} did not answer within {timeout_s:g} s")
    if kind == "unreachable":
        return _unavailable(repo_id, f"cannot reach the Hub at {hub_endpoint()}")
    return None


def _retry_after_s(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    value = headers.get("Retry-After") if headers is not None else None
    if value is None:
        return None
    try:
        return max(0.0, float(str(value).strip()))
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def _with_retries(call: Callable[[], Any]) -> Any:
    """``call()``, tried again on 429 and 5xx: waits ``Retry-After`` when the Hub sends one,
    else an exponential backoff with jitter; at most ``MAX_ATTEMPTS`` tries in all."""
    err = _errors()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return call()
        except err.HfHubHTTPError as exc:
            if _status(exc) not in RETRY_STATUSES or attempt == MAX_ATTEMPTS:
                raise
            wait = _retry_after_s(exc)
            if wait is None:
                wait = BACKOFF_S * 2 ** (attempt - 1) * (1 + random.random() / 4)
            elif wait > MAX_RETRY_WAIT_S:
                raise  # the Hub asks for a longer pause than a command should sit through
            time.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


def _map_bounded(fn: Callable[[Any], Any], items: list[Any], jobs: int) -> list[Any]:
    """``[fn(x) for x in items]``, ``jobs`` at a time. On Ctrl-C (or any error) the calls not
    yet started are dropped instead of run, so the command stops within one request's timeout."""
    pool = ThreadPoolExecutor(max_workers=max(1, min(jobs, len(items))), thread_name_prefix="hub")
    try:
        out = list(pool.map(fn, items))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return out


def _info_record(info: Any) -> dict[str, Any]:
    """The parts of a ``ModelInfo`` we keep, as plain JSON."""
    card = info.card_data
    card_get = (lambda key: getattr(card, key, None)) if card is not None else (lambda key: None)
    st = info.safetensors
    siblings = info.siblings
    last = info.last_modified
    return {
        "id": info.id,
        "sha": info.sha,
        "last_modified": last.isoformat() if last is not None else None,
        "gated": info.gated,
        "private": info.private,
        "downloads": info.downloads,
        "likes": info.likes,
        "tags": list(info.tags or []),
        "library_name": info.library_name,
        "pipeline_tag": info.pipeline_tag,
        "card": {"license": card_get("license"), "license_name": card_get("license_name"),
                 "license_link": card_get("license_link"), "base_model": card_get("base_model")},
        "config": info.config if isinstance(info.config, dict) else None,
        "safetensors": {"parameters": dict(st.parameters), "total": st.total} if st is not None else None,
        "files": sorted(s.rfilename for s in siblings) if siblings is not None else None,
    }


def _download_json(repo_id: str, filename: str, revision: str, timeout_s: float) -> Any:
    from huggingface_hub.utils import silent_tqdm

    from . import __version__

    path = _hf().hf_hub_download(
        repo_id, filename, revision=revision, cache_dir=str(_hf_files_dir()), endpoint=hub_endpoint(),
        etag_timeout=timeout_s, library_name="model-scorecard", library_version=__version__, tqdm_class=silent_tqdm)
    if os.path.getsize(path) > MAX_JSON_BYTES:
        raise ValueError(f"{filename} is larger than {MAX_JSON_BYTES // 2**20} MiB")
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _file_problem(exc: BaseException, repo_id: str, filename: str, revision: str | None,
                  timeout_s: float) -> str:
    """A per-file problem that does not stop the fetch (gated, missing, unreadable), as text;
    anything that means the Hub cannot be reached is raised as our error."""
    err = _errors()
    url = f"{hub_endpoint()}/{repo_id}"
    if isinstance(exc, err.GatedRepoError):
        return (f"{filename} is gated: request access on {url} and set HF_TOKEN (scorecard reads it); "
                "the facts from model_info did not need access")
    if isinstance(exc, err.LocalEntryNotFoundError):
        raise _unavailable(repo_id, f"cannot download {filename} from the Hub at {hub_endpoint()}") from None
    if isinstance(exc, (err.RemoteEntryNotFoundError, err.EntryNotFoundError)):
        return f"the repository has no {filename}"
    if isinstance(exc, err.RepositoryNotFoundError):
        return f"{filename}: access refused (a private or gated repository needs HF_TOKEN)"
    if isinstance(exc, (ValueError, err.SafetensorsParsingError)):
        return f"{filename} could not be read: {exc}"
    translated = _translate(exc, repo_id, revision, timeout_s)
    if isinstance(translated, HubUnavailable):
        raise translated from None
    if translated is not None:
        return f"{filename}: {translated.message}"
    raise exc


def _fetch_config(repo_id: str, sha: str, files: list[str] | None, timeout_s: float) -> tuple[dict | None, str | None]:
    if files is not None and CONFIG not in files:
        return None, f"the repository has no {CONFIG}"
    try:
        config = _download_json(repo_id, CONFIG, sha, timeout_s)
    except Exception as exc:  # noqa: BLE001 - sorted into problems and errors below
        return None, _file_problem(exc, repo_id, CONFIG, sha, timeout_s)
    if not isinstance(config, dict):
        return None, f"{CONFIG} is not a JSON object"
    return config, None


def _shards(repo_id: str, sha: str, files: list[str] | None, timeout_s: float) -> list[str]:
    if files is None or INDEX in files:
        try:
            index = _download_json(repo_id, INDEX, sha, timeout_s)
        except _errors().RemoteEntryNotFoundError:
            if files is not None:
                raise
            return [SINGLE]
        weight_map = index.get("weight_map") if isinstance(index, dict) else None
        names = sorted({v for v in (weight_map or {}).values() if isinstance(v, str)})
        if not names or len(names) > MAX_SHARDS or any(n.startswith("/") or ".." in n.split("/") for n in names):
            raise ValueError(f"{INDEX} has no usable weight_map")
        return names
    if SINGLE in files:
        return [SINGLE]
    return sorted(f for f in files if "/" not in f and f.endswith(".safetensors"))


def _exact_weights(repo_id: str, sha: str, files: list[str] | None, timeout_s: float,
                   jobs: int) -> tuple[dict | None, str | None]:
    """Exact bytes and element counts from every safetensors header (ranged reads, no weights)."""
    from . import __version__
    from .calc.quantization import is_quant_metadata

    current = INDEX if files is None or INDEX in files else SINGLE
    try:
        shards = _shards(repo_id, sha, files, timeout_s)
        if not shards:
            return None, "no safetensors weights at the repository root"
        api = _hf().HfApi(endpoint=hub_endpoint(), library_name="model-scorecard", library_version=__version__)

        def header(name: str) -> Any:
            return api.parse_safetensors_file_metadata(repo_id, name, revision=sha, timeout=timeout_s)

        metas = _map_bounded(header, shards, jobs)
    except Exception as exc:  # noqa: BLE001 - sorted into problems and errors
        return None, _file_problem(exc, repo_id, current, sha, timeout_s)
    by_dtype: dict[str, int] = {}
    metadata: dict[str, int] = {}
    nbytes = ntensors = 0
    for meta in metas:
        for name, tensor in meta.tensors.items():
            n = int(tensor.parameter_count)
            by_dtype[tensor.dtype] = by_dtype.get(tensor.dtype, 0) + n
            if is_quant_metadata(name):
                metadata[tensor.dtype] = metadata.get(tensor.dtype, 0) + n
            nbytes += int(tensor.data_offsets[1]) - int(tensor.data_offsets[0])
            ntensors += 1
    return {"files": len(shards), "tensors": ntensors, "weight_bytes": nbytes,
            "params_by_dtype": dict(sorted(by_dtype.items())), "metadata_by_dtype": dict(sorted(metadata.items()))}, None


def _fetch_record(repo_id: str, revision: str | None, *, exact: bool, timeout_s: float, store: _Cache,
                  jobs: int) -> dict[str, Any]:
    from . import __version__

    api = _hf().HfApi(endpoint=hub_endpoint(), library_name="model-scorecard", library_version=__version__)
    try:
        info = _with_retries(lambda: api.model_info(repo_id, revision=revision, expand=list(EXPAND), timeout=timeout_s))
    except Exception as exc:  # noqa: BLE001 - translated, or re-raised as the bug it is
        translated = _translate(exc, repo_id, revision, timeout_s)
        if translated is None:
            raise
        raise translated from None
    data = _info_record(info)
    sha = data["sha"] if isinstance(data["sha"], str) else None
    prior = store.by_sha(repo_id, sha) if sha else None
    record: dict[str, Any] = {"cache_schema": CACHE_SCHEMA, "repo_id": repo_id, "sha": sha,
                              "endpoint": hub_endpoint(), "fetched_at": date.today().isoformat(), "info": data}
    ref = sha or revision or "main"
    if prior is not None and prior.get("config") is not None:  # same commit: its files cannot have changed
        record["config"], record["config_error"] = prior["config"], None
    else:
        record["config"], record["config_error"] = _fetch_config(repo_id, ref, data["files"], timeout_s)
    if prior is not None and prior.get("exact") is not None:
        record["exact"], record["exact_error"] = prior["exact"], None
    elif exact:
        record["exact"], record["exact_error"] = _exact_weights(repo_id, ref, data["files"], timeout_s, jobs)
    else:
        record["exact"], record["exact_error"] = None, None
    # as the cache will hold it (sorted keys, JSON types): a fresh answer and a cached one look the same
    return json.loads(json.dumps(record, sort_keys=True, ensure_ascii=False))


# --------------------------------------------------------------------------- public API

def fetch_model(repo_id: str, revision: str | None = None, *, offline: bool | None = None, refresh: bool = False,
                exact: bool = False, timeout_s: float = 10.0) -> HubModel:
    """What the Hub says about ``repo_id`` at ``revision`` (default branch when None).

    Cache first: an answer cached for this revision is returned without a request unless
    ``refresh``. ``offline`` (default: ``HF_HUB_OFFLINE``) reads only the cache. ``exact``
    also reads the safetensors headers (once per commit). ``timeout_s`` bounds each request.

    Raises :class:`UserError` (exit 2) for a repository or revision that does not exist or a
    gated repository without access, and :class:`HubUnavailable` (exit 4) when the Hub cannot
    be reached (down, timed out, rate-limited after retries, or offline) and nothing is cached.
    A failed refresh falls back to the cache, with a warning.
    """
    _check_repo_id(repo_id)
    if revision is not None and not revision.strip():
        raise UserError("the revision is empty", hint="give a branch, a tag or a commit sha, or leave --revision out")
    if offline is None:
        offline = offline_from_env()
    store = _Cache(cache_dir())
    cached = store.lookup(repo_id, revision)
    if cached is not None and (offline or (not refresh and (not exact or _has_exact(cached)))):
        notes: tuple[str, ...] = ()
        if exact and not _has_exact(cached):
            notes = ("exact weight bytes are not cached for this commit: run once online with --exact",)
        return _model_from_record(cached, revision, from_cache=True, warnings=notes)
    at = f"{repo_id}" + (f" at revision '{revision}'" if revision else "")
    if offline:
        raise HubUnavailable(f"offline (--offline or HF_HUB_OFFLINE=1) and nothing is cached for {at}. "
                             f"Run `scorecard hub info {repo_id}` once with the Hub reachable to cache it.")
    try:
        record = _fetch_record(repo_id, revision, exact=exact, timeout_s=timeout_s, store=store, jobs=DEFAULT_JOBS)
    except HubUnavailable as exc:
        if cached is None:
            raise
        return _model_from_record(cached, revision, from_cache=True, warnings=(
            f"could not refresh {repo_id} from the Hub ({exc}); using the answer cached on {cached.get('fetched_at')}",))
    return _model_from_record(record, revision, from_cache=False, warnings=store.save(record, revision))


def fetch_many(repo_ids: Iterable[str], *, offline: bool | None = None, refresh: bool = False, exact: bool = False,
               timeout_s: float = 10.0, jobs: int = DEFAULT_JOBS,
               on_result: Callable[[str, HubModel | ScorecardError], None] | None = None,
               ) -> dict[str, HubModel | ScorecardError]:
    """:func:`fetch_model` for many ids, ``jobs`` at a time; each id's model or error, in input order.

    ``on_result`` is called once per id as it completes (from a worker thread).
    """
    ids = list(dict.fromkeys(repo_ids))
    results: dict[str, HubModel | ScorecardError] = {}

    def one(repo_id: str) -> tuple[str, HubModel | ScorecardError]:
        try:
            result: HubModel | ScorecardError = fetch_model(repo_id, offline=offline, refresh=refresh, exact=exact,
                                                            timeout_s=timeout_s)
        except ScorecardError as exc:
            result = exc
        if on_result is not None:
            on_result(repo_id, result)
        return repo_id, result

    if jobs <= 1 or len(ids) <= 1:
        pairs = [one(i) for i in ids]
    else:
        pairs = _map_bounded(one, ids, jobs)
    results.update(pairs)
    return {i: results[i] for i in ids}
