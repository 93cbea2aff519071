"""The draft of an alignment session: exactly what was typed, valid or not.

A draft keeps raw text (a target of "9x" stays "9x") so that nothing typed is
lost; it becomes a `Session` only when the pair agree the plan.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .base import LONG_TEXT_MAX, Id, Model, Timestamp
from .session import SessionId

Raw = Annotated[str, Field(max_length=LONG_TEXT_MAX)]
"""Text as typed, kept even when it is not valid yet."""

STEPS = ("participants", "impact_map", "metrics", "targets", "agree")


class DraftPartner(Model):
    """A partner row as typed."""

    name: Raw = ""
    """Full name."""
    function: Raw = ""
    """Their function, e.g. sales."""


class DraftImpactRow(Model):
    """An impact map row as typed."""

    activity: Raw = ""
    """What the employee does."""
    outcome: Raw = ""
    """Id of the rubric outcome chosen, or empty."""
    how: Raw = ""
    """How the activity drives the outcome."""


class DraftMetric(Model):
    """A chosen metric: its catalog fields (editable) and the plan figures as typed."""

    id: Id
    """Catalog id, or the id made for a custom metric."""
    custom: bool = False
    """True when the pair added this metric themselves."""
    name: Raw
    """Name shown on screen."""
    definition: Raw
    """Definition as agreed."""
    data_source: Raw
    """Data source as agreed."""
    frequency: Raw
    """How often it is measured."""
    kind: Raw
    """`leading` or `lagging`."""
    unit: Raw
    """Unit of the figure."""
    direction: Raw
    """`higher` or `lower`."""
    outcome: Raw
    """Id of the rubric outcome it serves."""
    basis: Raw = "percent_of_target"
    """How attainment is measured for the bands."""
    thresholds: Raw = ""
    """Band thresholds as typed, e.g. "80, 95, 105, 120"."""
    guardrail: Raw = ""
    """Id of its guardrail metric, if any."""
    scope: Raw = ""
    """Level the figure is stated at, if any."""
    baseline: Raw = ""
    """Baseline as typed."""
    target: Raw = ""
    """Target as typed."""
    weight: Raw = ""
    """Weight as typed."""


class AlignmentDraft(Model):
    """An alignment session in progress, saved as the pair work."""

    draft_version: Literal[1] = 1
    """Version of the draft format."""
    id: SessionId
    """Id the agreed record will carry."""
    created_at: Timestamp
    """When the session started."""
    updated_at: Timestamp
    """When the draft last changed."""
    step: int = Field(default=0, ge=0, lt=len(STEPS))
    """The step the pair were on (0 is participants)."""
    rubric_id: Raw = ""
    """Id of the rubric chosen by role."""
    employee_name: Raw = ""
    """Employee's name."""
    job_title: Raw = ""
    """Employee's job title; the rubric's role when left empty."""
    manager_name: Raw = ""
    """Manager's name."""
    partners: list[DraftPartner] = []
    """Cross-functional partners."""
    period_label: Raw = ""
    """Name of the period, e.g. 2026 H2."""
    period_start: Raw = ""
    """First day, as typed (YYYY-MM-DD)."""
    period_end: Raw = ""
    """Last day, as typed (YYYY-MM-DD)."""
    impact_map: list[DraftImpactRow] = []
    """Impact map rows."""
    metrics: list[DraftMetric] = []
    """Chosen metrics, in order."""
    set_aside: list[DraftMetric] = []
    """Metrics chosen and then unchosen, kept with what was typed for them."""
    employee_confirmed: bool = False
    """The employee confirmed the plan on the last step."""
    manager_confirmed: bool = False
    """The manager confirmed the plan on the last step."""

    def metric(self, metric_id: str) -> DraftMetric | None:
        """The chosen metric with this id, if any."""
        return next((metric for metric in self.metrics if metric.id == metric_id), None)
