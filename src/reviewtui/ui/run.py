"""Running the app in a terminal: signals that save and leave, and what is printed after a crash or a signal."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import WorkerFailed

if TYPE_CHECKING:
    from .app import ReviewApp

LEAVING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""The terminal closed, or the system is shutting down: the draft is saved before leaving."""


def leave_on_signals(leave: Callable[[signal.Signals], None]) -> None:
    """Call `leave(signum)` on the running event loop when one of LEAVING_SIGNALS arrives."""
    loop = asyncio.get_running_loop()
    for signum in LEAVING_SIGNALS:
        loop.add_signal_handler(signum, leave, signum)


def after_run(app: ReviewApp, sessions_dir: Path) -> int:
    """The exit code of a finished run; after a crash or a signal, say briefly what became of the draft."""
    if app.crash is not None:
        print(crash_message(app, sessions_dir, app.crash), file=sys.stderr)
        return 1
    if app.stopped_by is not None:
        with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
            kept = " Your draft is saved; resume it from the home screen." if app.draft is not None else ""
            print(f"reviewtui stopped by {app.stopped_by.name}.{kept}", file=sys.stderr)
    return app.return_code or 0


def crash_message(app: ReviewApp, sessions_dir: Path, error: BaseException) -> str:
    """Save what can be saved after a crash, and say where, without any review text."""
    from ..session.crash import crash_report

    if isinstance(error, WorkerFailed):  # a background task failed: name what went wrong in it
        error = error.error
    return crash_report(app.open_session, sessions_dir, error)
