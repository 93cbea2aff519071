"""The rubric format: what a role is measured on and how a review is run."""

from __future__ import annotations

import itertools
from typing import Literal

from pydantic import Field, model_validator

from .base import Id, Model, Name, Number, Problems, Text, Weight, duplicates

Kind = Literal["leading", "lagging"]
Direction = Literal["higher", "lower"]
Frequency = Literal["weekly", "biweekly", "monthly", "quarterly", "half-yearly", "yearly"]
BandBasis = Literal["percent_of_target", "points_from_target"]
SectionId = Literal[
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
]
RuleKind = Literal["requires_all", "requires_any", "kept_apart", "scope_required"]
Scope = Literal["book", "account", "cohort", "team"]


class Outcome(Model):
    """A client outcome the role affects."""

    id: Id
    """Short id other keys refer to, e.g. `retention`."""
    name: Name
    """Name shown on screen, e.g. "Retention"."""
    description: Text = ""
    """What the outcome means for the client."""


class Bands(Model):
    """How actual against target becomes a level on the rating scale."""

    basis: BandBasis
    """`percent_of_target`: the actual as a percentage of the target (for
    lower-is-better metrics, the target as a percentage of the actual).
    `points_from_target`: how far the actual is past the target in the metric's
    unit (positive is better, whichever the direction)."""
    thresholds: list[Number] = Field(min_length=1)
    """The lowest attainment that earns each level above the first, in
    ascending order: one number fewer than the scale has levels."""


class CatalogMetric(Model):
    """A metric the rubric offers for a plan."""

    id: Id
    """Short id, unique in the catalog, e.g. `gross_retention`."""
    name: Name
    """Name shown on screen."""
    definition: Text = Field(min_length=1)
    """Exactly what is counted and how, so two people get the same figure."""
    data_source: Name
    """Where the figure comes from (CRM report, support desk, survey tool...)."""
    frequency: Frequency
    """How often the figure is measured."""
    kind: Kind
    """`leading` (predicts outcomes) or `lagging` (confirms them)."""
    unit: Name
    """Unit of the figure, e.g. `%`, `days`, `USD`, `accounts`."""
    direction: Direction
    """`higher` or `lower`: which way is better."""
    outcome: Id
    """Id of the outcome in `outcomes` this metric serves."""
    default_weight: Weight = 0
    """Suggested weight in percentage points when the metric is chosen."""
    bands: Bands
    """How the actual against the target turns into a level."""
    guardrail: Id | None = None
    """Id of a metric that counters this one's unintended consequence (a speed
    metric paired with a quality one); choosing this metric without it is flagged."""
    accumulates: bool = False
    """True when the figure is a running total over the plan's period (a count or
    a sum such as revenue), so it grows as the period goes on. A figure taken
    part-way through is then compared with the target pro-rated to its date, and
    its pace, not its growth, is watched for sudden change."""


class ScaleLevel(Model):
    """One level of the rating scale."""

    value: int = Field(ge=0, le=10)
    """The number this level counts as in the score."""
    label: Name
    """Short label, e.g. "Meets expectations"."""
    anchor: Text = Field(min_length=1)
    """Observable behaviour that earns this level, in general terms."""


class Competency(Model):
    """A qualitative competency rated on the scale with documented examples."""

    id: Id
    """Short id, unique among competencies."""
    name: Name
    """Name shown on screen."""
    description: Text = ""
    """What the competency covers."""
    weight: Weight
    """Share of the competency part of the score, in percentage points; the
    competencies' weights total 100."""
    anchors: list[Text] = Field(min_length=1)
    """Behavioural anchor for each scale level, lowest level first."""


class Scoring(Model):
    """How the overall score splits between metrics and competencies."""

    metrics_weight: Weight
    """Percentage points of the score that come from metric results."""
    competencies_weight: Weight
    """Percentage points of the score that come from competency ratings."""


