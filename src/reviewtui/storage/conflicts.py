"""Files left with merge-conflict markers: refused wherever a file is read, at the marker's line."""

from __future__ import annotations

from pathlib import Path

from ..errors import LoadError, Problem
from ..models.text_checks import CONFLICT_ADVICE, conflict_marker_lines


def refuse_conflict_markers(path: Path, text: str) -> None:
    """Raise a LoadError naming each marker line (inside strings or out), never what it says."""
    lines = conflict_marker_lines(text)
    if lines:
        raise LoadError(path, [Problem(CONFLICT_ADVICE, line) for line in lines])
