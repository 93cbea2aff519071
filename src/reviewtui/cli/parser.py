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

    prepare = commands.add_parser(
        "prepare",
        help="each person's preparation before a review, through files",
        description="Before a review, the employee writes a self-assessment and partners write their "
        "observations, each on their own time: `ask` writes the file for one person, they fill it in and "
        "send it back, and `import` keeps it beside the records, where the review finds it.",
    )
    prepare_commands = prepare.add_subparsers(dest="prepare_command", metavar="COMMAND", required=True)
    prepare_ask = prepare_commands.add_parser(
        "ask",
        help="write the preparation file for the employee or one of their partners",
        description="Write the preparation file from the employee's current plan: for the employee, the "
        "plan's metrics with their latest figures and the rubric's competencies and scale; for a partner "
        "(--partner), the competencies only. Nothing anyone wrote is in it: no ratings, feedback, evidence "
        "or notes, and no other partner's name. Exit 0 when written, 1 when refused, 2 for bad options.",
    )
    prepare_ask.add_argument("--employee", required=True, metavar="NAME", help="the employee being reviewed")
    prepare_ask.add_argument(
        "--partner", metavar="NAME", help="a partner of the employee's plan (default: the employee)"
    )
    prepare_ask.add_argument("--due", metavar="YYYY-MM-DD", help="by when you would like it back")
    prepare_ask.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE",
        help="the file to write (replaced atomically, readable by you only)",
    )
    prepare_import = prepare_commands.add_parser(
        "import",
        help="check a filled preparation file and keep it for the review",
        description="Read a filled preparation file (capped, never through a link; problems named by key "
        "and line), check it against the records (the employee is known, a partner is one of the plan's, "
        "the period and rubric match) and keep it as preparation_<name>_<id>.toml beside the records; "
        "importing the same request again replaces it. Exit 0 when imported, 1 when refused.",
    )
    prepare_import.add_argument("file", type=Path, metavar="FILE", help="the filled preparation file")
    prepare_fill = prepare_commands.add_parser(
        "fill",
        help="fill in a preparation file your manager sent you",
        description="Open a preparation file in a small app: the employee reads their plan's figures and "
        "the competencies with what each level looks like, and writes their reading, a level and an "
        "example per competency, the objectives they propose and topics for the review; a partner writes "
        "what they observed. Everything is saved back into FILE a second after each edit and on leaving "
        "(Ctrl+Q); then send FILE back. Exit 2 when FILE is not a preparation file or is broken.",
    )
    prepare_fill.add_argument("file", type=Path, metavar="FILE", help="the preparation file")
    add_experiment_parser(commands)

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
        "signed, and the evidence logs, experiment logs and feedback files of the sessions folder. Drafts, temp, lock and "
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

    due = commands.add_parser(
        "due",
        help="check-ins due or overdue, and open actions past their date",
        description="List, across the sessions folder, each employee's check-in that is overdue or due "
        "within --within days (from the next check-in their last plan or check-in set), then every open "
        "action past its due date: one plain line each, dated, soonest first, for a cron job or a team "
        "channel. Exit 0 whether or not anything is due, 1 when some record could not be read (named on "
        "the standard error), 2 on bad input.",
    )
    due.add_argument("--today", metavar="YYYY-MM-DD", help="the day to count from (default: today)")
    due.add_argument(
        "--within",
        type=int,
        default=7,
        metavar="DAYS",
        help="a check-in this many days ahead is due (default 7)",
    )
    due.add_argument(
        "--ics",
        type=Path,
        metavar="FILE",
        help="also write every next check-in known as an all-day event to FILE (iCalendar, RFC 5545; "
        "replaced atomically, readable by you only; a link is refused), for any calendar to import",
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


EXPERIMENT_OUTCOMES = ("worked", "mixed", "did_not_work")


def add_experiment_parser(commands: argparse._SubParsersAction) -> None:
    """Add `experiment` and its three commands to the command line."""
    experiment = commands.add_parser(
        "experiment",
        help="log process experiments: the change tried, its result, what was learned",
        description="The experiment log (experiments_<name>.toml beside the records, next to the "
        "evidence log): bottlenecks found, changes tried, their results and what was learned, failures "
        "included. A review's process-improvement competency pulls entries from it.",
    )
    experiments = experiment.add_subparsers(dest="experiment_command", metavar="COMMAND", required=True)
    add = experiments.add_parser(
        "add",
        help="log a change being tried",
        description="Log a new experiment, running from --started. Exit 0 when logged, 2 when the "
        "input is refused (nothing is written then).",
    )
    add.add_argument(
        "--employee", required=True, metavar="NAME", help="who runs it, as the records name them"
    )
    add.add_argument("--title", required=True, help="a short name for the experiment")
    add.add_argument("--hypothesis", required=True, help="what is expected to happen, and why")
    add.add_argument("--change", required=True, help="the change tried")
    add.add_argument("--started", required=True, metavar="YYYY-MM-DD", help="the day the change started")
    add.add_argument("--bottleneck", help="the bottleneck or problem found")
    add.add_argument("--metric", metavar="ID", help="id of the plan metric it is meant to move")
    end = experiments.add_parser(
        "end",
        help="end an experiment with its outcome, result and lesson",
        description="End an experiment: how it turned out, what happened (with figures) and what was "
        "learned, above all when it did not work. Ending one again corrects it. Exit 0 when saved, "
        "2 when the input is refused (nothing is written then).",
    )
    end.add_argument("id", metavar="ID", help="the experiment's id, as `experiment list` shows it")
    end.add_argument("--outcome", required=True, choices=EXPERIMENT_OUTCOMES, help="how it turned out")
    end.add_argument("--result", required=True, help="what happened, with its figures")
    end.add_argument("--learned", required=True, help="what was learned")
    end.add_argument("--ended", metavar="YYYY-MM-DD", help="the day it ended (default: today)")
    end.add_argument("--employee", metavar="NAME", help="whose log holds it (default: any log with the id)")
    listing = experiments.add_parser(
        "list",
        help="list an employee's experiments",
        description="The employee's experiments, oldest first: id, dates, outcome and title.",
    )
    listing.add_argument("--employee", required=True, metavar="NAME", help="the employee")
