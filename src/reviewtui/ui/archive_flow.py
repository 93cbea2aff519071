"""The App's side of archiving in git: the offer after a final save, and `g` on the home screen.

The session driver decides and does (settings, git); this mixin runs it off the event loop
and says what happened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from ..errors import ReviewtuiError
from .shown_markup import escape, markup_message, markup_path

if TYPE_CHECKING:
    from ..session.driver import SessionDriver


class ArchiveFlow:
    """Mixed into ReviewApp: archive offers and archiving, in worker threads."""

    if TYPE_CHECKING:
        session_driver: SessionDriver

    @work(thread=True, group="archive", exit_on_error=False)
    def _after_final_save(self, what: str) -> None:
        """In a git repository, archive the new record as the settings say: ask, always or never."""
        offer = self.session_driver.archive_offer()
        if offer is None:
            return
        if offer.settings_error is not None:
            self.call_from_thread(  # type: ignore[attr-defined]
                self.notify,  # type: ignore[attr-defined]
                markup_message(offer.settings_error),
                title="Settings not read: asking",
                severity="warning",
            )
        if offer.choice == "always":
            self._archive()
        elif offer.choice == "ask":
            from .archive import ArchiveOfferScreen

            self.call_from_thread(  # type: ignore[attr-defined]
                self.push_screen,  # type: ignore[attr-defined]
                ArchiveOfferScreen(what, str(offer.root)),
                self._archive_chosen,
            )

    def _archive_chosen(self, choice: str | None) -> None:
        say = self.notify  # type: ignore[attr-defined]
        if choice in ("always", "never"):
            try:
                where = self.session_driver.remember_archive_choice(choice)  # type: ignore[arg-type]
                say(f"From now on: {choice}. Kept in {markup_path(where)}.", title="Archive after saving")
            except ReviewtuiError as error:
                say(markup_message(error), title="The setting was not saved", severity="error", timeout=8)
        if choice in ("now", "always"):
            self.archive_in_background()

    def archive_in_background(self) -> None:
        """`reviewtui archive`, off the event loop: git may run hooks for a while."""
        if any(worker.group == "archive" and worker.is_running for worker in self.workers):  # type: ignore[attr-defined]
            # A second git would only find the first one's lock.
            self.notify("Archiving is already under way.", title="Archive")  # type: ignore[attr-defined]
            return
        self._archive_worker()

    @work(thread=True, group="archive", exit_on_error=False)
    def _archive_worker(self) -> None:
        self._archive()

    def _archive(self) -> None:
        # Runs in a worker thread: everything it says goes through call_from_thread.
        from ..storage.archiving import NothingToArchiveError

        def say(message: str, **options: object) -> None:
            self.call_from_thread(self.notify, message, **options)  # type: ignore[attr-defined]

        try:
            result = self.session_driver.archive()
        except NothingToArchiveError as error:
            say(markup_message(error), title="Archive")
            return
        except ReviewtuiError as error:
            say(markup_message(error), title="Not archived", severity="error", timeout=12)
            return
        files = f"{len(result.paths)} file{'s' if len(result.paths) != 1 else ''}"
        subject = result.message.splitlines()[0]
        say(f"{escape(subject)} ({files}, commit {result.commit})", title="Archived in git", timeout=8)
