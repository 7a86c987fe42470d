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
or logged here), ``HF_HUB_OFFLINE``, and ``SCORECARD_CACHE_DIR`` (where this module keeps
the Hub's answers; default ``$XDG_CACHE_HOME/model-scorecard``, else ``~/.cache/model-scorecard``).
Before its first import of huggingface_hub this module sets ``HF_HUB_DISABLE_TELEMETRY=1``
unless the user set it, so the library makes no request beyond the ones asked for here.

A hostile or broken Hub cannot hang, crash or leak:

- Time. Besides the per-read timeout, each model's whole answer (model_info, config.json,
  safetensors headers, retries and their waits) has a total budget,
  ``SCORECARD_HUB_TIMEOUT_S`` (default 60 s), and each :func:`fetch_many` run (``enrich``,
  ``rank --hub``) one more, ``SCORECARD_HUB_RUN_TIMEOUT_S`` (default 600 s). A server that
  trickles a byte a second is given up at the budget: :class:`HubUnavailable`, exit 4. The
  requests run in daemon threads that the caller waits on in short slices, so Ctrl-C ends
  the command at once and the process never waits for a request in flight.
- Credentials. A user and password inside ``HF_ENDPOINT`` are used for requests only:
  every URL shown in a message, written in a result or stored in the cache goes through
  :func:`redact_url`.
- Size. Every JSON answer (model_info, config.json, the safetensors index) is read as a
  stream and given up past ``MAX_JSON_BYTES``; nothing is downloaded to disk.
- Answers. A model_info answer that is not a JSON object of the expected shape, a redirect
  loop or a redirect to a host that cannot be reached is :class:`HubUnavailable` (exit 4);
  text is made valid Unicode (a lone surrogate becomes U+FFFD) and numbers finite before
  anything is kept; a cache record of another shape is ignored, with a warning.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from model_scorecard.errors import HubUnavailable, ScorecardError, UserError

