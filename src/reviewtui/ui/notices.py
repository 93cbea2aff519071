"""Paths in notifications, broken at `/` so that a line ends where a folder does."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from ..shown import shown_path
from .shown_markup import escape

TOAST_WIDTH = 60
"""Textual's toast: 60 columns, at most half the screen; its padding and bar take 3."""


def break_at_slashes(path: str, width: int) -> list[str]:
    """`path` in lines of at most `width` characters, each break after a `/`.

    A single folder name longer than a line stays whole: the toast folds it.
    """
    lines: list[str] = []
    line = ""
    for part in path.replace("/", "/\0").split("\0"):
        if line and len(line) + len(part) > width:
            lines.append(line)
            line = ""
        line += part
    return [*lines, line] if line else lines


def toast_path(app: App[object], path: Path | str) -> str:
    """A path for a notification's text: escaped (controls, then markup), on lines of its own that break at `/`."""
    width = max(min(TOAST_WIDTH, app.size.width // 2) - 3, 20)
    return "\n".join(escape(line) for line in break_at_slashes(shown_path(path), width))
