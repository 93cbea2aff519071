"""`reviewtui due`: check-ins due or overdue and open actions past their date, across the sessions folder.

Plain lines for a cron job or a team channel, in a stable order, every name escaped; exit 0
whether or not anything is due (1 only when some record could not be read: they are named
on the standard error). `--ics FILE` also writes each employee's next check-in as a calendar.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from ..shown import shown_path, shown_text
from .options import EXIT_INVALID, EXIT_OK, EXIT_USAGE

MAX_WITHIN_DAYS = 366


def _today(args: argparse.Namespace) -> dt.date | None:
    if args.today is None:
        return dt.datetime.now().astimezone().date()
    try:
        return dt.date.fromisoformat(args.today)
    except ValueError:
        return None


def due_lines(found: object, today: dt.date, within: int) -> list[str]:
    """The lines printed: check-ins then actions, each starting with its date."""
    from ..checkins.due import FolderDue, state_words

    assert isinstance(found, FolderDue)
    lines = []
    for checkin in found.due:
        every = f", {checkin.cadence}" if checkin.cadence else ""
        lines.append(
            f"{checkin.day:%Y-%m-%d}  check-in {state_words(checkin)}: "
            f"{shown_text(checkin.employee)} (manager {shown_text(checkin.manager)}{every})"
        )
    for action in found.actions:
        days = f"{action.days} day{'s' if action.days != 1 else ''}"
        lines.append(
            f"{action.due:%Y-%m-%d}  action overdue by {days}: {shown_text(action.employee)}: "
            f"{shown_text(action.text)} (owner {shown_text(action.owner)})"
        )
    if not lines:
        lines.append(
            f"nothing due: no check-in before {today + dt.timedelta(days=within):%Y-%m-%d}, no action late"
        )
    return lines


def cmd_due(args: argparse.Namespace) -> int:
    """Print what is due; with --ics, write the calendar too."""
    today = _today(args)
    if today is None:
        print(f"reviewtui due: --today {shown_text(args.today)}: type a day as YYYY-MM-DD", file=sys.stderr)
        return EXIT_USAGE
    if not 0 <= args.within <= MAX_WITHIN_DAYS:
        print(f"reviewtui due: --within takes 0 to {MAX_WITHIN_DAYS} days", file=sys.stderr)
        return EXIT_USAGE

    from ..checkins.due import folder_due
    from ..storage.due_records import final_records

    records, problems = final_records(args.sessions)
    for problem in problems:
        print(f"reviewtui due: {problem}", file=sys.stderr)
    found = folder_due(records, today, args.within)
    if args.ics is not None:
        from ..checkins.ics import calendar_text
        from ..storage.due_records import write_calendar
        from ..storage.output import OutputRefusedError

        text = calendar_text(found.checkins, dt.datetime.now(dt.UTC))
        try:
            written = write_calendar(args.ics, text, args.sessions)
        except OutputRefusedError as error:
            print(f"reviewtui due: {error}", file=sys.stderr)
            return EXIT_USAGE
        print(
            f"calendar of {len(found.checkins)} check-in(s) written to {shown_path(written)}", file=sys.stderr
        )
    for line in due_lines(found, today, args.within):
        print(line)
    return EXIT_INVALID if problems else EXIT_OK


COMMANDS = {"due": cmd_due}
