"""OS locks on separate `.lock` files, so two reviewtui processes never write the same file.

`flock` locks belong to an open file and vanish when the process dies (even on kill -9),
so a crash never leaves a session locked. Lock files are never deleted: deleting one
while another process opens it would let two processes each lock a different file.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import LoadError, SaveError
from ..shown import shown_text
from .atomic import private_folder
from .reading import read_capped
from .safe_files import open_for_writing, shown_path
from .tomlfile import os_reason

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock; locking is then skipped
    fcntl = None  # type: ignore[assignment]

LOCK_SUFFIX = ".lock"
WAIT_SECONDS = 5.0
MAX_HOLDER_BYTES = 512  # `pid N on HOST`, with room for the longest host name


class FileLock:
    """An exclusive lock held on `path` (a `.lock` file) until `release()` or process exit."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    def release(self) -> None:
        """Give the lock up; harmless when called twice."""
        if self._fd is not None:
            os.close(self._fd)  # closing the file releases the flock
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def try_lock(path: Path) -> FileLock | None:
    """Lock `path` (a `.lock` file) without waiting; None when another process holds it.

    A lock file that is a link, a FIFO, anything but a regular file, or one with other names
    (hard links) is refused (UnsafeFileError): the holder truncates and writes it.
    """
    private_folder(path.parent)
    what = "cannot create the lock file"
    try:
        fd = open_for_writing(path, os.O_RDWR | os.O_CREAT, what=what, in_place=True)
    except OSError as error:
        raise SaveError(f"{what} {shown_path(path)}: {os_reason(error)}") from None
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return None
    # Who holds it, for the other process's message; written only by the holder.
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode(), 0)
    return FileLock(path, fd)


def holder(path: Path) -> str:
    """Who holds the lock, as its holder wrote it (`pid 123 on laptop`), or "another process"."""
    try:
        raw = read_capped(path, max_bytes=MAX_HOLDER_BYTES, what="lock file", follow_symlinks=False)
    except LoadError:  # gone, a link, a FIFO, or not what a holder writes
        raw = b""
    text = raw.decode("utf-8", errors="replace").strip()
    # The lock file may have been written by anyone: what it says is shown, never obeyed.
    return shown_text(text[:80]) if text.startswith("pid ") else "another process"


@contextlib.contextmanager
def locked(lock_file: Path, name: str, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold `lock_file` for a short read-modify-write of the file called `name`, waiting up to `wait` s."""
    deadline = time.monotonic() + wait
    while (lock := try_lock(lock_file)) is None:
        if time.monotonic() > deadline:
            raise SaveError(f"{name} is being changed by {holder(lock_file)}; nothing was written, try again")
        time.sleep(0.05)
    try:
        yield
    finally:
        lock.release()
