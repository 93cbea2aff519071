"""Checks on what text holds, shared by the models (typed text) and storage (whole files)."""

from __future__ import annotations

import re
import unicodedata

# Format and space characters (zero-width spaces, direction marks, line separators) show nothing.
INVISIBLE_CATEGORIES = ("Cf", "Zs", "Zl", "Zp")

# The lines git writes around a conflict: `<<<<<<< ours`, `||||||| base` (diff3), `=======`,
# `>>>>>>> theirs`. The same rule as `git diff --check`: seven marks at the start of a line,
# then a space or the end of the line (a line of eight `=` is a heading underline, not a marker).
_CONFLICT_MARKER = re.compile(r"^(?:<{7}|\|{7}|={7}|>{7})(?: |\r?$)", re.MULTILINE)

CONFLICT_ADVICE = (
    "holds a merge-conflict marker (a line starting with <<<<<<<, ======= or >>>>>>>): "
    "resolve the merge conflict, keeping the text that was meant, then validate again"
)
"""Said of a file, at the marker's line."""

TEXT_CONFLICT_ADVICE = (
    "holds a merge-conflict marker (a line that is =======, or starts with <<<<<<< or >>>>>>>): "
    "resolve the merge conflict, or reword that line"
)
"""Said of a text field, which may have been typed rather than merged."""


# Characters outside those categories that show nothing either: the Hangul fillers, the blank
# Braille pattern, the combining grapheme joiner, Khmer's inherent vowels, Mongolian's free
# variation selectors and the variation selectors (Unicode's default-ignorable code points).
_ALSO_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0")


def _invisible(ch: str) -> bool:
    code = ord(ch)
    return (
        unicodedata.category(ch) in INVISIBLE_CATEGORIES
        or ch in _ALSO_INVISIBLE
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
    )


def is_blank(text: str) -> bool:
    """True when the text shows nothing: empty, or only spaces, tabs, newlines and invisible characters."""
    return all(ch in "\t\n\r" or _invisible(ch) for ch in text)


def conflict_marker_lines(text: str) -> list[int]:
    """The 1-based numbers of the lines of the text that are merge-conflict markers."""
    if "<<<<<<<" not in text and "=======" not in text and ">>>>>>>" not in text and "|||||||" not in text:
        return []  # the common case, without counting lines
    starts = [match.start() for match in _CONFLICT_MARKER.finditer(text)]
    return [text.count("\n", 0, start) + 1 for start in starts]
