"""Drafts saved before the between-meetings steps resume on the step they were on."""

from __future__ import annotations

from pathlib import Path

import pytest

from factories import csm_checkin_draft, csm_draft, csm_review_draft
from reviewtui.models.draft import AlignmentDraft, steps_of
from reviewtui.storage.drafts import draft_path, load_draft, save_draft
from reviewtui.storage.tomlfile import dumps_toml

# The flows as version 1 drafts counted them.
CHECKIN_THEN = ["checkin_actuals", "checkin_plan", "checkin_actions", "checkin_record"]
ALIGNMENT_THEN = ["participants", "impact_map", "metrics", "targets", "agree"]


def _saved_as_version_1(draft: AlignmentDraft, sessions: Path) -> Path:
    save_draft(draft, sessions)  # makes the private drafts folder
    path = draft_path(sessions, draft.id)
    data = draft.model_dump(mode="python", exclude_defaults=True)
    path.write_text(dumps_toml({"draft_version": 1, **data}))
    return path


@pytest.mark.parametrize("step", range(len(CHECKIN_THEN)))
def test_a_checkin_draft_of_then_resumes_on_the_same_step(tmp_path: Path, step: int) -> None:
    draft = load_draft(_saved_as_version_1(csm_checkin_draft(step), tmp_path))
    assert steps_of(draft)[draft.step] == CHECKIN_THEN[step]
    assert draft.draft_version == 2


@pytest.mark.parametrize("step", range(len(ALIGNMENT_THEN)))
def test_a_plan_draft_of_then_resumes_on_the_same_step(tmp_path: Path, step: int) -> None:
    draft = load_draft(_saved_as_version_1(csm_draft(step), tmp_path))
    assert steps_of(draft)[draft.step] == ALIGNMENT_THEN[step]


@pytest.mark.parametrize("from_scratch", [False, True])
def test_a_review_draft_of_then_resumes_on_the_same_section(tmp_path: Path, from_scratch: bool) -> None:
    review = csm_review_draft(0, from_scratch=from_scratch)
    then = [key for key in steps_of(review) if key != "agenda"]
    for step, key in enumerate(then):
        draft = load_draft(_saved_as_version_1(review.model_copy(update={"step": step}), tmp_path))
        assert steps_of(draft)[draft.step] == key


def test_a_draft_of_today_keeps_its_step_and_is_saved_as_version_2(tmp_path: Path) -> None:
    draft = csm_checkin_draft(3)
    save_draft(draft, tmp_path)
    path = draft_path(tmp_path, draft.id)
    assert path.read_text().startswith("draft_version = 2\n")
    assert load_draft(path).step == 3
