"""Due check-ins as an RFC 5545 calendar (`reviewtui due --ics`): written here, checked by `icalendar` in tests.

Pure text: CRLF line ends, lines folded at 75 octets (never inside a UTF-8 character), TEXT
values escaped, one all-day VEVENT per check-in with a UID stable across runs (the record that
set the date and the date itself), so a calendar that imports the file again updates the event
instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .due import CheckinDue

PRODID = "-//reviewtui//due check-ins//EN"
UID_DOMAIN = "reviewtui.invalid"
"""RFC 5545 asks for a UID made unique by a domain; `.invalid` is never anyone's (RFC 2606)."""
MAX_OCTETS = 75


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _clean(text: str) -> str:
    # Control characters are not allowed in a content line (RFC 5545 3.1); tabs become spaces.
    return "".join(
        " " if ch == "\t" else ch for ch in text if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127)
    )


def fold(line: str) -> str:
    """One content line folded so that no line passes 75 octets: CRLF and a space start each continuation."""
    parts: list[str] = []
    current, size = "", 0
    limit = MAX_OCTETS
    for ch in line:
        octets = len(ch.encode("utf-8"))
        if size + octets > limit:
            parts.append(current)
            current, size = "", 0
            limit = MAX_OCTETS - 1  # the leading space of a continuation counts
        current += ch
        size += octets
    parts.append(current)
    return "\r\n ".join(parts) + "\r\n"


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(found: CheckinDue, stamp: str) -> list[str]:
    day = found.day
    who = f"{found.employee} and {found.manager}"
    state = {"overdue": f"Overdue by {found.days} day(s).", "due": "Due.", "later": "Planned."}[found.state]
    every = f" They meet {found.cadence}." if found.cadence else ""
    return [
        "BEGIN:VEVENT",
        f"UID:checkin-{found.record_id}-{day:%Y%m%d}@{UID_DOMAIN}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(_clean(f'Check-in: {found.employee}'))}",
        f"DESCRIPTION:{escape_text(_clean(f'Check-in of {who}, as set by their last record. {state}{every}'))}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar_text(checkins: Iterable[CheckinDue], now: dt.datetime) -> str:
    """The calendar: one all-day event per check-in, in the order given; `now` stamps them (DTSTAMP)."""
    stamp = _stamp(now)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for found in checkins:
        lines += _event(found, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
