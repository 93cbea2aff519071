"""The warning, before every command that opens a sessions folder, that others can read the reviews.

Runs on every start, the app's included: `storage.privacy` only stats the folders (no git, no
pydantic), so it costs the start next to nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SESSIONS_COMMANDS = {None, "report", "log", "feedback", "archive", "history"}
"""The commands that open a sessions folder (None: the app)."""


def warn_if_exposed(args: argparse.Namespace) -> None:
    """Say on stderr when other users can read or change the sessions folder, its git or its records.

    A warning, not a refusal: the fix (one chmod) is the user's to run.
    """
    if args.command in SESSIONS_COMMANDS:
        warn_exposed(args.sessions)


def warn_exposed(sessions: Path) -> None:
    """The warning for one sessions folder, if others can reach it."""
    from ..storage.privacy import exposure_warning

    warning = exposure_warning(sessions)
    if warning is not None:
        print(f"reviewtui: {warning}", file=sys.stderr)
