"""The records a calibration report needs, summarised once and cached beside them.

Every record file under the sessions folder (recursively; dot-folders such as `.drafts`,
`.cache` and `.git`, and `exports/`, are skipped) is summarised by `calibration.summarise`.
The summaries are kept in `<sessions>/.cache/report.json`, keyed per file by its size, mtime,
inode and ctime and by the hash of the rubric it was scored with, so a later report reads
only the files that changed. The cache is never trusted over the file:

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

import hashlib
import json
import math
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import LoadError, Problem, ReviewtuiError, SaveError
from ..models import Rubric, rubric_problems
from ..score.signed import signed_score_problems
from ..shown import shown_path
from ..team.calibration import RecordSummary, Report, calibrate, summarise
from .atomic import atomic_write, private_folder
from .fast_records import read_fast
from .keylines import key_lines, line_for
from .messages import dotted
from .reading import read_capped
from .records import MAX_RECORD_BYTES, RECORD_NAME, session_from_document
from .rubrics import RubricCatalog
from .sessions_folder import SessionsFolderError, unlistable_folder
from .tomlfile import TomlDocument, os_reason, read_toml, size_text

CACHE_DIRNAME = ".cache"
CACHE_FILENAME = "report.json"
CACHE_FORMAT = "reviewtui-report-cache"
CACHE_VERSION = 4  # 2: signed scores kept in the record; 3: agreed plans' broken rules; 4: record ids
RACY_NS = 2_000_000_000
MAX_CACHE_BYTES = 64 * 2**20  # about 140,000 records; a larger cache is neither read nor written
SKIPPED_DIRS = {"exports"}
# Below this many files to read, starting worker processes costs more than it saves.
POOL_MIN_FILES = 200
MAX_WORKERS = 8
LINK_REASON = (
    "a symbolic link, which may point outside the folder; reviewtui reads no record through one "
    "(put the file itself in the folder)"
)
_IGNORE_ALL = b"# The report cache holds confidential derived data: never commit it.\n*\n"

# One cache entry, as a JSON array: the file's key, when it was read, the rubric used and
# the summary (or the one-line reason the file could not be read).
SIZE, MTIME, INODE, CTIME, READ_AT, RUBRIC, RUBRIC_SHA, SUMMARY, ERROR = range(9)

Rubrics = dict[str, tuple[Rubric, str]]


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


def cache_path(sessions_dir: Path) -> Path:
    """The report cache file of a sessions folder."""
    return sessions_dir / CACHE_DIRNAME / CACHE_FILENAME


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
) -> Collected:
    """Summaries of every record under the folder, from the cache where it is still valid.

    `workers` caps the processes used for many files to read (default: the CPUs available);
    `clock` gives the time in ns, for tests of the racy-timestamp rule.
    """
    started = clock()
    stats = ScanStats(cache="off")
    files, unreadable = find_records(sessions_dir)
    stats.files = len(files)
    rubrics: Rubrics = {rubric_id: (s.rubric, s.sha256) for rubric_id, s in catalog.by_id.items()}
    old: dict[str, list] = {}
    if use_cache:
        old, stats.cache = _load_cache(cache_path(sessions_dir))
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
        key = [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]
        entry = old.get(name)
        if entry is not None and _trusted(entry, key, rubrics):
            try:
                if entry[ERROR] is None:
                    summaries.append(_summary_from_plain(name, entry[SUMMARY]))
                else:
                    unreadable.append((name, str(entry[ERROR])))
            except (TypeError, ValueError, IndexError, ArithmeticError):
                to_read.append((name, path, key))
                continue
            entries[name] = entry
            stats.cached += 1
        else:
            to_read.append((name, path, key))

    results, stats.workers = _read_all([(path, name) for name, path, _ in to_read], rubrics, workers)
    for (name, _, key), (rubric_id, sha, plain, error) in zip(to_read, results, strict=True):
        entries[name] = [*key, started, rubric_id, sha, plain, error]
        if error is None:
            summaries.append(_summary_from_plain(name, plain))
        else:
            unreadable.append((name, error))
    stats.parsed = len(to_read)
    stats.removed = len(old.keys() - entries.keys())
    stats.unreadable = len(unreadable)
    stats.summarised = len(summaries)
    if use_cache and (to_read or stats.removed):
        try:
            _write_cache(sessions_dir, entries)
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
    if not isinstance(entry, list) or len(entry) != 9 or entry[:4] != key:
        return False
    read_at, rubric_id, sha = entry[READ_AT], entry[RUBRIC], entry[RUBRIC_SHA]
    if not isinstance(read_at, int) or read_at - max(key[1], key[3]) <= RACY_NS:
        return False
    found = rubrics.get(rubric_id) if rubric_id else None
    return sha == (found[1] if found else "")


# Reading and summarising files ------------------------------------------------

_worker_rubrics: Rubrics = {}


def _init_worker(rubrics: Rubrics) -> None:
    global _worker_rubrics
    _worker_rubrics = rubrics


def _read_chunk(chunk: list[tuple[str, str]]) -> list[tuple[str, str, list | None, str | None]]:
    return [read_one(Path(path), name, _worker_rubrics) for path, name in chunk]


def _read_all(
    files: list[tuple[str, str]], rubrics: Rubrics, workers: int | None
) -> tuple[list[tuple[str, str, list | None, str | None]], int]:
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
                return [result for part in pool.map(_read_chunk, chunks) for result in part], workers
        except (OSError, RuntimeError):  # no processes to be had (limits, sandbox): read them here
            pass
    return [read_one(Path(path), name, rubrics) for path, name in files], 0


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _can_fork() -> bool:
    return sys.platform == "linux" and threading.active_count() == 1


def read_one(path: Path, name: str, rubrics: Rubrics) -> tuple[str, str, list | None, str | None]:
    """(rubric id, hash of the rubric used, plain summary, None) or (..., None, one-line reason)."""
    try:
        document = _read(path)
        session = session_from_document(document)
    except LoadError as error:
        return "", "", None, _one_line(error.problems, name)
    except Exception as error:  # one odd file must not stop a report over thousands
        return "", "", None, f"{name}: could not be summarised ({type(error).__name__})"
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
        return rubric_id, sha, _summary_to_plain(summarise(name, session, rubric, sha or None)), None
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


# The summary as plain JSON data ------------------------------------------------


def _summary_to_plain(summary: RecordSummary) -> list:
    return [
        summary.kind,
        summary.status,
        summary.rubric_id,
        summary.rubric_known,
        summary.rubric_changed,
        summary.manager,
        summary.employee,
        summary.period,
        [list(metric) for metric in summary.metrics],
        [list(competency) for competency in summary.competencies],
        None if summary.score is None else str(summary.score),
        list(summary.no_evidence),
        summary.no_success_story,
        summary.score_signed,
        None if summary.score_today is None else str(summary.score_today),
        [list(broken) for broken in summary.broken_rules],
        summary.record_id,
    ]


def _summary_from_plain(name: str, plain: Any) -> RecordSummary:
    """The summary back from the cache; a malformed entry raises TypeError or ValueError."""
    (
        kind,
        status,
        rubric_id,
        known,
        changed,
        manager,
        employee,
        period,
        metrics,
        ratings,
        total,
        gaps,
        story,
        signed,
        today,
        broken,
        record_id,
    ) = plain
    texts = (kind, status, rubric_id, manager, employee, period, record_id)
    if not all(isinstance(text, str) for text in texts) or not isinstance(gaps, list):
        raise TypeError("malformed cache entry")
    return RecordSummary(
        path=name,
        kind=kind,
        status=status,
        rubric_id=rubric_id,
        rubric_known=known is True,
        rubric_changed=changed is True,
        manager=manager,
        employee=employee,
        period=period,
        metrics=tuple((str(m), str(n), _level(level)) for m, n, level in metrics),
        competencies=tuple((str(c), _level(level)) for c, level in ratings),
        score=None if total is None else _decimal(total),
        no_evidence=tuple(str(gap) for gap in gaps),
        no_success_story=story is True,
        score_signed=signed is True,
        score_today=None if today is None else _decimal(today),
        broken_rules=tuple((str(check), str(message), str(reason)) for check, message, reason in broken),
        record_id=record_id,
    )


def _level(value: Any) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise TypeError("malformed level")


def _decimal(text: Any) -> Decimal:
    if not isinstance(text, str):
        raise TypeError("malformed score")
    value = Decimal(text)
    if not value.is_finite():
        raise ValueError("malformed score")
    return value


# The cache file ------------------------------------------------------------------


def _header() -> dict[str, Any]:
    return {"format": CACHE_FORMAT, "version": CACHE_VERSION, "reviewtui": __version__}


def _load_cache(path: Path) -> tuple[dict[str, list], str]:
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


def _write_cache(sessions_dir: Path, entries: dict[str, list]) -> None:
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
