"""The git commands: `reviewtui init`, `reviewtui archive` and `reviewtui history`."""

from __future__ import annotations

import argparse
import sys

from ..shown import shown_path, shown_text
from .exposure import warn_exposed
from .options import EXIT_INVALID, EXIT_OK, rubric_dirs


def cmd_init(args: argparse.Namespace) -> int:
    """Set up a review repository in args.directory, one line per step."""
    from ..storage.repository import init_repository

    steps = init_repository(args.directory)
    for step in steps:
        if step.failed:
            print(f"reviewtui: {step.text}", file=sys.stderr)
        else:
            print(step.text)
    if not any(step.changed or step.failed for step in steps):
        print("already set up: nothing changed")
    warn_exposed(args.directory / "sessions")
    return EXIT_INVALID if any(step.failed for step in steps) else EXIT_OK


def cmd_archive(args: argparse.Namespace) -> int:
    """Commit the new or changed final records, evidence logs and feedback files; optionally push."""
    from ..storage import discover_rubrics
    from ..storage.archiving import ArchiveResult, NothingToArchiveError, PushError, archive_records

    # The rubrics the app would use (--rubrics, ./rubrics); else those beside the sessions folder.
    folders = rubric_dirs(args)
    rubrics = discover_rubrics(folders) if folders else None
    try:
        result = archive_records(args.sessions, message=args.message, push=args.push, rubrics=rubrics)
    except NothingToArchiveError as nothing:
        for line in nothing.skipped:
            print(line, file=sys.stderr)
        print(nothing)
        return EXIT_OK
    except PushError as error:
        if isinstance(error.result, ArchiveResult):
            for line in error.result.skipped:
                print(line, file=sys.stderr)
        raise
    for line in result.skipped:
        print(line, file=sys.stderr)
    count = len(result.paths)
    print(f"archived {count} file{'s' if count != 1 else ''} in commit {result.commit}:")
    for path in result.paths:
        print(f"  {shown_path(path)}")
    if result.pushed:
        print("pushed to the upstream branch")
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    """Print what git holds about one employee: plans, target and weight changes, review scores."""
    from ..storage import discover_rubrics
    from ..storage.archiving import record_versions
    from ..storage.git import require_root
    from ..storage.git_state import detached_head_message
    from ..storage.rubric_history import rubrics_in_history
    from ..team.history import Rubrics, history, render, resolve_name

    versions = record_versions(args.sessions)
    root = require_root(args.sessions)
    detached = detached_head_message(root, "archiving")
    if detached is not None:
        print(f"note: {detached}; this history is that of the commit checked out", file=sys.stderr)
    employee = resolve_name(versions, args.employee)
    folders = rubric_dirs(args)
    catalog = discover_rubrics(folders)
    rubrics = Rubrics(
        {rubric_id: source.rubric for rubric_id, source in catalog.by_id.items()},
        {rubric_id: source.sha256 for rubric_id, source in catalog.by_id.items()},
        # The rubrics records cite are committed with them, in the folder beside the sessions folder.
        rubrics_in_history(root, [*folders, args.sessions.parent / "rubrics"]),
    )
    events = history(versions, employee, rubrics)
    if not events:
        print(f"{shown_text(employee)}: no final record archived yet")
        return EXIT_OK
    commits = len({event.commit for event in events})
    print(f"{shown_text(employee)}, from {commits} commit{'s' if commits != 1 else ''} in git:")
    for line in render(events):
        print(line)
    return EXIT_OK


COMMANDS = {"init": cmd_init, "archive": cmd_archive, "history": cmd_history}
