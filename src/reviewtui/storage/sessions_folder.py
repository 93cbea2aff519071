"""Why a sessions folder cannot be used, in words: missing, a file, a broken link, not listable.

A folder that cannot be listed is an error, never an empty folder: "0 records" would be false.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import ReviewtuiError
from .privacy import shown_path
from .tomlfile import os_reason


class SessionsFolderError(ReviewtuiError):
    """The sessions folder is missing, is not a folder, or cannot be listed."""


def sessions_folder_problem(folder: Path) -> str | None:
    """Why `folder` is not a sessions folder that can be read, or None when it is a folder."""
    shown = shown_path(folder)
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        if os.path.islink(folder):
            target = shown_path(os.readlink(folder))
            return f"the sessions folder {shown} is a symbolic link to {target}, which does not exist"
        return f"there is no sessions folder {shown}; point --sessions at the folder that holds the records"
    except NotADirectoryError:
        above = next((p for p in Path(folder).parents if p.exists()), None)
        where = f": {shown_path(above)} is a file" if above is not None and not above.is_dir() else ""
        return f"the sessions folder {shown} cannot exist{where}; point --sessions at a folder"
    except OSError as error:
        return f"cannot look at the sessions folder {shown}: {os_reason(error)}"
    if not stat.S_ISDIR(st.st_mode):
        return f"the sessions folder {shown} is a file, not a folder; point --sessions at the folder that holds it"
    return None


def unlistable_folder(folder: Path, error: OSError) -> str:
    """The message for a sessions folder whose listing failed with `error`."""
    problem = sessions_folder_problem(folder)
    if problem is not None:
        return problem
    return (
        f"cannot list the sessions folder {shown_path(folder)}: {os_reason(error)}; "
        "nothing was read (if it is yours, `chmod u+rwx` it; else ask its owner)"
    )


def require_sessions_folder(folder: Path) -> None:
    """Raise SessionsFolderError, naming why, unless `folder` is a folder."""
    problem = sessions_folder_problem(folder)
    if problem is not None:
        raise SessionsFolderError(problem)
