"""A pycrdt `Channel` over an aiohttp websocket, for both ends of the room's `/crdt` socket.

Binary frames are the Yjs sync protocol and go to pycrdt (the server's `YRoom` or the client's
`Provider`); text frames are the room's own JSON messages (presence, asks, "closing") and go to
`on_text`, so pycrdt never sees them. The channel ends (`ended` is set) when the socket closes
for whatever reason: pycrdt's `Provider` does not report a dropped link, so the client watches this.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Literal

from aiohttp import ClientWebSocketResponse, WSMsgType, web
from pycrdt import YMessageType, YSyncMessageType, read_message

log = logging.getLogger(__name__)

Verdict = Literal["pass", "skip", "stop"]
"""What a screen says of a binary frame: hand it to pycrdt, drop it, or end the channel."""

_ENDS = (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR)
CLOSE_ROOM_CLOSED = 4000  # the host closed the room: do not reconnect
CLOSE_REFUSED = 4003  # the host refused an update from this socket: do not send it again
HEARTBEAT_SECONDS = 5.0  # a silent peer (cable pulled, laptop asleep) is dropped after about this
MAX_TEXT_FRAME = 64 * 1024  # presence and asks are a few dozen bytes
RECENT_UPDATES = 512
UNIX_SCHEME = "http+unix"  # an internal link: the host's private socket, percent-encoded, as its host part


def update_of(message: bytes) -> bytes | None:
    """The update a sync message carries (sync step 2 or update), or None for any other message."""
    if len(message) < 3 or message[0] != YMessageType.SYNC:
        return None
    if message[1] not in (YSyncMessageType.SYNC_STEP2, YSyncMessageType.SYNC_UPDATE):
        return None
    return read_message(message[2:])


class RecentUpdates:
    """The last few hundred updates a side already has, to know an echo when it comes back."""

    def __init__(self, size: int = RECENT_UPDATES) -> None:
        self._seen: OrderedDict[bytes, None] = OrderedDict()
        self._size = size

    def add(self, update: bytes) -> None:
        self._seen[update] = None
        self._seen.move_to_end(update)
        if len(self._seen) > self._size:
            self._seen.popitem(last=False)

    def __contains__(self, update: bytes) -> bool:
        return update in self._seen


class WebsocketChannel:
    """pycrdt Channel over `ws` (a server `WebSocketResponse` or a `ClientWebSocketResponse`)."""

    def __init__(
        self,
        ws: web.WebSocketResponse | ClientWebSocketResponse,
        path: str,
        *,
        on_text: Callable[[dict], None] | None = None,
        screen: Callable[[bytes], Awaitable[Verdict]] | None = None,
        drop_echoes: bool = False,
    ) -> None:
        self._ws = ws
        self._path = path
        self._on_text = on_text
        self._screen = screen
        # pycrdt's Provider sends every transaction of its Doc, also those that only applied
        # what the other side sent: with `drop_echoes` such an update is not sent back.
        self._received = RecentUpdates() if drop_echoes else None
        self.ended = asyncio.Event()
        self.close_reason = ""

    @property
    def path(self) -> str:
        return self._path

    @property
    def close_code(self) -> int | None:
        return self._ws.close_code

    def __aiter__(self) -> WebsocketChannel:
        return self

    async def __anext__(self) -> bytes:
        while not self.ended.is_set():
            message = await self._ws.receive()
            if message.type == WSMsgType.BINARY:
                verdict = await self._screen(message.data) if self._screen else "pass"
                if verdict == "pass":
                    if self._received is not None and (update := _readable_update(message.data)):
                        self._received.add(update)
                    return message.data
                if verdict == "stop":
                    break
            elif message.type == WSMsgType.TEXT:
                self._text(message.data)
            elif message.type in _ENDS:
                if message.type == WSMsgType.CLOSE and isinstance(message.extra, str):
                    self.close_reason = message.extra
                break
        self.ended.set()
        raise StopAsyncIteration

    async def recv(self) -> bytes:
        return await self.__anext__()

    async def send(self, message: bytes) -> None:
        # A socket that closed meanwhile drops the frame: pycrdt's sync handshake on the next
        # connection sends whatever the other side is missing.
        if self._ws.closed:
            return
        if self._received is not None and _readable_update(message) in self._received:
            return
        try:
            await self._ws.send_bytes(message)
        except (ConnectionError, RuntimeError):
            log.debug("frame dropped: the socket of %s closed", self._path)

    async def send_json(self, data: dict) -> None:
        if self._ws.closed:
            return
        try:
            await self._ws.send_str(json.dumps(data))
        except (ConnectionError, RuntimeError):
            log.debug("message dropped: the socket of %s closed", self._path)

    async def close(self, code: int, reason: str) -> None:
        self.ended.set()
        # A close frame's reason is at most 123 bytes (cut on a character boundary).
        await self._ws.close(code=code, message=reason.encode()[:123].decode(errors="ignore").encode())

    def _text(self, raw: str) -> None:
        if self._on_text is None or len(raw) > MAX_TEXT_FRAME:
            return
        try:
            data = json.loads(raw)
        except ValueError:
            log.info("unreadable text frame on %s ignored", self._path)
            return
        if isinstance(data, dict):
            self._on_text(data)


def _readable_update(message: bytes) -> bytes | None:
    try:
        return update_of(message)
    except Exception:  # not ours to judge here: pycrdt reads (and refuses) it
        return None
