"""Atomic, private file writes: a reader sees the old file or the new one, never a mix."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

from ..errors import SaveError
from .safe_files import LINK_REASON, UnsafeFileError, check_descriptor, refuse_unless_regular, shown_path
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


def private_folder(folder: Path) -> Path:
    """A folder of reviewtui's own (drafts, the report cache, exports), made private if it is new.

    Refused when it is a symbolic link: what reviewtui keeps there would land wherever it points.
    """
    ensure_private_dir(folder)
    if folder.is_symlink():
        raise UnsafeFileError(f"cannot use the folder {shown_path(folder)}: {LINK_REASON}")
    return folder


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; some file systems refuse, which is harmless.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(path: Path, data: bytes, *, saving: Path | None = None) -> None:
    """Write bytes to `path` through a synced temp file and an atomic rename.

    The temp file lives in the same folder (so the rename is atomic) with mode
    0600 from the start; on any failure it is removed and the old file stays.
    A `path` that is a symbolic link, a FIFO, a device or a folder is refused before
    anything is written (the rename would replace a link, not write through it, but
    the link was put there by someone, and the user should know).
    `saving`: the file the user is saving when `path` is written on its behalf first
    (a folder's `.gitignore`); messages name it, as that is the file the user knows of.
    """
    folder = path.parent
    # On behalf of another file, the failure names that one (and says what was being written);
    # a refusal names the file refused, the one to remove.
    shown = shown_path(saving) if saving else shown_path(path)
    first = f" (writing {shown_path(path.name)} of its folder first)" if saving else ""
    ensure_private_dir(folder)
    refuse_unless_regular(path)
    try:
        fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    except OSError as error:
        raise SaveError(f"cannot save {shown}: {os_reason(error)}{first}") from None
    try:  # mkstemp makes a new file (O_EXCL, O_NOFOLLOW); checked all the same, as every writer is
        check_descriptor(fd, Path(temp_name))
    except SaveError:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
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
            f"cannot save {shown}: {os_reason(error)}{first}; the previous version is unchanged"
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
