"""The draft of an alignment session: exactly what was typed, valid or not.

A draft keeps raw text (a target of "9x" stays "9x") so that nothing typed is
lost; it becomes a `Session` only when the pair agree the plan.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from .base import LONG_TEXT_MAX, Id, Model, Number, Timestamp
from .checkin_parts import Adjustment
from .draft_followups import DraftObjective, DraftTopic
from .envelope import Role, SessionId, Via
from .experiments import Experiment
from .preparation import PartnerObservation, SelfAssessment
from .session import Session

Raw = Annotated[str, Field(max_length=LONG_TEXT_MAX)]
"""Text as typed, kept even when it is not valid yet."""

ALIGNMENT_STEPS = ("participants", "impact_map", "metrics", "targets", "development", "agree")
REVIEW_SECTIONS = (
    "impact_recap",
    "metric_results",
    "customer_feedback",
    "context",
    "examples",
    "competencies",
    "accomplishments",
    "development",
    "employee_reading",
    "sign_off",
)


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
    accumulates: bool = False
    """True when the figure is a running total over the period (from the catalog)."""
    scope: Raw = ""
    """Level the figure is stated at, if any."""
    scope_name: Raw = ""
    """Which account or cohort (or team) the figure covers, as typed."""
    baseline: Raw = ""
    """Baseline as typed."""
    target: Raw = ""
    """Target as typed."""
    weight: Raw = ""
    """Weight as typed."""


class DraftRuleReason(Model):
    """Why the pair agree a plan that breaks a checklist rule or a guardrail, as typed."""

    check: Raw
    """Id of the checklist line: `rule:<rule id>` or `guardrail:<metric id>`."""
    reason: Raw = ""
    """The reason as typed."""


class DraftPartnerConfirmation(Model):
    """A partner's confirmation, given on the last step; it becomes their `partner` sign-off."""

    name: Raw
    """The partner's name as it was when they confirmed; the sign-off carries this name."""
    at: Timestamp
    """When they confirmed, in their own moment."""
    via: Via
    """How: `host_screen`, `joined_terminal` or `browser`."""


class DraftContribution(Model):
    """One field a participant wrote in, from their own screen, in a live session."""

    field: Raw
    """The field's key on screen: `reading`, `comments`, `feedback.0.observed`, `metrics.<id>.target`..."""
    name: Raw
    """Who wrote in it, by the name they joined with."""
    role: Role
    """In which capacity: employee, manager or partner."""
    via: Via
    """How they took part: `host_screen`, `joined_terminal` or `browser`."""


class AlignmentDraft(Model):
    """An alignment session in progress, saved as the pair work."""

    draft_version: Literal[1, 2] = 2
    """Version of this format: 2 since the agenda and development steps (December 2026). A draft of
    version 1 counts `step` over the steps of then; it is moved to the same step when it is read."""
    id: SessionId
    """Id the agreed record will carry."""
    created_at: Timestamp
    """When the session started."""
    updated_at: Timestamp
    """When the draft last changed."""
    step: int = Field(default=0, ge=0, le=20)
    """The step the pair were on, counted from 0."""
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
    employee_confirmed_at: Timestamp | None = None
    """When the employee ticked their confirmation (or signature); the sign-off carries this time."""
    manager_confirmed_at: Timestamp | None = None
    """When the manager ticked their confirmation (or signature); the sign-off carries this time."""
    employee_confirmed_via: Raw = ""
    """How the employee confirmed: `host_screen`, `joined_terminal` or `browser`; empty when not
    confirmed (or confirmed before this key existed, on the host's screen)."""
    manager_confirmed_via: Raw = ""
    """How the manager confirmed, as for the employee."""
    partner_confirmations: list[DraftPartnerConfirmation] = []
    """Partners who confirmed, in the order they did; each becomes a `partner` sign-off."""
    contributions: list[DraftContribution] = []
    """Fields participants wrote in from their own screens, one entry per field, person and way."""
    rule_reasons: list[DraftRuleReason] = []
    """Reasons typed for broken rules and guardrails; kept even when the plan no longer breaks them."""
    objectives: list[DraftObjective] = []
    """Development objectives: agreed in the plan, followed at each check-in, reviewed at the review."""
    agenda: list[DraftTopic] = []
    """The topics the meeting opened with (from the agenda file) and any raised during it."""
    notes: Raw = ""
    """What was discussed beyond the figures (blockers, career, workload)."""
    cadence: Raw = ""
    """How often the pair meet: weekly, fortnightly, monthly or quarterly; or empty."""
    next_checkin: Raw = ""
    """The day of the next check-in (YYYY-MM-DD), or empty."""

    def metric(self, metric_id: str) -> DraftMetric | None:
        """The chosen metric with this id, if any."""
        return next((metric for metric in self.metrics if metric.id == metric_id), None)


class DraftResult(Model):
    """A metric's result as typed at review time."""

    metric: Id
    """Id of the plan metric."""
    actual: Raw = ""
    """The actual as typed."""
    as_of: Raw = ""
    """Date of the actual (YYYY-MM-DD)."""
    data_source: Raw = ""
    """Where this figure came from, if not the plan's source."""
    evidence: Raw = ""
    """What backs the figure up."""
    override_level: Raw = ""
    """A level the reviewer gives instead of the banded one, or empty."""
    override_reason: Raw = ""
    """Why, required with an override."""
    note: Raw = ""
    """At a check-in: what the pair made of an off-track or sudden figure."""


