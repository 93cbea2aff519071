"""Join links: `http(s)://HOST:PORT/j/TOKEN/`, one per participant, the token being the key.

A link is a secret (whoever holds it is that person in the room), so no message here repeats it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import ReviewtuiError

TOKEN = re.compile(r"[A-Za-z0-9_-]{20,128}")
MAX_LINK_LENGTH = 2048


class LinkError(ReviewtuiError):
    """The text given is not a reviewtui join link (said without repeating it)."""


@dataclass(frozen=True)
class JoinLink:
    """A parsed join link."""

    scheme: str
    host: str
    port: int
    token: str

    @property
    def page(self) -> str:
        """The link itself: the page a browser opens."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}/j/{self.token}/"

    @property
    def sync_url(self) -> str:
        """The websocket the draft is kept in sync over."""
        scheme = "wss" if self.scheme == "https" else "ws"
        return f"{scheme}{self.page[len(self.scheme) :]}crdt"

    @property
    def where(self) -> str:
        """Host and port, for messages (no token)."""
        return f"{self.host}:{self.port}"


def parse_link(text: str) -> JoinLink:
    """The join link in `text` (surrounding spaces and a missing final slash forgiven)."""
    text = text.strip()
    if len(text) > MAX_LINK_LENGTH:
        raise LinkError("that is not a join link: it is far too long")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise LinkError("that is not a join link: its address or port cannot be read") from None
    if parts.scheme not in ("http", "https"):
        raise LinkError("a join link starts with http:// or https://; copy the whole link the host sent")
    if not parts.hostname:
        raise LinkError("that join link names no host; copy the whole link the host sent")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise LinkError("that is not a reviewtui join link (it has parts a join link never has)")
    match = re.fullmatch(r"/j/([^/]+)/?", parts.path)
    if match is None or TOKEN.fullmatch(match.group(1)) is None:
        raise LinkError(
            "that is not a reviewtui join link: it should end in /j/ and a long key; copy it whole"
        )
    default = 443 if parts.scheme == "https" else 80
    return JoinLink(parts.scheme, parts.hostname, port or default, match.group(1))
