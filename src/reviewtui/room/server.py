"""The host's side of a room: one aiohttp server, every route behind a person's token.

`RoomServer` runs on the caller's asyncio loop (the host is a Textual app: no `web.run_app`,
no signal handlers). Its only route of its own is `/j/{token}/crdt`, the Yjs sync websocket,
served by a `YRoom` on the host's own `Doc`; the browser routes are mounted on `.app` by
room/browser.py. A gate middleware answers every other path, and any path with an unknown or
dead token, with a bare 403 (empty body, no Server header) before any handler or upgrade runs.

Participants can only send edits of the draft: every update they send is tried by the guard
first (room/guard.py); an update it refuses is not applied and the socket is closed with 4003.
Presence and confirmations never come from the shared document: the host writes them into the
`room` root from what it knows (whose token a socket opened, presence frames on that socket).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import shutil
import socket
import ssl
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from aiohttp import web
from pycrdt import TransactionEvent, YMessageType, YSyncMessageType
from pycrdt.websocket import YRoom

from .channel import (
    CLOSE_REFUSED,
    CLOSE_ROOM_CLOSED,
    HEARTBEAT_SECONDS,
    UNIX_SCHEME,
    RecentUpdates,
    Verdict,
    WebsocketChannel,
    update_of,
)
from .guard import fields_changed, refusal
from .people import Person, Via, presence_rows
from .shared_draft import SharedDraft
from .tokens import Pass, TokenBook

log = logging.getLogger(__name__)

_EMPTY_UPDATE = b"\x00\x00"
SOCKET_NAME = "room.sock"
MAX_FIELD_KEY = 200

AskHandler = Callable[[Person, Via, dict], None]
ChangeHandler = Callable[[Person | None, Via | None, set[str]], None]


@dataclass(eq=False)
class Connection:
    """One open `/crdt` socket: whose token opened it and where they are."""

    person: Person
    via: Via
    channel: WebsocketChannel
    step: int | None = None
    field: str = ""
    follow: bool = False
    since: float = dataclasses.field(default_factory=lambda: asyncio.get_running_loop().time())


class RoomServer:
    """The room's server. `await start()`, then share `.links`; `await close(reason)` ends the room,
    `await stop()` (or leaving `async with`) also stops listening.

    `on_ask(person, via, payload)`: a participant asked the host to act as them (`payload` as sent,
    e.g. `{"type": "ask", "ask": "confirm", "value": true}`; `person` and `via` are the token's,
    whatever the payload says). `on_change(person, via, fields)`: right after a participant's
    update was applied, the field keys it changed; never for the host's own edits, nor for an
    update a participant only sent back. Both are called on the loop, synchronously.
    """

    def __init__(
        self,
        shared: SharedDraft,
        people: list[Person],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
        on_ask: AskHandler | None = None,
        on_change: ChangeHandler | None = None,
    ) -> None:
        self.shared = shared
        self.people = list(people)
        self.host = host
        self.port = port
        self.ssl_context = ssl_context
        self._on_ask = on_ask
        self._on_change = on_change
        self._tokens = TokenBook()
        self._links: dict[str, str] = {}
        self._connections: set[Connection] = set()
        self._closing: set[asyncio.Future] = set()
        self._host_step: int | None = None
        self._host_field = ""
        self._closed = False
        self._room = YRoom(ydoc=shared.doc, ready=True, log=log, exception_handler=_logged)
        # What the host's doc already holds, as update bytes: a participant's Provider sends back
        # the updates it only received (pycrdt does not filter them), and such an echo must not be
        # counted as that participant's writing. Kept referenced: a dropped Subscription stops.
        self._held = RecentUpdates()
        self._held_subscription = shared.doc.observe(self._note_held)
        self._room_task: asyncio.Task | None = None
        self._room_stop = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._socket_folder: Path | None = None
        self.app = web.Application(middlewares=[self._gate])
        self.app.on_response_prepare.append(_strip_server_header)
        self.app.router.add_get("/j/{token}/crdt", self._crdt)

    # Life -----------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the room and listen; `.port` is then the bound port (port 0 picks a free one)."""
        started = asyncio.Event()
        self._room_task = asyncio.create_task(self._run_room(started), name="reviewtui-yroom")
        await started.wait()
        self._runner = web.AppRunner(self.app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, ssl_context=self.ssl_context)
        try:
            await site.start()  # OSError when the port is taken or the address is not this machine's
        except BaseException:
            self._closed = True
            self._room_stop.set()
            await self._room_task
            self.shared.doc.unobserve(self._held_subscription)
            await self._runner.cleanup()
            self._runner = None
            raise
        self.port = self._runner.addresses[0][1]
        # The browser apps the host spawns connect back over a Unix socket in a private folder:
        # it works whatever address and TLS certificate the room listens with, and only this
        # user can reach it (the token is still needed).
        self._socket_folder = Path(tempfile.mkdtemp(prefix="reviewtui-room-"))
        await web.UnixSite(self._runner, str(self._socket_folder / SOCKET_NAME)).start()
        for person in self.people:
            if person.role != "manager":  # the manager is the host, at its own keyboard
                self._links[person.key] = self._url(self._tokens.issue(person))
        self._write_presence()

    async def close(self, reason: str = "The host closed the room") -> None:
        """End the room: say so on every socket, close each with 4000, forget every token.

        The listener stays up (every route answers 403) until `stop()`.
        """
        if self._closed:
            return
        self._closed = True
        self._tokens.forget_all()
        self._links.clear()
        self.shared.set_room(closed=True)
        connections = list(self._connections)
        for connection in connections:
            await connection.channel.send_json({"type": "closing", "reason": reason})
        await asyncio.gather(
            *(c.channel.close(CLOSE_ROOM_CLOSED, reason) for c in connections), return_exceptions=True
        )
        self._room_stop.set()
        if self._room_task is not None:
            await self._room_task
        self.shared.doc.unobserve(self._held_subscription)

    async def stop(self) -> None:
        """Close the room if it is open, then stop listening."""
        await self.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._socket_folder is not None:
            shutil.rmtree(self._socket_folder, ignore_errors=True)
            self._socket_folder = None

    async def __aenter__(self) -> RoomServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _run_room(self, started: asyncio.Event) -> None:
        # The YRoom's task group lives in this one task: anyio's cancel scopes must be entered
        # and left by the same task, and start()/close() may be called from different ones.
        async with self._room:
            started.set()
            await self._room_stop.wait()

    # What the host app reads and sets ----------------------------------------------------------

    @property
    def links(self) -> dict[str, str]:
        """Join link of each participant (not the manager) by person key; empty once closed."""
        return dict(self._links)

    @property
    def closed(self) -> bool:
        return self._closed

    def mint_internal_link(self, person: Person) -> str:
        """A single-use link for the browser app the host spawns: its connection counts as "browser".

        It reaches the room over the host's private Unix socket:
        `http+unix://<the socket's path, percent-encoded>/j/<token>/` (RoomClient knows it).
        """
        if self._closed or self._socket_folder is None:
            raise RuntimeError("the room is not open")
        socket_path = quote(str(self._socket_folder / SOCKET_NAME), safe="")
        return f"{UNIX_SCHEME}://{socket_path}/j/{self._tokens.mint_internal(person)}/"

    def update_people(self, people: list[Person]) -> None:
        """The host's screen named someone new, renamed someone, or removed a partner: a new person
        gets a link, a renamed one keeps theirs, and a removed one's link dies."""
        if self._closed:
            return
        by_key = {person.key: person for person in people}
        self.people = list(people)
        self._tokens.renamed(by_key)
        for connection in list(self._connections):
            if connection.person.key in by_key:
                connection.person = by_key[connection.person.key]
            else:  # taken off the draft on the host's screen: out of the room too
                closing = asyncio.ensure_future(
                    connection.channel.close(CLOSE_ROOM_CLOSED, "The host took you off this session")
                )
                self._closing.add(closing)
                closing.add_done_callback(self._closing.discard)
        for key in list(self._links):
            if key not in by_key:
                del self._links[key]
        for person in people:
            if person.role != "manager" and person.key not in self._links:
                self._links[person.key] = self._url(self._tokens.issue(person))
        self._write_presence()

    def person_of(self, request: web.Request) -> Person | None:
        """Whose page this request is for (None for a browser app's own single-use link)."""
        entry = self._pass_of(request)
        return entry.person if entry is not None and not entry.single_use else None

    def connections(self) -> list[tuple[Person, Via]]:
        """Who is connected now, and how (one entry per open socket), oldest first."""
        ordered = sorted(self._connections, key=lambda c: c.since)
        return [(c.person, c.via) for c in ordered]

    def set_host_presence(self, step: int, field_key: str = "") -> None:
        """Where the host is: written into the room's presence like a participant's."""
        self._host_step, self._host_field = step, field_key
        self._write_presence()

    def _url(self, token: str) -> str:
        scheme = "https" if self.ssl_context is not None else "http"
        host = self.host
        if host in ("0.0.0.0", "::", ""):  # every address: the link names this machine as others reach it
            host = socket.getfqdn()
        host = f"[{host}]" if ":" in host else host
        return f"{scheme}://{host}:{self.port}/j/{token}/"

    # The gate ---------------------------------------------------------------------------------

    @web.middleware
    async def _gate(self, request: web.Request, handler) -> web.StreamResponse:
        entry = self._pass_of(request)
        if entry is None:
            return web.Response(status=403)
        return await handler(request)

    def _pass_of(self, request: web.Request) -> Pass | None:
        parts = request.raw_path.split("?", 1)[0].split("/")
        if len(parts) < 4 or parts[0] != "" or parts[1] != "j" or not parts[2]:
            return None
        # No dot segments or escapes: the router normalizes them, which could route one token's
        # path to another's (/j/A/../B/crdt).
        if any(part in (".", "..") or "%" in part or "\\" in part for part in parts[2:]):
            return None
        if not request.path.startswith(f"/j/{parts[2]}/"):
            return None
        return self._tokens.lookup(parts[2])

    # The sync socket ----------------------------------------------------------------------------

    async def _crdt(self, request: web.Request) -> web.StreamResponse:
        entry = self._pass_of(request)  # the gate let it through: the same lookup finds it
        # A peer that never answers our close frame holds close() for at most `timeout` seconds.
        ws = web.WebSocketResponse(heartbeat=HEARTBEAT_SECONDS, timeout=2.0)
        if entry is None or not ws.can_prepare(request).ok:
            return web.Response(status=400)
        await ws.prepare(request)
        if self._closed:  # the room closed while this socket was being opened
            await ws.close(code=CLOSE_ROOM_CLOSED, message=b"The host closed the room")
            return ws
        self._tokens.use(entry)
        connection: Connection
        channel = WebsocketChannel(
            ws,
            request.path,
            on_text=lambda data: self._heard(connection, data),
            screen=lambda message: self._screen(connection, message),
        )
        connection = Connection(entry.person, entry.via, channel)
        # Before the sync: the participant's app shows, and confirms as, the person of the link.
        person = entry.person
        await channel.send_json(
            {"type": "welcome", "person": {"key": person.key, "name": person.name, "role": person.role}}
            | {"via": entry.via}
        )
        self._connections.add(connection)
        self._write_presence()
        log.info("%s joined (%s)", entry.person.key, entry.via)
        try:
            await self._room.serve(connection.channel)
        finally:
            self._connections.discard(connection)
            if not self._closed:
                self._write_presence()
            log.info("%s left (%s), close code %s", entry.person.key, entry.via, ws.close_code)
        return ws

    async def _screen(self, connection: Connection, message: bytes) -> Verdict:
        """Let a participant's frame reach the YRoom only if it is a sync message the guard allows."""
        if len(message) < 2 or message[0] != YMessageType.SYNC:
            return "skip"  # awareness states are client-claimed: presence comes from the host
        if message[1] == YSyncMessageType.SYNC_STEP1:
            return "pass"
        if message[1] not in (YSyncMessageType.SYNC_STEP2, YSyncMessageType.SYNC_UPDATE):
            return "skip"
        try:
            update = update_of(message)
            if update is None:
                raise ValueError("a sync message without its update")
            if update in self._held:
                return "skip"  # an echo: the host has it already, and someone else wrote it
            reason = None if update == _EMPTY_UPDATE else refusal(self.shared, update)
            fields = set() if reason or update == _EMPTY_UPDATE else fields_changed(self.shared, update)
        except Exception:  # whatever a peer sends, the room goes on: its socket is closed
            log.info("unreadable update from %s", connection.person.key, exc_info=True)
            reason, fields = "an update the host could not read", set()
        if reason is not None:
            log.warning("update from %s refused: %s", connection.person.key, reason)
            await connection.channel.close(CLOSE_REFUSED, reason)
            return "stop"
        self._held.add(update)
        if fields and self._on_change is not None:
            # The YRoom applies the update right after this returns, before it next awaits.
            asyncio.get_running_loop().call_soon(self._on_change, connection.person, connection.via, fields)
        return "pass"

    def _note_held(self, event: TransactionEvent) -> None:
        self._held.add(event.update)

    def _heard(self, connection: Connection, data: dict) -> None:
        kind = data.get("type")
        if kind == "presence":
            step, field_key, follow = data.get("step"), data.get("field", ""), data.get("follow", False)
            if isinstance(step, int) and not isinstance(step, bool) and 0 <= step <= 100:
                connection.step = step
            if isinstance(field_key, str) and len(field_key) <= MAX_FIELD_KEY:
                connection.field = field_key
            if isinstance(follow, bool):
                connection.follow = follow
            self._write_presence()
        elif kind == "ask" and self._on_ask is not None and not self._closed:
            try:
                self._on_ask(connection.person, connection.via, data)
            except Exception:  # the host's handler failing must not drop the participant
                log.exception("handling an ask from %s failed", connection.person.key)

    # Presence in the room root ------------------------------------------------------------------

    def presence(self) -> list[dict]:
        """`room.people` as the host writes it: every person, connected vias, step and field."""
        host = (self._host_step, self._host_field) if not self._closed else None
        return presence_rows(self.people, self._connections, host)

    def _write_presence(self) -> None:
        people = self.presence()
        if self.shared.people() != people:  # one write per change: each write reaches everyone
            self.shared.set_room(people=people)


def _logged(error: Exception, logger: logging.Logger) -> bool:
    # One participant's broken socket must not stop the room for everyone.
    logger.warning("room: %s", error, exc_info=error)
    return True


async def _strip_server_header(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.pop("Server", None)
