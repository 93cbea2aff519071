"""Where and how a room listens: what `reviewtui serve` was told (no network code is loaded here)."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field


@dataclass
class RoomOptions:
    """Where and how the room listens (`reviewtui serve`'s options)."""

    host: str = "127.0.0.1"
    port: int = 0
    ssl_context: ssl.SSLContext | None = None
    participant_command: list[str] = field(default_factory=list)
    """What the browser's page runs for each participant (`reviewtui join`, link in its environment)."""
