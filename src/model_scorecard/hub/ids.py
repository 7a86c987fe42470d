"""Names and places of the Hub: repository ids, the endpoint (credentials redacted), the cache folder, time budgets from the environment."""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from model_scorecard.errors import UserError

DEFAULT_ENDPOINT = "https://huggingface.co"
#: The total time one model's answer may take, and one :func:`fetch_many` run: environment
#: variables (seconds) and their defaults.
REQUEST_BUDGET_ENV = "SCORECARD_HUB_TIMEOUT_S"
RUN_BUDGET_ENV = "SCORECARD_HUB_RUN_TIMEOUT_S"
DEFAULT_REQUEST_BUDGET_S = 60.0
DEFAULT_RUN_BUDGET_S = 600.0

_NAME = r"[A-Za-z0-9](?:[\w.-]{0,94}[A-Za-z0-9_])?"
_REPO_ID = re.compile(rf"^{_NAME}/{_NAME}$")
SHA_PATTERN = re.compile(r"^[0-9a-f]{40}$")
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


def valid_repo_id(repo_id: Any) -> bool:
    return isinstance(repo_id, str) and bool(_REPO_ID.fullmatch(repo_id)) and "--" not in repo_id and ".." not in repo_id


def check_repo_id(repo_id: str) -> None:
    if not valid_repo_id(repo_id):
        raise UserError(f"{str(repo_id)[:200]!r} is not a Hugging Face model id",
                        hint="write it as ORG/NAME, e.g. meta-llama/Llama-3.1-8B")


#: ``scheme://`` then the user information up to the last ``@`` before the host ends.
USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s]*@")


def redact_url(text: str) -> str:
    """``text`` with the credentials of every URL in it (``https://user:pass@host``) replaced by
    ``***``, and the password of ``HF_ENDPOINT`` removed wherever else it appears.

    The one place a URL goes through before it is shown, written or cached.
    """
    if not isinstance(text, str) or not text:
        return text
    text = USERINFO.sub(r"\1***@", text)
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
