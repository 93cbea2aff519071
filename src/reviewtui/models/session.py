"""The record format: one alignment session, check-in or review.

`Session` is the record itself and its own consistency checks; its parts live beside it:
`envelope` (kind, ids, rubric, people, period, sign-offs), `plan_parts` (impact map, metrics,
broken rules), `checkin_parts` (adjustments, next actions) and `review_parts` (the review's sections).
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Literal

from pydantic import model_validator

from .agenda import AgendaTopic
from .base import Model, Problems, Text, Timestamp, duplicates
from .cadence import Cadence
from .checkin_parts import Adjustment, NextAction
from .envelope import (
    FINAL_STATUS,
    SCHEMA_VERSION,
    Contribution,
    Loc,
    Participants,
    Period,
    RubricRef,
    SessionId,
    SessionKind,
    SignOff,
    Status,
)
from .experiments import Experiment
from .plan_parts import BrokenRule, ImpactRow, PlanMetric
from .preparation import PartnerObservation, SelfAssessment
from .review_parts import (
    Accomplishment,
    CompetencyRating,
    ContextFactor,
    DevelopmentObjective,
    EmployeeReading,
    Example,
    Feedback,
)
from .rubric import Rubric
from .signed import SignedScore


class Session(Model):
    """One session record: an alignment session, a check-in or a review."""

    schema_version: Literal[1] = SCHEMA_VERSION
    """Version of this record format."""
    id: SessionId
    """Unique id of the record."""
    kind: SessionKind
    """`alignment`, `check-in` or `review`."""
    status: Status
    """`draft` while in progress; `agreed` (alignment), `recorded` (check-in) or `signed` (review) when final."""
    created_at: Timestamp
    """When the session started, with its UTC offset."""
    updated_at: Timestamp
    """When the record was last changed."""
    rubric: RubricRef
    """The rubric used."""
    follows: SessionId | None = None
    """Id of the record this one follows (the plan a check-in or review builds on)."""
    participants: Participants
    """Who takes part."""
    period: Period
    """The period covered."""
    cadence: Cadence | None = None
    """How often the pair meet for a check-in, as agreed in the plan (and changed at a check-in)."""
    next_checkin: date | None = None
    """The day of the next check-in, as set at this session; records made before this key have none."""
    impact_map: list[ImpactRow] = []
    """The role impact map."""
    metrics: list[PlanMetric] = []
    """The agreed metrics."""
    broken_rules: list[BrokenRule] = []
    """Checklist rules and guardrails the agreed plan breaks, each with the reason it was agreed anyway."""
    adjustments: list[Adjustment] = []
    """Target and weight changes, oldest first."""
    feedback: list[Feedback] = []
    """Customer feedback."""
    context: list[ContextFactor] = []
    """Context factors."""
    examples: list[Example] = []
    """Recent examples and client success stories."""
    competencies: list[CompetencyRating] = []
    """Competency ratings."""
    accomplishments: list[Accomplishment] = []
    """Accomplishment bullets."""
    development: list[DevelopmentObjective] = []
    """Development objectives: agreed in the plan, followed at each check-in, reviewed at the review."""
    actions: list[NextAction] = []
    """Next actions agreed at check-ins, open ones carried to the next."""
    agenda: list[AgendaTopic] = []
    """The topics the meeting opened with: each covered, or carried over to the next meeting."""
    notes: Text = ""
    """What was discussed beyond the figures (blockers, career, workload), as both may read it."""
    employee_reading: EmployeeReading = EmployeeReading()
    """The employee's own reading of the data."""
    self_assessment: SelfAssessment | None = None
    """The employee's self-assessment written before the review, as imported from their preparation file."""
    partner_observations: list[PartnerObservation] = []
    """Partners' observations written before the review, as imported from their preparation files."""
    experiments: list[Experiment] = []
    """Entries of the experiment log the review's process-improvement section rests on, copied as they stood."""
    sign_offs: list[SignOff] = []
    """Confirmations, in the order given: the employee's, the manager's, then any partners'."""
    contributions: list[Contribution] = []
    """Who wrote which parts from their own screen in a live session (the employee's reading of the
    data, their comments, a partner's feedback rows...); records made without one have none."""
    signed_score: SignedScore | None = None
    """A signed review's score as both signed it, with its inputs; records signed before this
    key existed have none, and their score is worked out from the record and the rubric."""

    @model_validator(mode="after")
    def _check_consistency(self) -> Session:
        problems = self.internal_problems()
        if problems:
            raise Problems(problems)
        return self

    def internal_problems(self) -> list[tuple[Loc, str]]:
        """Problems this record has on its own, without its rubric."""
        problems: list[tuple[Loc, str]] = []
        if self.status != "draft" and self.status != FINAL_STATUS[self.kind]:
            problems.append(
                (
                    ("status",),
                    f"{_article(self.kind)} {self.kind} record is either `draft` or `{FINAL_STATUS[self.kind]}`",
                )
            )
        if self.updated_at < self.created_at:
            problems.append((("updated_at",), "must not be earlier than created_at"))
        if self.period.end < self.period.start:
            problems.append((("period", "end"), "the period must not end before it starts"))
        if self.follows == self.id:
            problems.append((("follows",), "a record cannot follow itself"))

        metric_ids = [metric.id for metric in self.metrics]
        for index in duplicates(metric_ids):
            problems.append((("metrics", index, "id"), "this metric appears twice in the plan"))
        for index, metric in enumerate(self.metrics):
            thresholds = metric.bands.thresholds
            if any(later <= earlier for earlier, later in itertools.pairwise(thresholds)):
                problems.append((("metrics", index, "bands", "thresholds"), "thresholds must rise strictly"))
        for index in duplicates([broken.check for broken in self.broken_rules]):
            problems.append((("broken_rules", index, "check"), "this checklist line is given a reason twice"))
        for index, adjustment in enumerate(self.adjustments):
            if adjustment.metric not in metric_ids:
                problems.append((("adjustments", index, "metric"), "no metric in the plan has this id"))
        for index, bullet in enumerate(self.accomplishments):
            if bullet.metric is not None and bullet.metric not in metric_ids:
                problems.append((("accomplishments", index, "metric"), "no metric in the plan has this id"))
        for index in duplicates([rating.competency for rating in self.competencies]):
            problems.append((("competencies", index, "competency"), "this competency is rated twice"))
        for index in duplicates([objective.id or f"\0{n}" for n, objective in enumerate(self.development)]):
            problems.append((("development", index, "id"), "this objective id is used twice"))
        for index, objective in enumerate(self.development):
            if objective.addresses_metric is not None and objective.addresses_metric not in metric_ids:
                problems.append(
                    (("development", index, "addresses_metric"), "no metric in the plan has this id")
                )
        for index in duplicates([topic.id for topic in self.agenda]):
            problems.append((("agenda", index, "id"), "this topic id is used twice"))
        for index in duplicates([entry.id for entry in self.experiments]):
            problems.append((("experiments", index, "id"), "this experiment appears twice"))

        problems.extend(self._sign_off_name_problems())
        problems.extend(self._contribution_problems())
        if self.status != "draft":
            problems.extend(self._final_problems())
        return problems

    def _final_problems(self) -> list[tuple[Loc, str]]:
        problems: list[tuple[Loc, str]] = []
        if not self.metrics:
            problems.append((("metrics",), "a final record needs at least one agreed metric"))
        elif (total := sum(metric.weight for metric in self.metrics)) != 100:
            problems.append((("metrics",), f"metric weights must total 100 (they total {total})"))
        for index, metric in enumerate(self.metrics):
            if metric.target is None:
                problems.append(
                    (("metrics", index, "target"), "a final record needs a target for every metric")
                )
        if self.kind == "alignment" and not self.impact_map:
            problems.append((("impact_map",), "an agreed plan needs at least one impact map row"))
        if self.kind != "check-in":
            signed = {sign_off.role for sign_off in self.sign_offs}
            for role in ("employee", "manager"):
                if role not in signed:
                    problems.append(
                        (("sign_offs",), f"a final {self.kind} record needs the {role}'s sign-off")
                    )
        return problems

    def _sign_off_name_problems(self) -> list[tuple[Loc, str]]:
        """Each sign-off names the person in its role: the employee, the manager, a listed partner."""
        people = self.participants
        problems: list[tuple[Loc, str]] = []
        for index, sign_off in enumerate(self.sign_offs):
            if sign_off.role == "employee" and sign_off.name != people.employee.name:
                message = "an employee sign-off must name the employee (participants.employee.name)"
            elif sign_off.role == "manager" and sign_off.name != people.manager.name:
                message = "a manager sign-off must name the manager (participants.manager.name)"
            elif sign_off.role == "partner" and sign_off.name not in {p.name for p in people.partners}:
                message = "a partner sign-off must name a partner listed in participants.partners"
            else:
                continue
            problems.append((("sign_offs", index, "name"), message))
        return problems

    def _contribution_problems(self) -> list[tuple[Loc, str]]:
        """Each contribution names a participant in their role, once per way of taking part."""
        people = self.participants
        named = {
            "employee": {people.employee.name},
            "manager": {people.manager.name},
            "partner": {partner.name for partner in people.partners},
        }
        problems: list[tuple[Loc, str]] = []
        for index, contribution in enumerate(self.contributions):
            if contribution.name not in named[contribution.role]:
                message = {
                    "employee": "an employee's contribution must name the employee (participants.employee.name)",
                    "manager": "a manager's contribution must name the manager (participants.manager.name)",
                    "partner": "a partner's contribution must name a partner in participants.partners",
                }[contribution.role]
                problems.append((("contributions", index, "name"), message))
            for part in duplicates(contribution.parts):
                problems.append((("contributions", index, "parts", part), "this part is listed twice"))
        people_ways = [f"{c.role}\0{c.name}\0{c.via}" for c in self.contributions]
        for index in duplicates(people_ways):
            problems.append(
                (("contributions", index), "this person's parts written this way are listed twice: join them")
            )
        return problems

    def metric(self, metric_id: str) -> PlanMetric | None:
        """The plan metric with this id, if any."""
        return next((metric for metric in self.metrics if metric.id == metric_id), None)


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def rubric_problems(session: Session, rubric: Rubric) -> list[tuple[Loc, str]]:
    """Problems of a record against the rubric it names (outcomes, catalog, scale)."""
    problems: list[tuple[Loc, str]] = []
    if session.rubric.id != rubric.id:
        problems.append(
            (("rubric", "id"), f"the record names rubric `{session.rubric.id}`, not `{rubric.id}`")
        )
        return problems
    outcome_ids = {outcome.id for outcome in rubric.outcomes}
    outcomes_hint = ", ".join(sorted(outcome_ids))
    for index, row in enumerate(session.impact_map):
        if row.outcome not in outcome_ids:
            problems.append(
                (
                    ("impact_map", index, "outcome"),
                    f"the rubric has no such outcome; use one of: {outcomes_hint}",
                )
            )
    levels = len(rubric.scale)
    values = {level.value for level in rubric.scale}
    for index, metric in enumerate(session.metrics):
        if metric.outcome not in outcome_ids:
            problems.append(
                (
                    ("metrics", index, "outcome"),
                    f"the rubric has no such outcome; use one of: {outcomes_hint}",
                )
            )
        if not metric.custom and rubric.metric(metric.id) is None:
            problems.append(
                (
                    ("metrics", index, "id"),
                    "the rubric's catalog has no metric with this id; mark it `custom = true` if it is new",
                )
            )
        if len(metric.bands.thresholds) != levels - 1:
            problems.append(
                (
                    ("metrics", index, "bands", "thresholds"),
                    f"give {levels - 1} thresholds for this rubric's scale",
                )
            )
        if metric.override is not None and metric.override.level not in values:
            problems.append(
                (("metrics", index, "override", "level"), "this level is not on the rubric's scale")
            )
    competency_ids = {competency.id for competency in rubric.competencies}
    for index, rating in enumerate(session.competencies):
        if rating.competency not in competency_ids:
            problems.append(
                (("competencies", index, "competency"), "the rubric has no competency with this id")
            )
        if rating.level not in values:
            problems.append((("competencies", index, "level"), "this level is not on the rubric's scale"))
    for index, own in enumerate(session.self_assessment.ratings if session.self_assessment else []):
        where = ("self_assessment", "ratings", index)
        if own.competency not in competency_ids:
            problems.append(((*where, "competency"), "the rubric has no competency with this id"))
        if own.level not in values:
            problems.append(((*where, "level"), "this level is not on the rubric's scale"))
    return problems