class PlanLimits(Model):
    """What makes a metric plan concise and balanced."""

    min_metrics: int = Field(ge=1, le=50)
    """Fewest metrics a plan may hold."""
    max_metrics: int = Field(ge=1, le=50)
    """Most metrics a plan may hold."""
    require_leading_and_lagging: bool = True
    """Whether a plan needs at least one leading and one lagging metric."""
    require_success_story: bool = True
    """Whether a review needs at least one client success story."""
    allow_competencies_only: bool = False
    """Whether a review with no scored metric (no actual against a target) may be signed, and its
    score, then on competencies alone, count in calibration. Off by default: a review is about
    client outcomes."""


class Section(Model):
    """A section of the review template, in the order it appears."""

    id: SectionId
    """Which section this is."""
    title: Name
    """Heading shown on screen and in exports."""
    prompts: list[Text] = []
    """Guiding questions shown while the section is filled in."""


class Prompts(Model):
    """Guiding questions for the alignment session and check-ins."""

    impact_map: list[Text] = []
    """Shown while mapping activities to client outcomes."""
    metric_choice: list[Text] = []
    """Shown while choosing metrics."""
    targets: list[Text] = []
    """Shown while agreeing baselines, targets and weights."""
    check_in: list[Text] = []
    """Shown during a check-in."""


class ChecklistRule(Model):
    """A rule the checklist applies to a plan's chosen metrics."""

    id: Id
    """Short id, unique among rules."""
    kind: RuleKind
    """`requires_all`: when any metric in `when` is chosen, every metric in
    `require` must be too. `requires_any`: when any in `when` is chosen, at
    least one in `require` must be too. `kept_apart`: when any in `when` is
    chosen, every metric in `require` must be chosen as its own line, so the
    two are scored and reported apart. `scope_required`: every chosen metric
    in `when` must state its scope as one of `scopes`."""
    when: list[Id] = Field(min_length=1)
    """Metric ids that trigger the rule."""
    require: list[Id] = []
    """Metric ids the rule asks for."""
    scopes: list[Scope] = []
    """For `scope_required`: the scopes a metric may be stated at."""
    message: Text = Field(min_length=1)
    """What the checklist says when the rule fails, and why it matters."""


