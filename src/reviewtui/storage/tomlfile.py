"""Reading TOML files safely and writing records deterministically."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w

from ..errors import LoadError, Problem
from .conflicts import refuse_conflict_markers
from .reading import read_capped
from .reasons import os_reason, size_text

# Named here too, where most of storage has always found them.
__all__ = ["MAX_DEPTH", "TomlDocument", "dumps_toml", "os_reason", "read_toml", "size_text"]

MAX_DEPTH = 12
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_SYNTAX_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")


@dataclass(frozen=True)
class TomlDocument:
    """A parsed TOML file with the text it came from."""

    path: Path
    raw: bytes
    text: str
    data: dict[str, Any]


def _depth(value: Any) -> int:
    """How deeply tables and arrays nest; iterative, as the nesting is what is in doubt."""
    deepest = 0
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            pending.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)
        else:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_DEPTH:
            break
    return deepest


_SYNTAX_WORDING = [
    (
        re.compile(r"^Illegal character '\\n'"),
        "unexpected end of line: is a closing quote or bracket missing?",
    ),
    (re.compile(r"^Cannot overwrite a value"), "a key is given a value twice; keep one"),
    (
        re.compile(r"^Cannot declare \((.*)\) twice"),
        lambda match: "the table `[{}]` is declared twice; merge them".format(
            ".".join(part.strip(" '\"") for part in match.group(1).split(",") if part.strip())
        ),
    ),
]


def _syntax_reason(reason: str) -> str:
    for pattern, wording in _SYNTAX_WORDING:
        match = pattern.search(reason)
        if match:
            return wording(match) if callable(wording) else wording
    return reason[:1].lower() + reason[1:]


def read_toml(
    path: Path, *, max_bytes: int, what: str, conflict_markers: bool = False, follow_symlinks: bool = True
) -> TomlDocument:
    """Read and parse a TOML file; every failure is a LoadError naming file and line.

    `follow_symlinks=False` refuses a link: records and drafts are read as the files themselves,
    never through a link that may have come with a cloned repository.

    `conflict_markers=True` lets lines that look like merge-conflict markers through: only for
    drafts, which git never merges and which keep whatever was typed (a line of `=======`).
    """

    def fail(message: str, line: int | None = 1, column: int | None = None) -> LoadError:
        # Problems with the whole content point at line 1, so reports read path:line:;
        # only a file that cannot be opened at all has no line to point at.
        return LoadError(path, [Problem(message, line, column=column)])

    raw = read_capped(path, max_bytes=max_bytes, what=what, follow_symlinks=follow_symlinks)
    if b"\x00" in raw:
        raise fail(f"is a binary file, not a TOML {what}")
    if raw.startswith(b"\xef\xbb\xbf"):  # editors on Windows add a byte-order mark
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise fail("is not UTF-8 text; save the file with UTF-8 encoding", line) from None
    if not text.strip():
        raise fail(f"is empty; a {what} needs at least its required keys")
    # Before parsing: outside strings a marker is a syntax error that would not say what to do.
    if not conflict_markers:
        refuse_conflict_markers(path, text)
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _SYNTAX_POSITION.search(message)
        line = int(match.group(1)) if match and match.group(1) else text.count("\n") + 1
        column = int(match.group(2)) if match and match.group(2) else None
        reason = _syntax_reason(_SYNTAX_POSITION.sub("", message))
        raise fail(f"TOML syntax error: {reason}", line, column) from None
    except RecursionError:
        raise fail("is nested too deeply to be a " + what) from None
    except ValueError:
        # Python refuses to read integers of thousands of digits.
        raise fail("holds a number too long to read") from None
    if _depth(data) > MAX_DEPTH:
        raise fail(f"is nested more than {MAX_DEPTH} levels deep; a {what} never needs that")
    return TomlDocument(path, raw, text, data)


def _is_array_of_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def _plain_number(value: Any) -> Any:
    # Whole decimals are written as TOML integers ("95", not tomli-w's "95.0").
    if isinstance(value, Decimal) and value.as_tuple().exponent >= 0 and value.adjusted() < 30:  # type: ignore[operator]
        return int(value)
    if isinstance(value, list):
        return [_plain_number(item) for item in value]
    return value


def _key_value(key: str, value: Any) -> str:
    if isinstance(value, list) and value and all(isinstance(item, (int, Decimal)) for item in value):
        # Short number lists (band thresholds) read best on one line.
        items = ", ".join(tomli_w.dumps({"v": item})[4:-1] for item in value)
        return f"{key} = [{items}]\n"
    return tomli_w.dumps({key: value}, multiline_strings=True)


def _emit(table: dict[str, Any], header: str | None, in_array: bool, out: list[str]) -> None:
    nested = {
        key: value for key, value in table.items() if isinstance(value, dict) or _is_array_of_tables(value)
    }
    # A table holding only sub-tables needs no header of its own.
    if header is not None and (in_array or len(nested) < len(table) or not table):
        out.append(f"\n[[{header}]]\n" if in_array else f"\n[{header}]\n")
    for key, value in table.items():
        if key not in nested:
            out.append(_key_value(key, _plain_number(value)))
    for key, value in nested.items():
        if not _BARE_KEY.match(key):
            raise ValueError(f"key {key!r} is not a bare TOML key")
        name = f"{header}.{key}" if header else key
        if isinstance(value, dict):
            _emit(value, name, False, out)
        else:
            for item in value:
                _emit(item, name, True, out)


def dumps_toml(data: dict[str, Any]) -> str:
    """TOML text for plain data: every table under its own header, one key per line.

    Unlike tomli-w's default, tables are never inlined, so a growing entry does
    not switch layout and git diffs show only the lines that changed.
    """
    out: list[str] = []
    _emit(data, None, False, out)
    return "".join(out).lstrip("\n")
