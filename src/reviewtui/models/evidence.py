"""The evidence log: wins, account health notes and QBR outcomes, logged as they happen."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Annotated, Literal

from pydantic import Field, model_validator

from .base import LONG_TEXT_MAX, Id, Model, Name, Problems, Text, Timestamp, clean_text, duplicates
from .text_checks import conflict_marker_lines

EntryId = Annotated[str, Field(pattern=r"^[0-9a-f]{12}$")]
"""12 lower-case hex digits."""


def new_entry_id() -> str:
    """A fresh random entry id."""
    return secrets.token_hex(6)


class EvidenceEntry(Model):
    """One piece of evidence, written when it happened."""

    id: EntryId
    """Unique id; reviews and check-ins that use the entry refer to it."""
    logged_at: Timestamp
    """When it was logged."""
    happened_on: dt.date
    """The day it happened."""
    text: Text = Field(min_length=1)
    """What happened, with its figures."""
    metric: Id | None = None
    """Id of the plan metric it is evidence for, if any."""
    tags: list[Id] = []
    """Free tags such as `win`, `qbr`, `health`."""


class EvidenceLog(Model):
    """Every evidence entry for one employee, oldest first."""

    schema_version: Literal[1] = 1
    """Version of this format."""
    kind: Literal["evidence-log"] = "evidence-log"
    """Tells an evidence log from a rubric or a record."""
    employee: Name
    """The employee the entries are about."""
    entries: list[EvidenceEntry] = []
    """The entries, oldest first."""

    @model_validator(mode="after")
    def _unique_ids(self) -> EvidenceLog:
        repeated = duplicates([entry.id for entry in self.entries])
        if repeated:
            raise Problems([(("entries", index, "id"), "this entry id is used twice") for index in repeated])
        return self


def new_entry(
    text: str,
    day: str,
    metric: str,
    tags: str | list[str],
    *,
    metrics: dict[str, str],
    now: dt.datetime,
) -> tuple[EvidenceEntry | None, dict[str, str]]:
    """An entry from what was typed (the CLI and the app share it), or what is wrong, by field."""
    errors: dict[str, str] = {}
    # Judged as it will be stored: text of control characters only is empty once cleaned,
    # and an over-long text must be refused here, not by the model (which would raise).
    stored = clean_text(text)
    if not stored:  # zero-width spaces and direction marks alone are cleaned to nothing
        errors["text"] = "The entry is empty: say what happened."
    elif len(stored) > LONG_TEXT_MAX:
        errors["text"] = (
            f"The entry is longer than {LONG_TEXT_MAX:,} characters: shorten it or split it in two."
        )
    elif conflict_marker_lines(stored):
        errors["text"] = (
            "A line of the entry is a merge-conflict marker (<<<<<<<, ======= or >>>>>>>): "
            "remove that line, or resolve the merge conflict it was copied from."
        )
    happened = now.date()
    if day.strip():
        try:
            happened = dt.date.fromisoformat(day.strip())
        except ValueError:
            errors["date"] = f"The date must be YYYY-MM-DD, not {day!r}."
    if happened > now.date():
        errors["date"] = "The date is in the future: evidence is logged once it has happened."
    words = tags.replace(",", " ").split() if isinstance(tags, str) else tags
    cleaned = [word.strip().lower() for word in words if word.strip()]
    bad = [word for word in cleaned if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", word)]
    if bad:
        errors["tags"] = f"Tag {bad[0]!r} is not a short word (letters, digits, - or _)."
    if metric and metric not in metrics:
        known = ", ".join(sorted(metrics)) or "none"
        errors["metric"] = f"The plans have no metric {metric!r} (their metrics: {known})."
    if errors:
        return None, errors
    entry = EvidenceEntry(
        id=new_entry_id(), logged_at=now, happened_on=happened, text=text, metric=metric or None, tags=cleaned
    )
    return entry, {}
