"""The command line: `reviewtui` starts the app; its commands check, list, export, report and archive.

`main` reads the command line with the one parser (`parser.py`) and imports the module of the
command given, and only that one: `reviewtui` alone loads the app's start (`app_start.py`), not
the records, git or report commands and their pydantic models.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from ..errors import ReviewtuiError
from ..platforms import unsupported_platform
from .exposure import warn_if_exposed
from .options import EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK
from .output import terminal_safe_output
from .parser import build_parser

Command = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Run `reviewtui` with `argv` (default: the process's arguments); the exit code."""
    if refusal := unsupported_platform():  # before anything, even parsing (which makes paths)
        print(f"reviewtui: {refusal}", file=sys.stderr)
        return EXIT_INVALID
    # Whatever a command prints passes `shown.terminal_text`: no name can drive the terminal.
    with terminal_safe_output():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        warn_if_exposed(args)
        return command_for(args.command)(args)
    except ReviewtuiError as error:
        print(f"reviewtui: {error}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader (e.g. `| head`) left early: not an error; stop writing to the closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def command_for(name: str | None) -> Command:
    """The function that runs command `name` (None: the app), its group's module imported only now."""
    if name in (None, "demo"):
        from . import app_start as group
    elif name in ("validate", "rubrics", "schema", "export"):
        from . import records as group
    elif name in ("log", "feedback"):
        from . import evidence as group
    elif name == "experiment":
        from . import experiment as group
    elif name == "agenda":
        from . import agenda as group
    elif name in ("init", "archive", "history"):
        from . import git as group
    elif name == "report":
        from . import report as group
    elif name in ("serve", "join"):
        from . import room as group
    elif name == "prepare":
        from . import prepare as group
    elif name == "due":
        from . import due as group
    elif name == "completion":
        from . import completion as group
    else:
        raise AssertionError(f"the parser knows a command no module runs: {name}")
    return group.COMMANDS[name]
