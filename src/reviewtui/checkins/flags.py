"""What a check-in's figures say: on or off track for the period so far, sudden moves, guardrails.

Pure functions on plan metrics and actuals, shared by the check-in steps (on what is typed),
the review's results step, and the record's view and export (on what was recorded), so that
every place reads a figure the same way: against the target as adjusted, pro-rated for a
running total taken part-way through the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..models import PlanMetric, Rubric, Session
from ..models.envelope import Period
from ..models.plan_parts import Actual
from ..score.weighted import metric_level
from .pace import on_course_for, pro_rated_target, readable

SUDDEN_CHANGE = Decimal("0.25")  # a move of more than a quarter since the last figure is worth a word


@dataclass(frozen=True)
class Figure:
    """A metric's figure on a date."""

    value: Decimal
    as_of: date


@dataclass(frozen=True)
class Reading:
    """How one figure reads: its track line (empty when it cannot be read) and what else it raises."""

    on_track: bool | None
    track: str
    warnings: list[str]
    """A sudden move, a guardrail that got worse."""

    @property
    def flags(self) -> list[str]:
        """What asks for a word at the check-in: off track, then the warnings."""
        return ([self.track] if self.on_track is False else []) + self.warnings


def amount(value: Decimal, unit: str) -> str:
    """`96 %`, `5 accounts`: a figure with its unit, as the check-in screens show it."""
    return f"{value:f} {unit}"


def _worded(rule: str, metric: PlanMetric, full_target: Decimal, pro_rated: Decimal | None, end: date) -> str:
    """The bands' rule with the target's unit, and, when pro-rated, the target it came from."""
    said = f"the target {pro_rated if pro_rated is not None else full_target:f}"
    if pro_rated is None:
        return rule.replace(said, f"{said} {metric.unit}", 1)
    worded = f"a pro-rated {pro_rated:f} (target {amount(full_target, metric.unit)} by {end:%Y-%m-%d})"
    return rule.replace(f"{said} (", f"{worded[:-1]}; ", 1).replace(said, worded, 1)


def track(metric: PlanMetric, figure: Figure, period: Period, rubric: Rubric) -> tuple[bool | None, str]:
    """Whether the figure is on track by the rubric's bands, and the rule in words.

    The target is the metric's own (as adjusted), pro-rated to the figure's date when the metric
    accumulates; on track means at the scale's middle level or above.
    """
    if metric.target is None:
        return None, ""
    pro_rated = pro_rated_target(metric, period, figure.as_of)
    compared = metric.model_copy(
        update={
            "target": pro_rated if pro_rated is not None else metric.target,
            "actuals": [Actual(value=figure.value, as_of=figure.as_of)],
            "override": None,  # a check-in reads the bands; overrides belong to the review
        }
    )
    level = metric_level(compared, rubric)
    if level.level is None:
        return None, ""
    meeting = rubric.scale[len(rubric.scale) // 2].value
    on = level.level >= meeting
    rule = _worded(level.rule, metric, metric.target, pro_rated, period.end)
    return on, f"{'On track' if on else 'Off track'}: {rule}"


def sudden_change(metric: PlanMetric, figure: Figure, before: Figure | None, period: Period) -> str | None:
    """A move of more than a quarter since the last figure; for a running total, a change of pace."""
    if before is None:
        return None
    now = on_course_for(metric, figure.value, period, figure.as_of)
    then = on_course_for(metric, before.value, period, before.as_of)
    if not then or abs(now - then) / abs(then) <= SUDDEN_CHANGE:
        return None
    change = (now - then) / abs(then) * 100
    if metric.accumulates:
        return (
            f"Pace changed {change:+.0f}% since {before.as_of:%Y-%m-%d}: on course for "
            f"{amount(readable(now, figure.value), metric.unit)} by {period.end:%Y-%m-%d}, "
            f"was {amount(readable(then, before.value), metric.unit)}"
        )
    return (
        f"Sudden change: {change:+.0f}% since {amount(before.value, metric.unit)} on {before.as_of:%Y-%m-%d}"
    )


def _better(metric: PlanMetric, now: Decimal, then: Decimal) -> int:
    """1 when `now` is better than `then` by the metric's direction, -1 when worse, 0 when equal."""
    sign = (now > then) - (now < then)
    return sign if metric.direction == "higher" else -sign


@dataclass(frozen=True)
class Movement:
    """A metric, its figure now and its previous figure: what the guardrail rule compares."""

    metric: PlanMetric
    now: Figure
    before: Figure


def guardrail_warning(watched: Movement, guard: Movement, period: Period) -> str | None:
    """A metric that improved while its guardrail got worse since the previous figures, in words.

    Running totals are compared by their pace, so normal growth is not an improvement by itself.
    """

    def moved(item: Movement) -> int:
        now = on_course_for(item.metric, item.now.value, period, item.now.as_of)
        then = on_course_for(item.metric, item.before.value, period, item.before.as_of)
        return _better(item.metric, now, then)

    if moved(watched) <= 0 or moved(guard) >= 0:
        return None
    metric, guarding = watched.metric, guard.metric
    return (
        f"Watch the guardrail: {metric.name} improved ({amount(watched.before.value, metric.unit)} → "
        f"{amount(watched.now.value, metric.unit)}) while {guarding.name} got worse "
        f"({amount(guard.before.value, guarding.unit)} → {amount(guard.now.value, guarding.unit)}) "
        f"since {watched.before.as_of:%Y-%m-%d}"
    )


def read_figure(
    metric: PlanMetric,
    figure: Figure,
    before: Figure | None,
    period: Period,
    rubric: Rubric,
    guard: Movement | None = None,
) -> Reading:
    """Everything a figure says at a check-in: its track, and the flags that ask for a word."""
    on, line = track(metric, figure, period, rubric)
    warnings = []
    moved = sudden_change(metric, figure, before, period)
    if moved:
        warnings.append(moved)
    if guard is not None and before is not None:
        warning = guardrail_warning(Movement(metric, figure, before), guard, period)
        if warning:
            warnings.append(warning)
    return Reading(on, line, warnings)


def _figure(actual: Actual | None) -> Figure | None:
    return Figure(actual.value, actual.as_of) if actual is not None else None


def latest_two(metric: PlanMetric) -> tuple[Actual | None, Actual | None]:
    """A recorded metric's latest actual and the one before it (by date; of equal dates, the last listed)."""
    ordered = sorted(enumerate(metric.actuals), key=lambda item: (item[1].as_of, item[0]))
    latest = ordered[-1][1] if ordered else None
    before = ordered[-2][1] if len(ordered) > 1 else None
    return latest, before


def recorded_readings(session: Session, rubric: Rubric) -> dict[str, Reading]:
    """Each recorded metric's latest figure read as at a check-in, by metric id (metrics with a figure only)."""
    readings = {}
    for metric in session.metrics:
        latest, before = latest_two(metric)
        if latest is None:
            continue
        guard = None
        guarding = session.metric(metric.guardrail) if metric.guardrail else None
        if guarding is not None:
            guard_now, guard_before = (_figure(actual) for actual in latest_two(guarding))
            if guard_now is not None and guard_before is not None:
                guard = Movement(guarding, guard_now, guard_before)
        readings[metric.id] = read_figure(
            metric, Figure(latest.value, latest.as_of), _figure(before), session.period, rubric, guard
        )
    return readings
