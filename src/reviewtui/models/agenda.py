"""The shared agenda: topics either person raises before a check-in or review.

Open topics wait in the employee's agenda file beside the records; the next check-in or review
opens with them, and its record keeps each topic it opened with, covered or carried over.
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from .base import Model, Name, Problems, Timestamp, duplicates
from .envelope import Role, SessionId
from .evidence import EntryId

TopicVia = Literal["command_line", "home", "host_screen", "joined_terminal", "browser", "preparation"]
"""Where a topic was raised: `reviewtui agenda add`, the home screen, a session on the host's screen,
a joined terminal or browser, or an employee's preparation file."""


class AgendaTopic(Model):
    """One topic for the next meeting, with who raised it."""

    id: EntryId
    """Unique id; the topic keeps it while it is carried from meeting to meeting."""
    text: Name
    """The topic, in one line."""
    raised_by: Name
    """Who raised it, by name."""
    role: Role
    """In which capacity they raised it."""
    raised_at: Timestamp
    """When it was raised."""
    via: TopicVia = "command_line"
    """Where it was raised."""
    carried_from: SessionId | None = None
    """Id of the last meeting that opened with it and did not cover it."""
    covered: bool = False
    """In a record: true when this meeting covered it; false when it was carried over to the next."""


class AgendaFile(Model):
    """An employee's open topics for their next check-in or review, oldest first."""

    schema_version: Literal[1] = 1
    """Version of this format."""
    kind: Literal["agenda"] = "agenda"
    """Tells an agenda file from a rubric or a record."""
    employee: Name
    """The employee whose meetings these topics are for."""
    topics: list[AgendaTopic] = []
    """The open topics, oldest first."""

    @model_validator(mode="after")
    def _unique_ids(self) -> AgendaFile:
        repeated = duplicates([topic.id for topic in self.topics])
        if repeated:
            raise Problems([(("topics", index, "id"), "this topic id is used twice") for index in repeated])
        return self
