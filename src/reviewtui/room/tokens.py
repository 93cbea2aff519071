"""The room's tokens: one unguessable token per person, in memory only, dead when the room closes.

A join link carries its token in the path (`/j/<token>/`). Lookups compare with
`hmac.compare_digest` against every live token, so the time taken does not tell how much of a
guess was right. Internal tokens are minted by the host for the browser app it spawns itself:
they mark the connection "browser" (the host knows it made it; nothing the client says counts)
and open one connection only.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from .people import Person, Via

TOKEN_BYTES = 32


@dataclass
class Pass:
    """What a token opens: whose it is, how they take part, and whether it still opens anything."""

    person: Person
    via: Via
    single_use: bool = False
    used: bool = False


class TokenBook:
    """Tokens of one room. `forget_all()` kills every token (the room closed)."""

    def __init__(self) -> None:
        self._passes: dict[str, Pass] = {}

    def issue(self, person: Person) -> str:
        """A new join token for `person` (a joined terminal or a browser page)."""
        return self._add(Pass(person, "joined_terminal"))

    def mint_internal(self, person: Person) -> str:
        """A single-use token for the browser app the host spawns for `person`."""
        return self._add(Pass(person, "browser", single_use=True))

    def lookup(self, token: str) -> Pass | None:
        """The live pass of `token`, or None (unknown, forgotten, or an internal one already used)."""
        found = None
        given = token.encode("utf-8", "surrogateescape")
        for known, entry in self._passes.items():
            # Every token is compared, the match is not returned early.
            if hmac.compare_digest(known.encode(), given) and not entry.used:
                found = entry
        return found

    def use(self, entry: Pass) -> None:
        """The connection of `entry` is open: a single-use token opens nothing more."""
        if entry.single_use:
            entry.used = True

    def forget_all(self) -> None:
        self._passes.clear()

    def _add(self, entry: Pass) -> str:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self._passes[token] = entry
        return token
