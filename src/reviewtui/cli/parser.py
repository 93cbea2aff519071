"""The whole command line's arguments, in one parser: every command's options and help, none of its code.

The commands themselves live in their group's module (`records`, `evidence`, `git`, `report`,
`completion`, `app_start`) and are imported only when one runs; this module is all that
`reviewtui --help`, the completion scripts and the app's start need to read the command line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import __version__
from .options import SubcommandParser, add_global_options, add_output_option

SHELLS = ("bash", "zsh", "fish")
"""The shells `reviewtui completion` writes a script for."""


def build_parser() -> argparse.ArgumentParser:
    """The `reviewtui` parser with every command (the order here is the order of `--help`)."""
    parser = argparse.ArgumentParser(
        prog="reviewtui",
        description="Structured performance-review conversations, measured by client outcomes. "
        "Without a command, starts the app.",
    )
    parser.add_argument("--version", action="version", version=f"reviewtui {__version__}")
    add_global_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=SubcommandParser)

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

    agenda = commands.add_parser(
        "agenda",
        help="add or list topics for an employee's next check-in or review",
        description="The shared agenda (agenda_<name>.toml beside the records): the next check-in or review "
        "opens with its open topics; a topic not covered there carries over. Exit 0 when done, 2 when the input "
        "is refused (nothing is written then), 1 when the employee or the file is not usable.",
    )
    agenda_commands = agenda.add_subparsers(dest="agenda_command", metavar="COMMAND", required=True)
    agenda_add = agenda_commands.add_parser(
        "add", help="add a topic", description="Add one topic, with who raised it, to the employee's agenda."
    )
    agenda_add.add_argument("text", help="the topic, in one line")
    agenda_list = agenda_commands.add_parser(
        "list", help="list the open topics", description="List the employee's open topics, oldest first."
    )
    for sub in (agenda_add, agenda_list):
        sub.add_argument(
            "--employee", required=True, metavar="NAME", help="whose meetings, as the records name them"
        )
    agenda_add.add_argument("--by", metavar="NAME", help="who raises it (default: the employee)")
    agenda_add.add_argument(
        "--role",
        choices=["employee", "manager", "partner"],
        help="in which capacity (default: employee, or manager with --by)",
    )

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

    serve = commands.add_parser(
        "serve",
        help="open a live shared session: the employee and partners join from their own screens",
        description="Start the app as the host of a live shared session. Whichever draft you open "
        "(new or resumed: alignment, check-in or review) gets a room, with one join link per participant "
        "(the employee and each partner named in the draft), shown with F4. A participant opens their "
        "link in a browser, or runs `reviewtui join LINK` in a terminal; each edits the same draft live, "
        "and confirms and signs only as the person their link belongs to. This reviewtui stays the one "
        "writer of the draft and the record. Links die when the room closes (the draft is closed, or the "
        "app quits). Listens on 127.0.0.1 unless told otherwise; another address needs TLS "
        "(--certfile and --keyfile) or --insecure.",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="ADDRESS",
        help="address to listen on (default: 127.0.0.1, this machine only; others need an SSH tunnel)",
    )
    serve.add_argument(
        "--port", type=int, default=0, metavar="PORT", help="port to listen on (default: any free port)"
    )
    serve.add_argument(
        "--certfile", type=Path, metavar="FILE", help="TLS certificate chain (PEM), for https links"
    )
    serve.add_argument("--keyfile", type=Path, metavar="FILE", help="the certificate's private key (PEM)")
    serve.add_argument(
        "--insecure",
        action="store_true",
        help="listen on another address without TLS: anyone who can see the traffic reads the review",
    )
    serve.add_argument(
        "--links",
        type=Path,
        metavar="FILE",
        help="also write the join links to FILE (readable by you only) each time a room opens, for a script",
    )

    join = commands.add_parser(
        "join",
        help="take part in a live shared session from this terminal",
        description="Join the live shared session of a host's `reviewtui serve` with the link the host "
        "gave you. You see and edit the same draft; you confirm only as the person the link belongs to. "
        "Nothing is written to this machine's disk. The link may also come from the REVIEWTUI_JOIN_LINK "
        "environment variable (then it does not show in the process list).",
    )
    join.add_argument("link", nargs="?", metavar="LINK", help="the join link (http://... or https://...)")
    join.add_argument(
        "--cafile",
        type=Path,
        metavar="FILE",
        help="certificate (PEM) to trust for an https link with a self-signed certificate",
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
    add_output_option(export)

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
    add_output_option(report)
    report.add_argument(
        "--no-cache", action="store_true", help="read every record, and neither use nor update the cache"
    )

    completion = commands.add_parser(
        "completion",
        help="print a shell completion script",
        description="Print a completion script for bash, zsh or fish, made from reviewtui's own commands "
        'and options. Load it at shell start: eval "$(reviewtui completion bash)" in ~/.bashrc, '
        'eval "$(reviewtui completion zsh)" in ~/.zshrc, reviewtui completion fish | source in '
        "~/.config/fish/config.fish.",
    )
    completion.add_argument("shell", choices=SHELLS, help="the shell")
    return parser
