"""A development plan that lives: agreed in the plan, followed at each check-in, reviewed, carried on."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input, Select, Static

from factories import EXAMPLE_PLAN, csm_draft, csm_review_draft
from pilot_helpers import Clock, choose, fill, make_app, steady
from reviewtui.checkins.rules import checkin_from, recorded_session
from reviewtui.models.draft import ALIGNMENT_STEPS, CHECKIN_STEPS, DraftFeedback, DraftObjective
from reviewtui.models.review_parts import DevelopmentObjective
from reviewtui.plan.objectives import (
    draft_objective,
    feedback_gaps,
    last_open_objectives,
    objective_records,
    objectives_errors,
    open_objectives,
)
from reviewtui.plan.rules import agreed_session
from reviewtui.record.summary import record_markdown
from reviewtui.review.rules import review_from_plan
from reviewtui.storage import bundled_rubrics_dir, load_rubric, load_session
from reviewtui.storage.drafts import save_draft
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.steps.agree import AgreeStep
from reviewtui.ui.steps.checkin import ActionsStep
from reviewtui.ui.steps.development import CheckinDevelopmentStep, DevelopmentStep

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "src" / "reviewtui" / "examples"
REVIEW = "2027-01-12_review_ana-ruiz_a1b2c3d4.toml"
DEVELOPMENT = ALIGNMENT_STEPS.index("development")
NOW = dt.datetime(2026, 7, 2, 10, 0, tzinfo=dt.UTC)
CSM = load_rubric(bundled_rubrics_dir() / "customer-success-manager.toml").rubric

OBJECTIVE = DraftObjective(
    id="0bec7170bec7",
    objective="Run QBRs without the manager",
    actions="Shadow two; lead three",
    owner="Ana Ruiz",
    due="2026-12-15",
    support="Bo reviews the first deck",
    success_measure="Three sponsor QBRs led alone",
    addresses_metric="gross_retention",
)


def plan_with_objective():
    return agreed_session(csm_draft(objectives=[OBJECTIVE]), CSM, "a" * 64, NOW)


def test_the_plan_agrees_objectives_with_their_id_status_and_link() -> None:
    plan = plan_with_objective()
    [objective] = plan.development
    assert (objective.id, objective.status, objective.addresses_metric) == (
        "0bec7170bec7",
        "not_started",
        "gross_retention",
    )
    assert objective.actions == ["Shadow two", "lead three"]


def test_a_check_in_follows_the_objectives_and_the_review_gets_them_as_they_stood() -> None:
    plan = plan_with_objective()
    draft = checkin_from(plan, CSM, "c4ec4ec4ec4ec4ec4ec4ec4ec4ec4ec4", NOW + dt.timedelta(days=60))
    assert [row.id for row in draft.objectives] == ["0bec7170bec7"]
    moved = draft.objectives[0].model_copy(update={"status": "in_progress", "progress": "Shadowed two QBRs"})
    results = [r.model_copy(update={"actual": "95"}) for r in draft.results[:1]] + draft.results[1:]
    checkin = recorded_session(
        draft.model_copy(update={"objectives": [moved], "results": results}),
        CSM,
        "a" * 64,
        NOW + dt.timedelta(days=60),
    )
    [objective] = checkin.development
    assert (objective.id, objective.status, objective.progress) == (
        "0bec7170bec7",
        "in_progress",
        "Shadowed two QBRs",
    )
    review = review_from_plan(checkin, CSM, "7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e", NOW + dt.timedelta(days=180))
    assert [(row.id, row.status, row.progress, row.addresses_metric) for row in review.objectives] == [
        ("0bec7170bec7", "in_progress", "Shadowed two QBRs", "gross_retention")
    ]


def test_only_open_objectives_carry_into_the_next_plan_and_old_ones_get_an_id() -> None:
    review = load_session(EXAMPLES / REVIEW)
    [carried] = open_objectives(review)
    assert carried.objective == "Hand escalations over with full account context"
    assert len(carried.id) == 12 and carried.status == "not_started"  # written before ids: given one
    done = review.development[0].model_copy(update={"status": "done"})
    assert open_objectives(review.model_copy(update={"development": [done]})) == []
    found = last_open_objectives([load_session(EXAMPLES / EXAMPLE_PLAN), review])
    assert found is not None and found[0].id == review.id


def test_a_link_to_a_metric_the_next_plan_does_not_have_is_dropped() -> None:
    plan = plan_with_objective()
    assert open_objectives(plan, {"nps"})[0].addresses_metric == ""
    assert open_objectives(plan, {"gross_retention"})[0].addresses_metric == "gross_retention"


def test_objectives_are_checked_and_required_only_at_the_review() -> None:
    bad = OBJECTIVE.model_copy(update={"status": "half", "addresses_metric": "nps", "due": "soon"})
    errors = objectives_errors(csm_draft(objectives=[bad]), required=False)
    assert set(errors) == {"objectives.0.status", "objectives.0.addresses_metric", "objectives.0.due"}
    assert objectives_errors(csm_draft(), required=False) == {}
    assert "objectives" in objectives_errors(csm_review_draft(objectives=[]), required=True)


def test_gaps_come_from_this_reviews_feedback_then_the_last_review() -> None:
    feedback = [
        DraftFeedback(source="survey", observed="Slow  replies to tickets", kind="gap"),
        DraftFeedback(source="survey", observed="Great QBRs", kind="strength"),
    ]
    assert feedback_gaps(feedback, [load_session(EXAMPLES / REVIEW)]) == [
        "Slow replies to tickets",
        "Escalations were handed to support without the account history",
    ]


statuses = st.sampled_from(["not_started", "in_progress", "done", "dropped"])
texts = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=30)


@given(
    status=statuses,
    progress=texts,
    gap=texts,
    ident=st.from_regex(r"\A[0-9a-f]{12}\Z"),
)
def test_an_objective_round_trips_through_a_draft_row(
    status: str, progress: str, gap: str, ident: str
) -> None:
    objective = DevelopmentObjective(
        objective="Coach a new hire",
        actions=["Pair weekly"],
        owner="Ana Ruiz",
        due=dt.date(2027, 3, 1),
        id=ident,
        status=status,  # type: ignore[arg-type]
        progress=progress,
        addresses_gap=gap,
    )
    draft = csm_draft(objectives=[draft_objective(objective)])
    assert DevelopmentObjective.model_validate(objective_records(draft)[0]) == objective


def test_the_export_shows_status_progress_and_what_it_addresses() -> None:
    plan = plan_with_objective()
    moved = plan.development[0].model_copy(
        update={"status": "in_progress", "progress": "Led one QBR", "addresses_gap": "Late QBR decks"}
    )
    text = record_markdown(plan.model_copy(update={"development": [moved]}), CSM)
    assert "**Status:** in progress" in text
    assert "Led one QBR" in text and "Late QBR decks" in text
    assert "Gross revenue retention" in text.split("## Development plan")[1]
    # An objective written before statuses existed shows none (the old export stays as it was).
    old = record_markdown(load_session(EXAMPLES / REVIEW), CSM)
    assert "**Status:**" not in old.split("## Development plan")[1].split("##")[0]


async def _to_step(pilot, kind: type) -> None:
    for _ in range(8):
        if isinstance(pilot.app.screen, kind):
            return
        await pilot.press("ctrl+n")
        await pilot.pause()
    raise AssertionError(f"never reached {kind.__name__}: on {type(pilot.app.screen).__name__}")


async def test_the_plan_agrees_an_objective_a_check_in_follows_it_and_the_review_shows_its_link(
    tmp_path: Path,
) -> None:
    save_draft(csm_draft(DEVELOPMENT), tmp_path)
    app = make_app(tmp_path, Clock(NOW))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DevelopmentStep)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await fill(pilot, "objectives-0-objective", "Run QBRs without the manager")
        await fill(pilot, "objectives-0-owner", "Ana Ruiz")
        await fill(pilot, "objectives-0-due", "2026-12-15")
        await choose(pilot, "objectives-0-addresses_metric", "Gross revenue retention (book)")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, AgreeStep)
        assert "Run QBRs without the manager" in str(app.screen.query_one("#plan", Static).render())
        app.screen.query_one("#employee_confirmed").focus()
        await pilot.press("space", "tab", "space", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [plan_file] = tmp_path.glob("*_alignment_*.toml")
    [agreed] = load_session(plan_file).development
    assert agreed.addresses_metric == "gross_retention" and len(agreed.id or "") == 12

    app = make_app(tmp_path, Clock(NOW + dt.timedelta(days=60)))
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+n")  # past the agenda: nothing on it
        await pilot.pause()
        await fill(pilot, "results-gross_retention-actual", "95")
        await _to_step(pilot, CheckinDevelopmentStep)
        assert app.screen.query_one("#objectives-0-objective", Input).value == "Run QBRs without the manager"
        await choose(pilot, "objectives-0-status", "in progress")
        await fill(pilot, "objectives-0-progress", "Shadowed two QBRs")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ActionsStep)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [checkin_file] = tmp_path.glob("*_check-in_*.toml")
    [followed] = load_session(checkin_file).development
    assert (followed.id, followed.status, followed.progress) == (
        agreed.id,
        "in_progress",
        "Shadowed two QBRs",
    )


async def test_the_next_plan_carries_the_open_objectives_of_the_last_review(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / REVIEW, tmp_path)
    save_draft(csm_draft(DEVELOPMENT), tmp_path)
    app = make_app(tmp_path, Clock(NOW))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DevelopmentStep)
        hint = str(app.screen.query_one("#objectives-carry", Static).render())
        assert "1 objective still open" in hint and "review of 2027-01-12" in hint
        await pilot.press("ctrl+l")
        await pilot.pause()
        field = app.screen.query_one("#objectives-0-objective", Input)
        assert field.value == "Hand escalations over with full account context"
        assert not app.screen.query("#objectives-carry")
        # The last review's gap is offered as what an objective addresses.
        gaps = [value for _, value in app.screen.query_one("#objectives-0-addresses_gap", Select)._options]
        assert "Escalations were handed to support without the account history" in gaps
        await pilot.press("ctrl+l")  # nothing left to carry: no second copy
        await pilot.pause()
        assert len(app.screen.collect().objectives) == 1


async def test_a_blank_objective_is_removed_without_a_question(tmp_path: Path) -> None:
    save_draft(csm_draft(DEVELOPMENT), tmp_path)
    async with make_app(tmp_path).run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert len(app_objectives(pilot)) == 1 and app_objectives(pilot)[0].id
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DevelopmentStep) and app_objectives(pilot) == []


def app_objectives(pilot) -> list[DraftObjective]:
    return pilot.app.screen.collect().objectives


def _checkin_with_objectives():
    plan = load_session(EXAMPLES / EXAMPLE_PLAN)
    objective = DevelopmentObjective.model_validate(
        {**objective_records(csm_draft(objectives=[OBJECTIVE]))[0], "status": "in_progress"}
    )
    objective = objective.model_copy(
        update={"progress": "Shadowed two QBRs", "addresses_gap": "Late QBR decks"}
    )
    plan = plan.model_copy(update={"development": [objective]})
    when = dt.datetime(2026, 10, 1, 10, 0, tzinfo=dt.UTC)
    draft = checkin_from(plan, CSM, "c4ec4ec4ec4ec4ec4ec4ec4ec4ec4ec4", when)
    return draft.model_copy(update={"step": CHECKIN_STEPS.index("checkin_development")})


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_checkin_development_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    save_draft(_checkin_with_objectives(), tmp_path)

    async def resume(pilot) -> None:
        await pilot.press("enter")
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=resume)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_plan_development_with_open_objectives_snapshot(
    snap_compare, tmp_path: Path, size: tuple[int, int]
) -> None:
    shutil.copy(EXAMPLES / REVIEW, tmp_path)
    save_draft(csm_draft(DEVELOPMENT), tmp_path)

    async def resume(pilot) -> None:
        await pilot.press("enter")
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=resume)


def test_in_the_room_an_objective_replaced_by_another_is_not_edited_into_it() -> None:
    # The host removes an objective and adds another in its place while a participant types in the
    # old one: rows are paired by id, so the typing never lands in the new objective.
    from pycrdt import Doc

    from reviewtui.room.shared_draft import SharedDraft
    from reviewtui.room.text_ops import push_edit

    draft = csm_draft(objectives=[OBJECTIVE])
    host = SharedDraft()
    host.load(draft.model_dump(mode="json"))
    guest = SharedDraft(Doc())
    guest.doc.apply_update(host.doc.get_update())
    host_state, guest_state = host.doc.get_state(), guest.doc.get_state()
    new = DraftObjective(id="a11a11a11a11", objective="Mentor a new hire", owner="Ana Ruiz")
    host.reconcile(draft.model_copy(update={"objectives": [new]}).model_dump(mode="json"))
    progress = guest.text_at("objectives.0.progress")
    assert progress is not None
    push_edit(progress, str(progress), "Shadowed two QBRs")
    host.doc.apply_update(guest.doc.get_update(host_state))
    guest.doc.apply_update(host.doc.get_update(guest_state))
    assert host.draft_data() == guest.draft_data()
    assert [(row["id"], row["progress"]) for row in host.draft_data()["objectives"]] == [("a11a11a11a11", "")]


def test_a_participant_may_not_change_an_objectives_id() -> None:
    from reviewtui.room.guard import refusal
    from reviewtui.room.text_ops import push_edit
    from test_room_guard import _room, _update_of

    host, guest = _room()
    text = guest.text_at("objectives.0.id")
    assert text is not None
    update = _update_of(guest, lambda: push_edit(text, str(text), "0bec7170bec7"))
    assert refusal(host, update) == "may not change the identity of a row of objectives"
    progress = guest.text_at("objectives.0.progress")
    assert refusal(host, _update_of(guest, lambda: push_edit(progress, str(progress), "Half way"))) is None
