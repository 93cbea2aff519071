"""The cadence as the pair meet it: set on the plan's agree step and a check-in's record step,
late actions flagged on the actions step, and who is due on the home screen."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static

from factories import AGREE_STEP, EXAMPLE_PLAN, EXAMPLE_TEAM, csm_draft
from pilot_helpers import Clock, choose, fill, make_app, steady
from reviewtui.checkins.rules import checkin_from
from reviewtui.models.draft import CHECKIN_STEPS
from reviewtui.storage import bundled_rubrics_dir, load_rubric, load_session
from reviewtui.storage.drafts import save_draft
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.steps.agree import AgreeStep
from reviewtui.ui.steps.checkin import ActionsStep, ActualsStep, RecordStep
from test_cadence import NOV_CHECKIN, team_with_dates

RUBRIC = load_rubric(bundled_rubrics_dir() / "customer-success-manager.toml").rubric
CONFIRMED = {"employee_confirmed": True, "manager_confirmed": True}


async def resume(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.press("enter")
    await pilot.pause()


def shown(pilot, selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


async def test_the_plan_agrees_a_cadence_and_the_next_check_in(tmp_path: Path) -> None:
    save_draft(csm_draft(AGREE_STEP, **CONFIRMED), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        assert isinstance(app.screen, AgreeStep)
        day = app.screen.query_one("#next_checkin", Input)
        assert day.value == ""
        await choose(pilot, "cadence", "fortnightly")
        assert day.value == "2026-07-15", "the day follows from the cadence, from the plan's day"
        assert shown(pilot, "#next-checkin-day") == "Wednesday, in 2 weeks"
        await choose(pilot, "cadence", "monthly")
        assert day.value == "2026-08-01", "a day the cadence gave follows a new cadence"
        await fill(pilot, "next_checkin", "2026-07-16")
        assert shown(pilot, "#next-checkin-day") == "Thursday, in 15 days"
        await choose(pilot, "cadence", "quarterly")
        assert day.value == "2026-07-16", "a day typed by the pair stays"
        await fill(pilot, "next_checkin", "2026-06-30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AgreeStep), "a next check-in before the plan's day is refused"
        assert "comes after this meeting" in str(app.screen.query_one("#err-next_checkin").render())
        await fill(pilot, "next_checkin", "2026-07-08")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [record] = tmp_path.glob("*_alignment_*.toml")
    plan = load_session(record)
    assert (plan.cadence, plan.next_checkin) == ("quarterly", dt.date(2026, 7, 8))


def plan_with_cadence(sessions: Path) -> None:
    path = sessions / EXAMPLE_PLAN
    shutil.copy(EXAMPLE_TEAM / EXAMPLE_PLAN, path)
    text = path.read_text().replace(
        "\n[rubric]", '\ncadence = "monthly"\nnext_checkin = 2026-08-03\n\n[rubric]', 1
    )
    path.write_text(text)
    assert load_session(path).cadence == "monthly"


async def test_a_check_in_sets_the_next_one_from_its_day_and_may_change_the_cadence(tmp_path: Path) -> None:
    plan_with_cadence(tmp_path)
    app = make_app(tmp_path, Clock(dt.datetime(2026, 10, 1, 10, 0, tzinfo=dt.UTC)))
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+n")  # past the agenda: nothing on it
        await pilot.pause()
        assert isinstance(app.screen, ActualsStep)
        await fill(pilot, "results-gross_retention-actual", "95")
        for _ in range(4):  # targets, development, actions, record
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert isinstance(app.screen, RecordStep)
        assert app.screen.query_one("#cadence", Select).value == "monthly"
        assert app.screen.query_one("#next_checkin", Input).value == "2026-11-01"
        await fill(pilot, "next_checkin", "01/11/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RecordStep), "a day that does not read stops the record"
        status = str(app.screen.query_one("#step-status").render())
        assert status == "Fix the next check-in below, then Ctrl+S.", "the mark is on this step, not behind"
        await fill(pilot, "next_checkin", "2026-11-01")
        await choose(pilot, "cadence", "quarterly")
        assert app.screen.query_one("#next_checkin", Input).value == "2027-01-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [record] = tmp_path.glob("*_check-in_*.toml")
    checkin = load_session(record)
    assert (checkin.cadence, checkin.next_checkin) == ("quarterly", dt.date(2027, 1, 1))


def november_actions_draft(sessions: Path) -> None:
    """The check-in after the November one, opened on its actions step on 2026-11-05's actions."""
    base = load_session(EXAMPLE_TEAM / NOV_CHECKIN)
    draft = checkin_from(base, RUBRIC, "c6" * 16, dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC))
    save_draft(draft.model_copy(update={"step": CHECKIN_STEPS.index("checkin_actions")}), sessions)


