"""The experiment log in the app: x from home, adding, editing and ending one, pulling one into a review."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from factories import EXAMPLE_PLAN, csm_review_draft
from pilot_helpers import START, choose, fill, make_app, steady
from reviewtui.models.draft import REVIEW_SECTIONS
from reviewtui.models.experiments import Experiment
from reviewtui.record.summary import record_markdown
from reviewtui.storage import bundled_rubrics_dir, load_rubric, load_session
from reviewtui.storage.drafts import draft_path, load_draft, save_draft
from reviewtui.storage.experiments import add_experiment, load_experiments
from reviewtui.ui.experiments import ExperimentFormScreen, ExperimentPickerScreen, ExperimentsScreen
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.steps.review_sections import CompetenciesStep

ROOT = Path(__file__).parent.parent
FAILED = Experiment(
    id="0a1b2c3d4e5f",
    logged_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
    title="Health-score triage every Monday",
    bottleneck="Red accounts waited a week for a first call",
    hypothesis="A fixed Monday triage halves the time to a first call",
    change="Every Monday, the CSMs triage the accounts that turned red",
    started_on=dt.date(2026, 3, 2),
    ended_on=dt.date(2026, 4, 27),
    outcome="did_not_work",
    result="Time to a first call went from 6.1 to 5.8 days",
    learned="Accounts turn red midweek: a weekly slot cannot be faster than the week",
    metric="gross_retention",
)
RUNNING = Experiment(
    id="5f4e3d2c1b0a",
    logged_at=dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC),
    title="Alert on red the same day",
    hypothesis="Calling on the day an account turns red saves more renewals",
    change="A same-day alert to the account's CSM",
    started_on=dt.date(2026, 5, 4),
)


def with_log(folder: Path, *, plan: bool = True) -> Path:
    if plan:  # the employee's record, for home's row; a draft alone names them too
        shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, folder)
    for experiment in (FAILED, RUNNING):
        add_experiment(folder, "Ana Ruiz", experiment)
    return folder / "experiments_ana-ruiz.toml"


async def test_x_logs_edits_and_ends_an_experiment_for_the_highlighted_employee(tmp_path: Path) -> None:
    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExperimentsScreen)
        assert app.screen.query_one(DataTable).row_count == 0
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ExperimentFormScreen)
        await pilot.press("ctrl+s")  # nothing typed: refused beside each field, nothing written
        await pilot.pause()
        errors = {e.key: str(e.render()) for e in app.screen.query("FieldError") if e.has_class("-shown")}
        assert set(errors) == {"title", "hypothesis", "change"}
        assert not (tmp_path / "experiments_ana-ruiz.toml").exists()
        await fill(pilot, "title", "Renewal prep at 90 days")
        await fill(pilot, "hypothesis", "Earlier prep saves at-risk renewals")
        await fill(pilot, "change", "Start renewal prep at 90 days, not 30")
        await fill(pilot, "started_on", "2026-05-01")
        await choose(pilot, "metric", "Gross revenue retention (book)")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExperimentsScreen)
        assert app.screen.query_one(DataTable).get_row_at(0)[:4] == [
            "2026-05-01",
            "",
            "Running",
            "Renewal prep at 90 days",
        ]
        await pilot.press("enter")  # edit (as e does): the fields hold what was logged
        await pilot.pause()
        await fill(pilot, "bottleneck", "Renewals were prepared in their last month")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("o")  # end it: the outcome must be chosen, the lesson written
        await pilot.pause()
        assert app.screen.query_one("#ended_on").value == "2026-07-01"  # today, by the test's clock
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Choose how it turned out" in str(app.screen.query_one("#err-outcome").render())
        await choose(pilot, "outcome", "Mixed")
        await fill(pilot, "result", "2 of 3 at-risk renewals saved")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Write what was learned." in str(app.screen.query_one("#err-learned").render())
        await fill(pilot, "learned", "Prep helps only where the sponsor is still there")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExperimentsScreen)
        assert app.screen.query_one(DataTable).get_row_at(0)[1:3] == ["2026-07-01", "Mixed"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [experiment] = load_experiments(tmp_path / "experiments_ana-ruiz.toml").entries
    assert (experiment.outcome, experiment.ended_on, experiment.metric) == (
        "mixed",
        dt.date(2026, 7, 1),
        "gross_retention",
    )
    assert experiment.bottleneck == "Renewals were prepared in their last month"
    assert experiment.learned == "Prep helps only where the sponsor is still there"


async def test_a_review_pulls_experiments_into_process_improvement_and_the_record_keeps_them(
    tmp_path: Path,
) -> None:
    with_log(tmp_path, plan=False)
    save_draft(csm_review_draft(1 + REVIEW_SECTIONS.index("competencies")), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CompetenciesStep)
        pulled = app.screen.query_one("#pulled-experiments-text", Static)
        assert "none pulled yet" in str(pulled.render())
        for keys in (["end", "enter"], ["enter"]):  # the oldest (listed last), then the newest
            await pilot.press("ctrl+l")
            await pilot.pause()
            assert isinstance(app.screen, ExperimentPickerScreen)
            await pilot.press(*keys)
            await pilot.pause()
        assert isinstance(app.screen, CompetenciesStep)
        assert [e.id for e in app.screen.draft.experiments] == [FAILED.id, RUNNING.id]
        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press("enter")  # the running one, marked ✓: chosen again, it is taken out
        await pilot.pause()
        assert [e.id for e in app.screen.draft.experiments] == [FAILED.id]
        assert "Did not work" in str(app.screen.query_one("#pulled-experiments-text", Static).render())
        app.save_draft_now()
        draft = load_draft(draft_path(tmp_path, app.screen.draft.id))
        assert [e.id for e in draft.experiments] == [FAILED.id]  # autosaved with the draft
        await pilot.press(*["ctrl+n"] * (len(REVIEW_SECTIONS) - 1 - REVIEW_SECTIONS.index("competencies")))
        await pilot.pause()
        app.screen.query_one("#employee_confirmed").focus()
        await pilot.press("space", "tab", "space", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [review] = tmp_path.glob("*_review_*.toml")
    record = load_session(review)
    assert record.experiments == [FAILED]  # a copy, as it stood in the log, failure and lesson kept
    rubric = load_rubric(bundled_rubrics_dir() / "customer-success-manager.toml").rubric
    markdown = record_markdown(record, rubric)
    section = markdown[markdown.index("### Experiments (Process improvement)") :]
    for part in (
        "**Health-score triage every Monday** (2026-03-02 to 2026-04-27; Did not work)",
        "**Hypothesis:** A fixed Monday triage halves the time to a first call",
        "**Change tried:** Every Monday, the CSMs triage the accounts that turned red",
        "**Result:** Time to a first call went from 6.1 to 5.8 days",
        "**What was learned:** Accounts turn red midweek",
        "**Metric it was meant to move:** Gross revenue retention (book)",
    ):
        assert part in section


async def test_the_picker_says_when_nothing_is_logged(tmp_path: Path) -> None:
    save_draft(csm_review_draft(1 + REVIEW_SECTIONS.index("competencies")), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, ExperimentPickerScreen)
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "No experiment logged for Ana Ruiz yet" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CompetenciesStep) and app.screen.draft.experiments == []


async def _open_log(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.press("x")
    await pilot.pause()
    await pilot.press("down")  # the failed one: its lesson shown whole below the table
    await pilot.pause()


async def _open_end_form(pilot) -> None:
    await _open_log(pilot)
    await pilot.press("up", "o")
    await pilot.pause()
    await steady(pilot)


async def _competencies_with_one_pulled(pilot) -> None:
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("ctrl+l")
    await pilot.pause()
    await pilot.press("end", "enter")
    await pilot.pause()
    pilot.app.screen.query_one("#pulled-experiments").scroll_visible(animate=False, top=True)
    await pilot.pause()
    await steady(pilot)
    pilot.app.save_draft_now()
    pilot.app.clear_notifications()  # the toast's timing is the machine's, not the screen's
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_experiment_log_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    with_log(tmp_path)
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_open_log)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_experiment_end_form_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    with_log(tmp_path)
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_open_end_form)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_competencies_with_a_pulled_experiment_snapshot(
    snap_compare, tmp_path: Path, size: tuple[int, int]
) -> None:
    with_log(tmp_path, plan=False)
    save_draft(csm_review_draft(1 + REVIEW_SECTIONS.index("competencies")), tmp_path)
    # A clock that stands still: the title bar's "draft saved" time then does not depend on
    # how many times a busy machine read the clock before the autosave.
    app = make_app(tmp_path, clock=lambda: START)  # type: ignore[arg-type]
    assert snap_compare(app, terminal_size=size, run_before=_competencies_with_one_pulled)
