"""A small stand-in for the Hugging Face Hub on 127.0.0.1, for tests and benchmarks.

It answers the requests huggingface_hub makes, with the headers it reads:

- ``GET /api/models/{org}/{name}`` and ``/api/models/{org}/{name}/revision/{rev}``: model_info JSON;
- ``HEAD``/``GET /{org}/{name}/resolve/{rev}/{file}``: a file, with ``X-Repo-Commit`` and
  ``ETag``, honouring ``Range`` (safetensors headers are read that way);
- errors carry ``X-Error-Code`` (``RepoNotFound``, ``RevisionNotFound``, ``EntryNotFound``,
  ``GatedRepo``), as the Hub sends them.

Behaviours for tests: a latency added to every request, a queue of failures to serve
before the real answer (429 with ``Retry-After``, 500 …), a delay for one path (to run
past a client timeout), and a counter of requests. A hostile Hub, for the faults a real
network brings: :meth:`FakeHub.trickle` sends a path's whole answer (status line, headers,
body) one byte at a time, so that no single read ever times out; :meth:`FakeHub.lie` answers
a path with any bytes (malformed JSON, a list, a lone surrogate …); :meth:`FakeHub.redirect`
sends a path elsewhere (another host, or round in a loop).
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from math import prod
from typing import Any
from urllib.parse import unquote, urlsplit

ITEMSIZE = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1,
            "F8_E4M3": 1, "BOOL": 1}


def safetensors_bytes(tensors: dict[str, tuple[str, list[int]]]) -> bytes:
    """A real (tiny) safetensors file: 8-byte header length, JSON header, zeroed data."""
    header: dict[str, Any] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, (dtype, shape) in tensors.items():
        size = prod(shape) * ITEMSIZE[dtype]
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + b"\0" * offset


def sha_of(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


@dataclass
class Repo:
    """One model repository: its model_info answer, its files, and who may read them."""

    repo_id: str
    info: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    gated_files: bool = False  # model_info answers; files need a granted token
    granted_tokens: frozenset[str] = frozenset()
    revisions: dict[str, str] = field(default_factory=dict)  # branch/tag -> sha

    @property
    def sha(self) -> str:
        return self.info["sha"]


def make_repo(repo_id: str, *, config: dict[str, Any] | None = None, files: dict[str, bytes] | None = None,
              safetensors: dict[str, int] | None = None, license: str | None = "apache-2.0",
              downloads: int = 1234, likes: int = 56, gated: Any = False, gated_files: bool = False,
              granted_tokens: frozenset[str] = frozenset(), extra_card: dict[str, Any] | None = None,
              revisions: dict[str, str] | None = None) -> Repo:
    sha = sha_of(repo_id)
    all_files = dict(files or {})
    if config is not None:
        all_files["config.json"] = json.dumps(config).encode()
    card = {"license": license, **(extra_card or {})} if license else dict(extra_card or {})
    info = {
        "_id": sha[:24], "id": repo_id, "sha": sha, "lastModified": "2024-09-25T14:27:29.000Z",
        "gated": gated, "private": False, "downloads": downloads, "likes": likes,
        "tags": ["transformers", "safetensors", f"license:{license}"] if license else ["transformers"],
        "library_name": "transformers", "pipeline_tag": "text-generation", "cardData": card,
        "config": {k: config[k] for k in ("model_type", "architectures", "quantization_config") if k in config}
        if config else None,
        "siblings": [{"rfilename": name} for name in sorted([*all_files, ".gitattributes", "README.md"])],
    }
    if safetensors is not None:
        info["safetensors"] = {"parameters": safetensors, "total": sum(safetensors.values())}
    return Repo(repo_id, info, all_files, gated_files, granted_tokens, {"main": sha, **(revisions or {})})


class FakeHub:
    def __init__(self) -> None:
        self.repos: dict[str, Repo] = {}
        self.latency_s = 0.0
        self.delays: dict[str, float] = {}  # path substring -> seconds before answering
        self.failures: dict[str, list[tuple[int, dict[str, str]]]] = {}  # path substring -> queued failures
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.trickles: dict[str, float] = {}  # path substring -> seconds between bytes of the answer
        self.lies: dict[str, tuple[int, bytes, dict[str, str]]] = {}  # path substring -> answer served instead
        self.redirects: dict[str, tuple[int, str]] = {}  # path substring -> (status, Location)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- set-up -----------------------------------------------------------------------------
    def add(self, repo: Repo) -> Repo:
        self.repos[repo.repo_id.lower()] = repo
        return repo

    def fail(self, path_part: str, *answers: tuple[int, dict[str, str]]) -> None:
        """Serve ``answers`` (status, headers), one per request whose path contains ``path_part``."""
        self.failures.setdefault(path_part, []).extend(answers)

    def trickle(self, path_part: str, seconds_per_byte: float) -> None:
        """Answer requests whose path contains ``path_part`` one byte every ``seconds_per_byte``,
        headers included, with a body that never ends (a stalled mirror that still sends)."""
        self.trickles[path_part] = seconds_per_byte

    def lie(self, path_part: str, body: bytes | str, status: int = 200, headers: dict[str, str] | None = None) -> None:
        """Answer requests whose path contains ``path_part`` with ``body`` (JSON content type unless told)."""
        raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
        self.lies[path_part] = (status, raw, {"Content-Type": "application/json", **(headers or {})})

    def redirect(self, path_part: str, location: str, status: int = 302) -> None:
        """Send requests whose path contains ``path_part`` to ``location`` (absolute or relative)."""
        self.redirects[path_part] = (status, location)

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    def paths(self) -> list[str]:
        with self._lock:
            return [p for _, p, _ in self.requests]

    # -- server -----------------------------------------------------------------------------
    def start(self) -> str:
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                hub._handle(self, head=False)

            def do_HEAD(self) -> None:
                hub._handle(self, head=True)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that gave up (timeout tests) closes the socket under us: expected

        server = Server(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return f"http://127.0.0.1:{server.server_address[1]}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # -- answers ----------------------------------------------------------------------------
    def _handle(self, h: BaseHTTPRequestHandler, head: bool) -> None:
        path = unquote(urlsplit(h.path).path)
        with self._lock:
            self.requests.append((h.command, h.path, {k.lower(): v for k, v in h.headers.items()}))
            failure = None
            for part, queue in self.failures.items():
                if part in path and queue:
                    failure = queue.pop(0)
                    break
        delay = self.latency_s + sum(s for part, s in self.delays.items() if part in path)
        if delay:
            time.sleep(delay)
        trickle = next((s for part, s in self.trickles.items() if part in path), None)
        if trickle is not None:
            return self._trickle(h, trickle)
        redirect = next((r for part, r in self.redirects.items() if part in path), None)
        if redirect is not None:
            return self._send(h, redirect[0], b"", {"Location": redirect[1]}, head)
        lie = next((answer for part, answer in self.lies.items() if part in path), None)
        if lie is not None:
            return self._send(h, lie[0], lie[1], lie[2], head)
        if failure is not None:
            status, headers = failure
            return self._send(h, status, b'{"error": "injected"}', headers, head)
        m = re.match(r"^/api/models/([^/]+/[^/]+?)(?:/revision/(.+))?$", path)
        if m:
            return self._info(h, m.group(1), m.group(2), head)
        m = re.match(r"^/([^/]+/[^/]+)/resolve/([^/]+)/(.+)$", path)
        if m:
            return self._file(h, m.group(1), m.group(2), m.group(3), head)
        return self._send(h, 404, b"{}", {}, head)

    def _send(self, h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str], head: bool,
              length: int | None = None) -> None:
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body) if length is None else length))
        h.end_headers()
        if not head:
            h.wfile.write(body)

    def _trickle(self, h: BaseHTTPRequestHandler, seconds_per_byte: float) -> None:
        raw = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
               + b'{"id": "' + b"x" * 999_990 + b'"}')
        h.close_connection = True
        try:
            for i in range(len(raw)):
                h.wfile.write(raw[i:i + 1])
                h.wfile.flush()
                time.sleep(seconds_per_byte)
                if self._server is None:  # stopped: let the test end
                    return
        except OSError:  # the client gave up
            return

    def _error(self, h: BaseHTTPRequestHandler, status: int, code: str, head: bool, **extra: str) -> None:
        self._send(h, status, json.dumps({"error": code}).encode(),
                   {"X-Error-Code": code, "Content-Type": "application/json", **extra}, head)

    def _resolve(self, repo: Repo, rev: str | None) -> str | None:
        if rev is None:
            return repo.sha
        return repo.revisions.get(rev) or (rev if rev in repo.revisions.values() else None)

    def _info(self, h: BaseHTTPRequestHandler, repo_id: str, rev: str | None, head: bool) -> None:
        repo = self.repos.get(repo_id.lower())
        if repo is None:
            return self._error(h, 404, "RepoNotFound", head)
        sha = self._resolve(repo, rev)
        if sha is None:
            return self._error(h, 404, "RevisionNotFound", head)
        body = json.dumps({**repo.info, "sha": sha}).encode()
        self._send(h, 200, body, {"Content-Type": "application/json"}, head)

    def _file(self, h: BaseHTTPRequestHandler, repo_id: str, rev: str, name: str, head: bool) -> None:
        repo = self.repos.get(repo_id.lower())
        if repo is None:
            return self._error(h, 404, "RepoNotFound", head)
        sha = self._resolve(repo, rev)
        if sha is None:
            return self._error(h, 404, "RevisionNotFound", head)
        if repo.gated_files:
            auth = h.headers.get("authorization", "")
            if auth.removeprefix("Bearer ") not in repo.granted_tokens:
                return self._error(h, 401, "GatedRepo", head, **{"X-Repo-Commit": sha})
        content = repo.files.get(name)
        if content is None:
            return self._error(h, 404, "EntryNotFound", head, **{"X-Repo-Commit": sha})
        headers = {"X-Repo-Commit": sha, "ETag": f'"{hashlib.sha256(content).hexdigest()}"',
                   "Accept-Ranges": "bytes", "Content-Type": "application/octet-stream"}
        rng = re.match(r"^bytes=(\d+)-(\d*)$", h.headers.get("range", ""))
        if rng:
            start = int(rng.group(1))
            end = min(int(rng.group(2)) if rng.group(2) else len(content) - 1, len(content) - 1)
            if start >= len(content):
                return self._send(h, 416, b"", {"Content-Range": f"bytes */{len(content)}"}, head)
            part = content[start:end + 1]
            headers["Content-Range"] = f"bytes {start}-{end}/{len(content)}"
            return self._send(h, 206, part, headers, head)
        self._send(h, 200, content, headers, head)
