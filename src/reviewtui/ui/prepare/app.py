"""The fill app: one preparation file on screen, saved back into itself a second after each edit.

As the main app's drafts: an edit makes a save due `AUTOSAVE_SECONDS` later (one timer, not
pushed back by later keys, so a steady typist is saved every second), a failed save is said once
and retried `RETRY_SECONDS` later, Ctrl+Q saves before leaving (and asks again when it could not),
SIGTERM and SIGHUP save and leave, and a crash saves what was collected last and prints no text
of it (Textual's own crash report would print local variables, answers among them).
"""

from __future__ import annotations

import datetime as dt
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError
from textual.app import App
from textual.binding import Binding
from textual.timer import Timer

from ...errors import ReviewtuiError
from ...models.preparation import Preparation
from ...session.moments import local_now
from ...shown import shown_path
from ...storage.messages import field_problems
from ...storage.preparation_file import (
    OpenedPreparation,
    PreparationChangedError,
    beside,
    save_preparation,
)
from ..notices import toast_path
from ..run import leave_on_signals
from ..shown_markup import SafeNotifications, markup_message
from .answers import unfinished_summary, with_answers
from .base import FillScreen

AUTOSAVE_SECONDS = 1.0
RETRY_SECONDS = 5.0


def _same_answers(one: Preparation, other: Preparation) -> bool:
    return one.model_copy(update={"written_at": None}) == other.model_copy(update={"written_at": None})


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


