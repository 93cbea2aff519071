"""A manager's private notes about one employee.

They live only in the manager's own data folder (never beside the records): no record, export,
report cache, archive or live session ever holds them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import Model, Name, Problems, Text, Timestamp, duplicates
from .evidence import EntryId


class PrivateNote(Model):
    """One note, as the manager wrote it."""

    id: EntryId
    """Unique id."""
    written_at: Timestamp
    """When it was written (or last changed)."""
    text: Text = Field(min_length=1)
    """The note."""


class PrivateNotes(Model):
    """Every private note one manager keeps about one employee, oldest first."""

    schema_version: Literal[1] = 1
    """Version of this format."""
    kind: Literal["private-notes"] = "private-notes"
    """Tells private notes from any shared file."""
    employee: Name
    """The employee the notes are about."""
    notes: list[PrivateNote] = []
    """The notes, oldest first."""

    @model_validator(mode="after")
    def _unique_ids(self) -> PrivateNotes:
        repeated = duplicates([note.id for note in self.notes])
        if repeated:
            raise Problems([(("notes", index, "id"), "this note id is used twice") for index in repeated])
        return self
