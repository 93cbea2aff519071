"""Names and paths as a terminal, a TUI cell, an error or a spreadsheet may show them (pure).

A repository of reviews may be cloned from someone else, so every file and folder name in it,
and every name inside its records, may be hostile: an escape sequence in a folder name
(`\\x1b]52;c;…\\x07`) sets the terminal's clipboard, a C1 code (`\\x9b`) starts one on some
terminals, a bidirectional override (`\\u202e`) makes a name read backwards, a newline splits a
`path:line:` report in two. Everything reviewtui shows of such a name goes through here:

- `shown_text` and `shown_path` for a name or a path on one line: control characters (C0, DEL,
  C1), format characters (bidi overrides and isolates, direction marks, zero-width and other
  invisible characters), line and paragraph separators and lone surrogates (bytes of a file name
  that are not UTF-8) are shown escaped, as Python writes them (`\\x1b`, `\\n`, `\\u202e`);
  everything else, backslashes included, is shown as it is;
- `terminal_text` for whole messages, the last line of defence where the command line writes:
  the message's own newlines and tabs stay, the characters that drive or reorder a terminal
  are escaped;
- `spreadsheet_cell` for a CSV cell, neutralised as OWASP's CSV-injection guidance says.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

# Control (C0, DEL, C1), format (Cf: bidi controls, direction marks, zero-width characters, tag
# characters), surrogate, and line/paragraph separator characters: none of them has a glyph, and
# each can drive a terminal, reorder or hide text, or break a line.
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})

# What a whole message may not carry to a terminal: C0 controls but tab and newline, DEL, C1,
# the bidi embeddings, overrides and isolates, and lone surrogates (which would also fail to encode).
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

# A spreadsheet reads a cell starting with one of these as a formula (or strips it and then does).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _escaped(char: str) -> str:
    return char.encode("unicode_escape", errors="backslashreplace").decode("ascii")


def is_escaped_char(char: str) -> bool:
    """Whether `shown_text` shows this character escaped rather than as it is."""
    return unicodedata.category(char) in _ESCAPED_CATEGORIES


def shown_text(text: str) -> str:
    """A name (from a file name or a record) on one line, with every invisible or controlling character escaped."""
    if text.isprintable():  # the common case, and no character of the escaped kinds is printable
        return text
    return "".join(_escaped(char) if is_escaped_char(char) else char for char in text)


def shown_path(path: PurePath | str) -> str:
    """A file or folder path on one line, as `shown_text` shows a name."""
    return shown_text(str(path))


def terminal_text(text: str) -> str:
    """A whole message as it may reach a terminal: its newlines and tabs kept, controls and bidi escaped."""
    return _TERMINAL_UNSAFE.sub(lambda match: _escaped(match.group()), text)


def spreadsheet_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run: text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`.

    Numbers (int, Decimal) reviewtui computed stay numbers, `-0.5` included: only text from
    files, such as names and paths, can carry a formula.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
