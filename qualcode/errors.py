"""Exceptions qualcode raises on purpose, each with the exit status the CLI maps it to.

Library code raises these; only `qualcode.cli` turns them into a one-line message on stderr.
"""

from __future__ import annotations

from pathlib import Path

EXIT_PARTIAL = 1
EXIT_BAD_INPUT = 2


class QualcodeError(Exception):
    """A failure the user can fix; `str(error)` is the whole one-line message."""

    exit_code = EXIT_BAD_INPUT


class UsageError(QualcodeError):
    """A wrong option, an unknown name, a missing key."""


class ProjectError(QualcodeError):
    """No project here, or a project that cannot be opened."""


class InputFileError(QualcodeError):
    """A file that cannot be read as what it claims to be."""

    def __init__(self, path: Path | str, problem: str, *, line: int | None = None, column: int | None = None, hint: str = ""):
        self.path = Path(path)
        self.problem = problem
        self.line = line
        self.column = column
        self.hint = hint
        where = f"{path}:{line}" if line else f"{path}"
        if line and column:
            where += f":{column}"
        message = f"{where}: {problem}"
        if hint:
            message += f"; {hint}"
        super().__init__(message)


class PartialFailure(QualcodeError):
    """Some units of work succeeded and others failed; the failures were already reported."""

    exit_code = EXIT_PARTIAL
