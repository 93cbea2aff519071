"""The commands that add what happened between conversations: `log` (evidence) and `feedback import`."""

from __future__ import annotations

import argparse
import sys

from ..shown import shown_path, shown_text
from .options import EXIT_INVALID, EXIT_OK, EXIT_USAGE


def cmd_log(args: argparse.Namespace) -> int:
    """Append one timestamped entry to the employee's evidence log."""
    import datetime as dt

    from ..models.evidence import new_entry
    from ..storage.evidence import append_entry, plan_metrics, resolve_employee

    now = dt.datetime.now().astimezone()
    employee = resolve_employee(args.sessions, args.employee)
    metrics = plan_metrics(args.sessions, employee) if args.metric else {}
    entry, errors = new_entry(
        args.text, args.date or "", args.metric or "", args.tag, metrics=metrics, now=now
    )
    if entry is None:
        for message in errors.values():
            print(f"reviewtui log: {message} Nothing was written.", file=sys.stderr)
        return EXIT_INVALID
    path = append_entry(args.sessions, employee, entry)
    print(f"logged for {shown_text(employee)} in {shown_path(path)} (entry {entry.id})")
    return EXIT_OK


def cmd_feedback(args: argparse.Namespace) -> int:
    """Import a survey or support CSV into the employee's feedback file; print its trends."""
    from ..models.feedback import trends
    from ..storage.evidence import resolve_employee
    from ..storage.feedback_import import COLUMNS, import_feedback

    mapping = {}
    for item in args.column:
        name, _, header = item.partition("=")
        if name.strip() not in COLUMNS or not header.strip():
            print(
                f"reviewtui feedback: --column {item!r}: use FIELD=HEADER with FIELD one of "
                f"{', '.join(COLUMNS)}; nothing was written",
                file=sys.stderr,
            )
            return EXIT_USAGE
        mapping[name.strip()] = header
    employee = resolve_employee(args.sessions, args.employee)
    result = import_feedback(
        args.sessions, employee, args.file, scale=args.scale, source=args.source, mapping=mapping
    )
    for line in result.skipped:
        print(line, file=sys.stderr)
    if not result.added and not result.duplicates:
        print(
            f"reviewtui feedback: no usable response in {shown_path(args.file)}; nothing was written",
            file=sys.stderr,
        )
        return EXIT_INVALID
    duplicates = (
        f"; {result.duplicates} duplicate(s) or already imported, skipped" if result.duplicates else ""
    )
    if result.path is None:
        print(f"nothing new for {shown_text(employee)} in {shown_path(args.file)}{duplicates}")
        return EXIT_OK
    print(
        f"imported {len(result.added)} response(s) for {shown_text(employee)} into {shown_path(result.path)}"
        f"{duplicates}"
    )
    rows = [(args.by.upper(), "RESPONSES", "AVERAGE", "NPS", "BY MONTH")]
    for trend in trends(result.added, args.by):
        months = ", ".join(f"{month} {value}" for month, value in trend.by_month)
        rows.append(
            (
                shown_text(trend.group),
                str(trend.responses),
                str(trend.average or "-"),
                "-" if trend.nps is None else f"{trend.nps:+d}",
                months,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    print(f"Trends in this import, by {args.by}:")
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[4])
    return EXIT_OK


COMMANDS = {"log": cmd_log, "feedback": cmd_feedback}
