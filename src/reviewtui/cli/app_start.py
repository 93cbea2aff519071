"""Starting the app: `reviewtui` on the sessions folder, `reviewtui demo` on a copy of the example team.

On the start path before the first frame: imports nothing but what the app needs (no pydantic,
no rubric read; the app reads the catalog itself, off its first frame, through the reader given).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .exposure import warn_if_exposed
from .options import EXIT_USAGE
from .starting import catalog_reader, confidential_environment


def cmd_app(args: argparse.Namespace) -> int:
    """Start the app on `args.sessions`."""
    if refusal := confidential_environment(args):
        print(f"reviewtui: {refusal}", file=sys.stderr)
        return EXIT_USAGE  # as a refused --output
    catalog = catalog_reader(args)
    from ..ui.app import run_app

    code = run_app(sessions_dir=args.sessions, catalog=catalog)  # read by the app, off its first frame
    warn_if_exposed(args)  # again: the app's screen hid the first one
    return code


def cmd_demo(args: argparse.Namespace) -> int:
    """Start the app on a copy of the example team in a temporary folder, deleted on leaving."""
    import tempfile

    if refusal := confidential_environment(args):
        print(f"reviewtui: {refusal}", file=sys.stderr)
        return EXIT_USAGE  # as a refused --output
    catalog = catalog_reader(args)
    from ..storage.examples import copy_example_team
    from ..ui.app import ReviewApp, run_app

    with tempfile.TemporaryDirectory(prefix="reviewtui-demo-") as folder:
        sessions = copy_example_team(Path(folder) / "sessions")
        app = ReviewApp(sessions, catalog)
        app.title = "reviewtui demo: a copy of the example team, deleted on leaving"
        code = run_app(sessions, catalog, app=app)
    print(
        "The demo's copy is deleted; nothing from it was kept. "
        "To start for real: reviewtui init DIR, then run reviewtui inside DIR."
    )
    return code


COMMANDS = {None: cmd_app, "demo": cmd_demo}
