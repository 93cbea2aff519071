"""A live check-in and review as the pair run them: readings that follow the adjusted target and
the period, guardrails, a summary in names and units, the record's view, the last check-in's figures.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import Markdown, Static

from factories import EXAMPLE_PLAN
from pilot_helpers import Clock, choose, fill, make_app, steady
from reviewtui.checkins.rules import checkin_from, recorded_session
from reviewtui.storage import discover_rubrics, load_session, save_session
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.record import RecordScreen
from reviewtui.ui.steps.checkin import ActionsStep, ActualsStep, PlanChangesStep, RecordStep
from reviewtui.ui.steps.review_sections import ResultsStep

ROOT = Path(__file__).parent.parent
SESSIONS = ROOT / "src" / "reviewtui" / "examples"
LUCIA_PLAN = SESSIONS / "2026-07-08_alignment_lucia-gomez_6b0d549b.toml"
OCTOBER = dt.datetime(2026, 10, 1, 10, 0, tzinfo=dt.UTC)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def start(pilot, key: str) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.press(key)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("ctrl+n")  # past the agenda (no open topics), the first step of both
    await pilot.pause()


async def step(pilot, key: str = "ctrl+n") -> None:
    await pilot.press(key)
    await pilot.pause()


async def test_readings_follow_the_target_changed_on_step_two_to_the_summary_and_the_record(
    tmp_path: Path,
) -> None:
    shutil.copy(SESSIONS / EXAMPLE_PLAN, tmp_path)
    app = make_app(tmp_path, Clock(OCTOBER))
    async with app.run_test(size=(100, 40)) as pilot:
        await start(pilot, "c")
        await fill(pilot, "results-gross_retention-actual", "90")
        assert text_of(app, "#flags-gross_retention").startswith(
            "⚑ Off track: 90 % is 93.7% of the target 96 %"
        )
        await fill(pilot, "results-gross_retention-note", "Two churned after an acquisition")
        await step(pilot)
        assert isinstance(app.screen, PlanChangesStep)
        await fill(pilot, "metrics-gross_retention-target", "90")
        # The figure's reading follows the target as it is typed, so the pair see what a change does.
        assert text_of(app, "#plan-reading-gross_retention").startswith(
            "✓ On track: 90 % is 100.0% of the target 90"
        )
        assert text_of(app, "#plan-reading-nps") == "", "no figure, no reading"
        await fill(pilot, "changes-gross_retention-reason", "Price rise across the segment")
        await fill(pilot, "metrics-at_risk_outreach-weight", "5")
        await fill(pilot, "metrics-qbrs_held-weight", "15")
        await fill(pilot, "changes-at_risk_outreach-reason", "Outreach is now automated")
        await fill(pilot, "changes-qbrs_held-reason", "Sponsors matter more this half")
        await step(pilot, "ctrl+b")

        assert isinstance(app.screen, ActualsStep)
        reading = text_of(app, "#flags-gross_retention")
        assert reading.startswith("✓ On track: 90 % is 100.0% of the target 90 %"), reading
        await step(pilot)
        await step(pilot)
        await step(pilot)  # the development plan (none in this plan)
        assert isinstance(app.screen, ActionsStep)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await fill(pilot, "actions-0-text", "Exec call with Contoso")
        await fill(pilot, "actions-0-owner", "Ana Ruiz")
        await fill(pilot, "actions-0-due", "2026-10-15")
        await choose(pilot, "actions-0-status", "open")
        await step(pilot)

        assert isinstance(app.screen, RecordStep)
        summary = text_of(app, "#checkin-summary")
        assert "Gross revenue retention (book): 90 % on 2026-10-01" in summary
        assert "✓ On track: 90 % is 100.0% of the target 90 %" in summary
        assert "Discussion: Two churned after an acquisition" in summary
        assert (
            "Change Gross revenue retention (book) target: 96 % → 90 % "
            "(reason: Price rise across the segment)" in summary
        )
        assert (
            "Change Proactive outreach to at-risk accounts weight: 10% → 5% (reason: Outreach is now automated)"
            in summary
        )
        assert "Exec call with Contoso: Ana Ruiz, due 2026-10-15 · open, new" in summary
        for metric_id in ("gross_retention", "at_risk_outreach", "qbrs_held", "nps"):
            assert metric_id not in summary, f"the summary names metrics, not ids ({metric_id})"
        await step(pilot, "ctrl+s")
        assert isinstance(app.screen, HomeScreen)

    [saved] = tmp_path.glob("*_check-in_*.toml")
    rubric = discover_rubrics().by_id["customer-success-manager"].rubric
    from reviewtui.record.summary import record_json, record_markdown

    session = load_session(saved)
    markdown = record_markdown(session, rubric)
    assert "| Gross revenue retention (book) | 90 % | 30% | 90 % (2026-10-01) | on track |" in markdown
    assert "**Discussion:** Two churned after an acquisition" in markdown
    readings = {r["metric"]: r for r in json.loads(record_json(session, rubric))["check_in"]["readings"]}
    assert readings["gross_retention"]["on_track"] is True


async def test_a_running_total_reads_against_its_pro_rated_target_and_its_pace(tmp_path: Path) -> None:
    shutil.copy(SESSIONS / EXAMPLE_PLAN, tmp_path)
    shutil.copy(SESSIONS / "2026-09-03_check-in_ana-ruiz_d1e2f3a4.toml", tmp_path)
    app = make_app(tmp_path, Clock(dt.datetime(2026, 11, 5, 10, 0, tzinfo=dt.UTC)))
    async with app.run_test(size=(100, 40)) as pilot:
        await start(pilot, "c")  # on the September check-in, the plan as it stands
        saves_heading = str(app.screen.query(".metric-heading")[1].render())
        assert saves_heading.startswith(
            "At-risk saves (accounts)  accounts, higher is better, a running total"
        )
        assert "(target 5 accounts by 2026-12-31)" in str(app.screen.query(".trend-text")[1].render())
        await fill(pilot, "results-at_risk_saves_count-actual", "4")
        await fill(pilot, "results-net_expansion_revenue-actual", "140000")
        await fill(pilot, "results-nps-actual", "36")
        saves = text_of(app, "#flags-at_risk_saves_count")
        assert saves == (
            "✓ On track: 4 accounts is 114.2% of a pro-rated 3.5 (target 5 accounts by 2026-12-31; "
            "3 Meeting from 80%, 4 Exceeding from 120%) → 3 Meeting"
        )
        assert "Sudden" not in text_of(app, "#flags-net_expansion_revenue")
        assert "⚑ Sudden change: +50% since 24 points on 2026-09-03" in text_of(app, "#flags-nps")
        await fill(pilot, "results-at_risk_saves_count-actual", "2")  # nothing saved since September
        assert "⚑ Pace changed -49% since 2026-09-03" in text_of(app, "#flags-at_risk_saves_count")


def lucias_check_in(tmp_path: Path, speed: str, reopen: str) -> None:
    """Lucia Gomez's plan and a September check-in with first response time and reopen rate."""
    shutil.copy(LUCIA_PLAN, tmp_path)
    plan = load_session(LUCIA_PLAN)
    source = discover_rubrics().by_id[plan.rubric.id]
    when = dt.datetime(2026, 9, 1, 10, 0, tzinfo=dt.UTC)
    draft = checkin_from(plan, source.rubric, "5e9c5e9c5e9c5e9c5e9c5e9c5e9c5e9c", when)
    figures = {"first_response_time": speed, "reopen_rate": reopen}
    results = [r.model_copy(update={"actual": figures.get(r.metric, "")}) for r in draft.results]
    draft = draft.model_copy(update={"results": results})
    save_session(recorded_session(draft, source.rubric, source.sha256, when), tmp_path)


