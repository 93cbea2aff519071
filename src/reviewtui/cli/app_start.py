"""Starting the app: `reviewtui` on the sessions folder, `reviewtui demo` on a copy of the example team.

On the start path before the first frame: imports nothing but what the app needs (no pydantic,
no rubric read; the app reads the catalog itself, off its first frame, through the reader given).
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .exposure import warn_if_exposed
from .options import EXIT_USAGE, rubric_dirs

if TYPE_CHECKING:  # the catalog's modules load pydantic; the start path must not
    from ..storage.rubrics import RubricCatalog


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
        from ..storage.output import Managed, OutputRefusedError, open_debug_log

        try:
            fd = open_debug_log(args.debug_log, Managed([args.sessions], rubric_dirs(args)))
        except OutputRefusedError as error:
            return str(error)
        os.environ["TEXTUAL_LOG"] = f"/dev/fd/{fd}"  # the very file checked, whatever the path becomes
    return None


def read_catalog(folders: list[Path]) -> RubricCatalog:
    """The bundled rubrics and those in `folders`; storage (and pydantic) imported only when called."""
    from ..storage.rubrics import discover_rubrics

    return discover_rubrics(folders)


def catalog_reader(args: argparse.Namespace) -> Callable[[], RubricCatalog]:
    """What reads the catalog when the app first needs it; a bad --rubrics is refused now, before the app."""
    return functools.partial(read_catalog, rubric_dirs(args))


def cmd_app(args: argparse.Namespace) -> int:
    """Start the app on `args.sessions`."""
    if refusal := _confidential_environment(args):
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

    if refusal := _confidential_environment(args):
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
