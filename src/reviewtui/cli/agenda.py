"""`reviewtui agenda add` and `agenda list`: topics for an employee's next check-in or review."""

from __future__ import annotations

import argparse
import sys

from ..shown import shown_path, shown_text
from .options import EXIT_INVALID, EXIT_OK, EXIT_USAGE


def cmd_agenda(args: argparse.Namespace) -> int:
    """Add a topic to the employee's agenda, or list the open ones."""
    from ..storage.agenda import agenda_path, read_agenda
    from ..storage.evidence import resolve_employee

    employee = resolve_employee(args.sessions, args.employee)
    if args.agenda_command == "add":
        return _add(args, employee)
    agenda = read_agenda(args.sessions, employee)
    if not agenda.topics:
        print(f"no open topics for {shown_text(employee)}")
        return EXIT_OK
    print(f"open topics for {shown_text(employee)} ({shown_path(agenda_path(args.sessions, employee))}):")
    for topic in agenda.topics:
        carried = ", carried over" if topic.carried_from else ""
        print(
            f"  {topic.raised_at:%Y-%m-%d}  {shown_text(topic.text)}  "
            f"(raised by {shown_text(topic.raised_by)}, {topic.role}{carried})"
        )
    return EXIT_OK


def _add(args: argparse.Namespace, employee: str) -> int:
    import datetime as dt

    from ..names import person_key
    from ..storage.agenda import TopicRefusedError, add_topic, agenda_path, meeting_people

    text = " ".join(args.text.split())
    if not text:
        print("reviewtui agenda add: the topic is empty; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    role = args.role or ("employee" if args.by is None else "manager")
    raised_by = employee if args.by is None and role == "employee" else (args.by or "").strip()
    if not raised_by:
        print(
            f"reviewtui agenda add: say who raises it with --by NAME (as {role}); nothing was written",
            file=sys.stderr,
        )
        return EXIT_USAGE
    # Who raised a topic is kept in the record: only the people who meet with the employee, each in
    # their own role, may be named (as the plan's last record names them).
    people = meeting_people(args.sessions, employee)
    spelt = next(
        (name for name, as_role in people if as_role == role and person_key(name) == person_key(raised_by)),
        None,
    )
    if spelt is None:
        named = ", ".join(f"{shown_text(name)} ({as_role})" for name, as_role in people)
        print(
            f"reviewtui agenda add: {shown_text(raised_by)} is not the {role} of {shown_text(employee)}'s "
            f"meetings (they are: {named}); nothing was written",
            file=sys.stderr,
        )
        return EXIT_INVALID
    raised_by = spelt
    now = dt.datetime.now().astimezone().replace(microsecond=0)
    try:
        topic = add_topic(args.sessions, employee, text, raised_by, role, "command_line", now)
    except TopicRefusedError as error:
        print(f"reviewtui agenda add: {error}; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"added to {shown_text(employee)}'s agenda in {shown_path(agenda_path(args.sessions, employee))} "
        f"(topic {topic.id}, raised by {shown_text(topic.raised_by)}, {topic.role})"
    )
    return EXIT_OK


COMMANDS = {"agenda": cmd_agenda}