@pytest.mark.parametrize(
    ("reopen_now", "watched"), [("8", True), ("5", False)], ids=["guardrail-worse", "guardrail-better"]
)
async def test_a_check_in_watches_a_metric_that_improved_while_its_guardrail_got_worse(
    tmp_path: Path, reopen_now: str, watched: bool
) -> None:
    lucias_check_in(tmp_path, speed="5", reopen="6")
    app = make_app(tmp_path, Clock(OCTOBER))
    async with app.run_test(size=(100, 40)) as pilot:
        await start(pilot, "c")
        await fill(pilot, "results-first_response_time-actual", "3.5")
        await fill(pilot, "results-reopen_rate-actual", reopen_now)
        warning = (
            "⚑ Watch the guardrail: Time to first response improved (5 hours → 3.5 hours) while Reopen rate "
            "got worse (6 % → 8 %) since 2026-09-01"
        )
        assert (warning in text_of(app, "#flags-first_response_time")) is watched
        await step(pilot)
        await step(pilot)
        await step(pilot)
        await step(pilot)  # the development plan (none in this plan)
        assert isinstance(app.screen, RecordStep)
        assert (warning in text_of(app, "#checkin-summary")) is watched


async def test_the_reviews_results_show_the_last_check_in_and_watch_the_guardrail(tmp_path: Path) -> None:
    lucias_check_in(tmp_path, speed="5", reopen="6")
    app = make_app(tmp_path, Clock(dt.datetime(2027, 1, 10, 10, 0, tzinfo=dt.UTC)))
    async with app.run_test(size=(100, 40)) as pilot:
        await start(pilot, "r")
        await step(pilot)  # the impact recap, as agreed
        assert isinstance(app.screen, ResultsStep)
        shown = [str(widget.render()) for widget in app.screen.query(".metric-block .sentence")]
        assert "Last check-in: 5 hours on 2026-09-01" in shown
        assert "Last check-in: 6 % on 2026-09-01" in shown
        assert len(shown) == 2, "only metrics with a check-in figure say so"
        await fill(pilot, "results-first_response_time-actual", "3")
        await fill(pilot, "results-reopen_rate-actual", "9")
        level = text_of(app, "#level-first_response_time")
        assert "⚑ Watch the guardrail: Time to first response improved (5 hours → 3 hours)" in level
        await fill(pilot, "results-reopen_rate-actual", "4")
        assert "guardrail" not in text_of(app, "#level-first_response_time")


