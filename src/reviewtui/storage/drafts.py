"""Drafts of sessions in progress, kept beside the records but out of git."""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import LoadError, SaveError
from ..models.draft import AlignmentDraft, CheckinDraft, ReviewDraft
from ..models.draft_upgrade import upgraded
from .atomic import atomic_write, private_folder
from .locks import LOCK_SUFFIX, holder, try_lock
from .messages import validated
from .reading import read_capped
from .record_names import DRAFTS_DIRNAME
from .records import MAX_RECORD_BYTES, inside
from .safe_files import refuse_unless_regular
from .tomlfile import dumps_toml, os_reason, read_toml, size_text

# Ignores the folder's whole content, itself included, without touching the team's own .gitignore.
_IGNORE_ALL = b"# Drafts hold unfinished, confidential text: never commit them.\n*\n"


@dataclass(frozen=True)
class DraftFile:
    """A draft, where it is kept, and the hash of the bytes it was read from."""

    path: Path
    draft: AlignmentDraft
    sha256: str


class DraftChangedError(SaveError):
    """The draft file changed on disk since this process last read or wrote it; nothing was written."""


class DraftLockedError(SaveError):
    """The draft is open in another reviewtui, which holds its lock; nothing was removed."""


ROOM_JOURNAL_SUFFIX = ".room"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def drafts_dir(sessions_dir: Path) -> Path:
    """The drafts folder inside a sessions folder."""
    return sessions_dir / DRAFTS_DIRNAME


def draft_path(sessions_dir: Path, draft_id: str) -> Path:
    """Where the draft with this id is kept."""
    return inside(drafts_dir(sessions_dir), f"{draft_id}.toml")


def draft_lock_path(sessions_dir: Path, draft_id: str) -> Path:
    """The lock file held by the one process that may write this draft."""
    return inside(drafts_dir(sessions_dir), f"{draft_id}{LOCK_SUFFIX}")


def current_sha256(path: Path) -> str | None:
    """The hash of the file as it is on disk now; None when there is no file."""
    try:
        return _sha256(read_capped(path, max_bytes=MAX_RECORD_BYTES, what="draft"))
    except LoadError as error:
        if not os.path.lexists(path):
            return None
        raise SaveError(f"cannot check the draft before saving it: {error}") from None


UNCHECKED = "unchecked"


def private_dir(sessions_dir: Path, saving: Path | None = None) -> Path:
    """The drafts folder, made private and git-ignored if it is new: drafts, locks, crash logs.

    `saving`: the file being saved, which a failure to write the `.gitignore` names. A drafts
    folder that is a symbolic link is refused.
    """
    folder = private_folder(drafts_dir(sessions_dir))
    ignore = folder / ".gitignore"
    if not ignore.exists():
        atomic_write(ignore, _IGNORE_ALL, saving=saving)
    return folder


def lock_file_for(path: Path) -> Path:
    """The lock guarding a file of the sessions folder (an evidence log, a feedback file).

    Kept in the private drafts folder, so the sessions folder holds only what is archived.
    """
    return private_dir(path.parent, saving=path) / f"{path.name}{LOCK_SUFFIX}"


def save_draft(draft: AlignmentDraft, sessions_dir: Path, expected_sha256: str | None = UNCHECKED) -> str:
    """Save a draft atomically and return the hash of what was written.

    With `expected_sha256` (None: no file yet), a file changed on disk since it was
    read is never overwritten: DraftChangedError is raised and nothing is written.
    The drafts folder is private and git-ignored.
    """
    path = draft_path(sessions_dir, draft.id)
    private_dir(sessions_dir, saving=path)
    refuse_unless_regular(path)  # before its hash is read: a FIFO there would never answer
    if expected_sha256 != UNCHECKED and current_sha256(path) != expected_sha256:
        raise DraftChangedError(f"the draft {path} was changed on disk by someone else")
    data = draft.model_dump(mode="python", exclude_defaults=True)
    raw = dumps_toml({"draft_version": 2, **data}).encode()
    if len(raw) > MAX_RECORD_BYTES:
        raise SaveError(
            f"this draft is larger than {size_text(MAX_RECORD_BYTES)}, the most reviewtui reads, "
            "so it was not saved; shorten the longest texts"
        )
    atomic_write(path, raw)
    return _sha256(raw)


