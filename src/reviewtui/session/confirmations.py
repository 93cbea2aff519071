"""When each person confirmed: a tick keeps its own moment, so each sign-off carries its own time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..models.draft import AlignmentDraft

ROLES = ("employee", "manager")


def with_confirmations(
    draft: AlignmentDraft, ticks: dict[str, bool], now: dt.datetime | Callable[[], dt.datetime]
) -> AlignmentDraft:
    """The draft with the confirmations as ticked: a new tick is stamped `now`, an untick clears it.

    `now` may be a clock, read only when a new tick needs its moment.

    `ticks` maps a role to whether its box is ticked; roles not in it are left as they are. A tick
    that stays ticked keeps its first moment, so autosaves and resuming never move it.
    """
    update: dict[str, object] = {}
    for role in ROLES:
        if role not in ticks:
            continue
        ticked, stamped = ticks[role], getattr(draft, f"{role}_confirmed_at")
        update[f"{role}_confirmed"] = ticked
        if not ticked:
            update[f"{role}_confirmed_at"] = None
        elif stamped is None or not getattr(draft, f"{role}_confirmed"):
            update[f"{role}_confirmed_at"] = now() if callable(now) else now
    return draft.model_copy(update=update)
