"""The records a calibration report needs, summarised once and cached beside them.

Every record file under the sessions folder (recursively; dot-folders such as `.drafts`,
`.cache` and `.git`, and `exports/`, are skipped) is summarised by `calibration.summarise`.
The summaries are kept in `<sessions>/.cache/report.json` (the file and its entries: see
`record_cache`, which the home screen reads too), keyed per file by its size, mtime, inode and
ctime and by the hash of the rubric it was scored with, so a later report reads only the files
that changed. The cache is never trusted over the file:

- a key that differs in any part, or a rubric whose file changed, means the file is read again
  (atomic saves replace the inode; an in-place edit moves ctime, which no tool can set back);
- as in git, an entry is not trusted when its file changed within `RACY_NS` of the moment it was
  read: a second edit in the same timestamp tick could otherwise go unseen;
- a cache from another version of reviewtui or of this format, or a damaged one (its body is
  checked against a SHA-256), is ignored and rebuilt; it is never an error.

Files to read are read by `fast_records` when they are in reviewtui's own layout (else by
tomllib), validated once, and shared among worker processes when there are many.

The cache holds confidential derived data (names, levels, scores): its folder is 0700, the file
0600, written atomically and only when something changed, and the folder's own `.gitignore`
keeps it out of git.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import LoadError, Problem, ReviewtuiError
from ..models import Rubric, Session, rubric_problems
from ..score.signed import signed_score_problems
from ..shown import shown_path
from ..team.calibration import Report, calibrate
from ..team.summaries import RecordSummary, summarise
from .fast_records import read_fast
from .keylines import key_lines, line_for
from .messages import dotted
from .record_cache import (  # noqa: F401 (cache_path, CACHE_DIRNAME, CACHE_VERSION: named here too)
    CACHE_DIRNAME,
    CACHE_VERSION,
    ERROR,
    RUBRIC,
    RUBRIC_SHA,
    SUMMARY,
    Details,
    cache_path,
    details_of,
    file_key,
    fresh,
    load_cache,
    write_cache,
)
from .records import MAX_RECORD_BYTES, RECORD_NAME, session_from_document
from .rubrics import RubricCatalog
from .sessions_folder import SessionsFolderError, unlistable_folder
from .summary_plain import summary_from_plain, summary_to_plain
from .tomlfile import TomlDocument, os_reason, read_toml

SKIPPED_DIRS = {"exports"}
# Below this many files to read, starting worker processes costs more than it saves.
POOL_MIN_FILES = 200
MAX_WORKERS = 8
LINK_REASON = (
    "a symbolic link, which may point outside the folder; reviewtui reads no record through one "
    "(put the file itself in the folder)"
)

Rubrics = dict[str, tuple[Rubric, str]]
Read = tuple[str, str, list | None, str | None, list | None]
"""A file read: (rubric id, hash of the rubric used, plain summary or None, None or the one-line
reason it was not summarised, [employee, status, period] or None when it is not a valid record)."""
OnRead = Callable[[str, "Details | None"], None]


@dataclass
class ScanStats:
    """What a scan did: how many files were found, taken from the cache or read."""

    files: int = 0
    cached: int = 0
    parsed: int = 0
    unreadable: int = 0
    """Files listed as not read: found but unreadable, or refused while listing (a link)."""
    summarised: int = 0
    """Records read and summarised, from the cache or from their file."""
    removed: int = 0
    workers: int = 0
    """Worker processes used; 0 when every file was read in this process."""
    cache: str = "absent"
    """How the cache was found: `loaded`, `absent`, `damaged`, `other version` or `off`."""
    written: bool = False
    write_error: str = ""


@dataclass
class Collected:
    """Every record's summary, the files that could not be read, and how they were obtained."""

    summaries: list[RecordSummary]
    unreadable: list[tuple[str, str]]
    stats: ScanStats = field(default_factory=ScanStats)


