"""The one way reviewtui reads a file: a regular file only, never more than its cap.

A file in a cloned repository may be anything: a FIFO (reading it waits for a writer that never
comes), `/dev/zero` or a symlink to it (an endless stream), a folder. So the file is opened with
`O_NONBLOCK` (opening a FIFO does not wait), the OPENED descriptor is checked to be a regular file
(checking the path first would let it be swapped between the check and the open), and at most
`max_bytes + 1` bytes are read, so that a file over its cap is told apart without reading it all.
Every reader in reviewtui goes through `read_capped` (a test scans the source for any other).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..errors import LoadError, Problem
from .reasons import os_reason, size_text

_CHUNK = 1 << 20


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "this is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "it is a named pipe (FIFO), not a regular file; give the path of a saved file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device, not a regular file; give the path of a saved file"
    if stat.S_ISSOCK(mode):
        return "it is a socket, not a regular file; give the path of a saved file"
    return "it is not a regular file; give the path of a saved file"


def read_capped(
    path: Path,
    *,
    max_bytes: int,
    what: str,
    too_large: str | None = None,
    follow_symlinks: bool = True,
) -> bytes:
    """The bytes of the regular file at `path`, at most `max_bytes`; anything else is a LoadError.

    The errors name the file and what to do, never its content: `cannot read this {what}: ...`
    when it cannot be opened or is not a regular file (no line: there is none to point at), and
    `too_large` (or a plain "is larger than ...") at line 1 when it is over its cap. With
    `follow_symlinks=False` a symlink is refused rather than followed; when followed, what it
    points at must itself be a regular file.
    """

    def refused(reason: str) -> LoadError:
        return LoadError(path, [Problem(f"cannot read this {what}: {reason}")])

    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow_symlinks else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP and not follow_symlinks:
            raise refused("it is a symbolic link; reviewtui reads the file itself, not a link") from None
        raise refused(os_reason(error)) from None
    except ValueError:  # a NUL in the path: no such file can exist
        raise refused("no such file or folder") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise refused(_kind(mode))
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as error:
        raise refused(os_reason(error)) from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > max_bytes:
        message = (
            too_large
            or f"is larger than {size_text(max_bytes)}, too large for a {what}; is it the right file?"
        )
        raise LoadError(path, [Problem(message, 1)])
    return raw
