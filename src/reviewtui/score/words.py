"""The score in words: how a metric's level was reached, and the formula with its numbers."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

from ..models import PlanMetric

CENT = Decimal("0.01")
Labels = dict[int, str]


def named(level: int, labels: Labels) -> str:
    """`4 Exceeding`, or the bare number for a level the scale does not have."""
    return f"{level} {labels[level]}" if level in labels else str(level)


def plain(number: Decimal) -> str:
    """A number as stored, never with an exponent."""
    return f"{number:f}"


def signed(number: Decimal) -> str:
    return f"+{number:f}" if number > 0 else f"{number:f}"


def two_places(number: Decimal) -> str:
    return plain(number.quantize(CENT, ROUND_HALF_UP))


def _fraction_text(part: int, whole: int) -> str:
    """`40%` when the share is a whole percentage, else `30/85` (what a calculator takes)."""
    if whole == 0:
        return "0%"
    if (part * 100) % whole == 0:
        return f"{part * 100 // whole}%"
    return f"{part}/{whole}"


def exact_text(number: Decimal) -> str:
    """An exact contribution: up to 6 decimals as they are, longer ones cut at 4 with `…`."""
    if number == number.quantize(CENT):
        return plain(number.quantize(CENT))
    if number == number.quantize(Decimal("0.000001")):
        return plain(number.normalize())
    return plain(number.quantize(Decimal("0.0001"), ROUND_FLOOR)) + "…"


def arithmetic(
    level: int, share: tuple[int, int], split: tuple[int, int], exact: Decimal, shown: Decimal
) -> str:
    """`level 4 × 40% × 70% = 1.12`: level × weight share in its part × the part's split.

    `share` is (the item's weight, the weight scored in its part) and `split` (the part's weight,
    the weight of the parts scored). When rounding to cents moved it, the exact value is shown first:
    `= 0.225 → 0.23`.
    """
    text = f"level {level} × {_fraction_text(*share)} × {_fraction_text(*split)} = {exact_text(exact)}"
    return text if exact == shown else f"{text} → {plain(shown)}"


def percent(number: Decimal, thresholds: Sequence[Decimal]) -> str:
    """A percentage to as many places as the thresholds (at least one), rounded down.

    Rounding down never shows a threshold as reached when it was not.
    """
    places = max([1] + [-int(threshold.as_tuple().exponent) for threshold in thresholds])
    with localcontext(prec=80):
        return plain(number.quantize(Decimal(1).scaleb(-places), ROUND_FLOOR))


def band_reading(
    metric: PlanMetric,
    actual: Decimal,
    attainment: Decimal,
    points: bool,
    banded: int,
    labels: Labels,
) -> str:
    """The actual against the target, the threshold crossed and the next one, without the level."""
    assert metric.target is not None
    target, measured = plain(metric.target), f"{plain(actual)} {metric.unit}"
    thresholds = metric.bands.thresholds
    lower = metric.direction == "lower"
    notes = []
    if points:
        text = f"{measured} is {signed(attainment)} against the target {target}"
        if lower:
            notes.append("lower is better")
    elif attainment.is_infinite():
        return f"{measured} against the target {target} is past every threshold (lower is better, and it is not above zero)"
    elif lower:
        text = f"{measured} against the target {target} is {percent(attainment, thresholds)}%"
        notes.append("lower is better, so target ÷ actual")
    else:
        text = f"{measured} is {percent(attainment, thresholds)}% of the target {target}"

    def threshold(number: Decimal) -> str:
        return signed(number) if points else f"{plain(number)}%"

    lowest, top = min(labels), max(labels)
    crossed = banded - lowest
    steps = []
    if 0 < crossed <= len(thresholds):
        steps.append(f"{named(banded, labels)} from {threshold(thresholds[crossed - 1])}")
    if banded < top and crossed < len(thresholds):
        steps.append(f"{named(banded + 1, labels)} from {threshold(thresholds[crossed])}")
    if steps:
        notes.append(", ".join(steps))
    if notes:
        text += f" ({'; '.join(notes)})"
    if points and metric.bands.basis == "percent_of_target":
        text = f"The target {target} is not above zero, so the bands read as points: {text}"
    return text


def formula(
    metrics_weight: int,
    metrics_average: Decimal | None,
    competencies_weight: int,
    competencies_average: Decimal | None,
    total: Decimal | None,
    scale: tuple[int, int],
    missing: list[tuple[str, str]],
) -> str:
    """`Score = 70% × metric average 3.40 + 30% × competency average 3.00 = 3.28 on a 1–5 scale. ...`"""
    parts = [
        ("metric", metrics_weight, metrics_average),
        ("competency", competencies_weight, competencies_average),
    ]
    counted = [(name, weight, average) for name, weight, average in parts if average is not None and weight]
    on_scale = f"on a {scale[0]}–{scale[1]} scale"
    if total is None or not counted:
        text = "No score yet: nothing has been scored."
    elif len(counted) == 2:
        terms = " + ".join(f"{weight}% × {name} average {two_places(avg)}" for name, weight, avg in counted)
        text = f"Score = {terms} = {plain(total)} {on_scale}."
    else:
        name, _, average = counted[0]
        other, other_weight, _ = next(part for part in parts if part[0] != name)
        text = f"Score = {name} average {two_places(average)} {on_scale}"
        if other_weight:
            text += f"; the {other} part ({other_weight}%) has nothing scored yet, so the {name} part counts in full"
        text += "."
    if total is not None:
        text += (
            " Each average weighs levels by the agreed weights; each term is level × weight share × split,"
            " in cents that add up to the total."
        )
    if missing:
        text += " Not scored: " + ", ".join(f"{name} ({why})" for name, why in missing) + "."
    return text
