"""What `reviewtui due` reads and writes: the folder's final records, and the calendar file."""

from __future__ import annotations

from pathlib import Path

from ..errors import LoadError
from ..models import Session
from .atomic import atomic_write
from .output import Managed, OutputRefusedError, managed_kind
from .record_names import list_record_names
from .records import load_session
from .safe_files import UnsafeFileError, refuse_unless_regular, shown_path

FINAL = ("agreed", "recorded", "signed")


def final_records(folder: Path) -> tuple[list[Session], list[str]]:
    """The agreed, recorded and signed records in the folder, and one line per record that cannot be read."""
    records: list[Session] = []
    problems: list[str] = []
    for name in list_record_names(folder):
        try:
            session = load_session(name.path)
        except LoadError as error:
            problems.append(
                str(error).splitlines()[0] if str(error) else f"{shown_path(name.path)}: unreadable"
            )
            continue
        if session.status in FINAL:
            records.append(session)
    return records, problems


def write_calendar(path: Path, text: str, sessions_dir: Path) -> Path:
    """The calendar written atomically (0600); a link, a special file or a file reviewtui manages is refused."""
    kind = managed_kind(path, Managed(sessions_dirs=[sessions_dir]))
    if kind is not None:
        raise OutputRefusedError(
            f"--ics {shown_path(path)} is {kind}: name a new .ics file; nothing was written"
        )
    if not path.parent.is_dir():  # a typo in the folder: say so rather than make folders
        raise OutputRefusedError(f"--ics {shown_path(path)}: its folder does not exist; nothing was written")
    try:
        refuse_unless_regular(path, "cannot write the calendar")
    except UnsafeFileError as error:
        raise OutputRefusedError(f"--ics: {error}; nothing was written") from None
    atomic_write(path, text.encode("utf-8"))
    return path
