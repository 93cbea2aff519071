"""Check-ins: actuals with their trend, a target changed with its reason, actions carried over."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import Input, Sparkline, Static

from factories import EXAMPLE_PLAN
from pilot_helpers import Clock, choose, fill, make_app, steady
from reviewtui.storage import load_session
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.steps.checkin import ActionsStep, ActualsStep, PlanChangesStep, RecordStep
from reviewtui.ui.steps.development import CheckinDevelopmentStep

ROOT = Path(__file__).parent.parent


async def start_checkin(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.press("c")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("ctrl+n")  # past the agenda (no open topics), to the figures
    await pilot.pause()


async def record(pilot) -> None:
    await pilot.press("ctrl+n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RecordStep)
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)


async def test_two_check_ins_record_actuals_adjust_a_target_and_carry_an_action(tmp_path: Path) -> None:
    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    plan = load_session(tmp_path / EXAMPLE_PLAN)
    app = make_app(tmp_path, Clock(dt.datetime(2026, 10, 1, 10, 0, tzinfo=dt.UTC)))
    async with app.run_test(size=(100, 40)) as pilot:
        await start_checkin(pilot)
        assert isinstance(app.screen, ActualsStep)
        await fill(pilot, "results-gross_retention-actual", "90")  # well under the target of 96
        await fill(pilot, "results-nps-actual", "30")
        flags = str(app.screen.query_one("#flags-gross_retention", Static).render())
        assert flags.startswith("⚑ Off track: 90 % is 93.7% of the target 96")
        await fill(pilot, "results-gross_retention-note", "Two churned after an acquisition")
        await pilot.press("ctrl+n")
        await pilot.pause()

        assert isinstance(app.screen, PlanChangesStep)
        await fill(pilot, "metrics-nps-target", "32")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, PlanChangesStep), "a changed target needs its reason"
        assert "A changed target or weight needs its reason." in str(
            app.screen.query_one("#err-changes-nps-reason").render()
        )
        await fill(pilot, "changes-nps-reason", "Survey moved to a new vendor; scores run lower")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, CheckinDevelopmentStep)  # the plan agreed none: none to follow
        await pilot.press("ctrl+n")
        await pilot.pause()

        assert isinstance(app.screen, ActionsStep)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await fill(pilot, "actions-0-text", "Exec call with Contoso")
        await fill(pilot, "actions-0-owner", "Ana Ruiz")
        await fill(pilot, "actions-0-due", "2026-10-15")
        await choose(pilot, "actions-0-status", "open")
        await record(pilot)

    [first] = tmp_path.glob("*_check-in_*.toml")
    checkin = load_session(first)
    assert (checkin.kind, checkin.status, checkin.follows) == ("check-in", "recorded", plan.id)
    retention = checkin.metric("gross_retention")
    assert [(a.value, a.note) for a in retention.actuals] == [
        (Decimal(90), "Two churned after an acquisition")
    ]
    assert checkin.metric("nps").target == Decimal(32)
    [change] = checkin.adjustments
    assert (change.metric, change.field, change.old, change.new, change.by) == (
        "nps",
        "target",
        Decimal(35),
        Decimal(32),
        "Bo Li",
    )
    assert change.reason == "Survey moved to a new vendor; scores run lower"
    assert [(a.text, a.status) for a in checkin.actions] == [("Exec call with Contoso", "open")]

    # The next check-in builds on this one: the trend shows the recorded figure, the action carries over.
    app = make_app(tmp_path, Clock(checkin.updated_at))
    async with app.run_test(size=(100, 40)) as pilot:
        await start_checkin(pilot)
        assert isinstance(app.screen, ActualsStep)
        assert list(app.screen.query_one("#spark-gross_retention", Sparkline).data) == [90.0]
        assert "90" in str(app.screen.query_one(".trend-text", Static).render())
        await fill(pilot, "results-gross_retention-actual", "95")
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ActionsStep)
        assert app.screen.query_one("#actions-0-text", Input).value == "Exec call with Contoso"
        await choose(pilot, "actions-0-status", "done")
        await record(pilot)

    second = next(p for p in tmp_path.glob("*_check-in_*.toml") if p != first)
    later = load_session(second)
    assert later.follows == checkin.id
    assert [a.value for a in later.metric("gross_retention").actuals] == [Decimal(90), Decimal(95)]
    assert later.metric("nps").target == Decimal(32) and len(later.adjustments) == 1
    assert [(a.text, a.status, a.carried_from) for a in later.actions] == [
        ("Exec call with Contoso", "done", checkin.id)
    ]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("step", [1, 2, 3, 4, 5], ids=["actuals", "plan", "development", "actions", "record"])
def test_checkin_step_snapshot(snap_compare, tmp_path: Path, step: int, size: tuple[int, int]) -> None:
    from factories import csm_checkin_draft
    from reviewtui.storage.drafts import save_draft

    save_draft(csm_checkin_draft(step), tmp_path)

    async def resume(pilot) -> None:
        await pilot.press("enter")
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=resume)


async def test_a_check_in_takes_a_figures_evidence_from_the_log(tmp_path: Path) -> None:
    from reviewtui.storage.evidence import append_entry
    from test_evidence_app import ENTRY

    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    append_entry(tmp_path, "Ana Ruiz", ENTRY)
    app = make_app(tmp_path, Clock(dt.datetime(2026, 10, 1, 10, 0, tzinfo=dt.UTC)))
    async with app.run_test(size=(100, 40)) as pilot:
        await start_checkin(pilot)
        app.screen.query_one("#results-gross_retention-actual", Input).focus()
        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        evidence = app.screen.query_one("#results-gross_retention-evidence", Input).value
        assert evidence == f"{ENTRY.text} (log {ENTRY.id}, 2026-08-20)"


async def test_the_check_in_chooser_offers_plans_only(tmp_path: Path) -> None:
    from textual.widgets import OptionList

    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("c")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.option_count == 1, "a check-in follows a plan: no 'from scratch'"
        assert "Ana Ruiz" in str(options.get_option_at_index(0).prompt)
