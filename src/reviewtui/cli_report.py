"""`reviewtui report`: team calibration over every record in a folder, as a table, CSV or Markdown.

The wording and the formats are in `report_text.py`, shared with the app's team view.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .team.report_text import render_csv, render_markdown, render_table


def add_report_parser(commands: argparse._SubParsersAction) -> None:
    """The `report` subcommand's arguments (`--sessions` comes with every subcommand)."""
    report = commands.add_parser(
        "report",
        help="team calibration across every record in the sessions folder",
        description="Calibration across every record under the sessions folder (sub-folders included): "
        "per rubric, each metric's and competency's level distribution per manager, signed scores per "
        "manager side by side, outliers, and signed reviews missing evidence or a client success story. "
        "Only signed reviews count. What the report needs is cached in <sessions>/.cache (private, "
        "git-ignored), so a second run reads only the records that changed. Exit 0 when every record "
        "could be read, 1 when some could not (they are listed), 2 when --output is refused.",
    )
    report.add_argument(
        "--format",
        choices=["table", "csv", "md"],
        default="table",
        help="table (the default, for a terminal), csv (one tidy table) or md (Markdown)",
    )
    report.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="write to FILE (replaced atomically, readable by you only) instead of the standard output; "
        "- is the standard output, a FIFO or a terminal is written to as a stream, and a file reviewtui "
        "manages (a record, an evidence log, a rubric...) or a link to a regular file is refused",
    )
    report.add_argument(
        "--no-cache", action="store_true", help="read every record, and neither use nor update the cache"
    )


def run_report(args: argparse.Namespace, rubric_dirs: list[Path]) -> int:
    """Build the report of `args.sessions` and print or write it; 1 when some record could not be read."""
    from .shown import shown_path
    from .storage import discover_rubrics
    from .storage.output import Managed, OutputRefusedError, output_target
    from .storage.report_cache import build_report
    from .storage.sessions_folder import sessions_folder_problem

    sessions: Path = args.sessions
    if (problem := sessions_folder_problem(sessions)) is not None:
        print(f"reviewtui report: {problem}", file=sys.stderr)
        return 1
    try:  # checked before the report is built: a refused output costs nothing
        target = (
            None
            if args.output is None
            else output_target(args.output, "report", Managed([sessions], rubric_dirs))
        )
    except OutputRefusedError as error:
        print(f"reviewtui: {error}", file=sys.stderr)
        return 2
    catalog = discover_rubrics(rubric_dirs)
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
    return 1 if report.unreadable else 0
