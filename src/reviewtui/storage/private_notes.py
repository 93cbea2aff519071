"""The manager's private notes: `$XDG_DATA_HOME/reviewtui/private-notes/<slug>.toml`, one file per employee.

They are kept in the user's own data folder (default `~/.local/share`), never beside the records:
the sessions folder is shared and archived with git, and nothing in it may hold them. The folder is
0700 and each file 0600, whatever the umask; files are written atomically, read capped, and a link,
FIFO or device in their place is refused. Like the evidence logs, a file is found by the employee's
name inside it (see `employee_files`), so two people with one slug each keep their own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from ..errors import SaveError
from ..models.base import LONG_TEXT_MAX, clean_text
from ..models.evidence import new_entry_id
from ..models.private_notes import PrivateNote, PrivateNotes
from ..models.text_checks import conflict_marker_lines
from ..shown import shown_path
from .atomic import atomic_write, private_folder, remove_orphaned_temps
from .employee_files import employee_file
from .locks import locked
from .messages import validated
from .record_names import MAX_RECORD_BYTES
from .safe_files import UnsafeFileError
from .tomlfile import TomlDocument, dumps_toml, read_toml, size_text

MAX_PRIVATE_NOTES_BYTES = MAX_RECORD_BYTES
FOLDER_MODE = 0o700
FILE_MODE = 0o600
_LOCK_NAME = ".private-notes.lock"


def private_notes_dir() -> Path:
    """Where the private notes live: per user, never inside a sessions folder.

    `$XDG_DATA_HOME` as the XDG spec has it: a relative value is ignored (it would depend on the
    folder reviewtui was started in, which may well be the shared sessions folder).
    """
    base = os.environ.get("XDG_DATA_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "share"
    return root / "reviewtui" / "private-notes"


def _ready_folder(folder: Path) -> Path:
    """The notes folder, made (or brought back to) 0700; a link in its place is refused."""
    private_folder(folder)
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeFileError(f"cannot keep private notes in {shown_path(folder)}: it is not a folder")
    if stat.S_IMODE(info.st_mode) != FOLDER_MODE:
        try:
            os.chmod(folder, FOLDER_MODE)
        except OSError:
            raise SaveError(
                f"the private notes folder {shown_path(folder)} is open to other users and cannot be made "
                "private (0700); change its permissions and try again"
            ) from None
    remove_orphaned_temps(folder)  # an interrupted save's temp file holds a note: not left lying about
    return folder


def note_problem(text: str) -> str | None:
    """Why typed text cannot be a note, or None; judged as it will be stored."""
    stored = clean_text(text)
    if not stored:
        return "The note is empty: write something, or press Esc to leave without a note."
    if len(stored) > LONG_TEXT_MAX:
        return f"The note is longer than {LONG_TEXT_MAX:,} characters: shorten it or split it in two."
    if conflict_marker_lines(stored):
        return (
            "A line of the note is a merge-conflict marker (<<<<<<<, ======= or >>>>>>>): remove that line."
        )
    return None


def private_notes_from_document(document: TomlDocument) -> PrivateNotes:
    """A parsed document as private notes, or a LoadError with lines (never a note's text)."""
    return validated(PrivateNotes, document)


def load_private_notes(path: Path) -> PrivateNotes:
    """One private notes file; a LoadError naming file and line (never a note's text) when it is bad."""
    document = read_toml(
        path, max_bytes=MAX_PRIVATE_NOTES_BYTES, what="private notes file", follow_symlinks=False
    )
    return private_notes_from_document(document)


def _owner(path: Path) -> str:
    return load_private_notes(path).employee


def notes_path(employee: str, folder: Path | None = None) -> Path:
    """The employee's notes file (which may not exist yet), found by the name inside."""
    return employee_file(folder or private_notes_dir(), "", employee, _owner)


def read_private_notes(employee: str, folder: Path | None = None) -> tuple[Path, PrivateNotes]:
    """The employee's file and notes (none when there is no file yet)."""
    path = notes_path(employee, folder)
    if path.exists() or path.is_symlink():
        return path, load_private_notes(path)
    return path, PrivateNotes(employee=employee)


def _checked_bytes(notes: PrivateNotes) -> bytes:
    data = notes.model_dump(mode="python", exclude_defaults=True)
    text = dumps_toml({"schema_version": 1, "kind": "private-notes", **data})
    try:
        again = PrivateNotes.model_validate(tomllib.loads(text, parse_float=Decimal))
    except (tomllib.TOMLDecodeError, ValidationError):
        again = None
    if again is None or again.model_dump() != notes.model_dump():
        raise SaveError("the private notes would not read back the same, so nothing was written")
    return text.encode("utf-8")


@contextlib.contextmanager
def _claimed(employee: str, folder: Path | None) -> Iterator[tuple[Path, PrivateNotes]]:
    """The employee's file and notes, locked for a read-modify-write (one lock for the whole folder)."""
    folder = _ready_folder(folder or private_notes_dir())
    with locked(folder / _LOCK_NAME, "the private notes"):
        path = employee_file(folder, "", employee, _owner)
        notes = (
            load_private_notes(path)
            if path.exists() or path.is_symlink()
            else PrivateNotes(employee=employee)
        )
        yield path, notes


def _write(path: Path, notes: PrivateNotes) -> None:
    data = _checked_bytes(PrivateNotes.model_validate(notes.model_dump()))
    if len(data) > MAX_PRIVATE_NOTES_BYTES:
        raise SaveError(
            f"the private notes file {shown_path(path)} would pass {size_text(MAX_PRIVATE_NOTES_BYTES)}, the "
            "most reviewtui reads, so the note was not saved; remove old notes first"
        )
    atomic_write(path, data)  # a fresh 0600 file renamed over the old one
    os.chmod(path, FILE_MODE, follow_symlinks=False)  # atomic_write makes it 0600; said here, as it matters


def add_private_note(
    employee: str, text: str, now: dt.datetime, folder: Path | None = None
) -> tuple[Path, PrivateNotes]:
    """Add a note about the employee; the file and the notes as saved."""
    if problem := note_problem(text):
        raise SaveError(problem)
    with _claimed(employee, folder) as (path, notes):
        note = PrivateNote(id=new_entry_id(), written_at=now, text=text)
        updated = notes.model_copy(update={"notes": [*notes.notes, note]})
        _write(path, updated)
    return path, updated


def edit_private_note(
    employee: str, note_id: str, text: str, now: dt.datetime, folder: Path | None = None
) -> tuple[Path, PrivateNotes]:
    """Change one note's text (its time becomes `now`); the file and the notes as saved."""
    if problem := note_problem(text):
        raise SaveError(problem)
    with _claimed(employee, folder) as (path, notes):
        if not any(note.id == note_id for note in notes.notes):
            raise SaveError(f"that note is no longer in {shown_path(path)}; nothing was changed")
        changed = [
            PrivateNote(id=note.id, written_at=now, text=text) if note.id == note_id else note
            for note in notes.notes
        ]
        updated = notes.model_copy(update={"notes": changed})
        _write(path, updated)
    return path, updated


def remove_private_note(employee: str, note_id: str, folder: Path | None = None) -> tuple[Path, PrivateNotes]:
    """Delete one note for good; the file and the notes as saved."""
    with _claimed(employee, folder) as (path, notes):
        kept = [note for note in notes.notes if note.id != note_id]
        if len(kept) == len(notes.notes):
            raise SaveError(f"that note is no longer in {shown_path(path)}; nothing was removed")
        updated = notes.model_copy(update={"notes": kept})
        _write(path, updated)
    return path, updated


def is_private(path: Path) -> bool:
    """True when the file is readable and writable by its owner only (for the screen to say so)."""
    try:
        return stat.S_IMODE(os.lstat(path).st_mode) & 0o077 == 0
    except OSError:
        return True  # nothing there yet: the first save makes it 0600
