"""What a record's file name tells without opening it: the home screen's first frame.

No pydantic and no models here: the records list is shown from names before they load.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

MAX_RECORD_BYTES = 2 * 1024 * 1024
"""The most a record (or an evidence log) may hold: the read cap, and the write cap that matches it."""

RECORD_NAME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})_(?P<kind>alignment|check-in|review)_(?P<slug>[a-z0-9-]{1,40})_(?P<short_id>[0-9a-f]{8})\.toml$"
)


@dataclass(frozen=True, slots=True)
class RecordName:
    """What a record's file name tells without opening it."""

    folder: Path
    file_name: str
    date: str
    kind: str
    slug: str
    short_id: str

    @property
    def path(self) -> Path:
        return self.folder / self.file_name

    @property
    def key(self) -> str:
        """`str(path)`, made without a Path: the home screen's row key, 10,000 times before its first frame."""
        return os.path.join(self.folder, self.file_name)


def list_record_names(folder: Path) -> list[RecordName]:
    """Records in a folder, newest first, read from file names alone.

    One directory read: the entries' types come with it (no stat per file but for links), so
    10,000 records are listed in a few tens of milliseconds, before the first frame.
    """
    found = []
    match = RECORD_NAME.match
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    # Not only regular files: a FIFO, device or link by a record's name is listed, and
                    # reading it says why it cannot be read, rather than it being passed over in silence.
                    if match(entry.name) and not entry.is_dir():
                        found.append(entry.name)
                except OSError:
                    continue
    except OSError:
        return []
    # A record's name starts with its date: by name is by (date, name).
    found.sort(reverse=True)
    return [RecordName(folder, name, *match(name).groups()) for name in found]  # type: ignore[union-attr]


DRAFTS_DIRNAME = ".drafts"


def draft_ids(sessions_dir: Path) -> list[str]:
    """The ids of the drafts in progress, from their file names alone (most recently changed first).

    The home screen lists them before the drafts' models load, so Enter resumes a draft from
    the first frame; what is inside each one (and whether it reads) follows from `list_drafts`.
    """
    try:
        with os.scandir(os.path.join(sessions_dir, DRAFTS_DIRNAME)) as entries:
            found = []
            for entry in entries:
                if entry.name.endswith(".toml") and entry.is_file(follow_symlinks=False):
                    found.append((entry.stat(follow_symlinks=False).st_mtime, entry.name[: -len(".toml")]))
    except OSError:
        return []
    return [draft_id for _, draft_id in sorted(found, reverse=True)]
