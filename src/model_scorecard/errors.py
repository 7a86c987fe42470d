"""One error hierarchy. Exceptions never print; the CLI maps them to exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
