"""The home screen's check-in column: who is due or overdue a check-in, on the first row of each person.

Read in the home screen's worker once the records are listed: per person, only their newest
records up to the plan as it stands (usually one file). The column shows only while someone is due.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.widgets import DataTable

from ..errors import LoadError

if TYPE_CHECKING:
    import datetime as dt

    from ..checkins.due import CheckinDue
    from .home_details import Person

DUE_COLUMN = "due"


def due_mark(found: CheckinDue) -> str:
    """`⚑ overdue 12d`, `due today`, `due in 3d`; empty for a check-in further ahead."""
    if found.state == "overdue":
        return f"⚑ overdue {found.days}d"
    if found.state == "due":
        return "due today" if found.days == 0 else f"due in {found.days}d"
    return ""


def due_cells(rows: list[Person], today: dt.date, cancelled: Callable[[], bool]) -> dict[str, str] | None:
    """The mark of each person who is due, keyed by their first row; None if cancelled meanwhile."""
    from ..checkins.due import checkin_due, meeting_day  # the models: in the worker, never the first frame
    from ..storage.records import load_session

    names_of: dict[str, list] = {}
    for name, person, _ in rows:  # each person's rows, newest first
        names_of.setdefault(person, []).append(name)
    cells: dict[str, str] = {}
    for names in names_of.values():
        sessions = []
        for name in names:
            if cancelled():
                return None
            try:
                session = load_session(name.path)
            except LoadError:
                continue
            sessions.append(session)
            if meeting_day(session) <= today and session.status in ("agreed", "recorded", "signed"):
                break  # the plan as it stands, or the review that closed it: nothing older counts
        found = checkin_due(sessions, today)
        if found is not None and (mark := due_mark(found)):
            cells[names[0].key] = mark
    return cells


def clear_due(table: DataTable) -> None:
    """No check-in column (the folder is read again)."""
    if DUE_COLUMN in table.columns:
        table.remove_column(DUE_COLUMN)


def show_due(table: DataTable, cells: dict[str, str]) -> None:
    """The check-in column with these marks; none when nobody is due."""
    clear_due(table)
    kept = {key: mark for key, mark in cells.items() if key in table.rows}
    if not kept:
        return
    table.add_column("Check-in", key=DUE_COLUMN, default="")
    for key, mark in kept.items():
        table.update_cell(key, DUE_COLUMN, mark, update_width=True)
