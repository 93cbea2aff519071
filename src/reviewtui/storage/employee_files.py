"""Per-employee files beside the records (evidence logs, feedback files), found by the name inside.

A file is named `<prefix><slug>.toml`, but the slug is only for people reading the folder: two
people can share one (Zoë Smith and Zoe Smith are both `zoe-smith`), and older versions gave every
non-Latin name the slug `employee`. So each file records its employee's name, the lookup compares
that name (see `names.person_key`), and a second person with the same slug gets `_2`, `_3`, ...
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import LoadError, SaveError
from ..names import person_key
from .drafts import lock_file_for
from .locks import locked
from .records import inside, legacy_slug, slug

Owner = Callable[[Path], str]
"""Reads a file's employee name; raises LoadError for a file that does not load."""
_CLAIM_ATTEMPTS = 5


def _numbered(sessions_dir: Path, base: str) -> Iterator[Path]:
    """`base.toml`, `base_2.toml`, `base_3.toml`, ... as long as they exist, then the first free one."""
    number = 1
    while True:
        path = inside(sessions_dir, f"{base}.toml" if number == 1 else f"{base}_{number}.toml")
        yield path
        if not path.exists():
            return
        number += 1


def employee_file(sessions_dir: Path, prefix: str, employee: str, owner: Owner) -> Path:
    """The employee's file (which may not exist yet): the one whose recorded name is this person's.

    Looked for under the employee's slug, then under the slug an older version gave the name, then
    among every other file of the kind (one renamed by hand); a file under the person's own slug that
    does not load is an error (it may be theirs), others that do not load are passed over. A new
    file takes the first free name under the slug.
    """
    key = person_key(employee)
    looked_at: set[str] = set()
    for base in dict.fromkeys((slug(employee), legacy_slug(employee))):
        for path in _numbered(sessions_dir, f"{prefix}{base}"):
            looked_at.add(path.name)
            if path.exists() and person_key(owner(path)) == key:
                return path
    pattern = re.compile(re.escape(prefix) + r"[a-z0-9-]{1,40}(?:_[0-9]{1,6})?\.toml")
    with contextlib.suppress(OSError):
        for path in sorted(sessions_dir.iterdir()):
            if path.name in looked_at or not pattern.fullmatch(path.name) or not path.is_file():
                continue
            try:
                if person_key(owner(path)) == key:
                    return path
            except LoadError:
                continue
    return list(_numbered(sessions_dir, f"{prefix}{slug(employee)}"))[-1]


@contextlib.contextmanager
def claimed_employee_file(sessions_dir: Path, prefix: str, employee: str, owner: Owner) -> Iterator[Path]:
    """The employee's file, locked for a read-modify-write.

    Two reviewtuis adding a first entry for two people with the same slug could both pick the
    same free name; whichever locks second sees the other's name in it and looks again.
    """
    for _ in range(_CLAIM_ATTEMPTS):
        path = employee_file(sessions_dir, prefix, employee, owner)
        with locked(lock_file_for(path), path.name):
            if path.exists() and person_key(owner(path)) != person_key(employee):
                continue  # taken by another person's file since the lookup
            yield path
            return
    raise SaveError(
        f"other reviewtuis kept taking the file name for this employee in {sessions_dir}; nothing was written, try again"
    )
