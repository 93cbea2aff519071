"""The command line: `reviewtui` starts the app; subcommands validate, list, describe and export."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, cli_git
from .cli_output import terminal_safe_output
from .errors import ReviewtuiError
from .platforms import unsupported_platform
from .shown import shown_path, shown_text

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _SubcommandParser(argparse.ArgumentParser):
    """Every subcommand also takes --sessions after its name (`reviewtui archive --sessions DIR`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if " " in self.prog:  # not the top-level parser, which has its own
            self.add_argument(
                "--sessions",
                type=Path,
                default=argparse.SUPPRESS,  # keeps a value given before the command name
                metavar="DIR",
                help="folder of session records (default: ./sessions)",
            )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reviewtui",
        description="Structured performance-review conversations, measured by client outcomes. "
        "Without a command, starts the app.",
    )
    parser.add_argument("--version", action="version", version=f"reviewtui {__version__}")
    parser.add_argument(
        "--sessions",
        type=Path,
        default=Path("sessions"),
        metavar="DIR",
        help="folder of session records (default: ./sessions)",
    )
    parser.add_argument(
        "--rubrics",
        type=Path,
        action="append",
        metavar="DIR",
        help="folder of rubrics that add to or override the bundled ones by id (default: ./rubrics if present); repeatable",
    )
    parser.add_argument(
        "--debug-log",
        type=Path,
        metavar="FILE",
        help="write Textual's debug log to FILE; it holds what is on screen, so it is off unless asked for "
        "(TEXTUAL_LOG in the environment is ignored)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_SubcommandParser)

    validate = commands.add_parser(
        "validate",
        help="check rubric and record files",
        description="Check rubric and record files (told apart by their content). "
        "Every problem is printed as path:line: message. Exit 0 when all are valid, 1 otherwise.",
    )
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="TOML files to check")

    commands.add_parser(
        "rubrics",
        help="list the rubrics found",
        description="List the rubrics found: the bundled ones and those in --rubrics folders.",
    )

    log = commands.add_parser(
        "log",
        help="add an entry to an employee's evidence log",
        description="Append a timestamped entry to the employee's evidence log "
        "(evidence_<name>.toml beside the records), so reviews are built from what was logged "
        "as it happened, not from memory. Exit 0 when logged, 1 when the input is refused "
        "(nothing is written then).",
    )
    log.add_argument("text", help="what happened, with its figures")
    log.add_argument(
        "--employee", required=True, metavar="NAME", help="the employee, as the records name them"
    )
    log.add_argument("--metric", metavar="ID", help="id of the plan metric this is evidence for")
    log.add_argument(
        "--tag", action="append", default=[], metavar="TAG", help="a tag such as win or qbr; repeatable"
    )
    log.add_argument("--date", metavar="YYYY-MM-DD", help="the day it happened (default: today)")

    feedback = commands.add_parser(
        "feedback",
        help="import customer feedback",
        description="Customer feedback from survey and support exports.",
    )
    feedback_commands = feedback.add_subparsers(dest="feedback_command", metavar="COMMAND", required=True)
    feedback_import = feedback_commands.add_parser(
        "import",
        help="import a CSV export into the employee's feedback file",
        description="Read a survey or support export (CSV, UTF-8; comma-, semicolon- or tab-separated, "
        "told apart by content) and add its new responses to "
        "feedback_<name>.toml beside the records, then print the trends by account or cohort. Columns are "
        "found by their usual names (date, account/company, cohort/segment, score/rating, comment); "
        "--column FIELD=HEADER names others. Rows with a bad date or score are reported by line and skipped; "
        "responses already imported are skipped; the file is written once, whole, and never past 2 MiB "
        "(the most reviewtui reads). Exit 0 when imported, "
        "1 when the file cannot be used (nothing is written then).",
    )
    feedback_import.add_argument("file", type=Path, metavar="FILE.csv", help="the export")
    feedback_import.add_argument("--employee", required=True, metavar="NAME", help="whose clients answered")
    feedback_import.add_argument(
        "--scale", choices=["nps", "csat"], default="nps", help="score scale (default nps, 0-10)"
    )
    feedback_import.add_argument(
        "--source", choices=["survey", "support"], default="survey", help="default survey"
    )
    feedback_import.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="FIELD=HEADER",
        help="the CSV header holding date, account, cohort, score or comment; repeatable",
    )
    feedback_import.add_argument(
        "--by", choices=["account", "cohort"], default="account", help="group trends by"
    )

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of a format",
        description="Print the JSON Schema of the rubric or the record format, for editors that check TOML "
        "against a schema (e.g. Taplo's `#:schema` directive).",
    )
    schema.add_argument("format", choices=["rubric", "session"], help="which format")

    commands.add_parser(
        "demo",
        help="try reviewtui on a copy of the example team",
        description="Open the app on a copy of the example team (six employees with plans, check-ins, "
        "reviews and evidence logs) in a temporary folder. Nothing you do in the demo is kept, and "
        "your own records are never touched.",
    )

    export = commands.add_parser(
        "export",
        help="write a record as Markdown or JSON, with its score",
        description="Write a record as Markdown (for people) or JSON (for tools), with the score "
        "recomputed from the record and the rubric it names, every term of it shown. Without the "
        "rubric, the record is exported without a score. Exit 0 when written, 1 when the record "
        "cannot be read or the file cannot be written, 2 when --output is refused.",
    )
    export.add_argument("record", type=Path, metavar="RECORD", help="the record's TOML file")
    export.add_argument(
        "--format", choices=["md", "json"], default="md", help="md (Markdown, the default) or json"
    )
    export.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="write to FILE (replaced atomically, readable by you only) instead of the standard output; "
        "- is the standard output, a FIFO or a terminal is written to as a stream, and a file reviewtui "
        "manages (a record, an evidence log, a rubric...) or a link to a regular file is refused",
    )

    init = commands.add_parser(
        "init",
        help="set up a review repository (rubrics, sessions, .gitignore, git)",
        description="Make DIR a private review repository (DIR, its .git and what init writes are "
        "readable by you only, and git is told to keep them so): rubrics/ with copies of the bundled "
        "rubrics to customise, a sessions/ folder, a .gitignore that keeps drafts, temp, lock and conflict "
        "files, exports and the report cache out, a short README.md, and `git init` unless DIR is already "
        "in a repository. Existing files are never overwritten; running it again changes nothing.",
    )
    init.add_argument("directory", nargs="?", type=Path, default=Path("."), metavar="DIR", help="default: .")

    archive = commands.add_parser(
        "archive",
        help="commit the final records, evidence logs and feedback files to git",
        description="Commit, by explicit path, the new or changed records that are agreed, recorded or "
        "signed, and the evidence logs and feedback files of the sessions folder. Drafts, temp, lock and "
        "conflict files and exports never are; anything else you staged stays staged. Your git hooks, "
        "signing and filters run. Exit 0 when committed or when there is nothing to archive, 1 otherwise.",
    )
    archive.add_argument("--message", "-m", metavar="M", help="the commit message (default: says what)")
    archive.add_argument("--push", action="store_true", help="push the branch to its upstream afterwards")

    history = commands.add_parser(
        "history",
        help="what git holds about an employee: plans, target changes, scores",
        description="From the git log of the sessions folder: what was agreed and when, every target "
        "and weight change with its reason, and every signed review's score, in date order, each with "
        "its commit.",
    )
    history.add_argument("employee", metavar="EMPLOYEE", help="the employee, as the records name them")

    from .cli_report import add_report_parser

    add_report_parser(commands)
    from .completion import add_completion_parser

    add_completion_parser(commands)
    return parser


