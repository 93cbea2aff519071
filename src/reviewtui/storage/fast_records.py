"""A fast reader for records in the exact layout reviewtui writes, for reports over thousands of files.

`tomllib` reads any TOML at about 1 ms per record; records saved by reviewtui use a small,
fixed part of TOML (one `key = value` per line, `[table]` and `[[array]]` headers, basic and
multi-line basic strings with simple escapes, decimal numbers, dates, offset date-times and
arrays of those). This reader handles only that part, line by line, about three times faster,
and declines (returns None) on anything else: the caller then reads the file with `tomllib`
through `read_toml`, which also gives the usual messages for broken files. What it accepts it
reads exactly as `tomllib` with `parse_float=Decimal` does (a property test holds it to that).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import LoadError
from ..models.text_checks import conflict_marker_lines
from .reading import read_capped

_KEY_VALUE = re.compile(r"([A-Za-z0-9_-]+) = (.+)\Z")
_HEADER = re.compile(r"(\[\[?)([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+){0,3})(\]\]?)\Z")
_COMMENT = re.compile(r"#[^\x00-\x08\x0a-\x1f\x7f]*\Z")
# tomllib's rules for what a basic string may hold, with only the escapes reviewtui writes.
# Written as "runs, then (escape, run)*" so that no text can make the match backtrack at length.
_STRING = re.compile(r'"([^"\\\x00-\x08\x0a-\x1f\x7f]*(?:\\["\\btnfr][^"\\\x00-\x08\x0a-\x1f\x7f]*)*)"\Z')
_MULTILINE = re.compile(r'[^\\\x00-\x08\x0b-\x1f\x7f]*(?:\\["\\btnfr][^\\\x00-\x08\x0b-\x1f\x7f]*)*\Z')
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {'"': '"', "\\": "\\", "b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r"}
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\Z")
_DAY = r"([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_DATE = re.compile(_DAY + r"\Z")
_DATETIME = re.compile(
    _DAY
    + r"[Tt ]([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])(?:([Zz])|([+-])([01][0-9]|2[0-3]):([0-5][0-9]))\Z"
)
_NUMBERS = re.compile(r"\[([-0-9.eE+]+(?:, [-0-9.eE+]+)*)\]\Z")


class _Declined(Exception):
    """The text uses TOML this reader leaves to tomllib."""


def read_fast(path: Path, max_bytes: int) -> tuple[bytes, str, dict[str, Any]] | None:
    """(bytes, text, data) of a record in reviewtui's own layout, or None to read it with tomllib."""
    try:
        raw = read_capped(path, max_bytes=max_bytes, what="record")
    except LoadError:
        return None
    # Unreadable, oversized, binary, BOM-prefixed or non-UTF-8 files get read_toml's own messages.
    if b"\x00" in raw or raw.startswith(b"\xef\xbb\xbf"):
        return None
    try:
        text = raw.decode("utf-8")
        data = parse(text)
    except (UnicodeDecodeError, _Declined):
        return None
    return raw, text, data


def parse(text: str) -> dict[str, Any]:
    """The document's data; raises _Declined for anything outside reviewtui's layout."""
    if "\r" in text or not text.strip() or conflict_marker_lines(text):
        raise _Declined  # (conflict markers: read_toml names their lines)
    root: dict[str, Any] = {}
    headed_arrays: set[int] = set()  # ids of arrays made by [[headers]], which headers may extend
    table = root
    lines = text.split("\n")
    index, count = 0, len(lines)
    while index < count:
        line = lines[index]
        index += 1
        if not line:
            continue
        if line[0] == "#":
            if not _COMMENT.match(line):
                raise _Declined
            continue
        if line[0] == "[":
            table = _open_table(root, line, headed_arrays)
            continue
        match = _KEY_VALUE.match(line)
        if match is None or match[1] in table:
            raise _Declined
        key, value = match[1], match[2]
        if value == '"""':
            start = index
            while index < count and not lines[index].endswith('"""'):
                index += 1
            if index == count:
                raise _Declined
            index += 1
            body = "\n".join(lines[start:index])[:-3]
            if '"""' in body or body.endswith('"') or not _MULTILINE.match(body):
                raise _Declined
            table[key] = _unescape(body)
        elif value == "[":
            items = []
            while index < count and lines[index] != "]":
                item = lines[index]
                if not item.startswith("    ") or not item.endswith(","):
                    raise _Declined
                items.append(_scalar(item[4:-1]))
                index += 1
            if index == count:
                raise _Declined
            index += 1
            table[key] = items
        elif value[0] == "[":
            numbers = _NUMBERS.match(value)
            if numbers is None:
                raise _Declined
            table[key] = [_scalar(item) for item in numbers[1].split(", ")]
        else:
            table[key] = _scalar(value)
    return root


def _open_table(root: dict[str, Any], line: str, headed_arrays: set[int]) -> dict[str, Any]:
    match = _HEADER.match(line)
    if match is None or len(match[1]) != len(match[3]):
        raise _Declined
    *parents, last = match[2].split(".")
    node = root
    for part in parents:
        child = node.setdefault(part, {})
        if type(child) is list and id(child) in headed_arrays:
            child = child[-1]
        elif type(child) is not dict:
            raise _Declined
        node = child
    existing = node.get(last)
    table: dict[str, Any] = {}
    if match[1] == "[[":
        if existing is None:
            array = node[last] = [table]
            headed_arrays.add(id(array))
        elif type(existing) is list and id(existing) in headed_arrays:
            existing.append(table)
        else:
            raise _Declined
    elif existing is None:
        node[last] = table
    else:  # reopening a table: left to tomllib, which knows when that is allowed
        raise _Declined
    return table


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda match: _ESCAPES[match[1]], text) if "\\" in text else text


@lru_cache(maxsize=64)
def _zone(sign: str, hours: str, minutes: str) -> timezone:
    factor = 1 if sign == "+" else -1
    return timezone(timedelta(hours=factor * int(hours), minutes=factor * int(minutes)))


def _scalar(text: str) -> Any:
    match = _STRING.match(text)
    if match:
        return _unescape(match[1])
    try:
        if _INTEGER.match(text):
            return int(text)
        if text in ("true", "false"):
            return text == "true"
        match = _DATETIME.match(text)
        if match:
            year, month, day, hour, minute, second, zulu, sign, zone_hours, zone_minutes = match.groups()
            zone = UTC if zulu else _zone(sign, zone_hours, zone_minutes)
            return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=zone)
        if _DATE.match(text):
            return date.fromisoformat(text)
        if _FLOAT.match(text):
            return Decimal(text)
    except ValueError:  # a day past the month's end, an integer too long to read
        raise _Declined from None
    raise _Declined
