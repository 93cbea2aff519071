"""Names, paths and messages as Textual markup: escaped for the terminal, then for markup.

Textual passes ESC, C1 codes and bidi controls in a cell straight to the terminal (its content
strips only BEL, BS, VT, FF and CR), and reads `[bold]` in a string as markup. Every name, path
or error message from files that the app shows goes through one of these, or through
`SafeNotifications` for toasts, so a folder named `[bold]\\x1b]52;c;…` shows as written, escaped.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from textual.markup import escape as markup_escape

from ..shown import shown_path, shown_text, terminal_text


def markup_text(text: str) -> str:
    """A name (person, rubric, file) as markup that shows it literally, on one line, controls escaped."""
    return markup_escape(shown_text(text))


def markup_path(path: PurePath | str) -> str:
    """A path as markup that shows it literally, on one line, controls escaped."""
    return markup_escape(shown_path(path))


def markup_message(message: object) -> str:
    """An error or other message (its lines kept) as markup that shows it literally, controls escaped."""
    return markup_escape(terminal_text(str(message)))


def escape(text: str) -> str:
    """Text for markup, shown literally: the UI's one `escape`, used instead of Textual's.

    Textual's escapes markup only; this escapes first what would drive the terminal or reorder
    the line (ESC, C1 codes, bidi overrides and isolates), keeping the text's own newlines and tabs.
    """
    return markup_escape(terminal_text(str(text)))


class SafeNotifications:
    """An App mixin: every toast's text and title pass `terminal_text`, whoever wrote them.

    The last line of defence behind `markup_message`: a message that forgot to escape a name
    still cannot drive the terminal (its markup is the caller's, as Textual's `notify` takes it).
    """

    def notify(self, message: str, *, title: str = "", **options: Any) -> None:
        super().notify(terminal_text(str(message)), title=terminal_text(str(title)), **options)  # type: ignore[misc]