__all__ = [
    "CACHE_SCHEMA", "DEFAULT_JOBS", "EXPAND", "REQUEST_BUDGET_ENV", "RUN_BUDGET_ENV", "HubModel", "cache_dir",
    "fetch_many", "fetch_model", "hub_endpoint", "is_hub_id", "offline_from_env", "redact_url", "request_budget_s",
    "run_budget_s", "shown_endpoint",
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
#: How deep a JSON answer (model_info, config.json) may nest; config.json files nest 3 or 4 levels.
MAX_JSON_DEPTH = 64
CONFIG = "config.json"
INDEX = "model.safetensors.index.json"
SINGLE = "model.safetensors"
#: The total time one model's answer may take, and one :func:`fetch_many` run: environment
#: variables (seconds) and their defaults.
REQUEST_BUDGET_ENV = "SCORECARD_HUB_TIMEOUT_S"
RUN_BUDGET_ENV = "SCORECARD_HUB_RUN_TIMEOUT_S"
DEFAULT_REQUEST_BUDGET_S = 60.0
DEFAULT_RUN_BUDGET_S = 600.0
#: How often a waiting thread looks at the clock (and lets Ctrl-C in).
_POLL_S = 0.05

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
    if not isinstance(text, str) or not _REPO_ID.fullmatch(text) or "--" in text or ".." in text:
        return False
    if text.lower().endswith(_FILE_SUFFIXES):
        return False
    return not Path(text).exists()


def _valid_repo_id(repo_id: Any) -> bool:
    return isinstance(repo_id, str) and bool(_REPO_ID.fullmatch(repo_id)) and "--" not in repo_id and ".." not in repo_id


def _check_repo_id(repo_id: str) -> None:
    if not _valid_repo_id(repo_id):
        raise UserError(f"{str(repo_id)[:200]!r} is not a Hugging Face model id",
                        hint="write it as ORG/NAME, e.g. meta-llama/Llama-3.1-8B")


#: ``scheme://`` then the user information up to the last ``@`` before the host ends.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s]*@")


def redact_url(text: str) -> str:
    """``text`` with the credentials of every URL in it (``https://user:pass@host``) replaced by
    ``***``, and the password of ``HF_ENDPOINT`` removed wherever else it appears.

    The one place a URL goes through before it is shown, written or cached.
    """
    if not isinstance(text, str) or not text:
        return text
    text = _USERINFO.sub(r"\1***@", text)
    raw = os.environ.get("HF_ENDPOINT") or ""
    try:
        password = urlsplit(raw.strip()).password
    except ValueError:
        password = None
    for secret in {password, unquote(password)} if password and len(password) >= 3 else ():
        text = text.replace(secret, "***")
    return text


def hub_endpoint() -> str:
    """The Hub's address as requests use it: ``HF_ENDPOINT`` (credentials included), else huggingface.co.

    Never show this: :func:`shown_endpoint` is the same address without credentials.
    Raises :class:`UserError` (exit 2) for an ``HF_ENDPOINT`` that is not an http(s) URL.
    """
    endpoint = (os.environ.get("HF_ENDPOINT") or "").strip() or DEFAULT_ENDPOINT
    try:
        parts = urlsplit(endpoint)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        ok = False
    if not ok or any(c.isspace() or not c.isprintable() for c in endpoint):
        raise UserError(f"HF_ENDPOINT {redact_url(endpoint)!r} is not an http(s) URL",
                        hint="set it to the Hub or a mirror, e.g. https://huggingface.co, or unset it")
    return endpoint.rstrip("/")


def shown_endpoint() -> str:
    """:func:`hub_endpoint` as it may be printed, written or cached: without credentials."""
    return redact_url(hub_endpoint())


def offline_from_env() -> bool:
    return any(os.environ.get(v, "").strip().lower() in _TRUE for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def _seconds_from_env(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise UserError(f"{name} must be a positive number of seconds, not {text[:20]!r}",
                        hint=f"unset it for the default ({default:g} s)")
    return value


def request_budget_s() -> float:
    """Seconds one model's whole answer may take: ``SCORECARD_HUB_TIMEOUT_S``, default 60."""
    return _seconds_from_env(REQUEST_BUDGET_ENV, DEFAULT_REQUEST_BUDGET_S)


def run_budget_s() -> float:
    """Seconds one :func:`fetch_many` run may take: ``SCORECARD_HUB_RUN_TIMEOUT_S``, default 600."""
    return _seconds_from_env(RUN_BUDGET_ENV, DEFAULT_RUN_BUDGET_S)


def cache_dir() -> Path:
    """Where the Hub's answers are kept: ``$SCORECARD_CACHE_DIR``, else ``$XDG_CACHE_HOME/model-scorecard``,
    else ``~/.cache/model-scorecard``."""
    explicit = os.environ.get("SCORECARD_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "model-scorecard"


# --------------------------------------------------------------------------- time budgets, threads

class _OutOfTime(HubUnavailable):
    """A budget ran out, or the run was stopped: ``what`` says which, for the message."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


class _Budget:
    """A deadline for a piece of Hub work, a per-read timeout within it, and a stop signal.

    ``parent``: the run this work belongs to; stopping (or running out of) the run stops it too.
    """

    def __init__(self, seconds: float, setting: str, read_timeout_s: float = 10.0, parent: _Budget | None = None,
                 what: str = "answer"):
        self.seconds, self.setting, self.read_timeout_s, self.parent = seconds, setting, read_timeout_s, parent
        self.deadline = time.monotonic() + seconds
        self.stopped = threading.Event()
        self.what = what

    def stop(self) -> None:
        self.stopped.set()

    def check(self) -> float:
        """Seconds left; raises :class:`_OutOfTime` when none are, or when the work was stopped."""
        if self.parent is not None:
            self.parent.check()
        if self.stopped.is_set():
            raise _OutOfTime("stopped before the Hub answered")
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _OutOfTime(self.spent())
        return left

    def spent(self) -> str:
        """What to say when the budget ran out."""
        try:
            where = shown_endpoint()
        except UserError:
            where = "the Hub"
        return f"the Hub at {where} did not {self.what} within {self.seconds:g} s (the limit {self.setting} sets)"

    def cut_short(self) -> _Budget | None:
        """The budget (this one or its run's) that a read which just timed out was cut short by,
        rather than by the per-read timeout; None when it was the per-read timeout."""
        if self.deadline - time.monotonic() < 0.1:
            return self
        return self.parent.cut_short() if self.parent is not None else None

    def read_timeout(self) -> float:
        """The timeout for one read: the per-read timeout, or less when less time is left."""
        return max(0.05, min(self.read_timeout_s, self.check()))

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``, or until the budget runs out (then :class:`_OutOfTime`)."""
        end = time.monotonic() + seconds
        while (now := time.monotonic()) < end:
            self.stopped.wait(min(_POLL_S, end - now, max(0.0, self.check())))
        self.check()


def _wait(done: threading.Event, budget: _Budget | None) -> None:
    """Wait for ``done`` in short slices: the budget is looked at, and Ctrl-C comes in, at each."""
    while not done.wait(_POLL_S):
        if budget is not None:
            budget.check()


def _map_bounded(fn: Callable[[Any], Any], items: list[Any], jobs: int, budget: _Budget | None = None) -> list[Any]:
    """``[fn(x) for x in items]``, ``jobs`` at a time, in daemon threads the caller waits on.

    The first error (Ctrl-C included) stops the calls not yet started and is raised at once;
    so is :class:`_OutOfTime` when ``budget`` runs out or is stopped, which also stops the
    work in flight. Calls still running are left behind: daemon threads never keep the
    process alive, so a command stops within a fraction of a second whatever the Hub does.
    """
    n = len(items)
    if n == 0:
        return []
    results: list[Any] = [None] * n
    failures: list[BaseException] = []
    lock = threading.Lock()
    queue = iter(range(n))
    left = [n]
    done, stop = threading.Event(), threading.Event()

    def work() -> None:
        while not stop.is_set():
            with lock:
                i = next(queue, None)
            if i is None:
                return
            try:
                value = fn(items[i])
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
                with lock:
                    failures.append(exc)
                stop.set()
                done.set()
                return
            with lock:
                results[i] = value
                left[0] -= 1
                if left[0] == 0:
                    done.set()

    for k in range(max(1, min(jobs, n))):
        threading.Thread(target=work, name=f"hub-{k}", daemon=True).start()
    try:
        _wait(done, budget)
    except BaseException:
        stop.set()
        if budget is not None:
            budget.stop()
        raise
    if failures:
        raise failures[0]
    return results


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
            "errors": {k: v for k, v in (("config", self.config_error), ("architecture", self.architecture_error),
                                         ("exact", self.exact_error)) if v},
            "sources": dict(sorted(self.sources.items())),
        }


def _int_or_none(value: Any) -> int | None:
    """A count as the Hub states it: a whole number from 0 to 2**63 - 1, else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63 else None


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _model_from_record(record: Mapping[str, Any], revision: str | None, *, from_cache: bool,
                       warnings: tuple[str, ...] = ()) -> HubModel:
    """A :class:`HubModel` from a cache record: fresh answers and cached ones take one path."""
    from model_scorecard.calc.architecture import architecture_from_config
    from model_scorecard.calc.quantization import bytes_from_dtype_counts, logical_params, quantization_from_config

    info = _dict(record.get("info"))
    sha = record.get("sha")
    at = f"{record['repo_id']}@{sha[:12]}" if isinstance(sha, str) else record["repo_id"]
    card = _dict(info.get("card"))
    config = record.get("config") if isinstance(record.get("config"), dict) else None
    st = _dict(info.get("safetensors"))
    counts = {str(k): v for k, v in _dict(st.get("parameters")).items() if _int_or_none(v) is not None}
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
        endpoint=redact_url(str(record.get("endpoint") or shown_endpoint())), fetched_at=str(record.get("fetched_at")),
        from_cache=from_cache,
        config=MappingProxyType(config) if config is not None else None,
        config_error=_str_or_none(record.get("config_error")),
        license=_str_or_none(card.get("license")), license_name=_str_or_none(card.get("license_name")),
        license_link=_str_or_none(card.get("license_link")), base_model=base_models,
        gated=gated if isinstance(gated, (str, bool)) else None,
        private=info.get("private") if isinstance(info.get("private"), bool) else None,
        downloads=_int_or_none(info.get("downloads")), likes=_int_or_none(info.get("likes")),
        last_modified=_str_or_none(info.get("last_modified")),
        tags=tuple(t for t in _list(info.get("tags")) if isinstance(t, str)),
        library_name=_str_or_none(info.get("library_name")), pipeline_tag=_str_or_none(info.get("pipeline_tag")),
        safetensors_params_by_dtype=MappingProxyType(counts), safetensors_total=total,
        quantization=MappingProxyType(dict(quant)) if quant else None, corrected_params=corrected,
        params=params, active_params=active, context_window=context, architecture_error=arch_error,
        weight_bytes=weight_bytes, weight_bytes_from_counts=from_counts, exact_error=_str_or_none(record.get("exact_error")),
        sources=MappingProxyType(sources), warnings=warnings,
    )


# --------------------------------------------------------------------------- clean data, the cache

def _text(value: str) -> str:
    """Valid Unicode (a lone surrogate, which JSON allows as ``"\\ud800"``, becomes U+FFFD),
    with no credentials in a URL (``https://user:pass@host`` → ``https://***@host``)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return _USERINFO.sub(r"\1***@", value) if "@" in value else value


def _clean(value: Any, depth: int = 0) -> Any:
    """JSON data as this module keeps it: valid text without credentials in URLs (:func:`_text`),
    finite numbers (else None), at most
    ``MAX_JSON_DEPTH`` levels (else ValueError), plain dicts and lists."""
    if depth > MAX_JSON_DEPTH:
        raise ValueError(f"it nests deeper than {MAX_JSON_DEPTH} levels")
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {_text(str(k)): _clean(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v, depth + 1) for v in value]
    return _text(str(value))


_RECORD_FIELDS: dict[str, tuple[type, ...]] = {
    "cache_schema": (int,), "repo_id": (str,), "sha": (str, type(None)), "endpoint": (str,), "fetched_at": (str,),
    "info": (dict,), "config": (dict, type(None)), "config_error": (str, type(None)), "exact": (dict, type(None)),
    "exact_error": (str, type(None))}
_INFO_FIELDS: dict[str, tuple[type, ...]] = {
    "card": (dict, type(None)), "safetensors": (dict, type(None)), "tags": (list,), "files": (list, type(None)),
    "config": (dict, type(None))}


def _record_problem(record: Any) -> str | None:
    """What makes ``record`` other than what :func:`_fetch_record` writes, or None."""
    if not isinstance(record, dict):
        return "not a JSON object"
    for fields, part, where in ((_RECORD_FIELDS, record, ""), (_INFO_FIELDS, record.get("info"), "info.")):
        if not isinstance(part, dict):
            return f"{where or 'record'} is not an object"
        for name, types in fields.items():
            value = part.get(name, ...)
            if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                return f"{where}{name} is missing or of another type"
    st = record["info"]["safetensors"]
    if st is not None and not isinstance(st.get("parameters"), dict):
        return "info.safetensors.parameters is not an object"
    exact = record["exact"]
    if exact is not None and not (all(isinstance(exact.get(k), dict) for k in ("params_by_dtype", "metadata_by_dtype"))
                                  and all(_int_or_none(exact.get(k)) is not None for k in ("files", "tensors", "weight_bytes"))):
        return "exact is not as written"
    try:
        if _clean(record) != record:
            return "it holds text or numbers this tool never writes"
    except (ValueError, RecursionError):
        return f"it nests deeper than {MAX_JSON_DEPTH} levels"
    return None


MAX_CACHE_BYTES = 4 * MAX_JSON_BYTES


def _read_json(path: Path) -> Any:
    """The JSON at ``path``; None when there is no file, ``_DAMAGED`` when it cannot be read as JSON."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_CACHE_BYTES + 1)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:
        return _DAMAGED
    if len(raw) > MAX_CACHE_BYTES:
        return _DAMAGED
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return _DAMAGED


_DAMAGED = object()


class _Cache:
    """``<root>/hub/v1/<org>/<name>/<sha>.json`` records and ``refs/<revision>.json`` pointers.

    A record or pointer that is not what this module writes (a damaged disk, an edit, another
    version) is ignored as if absent, and ``warnings`` says so.
    """

    def __init__(self, root: Path):
        self.root = root / "hub" / f"v{CACHE_SCHEMA}"
        self.warnings: list[str] = []

    def _repo(self, repo_id: str) -> Path:
        org, name = repo_id.split("/", 1)
        return self.root / org / name

    def _ref(self, repo_id: str, revision: str | None) -> Path:
        return self._repo(repo_id) / "refs" / (quote(revision, safe="") + ".json" if revision else "_default.json")

    def _damaged(self, path: Path, why: str) -> None:
        self.warnings.append(f"the cached Hub answer {path} is damaged ({why}): ignored")

    def by_sha(self, repo_id: str, sha: str) -> dict[str, Any] | None:
        if not _SHA.fullmatch(sha):
            return None
        path = self._repo(repo_id) / f"{sha}.json"
        record = _read_json(path)
        if record is None:
            return None
        leaked = isinstance(record, dict) and isinstance(record.get("endpoint"), str) \
            and redact_url(record["endpoint"]) != record["endpoint"]
        if leaked:  # written before credentials were kept out of the cache
            record["endpoint"] = redact_url(record["endpoint"])
        problem = "not JSON" if record is _DAMAGED else _record_problem(record)
        if problem is None and (record.get("repo_id") != repo_id or record.get("sha") != sha):
            problem = "it is the record of another repository or commit"
        if problem is None and record.get("cache_schema") != CACHE_SCHEMA:
            return None  # another version's record: not ours to judge
        if problem is not None:
            self._damaged(path, problem)
            return None
        if leaked:
            try:
                self._write(path, record)
            except (OSError, ScorecardError):
                self.warnings.append(f"could not rewrite {path} without the credentials of HF_ENDPOINT in it")
        return record

    def lookup(self, repo_id: str, revision: str | None) -> dict[str, Any] | None:
        if revision and _SHA.fullmatch(revision):
            return self.by_sha(repo_id, revision)
        path = self._ref(repo_id, revision)
        pointer = _read_json(path)
        if pointer is None:
            return None
        sha = pointer.get("sha") if isinstance(pointer, dict) else None
        if not isinstance(sha, str) or not _SHA.fullmatch(sha):
            self._damaged(path, "no commit sha in it")
            return None
        return self.by_sha(repo_id, sha)

    def _write(self, path: Path, data: Any) -> None:
        from model_scorecard.atomic import write_text

        write_text(path, json.dumps(data, sort_keys=True, ensure_ascii=False) + "\n")

    def save(self, record: dict[str, Any], revision: str | None) -> tuple[str, ...]:
        """Write the record and the revision's pointer atomically; a failure is a warning, not an error."""
        repo_id, sha = record["repo_id"], record.get("sha")
        if not isinstance(sha, str) or not _SHA.fullmatch(sha):
            return (f"the Hub gave no commit sha for {repo_id}: its answer is not cached",)
        try:
            folder = self._repo(repo_id)
            (folder / "refs").mkdir(parents=True, exist_ok=True)
            self._write(folder / f"{sha}.json", record)
            if not (revision and _SHA.fullmatch(revision)):
                self._write(self._ref(repo_id, revision),
                            {"sha": sha, "revision": revision, "fetched_at": record["fetched_at"]})
        except (OSError, ScorecardError) as exc:
            return (f"could not write the Hub cache under {self.root}: {getattr(exc, 'strerror', None) or exc}",)
        return ()


def _has_exact(record: Mapping[str, Any]) -> bool:
    return record.get("exact") is not None or record.get("exact_error") is not None


# --------------------------------------------------------------------------- talking to the Hub

class _RedactingFilter(logging.Filter):
    """Keeps the credentials of HF_ENDPOINT out of whatever huggingface_hub logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a record that cannot be formatted is not ours to show
            return False
        record.msg, record.args = redact_url(message), None
        return True


def _hf() -> Any:
    # Without this, huggingface_hub's user-agent code fetches an "agent harnesses" list from
    # the Hub once a day: a request the user did not ask for. An explicit setting is kept.
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    import huggingface_hub
    import huggingface_hub.utils.logging  # configures the library's logger on import

    # The library logs each retry with its URL (credentials of HF_ENDPOINT included); our own
    # messages say what went wrong, so only its errors are shown (HF_HUB_VERBOSITY, when set,
    # still chooses), and whatever it shows is redacted.
    library = logging.getLogger("huggingface_hub")
    if not any(isinstance(f, _RedactingFilter) for f in library.filters):
        if not os.environ.get("HF_HUB_VERBOSITY"):
            library.setLevel(max(library.level, logging.ERROR))
        library.addFilter(_RedactingFilter())
        for handler in library.handlers:
            handler.addFilter(_RedactingFilter())
    return huggingface_hub


def _errors() -> Any:
    _hf()
    from huggingface_hub import errors

    return errors


def _transport_kind(exc: BaseException) -> str | None:
    """What a transport error of the HTTP client means, whatever the client: 'timeout',
    'redirects' (too many), 'garbled' (an answer that breaks the protocol), or 'unreachable'."""
    names = {c.__name__ for c in type(exc).__mro__}
    if isinstance(exc, TimeoutError) or names & {"TimeoutException", "Timeout", "ReadTimeout", "ConnectTimeout"}:
        return "timeout"
    if names & {"TooManyRedirects"}:
        return "redirects"
    if names & {"InvalidURL", "DecodingError", "LocalProtocolError", "StreamError", "InvalidHeader", "ChunkedEncodingError",
                "ContentDecodingError"}:
        return "garbled"
    if isinstance(exc, ConnectionError) or names & {"TransportError", "NetworkError", "ConnectError", "RequestError",
                                                    "RemoteProtocolError", "ProxyError", "ConnectionError"}:
        return "unreachable"
    return None


def _status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def _elsewhere(exc: BaseException) -> str:
    """`` (redirected to HOST)`` when the request that failed went to another host than the endpoint."""
    request = getattr(exc, "_request", None) or getattr(getattr(exc, "response", None), "request", None)
    try:
        host = urlsplit(str(request.url)).netloc if request is not None else ""
        home = urlsplit(hub_endpoint()).netloc
    except (ValueError, AttributeError, RuntimeError, UserError):
        return ""
    return f" (redirected to {redact_url('//' + host)[2:]})" if host and host != home else ""


def _unavailable(repo_id: str, what: str) -> HubUnavailable:
    return HubUnavailable(f"{redact_url(what)}, and nothing is cached for {repo_id}. Run again when the Hub can be "
                          "reached (HF_HUB_OFFLINE=1 or --offline uses only the cache).")


def _malformed(repo_id: str, what: str) -> HubUnavailable:
    return _unavailable(repo_id, f"the Hub at {shown_endpoint()} sent {what} that is not a model_info JSON object "
                                 f"(is HF_ENDPOINT a Hugging Face Hub?)")


def _translate(exc: BaseException, repo_id: str, revision: str | None, budget: _Budget) -> ScorecardError | None:
    """Our error for a huggingface_hub or transport error; None for anything else (a bug)."""
    if isinstance(exc, ScorecardError):
        return exc
    err = _errors()
    where = shown_endpoint()
    url = f"{where}/{repo_id}"
    if isinstance(exc, err.GatedRepoError):  # before RepositoryNotFoundError: it is a subclass
        return UserError(f"{repo_id} is a gated model and the Hub did not give this token access to it",
                         hint=f"request access on {url}, then set HF_TOKEN to a token of the account that was "
                              "granted access (scorecard reads HF_TOKEN, or the token saved by `hf auth login`)")
    if isinstance(exc, err.RevisionNotFoundError):
        return UserError(f"{repo_id} has no revision '{revision}'",
                         hint="give a branch, a tag or a commit sha that exists on the Hub (default: the main branch)")
    if isinstance(exc, err.RepositoryNotFoundError):
        return UserError(f"no model '{repo_id}' on the Hugging Face Hub ({where})",
                         hint="check the ORG/NAME spelling; a private repository needs HF_TOKEN")
    if isinstance(exc, err.OfflineModeIsEnabled):
        return _unavailable(repo_id, "huggingface_hub is in offline mode")
    if isinstance(exc, err.HfHubHTTPError):
        status = _status(exc)
        if status == 429:
            return _unavailable(repo_id, f"the Hub at {where} kept rate-limiting requests (429) after "
                                         f"{MAX_ATTEMPTS} tries")
        if status is not None and status >= 500:
            return _unavailable(repo_id, f"the Hub at {where} answered {status} (server error) after "
                                         f"{MAX_ATTEMPTS} tries")
        if status == 401:
            return UserError("the Hub rejected the access token (401)",
                             hint="check HF_TOKEN (or `hf auth login`), or unset it for public models")
        if status is None or status < 400:
            return _unavailable(repo_id, f"the Hub at {where} gave an answer that is not HTTP as the Hub speaks it"
                                         f"{_elsewhere(exc)}")
        return UserError(f"the Hub refused the request for {repo_id} ({status})",
                         hint="a private or gated repository needs HF_TOKEN with access to it")
    if isinstance(exc, err.LocalEntryNotFoundError):
        return _unavailable(repo_id, f"cannot reach the Hub at {where}")
    kind = _transport_kind(exc)
    if kind == "timeout":
        spent = budget.cut_short()  # the read was given the time left, not the per-read timeout
        if spent is not None:
            return _unavailable(repo_id, spent.spent())
        return _unavailable(repo_id, f"the Hub at {where} did not answer within {budget.read_timeout_s:g} s"
                                     f"{_elsewhere(exc)}")
    if kind == "redirects":
        return _unavailable(repo_id, f"the Hub at {where} redirected too many times (a redirect loop)")
    if kind == "garbled":
        return _unavailable(repo_id, f"the Hub at {where} gave an answer that could not be read{_elsewhere(exc)}")
    if kind == "unreachable":
        return _unavailable(repo_id, f"cannot reach the Hub at {where}{_elsewhere(exc)}")
    return None


def _retry_after_s(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    value = headers.get("Retry-After") if headers is not None else None
    if value is None:
        return None
    try:
        wait = float(str(value).strip())
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff
    return max(0.0, wait) if math.isfinite(wait) else MAX_RETRY_WAIT_S + 1


def _with_retries(call: Callable[[], Any], budget: _Budget) -> Any:
    """``call()``, tried again on 429 and 5xx: waits ``Retry-After`` when the Hub sends one,
    else an exponential backoff with jitter; at most ``MAX_ATTEMPTS`` tries in all, and
    never past the budget."""
    err = _errors()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        budget.check()
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
            budget.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


def _strings(values: Any) -> list[str]:
    return [v for v in values if isinstance(v, str)] if isinstance(values, (list, tuple)) else []


def _info_record(info: Any) -> dict[str, Any]:
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
                 "license_link": card_get("license_link"), "base_model": card_get("base_model")},
        "config": info.config if isinstance(info.config, dict) else None,
        "safetensors": {"parameters": {str(k): v for k, v in params.items()}, "total": getattr(st, "total", None)}
        if isinstance(params, dict) else None,
        "files": sorted(_strings([getattr(s, "rfilename", None) for s in siblings]))
        if isinstance(siblings, list) else None,
    }


class _TooLarge(ValueError):
    pass


def _get(url: str, budget: _Budget, params: Mapping[str, Any] | None = None) -> Any:
    """GET ``url`` from the Hub with the library's session and headers (HF_TOKEN included), the
    body read as a stream: at most ``MAX_JSON_BYTES`` (else :class:`_TooLarge`), each chunk
    within the budget. Errors as ``hf_raise_for_status`` raises them; the response, read."""
    _hf()  # first: it sets what the library reads at import
    from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status

    from model_scorecard._version import __version__

    headers = build_hf_headers(library_name="model-scorecard", library_version=__version__)
    with get_session().stream("GET", url, headers=headers, params=params, timeout=budget.read_timeout()) as r:
        body = bytearray()
        for chunk in r.iter_bytes():
            body += chunk
            if len(body) > MAX_JSON_BYTES:
                raise _TooLarge(f"the answer is larger than {MAX_JSON_BYTES // 2**20} MiB")
            budget.check()
        kept = {k: v for k, v in r.headers.items()
                if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")}
        response = type(r)(status_code=r.status_code, headers=kept, content=bytes(body), request=r.request)
    hf_raise_for_status(response)
    return response


def _json_of(response: Any) -> Any:
    """The JSON of a response, as :func:`_clean` keeps it; ValueError when it is not JSON."""
    try:
        return _clean(json.loads(response.content.decode("utf-8")))
    except RecursionError:
        raise ValueError(f"it nests deeper than {MAX_JSON_DEPTH} levels") from None


def _download_json(repo_id: str, filename: str, revision: str, budget: _Budget) -> Any:
    url = f"{hub_endpoint()}/{repo_id}/resolve/{quote(revision, safe='')}/{quote(filename)}"
    return _json_of(_with_retries(lambda: _get(url, budget), budget))


#: What reading a garbled file (a safetensors header of the wrong shape, JSON that does not
#: parse) raises; for a file, that is a problem to report, not a failure.
_GARBLED = (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError, RecursionError)


def _file_problem(exc: BaseException, repo_id: str, filename: str, revision: str | None, budget: _Budget) -> str:
    """A per-file problem that does not stop the fetch (gated, missing, unreadable), as text;
    anything that means the Hub cannot be reached is raised as our error."""
    if isinstance(exc, HubUnavailable):  # the budget ran out, or the Hub is gone
        raise exc
    err = _errors()
    url = f"{shown_endpoint()}/{repo_id}"
    if isinstance(exc, err.GatedRepoError):
        return (f"{filename} is gated: request access on {url} and set HF_TOKEN (scorecard reads it); "
                "the facts from model_info did not need access")
    if isinstance(exc, err.LocalEntryNotFoundError):
        raise _unavailable(repo_id, f"cannot download {filename} from the Hub at {shown_endpoint()}") from None
    if isinstance(exc, (err.RemoteEntryNotFoundError, err.EntryNotFoundError)):
        return f"the repository has no {filename}"
    if isinstance(exc, err.RepositoryNotFoundError):
        return f"{filename}: access refused (a private or gated repository needs HF_TOKEN)"
    if isinstance(exc, (*_GARBLED, err.SafetensorsParsingError)) and _transport_kind(exc) is None:
        detail = redact_url(str(exc)).splitlines()[0][:200] if str(exc) else type(exc).__name__
        return f"{filename} could not be read: {detail}"
    translated = _translate(exc, repo_id, revision, budget)
    if isinstance(translated, HubUnavailable):
        raise translated from None
    if translated is not None:
        return f"{filename}: {translated.message}" if isinstance(translated, UserError) else f"{filename}: {translated}"
    raise exc


def _fetch_config(repo_id: str, sha: str, files: list[str] | None, budget: _Budget) -> tuple[dict | None, str | None]:
    if files is not None and CONFIG not in files:
        return None, f"the repository has no {CONFIG}"
    try:
        config = _download_json(repo_id, CONFIG, sha, budget)
    except Exception as exc:  # noqa: BLE001 - sorted into problems and errors below
        return None, _file_problem(exc, repo_id, CONFIG, sha, budget)
    if not isinstance(config, dict):
        return None, f"{CONFIG} is not a JSON object"
    return config, None


def _shards(repo_id: str, sha: str, files: list[str] | None, budget: _Budget) -> list[str]:
    if files is None or INDEX in files:
        try:
            index = _download_json(repo_id, INDEX, sha, budget)
        except _errors().RemoteEntryNotFoundError:
            if files is not None:
                raise
            return [SINGLE]
        weight_map = index.get("weight_map") if isinstance(index, dict) else None
        names = sorted({v for v in (weight_map if isinstance(weight_map, dict) else {}).values() if isinstance(v, str)})
        if not names or len(names) > MAX_SHARDS or any(n.startswith("/") or ".." in n.split("/") for n in names):
            raise ValueError(f"{INDEX} has no usable weight_map")
        return names
    if SINGLE in files:
        return [SINGLE]
    return sorted(f for f in files if "/" not in f and f.endswith(".safetensors"))


def _exact_weights(repo_id: str, sha: str, files: list[str] | None, budget: _Budget,
                   jobs: int) -> tuple[dict | None, str | None]:
    """Exact bytes and element counts from every safetensors header (ranged reads, no weights)."""
    from model_scorecard._version import __version__
    from model_scorecard.calc.quantization import is_quant_metadata

    current = INDEX if files is None or INDEX in files else SINGLE
    try:
        shards = _shards(repo_id, sha, files, budget)
        if not shards:
            return None, "no safetensors weights at the repository root"
        api = _hf().HfApi(endpoint=hub_endpoint(), library_name="model-scorecard", library_version=__version__)

        def header(name: str) -> Any:
            return api.parse_safetensors_file_metadata(repo_id, name, revision=sha, timeout=budget.read_timeout())

        metas = _map_bounded(header, shards, jobs, budget)
        by_dtype: dict[str, int] = {}
        metadata: dict[str, int] = {}
        nbytes = ntensors = 0
        for meta in metas:
            for name, tensor in meta.tensors.items():
                n = int(tensor.parameter_count)
                dtype = str(tensor.dtype)
                by_dtype[dtype] = by_dtype.get(dtype, 0) + n
                if is_quant_metadata(name):
                    metadata[dtype] = metadata.get(dtype, 0) + n
                nbytes += int(tensor.data_offsets[1]) - int(tensor.data_offsets[0])
                ntensors += 1
        if nbytes < 0 or any(v < 0 for v in by_dtype.values()):
            raise ValueError("a safetensors header gives negative sizes")
    except Exception as exc:  # noqa: BLE001 - sorted into problems and errors
        return None, _file_problem(exc, repo_id, current, sha, budget)
    return {"files": len(shards), "tensors": ntensors, "weight_bytes": nbytes,
            "params_by_dtype": dict(sorted(by_dtype.items())), "metadata_by_dtype": dict(sorted(metadata.items()))}, None


def _model_info(repo_id: str, revision: str | None, budget: _Budget) -> dict[str, Any]:
    """The model_info answer, as :func:`_info_record` keeps it; our error for anything else.

    The request is the one ``HfApi.model_info`` makes (same address, headers and ``expand``),
    sent through :func:`_get` so that its size and time are bounded and a malformed answer is
    told apart from a bug here."""
    _hf()  # first: it sets what the library reads at import
    from huggingface_hub.hf_api import ModelInfo

    url = f"{hub_endpoint()}/api/models/{repo_id}" + ("" if revision is None else f"/revision/{quote(revision, safe='')}")
    try:
        response = _with_retries(lambda: _get(url, budget, {"expand": list(EXPAND)}), budget)
    except _TooLarge:
        raise _malformed(repo_id, f"an answer larger than {MAX_JSON_BYTES // 2**20} MiB") from None
    except Exception as exc:  # noqa: BLE001 - translated, or re-raised as the bug it is
        translated = _translate(exc, repo_id, revision, budget)
        if translated is None:
            raise
        raise translated from None
    try:
        data = _json_of(response)
    except ValueError:  # not UTF-8, not JSON, too deep
        raise _malformed(repo_id, "an answer") from None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise _malformed(repo_id, "an answer")
    try:
        info = ModelInfo(**data)
    except (TypeError, ValueError, KeyError, AttributeError, IndexError):  # fields of another shape
        raise _malformed(repo_id, "an answer") from None
    return _clean(_info_record(info))


def _fetch_record(repo_id: str, revision: str | None, *, exact: bool, budget: _Budget, store: _Cache,
                  jobs: int) -> dict[str, Any]:
    data = _model_info(repo_id, revision, budget)
    sha = data["sha"] if isinstance(data["sha"], str) and _SHA.fullmatch(data["sha"]) else None
    prior = store.by_sha(repo_id, sha) if sha else None
    record: dict[str, Any] = {"cache_schema": CACHE_SCHEMA, "repo_id": repo_id, "sha": sha,
                              "endpoint": shown_endpoint(), "fetched_at": date.today().isoformat(), "info": data}
    ref = sha or revision or "main"
    if prior is not None and prior.get("config") is not None:  # same commit: its files cannot have changed
        record["config"], record["config_error"] = prior["config"], None
    else:
        record["config"], record["config_error"] = _fetch_config(repo_id, ref, data["files"], budget)
    if prior is not None and prior.get("exact") is not None:
        record["exact"], record["exact_error"] = prior["exact"], None
    elif exact:
        record["exact"], record["exact_error"] = _exact_weights(repo_id, ref, data["files"], budget, jobs)
    else:
        record["exact"], record["exact_error"] = None, None
    # as the cache will hold it (sorted keys, JSON types): a fresh answer and a cached one look the same
    record = json.loads(json.dumps(_clean(record), sort_keys=True, ensure_ascii=False))
    problem = _record_problem(record)
    if problem is not None:  # what _info_record and _clean make always passes: this is a bug
        raise AssertionError(f"the record built for {repo_id} is not as the cache keeps it: {problem}")
    return record


# --------------------------------------------------------------------------- public API

def fetch_model(repo_id: str, revision: str | None = None, *, offline: bool | None = None, refresh: bool = False,
                exact: bool = False, timeout_s: float = 10.0) -> HubModel:
    """What the Hub says about ``repo_id`` at ``revision`` (default branch when None).

    Cache first: an answer cached for this revision is returned without a request unless
    ``refresh``. ``offline`` (default: ``HF_HUB_OFFLINE``) reads only the cache. ``exact``
    also reads the safetensors headers (once per commit). ``timeout_s`` bounds each read;
    ``SCORECARD_HUB_TIMEOUT_S`` (:func:`request_budget_s`) bounds the whole answer.

    Raises :class:`UserError` (exit 2) for a repository or revision that does not exist or a
    gated repository without access, and :class:`HubUnavailable` (exit 4) when the Hub cannot
    be reached (down, timed out, out of budget, rate-limited after retries, a malformed answer,
    or offline) and nothing is cached. A failed refresh falls back to the cache, with a warning.
    """
    return _fetch_model(repo_id, revision, offline=offline, refresh=refresh, exact=exact, timeout_s=timeout_s)


def _fetch_model(repo_id: str, revision: str | None = None, *, offline: bool | None, refresh: bool, exact: bool,
                 timeout_s: float, run: _Budget | None = None) -> HubModel:
    _check_repo_id(repo_id)
    if revision is not None and not revision.strip():
        raise UserError("the revision is empty", hint="give a branch, a tag or a commit sha, or leave --revision out")
    if offline is None:
        offline = offline_from_env()
    store = _Cache(cache_dir())
    cached = store.lookup(repo_id, revision)
    damaged = tuple(store.warnings)
    if cached is not None and (offline or (not refresh and (not exact or _has_exact(cached)))):
        notes: tuple[str, ...] = damaged
        if exact and not _has_exact(cached):
            notes += ("exact weight bytes are not cached for this commit: run once online with --exact",)
        return _model_from_record(cached, revision, from_cache=True, warnings=notes)
    at = f"{repo_id}" + (f" at revision '{revision}'" if revision else "")
    if offline:
        why = f" ({'; '.join(damaged)})" if damaged else ""
        raise HubUnavailable(f"offline (--offline or HF_HUB_OFFLINE=1) and nothing is cached for {at}{why}. "
                             f"Run `scorecard hub info {repo_id}` once with the Hub reachable to cache it.")
    hub_endpoint()  # an HF_ENDPOINT that is not a URL is a usage error, before any thread starts
    budget = _Budget(request_budget_s(), REQUEST_BUDGET_ENV, read_timeout_s=timeout_s, parent=run,
                     what="finish answering")
    try:
        record = _map_bounded(lambda _: _fetch_record(repo_id, revision, exact=exact, budget=budget, store=store,
                                                      jobs=DEFAULT_JOBS), [None], 1, budget)[0]
    except _OutOfTime as exc:
        failure: HubUnavailable = _unavailable(repo_id, exc.what)
    except HubUnavailable as exc:
        failure = exc
    else:
        if run is not None and run.stopped.is_set():
            raise _OutOfTime("stopped before the Hub answered")  # a stopped run keeps nothing
        return _model_from_record(record, revision, from_cache=False,
                                  warnings=damaged + store.save(record, revision))
    if cached is None:
        raise failure
    return _stale(cached, repo_id, revision, str(failure), damaged)


def _stale(cached: dict[str, Any], repo_id: str, revision: str | None, why: str,
           notes: tuple[str, ...] = ()) -> HubModel:
    """The cached answer, when asking the Hub again failed: with a warning saying why."""
    return _model_from_record(cached, revision, from_cache=True, warnings=notes + (
        f"could not refresh {repo_id} from the Hub ({why}); using the answer cached on {cached.get('fetched_at')}",))


def fetch_many(repo_ids: Iterable[str], *, offline: bool | None = None, refresh: bool = False, exact: bool = False,
               timeout_s: float = 10.0, jobs: int = DEFAULT_JOBS,
               on_result: Callable[[str, HubModel | ScorecardError], None] | None = None,
               ) -> dict[str, HubModel | ScorecardError]:
    """:func:`fetch_model` for many ids, ``jobs`` at a time; each id's model or error, in input order.

    ``on_result`` is called once per id as it completes (from a worker thread). The whole run
    has a budget, ``SCORECARD_HUB_RUN_TIMEOUT_S`` (:func:`run_budget_s`): an id not done by
    then is a :class:`HubUnavailable`. Ctrl-C stops the run at once.
    """
    ids = list(dict.fromkeys(repo_ids))
    results: dict[str, HubModel | ScorecardError] = {}
    run = _Budget(run_budget_s(), RUN_BUDGET_ENV, read_timeout_s=timeout_s, what="answer for every model")

    def one(repo_id: str) -> None:
        try:
            result: HubModel | ScorecardError = _fetch_model(repo_id, offline=offline, refresh=refresh, exact=exact,
                                                             timeout_s=timeout_s, run=run)
        except ScorecardError as exc:
            result = exc
        if run.stopped.is_set():
            return
        results[repo_id] = result
        if on_result is not None:
            on_result(repo_id, result)

    if not ids:
        return {}
    try:
        _map_bounded(one, ids, max(1, jobs), run)
    except _OutOfTime as exc:  # the run's budget: what is cached stands in for what is not done
        store = _Cache(cache_dir())
        for repo_id in ids:
            if repo_id not in results:
                cached = store.lookup(repo_id, None) if _valid_repo_id(repo_id) else None
                results[repo_id] = (_stale(cached, repo_id, None, exc.what) if cached is not None
                                    else _unavailable(repo_id, exc.what))
    return {i: results[i] for i in ids}