class DraftFeedback(Model):
    """Customer feedback as typed."""

    source: Raw = ""
    """survey, support or narrative."""
    account: Raw = ""
    """Account or cohort."""
    observed: Raw = ""
    """The behaviour observed."""
    impact: Raw = ""
    """Its impact on the client."""
    kind: Raw = ""
    """strength or gap."""


class DraftContext(Model):
    """A context factor as typed."""

    factor: Raw = ""
    """resource_constraints, competing_priorities, market_dynamics or other."""
    note: Raw = ""
    """What happened and how it bore on results."""


class DraftExample(Model):
    """An example or client success story as typed."""

    kind: Raw = "success_story"
    """example or success_story."""
    title: Raw = ""
    """Short title."""
    account: Raw = ""
    """Client account."""
    happened_on: Raw = ""
    """Date (YYYY-MM-DD), optional."""
    text: Raw = ""
    """What happened and the client result."""
    log_entry: Raw = ""
    """Id of the evidence log entry it was pulled from, if any."""


class DraftRating(Model):
    """A competency rating as typed."""

    competency: Id
    """Id of the rubric competency."""
    level: Raw = ""
    """Scale value chosen, or empty."""
    evidence: Raw = ""
    """A documented example showing that level."""


class DraftBullet(Model):
    """An accomplishment bullet as typed."""

    action: Raw = ""
    """Managed, recovered, launched, improved..."""
    subject: Raw = ""
    """A book of business, an account, a program."""
    outcome: Raw = ""
    """The outcome with its figures."""
    contribution: Raw = ""
    """The employee's own part."""
    metric: Raw = ""
    """Id of the plan metric the figures come from, if any."""


class CheckinFigure(Model):
    """A metric's latest actual in the record a review follows (its last check-in), shown beside the review's."""

    metric: Id
    """Id of the plan metric."""
    value: Number
    """The figure, in the metric's unit."""
    as_of: date
    """Date the figure was measured."""


class ReviewDraft(AlignmentDraft):
    """A review in progress: the plan it builds on (as in an alignment draft) plus the review sections."""

    kind: Literal["review"]
    """Always `review`; tells a review draft from an alignment draft."""
    from_scratch: bool = False
    """True when there was no agreed plan to start from."""
    follows: SessionId | None = None
    """Id of the agreed plan the review builds on."""
    adjustments: list[Adjustment] = []
    """Target and weight changes carried over from the plan."""
    last_figures: list[CheckinFigure] = []
    """Each metric's latest actual in the plan as it stood (its last check-in), for comparison."""
    results: list[DraftResult] = []
    """Metric results, one per plan metric."""
    feedback: list[DraftFeedback] = []
    """Customer feedback."""
    context: list[DraftContext] = []
    """Context factors."""
    examples: list[DraftExample] = []
    """Examples and client success stories."""
    ratings: list[DraftRating] = []
    """Competency ratings."""
    bullets: list[DraftBullet] = []
    """Accomplishment bullets."""
    reading: Raw = ""
    """The employee's own reading of the data."""
    comments: Raw = ""
    """The employee's comments."""
    self_assessment: SelfAssessment | None = None
    """The employee's self-assessment, imported from their preparation file; shown, not edited."""
    partner_observations: list[PartnerObservation] = []
    """Partners' observations, imported from their preparation files; shown, not edited."""
    experiments: list[Experiment] = []
    """Experiment log entries pulled into the process-improvement section, copied as they stood."""


class DraftAction(Model):
    """A next action as typed."""

    text: Raw = ""
    """What will be done."""
    owner: Raw = ""
    """Who does it."""
    due: Raw = ""
    """By when (YYYY-MM-DD)."""
    status: Raw = "open"
    """open or done."""
    carried_from: Raw = ""
    """Id of the check-in it was first agreed at, when carried over."""


class DraftChange(Model):
    """Why a metric's target or weight changes at this check-in."""

    metric: Id
    """Id of the metric."""
    reason: Raw = ""
    """The reason, in the client context of the time."""


class CheckinDraft(AlignmentDraft):
    """A check-in in progress: the plan as it stands (editable targets and weights) and what is new."""

    kind: Literal["check-in"]
    """Always `check-in`."""
    base: Session
    """The record this check-in follows (the agreed plan or the last check-in), as it was."""
    results: list[DraftResult] = []
    """This period's actual per metric, with any anomaly note."""
    changes: list[DraftChange] = []
    """Reasons for changed targets or weights."""
    actions: list[DraftAction] = []
    """Actions carried over and new ones."""


_CHECKIN_FIRST = ("checkin_agenda", "checkin_actuals", "checkin_plan")
CHECKIN_STEPS = (*_CHECKIN_FIRST, "checkin_development", "checkin_actions", "checkin_record")


def steps_of(draft: AlignmentDraft, section_order: list[str] | None = None) -> list[str]:
    """The steps of a draft's flow, review sections in the rubric's template order."""
    if isinstance(draft, CheckinDraft):
        return list(CHECKIN_STEPS)
    if not isinstance(draft, ReviewDraft):
        return list(ALIGNMENT_STEPS)
    sections = [section for section in (section_order or REVIEW_SECTIONS) if section in REVIEW_SECTIONS]
    if draft.from_scratch:  # the plan is set up first (who, map, metrics, targets), then reviewed
        rest = [section for section in sections if section != "impact_recap"]
        return ["participants", "agenda", "impact_recap", "metrics", "targets", *rest]
    return ["agenda", *sections]  # the meeting opens with its agenda, whatever the rubric's order
