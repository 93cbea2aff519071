"""Atomic, private file writes: a reader sees the old file or the new one, never a mix."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

from ..errors import SaveError
from .tomlfile import os_reason

TEMP_SUFFIX = ".tmp"


def ensure_private_dir(folder: Path) -> None:
    """Create a folder, and any missing parents, readable by its owner only."""
    missing = []
    for ancestor in [folder, *folder.parents]:
        if ancestor.exists():
            break
        missing.append(ancestor)
    try:
        # mkdir(parents=True) would give the parents the default mode; each one is made private.
        for ancestor in reversed(missing):
            ancestor.mkdir(mode=0o700, exist_ok=True)
    except OSError as error:
        raise SaveError(f"cannot create the folder {folder}: {os_reason(error)}") from None


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; some file systems refuse, which is harmless.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Write bytes to `path` through a synced temp file and an atomic rename.

    The temp file lives in the same folder (so the rename is atomic) with mode
    0600 from the start; on any failure it is removed and the old file stays.
    """
    folder = path.parent
    ensure_private_dir(folder)
    try:
        fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    except OSError as error:
        raise SaveError(f"cannot save {path}: {os_reason(error)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise SaveError(
            f"cannot save {path}: {os_reason(error)}; the previous version is unchanged"
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_dir(folder)


ORPHAN_AGE_SECONDS = 60.0


def remove_orphaned_temps(folder: Path, min_age: float = ORPHAN_AGE_SECONDS) -> list[Path]:
    """Delete temp files that an interrupted save left in `folder`; they hold confidential text.

    Only files older than `min_age` go: a save in progress in another process takes
    milliseconds, so an older temp file can only be an orphan.
    """
    removed = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX)):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime >= min_age:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed
