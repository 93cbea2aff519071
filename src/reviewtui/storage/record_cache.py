"""The per-record summary cache file, `<sessions>/.cache/report.json`: its entries and their trust.

One cache serves the report (`report_cache.collect` writes it) and the home screen (which
reads the names, status and period it shows from it). This module holds the file and the
rule for trusting an entry, and imports no pydantic: the home screen's second start fills
its list from here before the models load. The rules (see `report_cache` for the whole):

- an entry is keyed by its file's size, mtime, inode and ctime; a key that differs in any part
  means the file is read again (atomic saves replace the inode; an in-place edit moves ctime);
- as in git, an entry is not trusted when its file changed within `RACY_NS` of the moment it was
  read: a second edit in the same timestamp tick could otherwise go unseen;
- a cache from another version of reviewtui or of this format, a damaged one (its body is checked
  against a SHA-256), a link, or one over `MAX_CACHE_BYTES` is ignored and rebuilt, never an error;
- it holds confidential derived data: its folder is 0700, the file 0600, written atomically, and
  the folder's own `.gitignore` keeps it out of git.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import LoadError, SaveError
from .atomic import atomic_write, private_folder
from .reading import read_capped
from .record_names import RecordName
from .tomlfile import size_text

CACHE_DIRNAME = ".cache"
CACHE_FILENAME = "report.json"
CACHE_FORMAT = "reviewtui-report-cache"
# 2: signed scores kept in the record; 3: agreed plans' broken rules; 4: record ids;
# 5: each entry's details for the home screen (employee, status, period), also of records
#    that do not fit their rubric, which home lists as usual
CACHE_VERSION = 5
RACY_NS = 2_000_000_000
MAX_CACHE_BYTES = 64 * 2**20  # about 140,000 records; a larger cache is neither read nor written
_IGNORE_ALL = b"# The report cache holds confidential derived data: never commit it.\n*\n"

# One cache entry, as a JSON array: the file's key, when it was read, the rubric used, the
# summary (or the one-line reason the file could not be read), and the home screen's details
# ([employee name, status, period label], or None when the file is not a valid record).
SIZE, MTIME, INODE, CTIME, READ_AT, RUBRIC, RUBRIC_SHA, SUMMARY, ERROR, DETAILS = range(10)
ENTRY_FIELDS = 10

Details = tuple[str, str, str]
"""A record's employee name, status and period label, as the record holds them (unescaped)."""


def cache_path(sessions_dir: Path) -> Path:
    """The report cache file of a sessions folder."""
    return sessions_dir / CACHE_DIRNAME / CACHE_FILENAME


def file_key(st: os.stat_result) -> list[int]:
    """The part of a file's status an entry is keyed by."""
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]


def fresh(entry: Any, key: list[int]) -> bool:
    """Whether an entry still tells about the file with this key (the rubric aside)."""
    if not isinstance(entry, list) or len(entry) != ENTRY_FIELDS or entry[:4] != key:
        return False
    read_at = entry[READ_AT]
    return isinstance(read_at, int) and read_at - max(key[1], key[3]) > RACY_NS


def details_of(entry: list) -> Details | None:
    """The entry's details, None for a file that is not a valid record; TypeError when malformed."""
    details = entry[DETAILS]
    if details is None:
        return None
    if (
        not isinstance(details, list)
        or len(details) != 3
        or not all(isinstance(text, str) for text in details)
    ):
        raise TypeError("malformed cache entry")
    return details[0], details[1], details[2]


def cached_details(
    sessions_dir: Path, names: list[RecordName]
) -> tuple[dict[str, Details | None], list[RecordName]]:
    """The details the cache still holds for records directly in the folder, and the names left to read.

    A record found is mapped by its `RecordName.key` to its details, or to None when the cache knows it as unreadable.
    Reads no record: one stat per name, and the cache file.
    """
    entries, _ = load_cache(cache_path(sessions_dir))
    found: dict[str, Details | None] = {}
    left: list[RecordName] = []
    for name in names:
        entry = entries.get(name.file_name)
        try:
            if entry is not None and fresh(entry, file_key(os.stat(name.key, follow_symlinks=False))):
                found[name.key] = details_of(entry)
                continue
        except (OSError, TypeError):
            pass
        left.append(name)
    return found, left


def _header() -> dict[str, Any]:
    return {"format": CACHE_FORMAT, "version": CACHE_VERSION, "reviewtui": __version__}


def load_cache(path: Path) -> tuple[dict[str, list], str]:
    """The entries of the cache file, and `loaded`, `absent`, `damaged` or `other version`."""
    try:
        # Never a link: reviewtui replaces the file whole, so a link there was put by someone else.
        raw = read_capped(path, max_bytes=MAX_CACHE_BYTES, what="report cache", follow_symlinks=False)
    except LoadError:
        return {}, ("damaged" if os.path.lexists(path) else "absent")
    head, _, body = raw.partition(b"\n")
    try:
        header = json.loads(head)
        if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT:
            return {}, "damaged"
        if {key: header.get(key) for key in ("format", "version", "reviewtui")} != _header():
            return {}, "other version"
        if header.get("sha256") != hashlib.sha256(body).hexdigest():
            return {}, "damaged"
        entries = json.loads(body)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return {}, "damaged"
    return (entries, "loaded") if isinstance(entries, dict) else ({}, "damaged")


def write_cache(sessions_dir: Path, entries: dict[str, list]) -> None:
    """The cache file written whole, atomically, 0600 in a 0700 folder kept out of git."""
    folder = private_folder(sessions_dir / CACHE_DIRNAME)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        atomic_write(ignore, _IGNORE_ALL, saving=folder / CACHE_FILENAME)
    body = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = json.dumps({**_header(), "sha256": hashlib.sha256(body).hexdigest()}).encode("ascii")
    if len(header) + 1 + len(body) > MAX_CACHE_BYTES:
        raise SaveError(
            f"it would pass {size_text(MAX_CACHE_BYTES)}, the most reviewtui reads back, so every "
            "report reads the records themselves (--no-cache skips the cache)"
        )
    atomic_write(folder / CACHE_FILENAME, header + b"\n" + body)
