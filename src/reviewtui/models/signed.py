"""The score a review was signed with, kept in the record with every input to it."""

from __future__ import annotations

from pydantic import Field

from .base import Id, Model, Name, Number, Weight
from .rubric import Bands


class SignedLevel(Model):
    """A level of the rating scale as it was when the review was signed."""

    value: int = Field(ge=0, le=10)
    """The number the level counts as."""
    label: Name
    """Its label."""


class SignedMetricTerm(Model):
    """A metric's term of the signed score, and the bands it was read on."""

    id: Id
    """Id of the plan metric."""
    level: int | None = Field(default=None, ge=0, le=10)
    """The level it was given; left out when it was not scored."""
    weight: Weight
    """Its weight in the metric part."""
    bands: Bands
    """The bands that gave the level."""
    contribution: Number | None = None
    """Its contribution as shown at signing, in cents; left out when not scored."""


class SignedCompetencyTerm(Model):
    """A competency's term of the signed score, with the weight it had then."""

    id: Id
    """Id of the rubric competency."""
    name: Name
    """Its name at signing."""
    weight: Weight
    """Its weight in the competency part at signing."""
    level: int | None = Field(default=None, ge=0, le=10)
    """The level given; left out when it was not rated."""
    contribution: Number | None = None
    """Its contribution as shown at signing, in cents; left out when not rated."""


class SignedScore(Model):
    """The score both signed, with every input to it, so that a later rubric edit never changes it.

    Written when a review is signed. `reviewtui validate` refuses a signed score that its own
    inputs do not give.
    """

    total: Number | None = None
    """The total as shown at signing (the exact score rounded half up to cents); left out when
    nothing was scored."""
    metrics_weight: Weight
    """Percentage points of the score from metrics, as the rubric said at signing."""
    competencies_weight: Weight
    """Percentage points of the score from competencies, as the rubric said at signing."""
    allow_competencies_only: bool = False
    """Whether the rubric let a score on competencies alone count, at signing."""
    scale: list[SignedLevel] = Field(min_length=1)
    """The rating scale at signing, lowest first."""
    metrics: list[SignedMetricTerm] = []
    """One term per plan metric, in the record's order."""
    competencies: list[SignedCompetencyTerm] = []
    """One term per rubric competency at signing, in the rubric's order."""
