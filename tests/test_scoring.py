"""Scoring: levels from bands, overrides, the weighted total, its words, and its properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import make_session, metric
from reviewtui.models import PlanMetric, Rubric
from reviewtui.score.weighted import attainment, banded_level, latest_actual, metric_level, score
from reviewtui.storage import load_rubric

D = Decimal
DAY = dt.date(2026, 12, 1)
LEVELS = [1, 2, 3, 4, 5]
# Actuals that give each level against a target of 100 on the factory bands (90/95/100/105).
ACTUAL_FOR_LEVEL = {1: D(50), 2: D(92), 3: D(97), 4: D(101), 5: D(110)}
RUBRIC = load_rubric(Path(__file__).parent / "data" / "rubric_minimal.toml").rubric


@pytest.fixture
def rubric(minimal_rubric: Path) -> Rubric:
    return load_rubric(minimal_rubric).rubric


def actual(value: str | Decimal, as_of: dt.date = DAY, **extra: Any) -> dict[str, Any]:
    return {"value": D(value), "as_of": as_of, **extra}


def plan(metric_id: str = "gross_retention", **overrides: Any) -> PlanMetric:
    return PlanMetric.model_validate(metric(metric_id, **overrides))


def csat(**overrides: Any) -> dict[str, Any]:
    """Points from target, thresholds -10/-4/0/+5."""
    data = {
        "name": "CSAT",
        "unit": "points",
        "target": D(35),
        "bands": {"basis": "points_from_target", "thresholds": [D(-10), D(-4), D(0), D(5)]},
    }
    return metric("csat", **{**data, **overrides})


def response(**overrides: Any) -> dict[str, Any]:
    """Lower is better, percent of target, thresholds 70/90/100/120."""
    data = {
        "name": "First response time",
        "unit": "hours",
        "direction": "lower",
        "target": D(4),
        "bands": {"basis": "percent_of_target", "thresholds": [D(70), D(90), D(100), D(120)]},
    }
    return metric("first_response_hours", **{**data, **overrides})


def rating(level: int) -> dict[str, Any]:
    return {"competency": "collaboration", "level": level, "evidence": "Ran the joint renewal plan."}


def review(metrics: list[dict[str, Any]], competencies: list[dict[str, Any]] | None = None):
    return make_session(kind="review", status="draft", metrics=metrics, competencies=competencies or [])


# The latest actual -------------------------------------------------------------------------


def test_latest_actual_is_the_latest_date_and_the_last_listed_on_a_tie() -> None:
    assert latest_actual(plan()) is None
    dated = plan(actuals=[actual("1", DAY), actual("2", dt.date(2026, 9, 1)), actual("3", DAY)])
    assert latest_actual(dated).value == D(3)
    assert latest_actual(plan(actuals=[actual("7", DAY), actual("5", DAY - dt.timedelta(1))])).value == 7


# Attainment ------------------------------------------------------------------------------


def test_percent_of_target_higher_is_actual_over_target() -> None:
    assert attainment(plan(target=D(80)), D(100)) == D(125)
    assert attainment(plan(target=D(95)), D(95)) == D(100)


def test_percent_of_target_lower_is_target_over_actual() -> None:
    assert attainment(plan(**response()), D(5)) == D(80)
    assert attainment(plan(**response()), D("3.2")) == D(125)


@pytest.mark.parametrize("value", ["0", "-1.5"])
def test_lower_is_better_actual_at_or_below_zero_is_past_every_threshold(value: str) -> None:
    assert attainment(plan(**response()), D(value)) == D("Infinity")
    level = metric_level(plan(**response(actuals=[actual(value)])), RUBRIC)
    assert level.level == 5
    assert "past every threshold" in level.rule


def test_points_from_target_is_how_far_past_the_target_whichever_the_direction() -> None:
    assert attainment(plan(**csat()), D(41)) == D(6)
    assert attainment(plan(**csat()), D(30)) == D(-5)
    lower = plan(**response(bands={"basis": "points_from_target", "thresholds": [-2, -1, 0, 1]}))
    assert attainment(lower, D("3.5")) == D("0.5")


@pytest.mark.parametrize(
    ("target", "direction", "value", "expected"),
    [("0", "higher", "3", "3"), ("-2", "higher", "-5", "-3"), ("-2", "lower", "-5", "3")],
)
def test_a_target_not_above_zero_falls_back_to_points(
    target: str, direction: str, value: str, expected: str
) -> None:
    metric_ = plan(target=D(target), direction=direction, actuals=[actual(value)])
    assert attainment(metric_, D(value)) == D(expected)
    assert metric_level(metric_, RUBRIC).rule.startswith(
        f"The target {target} is not above zero, so the bands read as points: "
    )


# Levels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reached", "level"),
    [
        ("-1000", 1),
        ("89.999999", 1),
        ("90", 2),
        ("94.9", 2),
        ("95", 3),
        ("104.99", 4),
        ("105", 5),
        ("1E+9", 5),
    ],
)
def test_banded_level_counts_the_thresholds_reached(reached: str, level: int) -> None:
    assert banded_level([D(90), D(95), D(100), D(105)], D(reached), LEVELS) == level


def test_banded_level_starts_at_the_lowest_value_and_stops_at_the_top() -> None:
    assert banded_level([D(1), D(2)], D(0), [0, 1, 2]) == 0
    assert banded_level([D(1), D(2)], D("Infinity"), [0, 1, 2]) == 2
    assert banded_level([D(1), D(2), D(3), D(4)], D(10), [1, 2, 3]) == 3


# Rules in words --------------------------------------------------------------------------


def test_rule_percent_of_target_names_actual_target_attainment_thresholds_and_level() -> None:
    level = metric_level(plan(actuals=[actual("96")]), RUBRIC)
    assert (level.level, level.banded_level, level.attainment.quantize(D("0.01"))) == (4, 4, D("101.05"))
    assert (
        level.rule
        == "96 % is 101.0% of the target 95 (4 Exceeding from 100%, 5 Outstanding from 105%) → 4 Exceeding"
    )


def test_rule_lower_is_better_says_how_the_percentage_is_taken() -> None:
    level = metric_level(plan(**response(actuals=[actual("3.2")])), RUBRIC)
    assert level.rule == (
        "3.2 hours against the target 4 is 125.0% (lower is better, so target ÷ actual; "
        "5 Outstanding from 120%) → 5 Outstanding"
    )


def test_rule_points_and_the_lowest_level() -> None:
    assert metric_level(plan(**csat(actuals=[actual("41")])), RUBRIC).rule == (
        "41 points is +6 against the target 35 (5 Outstanding from +5) → 5 Outstanding"
    )
    assert metric_level(plan(**csat(actuals=[actual("20")])), RUBRIC).rule == (
        "20 points is -15 against the target 35 (2 Partly meeting from -10) → 1 Not yet meeting"
    )


def test_percentages_round_down_so_a_threshold_never_looks_reached_when_it_is_not() -> None:
    level = metric_level(plan(target=D(3), actuals=[actual("2.99999")]), RUBRIC)
    assert level.level == 3
    assert level.rule.startswith(
        "2.99999 % is 99.9% of the target 3 (3 Meeting from 95%, 4 Exceeding from 100%)"
    )


def test_an_override_replaces_the_banded_level_and_the_rule_keeps_both() -> None:
    override = {"level": 4, "reason": "Two renewals slipped\ninto January by client request."}
    level = metric_level(plan(actuals=[actual("93")], override=override), RUBRIC)
    assert (level.banded_level, level.level) == (3, 4)
    assert level.override_reason == "Two renewals slipped\ninto January by client request."
    assert level.rule == (
        "93 % is 97.8% of the target 95 (3 Meeting from 95%, 4 Exceeding from 100%) → bands give 3 Meeting; "
        "the reviewer set 4 Exceeding: Two renewals slipped into January by client request."
    )


def test_no_actual_or_no_target_is_not_scored() -> None:
    no_actual = metric_level(plan(), RUBRIC)
    assert (no_actual.level, no_actual.attainment, no_actual.actual) == (None, None, None)
    assert no_actual.rule == "No actual recorded yet: not scored (it does not count as zero)."
    no_target = metric_level(plan(target=None, actuals=[actual("96")]), RUBRIC)
    assert no_target.level is None and no_target.actual == D(96)
    assert no_target.rule == "No target agreed: not scored (it does not count as zero)."
    overridden = metric_level(plan(override={"level": 5, "reason": "Data lost."}), RUBRIC)
    assert overridden.level is None
    assert overridden.rule.endswith("The reviewer's level (5 Outstanding) applies once it is scored.")


# The total -------------------------------------------------------------------------------


def test_total_weighs_metric_and_competency_averages(rubric: Rubric) -> None:
    session = review(
        [metric(weight=60, actuals=[actual("97")]), csat(weight=40, actuals=[actual("28")])], [rating(3)]
    )
    breakdown = score(session, rubric)
    assert [m.level for m in breakdown.metrics] == [4, 2]
    assert breakdown.metrics_average == D("3.2")
    assert breakdown.competencies_average == D(3)
    assert breakdown.total == D("3.14")
    assert [m.contribution for m in breakdown.metrics] == [D("1.68"), D("0.56")]
    assert breakdown.competencies[0].contribution == D("0.9")
    assert breakdown.competencies[0].label == "Meeting"
    assert (breakdown.complete, breakdown.not_scored, breakdown.top_level) == (True, [], 5)
    assert breakdown.formula == (
        "Score = 70% × metric average 3.20 + 30% × competency average 3.00 = 3.14 on a 1–5 scale. "
        "Each average weighs levels by the agreed weights; each term is level × weight share × split, "
        "in cents that add up to the total."
    )


def test_total_rounds_half_up_to_hundredths(rubric: Rubric) -> None:
    # 0.7 × 3.75 + 0.3 × 3 = 3.525
    session = review(
        [metric(weight=25, actuals=[actual("92")]), csat(weight=75, actuals=[actual("35")])], [rating(3)]
    )
    assert score(session, rubric).total == D("3.53")


def test_missing_items_are_left_out_and_the_weights_renormalised(rubric: Rubric) -> None:
    session = review([metric(weight=30, actuals=[actual("97")]), csat(weight=70)])
    breakdown = score(session, rubric)
    assert breakdown.metrics_average == D(4)
    assert breakdown.total == D("4.00")
    assert breakdown.metrics[1].contribution is None
    assert breakdown.metrics[0].contribution == D(4)
    assert breakdown.not_scored == ["CSAT", "Cross-functional collaboration"]
    assert not breakdown.complete
    assert breakdown.formula == (
        "Score = metric average 4.00 on a 1–5 scale; the competency part (30%) has nothing scored yet, "
        "so the metric part counts in full. Each average weighs levels by the agreed weights; "
        "each term is level × weight share × split, in cents that add up to the total. "
        "Not scored: CSAT (no actual), Cross-functional collaboration (no rating)."
    )


def test_a_weight_zero_metric_is_shown_but_adds_nothing(rubric: Rubric) -> None:
    session = review([metric(weight=100, actuals=[actual("92")]), csat(weight=0, actuals=[actual("50")])])
    breakdown = score(session, rubric)
    assert breakdown.metrics[1].level == 5
    assert breakdown.metrics[1].contribution == 0
    assert breakdown.total == D("3.00")


def test_nothing_scored_has_no_total(rubric: Rubric) -> None:
    breakdown = score(review([metric(target=None, actuals=[actual("1")])]), rubric)
    assert breakdown.total is None and breakdown.metrics_average is None
    assert breakdown.metrics[0].contribution is None
    assert breakdown.formula == (
        "No score yet: nothing has been scored. "
        "Not scored: Gross retention (no target), Cross-functional collaboration (no rating)."
    )


def test_only_competencies_rated(rubric: Rubric) -> None:
    breakdown = score(review([metric()], [rating(2)]), rubric)
    assert breakdown.total == D("2.00")
    assert breakdown.formula.startswith(
        "Score = competency average 2.00 on a 1–5 scale; the metric part (70%) has nothing scored yet, "
        "so the competency part counts in full."
    )


def test_rubric_changed_compares_the_hash_found_now_with_the_pinned_one(rubric: Rubric) -> None:
    session = review([metric(actuals=[actual("97")])])
    assert not score(session, rubric).rubric_changed
    assert not score(session, rubric, "a" * 64).rubric_changed
    assert score(session, rubric, "b" * 64).rubric_changed


# Properties ------------------------------------------------------------------------------

decimals = st.builds(
    lambda digits, places: D(digits).scaleb(-places), st.integers(-(10**9), 10**9), st.integers(0, 6)
)
thresholds = st.lists(st.integers(-300, 300), min_size=4, max_size=4, unique=True).map(
    lambda values: [D(value) for value in sorted(values)]
)
bases = st.sampled_from(["percent_of_target", "points_from_target"])
directions = st.sampled_from(["higher", "lower"])


@settings(max_examples=300, deadline=None)
@given(
    basis=bases,
    direction=directions,
    limits=thresholds,
    target=decimals,
    actuals=st.lists(decimals, min_size=2),
)
def test_level_is_monotonic_in_the_actual(
    basis: str, direction: str, limits: list[Decimal], target: Decimal, actuals: list[Decimal]
) -> None:
    base = metric(direction=direction, target=target, bands={"basis": basis, "thresholds": limits})
    levels = [
        metric_level(PlanMetric.model_validate({**base, "actuals": [actual(value)]}), RUBRIC).level
        for value in sorted(actuals)
    ]
    assert levels == sorted(levels, reverse=direction == "lower")


def at_level(level: int, metric_id: str, weight: int) -> dict[str, Any]:
    return metric(
        metric_id,
        weight=weight,
        name=f"Metric {metric_id}",
        target=D(100),
        actuals=[actual(ACTUAL_FOR_LEVEL[level])],
    )


@settings(max_examples=200, deadline=None)
@given(
    levels=st.lists(st.sampled_from(LEVELS), min_size=2, max_size=2, unique=True).map(sorted),
    low_weight=st.integers(1, 100),
    moved=st.integers(1, 100),
    competency=st.none() | st.sampled_from(LEVELS),
    zero_level=st.sampled_from(LEVELS),
)
def test_weights_are_respected(
    levels: list[int], low_weight: int, moved: int, competency: int | None, zero_level: int
) -> None:
    moved = min(moved, low_weight)
    ratings = [rating(competency)] if competency else []

    def total(low: int, *extra: dict[str, Any]) -> Decimal | None:
        metrics = [at_level(levels[0], "low", low), at_level(levels[1], "high", 100 - low), *extra]
        return score(review(metrics, ratings), RUBRIC).total

    before = total(low_weight)
    assert total(low_weight - moved) >= before
    assert total(low_weight, at_level(zero_level, "zero", 0)) == before


@settings(max_examples=100, deadline=None)
@given(weights=st.lists(st.integers(0, 100), min_size=1, max_size=3), rated=st.booleans())
def test_all_at_one_level_scores_that_level(weights: list[int], rated: bool) -> None:
    for level in (1, 5):
        metrics = [at_level(level, f"m{index}", weight) for index, weight in enumerate(weights)]
        breakdown = score(review(metrics, [rating(level)] if rated else []), RUBRIC)
        if any(weights) or rated:
            assert breakdown.total == level


@st.composite
def random_metric(draw: st.DrawFn, metric_id: str) -> dict[str, Any]:
    values = draw(st.lists(decimals, max_size=3))
    data = metric(
        metric_id,
        name=f"Metric {metric_id}",
        weight=draw(st.integers(0, 100)),
        direction=draw(directions),
        target=draw(st.none() | decimals),
        bands={"basis": draw(bases), "thresholds": draw(thresholds)},
        actuals=[actual(value, DAY - dt.timedelta(days=index)) for index, value in enumerate(values)],
    )
    if draw(st.booleans()):
        data["override"] = {"level": draw(st.sampled_from(LEVELS)), "reason": "Context."}
    return data


@st.composite
def random_reviews(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    count = draw(st.integers(1, 4))
    metrics = [draw(random_metric(f"m{index}")) for index in range(count)]
    competency = draw(st.none() | st.sampled_from(LEVELS))
    return metrics, [rating(competency)] if competency else []


@settings(max_examples=200, deadline=None)
@given(parts=random_reviews(), weight=st.integers(0, 100), target=st.none() | decimals)
def test_missing_actuals_never_count_as_zero(
    parts: tuple[list, list], weight: int, target: Decimal | None
) -> None:
    metrics, ratings = parts
    before = score(review(metrics, ratings), RUBRIC)
    unmeasured = metric("unmeasured", name="Not measured", weight=weight, target=target)
    after = score(review([*metrics, unmeasured], ratings), RUBRIC)
    assert after.total == before.total
    assert "Not measured" in after.not_scored
    assert [name for name in after.not_scored if name != "Not measured"] == before.not_scored


@settings(max_examples=300, deadline=None)
@given(parts=random_reviews())
def test_total_lies_on_the_scale_and_is_the_sum_of_contributions(parts: tuple[list, list]) -> None:
    breakdown = score(review(*parts), RUBRIC)
    if breakdown.total is None:
        return
    assert 1 <= breakdown.total <= breakdown.top_level
    items = [*breakdown.metrics, *breakdown.competencies]
    assert abs(sum(item.contribution or 0 for item in items) - breakdown.total) <= D("0.01")
