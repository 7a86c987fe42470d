"""Our cache of Hub answers: one JSON record per repository and commit, cleaned before it is kept, checked when it is read back."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from model_scorecard.errors import ScorecardError
from model_scorecard.hub.ids import SHA_PATTERN, USERINFO, redact_url
from model_scorecard.hub.model import int_or_none

CACHE_SCHEMA = 1
#: How deep a JSON answer (model_info, config.json) may nest; config.json files nest 3 or 4 levels.
MAX_JSON_DEPTH = 64

# --------------------------------------------------------------------------- clean data, the cache

def _text(value: str) -> str:
    """Valid Unicode (a lone surrogate, which JSON allows as ``"\\ud800"``, becomes U+FFFD),
    with no credentials in a URL (``https://user:pass@host`` → ``https://***@host``)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return USERINFO.sub(r"\1***@", value) if "@" in value else value


def clean_json(value: Any, depth: int = 0) -> Any:
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
        return {_text(str(k)): clean_json(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_json(v, depth + 1) for v in value]
    return _text(str(value))


_RECORD_FIELDS: dict[str, tuple[type, ...]] = {
    "cache_schema": (int,), "repo_id": (str,), "sha": (str, type(None)), "endpoint": (str,), "fetched_at": (str,),
    "info": (dict,), "config": (dict, type(None)), "config_error": (str, type(None)), "exact": (dict, type(None)),
    "exact_error": (str, type(None))}
_INFO_FIELDS: dict[str, tuple[type, ...]] = {
    "card": (dict, type(None)), "safetensors": (dict, type(None)), "tags": (list,), "files": (list, type(None)),
    "config": (dict, type(None))}


def record_problem(record: Any) -> str | None:
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
                                  and all(int_or_none(exact.get(k)) is not None for k in ("files", "tensors", "weight_bytes"))):
        return "exact is not as written"
    try:
        if clean_json(record) != record:
            return "it holds text or numbers this tool never writes"
    except (ValueError, RecursionError):
        return f"it nests deeper than {MAX_JSON_DEPTH} levels"
    return None


#: The largest JSON answer read from the Hub (model_info, config.json, the safetensors index).
MAX_JSON_BYTES = 16 * 1024 * 1024
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


class Cache:
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
        if not SHA_PATTERN.fullmatch(sha):
            return None
        path = self._repo(repo_id) / f"{sha}.json"
        record = _read_json(path)
        if record is None:
            return None
        leaked = isinstance(record, dict) and isinstance(record.get("endpoint"), str) \
            and redact_url(record["endpoint"]) != record["endpoint"]
        if leaked:  # written before credentials were kept out of the cache
            record["endpoint"] = redact_url(record["endpoint"])
        problem = "not JSON" if record is _DAMAGED else record_problem(record)
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
        if revision and SHA_PATTERN.fullmatch(revision):
            return self.by_sha(repo_id, revision)
        path = self._ref(repo_id, revision)
        pointer = _read_json(path)
        if pointer is None:
            return None
        sha = pointer.get("sha") if isinstance(pointer, dict) else None
        if not isinstance(sha, str) or not SHA_PATTERN.fullmatch(sha):
            self._damaged(path, "no commit sha in it")
            return None
        return self.by_sha(repo_id, sha)

    def _write(self, path: Path, data: Any) -> None:
        from model_scorecard.atomic import write_text

        write_text(path, json.dumps(data, sort_keys=True, ensure_ascii=False) + "\n")

    def save(self, record: dict[str, Any], revision: str | None) -> tuple[str, ...]:
        """Write the record and the revision's pointer atomically; a failure is a warning, not an error."""
        repo_id, sha = record["repo_id"], record.get("sha")
        if not isinstance(sha, str) or not SHA_PATTERN.fullmatch(sha):
            return (f"the Hub gave no commit sha for {repo_id}: its answer is not cached",)
        try:
            folder = self._repo(repo_id)
            (folder / "refs").mkdir(parents=True, exist_ok=True)
            self._write(folder / f"{sha}.json", record)
            if not (revision and SHA_PATTERN.fullmatch(revision)):
                self._write(self._ref(repo_id, revision),
                            {"sha": sha, "revision": revision, "fetched_at": record["fetched_at"]})
        except (OSError, ScorecardError) as exc:
            return (f"could not write the Hub cache under {self.root}: {getattr(exc, 'strerror', None) or exc}",)
        return ()


def has_exact(record: Mapping[str, Any]) -> bool:
    return record.get("exact") is not None or record.get("exact_error") is not None
