"""Now, and the period a new session covers by default: light, for the App's start path too."""

from __future__ import annotations

import datetime as dt


def local_now() -> dt.datetime:
    """The local time to the second, with its offset: what records and drafts are stamped with."""
    return dt.datetime.now().astimezone().replace(microsecond=0)


def current_half(today: dt.date) -> tuple[str, str, str]:
    """The half-year containing `today`: a sensible default period."""
    if today.month <= 6:
        return f"{today.year} H1", f"{today.year}-01-01", f"{today.year}-06-30"
    return f"{today.year} H2", f"{today.year}-07-01", f"{today.year}-12-31"
