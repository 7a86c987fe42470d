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
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any
from urllib.parse import quote, urlsplit

from model_scorecard.errors import HubUnavailable, ScorecardError, UserError
from model_scorecard.hub.budget import Budget, OutOfTime, map_bounded
from model_scorecard.hub.cache import (
    CACHE_SCHEMA,
    MAX_JSON_BYTES,
    MAX_JSON_DEPTH,
    Cache,
    clean_json,
    has_exact,
    record_problem,
)
from model_scorecard.hub.ids import (
    REQUEST_BUDGET_ENV,
    RUN_BUDGET_ENV,
    SHA_PATTERN,
    cache_dir,
    check_repo_id,
    hub_endpoint,
    offline_from_env,
    redact_url,
    request_budget_s,
    run_budget_s,
    shown_endpoint,
    valid_repo_id,
)
from model_scorecard.hub.model import HubModel, info_record, model_from_record

__all__ = ["DEFAULT_JOBS", "EXPAND", "fetch_many", "fetch_model"]

#: What one ``model_info`` call asks for.
EXPAND = ("safetensors", "config", "cardData", "gated", "downloads", "likes", "lastModified", "sha",
          "tags", "library_name", "pipeline_tag", "siblings", "evalResults")
DEFAULT_JOBS = 8
#: Tries of one ``model_info`` call when the Hub answers 429 or 5xx, and the waits between them.
MAX_ATTEMPTS = 4
BACKOFF_S = 0.5
MAX_RETRY_WAIT_S = 30.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_SHARDS = 2_000
CONFIG = "config.json"
INDEX = "model.safetensors.index.json"
SINGLE = "model.safetensors"



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


def _translate(exc: BaseException, repo_id: str, revision: str | None, budget: Budget) -> ScorecardError | None:
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


def _with_retries(call: Callable[[], Any], budget: Budget) -> Any:
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


class _TooLarge(ValueError):
    pass


def _get(url: str, budget: Budget, params: Mapping[str, Any] | None = None) -> Any:
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
    """The JSON of a response, as :func:`clean_json` keeps it; ValueError when it is not JSON."""
    try:
        return clean_json(json.loads(response.content.decode("utf-8")))
    except RecursionError:
        raise ValueError(f"it nests deeper than {MAX_JSON_DEPTH} levels") from None


def _download_json(repo_id: str, filename: str, revision: str, budget: Budget) -> Any:
    url = f"{hub_endpoint()}/{repo_id}/resolve/{quote(revision, safe='')}/{quote(filename)}"
    return _json_of(_with_retries(lambda: _get(url, budget), budget))


#: What reading a garbled file (a safetensors header of the wrong shape, JSON that does not
#: parse) raises; for a file, that is a problem to report, not a failure.
_GARBLED = (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError, RecursionError)


def _file_problem(exc: BaseException, repo_id: str, filename: str, revision: str | None, budget: Budget) -> str:
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


def _fetch_config(repo_id: str, sha: str, files: list[str] | None, budget: Budget) -> tuple[dict | None, str | None]:
    if files is not None and CONFIG not in files:
        return None, f"the repository has no {CONFIG}"
    try:
        config = _download_json(repo_id, CONFIG, sha, budget)
    except Exception as exc:  # noqa: BLE001 - sorted into problems and errors below
        return None, _file_problem(exc, repo_id, CONFIG, sha, budget)
    if not isinstance(config, dict):
        return None, f"{CONFIG} is not a JSON object"
    return config, None


def _shards(repo_id: str, sha: str, files: list[str] | None, budget: Budget) -> list[str]:
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


def _exact_weights(repo_id: str, sha: str, files: list[str] | None, budget: Budget,
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

        metas = map_bounded(header, shards, jobs, budget)
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


def _model_info(repo_id: str, revision: str | None, budget: Budget) -> dict[str, Any]:
    """The model_info answer, as :func:`~model_scorecard.hub.model.info_record` keeps it; our error for anything else.

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
    return clean_json(info_record(info))


def _fetch_record(repo_id: str, revision: str | None, *, exact: bool, budget: Budget, store: Cache,
                  jobs: int) -> dict[str, Any]:
    data = _model_info(repo_id, revision, budget)
    sha = data["sha"] if isinstance(data["sha"], str) and SHA_PATTERN.fullmatch(data["sha"]) else None
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
    record = json.loads(json.dumps(clean_json(record), sort_keys=True, ensure_ascii=False))
    problem = record_problem(record)
    if problem is not None:  # what info_record and clean_json make always passes: this is a bug
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
                 timeout_s: float, run: Budget | None = None) -> HubModel:
    check_repo_id(repo_id)
    if revision is not None and not revision.strip():
        raise UserError("the revision is empty", hint="give a branch, a tag or a commit sha, or leave --revision out")
    if offline is None:
        offline = offline_from_env()
    store = Cache(cache_dir())
    cached = store.lookup(repo_id, revision)
    damaged = tuple(store.warnings)
    if cached is not None and (offline or (not refresh and (not exact or has_exact(cached)))):
        notes: tuple[str, ...] = damaged
        if exact and not has_exact(cached):
            notes += ("exact weight bytes are not cached for this commit: run once online with --exact",)
        return model_from_record(cached, revision, from_cache=True, warnings=notes)
    at = f"{repo_id}" + (f" at revision '{revision}'" if revision else "")
    if offline:
        why = f" ({'; '.join(damaged)})" if damaged else ""
        raise HubUnavailable(f"offline (--offline or HF_HUB_OFFLINE=1) and nothing is cached for {at}{why}. "
                             f"Run `scorecard hub info {repo_id}` once with the Hub reachable to cache it.")
    hub_endpoint()  # an HF_ENDPOINT that is not a URL is a usage error, before any thread starts
    budget = Budget(request_budget_s(), REQUEST_BUDGET_ENV, read_timeout_s=timeout_s, parent=run,
                     what="finish answering")
    try:
        record = map_bounded(lambda _: _fetch_record(repo_id, revision, exact=exact, budget=budget, store=store,
                                                      jobs=DEFAULT_JOBS), [None], 1, budget)[0]
    except OutOfTime as exc:
        failure: HubUnavailable = _unavailable(repo_id, exc.what)
    except HubUnavailable as exc:
        failure = exc
    else:
        if run is not None and run.stopped.is_set():
            raise OutOfTime("stopped before the Hub answered")  # a stopped run keeps nothing
        return model_from_record(record, revision, from_cache=False,
                                  warnings=damaged + store.save(record, revision))
    if cached is None:
        raise failure
    return _stale(cached, repo_id, revision, str(failure), damaged)


def _stale(cached: dict[str, Any], repo_id: str, revision: str | None, why: str,
           notes: tuple[str, ...] = ()) -> HubModel:
    """The cached answer, when asking the Hub again failed: with a warning saying why."""
    return model_from_record(cached, revision, from_cache=True, warnings=notes + (
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
    run = Budget(run_budget_s(), RUN_BUDGET_ENV, read_timeout_s=timeout_s, what="answer for every model")

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
        map_bounded(one, ids, max(1, jobs), run)
    except OutOfTime as exc:  # the run's budget: what is cached stands in for what is not done
        store = Cache(cache_dir())
        for repo_id in ids:
            if repo_id not in results:
                cached = store.lookup(repo_id, None) if valid_repo_id(repo_id) else None
                results[repo_id] = (_stale(cached, repo_id, None, exc.what) if cached is not None
                                    else _unavailable(repo_id, exc.what))
    return {i: results[i] for i in ids}
