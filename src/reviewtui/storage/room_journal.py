"""The host's journal of a live room: every CRDT update that reached it, beside the draft.

The draft file is saved now and then; the journal holds what arrived since, so a host killed
with kill -9 loses nothing that reached it: `serve` on the same draft replays the journal. It is
`.drafts/<draft id>.room`, in the private drafts folder, under the drafts' rules (never a link,
a FIFO or a device; read capped; rewritten atomically).

Format (binary, version 1):

    b"reviewtui room journal 1\\n"               the magic line
    frame: header                              JSON {"draft": <draft id>, "draft_sha256": <hex>}
    frame: update                              a pycrdt update (the first: the whole state)
    frame: update ...                          one per update that reached the host, in order

    frame = length (4 bytes, big-endian) + CRC-32 of the payload (4 bytes, big-endian) + payload

The header names the draft file (by its sha256) the journal continues from: after each save
of the draft the host compacts the journal (atomically: header of the new file, one update
holding the whole state). A journal whose header names another file than the draft on disk is
stale and ignored. Updates are appended with one `write` each, without fsync: a process killed
after it loses none, a power cut may (the draft on disk still holds what was saved).
"""

from __future__ import annotations

import contextlib
import json
import os
import struct
import zlib
from pathlib import Path

from ..errors import LoadError, ReviewtuiError, SaveError
from ..shown import shown_path
from .atomic import atomic_write
from .drafts import drafts_dir, private_dir
from .reading import read_capped
from .reasons import os_reason, size_text
from .records import inside
from .safe_files import UnsafeFileError, open_for_writing, refuse_unless_regular, write_all

MAGIC = b"reviewtui room journal 1\n"
JOURNAL_SUFFIX = ".room"
MAX_JOURNAL_BYTES = 64 * 2**20
"""The most a journal may hold; it is compacted at every save of the draft, so far less."""
_FRAME_HEAD = struct.Struct(">II")
_WHAT_TO_DO = "move it out of the folder, and `serve` opens the room from the draft as last saved"


class RoomJournalError(ReviewtuiError):
    """A room journal that cannot be read or written; the message names it and what to do."""


def journal_path(sessions_dir: Path, draft_id: str) -> Path:
    """Where the room journal of this draft is kept."""
    return inside(drafts_dir(sessions_dir), f"{draft_id}{JOURNAL_SUFFIX}")


def frame(payload: bytes) -> bytes:
    """One length-prefixed, checksummed frame."""
    return _FRAME_HEAD.pack(len(payload), zlib.crc32(payload)) + payload


def _header(draft_id: str, draft_sha256: str) -> bytes:
    return json.dumps({"draft": draft_id, "draft_sha256": draft_sha256}, sort_keys=True).encode()


