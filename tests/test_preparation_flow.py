"""What people prepared, in the review as the pair go through it: the employee's own levels beside
the manager's, partners' observations on the feedback step (one copied into a row), the employee's
reading, proposed objectives and topics; and a review started from home takes the imports in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from factories import copy_example_team, csm_review_draft
from pilot_helpers import choose, make_app, steady
from reviewtui.cli import main
from reviewtui.models.draft import REVIEW_SECTIONS, ReviewDraft
from reviewtui.models.preparation import PartnerObservation, SelfAssessment, SelfRating
from reviewtui.storage import discover_rubrics
from reviewtui.storage.drafts import save_draft
from reviewtui.storage.preparations import load_preparation, preparation_bytes
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.steps.entries import FeedbackStep
from reviewtui.ui.steps.prepared import ObservationPickerScreen

WRITTEN = dt.datetime(2026, 12, 20, 10, 0, tzinfo=dt.UTC)


def prepared_draft(step: str) -> ReviewDraft:
    """The example review draft with a self-assessment and two partners' observations, at `step`."""
    rubric = discover_rubrics().get("customer-success-manager").rubric
    levels = [4, 3, 2, 5, 3, 4, 3, 2]
    assessment = SelfAssessment(
        written_at=WRITTEN,
        reading="Retention held at 96% though two competitors cut prices; NPS rose with the detractor calls.",
        ratings=[
            SelfRating(
                competency=c.id, level=levels[i % len(levels)], example=f"My example for {c.name.lower()}"
            )
            for i, c in enumerate(rubric.competencies)
        ],
        objectives=[{"objective": "Lead the QBR programme", "why": "A mentor from sales would help"}],
        topics=["Promotion path", "Workload in Q1"],
    )
    observations = [
        PartnerObservation(
            name="Priya Nair",
            written_at=WRITTEN,
            observed="Brought sales into the Acme renewal two months early",
            impact="The renewal closed on time",
            kind="strength",
            account="Acme",
        ),
        PartnerObservation(
            name="Priya Nair",
            written_at=WRITTEN,
            observed="Hand-offs on expansion leads lacked account context",
            kind="gap",
        ),
    ]
    return csm_review_draft(1 + REVIEW_SECTIONS.index(step)).model_copy(
        update={"self_assessment": assessment, "partner_observations": observations}
    )


async def resume(pilot) -> None:
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("enter")
    await pilot.pause()
    await steady(pilot)
    if pilot.app._autosave is not None:
        pilot.app.save_draft_now()  # as in test_review_sections: the title bar must not depend on timing
        await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("step", ["competencies", "customer_feedback", "employee_reading"])
def test_prepared_review_step_snapshot(
    snap_compare, tmp_path: Path, step: str, size: tuple[int, int]
) -> None:
    save_draft(prepared_draft(step), tmp_path)
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=resume)


async def test_the_competencies_step_shows_their_own_level_and_example_beside_the_managers(
    tmp_path: Path,
) -> None:
    draft = prepared_draft("competencies")
    save_draft(draft, tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await resume(pilot)
        assert draft.self_assessment is not None
        own = draft.self_assessment.ratings[0]
        shown = str(app.screen.query_one(f"#own-rating-{own.competency}", Static).render())
        assert f"Employee's own level: {own.level}" in shown and own.example in shown
        assert "1 level above yours" in shown  # their 4 against the manager's 3
        await choose(pilot, f"ratings-{own.competency}-level", "4 Exceeding")
        shown = str(app.screen.query_one(f"#own-rating-{own.competency}", Static).render())
        assert "the same as yours" in shown
        # One line per competency the employee rated, none invented for the others
        assert len(app.screen.query(".own-rating")) == len(draft.self_assessment.ratings)


async def test_a_partners_observation_is_copied_into_a_feedback_row(tmp_path: Path) -> None:
    draft = prepared_draft("customer_feedback")
    save_draft(draft, tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await resume(pilot)
        assert isinstance(app.screen, FeedbackStep)
        listed = str(app.screen.query_one("#partner-observations", Static).render())
        assert "Brought sales into the Acme renewal" in listed and "Priya Nair" in listed
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, ObservationPickerScreen)
        assert app.screen.query_one(OptionList).option_count == 2
        await pilot.press("down", "enter")  # the second: a gap
        await pilot.pause()
        assert isinstance(app.screen, FeedbackStep)
        row = app.screen.collect().feedback[-1]
        assert (row.observed, row.kind, row.source) == (
            "Hand-offs on expansion leads lacked account context",
            "gap",
            "other",
        )
        assert len(app.screen.collect().feedback) == len(draft.feedback) + 1
        app.save_draft_now()
        await pilot.pause()
        saved = app.session_driver.draft
        assert saved.partner_observations == draft.partner_observations  # copied, not moved


async def test_without_observations_the_feedback_step_has_no_partner_key(tmp_path: Path) -> None:
    save_draft(csm_review_draft(1 + REVIEW_SECTIONS.index("customer_feedback")), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await resume(pilot)
        assert not app.screen.query("#partner-observations")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackStep)


async def test_the_reading_step_shows_their_reading_objectives_and_topics(tmp_path: Path) -> None:
    save_draft(prepared_draft("employee_reading"), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await resume(pilot)
        shown = str(app.screen.query_one("#prepared-reading", Static).render())
        for text in ("Retention held at 96%", "Lead the QBR programme", "Promotion path", "Workload in Q1"):
            assert text in shown


async def test_a_review_started_from_home_opens_with_what_was_imported(tmp_path: Path) -> None:
    others = ("*dev-patel*", "*mei-chen*", "*jonas-berg*", "*lucia-gomez*", "*sam-okafor*")
    sessions = copy_example_team(tmp_path / "sessions", *others)
    form_path = tmp_path / "ana.toml"
    assert (
        main(["--sessions", str(sessions), "prepare", "ask", "--employee", "Ana Ruiz", "-o", str(form_path)])
        == 0
    )
    form = load_preparation(form_path)
    rating = SelfRating(competency=form.competencies[0].id, level=4, example="Ran the joint plan")
    filled = form.model_copy(
        update={"ratings": [rating], "topics": ["Promotion path"], "written_at": WRITTEN}
    )
    form_path.write_bytes(preparation_bytes(filled))
    assert main(["--sessions", str(sessions), "prepare", "import", str(form_path)]) == 0

    app = make_app(sessions)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("enter")  # Ana Ruiz's plan as it stands
        await pilot.pause()
        draft = app.session_driver.draft
        assert isinstance(draft, ReviewDraft)
        assert draft.self_assessment is not None
        assert draft.self_assessment.ratings == [rating] and draft.self_assessment.topics == [
            "Promotion path"
        ]


async def test_a_reading_copied_from_the_preparation_is_not_shown_twice(tmp_path: Path) -> None:
    draft = prepared_draft("employee_reading")
    assert draft.self_assessment is not None
    save_draft(draft.model_copy(update={"reading": draft.self_assessment.reading}), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await resume(pilot)
        shown = str(app.screen.query_one("#prepared-reading", Static).render())
        assert "in the field below" in shown and "Retention held at 96%" not in shown
        assert "Promotion path" in shown
