"""Scores from a record and its rubric: a level per metric from its bands, and the weighted total.

Pure functions on exact numbers; every step is also put in words, so the employee can follow it.

One rounding rule, used by every surface: the total is the exact weighted score rounded half up
to cents; each term (an item's contribution) is shown in cents too, apportioned by the largest
remainder method, so the terms shown always add up exactly to the total shown.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

from ..models import PlanMetric, Rubric, Session
from ..models.plan_parts import Actual
from .words import arithmetic, band_reading, formula, named

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
    """The contribution as shown, in cents: the terms shown add up to the total shown."""
    exact_contribution: Decimal | None = None
    """level × weight share × part's split, before rounding."""
    arithmetic: str = ""
    """`level 4 × 40% × 70% = 1.12`: the term as a calculator checks it; empty when not scored."""


@dataclass(frozen=True)
class CompetencyLevel:
    """One rubric competency's rating, if given, and its share of the total."""

    competency_id: str
    name: str
    level: int | None
    label: str | None
    weight: int
    contribution: Decimal | None
    """The contribution as shown, in cents: the terms shown add up to the total shown."""
    exact_contribution: Decimal | None = None
    """level × weight share × part's split, before rounding."""
    arithmetic: str = ""
    """`level 3 × 25% × 30% = 0.225 → 0.23`; empty when not rated."""


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
    """The exact score rounded half up to cents; the sum of the contributions shown."""
    top_level: int
    not_scored: list[str]
    complete: bool
    rubric_changed: bool
    formula: str
    lowest_level: int = 1
    metrics_scored: bool = False
    """Whether at least one metric has a level (a review is about client outcomes)."""
    counts: bool = True
    """Whether the score counts: false for a score on competencies alone that the rubric does not allow."""


@dataclass(frozen=True)
class ScoreRules:
    """What a score takes from the rubric: the scale, the split and the competencies."""

    labels: dict[int, str]
    """Scale value → label, lowest first."""
    metrics_weight: int
    competencies_weight: int
    competencies: tuple[tuple[str, str, int], ...]
    """(id, name, weight) of each competency, in the rubric's order."""
    allow_competencies_only: bool = False


def rules_of(rubric: Rubric) -> ScoreRules:
    """The rubric's part of a score."""
    return ScoreRules(
        labels={level.value: level.label for level in rubric.scale},
        metrics_weight=rubric.scoring.metrics_weight,
        competencies_weight=rubric.scoring.competencies_weight,
        competencies=tuple((c.id, c.name, c.weight) for c in rubric.competencies),
        allow_competencies_only=rubric.limits.allow_competencies_only,
    )


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
    return level_on_scale(metric, {level.value: level.label for level in rubric.scale})


def level_on_scale(metric: PlanMetric, labels: dict[int, str]) -> MetricLevel:
    """A metric's level on a scale given as value → label, and the rule that gave it."""
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
    """The weighted score of a record on its rubric as it is now, with each term and the formula in words.

    `rubric_sha256` is the hash of the rubric file as found now; when given, it is compared
    with the hash the record pinned.
    """
    changed = rubric_sha256 is not None and rubric_sha256 != session.rubric.sha256
    return score_with(session, rules_of(rubric), rubric_changed=changed)


