"""The review's sections: customer feedback, context, examples, competency ratings,
accomplishment bullets, development objectives and the employee's own reading."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from .base import Id, Line, Model, Name, Text
from .evidence import EntryId

ObjectiveStatus = Literal["not_started", "in_progress", "done", "dropped"]
"""Where a development objective stands."""


class Feedback(Model):
    """Customer feedback framed as observed behaviour."""

    source: Literal["survey", "support", "narrative", "other"]
    """Where it came from: survey, support interaction, client narrative."""
    account: Line = ""
    """Account or cohort it concerns."""
    observed: Text = Field(min_length=1)
    """The behaviour observed, not a verdict on character."""
    impact: Text = ""
    """What it did for the client."""
    kind: Literal["strength", "gap"]
    """`strength` or `gap`."""


class ContextFactor(Model):
    """Context a fair review takes into account."""

    factor: Literal["resource_constraints", "competing_priorities", "market_dynamics", "other"]
    """Which kind of context."""
    note: Text = Field(min_length=1)
    """What happened and how it bore on results."""


class Example(Model):
    """A recent example or client success story."""

    kind: Literal["example", "success_story"]
    """`example` or `success_story`."""
    title: Name
    """Short title."""
    account: Line = ""
    """Client account concerned."""
    happened_on: date | None = None
    """When it happened."""
    text: Text = Field(min_length=1)
    """What happened, what was done, and the client result."""
    log_entry: Line = ""
    """Id of the evidence log entry it came from, if any."""


class CompetencyRating(Model):
    """A competency rated on the scale, with the example behind it."""

    competency: Id
    """Id of the rubric competency."""
    level: int = Field(ge=0, le=10)
    """Scale value given."""
    evidence: Text = Field(min_length=1)
    """A documented example that shows the level."""


class Accomplishment(Model):
    """A review bullet built on the formula: did what, to what, outcome, contribution."""

    action: Name
    """What was done: managed, recovered, launched, improved..."""
    subject: Name
    """To what: a book of business, an account, a program."""
    outcome: Text = Field(min_length=1)
    """The outcome, with its figures."""
    contribution: Text = ""
    """The employee's own part: health monitoring, QBR leadership, a playbook..."""
    metric: Id | None = None
    """Id of the plan metric the figures come from, if any."""

    def sentence(self) -> str:
        """The bullet as one finished sentence: `Recovered 5 at-risk accounts: ... My contribution: ...`."""
        text = f"{self.action} {self.subject}"
        text += f": {_clause(self.outcome)}" if self.outcome else ""
        text = _full_stop(text)
        if self.contribution:
            text += f" My contribution: {_clause(self.contribution)}"
            text = _full_stop(text)
        return text


def _clause(text: str) -> str:
    """Text joined into a sentence: one line, no trailing full stop."""
    return " ".join(text.split()).rstrip(".")


def _full_stop(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


class DevelopmentObjective(Model):
    """A development objective with an owner and a date."""

    objective: Name
    """What to develop."""
    actions: list[Text] = []
    """Concrete steps."""
    owner: Name
    """Who owns it."""
    due: date
    """When it is due."""
    support: Text = ""
    """Support needed from the manager or others."""
    success_measure: Text = ""
    """How both will know it is done."""
    id: EntryId | None = None
    """Stable id that follows the objective from the plan through each check-in into the review and
    the next plan; objectives written before this key existed have none."""
    status: ObjectiveStatus = "not_started"
    """`not_started`, `in_progress`, `done` or `dropped`, as it stood at this session."""
    progress: Text = ""
    """Progress so far, as said at this session."""
    addresses_metric: Id | None = None
    """Id of the plan metric the objective addresses, if any."""
    addresses_gap: Text = ""
    """The customer-feedback gap the objective addresses, as observed, if any."""


class EmployeeReading(Model):
    """The employee's own reading of the data."""

    reading: Text = ""
    """How the employee reads the results."""
    comments: Text = ""
    """Anything else the employee wants on record."""
