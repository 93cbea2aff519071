"""A participant's side of a room: keeps a `SharedDraft` in sync with the host over `<link>crdt`.

`RoomClient` runs pycrdt's `Provider` over an aiohttp websocket and does what the Provider does
not: it notices a dropped link (the socket ends; the Provider would just sit there), tells the
participant in plain words, and reconnects with the same link, backing off. Edits typed while the
link is down stay in the local document and reach the host with the sync handshake of the next
connection. It writes nothing to disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Callable
from typing import Literal
from urllib.parse import unquote, urlsplit

from aiohttp import (
    ClientConnectorCertificateError,
    ClientError,
    ClientSession,
    ClientTimeout,
    UnixConnector,
    WSServerHandshakeError,
)
from pycrdt import Provider

from .channel import CLOSE_REFUSED, CLOSE_ROOM_CLOSED, HEARTBEAT_SECONDS, UNIX_SCHEME, WebsocketChannel
from .links import TOKEN, LinkError, parse_link
from .people import Person
from .shared_draft import SharedDraft

log = logging.getLogger(__name__)

State = Literal["connecting", "live", "dropped", "closed", "refused"]
StatusHandler = Callable[[str, str], None]

CONNECTED = "Connected to the room"
CONNECTING = "Connecting to the room"
UNREACHABLE = "Cannot reach the host yet; trying again"
DROPPED = "Link to the host lost; reconnecting (your edits are kept here)"
HOST_CLOSED = "The host closed the room"
LINK_DEAD = "This link is not valid any more"
LEFT = "You left the room"
BACKOFF_FIRST, BACKOFF_MAX = 0.2, 5.0
CONNECT_TIMEOUT = 10.0


def crdt_target(link: str) -> tuple[str, str | None]:
    """The sync socket's URL of a join link `http(s)://HOST:PORT/j/<token>/` (checked by
    `links.parse_link`), and the Unix socket to reach it through for an internal link
    (`http+unix://<socket path>/j/<token>/`, the browser page's) or None."""
    text = link.strip()
    if not text.startswith(f"{UNIX_SCHEME}://"):
        return parse_link(text).page + "crdt", None
    parts = urlsplit(text)
    segments = parts.path.split("/")
    if not parts.netloc or len(segments) != 4 or segments[1] != "j" or not TOKEN.fullmatch(segments[2]):
        raise LinkError("that is not a reviewtui join link: it should end in /j/ and a long key")
    if segments[3] or parts.query or parts.fragment:
        raise LinkError("that is not a reviewtui join link (it has parts a join link never has)")
    return f"http://localhost/j/{segments[2]}/crdt", unquote(parts.netloc)


def person_in(data: object) -> Person | None:
    """The person of a welcome message, or None when it does not hold one."""
    if not isinstance(data, dict):
        return None
    key, name, role = data.get("key"), data.get("name"), data.get("role")
    if not (isinstance(key, str) and isinstance(name, str) and role in ("manager", "employee", "partner")):
        return None
    return Person(key=key, name=name, role=role)


def crdt_url(link: str) -> str:
    """The URL of a join link's sync socket."""
    return crdt_target(link)[0]


class RoomClient:
    """`async with RoomClient(link, shared, on_status=...) as client: await client.synced()`.

    Leave the `async with` normally (not by cancelling the task it runs in): that is what lets
    the Provider send the edits still queued.
    """

    def __init__(
        self,
        link: str,
        shared: SharedDraft,
        *,
        cafile: str | None = None,
        on_status: StatusHandler | None = None,
    ) -> None:
        self.url, self._unix_socket = crdt_target(link)
        self.shared = shared
        self._ssl: ssl.SSLContext | bool = ssl.create_default_context(cafile=cafile) if cafile else True
        self._on_status = on_status
        self.state: State = "connecting"
        self.status = CONNECTING
        self._stopping = asyncio.Event()
        self._first_sync = asyncio.Event()
        self._settled = asyncio.Event()  # first sync done, or the link will never work
        self._channel: WebsocketChannel | None = None
        self._presence: dict | None = None
        self._sends: set[asyncio.Task] = set()
        self._session: ClientSession | None = None
        self._task: asyncio.Task | None = None
        self._closing_reason = ""
        self.person: Person | None = None
        """Whose link this is, as the host said when the link connected (None until then)."""

    async def __aenter__(self) -> RoomClient:
        connector = UnixConnector(path=self._unix_socket) if self._unix_socket else None
        self._session = ClientSession(
            connector=connector, timeout=ClientTimeout(total=None, sock_connect=CONNECT_TIMEOUT)
        )
        self._task = asyncio.create_task(self._run(), name="reviewtui-room-client")
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._stopping.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._session is not None:
            await self._session.close()
        if self.state in ("connecting", "live", "dropped"):
            self._set("closed", LEFT)

    async def synced(self) -> bool:
        """Wait for the first sync with the host; False when the link will not work (refused, closed)."""
        await self._settled.wait()
        return self._first_sync.is_set()

    def send_presence(self, step: int, field: str, follow: bool) -> None:
        """Tell the host where this participant is; sent again after every reconnect."""
        self._presence = {"type": "presence", "step": step, "field": field, "follow": follow}
        self._send(self._presence)

    def ask(self, ask: str = "confirm", **values: object) -> bool:
        """Ask the host to act as this person (e.g. `ask("confirm", value=True)`); False if not live."""
        if self.state != "live":
            return False
        self._send({**values, "type": "ask", "ask": ask})
        return True

    # The connection loop --------------------------------------------------------------------

    async def _run(self) -> None:
        backoff = BACKOFF_FIRST
        while not self._stopping.is_set():
            outcome = await self._connect_once()
            if outcome in ("closed", "refused", "stopped"):
                break
            if outcome == "was_live":
                backoff = BACKOFF_FIRST
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), backoff)
            backoff = min(backoff * 2, BACKOFF_MAX)
        self._settled.set()

    async def _connect_once(self) -> str:
        assert self._session is not None
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT):  # a host that accepts but never answers
                ws = await self._session.ws_connect(self.url, heartbeat=HEARTBEAT_SECONDS, ssl=self._ssl)
        except WSServerHandshakeError as error:
            if error.status in (403, 404):
                self._set("refused", LINK_DEAD)
                return "refused"
            self._set_unreachable()
            return "failed"
        except ClientConnectorCertificateError:
            self._set("refused", "The host's certificate is not trusted (give its certificate with --cafile)")
            return "refused"
        except (ClientError, OSError, TimeoutError) as error:
            log.debug("connect to the room failed: %s", error)
            self._set_unreachable()
            return "failed"
        channel = WebsocketChannel(ws, self.url, on_text=self._heard, drop_echoes=True)
        self._channel = channel
        was_live = False
        try:
            async with Provider(self.shared.doc, channel, log=log) as provider:
                synced = asyncio.ensure_future(provider.synced.wait())
                ended = asyncio.ensure_future(channel.ended.wait())
                stopping = asyncio.ensure_future(self._stopping.wait())
                try:
                    await asyncio.wait({synced, ended, stopping}, return_when=asyncio.FIRST_COMPLETED)
                    if synced.done() and not ended.done():
                        was_live = True
                        self._set("live", CONNECTED)
                        self._first_sync.set()
                        self._settled.set()
                        if self._presence is not None:
                            self._send(self._presence)
                        await asyncio.wait({ended, stopping}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for waiter in (synced, ended, stopping):
                        waiter.cancel()
                # Leaving the Provider normally sends what is still queued (a clean exit flushes).
        except Exception:  # e.g. bytes pycrdt cannot read: this connection is over, the next may work
            log.warning("the room connection failed", exc_info=True)
        finally:
            self._channel = None
            if not ws.closed:
                await ws.close()
        if self._stopping.is_set() and not channel.ended.is_set():
            return "stopped"
        return self._after_end(channel, was_live)

    def _after_end(self, channel: WebsocketChannel, was_live: bool) -> str:
        code = channel.close_code
        if self._closing_reason or code == CLOSE_ROOM_CLOSED:
            reason = self._closing_reason or channel.close_reason
            self._set("closed", HOST_CLOSED if reason in ("", HOST_CLOSED) else f"{HOST_CLOSED}: {reason}")
            return "closed"
        if code == CLOSE_REFUSED:
            why = channel.close_reason or "an edit it does not allow"
            self._set("refused", f"The host refused an edit from here ({why}); this link is closed")
            return "refused"
        if self._stopping.is_set():
            return "stopped"
        if was_live or self.state == "live":
            self._set("dropped", DROPPED)
        return "was_live" if was_live else "failed"

    def _set_unreachable(self) -> None:
        if self.state == "live" or self.state == "dropped":
            self._set("dropped", DROPPED)
        else:
            self._set("connecting", UNREACHABLE)

    def _heard(self, data: dict) -> None:
        if data.get("type") == "welcome":
            self.person = person_in(data.get("person"))
            return
        if data.get("type") == "closing":
            reason = data.get("reason")
            self._closing_reason = reason if isinstance(reason, str) and reason else HOST_CLOSED

    def _send(self, data: dict) -> None:
        channel = self._channel
        if channel is None or self.state != "live":
            return
        task = asyncio.ensure_future(channel.send_json(data))
        self._sends.add(task)
        task.add_done_callback(self._sends.discard)

    def _set(self, state: State, message: str) -> None:
        if (state, message) == (self.state, self.status):
            return
        self.state, self.status = state, message
        if state in ("closed", "refused"):
            self._settled.set()
        if self._on_status is not None:
            self._on_status(state, message)
