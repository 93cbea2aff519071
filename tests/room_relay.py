"""Two shared drafts linked without a network: every update relayed at once, as the room's sync does."""

from __future__ import annotations

from typing import Any


def linked(host: Any, participant: Any) -> list[Any]:
    """Relay every update between two shared drafts at once, as the room's sync does (keep the result)."""
    relaying: list[bool] = []

    def relay(target: Any) -> Any:
        def forward(event: Any) -> None:
            if relaying:
                return  # the update being applied from the other side
            relaying.append(True)
            try:
                target.doc.apply_update(event.update)
            finally:
                relaying.pop()

        return forward

    participant.doc.apply_update(host.doc.get_update())
    return [host.doc.observe(relay(participant)), participant.doc.observe(relay(host))]
