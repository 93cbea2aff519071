"""The commands about record and rubric files: `validate`, `rubrics`, `schema` and `export`."""

from __future__ import annotations

import argparse
import json
import sys

from ..shown import shown_path, shown_text
from .options import EXIT_INVALID, EXIT_OK, EXIT_USAGE, rubric_dirs


def cmd_validate(args: argparse.Namespace) -> int:
    """Check each rubric or record file; print every problem as path:line: message."""
    from ..storage import discover_rubrics, validate_path

    catalog = discover_rubrics(rubric_dirs(args))
    failed = 0
    for path in args.paths:
        report = validate_path(path, catalog)
        for line in report.problems:
            print(line)
        for note in report.notes:
            print(f"note: {note}", file=sys.stderr)
        failed += bool(report.problems)
    total = len(args.paths)
    summary = f"{total - failed} of {total} file{'s' if total != 1 else ''} valid"
    print(summary if not failed else f"{summary}; {failed} with problems", file=sys.stderr)
    return EXIT_INVALID if failed else EXIT_OK


def cmd_rubrics(args: argparse.Namespace) -> int:
    """List the rubrics found, bundled and in --rubrics folders, and the ones that could not be read."""
    from ..storage import discover_rubrics

    catalog = discover_rubrics(rubric_dirs(args))
    rows = [("ID", "ROLE", "VERSION", "FROM")]
    rows += [
        (s.rubric.id, shown_text(s.rubric.role), str(s.rubric.version), shown_path(s.path))
        for s in catalog.sorted()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[3])
    for error in catalog.errors:
        print(error, file=sys.stderr)
    if not catalog.by_id:
        from ..storage.rubrics import no_rubrics_message

        print(f"reviewtui rubrics: {no_rubrics_message(catalog)}", file=sys.stderr)
    return EXIT_INVALID if catalog.errors or not catalog.by_id else EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the rubric or the record format."""
    from ..models import Rubric, Session
    from ..record.schema import json_schema

    schema = json_schema(Rubric if args.format == "rubric" else Session)
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write one record as Markdown or JSON, with its score recomputed from its rubric."""
    from ..record.summary import record_json, record_markdown
    from ..storage import discover_rubrics, load_session
    from ..storage.output import Managed, OutputRefusedError, output_target

    session = load_session(args.record)
    try:
        managed = Managed([args.sessions, args.record.parent], rubric_dirs(args), {args.record: "the record"})
        target = None if args.output is None else output_target(args.output, "export", managed)
    except OutputRefusedError as error:
        print(f"reviewtui: {error}", file=sys.stderr)
        return EXIT_USAGE
    source = discover_rubrics(rubric_dirs(args)).get(session.rubric.id)
    rubric, sha256 = (source.rubric, source.sha256) if source else (None, None)
    if source is None:
        print(
            f"note: rubric `{session.rubric.id}` was not found; exporting without the score "
            "(point --rubrics at the folder that holds it)",
            file=sys.stderr,
        )
    elif sha256 != session.rubric.sha256:
        print(
            f"note: rubric `{session.rubric.id}` has changed since this record was made; "
            f"the score uses it as it is now ({shown_path(source.path)})",
            file=sys.stderr,
        )
    text = (
        record_json(session, rubric, sha256)
        if args.format == "json"
        else record_markdown(session, rubric, sha256)
    )
    if target is None:
        sys.stdout.write(text)
    else:
        target.write(text)
        if target.named:
            print(f"exported to {target.named}", file=sys.stderr)
    return EXIT_OK


COMMANDS = {"validate": cmd_validate, "rubrics": cmd_rubrics, "schema": cmd_schema, "export": cmd_export}