async def test_a_check_ins_record_view_holds_its_notes_flags_and_actions(tmp_path: Path) -> None:
    shutil.copy(SESSIONS / "2026-11-05_check-in_ana-ruiz_e2f3a4b5.toml", tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await step(pilot, "enter")
        assert isinstance(app.screen, RecordScreen)
        document = app.screen.query_one(Markdown).source
        assert "**Discussion:** Jump after the recovery calls" in document
        assert "⚑ Sudden change: +50% since 24 points on 2026-09-03." in document
        # Carried in past its date and still open: flagged, as of the check-in's day.
        assert (
            "| Share the detractor call-back rule with the team | Bo Li "
            "| 2026-09-20 ⚑ overdue by 46 days at this check-in | open |"
        ) in document
        await step(pilot, "m")
        await app.workers.wait_for_complete()
    exported = (tmp_path / "exports" / "2026-11-05_check-in_ana-ruiz_e2f3a4b5.md").read_text()
    assert exported == document


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_checkin_record_view_snapshot(
    snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    # The view shows the record's path: a relative one reads the same on every run.
    monkeypatch.chdir(tmp_path)
    Path("sessions").mkdir()
    shutil.copy(SESSIONS / "2026-11-05_check-in_ana-ruiz_e2f3a4b5.toml", "sessions")

    async def open_record(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("pagedown")  # past the heading, to the figures and their readings
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(Path("sessions")), terminal_size=size, run_before=open_record)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_review_results_beside_the_last_check_in_snapshot(
    snap_compare, tmp_path: Path, size: tuple[int, int]
) -> None:
    from reviewtui.review.rules import review_from_plan
    from reviewtui.storage.drafts import save_draft

    lucias_check_in(tmp_path, speed="5", reopen="6")
    [checkin] = tmp_path.glob("*_check-in_*.toml")
    plan = load_session(checkin)
    rubric = discover_rubrics().by_id[plan.rubric.id].rubric
    when = dt.datetime(2027, 1, 10, 10, 0, tzinfo=dt.UTC)
    draft = review_from_plan(plan, rubric, "4e714e714e714e714e714e714e714e71", when)
    typed = {"first_response_time": "3", "reopen_rate": "9"}
    results = [r.model_copy(update={"actual": typed.get(r.metric, "")}) for r in draft.results]
    save_draft(draft.model_copy(update={"results": results, "step": 2}), tmp_path)  # after agenda and recap

    async def results_step(pilot) -> None:  # the draft is resumed: nothing typed, nothing autosaved
        await pilot.app.workers.wait_for_complete()
        await pilot.press("enter")
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=results_step)


def test_the_examples_still_score_as_before() -> None:
    from reviewtui.score.weighted import score

    catalog = discover_rubrics().by_id
    totals = {}
    for path in sorted(SESSIONS.glob("*_review_*.toml")):
        session = load_session(path)
        source = catalog[session.rubric.id]
        breakdown = score(session, source.rubric, source.sha256)
        assert not breakdown.rubric_changed, path.name
        totals[path.name] = breakdown.total
    assert totals == {
        "2027-01-12_review_ana-ruiz_a1b2c3d4.toml": Decimal("3.41"),
        "2027-01-13_review_dev-patel_b2c3d4e5.toml": Decimal("3.17"),  # as before the rubric files changed
        "2027-01-14_review_mei-chen_c3d4e5f6.toml": Decimal("3.33"),
    }
