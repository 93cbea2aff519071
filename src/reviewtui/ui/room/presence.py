"""The room bar: one line on every step saying who is in the room, how, where, and how the link is.

Shown by the host's app and by each participant's. It reads the room's `people` (written by the
host: each person's connections, step and field) and the link's state as the app last heard it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from textual.widgets import Static

from ..shown_markup import escape
from ..widgets import STEP_TITLES

if TYPE_CHECKING:
    from pycrdt import Subscription
    from textual.screen import Screen

    from ...room.shared_draft import SharedDraft

VIA_WORDS = {"host_screen": "host's screen", "joined_terminal": "terminal", "browser": "browser"}

STATUS_WORDS = {
    "connecting": "Connecting…",
    "live": "Connected",
    "dropped": "Link lost; reconnecting, your edits are kept",
    "closed": "The host closed the room",
    "refused": "The host refused the link",
}
"""What the bar says for each state of the link (RoomClient.state); the client's own message wins."""


def people_in(shared: SharedDraft) -> list[dict[str, Any]]:
    """The room's people as the host wrote them; [] while it has written none (or something unreadable)."""
    try:
        people = shared.room_info().get("people") or []
        if isinstance(people, str):
            people = json.loads(people)
    except (ValueError, TypeError):  # a room root that does not read: nobody shown, nothing breaks
        return []
    return [person for person in people if isinstance(person, dict)] if isinstance(people, list) else []


def where(person: dict[str, Any], flow: list[str]) -> str:
    """Which step (and field) a person is in, in words."""
    step = person.get("step")
    title = ""
    if isinstance(step, (int, float)) and 0 <= step < len(flow) and step == int(step):  # Yjs: floats
        title = STEP_TITLES.get(flow[int(step)], flow[int(step)])
    field = field_words(str(person.get("field") or ""))
    if title and field:
        return f"{title}: {field}"
    return title or field


def field_words(key: str) -> str:
    """A field key in words: `impact_map.0.how` -> `impact map 1 how` (rows counted from 1)."""
    words = [str(int(part) + 1) if part.isdigit() else part.replace("_", " ") for part in key.split(".")]
    return " ".join(word for word in words if word)


def bar_markup(people: list[dict[str, Any]], flow: list[str], status: str, me: str = "") -> str:
    """The bar's text: the people connected, each with how and where, then the link's state."""
    shown = []
    for person in people:
        vias = [VIA_WORDS.get(via, str(via)) for via in person.get("connected") or []]
        if not vias:
            continue
        name = escape(str(person.get("name") or person.get("key") or "?"))
        if person.get("key") == me:
            name = f"{name} (you)"
        place = where(person, flow)
        detail = ", ".join(vias) + (f" · {escape(place)}" if place else "")
        shown.append(f"[b]{name}[/] {detail}")
    who = " │ ".join(shown) if shown else "Nobody else is in the room yet"
    # The link's state first: when the line is cut at 80 columns, it is the people that go.
    return f"{escape(status)} [dim]│[/] {who}" if status else who


class RoomBar(Static):
    """Who is in the room, how and where; and the state of the link (a participant's)."""

    DEFAULT_CSS = """
    RoomBar { height: 1; padding: 0 1; background: $primary-background; color: $text; text-wrap: nowrap;
              text-overflow: ellipsis; }
    RoomBar.-trouble { background: $warning-muted; }
    RoomBar.-closed { background: $error-muted; }
    """

    def __init__(self, shared: SharedDraft, *, me: str = "", status: str = "", state: str = "") -> None:
        super().__init__(id="room-bar", markup=True)
        self.shared = shared
        self.me = me
        self.status = status
        self.state = state
        self._subscription: Subscription | None = None

    def on_mount(self) -> None:
        self._room = self.shared.doc["room"]  # kept with its subscription, or pycrdt drops the observer
        self._subscription = self._room.observe_deep(self._room_changed)
        self.show()

    def on_unmount(self) -> None:
        if self._subscription is not None:
            self._room.unobserve(self._subscription)
            self._subscription = None

    def _room_changed(self, events: Any) -> None:
        self.app.call_later(self.show)  # not inside the document's transaction

    def set_status(self, state: str, message: str = "") -> None:
        """The link's state changed (RoomClient's on_status): say it, in colour when in trouble."""
        self.state = state
        self.status = message or STATUS_WORDS.get(state, state)
        self.show()

    def show(self) -> None:
        flow = getattr(self.screen, "flow", []) if self.is_attached else []
        self.set_class(self.state in ("dropped", "connecting"), "-trouble")
        self.set_class(self.state in ("closed", "refused"), "-closed")
        self.update(bar_markup(people_in(self.shared), flow, self.status, self.me))


async def mount_room_bar(
    screen: Screen[Any], shared: SharedDraft, *, me: str = "", state: str = ""
) -> RoomBar:
    """Put the room bar on a step screen, above its status line (or find the one already there)."""
    found = screen.query(RoomBar)
    if found:
        return found.first()
    bar = RoomBar(shared, me=me, state=state, status=STATUS_WORDS.get(state, "") if state else "")
    anchors = screen.query("#status-bar")
    await screen.mount(bar, before=anchors.first() if anchors else None)
    return bar
