"""How often a pair meets for a check-in."""

from __future__ import annotations

from typing import Literal

Cadence = Literal["weekly", "fortnightly", "monthly", "quarterly"]
"""`weekly`, `fortnightly`, `monthly` or `quarterly`."""

CADENCES: tuple[Cadence, ...] = ("weekly", "fortnightly", "monthly", "quarterly")
