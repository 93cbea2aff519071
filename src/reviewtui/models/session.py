"""The record format: one alignment session, check-in or review."""

from __future__ import annotations

import itertools
import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from .base import Id, Line, Model, Name, Number, Problems, Text, Timestamp, Weight, duplicates
from .rubric import Bands, Direction, Frequency, Kind, Rubric, Scope
from .signed import SignedScore

SCHEMA_VERSION = 1
SessionKind = Literal["alignment", "check-in", "review"]
Status = Literal["draft", "agreed", "recorded", "signed"]
FINAL_STATUS: dict[str, str] = {"alignment": "agreed", "check-in": "recorded", "review": "signed"}
SessionId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
"""32 lower-case hex digits (a random UUID)."""

Loc = tuple[str | int, ...]


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


class EmployeeReading(Model):
    """The employee's own reading of the data."""

    reading: Text = ""
    """How the employee reads the results."""
    comments: Text = ""
    """Anything else the employee wants on record."""


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


class SignOff(Model):
    """A participant's confirmation of the record."""

    name: Name
    """Who signed."""
    role: Literal["employee", "manager", "partner"]
    """In which capacity."""
    at: Timestamp
    """When."""


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
    """Development objectives."""
    actions: list[NextAction] = []
    """Next actions agreed at check-ins, open ones carried to the next."""
    employee_reading: EmployeeReading = EmployeeReading()
    """The employee's own reading of the data."""
    sign_offs: list[SignOff] = []
    """Confirmations, in the order given."""
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

        problems.extend(self._sign_off_name_problems())
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
    return problems
