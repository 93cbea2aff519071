"""A user's own settings for reviewtui, kept outside any review repository."""

from __future__ import annotations

from typing import Literal

from .base import Model

ArchiveChoice = Literal["ask", "always", "never"]


class Settings(Model):
    """`settings.toml` in the user's config folder; every key is optional."""

    archive_after_save: ArchiveChoice = "ask"
    """After a plan is agreed, a check-in recorded or a review signed, in a git repository: `ask` offers
    to commit it, `always` commits it at once (as `reviewtui archive` does), `never` leaves git alone."""
