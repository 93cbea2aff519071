"""The project's own error types: every failure a user can meet is one of these."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .shown import shown_path, terminal_text


class ReviewtuiError(Exception):
    """Base of every error reviewtui reports to a user; its text is safe to show."""

    def __str__(self) -> str:
        # Messages name files, and a name may hold anything: whoever shows the error (the
        # command line, a toast), no control or bidi character in it reaches a terminal raw.
        return terminal_text(super().__str__())


@dataclass(frozen=True)
class Problem:
    """One problem in a file: where it is and what to do about it."""

    message: str
    line: int | None = None
    key: str | None = None
    column: int | None = None

    def render(self, path: Path | str) -> str:
        """`path:line:column: key: message`, leaving out what is not known; the path shown escaped."""
        where = f"{shown_path(path)}:{self.line}" if self.line else shown_path(path)
        where += f":{self.column}" if self.line and self.column else ""
        what = f"{self.key}: {self.message}" if self.key else self.message
        return f"{where}: {what}"


class LoadError(ReviewtuiError):
    """A rubric or record that cannot be read or is not valid."""

    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path = Path(path)
        self.problems = problems
        super().__init__("\n".join(problem.render(path) for problem in problems))


class SaveError(ReviewtuiError):
    """A record that could not be written; the previous file on disk is untouched."""


class UnsafePathError(ReviewtuiError):
    """A file name that would leave the folder it belongs in."""
