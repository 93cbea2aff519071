"""`reviewtui report`: team calibration over every record in a folder, as a table, CSV or Markdown.

The wording and the formats are in `team/report_text.py`, shared with the app's team view.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..shown import shown_path
from ..team.report_text import render_csv, render_markdown, render_table
from .options import EXIT_INVALID, EXIT_OK, EXIT_USAGE, rubric_dirs


def cmd_report(args: argparse.Namespace) -> int:
    """Build the report of `args.sessions` and print or write it; 1 when some record could not be read."""
    from ..storage import discover_rubrics
    from ..storage.output import Managed, OutputRefusedError, output_target
    from ..storage.report_cache import build_report
    from ..storage.sessions_folder import sessions_folder_problem

    folders = rubric_dirs(args)
    sessions: Path = args.sessions
    if (problem := sessions_folder_problem(sessions)) is not None:
        print(f"reviewtui report: {problem}", file=sys.stderr)
        return EXIT_INVALID
    try:  # checked before the report is built: a refused output costs nothing
        target = (
            None
            if args.output is None
            else output_target(args.output, "report", Managed([sessions], folders))
        )
    except OutputRefusedError as error:
        print(f"reviewtui: {error}", file=sys.stderr)
        return EXIT_USAGE
    catalog = discover_rubrics(folders)
    for error in catalog.errors:
        print(f"note: {error}", file=sys.stderr)
    report, stats = build_report(sessions, catalog, use_cache=not args.no_cache)
    render = {"table": render_table, "csv": render_csv, "md": render_markdown}[args.format]
    text = render(report)
    if target is None:
        sys.stdout.write(text)
    else:
        target.write(text)
        if target.named:
            print(f"report written to {target.named}", file=sys.stderr)
    for copy in report.copies:  # also in the report; said here too, as the table may go to a file
        print(f"warning: {copy.text}", file=sys.stderr)
    cached = f" ({stats.cached} from the cache)" if stats.cached else ""
    not_read = f", {stats.unreadable} could not be read" if stats.unreadable else ""
    print(
        f"note: {stats.files} record file(s) under {shown_path(sessions)}: "
        f"{stats.summarised} read{cached}{not_read}",
        file=sys.stderr,
    )
    if stats.write_error:
        print(f"note: the report cache was not updated: {stats.write_error}", file=sys.stderr)
    return EXIT_INVALID if report.unreadable else EXIT_OK


COMMANDS = {"report": cmd_report}
