"""Each step on its own: snapshots, resuming, Back without loss, errors beside fields, autosave, Ctrl+Q."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, SelectionList

from factories import AGREE_STEP, csm_draft
from pilot_helpers import Clock, fill, make_app, steady, type_text
from reviewtui.storage import load_session
from reviewtui.storage.drafts import draft_path, load_draft, save_draft
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.steps.agree import AgreeStep
from reviewtui.ui.steps.impact import ImpactMapStep
from reviewtui.ui.steps.metrics import MetricsStep
from reviewtui.ui.steps.participants import ParticipantsStep
from reviewtui.ui.steps.targets import TargetsStep
from reviewtui.ui.widgets import FieldError


def errors_on_screen(screen) -> dict[str, str]:
    return {error.key: str(error.render()) for error in screen.query(FieldError) if error.has_class("-shown")}


async def resume(pilot) -> None:
    """From the home screen, resume the first draft with Enter."""
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("enter")
    await pilot.pause()
    await steady(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("step", [0, 1, 2, 3, 4, 5])
def test_step_snapshot(snap_compare, tmp_path: Path, step: int, size: tuple[int, int]) -> None:
    save_draft(csm_draft(step), tmp_path)
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=resume)


async def test_an_interrupted_draft_is_resumed_and_finished(tmp_path: Path) -> None:
    save_draft(
        csm_draft(3, metrics=[m.model_copy(update={"weight": ""}) for m in csm_draft().metrics]),
        tmp_path / "case1",
    )
    app = make_app(tmp_path / "case1")
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        assert isinstance(app.screen, TargetsStep)
        for metric_id, weight in (("gross_retention", "40"), ("at_risk_saves_count", "20")):
            await fill(pilot, f"metrics-{metric_id}-weight", weight)
        await fill(pilot, "metrics-net_expansion_revenue-weight", "25")
        await fill(pilot, "metrics-at_risk_outreach-weight", "15")
        await pilot.press("ctrl+n", "ctrl+n")  # targets, then the development plan (none: optional)
        await pilot.pause()
        assert isinstance(app.screen, AgreeStep)
        await pilot.press("tab", "space", "tab", "space", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [record] = (tmp_path / "case1").glob("*.toml")
    session = load_session(record)
    assert session.id == "c0ffee00c0ffee00c0ffee00c0ffee00"
    assert [m.weight for m in session.metrics] == [40, 20, 25, 15]
    assert not draft_path(tmp_path / "case1", session.id).exists()


async def test_back_and_unchoosing_never_lose_what_was_typed(tmp_path: Path) -> None:
    save_draft(csm_draft(1), tmp_path / "case2")
    app = make_app(tmp_path / "case2")
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        await fill(pilot, "impact_map-0-how", "Typed, then left with Back")
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantsStep)
        assert app.screen.query_one("#employee_name", Input).value == "Ana Ruiz"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.query_one("#impact_map-0-how", Input).value == "Typed, then left with Back"
        await pilot.press("ctrl+n", "ctrl+n")
        await pilot.pause()
        await fill(pilot, "metrics-gross_retention-target", "97.5")
        await pilot.press("ctrl+b")
        await pilot.pause()
        selection = app.screen.query_one("#metric-list", SelectionList)
        selection.deselect("gross_retention")
        await pilot.pause()
        selection.select("gross_retention")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.query_one("#metrics-gross_retention-target", Input).value == "97.5"


async def test_each_step_says_what_is_missing_beside_the_field(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+o")  # an empty partner row
        await pilot.pause()
        await fill(pilot, "period_start", "2026-13-01")
        await fill(pilot, "period_end", "July")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantsStep), "a step with errors cannot be confirmed"
        assert errors_on_screen(app.screen) == {
            "employee_name": "Type the employee's name.",
            "rubric_id": "Choose the employee's role; it picks the rubric.",
            "manager_name": "Type the manager's name.",
            "partners.0.name": "Name this partner, or remove the row.",
            "partners.0.function": "Say the partner's function, e.g. sales or product.",
            "period_start": "Type the first day as YYYY-MM-DD.",
            "period_end": "Type the last day as YYYY-MM-DD.",
        }
        # Errors clear as they are fixed.
        app.screen.query_one("#employee_name", Input).focus()
        await type_text(pilot, "Ana")
        await pilot.pause()
        assert "employee_name" not in errors_on_screen(app.screen)

    save_draft(
        csm_draft(1, impact_map=[csm_draft().impact_map[0].model_copy(update={"how": ""})]),
        tmp_path / "case3",
    )
    app = make_app(tmp_path / "case3")
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ImpactMapStep)
        assert errors_on_screen(app.screen) == {
            "impact_map.0.how": "Say how the activity drives the outcome."
        }

    save_draft(csm_draft(2, metrics=csm_draft().metrics[:1]), tmp_path / "case4")
    app = make_app(tmp_path / "case4")
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, MetricsStep)
        assert errors_on_screen(app.screen) == {
            "metrics": "1 metric chosen; choose at least 3. No leading metric: add one that gives early warning, "
            "such as Proactive outreach to at-risk accounts or Business reviews held with a client sponsor."
        }

    bad = [
        m.model_copy(update={"target": "lots", "weight": "50", "baseline": "1O"}) for m in csm_draft().metrics
    ]
    save_draft(csm_draft(3, metrics=bad), tmp_path / "case5")
    app = make_app(tmp_path / "case5")
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        shown = errors_on_screen(app.screen)
        assert shown["metrics.gross_retention.target"] == "Type a number, such as 95 or 4.5."
        assert (
            shown["metrics.gross_retention.baseline"]
            == "Type a number, such as 95 or 4.5, or leave it empty."
        )
        assert shown["weights"] == "Weights total 200; remove 100."

    save_draft(csm_draft(AGREE_STEP), tmp_path / "case6")
    app = make_app(tmp_path / "case6")
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AgreeStep)
        assert errors_on_screen(app.screen) == {
            "employee_confirmed": "The employee confirms the plan.",
            "manager_confirmed": "The manager confirms the plan.",
        }


async def test_edits_are_autosaved_within_two_seconds(tmp_path: Path) -> None:
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Ana")
        await pilot.pause(1.6)
        [path] = (tmp_path / ".drafts").glob("*.toml")
        assert load_draft(path).employee_name == "Ana"


async def test_ctrl_q_saves_what_was_just_typed_and_quits(tmp_path: Path) -> None:
    save_draft(csm_draft(0), tmp_path / "case7")
    app = make_app(tmp_path / "case7")
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        await fill(pilot, "manager_name", "Bo Li-Okafor")
        await pilot.press("ctrl+q")  # well within the autosave delay
        await pilot.pause()
    assert app.return_code == 0
    assert (
        load_draft(draft_path(tmp_path / "case7", "c0ffee00c0ffee00c0ffee00c0ffee00")).manager_name
        == "Bo Li-Okafor"
    )


async def test_starting_and_leaving_at_once_leaves_no_empty_draft(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert not list(tmp_path.glob(".drafts/*.toml"))


async def test_f1_shows_the_steps_help_with_the_rubrics_questions(tmp_path: Path) -> None:
    from textual.widgets import Markdown

    from reviewtui.ui.help import HelpScreen

    save_draft(csm_draft(1), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one(Markdown).source
        assert text.startswith("## Role impact map")
        rubric = app.catalog.get("customer-success-manager").rubric
        assert all(question in text for question in rubric.prompts.impact_map)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ImpactMapStep)
