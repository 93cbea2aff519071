"""Each review section on its own: snapshots, errors beside fields, and a review from scratch."""

from __future__ import annotations

from pathlib import Path

import pytest

from factories import csm_review_draft
from pilot_helpers import make_app, steady
from reviewtui.models.draft import REVIEW_SECTIONS
from reviewtui.storage.drafts import save_draft
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.widgets import FieldError


async def resume(pilot) -> None:
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("enter")
    await pilot.pause()
    await steady(pilot)
    if pilot.app._autosave is not None:
        # A record's line breaks become spaces in one-line fields (the impact recap), and the
        # draft is autosaved for it a second later: saved now, so that the title bar in the
        # snapshot does not depend on how busy the machine is.
        pilot.app.save_draft_now()
        await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("step", range(len(REVIEW_SECTIONS)), ids=REVIEW_SECTIONS)
def test_review_section_snapshot(snap_compare, tmp_path: Path, step: int, size: tuple[int, int]) -> None:
    save_draft(csm_review_draft(step + 1), tmp_path)  # after the agenda, the review's first step
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=resume)


def shown(screen) -> dict[str, str]:
    return {error.key: str(error.render()) for error in screen.query(FieldError) if error.has_class("-shown")}


@pytest.mark.parametrize(
    ("section", "overrides", "expected"),
    [
        (
            "metric_results",
            {"results_patch": {"actual": "9x", "override_level": "7"}},
            {
                "results.gross_retention.actual": "Type a number, or leave it empty: an empty actual is not scored.",
                "results.gross_retention.override_level": "Choose a level from the scale: 1, 2, 3, 4, 5.",
                "results.gross_retention.override_reason": "An override needs a written justification.",
            },
        ),
        (
            "customer_feedback",
            {"feedback": [{}]},
            {
                "feedback.0.source": "Choose where it came from.",
                "feedback.0.observed": "Describe the behaviour observed.",
                "feedback.0.kind": "Choose strength or gap.",
            },
        ),
        (
            "examples",
            {"examples": []},
            {"examples": "The rubric asks for at least one client success story."},
        ),
        (
            "competencies",
            {"ratings_patch": {"evidence": ""}},
            {"ratings.stakeholder_relationships.evidence": "Document an example that shows this level."},
        ),
        ("development", {"objectives": []}, {"objectives": "Agree at least one development objective."}),
        (
            "employee_reading",
            {"reading": ""},
            {"reading": "Ask the employee for their own reading of the data."},
        ),
    ],
)
async def test_review_section_errors(tmp_path: Path, section: str, overrides: dict, expected: dict) -> None:
    from reviewtui.models.draft import DraftFeedback

    draft = csm_review_draft(1 + REVIEW_SECTIONS.index(section))  # the agenda comes first
    update = dict(overrides)
    if "results_patch" in update:
        patch = update.pop("results_patch")
        update["results"] = [
            r.model_copy(update=patch) if r.metric == "gross_retention" else r for r in draft.results
        ]
    if "ratings_patch" in update:
        patch = update.pop("ratings_patch")
        update["ratings"] = [
            r.model_copy(update=patch) if r.competency == "stakeholder_relationships" else r
            for r in draft.ratings
        ]
    if update.get("feedback") == [{}]:
        update["feedback"] = [DraftFeedback()]
    save_draft(draft.model_copy(update=update), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        before = type(app.screen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert type(app.screen) is before, "a section with errors cannot be passed"
        assert shown(app.screen) == expected


async def test_a_review_from_scratch_sets_up_the_plan_first(tmp_path: Path) -> None:
    from factories import csm_draft
    from reviewtui.ui.steps.participants import ParticipantsStep
    from reviewtui.ui.steps.review_sections import ResultsStep
    from reviewtui.ui.steps.targets import TargetsStep
    from reviewtui.ui.widgets import StepIndicator

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("end", "enter")  # the last choice: from scratch
        await pilot.pause()
        assert isinstance(app.screen, ParticipantsStep)
        assert app.flow(app.screen.draft)[:6] == [
            "participants",
            "agenda",
            "impact_recap",
            "metrics",
            "targets",
            "metric_results",
        ]
        await pilot.press("escape")
        await pilot.pause()

    # The same kind of draft, filled up to its targets, goes on to results for exactly its metrics.
    plan = csm_draft(3).model_dump()
    scratch = {**plan, "kind": "review", "from_scratch": True, "id": "ab" * 16, "step": 4}
    from reviewtui.models.draft import ReviewDraft

    save_draft(ReviewDraft.model_validate(scratch), tmp_path / "scratch")
    app = make_app(tmp_path / "scratch")
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        assert isinstance(app.screen, TargetsStep)
        assert "5 Targets" in str(app.screen.query_one(StepIndicator).render())
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ResultsStep)
        assert [r.metric for r in app.screen.draft.results] == [m.id for m in app.screen.draft.metrics]
