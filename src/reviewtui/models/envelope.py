"""The record's envelope: its format version, kind, id, rubric, people, period and sign-offs.

These are the parts every record has, whatever its kind (see `session.Session`).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from .base import Id, Model, Name, Timestamp

SCHEMA_VERSION = 1
SessionKind = Literal["alignment", "check-in", "review"]
Status = Literal["draft", "agreed", "recorded", "signed"]
FINAL_STATUS: dict[str, str] = {"alignment": "agreed", "check-in": "recorded", "review": "signed"}
Role = Literal["employee", "manager", "partner"]
Via = Literal["host_screen", "joined_terminal", "browser"]
"""How a person took part: on the host's screen, from their own terminal joined to the room, or a browser."""
SessionId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
"""32 lower-case hex digits (a random UUID)."""

Loc = tuple[str | int, ...]
CONTRIBUTION_PART = r"^[a-z_]+(\.[a-z_]+)?(\.[0-9]+)?$"


def new_session_id() -> str:
    """A fresh random session id."""
    return uuid.uuid4().hex


class RubricRef(Model):
    """The exact rubric a record was made with, so its score can be reproduced."""

    id: Id
    """The rubric's id."""
    version: int = Field(ge=1)
    """The rubric's version."""
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    """SHA-256 of the rubric file's bytes; a different hash means the rubric changed since."""


class Employee(Model):
    """The person whose performance is discussed."""

    name: Name
    """Full name."""
    role: Name
    """Job title or role."""


class Manager(Model):
    """The manager running the conversation."""

    name: Name
    """Full name."""


class Partner(Model):
    """A cross-functional partner who takes part."""

    name: Name
    """Full name."""
    function: Name
    """Their function, e.g. sales, product, support."""


class Participants(Model):
    """Who takes part."""

    employee: Employee
    """The employee."""
    manager: Manager
    """The manager."""
    partners: list[Partner] = []
    """Cross-functional partners."""


class Period(Model):
    """The period the plan or review covers."""

    label: Name
    """Readable name, e.g. "2026 H2"."""
    start: date
    """First day."""
    end: date
    """Last day."""


class SignOff(Model):
    """A participant's confirmation of the record."""

    name: Name
    """Who signed."""
    role: Role
    """In which capacity."""
    at: Timestamp
    """When, in the signer's own moment: when they ticked their own confirmation."""
    via: Via | None = None
    """How they confirmed: `host_screen` (ticked on the host's screen, the host's keyboard),
    `joined_terminal` (from their own terminal joined to the live session) or `browser` (from their
    own browser joined to it). Records signed before this key existed have none."""


class Contribution(Model):
    """Parts of the record one person wrote themselves, from their own screen, in a live session.

    One entry per person and way of taking part, sorted by role, name and way; its parts sorted.
    """

    name: Name
    """Who wrote them: the employee, the manager or a listed partner, by name."""
    role: Role
    """In which capacity."""
    via: Via
    """How they took part: `joined_terminal` or `browser` (or `host_screen` when recorded on the host's screen)."""
    parts: list[Annotated[str, Field(pattern=CONTRIBUTION_PART)]] = Field(min_length=1)
    """The record's parts they wrote, by key path: `employee_reading.reading`,
    `employee_reading.comments`, or a list's entry counted from 0, e.g. `feedback.1`,
    `development.0`, `metrics.2`, `participants.partners.0`, `participants`, `period`."""
