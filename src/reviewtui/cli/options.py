"""What every command shares: exit codes, the --sessions, --rubrics and --output options, the rubric folders.

Light on purpose: the app's start path imports it, so nothing here imports pydantic or the storage.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..errors import ReviewtuiError
from ..shown import shown_path

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130
"""What a shell reports for a command stopped by Ctrl-C (128 + SIGINT)."""

SESSIONS_HELP = "folder of session records (default: ./sessions)"


class SubcommandParser(argparse.ArgumentParser):
    """Every subcommand also takes --sessions after its name (`reviewtui archive --sessions DIR`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if " " in self.prog:  # not the top-level parser, which has its own
            self.add_argument(
                "--sessions",
                type=Path,
                default=argparse.SUPPRESS,  # keeps a value given before the command name
                metavar="DIR",
                help=SESSIONS_HELP,
            )


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """--sessions, --rubrics and --debug-log, given before the command name (or with none)."""
    parser.add_argument("--sessions", type=Path, default=Path("sessions"), metavar="DIR", help=SESSIONS_HELP)
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


def add_output_option(parser: argparse.ArgumentParser) -> None:
    """--output FILE, with the same refusals for every command that writes a file (export, report)."""
    parser.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="write to FILE (replaced atomically, readable by you only) instead of the standard output; "
        "- is the standard output, a FIFO or a terminal is written to as a stream, and a file reviewtui "
        "manages (a record, an evidence log, a rubric...) or a link to a regular file is refused",
    )


def rubric_dirs(args: argparse.Namespace) -> list[Path]:
    """The --rubrics folders, or ./rubrics when there is one; one that is not a folder is an error.

    A missing, broken or device `--rubrics` was passed over in silence, and the reviews then
    scored with the bundled rubrics instead of the team's.
    """
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
