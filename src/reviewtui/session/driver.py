"""One open draft's life, below the UI: lock, edits from any source, autosave, fork, final save.

The driver holds no timer. An edit makes a save due `AUTOSAVE_SECONDS` later (a failed save
retries `RETRY_SECONDS` later): the driver sets `save_due_at` on its `ticks` clock and tells
`on_save_due(delay)`, and whoever runs the event loop calls `save_now()` then (or `flush()`,
which saves only once the save is due). What happened comes back as small dataclasses or as
`ReviewtuiError`s whose text is safe to show; the caller decides how to say it.

Edits may come from any source, a key press or (next) a second participant over the network,
on any thread: `update()` and the saves hold one lock, and `on_save_due` is called outside it.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ReviewtuiError, UnsafePathError
from ..models import Rubric, Session, new_session_id
from ..models.draft import AlignmentDraft, ReviewDraft
from ..review.rules import fit_to_plan
from ..score.weighted import ScoreBreakdown
from ..storage.drafts import DraftChangedError, delete_draft, draft_lock_path, draft_path, save_draft
from ..storage.locks import FileLock, holder, try_lock
from ..storage.safe_files import UnsafeFileError
from . import final_save, new_drafts
from .catalog import CatalogSource
from .final_save import Finished, RecordNotSavedError, RubricMissingError
from .folder_work import FolderWork
from .moments import local_now
from .steps import flow_of

AUTOSAVE_SECONDS = 1.0
RETRY_SECONDS = 5.0

__all__ = [
    "AUTOSAVE_SECONDS",
    "RETRY_SECONDS",
    "DraftGoneError",
    "Finished",
    "Opened",
    "ReadOnlyError",
    "RecordNotSavedError",
    "RubricMissingError",
    "Saved",
    "SessionDriver",
    "StepView",
]


class DraftGoneError(ReviewtuiError):
    """The draft asked for is no longer in the drafts folder (finished or discarded elsewhere)."""


class ReadOnlyError(ReviewtuiError):
    """The open draft is read-only (another reviewtui holds it): it cannot become a record here."""


@dataclass(frozen=True)
class Opened:
    """How a draft was opened: for editing, or read-only and why."""

    read_only: bool
    why: str = ""
    """Why it is read-only, in a few words for a title bar."""
    holder: str | None = None
    """Who holds its lock (`pid 123 on laptop`) when another reviewtui has it open."""
    lock_problem: ReviewtuiError | None = None
    """The lock file is a link or not a plain file: the draft is shown, never written through it."""


@dataclass(frozen=True)
class Saved:
    """What one save of the draft did."""

    written: bool
    """False when there was nothing to save (no draft, read-only, not changed) or it failed."""
    at: dt.datetime | None = None
    forked_from: str | None = None
    """The draft file had changed on disk: the draft goes on under a new id, this was the old one."""
    error: ReviewtuiError | None = None
    first_failure: bool = False
    """The first of a run of failures (say it once; the retries go on quietly)."""
    recovered: bool = False
    """A save worked after one or more failed."""


@dataclass(frozen=True)
class StepView:
    """What a step screen needs: the draft as shown, the steps of its session, where it is, what is done."""

    draft: AlignmentDraft
    flow: list[str]
    step: int
    done: set[int]


class SessionDriver(FolderWork):
    """The open draft of one reviewtui, and the sessions folder it lives in."""

    def __init__(
        self,
        sessions_dir: Path,
        catalog: CatalogSource,
        *,
        clock: Callable[[], dt.datetime] = local_now,
        ticks: Callable[[], float] = time.monotonic,
        on_save_due: Callable[[float], None] | None = None,
    ) -> None:
        super().__init__(sessions_dir, catalog)
        self.clock = clock
        """Wall time, for the draft's `updated_at` and the record's moments."""
        self.ticks = ticks
        """A steady clock in seconds, for when the autosave is due."""
        self.on_save_due = on_save_due
        """Told the delay whenever a save becomes due, so the caller can call `save_now()` then."""
        self.draft: AlignmentDraft | None = None
        self.read_only = False
        self.read_only_why = ""
        self.agenda_problem: str | None = None
        """Why the last new check-in or review opened without its agenda's topics, if it did."""
        self.touched = False
        """The draft is worth a file: edited since it was opened, or resumed from one. A new draft
        left untouched leaves nothing behind; once touched, every save (a step move too) writes."""
        self.save_due_at: float | None = None
        self.last_source = ""
        """Where the last accepted edit came from (`keys`, a participant's name, ...)."""
        self._failing = False
        self._sha: str | None = None
        """The draft file's hash as last read or written: a file changed since is never overwritten."""
        self.view: StepView | None = None
        """The open draft as its step screen last showed it (`step_view()`)."""
        self._lock: FileLock | None = None
        self._state = threading.RLock()

    @property
    def draft_sha(self) -> str | None:
        """The draft file's hash as last read or written (None: no file yet)."""
        return self._sha

    # Opening ------------------------------------------------------------------------

    def new_alignment(self) -> AlignmentDraft:
        """A new alignment draft for the current half-year; open it with `open_draft()`."""
        return new_drafts.alignment_draft(self.clock())

    def new_checkin(self, plan: Session) -> AlignmentDraft:
        """A check-in draft on an agreed plan (RubricMissingError when its rubric is not found),
        opening with the employee's open agenda topics."""
        draft, self.agenda_problem = new_drafts.checkin_draft(
            self.sessions_dir, plan, self._rubric_of_plan(plan), self.clock()
        )
        return draft

    def new_review(self, plan: Session | None) -> AlignmentDraft:
        """A review draft from a plan (with the agenda and what was prepared), or from scratch."""
        rubric = self._rubric_of_plan(plan) if plan is not None else None
        draft, self.agenda_problem = new_drafts.review_draft(self.sessions_dir, plan, rubric, self.clock())
        return draft

    def _rubric_of_plan(self, plan: Session) -> Rubric:
        source = self.catalog.get().get(plan.rubric.id)
        if source is None:
            raise RubricMissingError(f"The rubric `{plan.rubric.id}` of this plan is not found.")
        return source.rubric

    def resume(self, draft_id: str) -> Opened:
        """Open a draft from the drafts folder (DraftGoneError when it is not there any more)."""
        drafts, _ = self.list_drafts()
        found = next((item for item in drafts if item.draft.id == draft_id), None)
        if found is None:
            raise DraftGoneError(f"the draft {draft_id} is gone")
        return self.open_draft(found.draft, on_disk_sha=found.sha256)

    def open_draft(self, draft: AlignmentDraft, on_disk_sha: str | None = None) -> Opened:
        """Open a draft: a new one is saved from its first edit, a resumed one (`on_disk_sha`)
        is saved as it moves on and compared with the file before each save."""
        with self._state:
            self.close()
            self.draft = draft
            self._sha = on_disk_sha
            self.touched = on_disk_sha is not None
            opened = self._take_lock(draft.id)
            self.read_only = opened.read_only
            if opened.read_only:
                self.read_only_why = opened.why
            return opened

    def _take_lock(self, draft_id: str) -> Opened:
        self._release_lock()
        try:
            path = draft_lock_path(self.sessions_dir, draft_id)
            self._lock = try_lock(path)
        except (UnsafeFileError, UnsafePathError) as error:  # a link or FIFO where the lock goes
            return Opened(True, "its lock file is a link or not a plain file", lock_problem=error)
        except ReviewtuiError:
            return Opened(False)  # no lock file can be made (read-only folder): saving will say why
        if self._lock is None:
            return Opened(True, "open in another reviewtui", holder=holder(path))
        return Opened(False)

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def close(self) -> None:
        """Leave the draft (saved or not: call `save_now()` first to keep it) and release its lock."""
        with self._state:
            self.draft = None
            self.read_only = False
            self.touched = False
            self.save_due_at = None
            self._release_lock()

    # Edits ----------------------------------------------------------------------------

    def update(self, draft: AlignmentDraft, *, source: str = "keys") -> bool:
        """Take an edited draft from any source; False when it is not taken (none open, read-only).

        The draft keeps the driver's id (it changes when a conflicting draft is forked) and is
        stamped with the time of the edit. A save becomes due if none is due yet.
        """
        with self._state:
            if self.draft is None or self.read_only:
                return False
            self.draft = draft.model_copy(update={"updated_at": self.clock(), "id": self.draft.id})
            self.touched = True
            self.last_source = source
            newly_due = self.save_due_at is None
            if newly_due:
                self.save_due_at = self.ticks() + AUTOSAVE_SECONDS
        if newly_due:
            self._announce(AUTOSAVE_SECONDS)
        return True

    def take_unreported(self, draft: AlignmentDraft) -> None:
        """The draft as the screen holds it before leaving (text typed since its last edit
        report): kept as it stands if it differs from the driver's."""
        with self._state:
            if self.draft is None or self.read_only:
                return
            collected = draft.model_copy(update={"id": self.draft.id})
            if collected != self.draft:
                self.draft = collected
                self.touched = True

    def step_view(self) -> StepView:
        """The open draft as its step screen shows it: a review fitted to its rubric, the step in range."""
        with self._state:
            assert self.draft is not None
            rubric = self.rubric(self.draft)
            if isinstance(self.draft, ReviewDraft) and rubric is not None:
                self.draft = fit_to_plan(self.draft, rubric)
            flow = self.flow(self.draft)
            step = min(self.draft.step, len(flow) - 1)
            self.draft = self.draft.model_copy(update={"step": step})
            self.view = StepView(self.draft, flow, step, self.done_steps(self.draft, flow))
            return self.view

    def move(self, draft: AlignmentDraft, action: str) -> Saved:
        """The step of `step_view()` ended with next, back or home: keep the draft as it was
        left, at the step it moves to, and save it."""
        with self._state:
            assert self.draft is not None and self.view is not None
            draft = draft.model_copy(update={"updated_at": self.clock(), "id": self.draft.id})
            step, last = self.view.step, len(self.view.flow) - 1
            moves = {"next": step + 1, "back": max(step - 1, 0), "home": step}
            self.draft = draft.model_copy(update={"step": min(moves[action], last)})
        return self.save_now()

    # Saving ---------------------------------------------------------------------------

    def flush(self) -> Saved | None:
        """Save if a save is due by now; None when none is."""
        if self.save_due_at is None or self.ticks() < self.save_due_at:
            return None
        return self.save_now()

    def save_now(self) -> Saved:
        """Save the draft (once touched); on failure keep it in memory and make a retry due."""
        with self._state:
            self.save_due_at = None
            if self.draft is None or not self.touched or self.read_only:
                return Saved(written=False)
            forked_from = None
            try:
                try:
                    self._sha = save_draft(self.draft, self.sessions_dir, self._sha)
                except DraftChangedError:
                    forked_from = self._fork()
                    self._sha = save_draft(self.draft, self.sessions_dir, self._sha)
            except ReviewtuiError as error:
                first, self._failing = not self._failing, True
                self.save_due_at = self.ticks() + RETRY_SECONDS
                saved = Saved(False, forked_from=forked_from, error=error, first_failure=first)
            else:
                recovered, self._failing = self._failing, False
                saved = Saved(True, self.clock(), forked_from, recovered=recovered)
        if saved.error is not None:
            self._announce(RETRY_SECONDS)
        return saved

    def _fork(self) -> str:
        """The draft file changed on disk since it was read: ours goes on as a separate draft."""
        assert self.draft is not None
        old = self.draft.id
        self.draft = self.draft.model_copy(update={"id": new_session_id()})
        self._take_lock(self.draft.id)  # a new id: nobody else holds it
        self._sha = None
        return old

    def _announce(self, delay: float) -> None:
        if self.on_save_due is not None:
            self.on_save_due(delay)

    def crash_save(self) -> Path | None:
        """After a crash, with no event loop: save the draft once, whatever its state; where it went.

        Raises ReviewtuiError when it cannot be saved; None when there is nothing to save.
        """
        with self._state:
            if self.draft is None or self.read_only:
                return None
            try:
                self._sha = save_draft(self.draft, self.sessions_dir, self._sha)
            except DraftChangedError:
                self.draft = self.draft.model_copy(update={"id": new_session_id()})
                self._sha = save_draft(self.draft, self.sessions_dir, None)
            return draft_path(self.sessions_dir, self.draft.id)

    # The end of the session -------------------------------------------------------------

    def finish(self, draft: AlignmentDraft) -> Finished:
        """Save the agreed plan, recorded check-in or signed review; the draft goes once it is safe.

        RubricMissingError when the draft's rubric is gone; RecordNotSavedError (naming fields,
        never their text) when the record is refused or cannot be written: the draft is then
        saved as it is (`error.draft_saved` says how that went) and stays open.
        """
        with self._state:
            assert self.draft is not None
            edited_at = self.clock()
            if self.read_only:
                raise ReadOnlyError(
                    f"This draft is shown read-only ({self.read_only_why}): it cannot be saved from here."
                )
            self.draft = draft.model_copy(update={"updated_at": edited_at, "id": self.draft.id})
            try:
                finished = final_save.save_record(
                    self.draft, self.catalog.get(), self.sessions_dir, self.clock()
                )
            except RecordNotSavedError as error:
                error.draft_saved = self.save_now()
                raise
            delete_draft(self.sessions_dir, self.draft.id)
            self.close()
            return finished

    # What the steps show ------------------------------------------------------------------

    def rubric(self, draft: AlignmentDraft) -> Rubric | None:
        source = self.catalog.get().get(draft.rubric_id)
        return source.rubric if source is not None else None

    def flow(self, draft: AlignmentDraft) -> list[str]:
        """The steps of this draft's session, review sections in its rubric's template order."""
        return flow_of(draft, self.rubric(draft))

    def done_steps(self, draft: AlignmentDraft, flow: list[str]) -> set[int]:
        """The steps with nothing left to fix (the final step is never done before the record)."""
        return final_save.done_steps(draft, flow, self.rubric(draft), set(self.catalog.get().by_id))

    def review_score(self, draft: ReviewDraft) -> ScoreBreakdown | None:
        """The score the review would have if signed now, or None while its entries do not parse."""
        source = self.catalog.get().get(draft.rubric_id)
        if source is None:
            return None
        return final_save.preview_score(draft, source, self.clock())
