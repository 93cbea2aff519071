"""After an unexpected error: keep the draft, leave details for a bug report, and say so without review text."""

from __future__ import annotations

import traceback
from pathlib import Path

from ..errors import ReviewtuiError
from ..shown import shown_path
from ..storage.atomic import atomic_write
from ..storage.drafts import private_dir
from .driver import SessionDriver
from .moments import local_now


def crash_report(driver: SessionDriver | None, sessions_dir: Path, error: BaseException) -> str:
    """Save what can be saved after a crash, and say where, without any review text."""
    lines = [f"reviewtui stopped on an unexpected error ({type(error).__name__})."]
    if driver is not None:
        try:
            path = driver.crash_save()  # whatever happened, the text on record is worth keeping
            if path is not None:
                lines.append(f"Your draft is saved in {shown_path(path)}; resume it from the home screen.")
        except ReviewtuiError as save_error:
            lines.append(f"The draft could not be saved: {save_error}.")
    try:
        # The details stay in the private, git-ignored drafts folder: code lines only, neither
        # local variables nor exception messages, which may quote what was typed.
        log = private_dir(sessions_dir) / f"crash-{local_now():%Y%m%d-%H%M%S}.log"
        atomic_write(log, safe_traceback(error).encode())
        lines.append(f"Details for a bug report: {log}")
    except ReviewtuiError:
        pass
    return "\n".join(lines)


def safe_traceback(error: BaseException) -> str:
    """The traceback of an error and its causes, with code lines but without any message text."""
    parts, seen = [], set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_list(traceback.extract_tb(current.__traceback__)))
        name = f"{type(current).__module__}.{type(current).__qualname__}"
        parts.append(f"Traceback (most recent call last):\n{frames}{name} (message left out)\n")
        current = current.__cause__ or current.__context__
    return "\nwhile handling this error, another happened:\n\n".join(reversed(parts))