def score_with(session: Session, rules: ScoreRules, *, rubric_changed: bool = False) -> ScoreBreakdown:
    """The weighted score of a record under `rules` (today's rubric's, or those it was signed with)."""
    labels = rules.labels
    metrics = [level_on_scale(metric, labels) for metric in session.metrics]
    ratings = {rating.competency: rating.level for rating in session.competencies}
    competencies = [
        CompetencyLevel(
            competency_id=competency_id,
            name=name,
            level=ratings.get(competency_id),
            label=labels.get(ratings[competency_id]) if competency_id in ratings else None,
            weight=weight,
            contribution=None,
        )
        for competency_id, name, weight in rules.competencies
    ]
    metric_items = [(item.level, item.weight) for item in metrics]
    competency_items = [(c.level, c.weight) for c in competencies]
    metrics_scored = sum(weight for level, weight in metric_items if level is not None and weight > 0)
    competencies_scored = sum(
        weight for level, weight in competency_items if level is not None and weight > 0
    )
    parts = [
        (rules.metrics_weight, _average(metric_items, metrics_scored)),
        (rules.competencies_weight, _average(competency_items, competencies_scored)),
    ]
    counted = sum(weight for weight, average in parts if average is not None)
    exact = (
        sum(weight * average for weight, average in parts if average is not None) / counted
        if counted
        else None
    )

    def share(level: int | None, weight: int, scored: int, part_weight: int) -> Fraction | None:
        if exact is None or level is None:
            return None
        # A scored item of weight 0, or in a part with no weighted item, adds nothing.
        if not scored:
            return Fraction(0)
        return Fraction(level * weight * part_weight, scored * counted)

    metric_shares = [share(m.level, m.weight, metrics_scored, rules.metrics_weight) for m in metrics]
    competency_shares = [
        share(c.level, c.weight, competencies_scored, rules.competencies_weight) for c in competencies
    ]
    total = _cents_half_up(exact) if exact is not None else None
    shown = apportion([*metric_shares, *competency_shares], total)

    def term(level: int | None, weight: int, scored: int, part_weight: int, exact_share, shown_share) -> str:
        if exact_share is None or level is None:
            return ""
        return arithmetic(level, (weight, scored), (part_weight, counted), _decimal(exact_share), shown_share)

    metrics = [
        dataclasses.replace(
            m,
            contribution=shown[index],
            exact_contribution=_decimal(metric_shares[index]),
            arithmetic=term(
                m.level, m.weight, metrics_scored, rules.metrics_weight, metric_shares[index], shown[index]
            ),
        )
        for index, m in enumerate(metrics)
    ]
    offset = len(metrics)
    competencies = [
        dataclasses.replace(
            c,
            contribution=shown[offset + index],
            exact_contribution=_decimal(competency_shares[index]),
            arithmetic=term(
                c.level,
                c.weight,
                competencies_scored,
                rules.competencies_weight,
                competency_shares[index],
                shown[offset + index],
            ),
        )
        for index, c in enumerate(competencies)
    ]
    missing = [(m.name, "no target" if m.target is None else "no actual") for m in metrics if m.level is None]
    missing += [(c.name, "no rating") for c in competencies if c.level is None]
    values = list(labels)
    any_metric = any(m.level is not None for m in metrics)
    metrics_average, competencies_average = (_decimal(average) for _, average in parts)
    return ScoreBreakdown(
        metrics=metrics,
        competencies=competencies,
        metrics_average=metrics_average,
        competencies_average=competencies_average,
        metrics_weight=rules.metrics_weight,
        competencies_weight=rules.competencies_weight,
        total=total,
        top_level=max(values),
        not_scored=[name for name, _ in missing],
        complete=not missing,
        rubric_changed=rubric_changed,
        formula=formula(
            rules.metrics_weight,
            metrics_average,
            rules.competencies_weight,
            competencies_average,
            total,
            (min(values), max(values)),
            missing,
        ),
        lowest_level=min(values),
        metrics_scored=any_metric,
        counts=total is not None and (any_metric or rules.allow_competencies_only),
    )


def apportion(shares: Sequence[Fraction | None], total: Decimal | None) -> list[Decimal | None]:
    """Each share in cents, so that together they make `total` exactly (the largest remainder method).

    Every share is first rounded down to the cent; the cents still missing to reach the total go,
    one each, to the shares that lost the most in rounding down (the earlier one on a tie).
    Shares of None stay None.
    """
    scored = [(index, share * 100) for index, share in enumerate(shares) if share is not None]
    cents = {index: math.floor(value) for index, value in scored}
    if total is not None and scored:
        missing = int(total * 100) - sum(cents.values())
        by_remainder = sorted(scored, key=lambda item: (-(item[1] - cents[item[0]]), item[0]))
        for index, _ in by_remainder[: max(missing, 0)]:
            cents[index] += 1
    return [Decimal(cents[index]).scaleb(-2) if index in cents else None for index in range(len(shares))]


def _cents_half_up(value: Fraction) -> Decimal:
    # Scores are never negative (scale values are 0 or more), so half up is floor(x + 1/2).
    return Decimal(math.floor(value * 100 + Fraction(1, 2))).scaleb(-2)


def _decimal(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    with localcontext(prec=PRECISION, rounding=ROUND_HALF_EVEN):
        return Decimal(value.numerator) / Decimal(value.denominator)


def _average(items: list[tuple[int | None, int]], weight: int) -> Fraction | None:
    """Weighted average level over scored items of weight > 0 (whose weights total `weight`)."""
    if not weight:
        return None
    return Fraction(sum(level * w for level, w in items if level is not None and w > 0), weight)