class PrepareApp(SafeNotifications, App[None]):
    """`reviewtui prepare fill FILE`: the employee's self-assessment or a partner's observations."""

    TITLE = "reviewtui prepare"
    CSS_PATH = [Path(__file__).parent.parent / "app.tcss", Path(__file__).parent / "prepare.tcss"]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit", tooltip="Save and leave"),
        Binding("ctrl+s", "save", "Save", priority=True, id="fill.save", tooltip="Save now"),
    ]
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, opened: OpenedPreparation, *, clock: Callable[[], dt.datetime] = local_now) -> None:
        super().__init__()
        self.path = opened.path
        self.saved = opened.preparation
        """The answers as last read or written."""
        self.latest = opened.preparation
        """The answers as the screen last held them (kept for a save after a crash)."""
        self.refused: list[str] = []
        """Why what is on screen cannot be saved as it is (`key: message`), empty when it can."""
        self._sha: str | None = opened.sha256
        self.clock = clock
        self._autosave: Timer | None = None
        self._failing = False
        self._quit_asked = False
        self.handle_signals = False
        """run_fill sets this: SIGTERM and SIGHUP then save and leave."""
        self.stopped_by: signal.Signals | None = None
        self.crash: BaseException | None = None
        self.moved_to: Path | None = None
        """Set when the file changed under us and the answers went to a new file beside it."""

    def on_mount(self) -> None:
        from .employee import EmployeeScreen
        from .partner import PartnerScreen

        screen = EmployeeScreen if self.saved.role == "employee" else PartnerScreen
        self.push_screen(screen(self.saved))
        self.sub_title = shown_path(self.path.name)
        if self.handle_signals:
            leave_on_signals(self._leave_on_signal)

    # Edits ------------------------------------------------------------------------------

    def _collect(self) -> None:
        screen = self.screen
        if not isinstance(screen, FillScreen) or not screen.is_mounted:
            return
        try:
            self.latest = with_answers(self.saved, screen.answers())
            self.refused = []
        except ValidationError as error:  # a merge-conflict line pasted into a text, for one
            self.refused = field_problems(Preparation, error)

    def answers_edited(self, initial: bool = False) -> None:
        """A field changed (or the screen is shown): say where things stand, and make a save due."""
        self._collect()
        self._show_status()
        if not initial and self._autosave is None and not _same_answers(self.latest, self.saved):
            self._autosave = self.set_timer(AUTOSAVE_SECONDS, self._autosave_due)

    def _show_status(self) -> None:
        screen = self.screen
        if not isinstance(screen, FillScreen):
            return
        if self.refused:
            screen.show_status(f"[b $error]Not saved:[/] {markup_message(self.refused[0])}")
            return
        begun = unfinished_summary(self.latest)
        if self.latest.role == "employee":
            rated = len(self.latest.ratings)
            text = (
                f"{rated}/{len(self.latest.competencies)} competencies rated · "
                f"{_count(len(self.latest.objectives), 'objective')} · {_count(len(self.latest.topics), 'topic')}"
            )
        else:
            text = _count(len(self.latest.observations), "observation")
        if begun:
            text += f" · [$warning]begun: {markup_message(begun)}[/]"
        screen.show_status(text)

    def _autosave_due(self) -> None:
        self._autosave = None
        self.save_now()

    # Saving ---------------------------------------------------------------------------------

    def save_now(self) -> bool:
        """Save what is on screen if it changed; False (said, retried) when it could not be saved."""
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None
        self._collect()
        if self.refused:
            self._retry_later()
            return False
        if _same_answers(self.latest, self.saved):
            return True
        answers = self.latest.model_copy(update={"written_at": self.clock()})
        try:
            try:
                self._sha = save_preparation(self.path, answers, self._sha)
            except PreparationChangedError:
                self._move_beside()
                self._sha = save_preparation(self.path, answers, None)
        except ReviewtuiError as error:
            first, self._failing = not self._failing, True
            if first:
                self.notify(
                    f"Not saved: {markup_message(error)}. Nothing is lost while the app is open; retrying.",
                    severity="error",
                    timeout=10,
                )
            self.sub_title = "NOT saved: retrying"
            self._retry_later()
            return False
        if self._failing:
            self.notify("Your answers are saved again.", timeout=4)
        self._failing = False
        self.saved = self.latest = answers
        assert answers.written_at is not None
        self.sub_title = f"{shown_path(self.path.name)} · saved {answers.written_at:%H:%M:%S}"
        return True

    def _move_beside(self) -> None:
        old = self.path
        self.path = self.moved_to = beside(old, self.clock())
        self.notify(
            f"{toast_path(self, old)}\nchanged on disk since it was opened (another reviewtui, or an editor). "
            f"Nothing was overwritten: your answers are now saved in\n{toast_path(self, self.path)}\n"
            "Send that file back.",
            title="File changed elsewhere",
            severity="warning",
            timeout=20,
        )

    def _retry_later(self) -> None:
        if self._autosave is None:
            self._autosave = self.set_timer(RETRY_SECONDS, self._autosave_due)

    def action_save(self) -> None:
        if self.save_now():
            self.notify(f"Saved in\n{toast_path(self, self.path)}", timeout=4)

    # Leaving ----------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Ctrl+Q: save, then leave; when the save failed, only a second Ctrl+Q leaves."""
        if self.save_now() or self._quit_asked:
            self.exit()
            return
        self._quit_asked = True
        self.notify("Press Ctrl+Q again to leave without saving.", severity="warning", timeout=8)

    def _leave_on_signal(self, signum: signal.Signals) -> None:
        self.stopped_by = signum
        self.save_now()
        self.exit(return_code=128 + signum)

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.notify("Screenshots are turned off: the answers are confidential.", severity="warning")

    def _fatal_error(self) -> None:
        # Textual's report prints local variables (the answers); run_fill says briefly what happened.
        self.crash = self._exception
        self.bell()
        self._close_messages_no_wait()

    def save_after_crash(self) -> str:
        """With the event loop gone: write what was collected last, and say where, without any of its text."""
        if self.refused:
            return f"The last edits could not be saved as they were; the answers before them are in {shown_path(self.path)}."
        if _same_answers(self.latest, self.saved):
            return f"Your answers are saved in {shown_path(self.path)}."
        try:
            answers = self.latest.model_copy(update={"written_at": self.clock()})
            save_preparation(self.path, answers, self._sha)
        except ReviewtuiError as error:
            return f"The last answers could not be saved: {error}."
        return f"Your answers are saved in {shown_path(self.path)}."


def run_fill(opened: OpenedPreparation, app: PrepareApp | None = None, **run: object) -> int:
    """Run the fill app in the terminal; after a crash or a signal, say briefly what became of the answers."""
    from ..keys import user_keymap

    app = app or PrepareApp(opened)
    app.handle_signals = True
    app.set_keymap(user_keymap())  # the same `[keys]` as the main app; a bad entry stops here, with its line
    app.run(**run)  # type: ignore[arg-type]
    if app.crash is not None:
        name = type(app.crash).__name__
        print(f"reviewtui stopped on an unexpected error ({name}). {app.save_after_crash()}", file=sys.stderr)
        return 1
    if app.moved_to is not None:
        print(f"Your answers are in {shown_path(app.moved_to)} (the file you opened changed meanwhile).")
    if app.stopped_by is not None:
        print(f"reviewtui stopped by {app.stopped_by.name}. Your answers are saved.", file=sys.stderr)
    return app.return_code or 0
