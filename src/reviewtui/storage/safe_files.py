"""Opening files for writing: never through a link, never into a FIFO, a device or a folder.

A review repository may be cloned from someone else, so any name in it can be a symbolic link
(to a signed record, to a file outside the repository); a FIFO or a device can be made by anyone
with access to the folder. Every file reviewtui writes is opened here, with `O_NOFOLLOW` (a
link is refused, not followed), `O_NONBLOCK` (opening a FIFO cannot hang), `O_NOCTTY` and
`O_CLOEXEC`, and the descriptor that was opened is checked with `fstat` to be a regular file
before a byte is written: a name swapped between a check and the open is caught too. Nothing is
truncated when it is opened (no `O_TRUNC`), so a file that is refused is left exactly as it was.

The one writer that does not take regular files only is `open_stream`, for an `--output` the
user named that is a FIFO or a terminal (`--output /dev/stdout`); see `storage/output.py`.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..errors import SaveError
from ..shown import shown_path

_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NON_BLOCK = getattr(os, "O_NONBLOCK", 0)
_SAFE_FLAGS = _NO_FOLLOW | _NON_BLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)

LINK_REASON = (
    "it is a symbolic link, and reviewtui never writes through links: "
    "remove the link (it may have come with the repository) and try again"
)


class UnsafeFileError(SaveError):
    """A file reviewtui was to write is a link, a FIFO, a device, a folder or has other names."""


def not_regular_reason(mode: int) -> str | None:
    """Why a file of this `st_mode` is not written, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return LINK_REASON
    if stat.S_ISDIR(mode):
        return "this is a folder, not a file"
    kinds = {
        stat.S_ISFIFO: "a FIFO (named pipe)",
        stat.S_ISCHR: "a device",
        stat.S_ISBLK: "a device",
        stat.S_ISSOCK: "a socket",
    }
    kind = next((name for test, name in kinds.items() if test(mode)), "not a regular file")
    return (
        f"it is {kind}, not a regular file, and reviewtui writes only regular files: remove it and try again"
    )


_HARD_LINK_REASON = (
    "it has other names (hard links), and writing it in place would change those files too: "
    "remove this name and try again"
)


def refuse_unless_regular(path: Path, what: str = "cannot save") -> bool:
    """Raise UnsafeFileError when `path` exists and is not a regular file (a link is not followed).

    True when a regular file is there, False when nothing is.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    except OSError:
        return False  # the open that follows reports it with its own reason
    reason = not_regular_reason(mode)
    if reason:
        raise UnsafeFileError(f"{what} {shown_path(path)}: {reason}")
    return True


def check_descriptor(fd: int, path: Path, what: str = "cannot save", in_place: bool = False) -> None:
    """Refuse (closing `fd`) an opened descriptor that is not a regular file.

    `in_place`: the file is changed where it is (a lock, an append), so one with other names
    (hard links) is refused as well: its other names would change with it.
    """
    info = os.fstat(fd)
    reason = not_regular_reason(info.st_mode)
    if reason is None and in_place and info.st_nlink > 1:
        reason = _HARD_LINK_REASON
    if reason:
        os.close(fd)
        raise UnsafeFileError(f"{what} {shown_path(path)}: {reason}")


def open_for_writing(
    path: Path, flags: int, *, mode: int = 0o600, what: str = "cannot save", in_place: bool = False
) -> int:
    """Open `path` with `flags` (never `O_TRUNC`) as a regular file, and return the blocking descriptor.

    A link, FIFO, device, socket or folder is refused with an UnsafeFileError naming the path
    and what to do; other failures raise the OSError (FileExistsError for `O_EXCL`) for the
    caller to word. `what` starts the refusal: `cannot create the lock file`.
    """
    if flags & os.O_TRUNC:
        raise ValueError("open_for_writing never truncates at open: a refused file must stay as it was")
    # Checked before the open as well, so a device is never opened at all.
    refuse_unless_regular(path, what)
    try:
        fd = os.open(path, flags | _SAFE_FLAGS, mode)
    except OSError as error:
        if error.errno == errno.ELOOP and _NO_FOLLOW:
            raise UnsafeFileError(f"{what} {shown_path(path)}: {LINK_REASON}") from None
        if error.errno == errno.ENXIO:  # a FIFO with no reader, opened write-only without blocking
            raise UnsafeFileError(f"{what} {shown_path(path)}: {not_regular_reason(stat.S_IFIFO)}") from None
        raise
    check_descriptor(fd, path, what, in_place)
    if _NON_BLOCK:
        os.set_blocking(fd, True)
    return fd


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of `data` to `fd` (a write may take only part of it)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_new_file(path: Path, data: bytes, *, mode: int = 0o600, what: str = "cannot save") -> None:
    """Create `path` with `data`; FileExistsError (nothing written) when anything has that name."""
    fd = open_for_writing(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode=mode, what=what)
    try:
        write_all(fd, data)
    finally:
        os.close(fd)


def open_stream(path: Path, what: str = "cannot write to") -> int:
    """Open a FIFO or a terminal the user named, to write to it as a stream; any other file is refused.

    Links are followed here: `/dev/stdout` is one. The open waits for a FIFO's reader, as the
    shell's `> fifo` does, and creates and truncates nothing.
    """
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    mode = os.fstat(fd).st_mode
    if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):  # swapped since it was looked at
        os.close(fd)
        raise UnsafeFileError(f"{what} {shown_path(path)}: it changed while it was being opened; try again")
    return fd
