"""A participant's reviewtui in a room: the host's draft, live, on the same step screens.

It has no home screen, no records and no files: everything comes from the room's shared draft,
and what the participant types goes back into it (binding.py, live_steps.py). They move through
the steps freely or follow the host (F5), confirm as themselves only (a request the host carries
out), and see who else is in the room on the room bar.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.widgets import Checkbox, Input, Select, SelectionList, TextArea

from ...models.draft_json import draft_from_data
from ...session.moments import local_now
from ...session.text_history import TextHistories
from ..keys import PALETTE_BINDING, PaletteCommands
from ..shown_markup import SafeNotifications
from .live_steps import PARTICIPANT_KEEPS_OUT, LiveSteps, current_step
from .participant_steps import (
    ONLY_THE_HOST,
    LeaveRoomScreen,
    hold_host_fields,
    own_box_id,
    room_rubric,
    room_step_screen,
)
from .presence import RoomBar, mount_room_bar

if TYPE_CHECKING:
    from pycrdt import Subscription

    from ...models import Rubric
    from ...models.draft import AlignmentDraft, ReviewDraft
    from ...room.people import Person
    from ...room.shared_draft import SharedDraft
    from ...score.weighted import ScoreBreakdown

ROLE_WORDS = {"manager": "manager", "employee": "employee", "partner": "partner"}


def unsent_message(unsent: dict[str, int], since: dt.datetime | None) -> str:
    """What did not reach the host: each field edited after the link dropped, in words."""
    from .presence import field_words

    fields = ", ".join(sorted(field_words(key) for key in unsent))
    when = f" after {since:%H:%M:%S}" if since is not None else ""
    return (
        f"These edits did not reach the host: what you typed{when} in {fields}. "
        "Copy it from this screen before leaving, and give it to the host."
    )


CLOSED_MESSAGE = (
    "The host closed the room. Nothing more you type can reach them: the fields are read-only now. "
    "What reached the host before is in their draft. Press Ctrl+Q to leave; ask the host for a new link "
    "if the session goes on."
)


class ParticipantApp(SafeNotifications, PaletteCommands, App[None]):
    """One participant's screen in a room: `client` is the RoomClient that links `shared` to the host."""

    TITLE = "reviewtui · room"
    CSS_PATH = Path(__file__).parent.parent / "app.tcss"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit", tooltip="Leave the room"),
        Binding("f5", "follow", "Follow", id="room.follow", tooltip="Follow the host's step, or move freely"),
        PALETTE_BINDING,
    ]

    def __init__(
        self,
        shared: SharedDraft,
        person: Person,
        client: Any,
        *,
        clock: Callable[[], dt.datetime] = local_now,
    ) -> None:
        super().__init__()
        self.shared_draft: SharedDraft | None = shared
        self.room_person = person
        """Who this screen belongs to: FinalStep leaves the confirmations to the host (it asks instead)."""
        self.client = client
        self.clock = clock
        self.text_histories = TextHistories()
        self.read_only = False
        """True once the room is closed: the fields are shown and cannot be changed."""
        self.follow = False
        self.step = 0
        self._jump_to: int | None = None
        self._live: LiveSteps | None = None
        self._room_subscription: Subscription | None = None
        self._rubric: Rubric | None = None
        self._unsent: dict[str, int] = {}
        """Fields edited while the link was down (by key, with the step): sent on reconnect, or named
        if the room ends first, so the participant knows exactly what did not reach the host."""
        self._dropped_at: dt.datetime | None = None

    # Life ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        from ...shown import terminal_text

        person = self.room_person  # whose screen this is, always in sight (the header)
        self.sub_title = terminal_text(
            f"{person.name or person.key} ({ROLE_WORDS.get(person.role, person.role)})"
        )
        shared = self._shared
        self._rubric = room_rubric(shared.room_info())
        self._rubric_text = shared.room_info().get("rubric")
        self.step = self._host_step()
        self._live = LiveSteps(self, shared, keeps_out=PARTICIPANT_KEEPS_OUT, own_step=lambda: self.step)
        self._room = shared.doc["room"]  # kept with its subscription, or pycrdt drops the observer
        self._room_subscription = self._room.observe_deep(self._room_event)
        self._run_steps()
        state = getattr(self.client, "state", "")
        if state in ("closed", "refused"):
            self.call_after_refresh(self.link_status, state, getattr(self.client, "status", ""))

    def on_unmount(self) -> None:
        if self._live is not None:
            self._live.stop()
        if self._room_subscription is not None:
            self._room.unobserve(self._room_subscription)
            self._room_subscription = None

    @property
    def _shared(self) -> SharedDraft:
        assert self.shared_draft is not None
        return self.shared_draft

    def _host_step(self) -> int:
        step = self._shared.room_info().get("host_step")  # Yjs numbers are floats
        return int(step) if isinstance(step, (int, float)) and step >= 0 and step == int(step) else 0

    def _draft(self) -> AlignmentDraft:
        return draft_from_data(self._shared.draft_data())

    def _flow(self, draft: AlignmentDraft) -> list[str]:
        from ...session.steps import flow_of

        return flow_of(draft, self._rubric)

    @work(exclusive=True, group="room-steps")
    async def _run_steps(self) -> None:
        from ...session.final_save import done_steps
        from ..steps.base import StepContext

        shown = False
        while True:
            draft = self._draft()
            flow = self._flow(draft)
            self.step = max(0, min(self.step, len(flow) - 1))
            draft = draft.model_copy(update={"step": self.step})
            rubrics = {draft.rubric_id: self._rubric} if self._rubric is not None else {}
            done = done_steps(draft, flow, self._rubric, set(rubrics))
            screen = room_step_screen(flow[self.step])(draft, StepContext(rubrics), flow, done)
            screen.outcome = asyncio.get_running_loop().create_future()
            if self._live is not None:
                self._live.shown(screen)
            await (self.switch_screen(screen) if shown else self.push_screen(screen))
            shown = True
            hold_host_fields(screen)
            bar = await mount_room_bar(screen, self._shared, me=self.room_person.key)
            bar.set_status(getattr(self.client, "state", ""), getattr(self.client, "status", ""))
            self._send_presence()
            while True:
                result = await screen.outcome
                if self._jump_to is not None:
                    self.step, self._jump_to = self._jump_to, None
                    break
                if result.action == "home":
                    if await self.push_screen_wait(LeaveRoomScreen()):
                        self.exit()
                        return
                elif result.action in ("next", "back"):
                    self.step += 1 if result.action == "next" else -1
                    if 0 <= self.step < len(flow):
                        break
                    self.step = max(0, min(self.step, len(flow) - 1))
                screen.outcome = asyncio.get_running_loop().create_future()

    def go_to_step(self, step: int) -> None:
        """Show another step now (following the host)."""
        from ..steps.base import StepResult, StepScreen

        screen = self.screen
        if isinstance(screen, StepScreen) and screen.outcome is not None and not screen.outcome.done():
            self._jump_to = step
            screen.outcome.set_result(StepResult("next", screen.draft))

    # The room ----------------------------------------------------------------------------

    def _room_event(self, events: Any) -> None:
        self.call_later(self._room_changed)  # not inside the document's transaction

    def _room_changed(self) -> None:
        info = self._shared.room_info()
        if info.get("rubric") != self._rubric_text:  # the host chose the role: the next steps use it
            self._rubric_text = info.get("rubric")
            self._rubric = room_rubric(info)
        if info.get("closed") and not self.read_only:
            self.link_status("closed", "")
        if self.follow and self._host_step() != self.step:
            self.go_to_step(self._host_step())

    def link_status(self, state: str, message: str) -> None:
        """The link's state changed (pass this as RoomClient's on_status): shown on the room bar."""
        step = current_step(self)
        for bar in step.query(RoomBar) if step is not None else ():
            bar.set_status(state, message)
        if state in ("closed", "refused") and not self.read_only:
            self.read_only = True  # the next steps open read-only too (StepScreen.on_mount)
            fields = "Input, TextArea, Select, SelectionList, Checkbox, Button"
            for field in step.query(fields) if step is not None else ():
                field.disabled = True
            text = CLOSED_MESSAGE if state == "closed" else f"{message} Press Ctrl+Q to leave."
            self.notify(text, title="Room closed", severity="warning", timeout=30)
            if self._unsent:
                self.notify(unsent_message(self._unsent, self._dropped_at), severity="error", timeout=60)
        if state == "live":
            self._unsent, self._dropped_at = {}, None  # the reconnect's sync carried every edit
        elif state == "dropped" and self._dropped_at is None:
            self._dropped_at = self.clock()

    def _send_presence(self) -> None:
        focused = self.focused
        field = ""
        if isinstance(focused, (Input, TextArea, Select, Checkbox, SelectionList)):  # not the page itself
            field = getattr(focused, "field_key", None) or focused.id or ""
        send = getattr(self.client, "send_presence", None)
        if send is not None:
            send(self.step, field, self.follow)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._send_presence()

    def action_follow(self) -> None:
        self.follow = not self.follow
        if self.follow:
            self.notify("Following the host: you move to the step they are on.", timeout=4)
            if self._host_step() != self.step:
                self.go_to_step(self._host_step())
        else:
            self.notify("Moving freely: Ctrl+N and Ctrl+B move only your screen.", timeout=4)
        self._send_presence()

    # Edits and confirmations -----------------------------------------------------------------

    def on_draft_edited(self, message: Any) -> None:
        if getattr(self.client, "state", "live") != "live":  # kept here, sent when the link is back
            focused = self.focused
            key = getattr(focused, "field_key", None) or (focused.id if focused is not None else None)
            if key:
                self._unsent[key] = self.step
        screen = current_step(self)
        if self._live is not None and screen is not None and not self.read_only:
            self._live.local_edit(screen)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        box = event.checkbox
        if box.id != own_box_id(self.room_person) or not box.has_focus or self.read_only:
            return
        asked = self.client.ask("confirm", value=event.value)
        if asked is False:
            self.notify(
                "Not sent: the link to the host is down. Tick it again once connected.", severity="warning"
            )
            with box.prevent(Checkbox.Changed):
                box.value = not event.value
            return
        what = "confirmation" if event.value else "withdrawal of your confirmation"
        self.notify(f"Your {what} is sent to the host, who records it.", timeout=4)

    # What the steps ask of the app -------------------------------------------------------------

    def pick_evidence(self, *args: Any) -> None:
        self.notify(f"{ONLY_THE_HOST} The evidence log is on their machine.", severity="warning")

    def pick_experiment(self, *args: Any) -> None:
        self.notify(f"{ONLY_THE_HOST} The experiment log is on their machine.", severity="warning")

    def pick_feedback(self, *args: Any) -> None:
        self.notify(f"{ONLY_THE_HOST} The feedback files are on their machine.", severity="warning")

    def review_score(self, draft: ReviewDraft) -> ScoreBreakdown | None:
        """The score as the host's screen shows it, from the room's rubric."""
        from .participant_steps import preview_score

        return preview_score(draft, self._rubric, self.clock())

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.notify("Screenshots are turned off in reviewtui: records are confidential.", severity="warning")