class RoomJournal:
    """The journal of one draft's room, open for appending once `compact` has started it."""

    def __init__(self, sessions_dir: Path, draft_id: str) -> None:
        self.sessions_dir = sessions_dir
        self.draft_id = draft_id
        self.path = journal_path(sessions_dir, draft_id)
        self._fd: int | None = None

    def compact(self, full_state: bytes, draft_sha256: str) -> None:
        """Rewrite the journal atomically as the header (the draft file it continues) and one
        update holding the whole state; appends go to the new file from now on."""
        private_dir(self.sessions_dir, saving=self.path)
        data = MAGIC + frame(_header(self.draft_id, draft_sha256)) + frame(full_state)
        if len(data) > MAX_JOURNAL_BYTES:
            raise SaveError(
                f"cannot keep the room journal {shown_path(self.path)}: the room's state is larger "
                f"than {size_text(MAX_JOURNAL_BYTES)}; shorten the longest texts"
            )
        self.close()
        atomic_write(self.path, data)
        try:
            self._fd = open_for_writing(
                self.path, os.O_WRONLY | os.O_APPEND, what="cannot keep the room journal", in_place=True
            )
        except OSError as error:
            raise SaveError(
                f"cannot keep the room journal {shown_path(self.path)}: {os_reason(error)}"
            ) from None

    def append(self, update: bytes) -> None:
        """Add one update at the end (one write, no fsync: it survives the process, not power)."""
        if self._fd is None:
            raise SaveError(f"the room journal {shown_path(self.path)} was not started: compact it first")
        try:
            write_all(self._fd, frame(update))
        except OSError as error:
            raise SaveError(
                f"cannot add to the room journal {shown_path(self.path)}: {os_reason(error)}"
            ) from None

    def close(self) -> None:
        """Stop appending (the file stays, for the next `serve`)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None


def open_journal(sessions_dir: Path, draft_id: str) -> RoomJournal:
    """The room journal of this draft; `compact` starts (or restarts) it."""
    return RoomJournal(sessions_dir, draft_id)


def _damaged(path: Path, reason: str) -> RoomJournalError:
    return RoomJournalError(f"cannot resume the room from {shown_path(path)}: {reason}; {_WHAT_TO_DO}")


def _frames(path: Path, raw: bytes) -> list[bytes]:
    if not raw.startswith(MAGIC):
        raise _damaged(path, "it is not a reviewtui room journal (its first line is not the format's)")
    frames, at = [], len(MAGIC)
    while at < len(raw):
        if len(raw) - at < _FRAME_HEAD.size:
            raise _damaged(path, f"it is cut short after entry {len(frames)}")
        length, checksum = _FRAME_HEAD.unpack_from(raw, at)
        start = at + _FRAME_HEAD.size
        if length > len(raw) - start:
            raise _damaged(path, f"it is cut short in entry {len(frames) + 1}")
        payload = raw[start : start + length]
        if zlib.crc32(payload) != checksum:
            raise _damaged(path, f"entry {len(frames) + 1} is damaged (its checksum does not match)")
        frames.append(payload)
        at = start + length
    return frames


def _header_sha(path: Path, draft_id: str, payload: bytes) -> str:
    try:
        header = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        header = None
    if not isinstance(header, dict) or not isinstance(header.get("draft_sha256"), str):
        raise _damaged(path, "its header is damaged")
    if header.get("draft") != draft_id:
        raise _damaged(path, "it belongs to another draft (it may have been copied or renamed)")
    return header["draft_sha256"]


def read_journal(sessions_dir: Path, draft_id: str, draft_sha256: str) -> list[bytes] | None:
    """The updates journaled for this draft (the first holds the whole state), or None when there
    is no journal or it continues another version of the draft file than the one on disk.

    A journal that cannot be read (a link, a FIFO, too large, damaged) is a RoomJournalError
    naming it and what to do; its content is never shown.
    """
    path = journal_path(sessions_dir, draft_id)
    if not os.path.lexists(path):
        return None
    try:
        refuse_unless_regular(path, what="cannot resume the room from")
        raw = read_capped(
            path,
            max_bytes=MAX_JOURNAL_BYTES,
            what="room journal",
            too_large=f"it is larger than {size_text(MAX_JOURNAL_BYTES)}, the most a room journal holds",
            follow_symlinks=False,
        )
    except UnsafeFileError as error:
        raise RoomJournalError(str(error)) from None
    except LoadError as error:
        reason = error.problems[0].message if error.problems else "it cannot be read"
        raise _damaged(path, reason.removeprefix("cannot read this room journal: ")) from None
    frames = _frames(path, raw)
    if not frames:
        raise _damaged(path, "it has no header")
    if _header_sha(path, draft_id, frames[0]) != draft_sha256:
        return None
    if len(frames) < 2:
        raise _damaged(path, "it holds no state")
    return frames[1:]


def remove_journal(sessions_dir: Path, draft_id: str) -> None:
    """Remove the room journal (the room closed and the draft holds everything); a link is removed,
    never what it points at."""
    name = f"{draft_id}{JOURNAL_SUFFIX}"
    if Path(name).name != name or draft_id in ("", ".", ".."):
        journal_path(sessions_dir, draft_id)  # raises, naming what is wrong with the name
    path = drafts_dir(sessions_dir) / name  # not resolved: a link there is itself removed
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        raise RoomJournalError(f"cannot remove the room journal {shown_path(path)}: it is a folder") from None
    except OSError as error:
        raise RoomJournalError(
            f"cannot remove the room journal {shown_path(path)}: {os_reason(error)}"
        ) from None