def _rubric_dirs(args: argparse.Namespace) -> list[Path]:
    """The --rubrics folders, or ./rubrics when there is one; one that is not a folder is an error.

    A missing, broken or device `--rubrics` was passed over in silence, and the reviews then
    scored with the bundled rubrics instead of the team's.
    """
    from .errors import ReviewtuiError

    given = list(args.rubrics or [])
    if not given and os.path.lexists("rubrics"):
        given = [Path("rubrics")]
    for folder in given:
        if not folder.is_dir():
            reason = (
                "is a symbolic link to nothing"
                if os.path.islink(folder)
                else ("does not exist" if not os.path.lexists(folder) else "is not a folder")
            )
            raise ReviewtuiError(
                f"the rubrics folder {shown_path(folder)} {reason}; name a folder of rubric files"
            )
    return given


def _cmd_validate(args: argparse.Namespace) -> int:
    from .storage import discover_rubrics, validate_path

    catalog = discover_rubrics(_rubric_dirs(args))
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


def _cmd_rubrics(args: argparse.Namespace) -> int:
    from .storage import discover_rubrics

    catalog = discover_rubrics(_rubric_dirs(args))
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
        from .storage.rubrics import no_rubrics_message

        print(f"reviewtui rubrics: {no_rubrics_message(catalog)}", file=sys.stderr)
    return EXIT_INVALID if catalog.errors or not catalog.by_id else EXIT_OK


def _cmd_log(args: argparse.Namespace) -> int:
    import datetime as dt

    from .models.evidence import new_entry
    from .storage.evidence import append_entry, plan_metrics, resolve_employee

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


