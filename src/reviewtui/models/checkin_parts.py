"""What a check-in adds to the plan: target and weight changes, and the next actions agreed.

(Each metric's measured figures, `plan_parts.Actual`, live on the metric itself.)
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from .base import Id, Model, Name, Number, Text, Timestamp
from .envelope import SessionId


class Adjustment(Model):
    """A change to a metric's target or weight after the plan was agreed."""

    metric: Id
    """Id of the metric changed."""
    field: Literal["target", "weight"]
    """What changed."""
    old: Number
    """Value before."""
    new: Number
    """Value after."""
    reason: Text = Field(min_length=1)
    """Why, in the client context of the time."""
    by: Name
    """Who agreed the change."""
    at: Timestamp
    """When."""


class NextAction(Model):
    """An action agreed at a check-in, with an owner and a date."""

    text: Name
    """What will be done."""
    owner: Name
    """Who does it."""
    due: date
    """By when."""
    status: Literal["open", "done"] = "open"
    """`open` until it is ticked off at a later check-in."""
    carried_from: SessionId | None = None
    """Id of the check-in it was first agreed at, when carried over."""
