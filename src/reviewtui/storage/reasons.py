"""How storage words an operating-system error and a size for a user (pure)."""

from __future__ import annotations

import errno


def os_reason(error: OSError) -> str:
    """A short, plain reason for an operating-system error."""
    reasons = {
        errno.ENOENT: "no such file or folder",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EISDIR: "this is a folder, not a file",
        errno.ENOSPC: "the disk is full",
        errno.EROFS: "the file system is read-only",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.ENOTDIR: "a part of the path is not a folder",
        errno.ENAMETOOLONG: "the file name is too long",
    }
    return reasons.get(error.errno or 0, error.strerror or "the operating system refused")


def size_text(size: int) -> str:
    """A byte count as people say it: `256 KiB`, `2 MiB`."""
    return f"{size / 2**20:g} MiB" if size >= 2**20 else f"{size / 2**10:g} KiB"
