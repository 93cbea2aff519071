"""Names, paths and messages as Textual markup: escaped for the terminal, then for markup.

Textual passes ESC, C1 codes and bidi controls in a cell straight to the terminal (its content
strips only BEL, BS, VT, FF and CR), and reads `[bold]` in a string as markup. Every name, path
or error message from files that the app shows goes through one of these, or through
`SafeNotifications` for toasts, so a folder named `[bold]\\x1b]52;c;…` shows as written, escaped.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from ..shown import shown_path, shown_text, terminal_text

# Zero-width and no line break: what follows a trailing backslash, so that it cannot escape the
# caller's next tag (see `markup_escape`).
_WORD_JOINER = "\u2060"


def markup_escape(text: str) -> str:
    """Text as Textual markup that shows exactly that text: every `[` escaped, as `\\[`.

    Textual's own `escape` (a port of Rich's) escapes only `[` followed by a lowercase letter,
    `#`, `/` or `@`, so `[0m`, `[31m`, `[$error]`, `[ b]` or `[Bold]` (what a pasted ANSI colour
    code leaves once its ESC is gone) stay tags: the text shows garbled, and a later `[/]` in the
    same markup closes the wrong tag or raises MarkupError. Textual 8's parser takes every `[`
    not preceded by a backslash as the start of a tag, and in text turns `\\[` into `[` and
    leaves every other backslash as it is (`\\\\[` is not an escaped backslash, unlike Rich's).
    So a backslash before a `[` in the text needs nothing, and every `[` becomes `\\[`.

    A backslash at the very end would escape the `[` of the caller's next tag (`[b]C:\\[/]`),
    and no markup shows a backslash directly before a tag; it gets a word joiner (U+2060, zero
    width, no line break) after it instead, the one thing the shown text gains.
    """
    text = text.replace("[", "\\[")
    if text.endswith("\\"):
        text += _WORD_JOINER
    return text


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

    Textual's escapes only some markup (see `markup_escape`); this escapes first what would drive
    the terminal or reorder the line (ESC, C1 codes, bidi overrides and isolates), keeping the
    text's own newlines and tabs, then every `[`.
    """
    return markup_escape(terminal_text(str(text)))


class SafeNotifications:
    """An App mixin: every toast's text and title pass `terminal_text`, whoever wrote them.

    The last line of defence behind `markup_message`: a message that forgot to escape a name
    still cannot drive the terminal (its markup is the caller's, as Textual's `notify` takes it).
    """

    def notify(self, message: str, *, title: str = "", **options: Any) -> None:
        super().notify(terminal_text(str(message)), title=terminal_text(str(title)), **options)  # type: ignore[misc]
