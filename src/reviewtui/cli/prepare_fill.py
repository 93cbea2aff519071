"""`reviewtui prepare fill FILE`: the person's side of a preparation, in a small app on their own machine."""

from __future__ import annotations

import argparse
import sys

from .options import EXIT_USAGE
from .starting import confidential_environment


def cmd_fill(args: argparse.Namespace) -> int:
    """Open the preparation file in the fill app; a file that is not one, or is broken, exits 2 with one line."""
    from ..errors import LoadError
    from ..storage.preparation_file import open_preparation

    if refusal := confidential_environment(args):  # no Textual log or screenshot of the answers
        print(f"reviewtui prepare fill: {refusal}", file=sys.stderr)
        return EXIT_USAGE
    try:
        opened = open_preparation(args.file)
    except LoadError as error:
        # One clear line: the first problem, named by file and line (never a value), and how many more.
        first, more = error.problems[0], len(error.problems) - 1
        extra = f" (and {more} more after it)" if more else ""
        print(f"reviewtui prepare fill: {first.render(error.path)}{extra}", file=sys.stderr)
        return EXIT_USAGE
    from ..ui.prepare.app import run_fill

    return run_fill(opened)
