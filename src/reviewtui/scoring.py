"""Scores from a record and its rubric: a level per metric from its bands, and the weighted total.

Pure functions on exact decimals; every step is also put in words, so the employee can follow it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext

from .models import PlanMetric, Rubric, Session
from .models.session import Actual
from .scoring_words import band_reading, formula, named

INFINITY = Decimal("Infinity")
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# Record numbers have at most 21 digits, so a quotient that equals a threshold is exact at this precision.
PRECISION = 28


@dataclass(frozen=True)
class MetricLevel:
    """One metric's result: its latest actual, attainment, level and how the level was reached."""

    metric_id: str
    name: str
    unit: str
    direction: str
    target: Decimal | None
    actual: Decimal | None
    as_of: date | None
    attainment: Decimal | None
    banded_level: int | None
    level: int | None
    override_reason: str | None
    rule: str
    weight: int
    contribution: Decimal | None


@dataclass(frozen=True)
class CompetencyLevel:
    """One rubric competency's rating, if given, and its share of the total."""

    competency_id: str
    name: str
    level: int | None
    label: str | None
    weight: int
    contribution: Decimal | None


@dataclass(frozen=True)
class ScoreBreakdown:
    """The score and every term of it."""

    metrics: list[MetricLevel]
    competencies: list[CompetencyLevel]
    metrics_average: Decimal | None
    competencies_average: Decimal | None
    metrics_weight: int
    competencies_weight: int
    total: Decimal | None
    top_level: int
    not_scored: list[str]
    complete: bool
    rubric_changed: bool
    formula: str


def latest_actual(metric: PlanMetric) -> Actual | None:
    """The actual with the latest `as_of`; of several on that date, the last listed."""
    latest = None
    for actual in metric.actuals:
        if latest is None or actual.as_of >= latest.as_of:
            latest = actual
    return latest


def reads_as_points(metric: PlanMetric) -> bool:
    """Whether attainment is counted in points: by the bands, or because the target cannot be a percentage."""
    return metric.bands.basis == "points_from_target" or (metric.target is not None and metric.target <= 0)


def attainment(metric: PlanMetric, actual: Decimal) -> Decimal:
    """The actual against the metric's target on its bands' basis; positive or larger is always better."""
    target = metric.target
    if target is None:
        raise ValueError("a metric without a target has no attainment")
    higher = metric.direction == "higher"
    with localcontext(prec=PRECISION, rounding=ROUND_HALF_EVEN):
        if reads_as_points(metric):
            return actual - target if higher else target - actual
        if higher:
            return actual * HUNDRED / target
        # An actual at or below zero beats a positive lower-is-better target by any ratio.
        return target * HUNDRED / actual if actual > 0 else INFINITY


def banded_level(thresholds: Sequence[Decimal], attainment: Decimal, scale_values: Sequence[int]) -> int:
    """The scale's lowest value plus one per threshold the attainment reaches, at most the top value."""
    reached = sum(1 for threshold in thresholds if attainment >= threshold)
    return min(min(scale_values) + reached, max(scale_values))


def metric_level(metric: PlanMetric, rubric: Rubric) -> MetricLevel:
    """A metric's level and the rule that gave it; `contribution` is left to `score`."""
    labels = _labels(rubric)
    latest = latest_actual(metric)
    reached = banded = level = reason = None
    if metric.target is None or latest is None:
        missing = "No target agreed" if metric.target is None else "No actual recorded yet"
        rule = f"{missing}: not scored (it does not count as zero)."
        if metric.override is not None:
            rule += (
                f" The reviewer's level ({named(metric.override.level, labels)}) applies once it is scored."
            )
    else:
        reached = attainment(metric, latest.value)
        banded = level = banded_level(metric.bands.thresholds, reached, list(labels))
        reading = band_reading(metric, latest.value, reached, reads_as_points(metric), banded, labels)
        rule = f"{reading} → {named(banded, labels)}"
        if metric.override is not None:
            level, reason = metric.override.level, metric.override.reason
            rule = (
                f"{reading} → bands give {named(banded, labels)}; "
                f"the reviewer set {named(level, labels)}: {' '.join(reason.split())}"
            )
    return MetricLevel(
        metric_id=metric.id,
        name=metric.name,
        unit=metric.unit,
        direction=metric.direction,
        target=metric.target,
        actual=latest.value if latest else None,
        as_of=latest.as_of if latest else None,
        attainment=reached,
        banded_level=banded,
        level=level,
        override_reason=reason,
        rule=rule,
        weight=metric.weight,
        contribution=None,
    )


