"""Who is due a check-in, who is overdue, and which open actions are past their date (pure, given today).

An employee's next check-in is the one their plan as it stands sets: the newest agreed plan or
recorded check-in (`next_checkin`, or, in a record made before that key, its date plus its
cadence). A review signed after it closes the period: nothing is due until the next plan.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ..models import Session
from ..models.cadence import CADENCES
from ..names import person_key

DUE_SOON_DAYS = 7
"""A check-in this many days ahead or fewer is due (home and `reviewtui due` by default)."""

_DAYS = {"weekly": 7, "fortnightly": 14}
_MONTHS = {"monthly": 1, "quarterly": 3}

State = Literal["overdue", "due", "later"]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day (31 Jan → 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def next_after(day: dt.date, cadence: str) -> dt.date | None:
    """The next meeting after `day` at this cadence; None for an empty or unknown cadence."""
    if cadence in _DAYS:
        return day + dt.timedelta(days=_DAYS[cadence])
    if cadence in _MONTHS:
        return add_months(day, _MONTHS[cadence])
    return None


def meeting_day(session: Session) -> dt.date:
    """The day a record's meeting took place (its file name carries the same date)."""
    return session.created_at.date()


def next_checkin_of(session: Session) -> dt.date | None:
    """The next check-in a plan or check-in sets: as recorded, else its day plus its cadence."""
    if session.next_checkin is not None:
        return session.next_checkin
    return next_after(meeting_day(session), session.cadence) if session.cadence else None


def days_late(due: dt.date, on: dt.date) -> int:
    """How many days `due` is past on day `on` (0 or less: not late)."""
    return (on - due).days


@dataclass(frozen=True)
class CheckinDue:
    """One employee's next check-in and how it stands today."""

    employee: str
    manager: str
    day: dt.date
    cadence: str
    state: State
    days: int
    """Days late when overdue; days to go otherwise (0: today)."""
    record_id: str
    """The record that set it."""


@dataclass(frozen=True)
class OverdueAction:
    """An open action past its due date, in the plan as it stands."""

    employee: str
    text: str
    owner: str
    due: dt.date
    days: int
    """Days late."""
    record_id: str
    """The check-in that holds it."""


def _state(day: dt.date, today: dt.date, within: int) -> tuple[State, int]:
    late = days_late(day, today)
    if late > 0:
        return "overdue", late
    return ("due" if -late <= within else "later"), -late


def standing(records: Iterable[Session], today: dt.date) -> Session | None:
    """One person's plan as it stands on `today`, or None when there is none or a signed review closed it.

    Records of meetings after `today` do not count: `today` may be a day in the past.
    """
    kept = [session for session in records if meeting_day(session) <= today]
    ordered = sorted(kept, key=lambda session: session.created_at, reverse=True)
    for session in ordered:
        if session.kind == "review" and session.status == "signed":
            return None
        if session.kind in ("alignment", "check-in") and session.status in ("agreed", "recorded"):
            return session
    return None


def by_person(records: Iterable[Session]) -> dict[str, list[Session]]:
    """Records grouped by the person they are about (names matched as people, not as slugs)."""
    groups: dict[str, list[Session]] = {}
    for session in records:
        groups.setdefault(person_key(session.participants.employee.name), []).append(session)
    return groups


def checkin_due(records: Iterable[Session], today: dt.date, within: int = DUE_SOON_DAYS) -> CheckinDue | None:
    """One person's next check-in, from their records; None when no date is set or known."""
    session = standing(records, today)
    day = next_checkin_of(session) if session else None
    if session is None or day is None:
        return None
    state, days = _state(day, today, within)
    return CheckinDue(
        session.participants.employee.name,
        session.participants.manager.name,
        day,
        session.cadence or "",
        state,
        days,
        str(session.id),
    )


def overdue_actions(records: Iterable[Session], today: dt.date) -> list[OverdueAction]:
    """One person's open actions past their date, in the plan as it stands; oldest due first."""
    session = standing(records, today)
    if session is None:
        return []
    found = [
        OverdueAction(
            session.participants.employee.name,
            action.text,
            action.owner,
            action.due,
            days_late(action.due, today),
            str(session.id),
        )
        for action in session.actions
        if action.status == "open" and days_late(action.due, today) > 0
    ]
    return sorted(found, key=lambda action: (action.due, action.text))


@dataclass(frozen=True)
class FolderDue:
    """What a folder's records say: every next check-in known (soonest first) and the late open actions."""

    checkins: list[CheckinDue]
    actions: list[OverdueAction]

    @property
    def due(self) -> list[CheckinDue]:
        """The check-ins overdue or due within the days asked for."""
        return [found for found in self.checkins if found.state != "later"]


def folder_due(records: Iterable[Session], today: dt.date, within: int = DUE_SOON_DAYS) -> FolderDue:
    """Across every person: their next check-in (each marked overdue, due within `within` days, or
    later) and their overdue open actions. Stable order: by date, then by person, then by text.
    """
    checkins: list[tuple[tuple, CheckinDue]] = []
    actions: list[tuple[tuple, OverdueAction]] = []
    for key, sessions in by_person(records).items():
        found = checkin_due(sessions, today, within)
        if found is not None:
            checkins.append(((found.day, key, found.employee), found))
        actions += [((a.due, key, a.text, a.owner), a) for a in overdue_actions(sessions, today)]
    return FolderDue(
        [item for _, item in sorted(checkins, key=lambda pair: pair[0])],
        [item for _, item in sorted(actions, key=lambda pair: pair[0])],
    )


def cadence_words(cadence: str) -> str:
    """`monthly` as said in a sentence; empty for none."""
    return cadence if cadence in CADENCES else ""


def state_words(found: CheckinDue) -> str:
    """`overdue by 3 days`, `due today`, `due in 2 days`, or `next` for a later one."""
    plural = "s" if found.days != 1 else ""
    if found.state == "overdue":
        return f"overdue by {found.days} day{plural}"
    if found.state == "due":
        return "due today" if found.days == 0 else f"due in {found.days} day{plural}"
    return "next"


def due_words(found: CheckinDue) -> str:
    """`overdue by 3 days (2026-11-28)`, `due today`, `due in 2 days (2026-12-03)`, `next 2027-01-05`."""
    day = f"{found.day:%Y-%m-%d}"
    words = state_words(found)
    return (
        words if words == "due today" else f"{words} {day}" if found.state == "later" else f"{words} ({day})"
    )


def late_words(due: str, on: dt.date) -> str:
    """For an action as typed (`YYYY-MM-DD`) and still open on day `on`: `overdue by N days`, or empty."""
    try:
        day = dt.date.fromisoformat(due.strip())
    except ValueError:
        return ""
    late = days_late(day, on)
    return f"overdue by {late} day{'s' if late != 1 else ''}" if late > 0 else ""
