"""Each person's own preparation before a review, written on their own time.

The manager's reviewtui writes a preparation file for one person (`Preparation`): what that
person may read to prepare (for the employee: the plan's metrics with their latest figures, and
the rubric's competencies and scale; for a partner: the competencies only) and nothing else
anyone wrote. The person fills it in with reviewtui and sends it back; the manager imports it,
and the review record keeps what they wrote (`SelfAssessment`, `PartnerObservation`).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from .base import Id, Line, Model, Name, Number, Problems, Text, Timestamp, duplicates
from .envelope import Period, SessionId
from .evidence import EntryId
from .rubric import ScaleLevel

PreparingRole = Literal["employee", "partner"]
"""Who a preparation is for: the employee (a self-assessment) or a partner (observations)."""
_ROLE_OWNER = {"employee": "an employee's", "partner": "a partner's"}


class PrepMetric(Model):
    """A plan metric as the employee reads it to prepare."""

    id: Id
    """Id of the plan metric."""
    name: Name
    """Its name."""
    definition: Text = ""
    """Its definition as agreed."""
    unit: Name
    """Unit of the figures."""
    direction: Literal["higher", "lower"]
    """Which way is better."""
    baseline: Number | None = None
    """Where it started."""
    target: Number | None = None
    """The target as it stands."""
    latest: Number | None = None
    """The latest figure recorded at a check-in, if any."""
    latest_as_of: dt.date | None = None
    """The day that figure was measured."""


class PrepCompetency(Model):
    """A rubric competency with the anchors of its levels, as the person reads it to prepare."""

    id: Id
    """Id of the rubric competency."""
    name: Name
    """Its name."""
    description: Text = ""
    """What it covers."""
    anchors: list[Text] = []
    """What each level looks like, lowest first."""


class SelfRating(Model):
    """The employee's own level for one competency, with the example behind it."""

    competency: Id
    """Id of the rubric competency."""
    level: int = Field(ge=0, le=10)
    """The scale value the employee gives themselves."""
    example: Text = Field(min_length=1)
    """An example that shows that level."""


class ProposedObjective(Model):
    """A development objective the employee proposes."""

    objective: Name
    """What they want to develop."""
    why: Text = ""
    """Why, and what support they would need."""


class Observation(Model):
    """What a partner observed, framed as behaviour."""

    observed: Text = Field(min_length=1)
    """The behaviour observed, not a verdict on character."""
    impact: Text = ""
    """What it did for the client or the team."""
    kind: Literal["strength", "gap"]
    """`strength` or `gap`."""
    account: Line = ""
    """Account or cohort it concerns, if any."""


class UnfinishedRating(Model):
    """A competency's level or example begun, the other not given yet."""

    competency: Id
    """Id of the rubric competency."""
    level: int | None = Field(default=None, ge=0, le=10)
    """The scale value chosen so far, if any."""
    example: Text = ""
    """The example typed so far."""


class UnfinishedObjective(Model):
    """A proposed objective whose why was typed before its name."""

    objective: Line = ""
    """What they want to develop (empty so far)."""
    why: Text = ""
    """Why, as typed so far."""


class UnfinishedObservation(Model):
    """An observation begun without what was observed, or without strength or gap chosen."""

    kind: Literal["strength", "gap"] | None = None
    """`strength` or `gap`, if chosen."""
    observed: Text = ""
    """The behaviour observed, as typed so far."""
    impact: Text = ""
    """What it did, as typed so far."""
    account: Line = ""
    """Account or cohort, as typed so far."""


class Unfinished(Model):
    """Entries begun and not complete when the person last saved.

    Kept in their own file so that nothing typed is lost (a save runs a second after each
    edit); they are not answers: an import leaves them out.
    """

    ratings: list[UnfinishedRating] = []
    """Employee: levels without an example, examples without a level."""
    objectives: list[UnfinishedObjective] = []
    """Employee: objectives without a name."""
    observations: list[UnfinishedObservation] = []
    """Partner: observations without what was observed or without strength or gap."""


