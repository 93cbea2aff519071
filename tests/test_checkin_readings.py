"""Check-in readings: running totals against a pro-rated target, pace not growth, guardrails, exports."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factories import AGREE_STEP, EXAMPLE_PLAN, csm_draft, make_session, metric
from reviewtui.checkins.flags import (
    Figure,
    Movement,
    guardrail_warning,
    recorded_readings,
    sudden_change,
    track,
)
from reviewtui.checkins.pace import pro_rated_target, readable, share_of_period
from reviewtui.models import PlanMetric, Rubric
from reviewtui.models.envelope import Period
from reviewtui.plan.rules import agreed_session
from reviewtui.record.summary import record_json, record_markdown
from reviewtui.storage import discover_rubrics, list_record_names, load_session
from reviewtui.storage.records import session_to_toml
from reviewtui.team.timeline import figures

ROOT = Path(__file__).parent.parent
SESSIONS = ROOT / "src" / "reviewtui" / "examples"
SEPTEMBER = SESSIONS / "2026-09-03_check-in_ana-ruiz_d1e2f3a4.toml"
NOVEMBER = SESSIONS / "2026-11-05_check-in_ana-ruiz_e2f3a4b5.toml"
H2 = Period(label="2026 H2", start=dt.date(2026, 7, 1), end=dt.date(2026, 12, 31))
D = Decimal


@pytest.fixture(scope="module")
def csm() -> Rubric:
    return discover_rubrics().by_id["customer-success-manager"].rubric


def saves(**overrides: object) -> PlanMetric:
    data = metric(
        "at_risk_saves_count",
        name="At-risk saves",
        unit="accounts",
        target=D(5),
        accumulates=True,
        bands={"basis": "percent_of_target", "thresholds": [D(50), D(80), D(120), D(150)]},
    )
    data.update(overrides)
    return PlanMetric.model_validate(data)


def test_share_of_the_period_counts_both_ends_and_stays_within_it() -> None:
    assert share_of_period(H2, dt.date(2026, 7, 1)) == D(1) / D(184)
    assert share_of_period(H2, dt.date(2026, 9, 3)) == D(65) / D(184)
    assert share_of_period(H2, dt.date(2026, 12, 31)) == 1
    assert share_of_period(H2, dt.date(2026, 6, 1)) == D(1) / D(184), "a figure before the start: day one"
    assert share_of_period(H2, dt.date(2027, 2, 1)) == 1


def test_only_a_running_total_taken_part_way_is_pro_rated() -> None:
    assert pro_rated_target(saves(), H2, dt.date(2026, 9, 3)) == D("1.8")  # 5 × 65/184 = 1.77
    assert pro_rated_target(saves(), H2, dt.date(2026, 12, 31)) is None, "at the end: the full target"
    assert pro_rated_target(saves(accumulates=False), H2, dt.date(2026, 9, 3)) is None
    assert pro_rated_target(saves(target=None), H2, dt.date(2026, 9, 3)) is None
    assert pro_rated_target(saves(target=D(185000)), H2, dt.date(2026, 9, 3)) == D(65353)


@given(st.decimals(min_value=D("0.0001"), max_value=D(10**9), places=4), st.integers(1, 184))
def test_a_pro_rated_target_is_never_rounded_to_zero(target: Decimal, day: int) -> None:
    share = D(day) / D(184)
    assert readable(target * share, target) > 0


def test_a_running_total_on_course_reads_on_track_against_the_pro_rated_target(csm: Rubric) -> None:
    on, line = track(saves(), Figure(D(2), dt.date(2026, 9, 3)), H2, csm)
    assert on is True
    assert line == (
        "On track: 2 accounts is 111.1% of a pro-rated 1.8 (target 5 accounts by 2026-12-31; "
        "3 Meeting from 80%, 4 Exceeding from 120%) → 3 Meeting"
    )
    on, line = track(saves(), Figure(D(1), dt.date(2026, 9, 3)), H2, csm)
    assert on is False and line.startswith("Off track: 1 accounts is 55.5% of a pro-rated 1.8 (target 5")
    # The same figure of a metric that does not accumulate is read against the full target.
    on, line = track(saves(accumulates=False), Figure(D(2), dt.date(2026, 9, 3)), H2, csm)
    assert on is False and line.startswith("Off track: 2 accounts is 40.0% of the target 5 accounts (")


def test_normal_growth_of_a_running_total_is_not_a_sudden_change() -> None:
    september, november = Figure(D(2), dt.date(2026, 9, 3)), Figure(D(4), dt.date(2026, 11, 5))
    assert sudden_change(saves(), november, september, H2) is None  # +100%, but at the same pace
    # The same two figures of a level (a rate) did move suddenly.
    assert sudden_change(saves(accumulates=False), november, september, H2) == (
        "Sudden change: +100% since 2 accounts on 2026-09-03"
    )
    stalled = Figure(D(2), dt.date(2026, 11, 5))  # nothing saved in two months
    assert sudden_change(saves(), stalled, september, H2) == (
        "Pace changed -49% since 2026-09-03: on course for 2.9 accounts by 2026-12-31, was 5.7 accounts"
    )


def movement(metric_data: dict, before: str, now: str) -> Movement:
    plan_metric = PlanMetric.model_validate(metric_data)
    return Movement(plan_metric, Figure(D(now), dt.date(2026, 10, 1)), Figure(D(before), dt.date(2026, 9, 1)))


SPEED = metric("first_response_time", name="First response time", unit="hours", direction="lower")
QUALITY = metric("reopen_rate", name="Reopen rate", unit="%", direction="lower")


def test_a_metric_that_improved_while_its_guardrail_got_worse_is_flagged() -> None:
    assert guardrail_warning(movement(SPEED, "5", "3.5"), movement(QUALITY, "6", "8"), H2) == (
        "Watch the guardrail: First response time improved (5 hours → 3.5 hours) "
        "while Reopen rate got worse (6 % → 8 %) since 2026-09-01"
    )
    assert guardrail_warning(movement(SPEED, "5", "3.5"), movement(QUALITY, "6", "5"), H2) is None
    assert guardrail_warning(movement(SPEED, "5", "3.5"), movement(QUALITY, "6", "6"), H2) is None
    assert guardrail_warning(movement(SPEED, "3.5", "5"), movement(QUALITY, "6", "8"), H2) is None


def test_a_running_total_improves_by_its_pace_not_by_growing() -> None:
    count = metric("saves", name="Saves", unit="accounts", accumulates=True)
    # 4 on 2026-09-01 and 5 on 2026-10-01: it grew, but at a slower pace than before.
    slower = movement(count, "4", "5")
    assert guardrail_warning(slower, movement(QUALITY, "6", "8"), H2) is None
    faster = movement(count, "2", "5")
    assert guardrail_warning(faster, movement(QUALITY, "6", "8"), H2) is not None


def _readings(path: Path, rubric: Rubric) -> dict[str, tuple[bool | None, list[str]]]:
    readings = recorded_readings(load_session(path), rubric)
    return {metric_id: (reading.on_track, reading.flags) for metric_id, reading in readings.items()}


def test_anas_september_check_in_reads_its_running_totals_as_on_course(csm: Rubric) -> None:
    readings = _readings(SEPTEMBER, csm)
    tracks = {metric_id: on for metric_id, (on, _) in readings.items()}
    assert tracks == {
        "gross_retention": False,
        "at_risk_saves_count": True,
        "net_expansion_revenue": True,
        "nps": False,
        "at_risk_outreach": False,
        "qbrs_held": False,
    }
    assert figures(load_session(SEPTEMBER), csm).startswith("2 on track, 4 off track;")  # was 0 and 6


def test_anas_november_check_in_flags_only_what_really_moved(csm: Rubric) -> None:
    readings = _readings(NOVEMBER, csm)
    assert readings["at_risk_saves_count"] == (True, [])  # was "+100%": growth at the expected pace
    assert readings["net_expansion_revenue"] == (True, [])  # was off track and "+133%"
    assert readings["nps"] == (True, ["Sudden change: +50% since 24 points on 2026-09-03"])
    assert figures(load_session(NOVEMBER), csm).startswith("5 on track, 1 off track;")


def test_the_bundled_rubrics_mark_their_running_totals(csm: Rubric) -> None:
    catalog = discover_rubrics().by_id
    marked = {
        rubric_id: sorted(m.id for m in source.rubric.metrics if m.accumulates)
        for rubric_id, source in catalog.items()
    }
    assert marked["customer-success-manager"] == [
        "at_risk_saves_count",
        "at_risk_saves_value",
        "net_expansion_revenue",
    ]
    assert not any(m.accumulates for m in csm.metrics if m.unit == "%"), "a rate is not a running total"


def test_accumulates_goes_from_the_catalog_into_the_agreed_record(csm: Rubric) -> None:
    session = agreed_session(csm_draft(AGREE_STEP), csm, "b" * 64, dt.datetime(2026, 7, 2, tzinfo=dt.UTC))
    assert {m.id for m in session.metrics if m.accumulates} == {
        "at_risk_saves_count",
        "net_expansion_revenue",
    }
    assert "accumulates = true" in session_to_toml(session)


def test_records_without_the_key_still_load_and_the_examples_pin_todays_rubrics(tmp_path: Path) -> None:
    old = tmp_path / EXAMPLE_PLAN
    old.write_text((SESSIONS / EXAMPLE_PLAN).read_text().replace("accumulates = true\n", ""))
    assert not any(m.accumulates for m in load_session(old).metrics)
    catalog = discover_rubrics().by_id
    for name in list_record_names(SESSIONS):
        session = load_session(name.path)
        assert session.rubric.sha256 == catalog[session.rubric.id].sha256, name.path.name


def test_a_check_in_export_holds_its_readings_notes_and_actions(csm: Rubric) -> None:
    session = load_session(NOVEMBER)
    text = record_markdown(session, csm)
    assert "## Score" not in text, "a check-in is read for the period so far, not scored"
    assert "| Net expansion revenue (book) | 160000 USD | 20% | 140000 USD (2026-11-05) | on track |" in text
    assert "of a pro-rated 111304 (target 160000 USD by 2026-12-31;" in text
    assert "⚑ Sudden change: +50% since 24 points on 2026-09-03." in text
    assert "**Discussion:** Two deals slipped into Q4; on track" in text
    assert (
        "| Renewal plan for the three price-pressure accounts | Ana Ruiz | 2026-12-01 | open | at this check-in |"
        in text
    )
    assert "| Executive call with Contoso's new CFO | Ana Ruiz | 2026-09-30 | done | at an earlier" in text
    data = json.loads(record_json(session, csm))
    readings = {item["metric"]: item for item in data["check_in"]["readings"]}
    assert readings["nps"]["flags"] == ["Sudden change: +50% since 24 points on 2026-09-03"]
    assert readings["qbrs_held"]["on_track"] is False


def test_a_check_in_export_uses_the_target_as_adjusted(csm: Rubric) -> None:
    # A retention of 90 against the adjusted target of 90 is on track; against the old 96 it was not.
    adjusted = make_session(
        kind="check-in",
        status="recorded",
        sign_offs=[],
        metrics=[metric(target=D(90), actuals=[{"value": D(90), "as_of": dt.date(2026, 10, 1)}])],
        adjustments=[
            {
                "metric": "gross_retention",
                "field": "target",
                "old": D(96),
                "new": D(90),
                "reason": "Price rise",
                "by": "Bo Li",
                "at": dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
            }
        ],
    )
    [reading] = recorded_readings(adjusted, csm).values()
    assert reading.on_track is True and "the target 90 %" in reading.track


def test_a_review_draft_from_before_last_figures_still_loads() -> None:
    from factories import csm_review_draft
    from reviewtui.models.draft import ReviewDraft

    data = csm_review_draft().model_dump(exclude={"last_figures"})
    assert ReviewDraft.model_validate(data).last_figures == []