class Rubric(Model):
    """One role's rubric: outcomes, metric catalog, scale, competencies, template."""

    id: Id
    """Short id records refer to, e.g. `customer-success-manager`."""
    title: Name
    """Title shown on screen."""
    role: Name
    """The role this rubric is for."""
    version: int = Field(ge=1)
    """Raised whenever the rubric changes in a way that affects scores."""
    description: Text = ""
    """Who the rubric is for and how the role drives client outcomes."""
    outcomes: list[Outcome] = Field(min_length=1)
    """Client outcomes the role affects."""
    metrics: list[CatalogMetric] = Field(min_length=1)
    """The metric catalog a plan chooses from."""
    scale: list[ScaleLevel] = Field(min_length=2)
    """Rating scale levels, lowest first, with consecutive values."""
    competencies: list[Competency] = []
    """Qualitative competencies rated on the same scale."""
    scoring: Scoring
    """How the score splits between metrics and competencies."""
    limits: PlanLimits
    """Limits that keep a plan concise and balanced."""
    template: list[Section] = Field(min_length=1)
    """Review template sections, in order."""
    prompts: Prompts = Prompts()
    """Guiding questions for the alignment session and check-ins."""
    rules: list[ChecklistRule] = []
    """Checklist rules applied to chosen metrics."""

    @model_validator(mode="after")
    def _check_references(self) -> Rubric:
        problems: list[tuple[tuple[str | int, ...], str]] = []

        def unique(items: list, key: str, what: str) -> None:
            for index in duplicates([item.id for item in items]):
                problems.append(((key, index, "id"), f"this {what} id is used twice; ids must be unique"))

        unique(self.outcomes, "outcomes", "outcome")
        unique(self.metrics, "metrics", "metric")
        unique(self.competencies, "competencies", "competency")
        unique(self.rules, "rules", "rule")
        for index in duplicates([section.id for section in self.template]):
            problems.append((("template", index, "id"), "this section appears twice in the template"))

        outcome_ids = {outcome.id for outcome in self.outcomes}
        metric_ids = {metric.id for metric in self.metrics}
        levels = len(self.scale)
        for index, metric in enumerate(self.metrics):
            where = ("metrics", index)
            if metric.outcome not in outcome_ids:
                problems.append(
                    ((*where, "outcome"), f"no outcome has this id; use one of: {_listing(outcome_ids)}")
                )
            if metric.guardrail is not None and metric.guardrail not in metric_ids:
                problems.append(((*where, "guardrail"), "no metric in the catalog has this id"))
            if metric.guardrail == metric.id:
                problems.append(((*where, "guardrail"), "a metric cannot be its own guardrail"))
            thresholds = metric.bands.thresholds
            if len(thresholds) != levels - 1:
                problems.append(
                    (
                        (*where, "bands", "thresholds"),
                        f"give {levels - 1} thresholds, one per level above the first ({len(thresholds)} given)",
                    )
                )
            if any(later <= earlier for earlier, later in itertools.pairwise(thresholds)):
                problems.append(
                    ((*where, "bands", "thresholds"), "thresholds must rise strictly from first to last")
                )

        for index, (lower, level) in enumerate(itertools.pairwise(self.scale), start=1):
            if level.value != lower.value + 1:
                problems.append(
                    (
                        ("scale", index, "value"),
                        f"scale values must be consecutive, lowest first: expected {lower.value + 1} here",
                    )
                )
                break

        for index, competency in enumerate(self.competencies):
            if len(competency.anchors) != levels:
                problems.append(
                    (
                        ("competencies", index, "anchors"),
                        f"give {levels} anchors, one per scale level ({len(competency.anchors)} given)",
                    )
                )
        if self.competencies and sum(c.weight for c in self.competencies) != 100:
            total = sum(c.weight for c in self.competencies)
            problems.append((("competencies",), f"competency weights must total 100 (they total {total})"))

        split = self.scoring.metrics_weight + self.scoring.competencies_weight
        if split != 100:
            problems.append(
                (("scoring",), f"metrics_weight and competencies_weight must total 100 (they total {split})")
            )
        if self.scoring.competencies_weight and not self.competencies:
            problems.append(
                (
                    ("scoring", "competencies_weight"),
                    "there are no competencies to give weight to; set it to 0",
                )
            )

        if self.limits.min_metrics > self.limits.max_metrics:
            problems.append((("limits", "min_metrics"), "min_metrics must not exceed max_metrics"))

        section_ids = [section.id for section in self.template]
        for required in ("metric_results", "sign_off"):
            if required not in section_ids:
                problems.append((("template",), f"the template needs a `{required}` section"))
        if "sign_off" in section_ids and section_ids[-1] != "sign_off":
            problems.append((("template",), "the `sign_off` section must come last"))

        for index, rule in enumerate(self.rules):
            for key in ("when", "require"):
                for position, metric_id in enumerate(getattr(rule, key)):
                    if metric_id not in metric_ids:
                        problems.append(
                            (("rules", index, key, position), "no metric in the catalog has this id")
                        )
            if rule.kind == "scope_required" and not rule.scopes:
                problems.append(
                    (("rules", index, "scopes"), "a `scope_required` rule needs at least one scope")
                )
            if rule.kind != "scope_required" and not rule.require:
                problems.append(
                    (
                        ("rules", index, "require"),
                        f"a `{rule.kind}` rule needs at least one metric in `require`",
                    )
                )
        if problems:
            raise Problems(problems)
        return self

    def metric(self, metric_id: str) -> CatalogMetric | None:
        """The catalog metric with this id, if any."""
        return next((metric for metric in self.metrics if metric.id == metric_id), None)

    def outcome(self, outcome_id: str) -> Outcome | None:
        """The outcome with this id, if any."""
        return next((outcome for outcome in self.outcomes if outcome.id == outcome_id), None)


def _listing(ids: set[str]) -> str:
    return ", ".join(sorted(ids))
