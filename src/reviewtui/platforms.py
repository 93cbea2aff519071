"""Where reviewtui runs: POSIX systems only (Linux, macOS, the BSDs, WSL).

Records stay whole and two writers never clash because of POSIX file locks (`flock`),
0600/0700 modes and renames over open files. Windows has none of these as reviewtui uses
them, so it is refused at start, before anything is read or written, rather than run
without its promises.
"""

from __future__ import annotations

import os
import sys

UNSUPPORTED_PLATFORM = (
    "reviewtui runs on Linux, macOS and other POSIX systems only (on Windows, use it inside WSL): "
    "it needs POSIX file locks and permissions to keep confidential records whole and private. "
    "Nothing was read or written."
)


def unsupported_platform() -> str | None:
    """The message to stop with on a platform reviewtui does not support, else None."""
    if os.name != "posix" or sys.platform.startswith("win"):
        return UNSUPPORTED_PLATFORM
    return None
