"""Undo and redo of typed text: one history per field, kept by the app for a draft's life.

Pure: the screen reports each field's text as it changes and asks for the text to put back.
A step screen is rebuilt whenever the pair go back and forth, so the history cannot live in
the widget. Typing coalesces the way editors do: one undo step is a run of typing up to the
next word, a pause, a jump of the cursor, or a change of what is done (typing, deleting;
typing over a selection begins a step, pasting and deleting a selection are steps of their own).
"""

from __future__ import annotations

from dataclasses import dataclass, field

PAUSE_SECONDS = 1.0
"""A pause this long between two keys ends an undo step."""
MAX_STEPS = 200
"""Undo steps kept per field; the oldest go first."""


@dataclass(frozen=True)
class Restore:
    """The text to put back in a field, and where its cursor goes (a character offset)."""

    text: str
    cursor: int


@dataclass(frozen=True)
class Change:
    """How one text became the next: `removed` at `start` replaced by `inserted`."""

    start: int
    removed: str
    inserted: str

    @property
    def kind(self) -> str:
        if len(self.inserted) == 1:
            return "type"  # a key, possibly over a selection
        if not self.inserted and len(self.removed) == 1:
            return "delete"
        return "replace"  # a paste, a cut, a selection or a word deleted at once

    @property
    def end(self) -> int:
        """Where the cursor is after the change."""
        return self.start + len(self.inserted)


def change_between(old: str, new: str) -> Change:
    """The smallest change turning `old` into `new` (common start and end kept)."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    tail = 0
    while tail < limit - start and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]:
        tail += 1
    return Change(start, old[start : len(old) - tail], new[start : len(new) - tail])


def continues(previous: Change, change: Change) -> bool:
    """True when `change` belongs to the same undo step as `previous` (the keys came quickly)."""
    if previous.kind != change.kind or change.kind == "replace":
        return False
    if change.kind == "type" and change.removed:
        return False  # typing over a selection begins a step; the keys after it continue it
    if change.kind == "type":
        # A word is a step: the first letter after a space begins the next one.
        new_word = previous.inserted.isspace() and not change.inserted.isspace()
        return change.start == previous.end and not new_word
    # Backspace moves left one character at a time; Delete stays where it is.
    return change.start in (previous.start - 1, previous.start)


@dataclass
class TextHistory:
    """One field's text as it is now, with the texts to go back and forward to."""

    text: str
    _undo: list[str] = field(default_factory=list)
    _redo: list[str] = field(default_factory=list)
    _last: Change | None = None
    _last_at: float = float("-inf")

    def record(self, text: str, now: float) -> None:
        """The field now holds `text` (typed, pasted or set); `now` in seconds, any monotonic clock."""
        if text == self.text:
            return
        change = change_between(self.text, text)
        quick = now - self._last_at < PAUSE_SECONDS
        if not (quick and self._last is not None and continues(self._last, change)):
            self._undo.append(self.text)
            del self._undo[:-MAX_STEPS]
        self._redo.clear()
        self.text, self._last, self._last_at = text, change, now

    def rebase(self, before: str, after: str) -> None:
        """Someone else changed the field from `before` to `after` (a live shared session).

        Their change is not this person's to undo: it is carried into every step of the history,
        so Ctrl+Z takes back this person's own typing and keeps theirs. Steps whose change overlaps
        theirs cannot be carried (nor any step before them): those are dropped. A history that did
        not show `before` starts over.
        """
        if before != self.text:
            self._undo, self._redo = [], []
        else:
            remote = change_between(before, after)
            self._undo = _carried(self._undo, before, remote)
            self._redo = _carried(self._redo, before, remote)
            self._last = _last_moved(self._last, remote)  # typing on goes on in the same step
            self.text = after
            return
        self.text, self._last = after, None

    def undo(self) -> Restore | None:
        """The text before the last step, or None when there is nothing to undo."""
        return self._move(self._undo, self._redo)

    def redo(self) -> Restore | None:
        """The text the last undo took away, or None when there is nothing to redo."""
        return self._move(self._redo, self._undo)

    def _move(self, source: list[str], target: list[str]) -> Restore | None:
        if not source:
            return None
        target.append(self.text)
        text = source.pop()
        cursor = change_between(self.text, text).end
        self.text, self._last = text, None  # the next key starts a step of its own
        return Restore(text, cursor)


def carried_over(text: str, base: str, remote: Change) -> str | None:
    """`text` (a step of a field's history, `base` the field now) with `remote`, a change made
    on `base`, made on it too; None when the change and what tells `text` from `base` overlap."""
    local = change_between(base, text)
    local_end = local.start + len(local.removed)
    remote_end = remote.start + len(remote.removed)
    if remote_end <= local.start:  # wholly before: the same place in both
        at = remote.start
    elif remote.start >= local_end:  # wholly after: moved by what the step adds or takes away
        at = remote.start + len(local.inserted) - len(local.removed)
    else:
        return None
    return text[:at] + remote.inserted + text[at + len(remote.removed) :]


def _last_moved(last: Change | None, remote: Change) -> Change | None:
    if last is None:
        return None
    if remote.start + len(remote.removed) <= last.start:
        return Change(last.start + len(remote.inserted) - len(remote.removed), last.removed, last.inserted)
    return last if remote.start >= last.end else None


def _carried(steps: list[str], base: str, remote: Change) -> list[str]:
    kept: list[str] = []
    for step in reversed(steps):  # the latest first: a step that cannot be carried ends the rest
        moved = carried_over(step, base, remote)
        if moved is None:
            break
        kept.append(moved)
    return kept[::-1]


@dataclass
class TextHistories:
    """Every field's history, by field key, for one draft."""

    _fields: dict[str, TextHistory] = field(default_factory=dict)

    def of(self, key: str, text: str) -> TextHistory:
        """The history of the field `key`, which shows `text` now.

        A field showing other text than its history last saw is another field under the same
        key (a row removed before it, a form opened afresh): its history starts over.
        """
        history = self._fields.get(key)
        if history is None or history.text != text:
            history = self._fields[key] = TextHistory(text)
        return history

    def forget(self, prefix: str) -> None:
        """Drop the histories of fields whose key starts with `prefix` (rows renumbered)."""
        for key in [key for key in self._fields if key.startswith(prefix)]:
            del self._fields[key]