def score(session: Session, rubric: Rubric, rubric_sha256: str | None = None) -> ScoreBreakdown:
    """The weighted score of a record on its rubric, with each term and the formula in words.

    `rubric_sha256` is the hash of the rubric file as found now; when given, it is compared
    with the hash the record pinned.
    """
    labels = _labels(rubric)
    metrics = [metric_level(metric, rubric) for metric in session.metrics]
    ratings = {rating.competency: rating.level for rating in session.competencies}
    competencies = [
        CompetencyLevel(
            competency_id=competency.id,
            name=competency.name,
            level=ratings.get(competency.id),
            label=labels.get(ratings[competency.id]) if competency.id in ratings else None,
            weight=competency.weight,
            contribution=None,
        )
        for competency in rubric.competencies
    ]
    split = rubric.scoring
    with localcontext(prec=PRECISION, rounding=ROUND_HALF_EVEN):
        metrics_average, metrics_scored = _average([(item.level, item.weight) for item in metrics])
        competencies_average, competencies_scored = _average([(c.level, c.weight) for c in competencies])
        parts = [(split.metrics_weight, metrics_average), (split.competencies_weight, competencies_average)]
        counted = sum(weight for weight, average in parts if average is not None)
        exact = (
            sum(weight * average for weight, average in parts if average is not None) / counted
            if counted
            else None
        )

        def share(level: int | None, weight: int, scored: int, part_weight: int) -> Decimal | None:
            if exact is None or level is None:
                return None
            # A scored item of weight 0, or in a part with no weighted item, adds nothing.
            if not scored:
                return Decimal(0)
            return Decimal(level) * weight / scored * part_weight / counted

        metrics = [
            dataclasses.replace(
                m, contribution=share(m.level, m.weight, metrics_scored, split.metrics_weight)
            )
            for m in metrics
        ]
        competencies = [
            dataclasses.replace(
                c, contribution=share(c.level, c.weight, competencies_scored, split.competencies_weight)
            )
            for c in competencies
        ]
    total = exact.quantize(CENT, ROUND_HALF_UP) if exact is not None else None
    missing = [(m.name, "no target" if m.target is None else "no actual") for m in metrics if m.level is None]
    missing += [(c.name, "no rating") for c in competencies if c.level is None]
    values = [level.value for level in rubric.scale]
    return ScoreBreakdown(
        metrics=metrics,
        competencies=competencies,
        metrics_average=metrics_average,
        competencies_average=competencies_average,
        metrics_weight=split.metrics_weight,
        competencies_weight=split.competencies_weight,
        total=total,
        top_level=max(values),
        not_scored=[name for name, _ in missing],
        complete=not missing,
        rubric_changed=rubric_sha256 is not None and rubric_sha256 != session.rubric.sha256,
        formula=formula(
            split.metrics_weight,
            metrics_average,
            split.competencies_weight,
            competencies_average,
            total,
            (min(values), max(values)),
            missing,
        ),
    )


def _average(items: list[tuple[int | None, int]]) -> tuple[Decimal | None, int]:
    """Weighted average level over scored items of weight > 0, and the weight it was taken over."""
    scored = [(level, weight) for level, weight in items if level is not None and weight > 0]
    weight = sum(weight for _, weight in scored)
    if not weight:
        return None, 0
    return sum(Decimal(level) * weight for level, weight in scored) / weight, weight


def _labels(rubric: Rubric) -> dict[int, str]:
    return {level.value: level.label for level in rubric.scale}
