"""Draft rows that follow a pair from meeting to meeting: development objectives and agenda topics."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import LONG_TEXT_MAX, Model, Timestamp

Raw = Annotated[str, Field(max_length=LONG_TEXT_MAX)]
"""Text as typed, kept even when it is not valid yet."""


class DraftObjective(Model):
    """A development objective as typed."""

    objective: Raw = ""
    """What to develop."""
    actions: Raw = ""
    """Concrete steps, separated by semicolons."""
    owner: Raw = ""
    """Who owns it."""
    due: Raw = ""
    """Due date (YYYY-MM-DD)."""
    support: Raw = ""
    """Support needed."""
    success_measure: Raw = ""
    """How both will know it is done."""
    id: Raw = ""
    """Stable id carried from the plan through the check-ins to the review (12 hex digits), or empty."""
    status: Raw = "not_started"
    """not_started, in_progress, done or dropped."""
    progress: Raw = ""
    """Progress so far, as said at this session."""
    addresses_metric: Raw = ""
    """Id of the plan metric it addresses, or empty."""
    addresses_gap: Raw = ""
    """The customer-feedback gap it addresses, as observed, or empty."""


class DraftTopic(Model):
    """An agenda topic as the meeting holds it."""

    id: Raw = ""
    """The topic's id (12 hex digits); empty for a topic just added, until it is saved."""
    text: Raw = ""
    """The topic."""
    raised_by: Raw = ""
    """Who raised it."""
    role: Raw = ""
    """employee, manager or partner."""
    raised_at: Timestamp | None = None
    """When it was raised."""
    via: Raw = ""
    """Where it was raised (see `AgendaTopic.via`)."""
    carried_from: Raw = ""
    """Id of the last meeting that did not cover it, or empty."""
    covered: bool = False
    """Ticked when the meeting covers it."""
