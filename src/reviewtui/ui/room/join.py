"""Running a participant's app on a join link: the room's client and the app on one event loop.

`reviewtui join LINK` and the browser's `reviewtui _participant` both end here. The client is
left normally when the app ends, so what was typed last is flushed to the host first.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, Any

from .participant_app import ParticipantApp

if TYPE_CHECKING:
    from ...room.people import Person


JOIN_TIMEOUT = 15.0
"""How long joining waits for the host before it says the room cannot be reached."""


async def run_joined(
    link: str, person: Person | None = None, *, cafile: str | None = None, **run: Any
) -> str:
    """Join the room at `link` as `person` and run the app until they leave.

    Returns "" after a normal run, or the reason the room could not be joined (refused, closed,
    unreachable: the client's own message), to print instead of starting the app.
    """
    from ...room.client import RoomClient
    from ...room.shared_draft import SharedDraft

    shared = SharedDraft()
    running: list[ParticipantApp] = []

    def status(state: str, message: str) -> None:
        if running and running[0].is_running:
            running[0].link_status(state, message)

    async with RoomClient(link, shared, cafile=cafile, on_status=status) as client:
        print("Connecting to the room…", file=sys.stderr, flush=True)
        try:
            synced = await asyncio.wait_for(client.synced(), JOIN_TIMEOUT)
        except TimeoutError:
            return (
                f"Cannot reach the host's room after {JOIN_TIMEOUT:.0f} s: it may be closed, or the host's "
                "reviewtui has stopped. Ask the host whether the room is open, or for a new link."
            )
        if not synced:
            return client.status
        person = person or client.person
        if person is None:
            return "The host did not say whose link this is; ask the host for a new link"
        app = ParticipantApp(shared, person, client)
        running.append(app)
        await app.run_async(**run)
    return ""
