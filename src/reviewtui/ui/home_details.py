"""The home screen's records details (full name, status, period), gathered off the first frame.

The list is painted from file names; then, in the screen's worker thread, the details come
from the report's per-record cache (`storage.record_cache`, no pydantic: a second start with
10,000 records fills in a fraction of a second), and only the records the cache does not vouch
for are read, by the report's own reader (`report_cache.collect`), which writes the cache for
the next start and the next report. What was gathered goes to the screen in batches.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from ..errors import LoadError, ReviewtuiError
from ..names import person_key
from ..storage.record_cache import Details, cached_details
from .shown_markup import markup_text

if TYPE_CHECKING:
    from pathlib import Path

    from ..storage.record_names import RecordName
    from ..storage.rubrics import RubricCatalog

DETAILS_BATCH_SECONDS = 0.1
"""How often the records list shows the details read so far: one screen update per batch."""
LATER_BATCH_SECONDS = 0.5
"""The same after `QUICK_BATCHES`: the rows on screen are read first, and each batch repaints the
whole table (1,000 records took twice as long to fill with a repaint every 0.1 s)."""
QUICK_BATCHES = 5
Cells = tuple[str, str, str]
"""A record's cells on screen: full name, status, period (escaped: DataTable reads markup)."""
RowDetails = tuple[str, Cells, bool]
"""A record's row key, its cells and whether it starts its group (shows the name)."""
Person = tuple["RecordName", str, Cells]
"""A record's name, the key of the person it is about, and its cells."""
Row = TypeVar("Row")


def grouped(rows: list[Row], key: Callable[[Row], str]) -> list[Row]:
    """Rows grouped by `key` (the group with the newest row first), in their order within a group."""
    groups: dict[str, list[Row]] = {}
    for row in rows:  # rows arrive newest first
        groups.setdefault(key(row), []).append(row)
    return [row for group in groups.values() for row in group]


def cells_of(name: RecordName, details: Details | None) -> tuple[str, Cells]:
    """The person key and cells of a record, from its details or, when unreadable, its file name."""
    if details is None:
        # Grouped by its slug, apart from people (no person key starts with NUL).
        return f"\x00{name.slug}", (name.slug, "unreadable", "run reviewtui validate")
    employee, status, period = details
    return person_key(employee), (markup_text(employee), status, markup_text(period))


class DetailsFill:
    """Rows' details gathered in any order, sent to the screen in batches (`send`)."""

    def __init__(self, names: list[RecordName], send: Callable[[list[RowDetails]], None]) -> None:
        self.names = names
        self.send = send
        self._index = {name.key: index for index, name in enumerate(names)}
        self._people: dict[str, tuple[str, Cells]] = {}
        self._first_sent: dict[str, bool] = {}
        self._batch: list[RowDetails] = []
        self._sent_at = time.monotonic()
        self._batches = 0

    def known(self, name: RecordName) -> bool:
        return name.key in self._people

    def add(self, name: RecordName, details: Details | None, *, send: bool = True) -> None:
        """A record's details; sent with the next batch, or kept for `listed` (`send=False`)."""
        key = name.key
        self._people[key] = cells_of(name, details)
        if not send:
            return
        self._queue(key, self._first(key))
        interval = DETAILS_BATCH_SECONDS if self._batches < QUICK_BATCHES else LATER_BATCH_SECONDS
        if time.monotonic() - self._sent_at >= interval:
            self.flush()

    def _first(self, key: str) -> bool:
        index = self._index[key]
        previous = self._people.get(self.names[index - 1].key) if index else None
        return previous is None or previous[0] != self._people[key][0]

    def listed(self, name: RecordName) -> tuple[bool, Cells] | None:
        """For a row being added: whether it starts its group and its cells, if known (then sent)."""
        found = self._people.get(name.key)
        if found is None:
            return None
        first = self._first_sent[name.key] = self._first(name.key)
        return first, found[1]

    def send_kept(self, names: list[RecordName]) -> None:
        """The kept details of rows already listed, sent."""
        for name in names:
            if name.key in self._people:
                self._queue(name.key, self._first(name.key))
        self.flush()

    def _queue(self, key: str, first: bool) -> None:
        self._first_sent[key] = first
        self._batch.append((key, self._people[key][1], first))

    def flush(self) -> None:
        if self._batch:
            self.send(self._batch)
            self._batches += 1
        self._batch, self._sent_at = [], time.monotonic()

    def finish(self) -> list[Person]:
        """Every row sent with the right first-of-group flag (rows arrived out of order); the rows."""
        previous = None
        rows: list[Person] = []
        for name in self.names:
            person, cells = self._people[name.key]
            if self._first_sent.get(name.key) != (person != previous):
                self._queue(name.key, person != previous)
            previous = person
            rows.append((name, person, cells))
        self.flush()
        return rows


def fill_from_cache(sessions_dir: Path, fill: DetailsFill) -> list[RecordName]:
    """The details the cache vouches for, kept (for rows still to be listed) ; the names left to read."""
    found, left = cached_details(sessions_dir, fill.names)
    for name in fill.names:
        if name.key in found:
            fill.add(name, found[name.key], send=False)
    return left


class _Stopped(Exception):
    """The screen reads the folder again: this reading is of no more use."""


def fill_by_reading(
    sessions_dir: Path,
    catalog: RubricCatalog | None,
    left: list[RecordName],
    fill: DetailsFill,
    cancelled: Callable[[], bool],
) -> bool:
    """The records left read, by the report's reader (which caches them); False if cancelled.

    Without a catalog (it could not be read), or for what that reader does not read (a link, a
    file gone since), each record is loaded on its own, as the record screen would.
    """
    waiting = {name.file_name: name for name in left}
    if catalog is not None:
        from ..storage.report_cache import collect  # the models and pydantic: off the first frame

        def told(relative: str, details: Details | None) -> None:
            if cancelled():
                raise _Stopped
            name = waiting.pop(relative, None)
            if name is not None:
                fill.add(name, details)

        try:
            collect(sessions_dir, catalog, on_read=told)
        except _Stopped:
            return False
        except ReviewtuiError:  # the folder cannot be listed whole: what can be is read below
            pass
    for name in waiting.values():
        if cancelled():
            return False
        if not fill.known(name):
            fill.add(name, loaded_details(name))
    fill.flush()
    return True


def loaded_details(name: RecordName) -> Details | None:
    """A record's details read from its file alone; None when it cannot be loaded."""
    from ..storage.records import load_session

    try:
        session = load_session(name.path)
    except LoadError:
        return None
    return session.participants.employee.name, session.status, session.period.label
