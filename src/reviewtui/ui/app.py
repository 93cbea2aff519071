"""The Textual application: screens and routing over a session driver (reviewtui.session.driver).

The driver owns the open draft's life (lock, autosave, fork, final save); the App turns what it
reports into toasts and screens, and runs its autosave on a Textual timer. Step screens never
touch files: they return a `StepResult` or post `DraftEdited`, and the App hands both on.
Importing this module loads neither the step screens, nor the driver, nor pydantic: they load
when first used, and the rubric catalog is read in a thread right after the first frame.
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.timer import Timer

from ..session.catalog import CatalogSource, catalog_source
from ..session.moments import local_now
from ..session.text_history import TextHistories
from .archive_flow import ArchiveFlow
from .experiment_screens import ExperimentScreens
from .folder_screens import FolderScreens
from .keys import PALETTE_BINDING, PaletteCommands, user_keymap
from .room_host import ROOM_BINDING, HostRoomFlow
from .run import after_run, leave_on_signals
from .session_flow import SessionFlow
from .shown_markup import SafeNotifications

if TYPE_CHECKING:
    from ..errors import LoadError
    from ..models.draft import AlignmentDraft, ReviewDraft
    from ..score.weighted import ScoreBreakdown
    from ..session.driver import SessionDriver
    from ..storage import RubricCatalog
    from ..storage.drafts import DraftFile
    from .home import HomeScreen
    from .steps.base import StepContext


class ReviewApp(
    SafeNotifications,
    PaletteCommands,
    HostRoomFlow,
    SessionFlow,
    FolderScreens,
    ExperimentScreens,
    ArchiveFlow,
    App[None],
):
    """reviewtui: home screen, alignment sessions, read-only records."""

    TITLE = "reviewtui"
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute, so subclasses elsewhere find it
    # Short terminals (80x24) hide the rubric's prompts behind F1 to keep the fields in view.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit", tooltip="Save any draft and leave"),
        PALETTE_BINDING,
        ROOM_BINDING,
    ]

    def __init__(
        self,
        sessions_dir: Path,
        catalog: RubricCatalog | CatalogSource | Callable[[], RubricCatalog],
        *,
        clock: Callable[[], dt.datetime] = local_now,
    ) -> None:
        super().__init__()
        self.sessions_dir = sessions_dir
        self._catalog_source = catalog_source(catalog)
        self.clock = clock
        self._session_driver: SessionDriver | None = None
        self._driver_made = threading.Lock()
        self._step_context: StepContext | None = None
        self._autosave: Timer | None = None
        self._quit_asked = False
        self.text_histories = TextHistories()
        """Undo and redo of every text field, for the open draft's life (steps are rebuilt)."""
        self.handle_signals = False
        """run_app sets this: SIGTERM and SIGHUP then save the draft and leave."""
        self.stopped_by: signal.Signals | None = None
        self.crash: BaseException | None = None

    @property
    def catalog(self) -> RubricCatalog:
        """The rubric catalog (read now if the thread started after the first frame has not yet)."""
        return self._catalog_source.get()

    @property
    def session_driver(self) -> SessionDriver:
        """The driver of this app's sessions, made on first use (from any thread)."""
        with self._driver_made:
            if self._session_driver is None:
                from ..session.driver import SessionDriver

                self._session_driver = SessionDriver(
                    self.sessions_dir,
                    self._catalog_source,
                    clock=lambda: self.clock(),
                    on_save_due=self._save_due,
                )
            return self._session_driver

    @property
    def open_session(self) -> SessionDriver | None:
        """The driver while a draft is open, else None."""
        driver = self._session_driver
        return driver if driver is not None and driver.draft is not None else None

    @property
    def draft(self) -> AlignmentDraft | None:
        return self.open_session.draft if self.open_session else None

    @property
    def read_only(self) -> bool:
        """True while the open draft is locked by another reviewtui: shown, never saved."""
        return self.open_session.read_only if self.open_session else False

    @property
    def context(self) -> StepContext:
        """What the steps share: every rubric by id (built when the first step is shown)."""
        if self._step_context is None:
            from .steps.base import StepContext

            self._step_context = StepContext(self.session_driver.rubrics())
        return self._step_context

    def on_mount(self) -> None:
        from .home import HomeScreen

        # The source, not the catalog: home reads it in its worker, off the first frame.
        self.push_screen(HomeScreen(self.sessions_dir, self._catalog_source))
        self.sub_title = self.home_subtitle
        if self.handle_signals:
            leave_on_signals(self._leave_on_signal)
        self.call_after_refresh(self._read_catalog)  # after the first frame, which these would slow
        self.call_after_refresh(self._clean_orphans)

    @work(thread=True, exit_on_error=False)
    def _read_catalog(self) -> None:
        self._catalog_source.get()  # usually ready before the first key; a failed read is retried on use

    @work(thread=True, exit_on_error=False)
    def _clean_orphans(self) -> None:
        from ..storage.atomic import remove_orphaned_temps
        from ..storage.drafts import drafts_dir

        # Temp files left by a save that was killed hold confidential text.
        for folder in (self.sessions_dir, drafts_dir(self.sessions_dir), self.sessions_dir / "exports"):
            remove_orphaned_temps(folder)

    def _leave_on_signal(self, signum: signal.Signals) -> None:
        """SIGTERM or SIGHUP (terminal closed, system shutting down): keep the draft, then leave."""
        self.stopped_by = signum
        self._take_screen_edits()
        self.save_draft_now()
        self.exit(return_code=128 + signum)

    def _take_screen_edits(self) -> None:
        """What the step on screen holds now, including text typed since the last autosave."""
        if self.open_session is None:
            return
        from .steps.base import StepScreen

        if isinstance(self.screen, StepScreen):
            self.open_session.take_unreported(self.screen.collect())

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        # A screenshot is a file holding the whole confidential screen: not from a key press.
        self.notify("Screenshots are turned off in reviewtui: records are confidential.", severity="warning")

    def _fatal_error(self) -> None:
        # Textual's own report prints local variables, which would put review text on the
        # terminal; run_app prints a short message instead and keeps the draft.
        self.crash = self._exception
        self.bell()
        self._close_messages_no_wait()

    # Drafts ----------------------------------------------------------------

    # Home lists the drafts and their steps on its first frame: without loading the driver.
    def list_drafts(self) -> tuple[list[DraftFile], list[LoadError]]:
        from ..storage.drafts import list_drafts

        return list_drafts(self.sessions_dir)

    def flow(self, draft: AlignmentDraft) -> list[str]:
        """The steps of this draft's session, review sections in its rubric's template order."""
        from ..session.steps import flow_of

        source = self.catalog.get(draft.rubric_id)
        return flow_of(draft, source.rubric if source is not None else None)

    def review_score(self, draft: ReviewDraft) -> ScoreBreakdown | None:
        """The score the review would have if signed now, or None while its entries do not parse."""
        return self.session_driver.review_score(draft)

    def on_draft_edited(self, message: Any) -> None:
        if self.open_session is not None:
            self.open_session.update(self.room_host_edited(message.draft), source="keys")

    def _home(self) -> HomeScreen:
        from .home import HomeScreen

        return next(screen for screen in self.screen_stack if isinstance(screen, HomeScreen))

    # Leaving ---------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Ctrl+Q: keep what is on screen in the draft, save it, then leave."""
        self._take_screen_edits()
        if self.save_draft_now() or self._quit_asked:
            await self.close_room("the host left reviewtui")
            self.exit()
            return
        # The draft could not be saved: leaving now would lose it, so ask once more.
        self._quit_asked = True
        self.notify("Press Ctrl+Q again to quit without saving the draft.", severity="warning", timeout=8)


def run_app(
    sessions_dir: Path,
    catalog: RubricCatalog | CatalogSource | Callable[[], RubricCatalog],
    app: ReviewApp | None = None,
    **run: Any,
) -> int:
    """Run the app in the terminal; after a crash or a signal, keep the draft and say so briefly."""
    app = app or ReviewApp(sessions_dir, catalog)
    app.handle_signals = True
    app.set_keymap(user_keymap())  # a bad [keys] entry stops here, before the screen is taken
    app.run(**run)
    return after_run(app, sessions_dir)
