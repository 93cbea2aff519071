"""Agenda rules, pure: the topics a meeting opens with, what it records, what stays open after it.

A topic's `raised_at` tells a topic added to the agenda file while a meeting ran (after its
draft was made: it waits for the next meeting) from one the meeting opened with and removed
(no longer to be discussed: it leaves the file).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, get_args

from ..models.agenda import AgendaFile, AgendaTopic
from ..models.draft import AlignmentDraft
from ..models.draft_followups import DraftTopic
from ..models.envelope import Role
from ..models.session import Session

ROLES: tuple[str, ...] = get_args(Role)
PROVENANCE = ("id", "raised_by", "role", "raised_at", "via", "carried_from")
"""A topic's fields that say who raised it, where and when: set once, never edited in a meeting."""


def draft_topic(topic: AgendaTopic) -> DraftTopic:
    """An open topic of the agenda file as a meeting's draft holds it, not covered yet."""
    return DraftTopic(
        id=topic.id,
        text=topic.text,
        raised_by=topic.raised_by,
        role=topic.role,
        raised_at=topic.raised_at,
        via=topic.via,
        carried_from=topic.carried_from or "",
    )


def with_open_topics(draft: AlignmentDraft, agenda: AgendaFile) -> AlignmentDraft:
    """The draft opening with the agenda's open topics (any it already holds are kept as they are)."""
    held = {topic.id for topic in draft.agenda if topic.id}
    added = [draft_topic(topic) for topic in agenda.topics if topic.id not in held]
    return draft.model_copy(update={"agenda": [*draft.agenda, *added]}) if added else draft


def topic_errors(draft: AlignmentDraft) -> dict[str, str]:
    """What the agenda step still needs: each topic said, with who raised it."""
    errors: dict[str, str] = {}
    for index, topic in enumerate(draft.agenda):
        key = f"agenda.{topic.id or index}"  # a topic's fields are named by its id, as on screen
        if not topic.text.strip():
            errors[f"{key}.text"] = "Say the topic, or remove it (Ctrl+R)."
        elif "\n" in topic.text:
            errors[f"{key}.text"] = "Keep the topic to one line; the notes hold the rest."
        if not topic.raised_by.strip():
            errors[f"{key}.raised_by"] = "Choose who raised it."
        elif topic.role not in ROLES:
            errors[f"{key}.raised_by"] = "Choose who raised it among the participants."
    return errors


def settled_topic_id(meeting_id: str, index: int) -> str:
    """A topic's id when it has none yet (raised in the meeting): the same each time it is built."""
    return hashlib.sha256(f"{meeting_id}:agenda:{index}".encode()).hexdigest()[:12]


def record_topics(draft: AlignmentDraft, now: dt.datetime) -> list[dict[str, Any]]:
    """The agenda as the record keeps it: every topic the meeting held, covered or not."""
    return [
        {
            "id": topic.id or settled_topic_id(draft.id, index),
            "text": topic.text,
            "raised_by": topic.raised_by,
            "role": topic.role,
            "raised_at": topic.raised_at or now,
            "via": topic.via or "host_screen",
            "carried_from": topic.carried_from or None,
            "covered": topic.covered,
        }
        for index, topic in enumerate(draft.agenda)
    ]


def agenda_after(agenda: AgendaFile, record: Session) -> AgendaFile:
    """The agenda file once `record` is saved: covered topics leave it, the others wait for the next
    meeting with `carried_from` the record's id; topics added while the meeting ran stay as they are."""
    recorded = {topic.id for topic in record.agenda}
    added_meanwhile = [
        topic for topic in agenda.topics if topic.id not in recorded and topic.raised_at > record.created_at
    ]
    carried = [
        topic.model_copy(update={"carried_from": record.id, "covered": False})
        for topic in record.agenda
        if not topic.covered
    ]
    topics = sorted([*carried, *added_meanwhile], key=lambda topic: topic.raised_at)
    return agenda.model_copy(update={"topics": topics})
