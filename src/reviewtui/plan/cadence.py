"""The cadence and next check-in as typed in a draft: what stops them, and what the record keeps (pure)."""

from __future__ import annotations

import datetime as dt

from ..checkins.due import next_after
from ..models.cadence import CADENCES
from ..models.draft import AlignmentDraft

Errors = dict[str, str]


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def default_next(cadence: str, meeting: dt.date) -> str:
    """The next check-in a cadence suggests from the meeting's day, as typed; empty without one."""
    found = next_after(meeting, cadence)
    return found.isoformat() if found else ""


def cadence_errors(draft: AlignmentDraft, meeting: dt.date) -> Errors:
    """A cadence not among the choices, or a next check-in that is no date after this meeting."""
    errors: Errors = {}
    if draft.cadence and draft.cadence not in CADENCES:
        errors["cadence"] = f"Choose one of {', '.join(CADENCES)}, or none."
    typed = draft.next_checkin.strip()
    day = _day(typed)
    if typed and day is None:
        errors["next_checkin"] = "Type the next check-in's day as YYYY-MM-DD, or leave it empty."
    elif day is not None and day <= meeting:
        errors["next_checkin"] = f"The next check-in comes after this meeting ({meeting:%Y-%m-%d})."
    return errors


def cadence_record(draft: AlignmentDraft, meeting: dt.date) -> dict[str, object]:
    """The record's `cadence` and `next_checkin`: as typed, the day from the cadence when none is typed.

    Call only when `cadence_errors` is empty; keys left out are not written (old records have none).
    """
    fields: dict[str, object] = {}
    if draft.cadence:
        fields["cadence"] = draft.cadence
    day = _day(draft.next_checkin) or next_after(meeting, draft.cadence)
    if day is not None:
        fields["next_checkin"] = day
    return fields