def find_records(sessions_dir: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(relative name, path) of every record file under the folder, sorted; and what was not read:
    sub-folders that cannot be listed, and records that are symbolic links (`LINK_REASON`).

    Raises SessionsFolderError when the sessions folder itself cannot be listed: a report of
    "0 records" would then be false.
    """
    found: list[tuple[str, str]] = []
    problems: list[tuple[str, str]] = []

    def walk(folder: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError as error:
            if not prefix:
                raise SessionsFolderError(unlistable_folder(sessions_dir, error)) from None
            folder_name = prefix.rstrip("/")
            problems.append(
                (folder_name, f"{shown_path(folder_name)}: cannot read this folder: {os_reason(error)}")
            )
            return
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not name.startswith(".") and name not in SKIPPED_DIRS:
                        walk(entry.path, f"{prefix}{name}/")
                elif RECORD_NAME.match(name) and entry.is_symlink():
                    problems.append((prefix + name, f"{prefix + name}: not read: {LINK_REASON}"))
                elif RECORD_NAME.match(name):  # a FIFO or device by that name is refused when read
                    found.append((prefix + name, entry.path))
            except OSError:
                continue

    walk(str(sessions_dir), "")
    found.sort()
    return found, problems


def collect(
    sessions_dir: Path,
    catalog: RubricCatalog,
    *,
    use_cache: bool = True,
    workers: int | None = None,
    clock: Callable[[], int] = time.time_ns,
    on_read: OnRead | None = None,
) -> Collected:
    """Summaries of every record under the folder, from the cache where it is still valid.

    `workers` caps the processes used for many files to read (default: the CPUs available);
    `clock` gives the time in ns, for tests of the racy-timestamp rule; `on_read` is told the
    relative name and details of each file read (not those from the cache) as it is read, newest
    first (a record's name starts with its date), so a list shown newest first fills from its top.
    """
    started = clock()
    stats = ScanStats(cache="off")
    files, unreadable = find_records(sessions_dir)
    stats.files = len(files)
    rubrics: Rubrics = {rubric_id: (s.rubric, s.sha256) for rubric_id, s in catalog.by_id.items()}
    old: dict[str, list] = {}
    if use_cache:
        old, stats.cache = load_cache(cache_path(sessions_dir))
    entries: dict[str, list] = {}
    summaries: list[RecordSummary] = []
    to_read: list[tuple[str, str, list[int]]] = []
    for name, path in files:
        try:
            st = os.stat(path)
        except FileNotFoundError:  # removed since the folder was listed
            continue
        except OSError as error:
            unreadable.append((name, f"{shown_path(name)}: cannot read this record: {os_reason(error)}"))
            continue
        key = file_key(st)
        entry = old.get(name)
        if entry is not None and _trusted(entry, key, rubrics):
            try:
                details_of(entry)  # home reads them: a malformed entry is read again
                if entry[ERROR] is None:
                    summaries.append(summary_from_plain(name, entry[SUMMARY]))
                else:
                    unreadable.append((name, str(entry[ERROR])))
            except (TypeError, ValueError, IndexError, ArithmeticError):
                to_read.append((name, path, key))
                continue
            entries[name] = entry
            stats.cached += 1
        else:
            to_read.append((name, path, key))

    if on_read is not None:
        to_read.reverse()
    told = None if on_read is None else lambda index, read: on_read(to_read[index][0], _details(read[4]))
    results, stats.workers = _read_all([(path, name) for name, path, _ in to_read], rubrics, workers, told)
    for (name, _, key), (rubric_id, sha, plain, error, details) in zip(to_read, results, strict=True):
        entries[name] = [*key, started, rubric_id, sha, plain, error, details]
        if error is None:
            summaries.append(summary_from_plain(name, plain))
        else:
            unreadable.append((name, error))
    stats.parsed = len(to_read)
    stats.removed = len(old.keys() - entries.keys())
    stats.unreadable = len(unreadable)
    stats.summarised = len(summaries)
    if use_cache and (to_read or stats.removed):
        try:
            write_cache(sessions_dir, entries)
            stats.written = True
        except ReviewtuiError as error:
            stats.write_error = str(error)
    summaries.sort(key=lambda summary: summary.path)
    return Collected(summaries, unreadable, stats)


def build_report(sessions_dir: Path, catalog: RubricCatalog, **options: Any) -> tuple[Report, ScanStats]:
    """The calibration report of a sessions folder, and how its records were obtained."""
    collected = collect(sessions_dir, catalog, **options)
    rubrics = {rubric_id: source.rubric for rubric_id, source in catalog.by_id.items()}
    return calibrate(collected.summaries, rubrics, collected.unreadable), collected.stats


def _trusted(entry: Any, key: list[int], rubrics: Rubrics) -> bool:
    if not fresh(entry, key):
        return False
    rubric_id, sha = entry[RUBRIC], entry[RUBRIC_SHA]
    found = rubrics.get(rubric_id) if rubric_id else None
    return sha == (found[1] if found else "")


def _details(details: list | None) -> Details | None:
    return None if details is None else (details[0], details[1], details[2])


# Reading and summarising files ------------------------------------------------

_worker_rubrics: Rubrics = {}


def _init_worker(rubrics: Rubrics) -> None:
    global _worker_rubrics
    _worker_rubrics = rubrics


def _read_chunk(chunk: list[tuple[str, str]]) -> list[Read]:
    return [read_one(Path(path), name, _worker_rubrics) for path, name in chunk]


def _read_all(
    files: list[tuple[str, str]],
    rubrics: Rubrics,
    workers: int | None,
    told: Callable[[int, Read], None] | None = None,
) -> tuple[list[Read], int]:
    """Every file read and summarised, in order; in worker processes when there are many.

    Workers are forked, which is fast and safe only in a process running a single thread (the
    command line); the app reads in its own worker thread instead, where forking could deadlock
    and spawning would start its `__main__` again.
    """
    workers = min(workers or _cpus(), MAX_WORKERS)
    if len(files) >= POOL_MIN_FILES and workers > 1 and _can_fork():
        size = max(8, min(256, math.ceil(len(files) / (workers * 4))))
        chunks = [files[start : start + size] for start in range(0, len(files), size)]
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(
                workers, mp_context=context, initializer=_init_worker, initargs=(rubrics,)
            ) as pool:
                results = [result for part in pool.map(_read_chunk, chunks) for result in part]
            for index, result in enumerate(results if told else ()):
                told(index, result)  # type: ignore[misc]
            return results, workers
        except (OSError, RuntimeError):  # no processes to be had (limits, sandbox): read them here
            pass
    results = []
    for path, name in files:
        results.append(read_one(Path(path), name, rubrics))
        if told is not None:
            told(len(results) - 1, results[-1])
    return results, 0


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _can_fork() -> bool:
    return sys.platform == "linux" and threading.active_count() == 1


def read_one(path: Path, name: str, rubrics: Rubrics) -> Read:
    """The file read and summarised (see `Read`); a file that cannot be gives its reason."""
    try:
        document = _read(path)
        session = session_from_document(document)
    except LoadError as error:
        return "", "", None, _one_line(error.problems, name), None
    except Exception as error:  # one odd file must not stop a report over thousands
        return "", "", None, f"{name}: could not be summarised ({type(error).__name__})", None
    # What home lists, also for a record that does not fit its rubric (the report leaves it out).
    details = [session.participants.employee.name, session.status, session.period.label]
    return (*_summarised(session, document, name, rubrics), details)


def _summarised(
    session: Session, document: TomlDocument, name: str, rubrics: Rubrics
) -> tuple[str, str, list | None, str | None]:
    rubric_id = session.rubric.id
    rubric, sha = rubrics.get(rubric_id, (None, ""))
    try:
        if rubric is not None and (problems := rubric_problems(session, rubric)):
            lines = key_lines(document.text)
            where = [Problem(message, line_for(lines, at) or 1, dotted(at)) for at, message in problems]
            return rubric_id, sha, None, _one_line(where, name, f"does not fit rubric `{rubric_id}`: ")
        if problems := signed_score_problems(session):
            lines = key_lines(document.text)
            where = [Problem(message, line_for(lines, at) or 1, dotted(at)) for at, message in problems]
            return rubric_id, sha, None, _one_line(where, name, "its signed score: ")
        return rubric_id, sha, summary_to_plain(summarise(name, session, rubric, sha or None)), None
    except Exception as error:
        return rubric_id, sha, None, f"{name}: could not be summarised ({type(error).__name__})"


def _read(path: Path) -> TomlDocument:
    """The record's document: by the fast reader when it is in reviewtui's own layout, else by tomllib."""
    fast = read_fast(path, MAX_RECORD_BYTES)
    if fast is None:  # read_toml says why, or reads what the fast reader declined
        return read_toml(path, max_bytes=MAX_RECORD_BYTES, what="record", follow_symlinks=False)
    return TomlDocument(path, *fast)


def _one_line(problems: list[Problem], name: str, lead: str = "") -> str:
    first = problems[0]
    text = Problem(lead + first.message, first.line, first.key, first.column).render(name)
    more = len(problems) - 1
    return text + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")
