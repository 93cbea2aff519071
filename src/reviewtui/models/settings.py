"""A user's own settings for reviewtui, kept outside any review repository."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from .base import Model

ArchiveChoice = Literal["ask", "always", "never"]

# One key or several separated by commas, each as Textual names keys: visible ASCII without commas.
KEYS_PATTERN = r"^[!-+\--~]{1,40}( *, *[!-+\--~]{1,40}){0,7}$"
KeyList = Annotated[str, StringConstraints(pattern=KEYS_PATTERN)]


class Settings(Model):
    """`settings.toml` in the user's config folder; every key is optional."""

    archive_after_save: ArchiveChoice = "ask"
    """After a plan is agreed, a check-in recorded or a review signed, in a git repository: `ask` offers
    to commit it, `always` commits it at once (as `reviewtui archive` does), `never` leaves git alone."""

    keys: dict[str, KeyList] = {}
    """Keys of your own for the app's actions, by binding id (the README lists the ids): under `[keys]`,
    `"home.new" = "p"`, or several keys separated by commas (`"step.next" = "ctrl+n,f3"`). An action
    not named keeps its key; an id no binding has is refused with its line."""