class Preparation(Model):
    """A preparation file: what one person may read, and what they wrote back."""

    schema_version: Literal[1] = 1
    """Version of this format."""
    kind: Literal["preparation"] = "preparation"
    """Tells a preparation file from a rubric or a record."""
    id: EntryId
    """Unique id of this request; an import of the same id replaces the earlier one."""
    role: PreparingRole
    """Who it is for: `employee` or `partner`."""
    name: Name
    """The person it is for."""
    employee: Name
    """The employee being reviewed."""
    manager: Name
    """The manager who asked for it."""
    rubric_id: Id
    """Id of the rubric of the review."""
    period: Period
    """The period the review covers."""
    plan: SessionId | None = None
    """Id of the agreed plan the review builds on, if any."""
    asked_at: Timestamp
    """When the manager wrote the file."""
    due: dt.date | None = None
    """By when the manager would like it back."""
    metrics: list[PrepMetric] = []
    """The plan's metrics with their latest figures (employee only)."""
    competencies: list[PrepCompetency] = []
    """The rubric's competencies."""
    scale: list[ScaleLevel] = []
    """The rubric's scale."""
    reading: Text = ""
    """Employee: their own reading of the data."""
    ratings: list[SelfRating] = []
    """Employee: a level with an example for each competency."""
    objectives: list[ProposedObjective] = []
    """Employee: the development objectives they propose."""
    topics: list[Name] = []
    """Employee: topics they want on the review's agenda."""
    observations: list[Observation] = []
    """Partner: what they observed during the period."""
    written_at: Timestamp | None = None
    """When the person last saved their answers; none until they do."""
    unfinished: Unfinished | None = None
    """What the person began and has not completed yet (kept for them; never imported)."""

    @model_validator(mode="after")
    def _fits_the_role(self) -> Preparation:
        problems = []
        if self.role == "partner":
            for key in ("metrics", "reading", "ratings", "objectives", "topics"):
                if getattr(self, key):
                    problems.append(((key,), "a partner's preparation holds observations only"))
        elif self.observations:
            problems.append((("observations",), "an employee's preparation has no partner observations"))
        problems += self._unfinished_problems()
        competency_ids = {competency.id for competency in self.competencies}
        for index in duplicates([rating.competency for rating in self.ratings]):
            problems.append((("ratings", index, "competency"), "this competency is rated twice"))
        for index, rating in enumerate(self.ratings):
            if rating.competency not in competency_ids:
                problems.append(
                    (("ratings", index, "competency"), "the file lists no competency with this id")
                )
        if problems:
            raise Problems(problems)
        return self

    def _unfinished_problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        if self.unfinished is None:
            return []
        problems: list[tuple[tuple[str | int, ...], str]] = []
        other_role = ("observations",) if self.role == "employee" else ("ratings", "objectives")
        for key in other_role:
            if getattr(self.unfinished, key):
                problems.append((("unfinished", key), f"{_ROLE_OWNER[self.role]} preparation has no {key}"))
        known = {competency.id for competency in self.competencies}
        rated = {rating.competency for rating in self.ratings}
        begun = [rating.competency for rating in self.unfinished.ratings]
        for index, competency in enumerate(begun):
            if competency not in known:
                problems.append(
                    (
                        ("unfinished", "ratings", index, "competency"),
                        "the file lists no competency with this id",
                    )
                )
            elif competency in rated or index in duplicates(begun):
                problems.append(
                    (("unfinished", "ratings", index, "competency"), "this competency has a rating already")
                )
        return problems


class SelfAssessment(Model):
    """The employee's self-assessment, as imported from their preparation file."""

    written_at: Timestamp
    """When the employee last saved it."""
    reading: Text = ""
    """Their own reading of the data."""
    ratings: list[SelfRating] = []
    """Their own level and example for each competency, shown beside the manager's."""
    objectives: list[ProposedObjective] = []
    """The development objectives they proposed."""
    topics: list[Name] = []
    """The topics they asked to discuss."""


class PartnerObservation(Model):
    """A partner's observation, as imported from their preparation file."""

    name: Name
    """The partner who wrote it."""
    written_at: Timestamp
    """When they last saved it."""
    observed: Text = Field(min_length=1)
    """The behaviour observed."""
    impact: Text = ""
    """What it did for the client or the team."""
    kind: Literal["strength", "gap"]
    """`strength` or `gap`."""
    account: Line = ""
    """Account or cohort it concerns, if any."""
