"""The end of a session: the draft becomes the agreed, recorded or signed record, safely."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from ..checkins.rules import checkin_errors, recorded_session
from ..errors import ReviewtuiError, SaveError
from ..models import Rubric, Session
from ..models.draft import AlignmentDraft, CheckinDraft, ReviewDraft
from ..plan.rules import agreed_session
from ..review.rules import review_session, section_errors
from ..score.weighted import ScoreBreakdown, score
from ..storage import RubricCatalog, save_session
from ..storage.agenda import update_after_record
from ..storage.messages import field_problems

if TYPE_CHECKING:
    from ..storage.rubrics import RubricSource
    from .driver import Saved

FINAL_STEPS = ("agree", "sign_off", "checkin_record")
"""The steps that end a session: never counted done before the record is saved."""


class RubricMissingError(ReviewtuiError):
    """The rubric a draft or plan names is not among the rubrics found."""


class RecordNotSavedError(ReviewtuiError):
    """The record was refused (naming fields and rules, never their text) or could not be written."""

    def __init__(self, message: str, *, refused: bool) -> None:
        super().__init__(message)
        self.refused = refused
        """True when the record broke a rule of the model; False when it could not be written."""
        self.draft_saved: Saved | None = None
        """How saving the draft instead went: set by the driver, which keeps the draft open."""


@dataclass(frozen=True)
class Finished:
    """A record saved at the end of a session."""

    path: Path
    session: Session
    agenda_problem: str = ""
    """Why the agenda file could not be brought up to date after the record was written (the
    record is safe; its uncovered topics are in it), or empty when it was."""

    @property
    def what(self) -> str:
        """`Plan agreed`, `Check-in recorded` or `Review signed`."""
        return {"review": "Review signed", "check-in": "Check-in recorded"}.get(
            self.session.kind, "Plan agreed"
        )

    @property
    def subject(self) -> str:
        """What was saved, for whom and when: the line an archive offer shows."""
        return f"{self.what}: {self.session.participants.employee.name}, {self.session.period.label}"


def save_record(
    draft: AlignmentDraft, catalog: RubricCatalog, sessions_dir: Path, now: dt.datetime
) -> Finished:
    """Write the record of a finished draft; the draft itself is left for the caller to remove
    once this returns (the record is safe then)."""
    source = catalog.get(draft.rubric_id)
    if source is None:
        raise RubricMissingError("The rubric of this draft is no longer found.")
    try:
        if isinstance(draft, ReviewDraft):
            session = review_session(draft, source.rubric, source.sha256, now, signed=True)
        elif isinstance(draft, CheckinDraft):
            session = recorded_session(draft, source.rubric, source.sha256, now)
        else:
            session = agreed_session(draft, source.rubric, source.sha256, now)
        path = save_session(session, sessions_dir)
    except ValidationError as error:
        # pydantic's text quotes the values (confidential): name the fields and the rule only.
        raise RecordNotSavedError("; ".join(field_problems(Session, error)), refused=True) from None
    except (SaveError, ValueError) as error:
        raise RecordNotSavedError(str(error), refused=False) from None
    return Finished(path, session, _agenda_updated(sessions_dir, session))


def _agenda_updated(sessions_dir: Path, session: Session) -> str:
    """Bring the agenda file up to date after the record is safe; why it could not, or ''."""
    if session.kind == "alignment":
        return ""  # a plan opens with no agenda: the file waits for the first check-in
    try:
        update_after_record(sessions_dir, session)
    except ReviewtuiError as error:
        return (
            f"the agenda file was not updated ({error}); the record keeps every topic, "
            "so covered ones may show again at the next meeting"
        )
    return ""


def done_steps(
    draft: AlignmentDraft, flow: list[str], rubric: Rubric | None, rubric_ids: set[str]
) -> set[int]:
    """The indexes of the steps with nothing left to fix; without a rubric only the participants."""

    def errors(key: str) -> dict[str, str]:
        if isinstance(draft, CheckinDraft):
            return checkin_errors(key, draft, rubric)  # type: ignore[arg-type]
        return section_errors(key, draft, rubric, rubric_ids)  # type: ignore[arg-type]

    return {
        index
        for index, key in enumerate(flow)
        if key not in FINAL_STEPS and (rubric is not None or key == "participants") and not errors(key)
    }


def preview_score(draft: ReviewDraft, source: RubricSource, now: dt.datetime) -> ScoreBreakdown | None:
    """The score a review would have if signed at `now`; None while its entries do not parse."""
    try:
        preview = review_session(draft, source.rubric, source.sha256, now, signed=False)
    except ValueError:
        return None
    return score(preview, source.rubric, source.sha256)