async def test_an_action_past_its_date_is_flagged_until_it_is_done(tmp_path: Path) -> None:
    november_actions_draft(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        assert isinstance(app.screen, ActionsStep)
        texts = [action.text for action in app.screen.draft.actions]
        late = texts.index("Share the detractor call-back rule with the team")
        flag = app.screen.query_one(f"#actions-{late}-late", Static)
        assert flag.display and str(flag.render()) == "⚑ Overdue by 61 days: it was due 2026-09-20."
        on_time = texts.index("Renewal plan for the three price-pressure accounts")
        assert not app.screen.query_one(f"#actions-{on_time}-late", Static).display
        await choose(pilot, f"actions-{late}-status", "done")
        assert not flag.display, "a done action is not late"
        await fill(pilot, f"actions-{on_time}-due", "2026-11-01")
        assert str(app.screen.query_one(f"#actions-{on_time}-late", Static).render()).startswith(
            "⚑ Overdue by 19 days"
        )


async def test_home_shows_who_is_overdue(tmp_path: Path) -> None:
    sessions = team_with_dates(tmp_path)
    app = make_app(sessions, Clock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#records", DataTable)
        assert [str(column.label) for column in table.ordered_columns][-1] == "Check-in"
        marks = {str(table.get_row_at(i)[0]): table.get_row_at(i)[-1] for i in range(table.row_count)}
        assert marks["Ana Ruiz"] == "⚑ overdue 3d"
        assert marks["Mei Chen"] == "", "no date set: nothing to say"


async def test_home_has_no_check_in_column_while_nobody_is_due(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE_TEAM, tmp_path / "sessions")
    app = make_app(tmp_path / "sessions", Clock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#records", DataTable)
        assert "Check-in" not in [str(column.label) for column in table.ordered_columns]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_home_due_snapshot(snap_compare, tmp_path: Path, monkeypatch, size: tuple[int, int]) -> None:
    team_with_dates(tmp_path)
    monkeypatch.chdir(tmp_path)  # the title names the folder: the same on every run

    async def settle(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await steady(pilot)

    app = make_app(Path("sessions"), Clock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)))
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_late_action_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    november_actions_draft(tmp_path)

    async def open_draft(pilot) -> None:
        await resume(pilot)
        late = [a.text for a in pilot.app.screen.draft.actions].index(
            "Share the detractor call-back rule with the team"
        )
        pilot.app.screen.query_one(f"#actions-{late}-text", Input).focus()
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=open_draft)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_agree_step_cadence_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    save_draft(csm_draft(AGREE_STEP, cadence="monthly", next_checkin="2026-08-03"), tmp_path)

    async def to_the_cadence(pilot) -> None:
        await resume(pilot)
        pilot.app.screen.query_one("#next_checkin", Input).focus(scroll_visible=False)
        await pilot.pause()
        # To the end at once: a focus's animated scroll may still be moving when a busy machine shoots.
        pilot.app.screen.query_one("#step-body").scroll_end(animate=False)
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=to_the_cadence)
