"""One error hierarchy. Exceptions never print; the CLI maps them to exit codes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input file, located as precisely as we can."""

    file: str
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ScorecardError(Exception):
    """Root of every error the tool raises on purpose."""

    exit_code = 3


class UserError(ScorecardError):
    """Bad input or usage: exit code 2. Carries every problem found, not just the first."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.problems = sorted(problems or [])
        self.hint = hint

    def __str__(self) -> str:
        lines = [self.message, *(str(p) for p in self.problems)]
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines)


class InvalidInput(UserError):
    """A file failed validation. The message summarises, the problems locate."""

    @classmethod
    def single(cls, file: str | Path, message: str, line: int | None = None,
               column: int | None = None, field: str = "") -> "InvalidInput":
        problem = Problem(str(file), line, column, field, message)
        return cls(f"{file}: invalid input", [problem])


class HubUnavailable(ScorecardError):
    """The Hugging Face Hub was needed, could not be reached, and nothing was cached: exit 4."""

    exit_code = 4


class InternalError(ScorecardError):
    """A bug: exit code 3."""

    exit_code = 3


# -- what an error may echo from an input file ------------------------------------------------

ECHO_LIMIT = 40  # characters of a value's repr that an error may quote

_SECRET = re.compile(
    r"^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*="              # KEY=value, export KEY=value (.env files)
    r"|(?:^|[^A-Za-z0-9])(?:hf_|sk-|sk_|rk_|pk_|ghp_|gho_|ghs_|ghu_|ghr_|github_pat_|glpat-|xox[abprs]-|AKIA|ASIA|AIza)"
    r"[A-Za-z0-9_-]{6,}"                                                # well-known token prefixes
    r"|eyJ[A-Za-z0-9_-]{8,}"                                            # a JSON web token
    r"|-----BEGIN"                                                      # a PEM key or certificate
    r"|://[^/\s@]*:[^/\s@]*@"                                           # a URL with user:password@
    r"|(?P<run>[A-Za-z0-9+/_]{20,})"                                    # a long run without separators: a key or hash
)


def looks_secret(text: str) -> bool:
    """True when ``text`` could be a credential: a ``KEY=value`` line, a well-known token prefix,
    a URL with a password, a PEM block, or a long run of letters and digits with no separator."""
    for match in _SECRET.finditer(text):
        run = match.group("run")
        if run is None or (any(c.isdigit() for c in run) and any(c.isalpha() for c in run)):
            return True
    return False


def echo(value: Any) -> str | None:
    """How an error may quote a value read from a file: its repr when it is short and looks like
    data (a number, a word, a model id), else None -- the file and line locate it instead."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (int, float)):
        text = repr(value)
        return text if len(text) <= ECHO_LIMIT else None
    if isinstance(value, str):
        text = repr(value)
        if len(text) > ECHO_LIMIT or looks_secret(value) or not value.isprintable():
            return None
        return text
    return None


def redact(message: str, value: Any) -> str:
    """``message`` with the quoted ``value`` replaced by "this value" when :func:`echo` would not show it."""
    if not isinstance(value, str) or echo(value) is not None:
        return message
    for quoted in (repr(value), f"'{value}'", f'"{value}"', value):
        if quoted and quoted in message:
            message = message.replace(quoted, "this value")
    return message


def suggest(word: str, choices: Any) -> str:
    """"; did you mean 'X'?" for the closest of ``choices`` to ``word``, or nothing."""
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