def _cmd_feedback(args: argparse.Namespace) -> int:
    from .models.feedback import trends
    from .storage.evidence import resolve_employee
    from .storage.feedback_import import COLUMNS, import_feedback

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


def _cmd_schema(args: argparse.Namespace) -> int:
    from .models import Rubric, Session
    from .record.schema import json_schema

    schema = json_schema(Rubric if args.format == "rubric" else Session)
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from .record.summary import record_json, record_markdown
    from .storage import discover_rubrics, load_session
    from .storage.output import Managed, OutputRefusedError, output_target

    session = load_session(args.record)
    try:
        managed = Managed(
            [args.sessions, args.record.parent], _rubric_dirs(args), {args.record: "the record"}
        )
        target = None if args.output is None else output_target(args.output, "export", managed)
    except OutputRefusedError as error:
        print(f"reviewtui: {error}", file=sys.stderr)
        return EXIT_USAGE
    source = discover_rubrics(_rubric_dirs(args)).get(session.rubric.id)
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


def _confidential_environment(args: argparse.Namespace) -> str | None:
    """Before Textual is imported: no log file or screenshot unless asked for on this command line."""
    for name in (
        "TEXTUAL_LOG",
        "TEXTUAL_SCREENSHOT",
        "TEXTUAL_SCREENSHOT_LOCATION",
        "TEXTUAL_SCREENSHOT_FILENAME",
    ):
        os.environ.pop(name, None)
    if args.debug_log is not None:
        from .storage.output import Managed, OutputRefusedError, open_debug_log

        try:
            fd = open_debug_log(args.debug_log, Managed([args.sessions], _rubric_dirs(args)))
        except OutputRefusedError as error:
            return str(error)
        os.environ["TEXTUAL_LOG"] = f"/dev/fd/{fd}"  # the very file checked, whatever the path becomes
    return None


def _cmd_report(args: argparse.Namespace) -> int:
    from .cli_report import run_report

    return run_report(args, _rubric_dirs(args))


def _cmd_app(args: argparse.Namespace) -> int:
    if refusal := _confidential_environment(args):
        print(f"reviewtui: {refusal}", file=sys.stderr)
        return EXIT_USAGE  # as a refused --output
    from .storage import discover_rubrics
    from .ui.app import run_app

    code = run_app(sessions_dir=args.sessions, catalog=discover_rubrics(_rubric_dirs(args)))
    cli_git.warn_if_exposed(args)  # again: the app's screen hid the first one
    return code


def _cmd_demo(args: argparse.Namespace) -> int:
    import tempfile

    if refusal := _confidential_environment(args):
        print(f"reviewtui: {refusal}", file=sys.stderr)
        return EXIT_USAGE  # as a refused --output
    from .storage import discover_rubrics
    from .storage.examples import copy_example_team
    from .ui.app import ReviewApp, run_app

    with tempfile.TemporaryDirectory(prefix="reviewtui-demo-") as folder:
        sessions = copy_example_team(Path(folder) / "sessions")
        catalog = discover_rubrics(_rubric_dirs(args))
        app = ReviewApp(sessions, catalog)
        app.title = "reviewtui demo: a copy of the example team, deleted on leaving"
        code = run_app(sessions, catalog, app=app)
    print(
        "The demo's copy is deleted; nothing from it was kept. "
        "To start for real: reviewtui init DIR, then run reviewtui inside DIR."
    )
    return code


def _cmd_completion(args: argparse.Namespace) -> int:
    from .completion import completion_script

    print(completion_script(_parser(), args.shell), end="")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    if refusal := unsupported_platform():  # before anything, even parsing (which makes paths)
        print(f"reviewtui: {refusal}", file=sys.stderr)
        return EXIT_INVALID
    # Whatever a command prints passes `shown.terminal_text`: no name can drive the terminal.
    with terminal_safe_output():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    handlers = {
        "validate": _cmd_validate,
        "rubrics": _cmd_rubrics,
        "schema": _cmd_schema,
        "log": _cmd_log,
        "feedback": _cmd_feedback,
        "export": _cmd_export,
        "report": _cmd_report,
        "demo": _cmd_demo,
        "init": cli_git.cmd_init,
        "archive": cli_git.cmd_archive,
        "history": cli_git.cmd_history,
        "completion": _cmd_completion,
        None: _cmd_app,
    }
    try:
        cli_git.warn_if_exposed(args)
        return handlers[args.command](args)
    except ReviewtuiError as error:
        print(f"reviewtui: {error}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) left early: not an error; stop writing to the closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