def _read_draft(path: Path) -> DraftFile:
    document = read_toml(
        path, max_bytes=MAX_RECORD_BYTES, what="draft", conflict_markers=True, follow_symlinks=False
    )
    kinds = {"review": ReviewDraft, "check-in": CheckinDraft}
    kind = document.data.get("kind")
    # A kind that is not text (an array, a table) is left to validation, which names its line.
    model = kinds.get(kind, AlignmentDraft) if isinstance(kind, str) else AlignmentDraft
    return DraftFile(path, upgraded(validated(model, document)), _sha256(document.raw))


def load_draft(path: Path) -> AlignmentDraft:
    """Load one draft file: an alignment draft, or a review draft (`kind = "review"`)."""
    return _read_draft(path).draft


def list_drafts(sessions_dir: Path) -> tuple[list[DraftFile], list[LoadError]]:
    """Drafts in progress, most recently changed first, and those that could not be read."""
    drafts, errors = [], []
    folder = drafts_dir(sessions_dir)
    try:
        paths = sorted(path for path in folder.iterdir() if path.suffix == ".toml")
    except OSError:
        return [], []
    for path in paths:
        try:
            drafts.append(_read_draft(path))
        except LoadError as error:
            errors.append(error)
    drafts.sort(key=lambda item: item.draft.updated_at, reverse=True)
    return drafts, errors


def room_journal_path(sessions_dir: Path, draft_id: str) -> Path:
    """Where a live session's host journals the draft's shared state (storage/room_journal.py);
    it holds the draft's text, so it goes with the draft."""
    return drafts_dir(sessions_dir) / f"{draft_id}{ROOM_JOURNAL_SUFFIX}"


def delete_draft(sessions_dir: Path, draft_id: str) -> None:
    """Remove a draft once its record is saved (or the pair discard it), and its room journal."""
    with contextlib.suppress(FileNotFoundError):
        draft_path(sessions_dir, draft_id).unlink()
    with contextlib.suppress(FileNotFoundError, IsADirectoryError):
        room_journal_path(sessions_dir, draft_id).unlink()
    with contextlib.suppress(FileNotFoundError):
        draft_lock_path(sessions_dir, draft_id).unlink()


def draft_held_elsewhere(sessions_dir: Path, draft_id: str) -> str | None:
    """Who holds the draft's lock (`pid 123 on laptop`) when another reviewtui has it open, else None."""
    path = draft_lock_path(sessions_dir, draft_id)
    if not path.exists():
        return None
    lock = try_lock(path)
    if lock is None:
        return holder(path)
    lock.release()
    return None


def discard_draft(sessions_dir: Path, draft_id: str) -> Path:
    """Remove a draft the pair chose to throw away, and its lock; the path it was kept at.

    Refused (DraftLockedError) while another reviewtui has the draft open: it would save it again.
    The lock is held while the files go, so no other reviewtui can open the draft meanwhile.
    """
    path = draft_path(sessions_dir, draft_id)
    lock_path = draft_lock_path(sessions_dir, draft_id)
    lock = try_lock(lock_path)
    if lock is None:
        raise DraftLockedError(
            f"this draft is open in another reviewtui ({holder(lock_path)}); leave it there first, "
            "then discard it"
        )
    try:
        path.unlink(missing_ok=True)  # the draft first: a lock without its draft opens nothing
        with contextlib.suppress(IsADirectoryError):
            room_journal_path(sessions_dir, draft_id).unlink(missing_ok=True)
        lock_path.unlink(missing_ok=True)
    except OSError as error:
        raise SaveError(f"cannot remove the draft {path}: {os_reason(error)}") from None
    finally:
        lock.release()
    return path
