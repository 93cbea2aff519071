"""F4 on the host: the room's join links, who is in, and how each takes part.

A link is the key to the live draft for one person: it is shown here in full (to paste into the
video call's chat), copied with `c`, and dies when the room closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ..room.addresses import is_loopback
from .shown_markup import markup_text

if TYPE_CHECKING:
    from ..room.host import HostRoom

VIA_WORDS = {"browser": "in a browser", "joined_terminal": "in a terminal", "host_screen": "on this screen"}


class RoomPanel(ModalScreen[None]):
    """The join link of each participant, and who is connected now."""

    BINDINGS = [
        Binding("escape,f4", "dismiss_panel", "Close", id="room.close"),
        Binding("c", "copy_link", "Copy link", id="room.copy"),
    ]

    def __init__(self, room: HostRoom) -> None:
        super().__init__()
        self.room = room

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="room-panel"):
            yield Static("[b]Live session: join links[/b]", classes="heading")
            yield Static(id="room-where")
            yield OptionList(id="room-links")
            yield Static(id="room-note")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_panel()
        self.query_one(OptionList).focus()
        self.set_interval(1.0, self.refresh_panel)  # who is connected changes while it is open

    def refresh_panel(self) -> None:
        links = self.room.links()
        connected: dict[str, list[str]] = {}
        for person, via in self.room.connections():
            connected.setdefault(person.key, []).append(VIA_WORDS.get(via, via))
        options = []
        for person in self.room.people:
            link = links.get(person.key)
            if link is None:
                continue  # the host: no link
            state = ", ".join(connected.get(person.key, [])) or "not connected"
            label = f"[b]{markup_text(person.name)}[/b] ({person.role}) · {state}\n  {markup_text(link)}"
            options.append(Option(label, id=person.key))
        panel = self.query_one(OptionList)
        highlighted = panel.highlighted
        panel.clear_options()
        panel.add_options(options)
        if highlighted is not None and options:
            panel.highlighted = min(highlighted, len(options) - 1)
        where = self.room.options.host
        clear = (
            ""
            if self.room.options.ssl_context is not None or is_loopback(where)
            else (
                " [b $error]Without TLS: anyone on the network path can read the review and take the links.[/]"
            )
        )
        self.query_one("#room-where", Static).update(
            f"Listening on {markup_text(where)}.{clear} Each link lets one person in, as themselves: "
            "send each to its person only (the video call's chat, a direct message)."
        )
        self.query_one("#room-note", Static).update(
            "No link yet for someone without a name: type it on the first step."
            if not options
            else "The links die when the room closes (the draft is closed, saved, or reviewtui quits)."
        )

    def action_copy_link(self) -> None:
        panel = self.query_one(OptionList)
        if panel.highlighted is None:
            return
        key = panel.get_option_at_index(panel.highlighted).id
        link = self.room.links().get(key or "")
        if link:
            self.app.copy_to_clipboard(link)
            self.notify("Link copied (where the terminal allows it).", timeout=3)

    def action_dismiss_panel(self) -> None:
        self.dismiss(None)
