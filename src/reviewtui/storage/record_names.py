"""What a record's file name tells without opening it: the home screen's first frame.

No pydantic and no models here: the records list is shown from names before they load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

RECORD_NAME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})_(?P<kind>alignment|check-in|review)_(?P<slug>[a-z0-9-]{1,40})_(?P<short_id>[0-9a-f]{8})\.toml$"
)


@dataclass(frozen=True)
class RecordName:
    """What a record's file name tells without opening it."""

    path: Path
    date: str
    kind: str
    slug: str
    short_id: str


def list_record_names(folder: Path) -> list[RecordName]:
    """Records in a folder, newest first, read from file names alone."""
    try:
        paths = [path for path in folder.iterdir() if path.suffix == ".toml"]
    except OSError:
        return []
    names = []
    for path in paths:
        match = RECORD_NAME.match(path.name)
        # Not only regular files: a FIFO, device or link by a record's name is listed, and reading it
        # says why it cannot be read, rather than it being passed over in silence.
        if match and not path.is_dir():
            names.append(RecordName(path, match["date"], match["kind"], match["slug"], match["short_id"]))
    names.sort(key=lambda name: (name.date, name.path.name), reverse=True)
    return names
