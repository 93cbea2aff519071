"""New drafts, as the driver opens them: each starting from what the folder holds for the pair.

A check-in or review opens with the employee's open agenda topics; a review also takes in what
the employee and partners prepared (imported before it began).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..checkins.agenda import with_open_topics
from ..checkins.rules import checkin_from
from ..errors import ReviewtuiError
from ..models import Rubric, Session, new_session_id
from ..models.draft import AlignmentDraft
from ..review.preparations import with_preparations
from ..review.rules import review_from_plan, review_from_scratch
from ..storage.agenda import read_agenda
from ..storage.preparations import preparations_for
from .moments import current_half


def alignment_draft(now: dt.datetime) -> AlignmentDraft:
    """A new alignment draft for the current half-year."""
    label, start, end = current_half(now.date())
    return AlignmentDraft(
        id=new_session_id(),
        created_at=now,
        updated_at=now,
        period_label=label,
        period_start=start,
        period_end=end,
    )


Begun = tuple[AlignmentDraft, str | None]
"""A new draft, and why it opens without the agenda's topics when their file does not read."""


def checkin_draft(sessions_dir: Path, plan: Session, rubric: Rubric, now: dt.datetime) -> Begun:
    """A check-in on `plan`, opening with the open agenda topics."""
    return _with_agenda(sessions_dir, checkin_from(plan, rubric, new_session_id(), now))


def review_draft(sessions_dir: Path, plan: Session | None, rubric: Rubric | None, now: dt.datetime) -> Begun:
    """A review from `plan` with the agenda and the preparations; from scratch when there is no plan."""
    if plan is None or rubric is None:
        return review_from_scratch(new_session_id(), now, current_half(now.date())), None
    draft = review_from_plan(plan, rubric, new_session_id(), now)
    return _with_agenda(sessions_dir, with_preparations(draft, preparations_for(sessions_dir, plan)))


def _with_agenda(sessions_dir: Path, draft: AlignmentDraft) -> Begun:
    # The agenda file is shared and anyone may edit it: a broken one must not stop the meeting.
    try:
        agenda = read_agenda(sessions_dir, draft.employee_name)
    except ReviewtuiError as error:
        return (
            draft,
            f"{error}. The meeting opens without the agenda's topics; fix the file to get them back.",
        )
    return with_open_topics(draft, agenda), None
