"""The host's side of a live shared session: the room around the one open draft.

The host's reviewtui stays the only writer of files. The draft lives in a shared CRDT document
(`SharedDraft`) that every participant edits; each change that reaches the host is appended to
the room's journal beside the draft at once (so kill -9 of the host loses nothing that reached
it) and handed to the session driver, which autosaves the TOML draft as it always has. A
participant's own confirmation is a request that the host carries out under the identity of the
participant's link, stamped with the host's clock; who wrote which field is recorded the same way.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import ReviewtuiError
from ..models.draft import AlignmentDraft
from ..session.confirmations import confirmed_by
from ..session.contributions import with_written
from ..storage.room_journal import open_journal, remove_journal
from .draft_sides import local_draft, shared_data
from .options import RoomOptions
from .people import Person, Via, people_of
from .recovery import journal_state, taken_back
from .shared_draft import SharedDraft
from .topics import name_new_topics

if TYPE_CHECKING:
    from ..models import Rubric
    from ..session.driver import SessionDriver
    from .server import RoomServer


ASKED_ORIGIN = "host-ask"
"""The origin of what the host writes for a participant (a confirmation, who wrote what)."""


class HostRoom:
    """The room of the host's open draft: the shared document, its server, its journal."""

    def __init__(
        self,
        driver: SessionDriver,
        rubrics: dict[str, Rubric],
        options: RoomOptions,
        *,
        clock: Callable[[], dt.datetime],
        on_draft: Callable[[AlignmentDraft], None] = lambda draft: None,
        on_people: Callable[[], None] = lambda: None,
    ) -> None:
        self.driver = driver
        self.rubrics = rubrics
        """Every rubric by id: a new alignment chooses its rubric in the room."""
        self.options = options
        self.clock = clock
        self.on_draft = on_draft
        """Told the draft as the host now holds it, after a participant changed it."""
        self.on_people = on_people
        """Told when someone joins, leaves or moves (the room bar redraws)."""
        self.shared = SharedDraft()
        self.server: RoomServer | None = None
        self.people: list[Person] = []
        self.recovered = False
        """The room's journal held edits the draft file did not: they were taken back."""
        self.journal_failed = False
        """The journal could not be written: only the autosaved draft file keeps the edits."""
        self._journal = None
        self._subscription = None
        self._sync_due = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._draft_id = driver.draft.id if driver.draft is not None else ""
        self._published_rubric: str | None = None

    # Opening and closing -------------------------------------------------------------

    async def start(self) -> dict[str, str]:
        """Open the room on the driver's draft; the join link of each participant by person key."""
        from .browser import mount_browser
        from .server import RoomServer

        draft = self.driver.draft
        assert draft is not None
        self._loop = asyncio.get_running_loop()
        sessions = self.driver.sessions_dir
        journal = journal_state(sessions, draft, self.driver.draft_sha)
        if journal is not None:
            self.shared = journal
            recovered = taken_back(journal, draft)
            local = {"updated_at", "step"}  # a clean close leaves a journal equal to the draft file
            self.recovered = recovered.model_dump(exclude=local) != draft.model_dump(exclude=local)
            if self.recovered:
                self.driver.update(recovered, source="room journal")
        else:
            self.shared.load(shared_data(draft, None))
        room = self.shared.room_info()
        self.shared.set_room(
            epoch=room.get("epoch") or secrets.token_hex(8),
            host_step=draft.step,
            closed=False,
        )
        self._publish_rubric()
        self.people = people_of(self.shared.draft_data())
        self._journal = open_journal(sessions, draft.id)
        self._journal.compact(self.shared.doc.get_update(), self.driver.draft_sha or "")
        self._subscription = self.shared.doc.observe(self._transaction_done)
        self.server = RoomServer(
            self.shared,
            self.people,
            host=self.options.host,
            port=self.options.port,
            ssl_context=self.options.ssl_context,
            on_ask=self._asked,
            on_change=self._changed,
        )
        if self.options.participant_command:
            mount_browser(
                self.server.app,
                person_of=self.server.person_of,
                internal_link=self.server.mint_internal_link,
                command=self.options.participant_command,
            )
        await self.server.start()
        return self.links()

    def links(self) -> dict[str, str]:
        """Each participant's join link by person key (the host has none)."""
        return dict(self.server.links) if self.server is not None else {}

    def connections(self) -> list[tuple[Person, Via]]:
        return self.server.connections() if self.server is not None else []

    async def close(self, reason: str = "the host closed the draft") -> None:
        """Close every link (their tokens die), and keep the journal only if the draft file lags it."""
        if self.server is not None:
            from .browser import close_browser_tabs

            server, self.server = self.server, None
            await server.close(reason)
            await close_browser_tabs(server.app)  # each browser's app is told, then ends
            await server.stop()
        self._subscription = None
        if self._journal is not None:
            self._journal.close()
        self._journal = None

    def after_save(self) -> None:
        """The draft file was just written: the journal starts again from the state it holds."""
        if self._journal is not None and self.driver.draft_sha:
            self._journal.compact(self.shared.doc.get_update(), self.driver.draft_sha)

    def finished(self) -> None:
        """The record was saved and the draft removed: its journal goes too."""
        remove_journal(self.driver.sessions_dir, self._draft_id)

    # The host's own edits -------------------------------------------------------------

    def host_edited(self) -> None:
        """The host's screen changed the draft (merged into the room by the UI): names may be new."""
        self._refresh_people()

    def _publish_rubric(self) -> None:
        """The draft's rubric in the room (participants' steps need it); again when the role changes."""
        rubric = self.rubrics.get(str(self.shared.draft_data().get("rubric_id", "")))
        text = rubric.model_dump_json() if rubric is not None else ""
        if text != self._published_rubric:
            self._published_rubric = text
            self.shared.set_room(rubric=text)

    def _refresh_people(self) -> None:
        """A name typed on the host's screen gets a link (only the host's screen can change names)."""
        self._publish_rubric()
        people = people_of(self.shared.draft_data())
        if people != self.people and self.server is not None:
            self.people = people
            self.server.update_people(people)
            self.on_people()

    def host_moved(self, step: int) -> None:
        """The host is on another step: participants who follow the host move too."""
        if self.server is not None:
            self.server.set_host_presence(step)

    # What reaches the host ------------------------------------------------------------

    def _transaction_done(self, event: Any) -> None:
        # Inside pycrdt's commit: keep the update now (the journal), act on it just after.
        if self._journal is not None:
            try:
                self._journal.append(event.update)
            except ReviewtuiError:
                # The draft file still gets every change through the autosave, which says if it fails.
                self._journal, self.journal_failed = None, True
        if not self._sync_due and self._loop is not None:
            self._sync_due = True
            self._loop.call_soon(self._sync_driver)

    def _sync_driver(self) -> None:
        """Hand the shared draft to the driver, which autosaves it (many changes, one update)."""
        self._sync_due = False
        mine = self.driver.draft
        if mine is None:
            return
        try:
            draft = local_draft(self.shared.draft_data(), mine)
        except ReviewtuiError:
            return
        except ValueError:
            return  # a participant's change the draft format refuses: the next change will do
        if draft != mine:
            self.driver.update(draft, source="room")
            self.on_draft(self.driver.draft or draft)

    def _asked(self, person: Person, via: Via, payload: dict[str, Any]) -> None:
        """A participant confirms (or withdraws) as the person their link belongs to."""
        if payload.get("ask") != "confirm" or not isinstance(payload.get("value"), bool):
            return
        if self._loop is not None:
            self._loop.call_soon(self._confirm, person, via, payload["value"])

    def _confirm(self, person: Person, via: Via, value: bool) -> None:
        mine = self.driver.draft
        if mine is None:
            return
        draft = confirmed_by(mine, person.key, person.name, person.role, value, self.clock(), via)
        # Not the host screen's own origin: its final step is rebuilt to show the confirmation.
        self.shared.reconcile(shared_data(draft, self.shared.draft_data()), origin=ASKED_ORIGIN)

    def _changed(self, person: Person | None, via: Via | None, fields: set[str]) -> None:
        """A participant's edit reached the host: their name goes on the fields they wrote in."""
        if person is None or via is None or not fields or self._loop is None:
            return
        self._loop.call_soon(self._credit, person, via, frozenset(fields))

    def _credit(self, person: Person, via: Via, fields: frozenset[str]) -> None:
        mine = self.driver.draft
        if mine is None:
            return
        name_new_topics(self.shared, person, via, fields, self.clock(), origin=ASKED_ORIGIN)
        draft = with_written(mine, set(fields), person.name, person.role, via)
        if draft.contributions != mine.contributions:
            self.shared.reconcile(
                shared_data(draft, self.shared.draft_data()), origin=ASKED_ORIGIN, only=["contributions"]
            )
