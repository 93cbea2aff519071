"""The App's side of a session: the step screens in turn, the saves said on screen, the final record.

The session driver does the work (lock, autosave, fork, final save); this mixin shows each step,
hands its result to the driver, and turns what the driver reports into toasts and the title bar.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work

from ..errors import ReviewtuiError
from ..session.text_history import TextHistories
from .notices import toast_path
from .shown_markup import markup_message, markup_path, markup_text

if TYPE_CHECKING:
    from textual.timer import Timer

    from ..models import Session
    from ..models.draft import AlignmentDraft
    from ..session.driver import Opened, Saved, SessionDriver
    from .home import HomeScreen
    from .steps.base import StepContext


class SessionFlow:
    """Mixed into ReviewApp: starting, resuming, running and finishing a session."""

    if TYPE_CHECKING:
        session_driver: SessionDriver
        open_session: SessionDriver | None
        draft: AlignmentDraft | None
        context: StepContext
        text_histories: TextHistories
        sub_title: str
        _autosave: Timer | None

        def notify(self, message: str, **options: object) -> None: ...
        def set_timer(self, delay: float, callback: Callable[[], object]) -> Timer: ...
        def _home(self) -> HomeScreen: ...
        def _after_final_save(self, what: str) -> None: ...
        async def open_room(self) -> None: ...
        async def close_room(self, why: str = ..., *, finished: bool = False) -> None: ...
        def room_step_made(self, screen: Any) -> None: ...
        async def room_step_shown(self, screen: Any, step: int) -> None: ...
        def room_saved(self) -> None: ...
        @property
        def home_subtitle(self) -> str: ...

    def _save_due(self, delay: float) -> None:
        """The driver wants a save in `delay` seconds (an edit, or a retry after a failed save)."""
        if self._autosave is not None:
            self._autosave.stop()
        self._autosave = self.set_timer(delay, self.save_draft_now)

    def _stop_autosave(self) -> None:
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None

    def save_draft_now(self) -> bool:
        """Save the draft; on failure say so, keep everything in memory, and retry."""
        self._stop_autosave()
        return self._show_saved(self.open_session.save_now()) if self.open_session else True

    def _show_saved(self, saved: Saved) -> bool:
        if saved.forked_from is not None:
            from .steps.base import StepScreen

            if isinstance(self.screen, StepScreen) and self.draft is not None:
                self.screen.draft = self.screen.draft.model_copy(update={"id": self.draft.id})
            self.notify(
                "The draft was changed on disk since it was opened (by another reviewtui, or by hand). "
                "Nothing was overwritten: your version goes on as a separate draft, and both are on the home screen.",
                title="Draft changed elsewhere",
                severity="warning",
                timeout=12,
            )
        if saved.error is not None:
            if saved.first_failure:  # said once; the title bar keeps saying it until a save works
                self.notify(
                    f"Draft not saved: {markup_message(saved.error)}. Nothing is lost; retrying.",
                    severity="error",
                    timeout=8,
                )
            self.sub_title = "draft NOT saved: retrying"
            return False
        if saved.recovered:
            self.notify("The draft is saved again.", timeout=4)
        if saved.at is not None:
            self.sub_title = f"draft saved {saved.at:%H:%M:%S}"
        if saved.written:
            self.room_saved()
        return True

    # Sessions ----------------------------------------------------------------

    def start_alignment(self) -> None:
        # Saved from the first edit on: starting and leaving at once leaves no empty draft behind.
        driver = self.session_driver
        self._begin_session(driver.open_draft(driver.new_alignment()))

    def resume_draft(self, draft_id: str) -> None:
        from ..session.driver import DraftGoneError

        try:
            opened = self.session_driver.resume(draft_id)
        except DraftGoneError:
            self.notify("That draft is gone; the list is refreshed.", severity="warning")
            self._home().reload()
            return
        self._begin_session(opened)

    def start_review(self) -> None:
        from .start_review import StartReviewScreen

        self.push_screen(
            StartReviewScreen(self.session_driver.current_plans(), "New review"), self._begin_review
        )

    def start_checkin(self) -> None:
        from .start_review import StartReviewScreen

        plans = self.session_driver.current_plans()
        if not plans:
            self.notify(
                "A check-in follows an agreed plan: start with an alignment session (n).", severity="warning"
            )
            return
        self.push_screen(StartReviewScreen(plans, "New check-in", scratch=False), self._begin_checkin)

    def _begin_checkin(self, plan: Session | bool | None) -> None:
        if plan is not None and not isinstance(plan, bool):
            self._begin_new(lambda: self.session_driver.new_checkin(plan))

    def _begin_review(self, plan: Session | bool | None) -> None:
        if plan is not None:  # None: cancelled; not a plan: from scratch
            self._begin_new(lambda: self.session_driver.new_review(None if isinstance(plan, bool) else plan))

    def _begin_new(self, make: Callable[[], AlignmentDraft]) -> None:
        try:
            draft = make()
        except ReviewtuiError as error:  # the plan's rubric is not found
            self.notify(markup_message(error), severity="error")
            return
        if (problem := self.session_driver.agenda_problem) is not None:
            self.notify(markup_message(problem), title="Agenda not read", severity="warning", timeout=15)
        self._begin_session(self.session_driver.open_draft(draft))  # no draft file until something is typed

    def _begin_session(self, opened: Opened) -> None:
        self.text_histories = TextHistories()
        if opened.lock_problem is not None:
            self.notify(
                f"{markup_text(str(opened.lock_problem))}. The draft is shown read-only.",
                title="Read-only",
                severity="warning",
                timeout=15,
            )
        elif opened.holder is not None:
            self.notify(
                f"This draft is open in another reviewtui ({markup_text(opened.holder)}). It is shown read-only: "
                "nothing you change here is saved.",
                title="Read-only",
                severity="warning",
                timeout=12,
            )
        self.sub_title = f"read-only: {opened.why}" if opened.read_only else ""
        self._run_session()

    def _end_session(self) -> None:
        self.sub_title = self.home_subtitle  # "draft saved" is not said over the home screen or a record
        self.session_driver.close()

    @work(exclusive=True, group="session")
    async def _run_session(self) -> None:
        from .steps.registry import STEP_SCREENS

        driver = self.session_driver
        await self.open_room()  # `reviewtui serve`: participants join this draft
        shown = False  # a step is on screen: the next one replaces it, so home never shows between
        while driver.draft is not None:
            view = driver.step_view()
            screen = STEP_SCREENS[view.flow[view.step]](view.draft, self.context, view.flow, view.done)
            screen.outcome = asyncio.get_running_loop().create_future()
            self.room_step_made(screen)
            await (self.switch_screen(screen) if shown else self.push_screen(screen))
            await self.room_step_shown(screen, view.step)
            shown = True
            result = await screen.outcome
            if result.action == "agree":
                if self._finish(result.draft):
                    self.pop_screen()  # before the archive offer, which a thread pushes later
                    return
                continue
            self._stop_autosave()  # the move saves; a retry, if it fails, is due anew
            self._show_saved(driver.move(result.draft, result.action))
            if result.action == "home":
                await self.close_room()
                self.pop_screen()
                self._end_session()
                self._home().reload()
                return

    def _finish(self, draft: AlignmentDraft) -> bool:
        """Save the agreed plan, the recorded check-in or the signed review, and say so."""
        from ..session.driver import ReadOnlyError, RecordNotSavedError

        try:
            finished = self.session_driver.finish(draft)
        except RecordNotSavedError as error:
            timeout = 12 if error.refused else 8
            self.notify(
                f"The record was not saved: {markup_message(error)}. The draft is kept.",
                severity="error",
                timeout=timeout,
            )
            if error.draft_saved is not None:  # the driver saved the draft instead
                if self.session_driver.save_due_at is None:  # saved: no autosave is due any more
                    self._stop_autosave()
                self._show_saved(error.draft_saved)
            return False
        except ReadOnlyError as error:
            self.notify(markup_message(error))
            return False
        except ReviewtuiError as error:  # the draft's rubric is gone
            self.notify(markup_message(error), severity="error")
            return False
        self.run_worker(self.close_room(f"{finished.what.lower()} and saved", finished=True))
        self._end_session()
        home = self._home()
        home.reload()
        home.flash(f"[b $success]{finished.what} and saved:[/] {markup_path(finished.path)}")
        self.notify(f"Saved to\n{toast_path(self, finished.path)}", title=finished.what, timeout=8)
        if finished.agenda_problem:  # the record is safe; the open topics could not follow it
            self.notify(markup_message(finished.agenda_problem), severity="warning", timeout=12)
        self._after_final_save(finished.subject)
        return True
