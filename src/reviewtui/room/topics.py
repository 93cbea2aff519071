"""A participant's new agenda topic is theirs: named by the host from the link it came through.

The guard (guard.py) lets a participant add a topic only with no name, role, way or time of its
own, and names the topics an update added in the fields it changed (`agenda.<id>`); the host then
fills them in from the `Person` of the link, never from what was sent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..models.draft_followups import DraftTopic
from .people import Person, Via
from .shared_draft import SharedDraft


def added_topic_ids(fields: frozenset[str] | set[str]) -> set[str]:
    """The ids of the topics an update added, from the field keys the guard found (`agenda.<id>`)."""
    return {key.split(".")[1] for key in fields if key.startswith("agenda.") and key.count(".") == 1}


def name_new_topics(
    shared: SharedDraft,
    person: Person,
    via: Via,
    fields: frozenset[str] | set[str],
    at: dt.datetime,
    origin: Any,
) -> bool:
    """Name the topics this person's update added, on the shared draft; True when any was named."""
    added = added_topic_ids(fields)
    if not added:
        return False
    data = shared.draft_data()
    rows = data.get("agenda") if isinstance(data.get("agenda"), list) else []
    named = False
    for row in rows:
        if isinstance(row, dict) and row.get("id") in added and not row.get("raised_by"):
            named_row = {**row, "raised_by": person.name, "role": person.role, "via": via, "raised_at": at}
            # As every side dumps a draft (`...Z`), so that no screen sees its time as changed.
            row.update(DraftTopic.model_validate(named_row).model_dump(mode="json"))
            named = True
    if named:
        shared.reconcile(data, origin=origin, only=["agenda"])
    return named
