"""Running totals over a period: how much of the period a figure covers, and the target pro-rated to it.

A metric that accumulates (a count, revenue) starts the period at nothing and grows; a figure
taken part-way through is compared with the share of the target due by its date, and its
pace (the figure it is on course for by the period's end) is what may change suddenly.
Pure functions on exact decimals.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..models import PlanMetric
from ..models.envelope import Period

ONE = Decimal(1)


def share_of_period(period: Period, as_of: date) -> Decimal:
    """The days of the period gone by `as_of`, both ends counted, as a share of all its days.

    At least one day (a figure dated before the start counts as the first day's) and at most all.
    """
    total = (period.end - period.start).days + 1
    gone = min(max((as_of - period.start).days + 1, 1), total)
    return Decimal(gone) / Decimal(total)


def readable(number: Decimal, like: Decimal) -> Decimal:
    """A worked-out figure rounded for a person: whole from 100 up, else one place more than `like` has.

    Never rounded to zero when it is not zero, so a percentage of it can still be taken.
    """
    places = 0 if abs(number) >= 100 else max(1, -int(like.as_tuple().exponent))
    rounded = number.quantize(ONE.scaleb(-places), ROUND_HALF_UP)
    while rounded == 0 and number != 0 and places < 6:
        places += 1
        rounded = number.quantize(ONE.scaleb(-places), ROUND_HALF_UP)
    return rounded.normalize() if rounded == rounded.to_integral_value() else rounded


def pro_rated_target(metric: PlanMetric, period: Period, as_of: date) -> Decimal | None:
    """The share of an accumulating metric's target due by `as_of`; None when nothing is pro-rated.

    Nothing is pro-rated for a metric that does not accumulate, without a target (or of zero), or at
    the period's end.
    The rounded figure is the one compared, so what is shown is what was used.
    """
    if not metric.accumulates or not metric.target:  # a target of nothing is nothing at any date
        return None
    share = share_of_period(period, as_of)
    if share >= ONE:
        return None
    return readable(metric.target * share, metric.target)


def on_course_for(metric: PlanMetric, value: Decimal, period: Period, as_of: date) -> Decimal:
    """The figure a metric is on course for by the period's end: a running total at its pace so far.

    A metric that does not accumulate is its own figure: its level, not its sum, is what moves.
    """
    if not metric.accumulates:
        return value
    return value / share_of_period(period, as_of)
