"""Text edits between a widget's `str` and a pycrdt `Text`, in the units each side counts in.

pycrdt 0.14 counts `Text` offsets and `TextEvent.delta` lengths in UTF-8 bytes, while widgets
and `str` count characters: `Text("a🙂b").insert(2, "X")` lands after the emoji's second byte.
Every conversion between the two happens here, so no caller ever passes a character index to
a `Text` (pycrdt is pinned exactly: a pending upstream change makes these offsets characters).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pycrdt import Text


def splice(old: str, new: str) -> tuple[int, int, str]:
    """`(start, end, inserted)` in characters: `new == old[:start] + inserted + old[end:]`, with the
    longest common prefix and then the longest common suffix left untouched."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    tail = 0
    while tail < limit - start and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return start, len(old) - tail, new[start : len(new) - tail]


def utf8_length(text: str) -> int:
    """The length of `text` in UTF-8 bytes (lone surrogates, which no widget holds, count as 3)."""
    return len(text.encode("utf-8", "surrogatepass"))


def push_edit(text: Text, old: str, new: str) -> None:
    """Turn `old` into `new` in `text` with one splice (a delete, an insert, or both).

    Precondition: `old == str(text)`. Nothing is sent when they are equal.
    """
    start, end, inserted = splice(old, new)
    at = utf8_length(old[:start])
    removed = utf8_length(old[start:end])
    if removed:
        del text[at : at + removed]
    if inserted:
        text.insert(at, inserted)


def _char_count(value: str, char_at: int, byte_count: int) -> int:
    """How many characters of `value`, from `char_at`, make `byte_count` UTF-8 bytes."""
    end = char_at
    while byte_count > 0 and end < len(value):
        byte_count -= utf8_length(value[end])
        end += 1
    return end - char_at


def _steps(delta: Iterable[Mapping[str, Any]]) -> Iterable[tuple[str, Any]]:
    for step in delta:
        for kind in ("retain", "insert", "delete"):
            if kind in step:
                yield kind, step[kind]


def apply_delta(old: str, delta: Iterable[Mapping[str, Any]]) -> str:
    """`old` after a `TextEvent.delta` (`retain`/`delete` counted in UTF-8 bytes) is applied."""
    parts: list[str] = []
    at = 0
    for kind, value in _steps(delta):
        if kind == "insert":
            parts.append(str(value))
            continue
        count = _char_count(old, at, int(value))
        if kind == "retain":
            parts.append(old[at : at + count])
        at += count
    parts.append(old[at:])
    return "".join(parts)


def moved_cursor(old: str, delta: Iterable[Mapping[str, Any]], cursor: int) -> int:
    """Where a character-index `cursor` in `old` is after a remote delta.

    A remote insert at or before the cursor pushes it right (the remote typist's text lands
    before the local one's); a remote delete before it pulls it left, one that spans it puts it
    at the start of what was deleted.
    """
    moved = cursor
    at = 0  # characters of `old` walked so far
    for kind, value in _steps(delta):
        if at > cursor:
            break
        if kind == "insert":
            moved += len(str(value))
            continue
        count = _char_count(old, at, int(value))
        if kind == "delete":
            moved -= min(count, max(0, cursor - at))
        at += count
    return moved
