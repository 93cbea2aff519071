"""The host's app in a room: its steps kept live with the shared draft, and its edits handed on.

ReviewApp (ui/app.py, ui/session_flow.py) calls these few functions; the host's session driver
stays the one writer of the draft file, and hears every change from the room as `source="room"`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .live_steps import LiveSteps, bind_unbound, current_step
from .presence import RoomBar, mount_room_bar

if TYPE_CHECKING:
    from textual.app import App

    from ...models.draft import AlignmentDraft
    from ...room.shared_draft import SharedDraft
    from ..steps.base import StepScreen

HOST_KEEPS_OUT = frozenset({"step"})
"""The host's own step is its driver's (and `room.host_step`): never taken from the shared draft."""


def open_host_room(app: App[Any], shared: SharedDraft) -> LiveSteps:
    """Bind the host's steps to the room: fields bind as they mount, changes by others reach the driver."""

    def driver_step() -> int:
        session = getattr(app, "open_session", None)
        return session.draft.step if session is not None and session.draft is not None else 0

    def from_room(draft: AlignmentDraft) -> None:
        session = getattr(app, "open_session", None)
        if session is not None:
            session.update(draft, source="room")

    app.shared_draft = shared  # type: ignore[attr-defined]
    live = LiveSteps(app, shared, on_remote=from_room, keeps_out=HOST_KEEPS_OUT, own_step=driver_step)
    screen = current_step(app)
    if screen is not None:  # a step already on screen: its fields mounted before the room was there
        live.shown(screen)
        bind_unbound(screen)
    return live


def close_host_room(app: App[Any], live: LiveSteps) -> None:
    """The room closed: the steps go on as without a room (fields already bound let go on unmount)."""
    live.stop()
    app.shared_draft = None  # type: ignore[attr-defined]
    for bar in app.screen.query(RoomBar):
        bar.remove()


def host_edited(app: App[Any], live: LiveSteps | None, draft: AlignmentDraft) -> AlignmentDraft:
    """The draft to hand the driver for a DraftEdited: merged into the room first when there is one."""
    screen = current_step(app)
    if live is None or screen is None:
        return draft
    return live.local_edit(screen)


def host_step_made(live: LiveSteps | None, screen: StepScreen) -> None:
    """A step screen is made, before it is shown: what it changes from now on is the host's."""
    if live is not None:
        live.shown(screen)


async def host_step_shown(live: LiveSteps | None, screen: StepScreen, step: int) -> None:
    """A step is on the host's screen (after switch_screen): the room bar, and `room.host_step`."""
    if live is None:
        return
    await mount_room_bar(screen, live.shared, me="manager")
    live.shared.set_room(host_step=step)
