"""The host App's side of a live shared session (`reviewtui serve`): a room for each open draft.

Without room options (plain `reviewtui`) nothing here does anything. With them, opening a draft
opens its room (room/host.py does the work), F4 shows the join links and who is in, and the
room closes, its links dying, when the draft is closed, saved as a record, or the app quits.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from ..errors import ReviewtuiError
from .shown_markup import markup_message

if TYPE_CHECKING:
    from ..models.draft import AlignmentDraft
    from ..room.host import HostRoom, RoomOptions
    from ..room.shared_draft import SharedDraft
    from ..session.driver import SessionDriver
    from .room.live_steps import LiveSteps
    from .steps.base import StepScreen

ROOM_BINDING = Binding(
    "f4", "room", "Room", show=False, id="room.panel", tooltip="The join links and who is in the room"
)


class HostRoomFlow:
    """Mixed into ReviewApp: the room of the open draft when the app is the host of a shared session."""

    room_options: RoomOptions | None = None
    """Set by `reviewtui serve`: where the rooms listen. None: no room is ever opened."""
    links_file: Path | None = None
    """Set by `reviewtui serve --links FILE`: the links are also written there."""
    host_room: HostRoom | None = None
    shared_draft: SharedDraft | None = None
    """The shared document the fields are bound to while a room is open (None: typing is local)."""
    room_live: LiveSteps | None = None
    """Keeps the step on screen and the room together while a room is open."""

    if TYPE_CHECKING:
        session_driver: SessionDriver
        screen: Any

        def notify(self, message: str, **options: object) -> None: ...
        def clock(self) -> Any: ...

    @property
    def home_subtitle(self) -> str:
        """What the title bar says over home: the host of live sessions says so."""
        return "live session host: the draft you open gets a room (F4)" if self.room_options else ""

    _journal_taken_back: str | None = None
    """The draft whose room journal was taken back outside a room: it goes after the next save."""

    def take_back_room_journal(self) -> None:
        """Outside a room, a draft whose host was killed mid-session: its journal's edits come back."""
        driver = self.session_driver
        draft = driver.draft
        if draft is None or driver.read_only:
            return
        from ..storage.drafts import room_journal_path

        journal = room_journal_path(driver.sessions_dir, draft.id)
        if not (journal.is_symlink() or journal.exists()):
            return  # checked without loading pycrdt: the usual case (a link is refused when read)
        from ..room.recovery import journal_state, taken_back

        try:
            shared = journal_state(driver.sessions_dir, draft, driver.draft_sha)
        except ReviewtuiError as error:
            self.notify(
                f"The room journal of this draft was not used: {markup_message(error)}", severity="warning"
            )
            return
        if shared is None:
            return
        recovered = taken_back(shared, draft)
        if recovered != draft:
            driver.update(recovered, source="room journal")
            self.notify(
                "Edits from a live session that reached this reviewtui but were not saved before it stopped "
                "were taken back from the room's journal.",
                title="Draft completed",
                timeout=10,
            )
        self._journal_taken_back = draft.id

    async def open_room(self) -> None:
        """Open the room of the driver's draft (nothing without room options, or read-only)."""
        if self.room_options is None:
            self.take_back_room_journal()
            return
        if self.host_room is not None:
            return
        driver = self.session_driver
        if driver.draft is None:
            return
        if driver.read_only:
            self.notify(
                "No room is opened for a draft shown read-only: only the reviewtui that holds it can host it.",
                severity="warning",
                timeout=10,
            )
            return
        from ..room.host import HostRoom

        room = HostRoom(
            driver, driver.rubrics(), self.room_options, clock=self.clock, on_people=self._write_links
        )
        try:
            await room.start()
        except (ReviewtuiError, OSError) as error:
            self.notify(
                f"The room could not be opened: {markup_message(error)}", severity="error", timeout=12
            )
            await room.close()
            return
        from .room.host_side import open_host_room

        self.host_room = room
        self.room_live = open_host_room(self, room.shared)
        self._write_links()
        if room.recovered:
            self.notify(
                "Edits that reached this reviewtui before it stopped were taken back from the room's journal.",
                title="Room resumed",
                timeout=10,
            )
        self.notify("The room is open: F4 shows the join links.", title="Live session", timeout=8)

    async def close_room(self, why: str = "the host closed the draft", *, finished: bool = False) -> None:
        """Close the room: every participant is told `why`, and their links die."""
        room, self.host_room = self.host_room, None
        if room is None:
            return
        if self.room_live is not None:
            from .room.host_side import close_host_room

            close_host_room(self, self.room_live)
            self.room_live = None
        if finished:
            room.finished()
        await room.close(why)
        self._write_links()

    def room_step_made(self, screen: StepScreen) -> None:
        """A step screen is made, before it shows: what it changes from now on is the host's."""
        from .room.host_side import host_step_made

        host_step_made(self.room_live, screen)

    async def room_step_shown(self, screen: StepScreen, step: int) -> None:
        """A step is on the host's screen: the room bar, and where the host is for those who follow."""
        if self.host_room is None:
            return
        from .room.host_side import host_step_shown

        await host_step_shown(self.room_live, screen, step)
        self.host_room.host_moved(step)

    def room_host_edited(self, draft: AlignmentDraft) -> AlignmentDraft:
        """The host's screen changed the draft: merged into the room (only what the host changed, so
        a participant's edit that reached the fields meanwhile stays); the draft as the room has it."""
        if self.host_room is None:
            return draft
        from .room.host_side import host_edited

        merged = host_edited(self, self.room_live, draft)
        self.host_room.host_edited()
        return merged

    def room_saved(self) -> None:
        if self.host_room is not None:
            self.host_room.after_save()
        elif self._journal_taken_back is not None:  # its edits are in the draft file now
            from ..storage.room_journal import remove_journal

            remove_journal(self.session_driver.sessions_dir, self._journal_taken_back)
            self._journal_taken_back = None

    def _write_links(self) -> None:
        """`--links FILE`: the current links, one `key<TAB>name<TAB>link` line each (empty when closed)."""
        if self.links_file is None:
            return
        from ..storage.output import Managed, output_target

        room = self.host_room
        lines = []
        if room is not None:
            names = {person.key: person.name for person in room.people}
            lines = [f"{key}\t{names.get(key, '')}\t{link}\n" for key, link in sorted(room.links().items())]
        try:
            output_target(self.links_file, "links", Managed([self.session_driver.sessions_dir], [])).write(
                "".join(lines)
            )
        except ReviewtuiError as error:
            self.notify(f"The links file was not written: {markup_message(error)}", severity="warning")

    def action_room(self) -> None:
        if self.host_room is None:
            self.notify(
                "No room is open: start `reviewtui serve`, then open a draft."
                if self.room_options is None
                else "The room opens with a draft: start or resume one.",
                severity="warning",
            )
            return
        from .room_panel import RoomPanel

        self.push_screen(RoomPanel(self.host_room))  # type: ignore[attr-defined]
