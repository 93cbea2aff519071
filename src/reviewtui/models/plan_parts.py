"""The plan agreed at the alignment session: the role impact map, the metrics with their
figures, and the checklist rules the pair agreed to break."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from .base import Id, Line, Model, Name, Number, Text, Weight
from .rubric import Bands, Direction, Frequency, Kind, Scope


class ImpactRow(Model):
    """One row of the role impact map: an activity and the client outcome it drives."""

    activity: Name
    """What the employee does."""
    outcome: Id
    """Id of the rubric outcome it drives."""
    how: Text = Field(min_length=1)
    """How the activity drives the outcome."""


class Actual(Model):
    """A measured value of a metric."""

    value: Number
    """The figure, in the metric's unit."""
    as_of: date
    """Date the figure was measured."""
    data_source: Line = ""
    """Where this figure came from, if not the metric's usual source."""
    evidence: Text = ""
    """What backs the figure up (report name, link, notes)."""
    note: Text = ""
    """What the pair made of it when it was off track or moved suddenly."""


class LevelOverride(Model):
    """A reviewer's level in place of the one the bands give."""

    level: int = Field(ge=0, le=10)
    """The level given."""
    reason: Text = Field(min_length=1)
    """Why the banded level does not reflect the work."""


class PlanMetric(Model):
    """A metric as agreed for this employee: catalog fields plus plan figures."""

    id: Id
    """Catalog id, or a new id for a custom metric."""
    name: Name
    """Name shown on screen."""
    definition: Text = Field(min_length=1)
    """The definition as agreed (may differ from the catalog's)."""
    data_source: Name
    """The data source as agreed."""
    frequency: Frequency
    """How often the figure is measured."""
    kind: Kind
    """`leading` or `lagging`."""
    unit: Name
    """Unit of the figure."""
    direction: Direction
    """`higher` or `lower`: which way is better."""
    outcome: Id
    """Id of the rubric outcome this metric serves."""
    bands: Bands
    """How actual against target becomes a level."""
    guardrail: Id | None = None
    """Id of the metric that guards against this one's unintended consequence."""
    accumulates: bool = False
    """True when the figure is a running total over the period (a count or a sum),
    so a check-in compares it with the target pro-rated to the figure's date."""
    custom: bool = False
    """True when the metric is not from the rubric's catalog."""
    scope: Scope | None = None
    """Level the figure is stated at: `book`, `account`, `cohort` or `team`."""
    scope_name: Line = ""
    """Which account, cohort or team the figure covers, e.g. "the 14 detractor accounts in the recovery program"."""
    baseline: Number | None = None
    """The figure at the start of the period."""
    target: Number | None = None
    """The figure agreed as the goal."""
    weight: Weight = 0
    """Share of the metric part of the score, in percentage points."""
    actuals: list[Actual] = []
    """Measured values, oldest first."""
    evidence: Text = ""
    """Evidence for the result, written at review time."""
    override: LevelOverride | None = None
    """A level given by the reviewer instead of the banded one."""


CheckId = Annotated[str, Field(pattern=r"^(rule|guardrail):[a-z0-9][a-z0-9_-]{0,63}$")]
"""A checklist line: `rule:` and a rubric rule's id, or `guardrail:` and a metric's id."""


class BrokenRule(Model):
    """A checklist rule or guardrail the plan breaks, agreed anyway with a written reason."""

    check: CheckId
    """Which line of the checklist: `rule:<rule id>`, or `guardrail:<metric id>` for a metric chosen
    without its guardrail."""
    message: Text = ""
    """What the checklist said when the plan was agreed."""
    reason: Text = Field(min_length=1)
    """Why the pair agreed the plan anyway, in their words."""
