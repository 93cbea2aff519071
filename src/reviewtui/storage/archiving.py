"""Archiving the sessions folder in git, and reading its records back out of the git log.

`archive_records` is what the app and `reviewtui archive` call; `record_versions` feeds `reviewtui history`.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

from ..errors import LoadError
from ..models import FINAL_STATUS, Session
from ..record.commit_message import ArchiveItem, FileKind, commit_message
from ..shown import shown_path
from ..team.history import RecordVersion
from .evidence import load_evidence
from .experiments import load_experiments
from .feedback_import import load_feedback
from .git import (
    GitError,
    NothingToArchiveError,
    PushError,
    commit_paths,
    log_changes,
    read_blobs,
    repository_root,
    require_root,
    status,
)
from .git import push as push_branch
from .git_state import detached_head_message
from .records import MAX_RECORD_BYTES, RECORD_NAME, load_session, session_from_document
from .report_cache import LINK_REASON
from .rubrics import RubricCatalog, discover_rubrics
from .sessions_folder import require_sessions_folder
from .tomlfile import TomlDocument

__all__ = [
    "ArchiveResult",
    "GitError",
    "NothingToArchiveError",
    "PushError",
    "archive_records",
    "record_versions",
    "repository_root",
]


@dataclass(frozen=True)
class ArchiveResult:
    """What one archive did: the commit made, its message, the files in it, whether it was pushed."""

    commit: str
    message: str
    paths: list[Path]
    pushed: bool
    skipped: list[str] = field(default_factory=list)
    """One line per file left out (a draft record, a file that does not load)."""


def archive_kind(name: str) -> FileKind | None:
    """Which archived kind a file name is, or None for anything that never goes into git."""
    # Temp, lock and conflict copies can carry a record's name in part; they hold unfinished text.
    if name.endswith((".tmp", ".lock")) or ".conflict-" in name:
        return None
    if RECORD_NAME.match(name):
        return "record"
    if fnmatch(name, "evidence_*.toml"):
        return "evidence"
    if fnmatch(name, "feedback_*.toml"):
        return "feedback"
    if fnmatch(name, "experiments_*.toml"):
        return "experiments"
    return None


def _folder(sessions_dir: Path, root: Path) -> str:
    try:
        return sessions_dir.resolve().relative_to(root).as_posix()
    except ValueError:
        raise GitError(
            f"{shown_path(sessions_dir)} is not inside the repository {shown_path(root)}"
        ) from None


def _item(path: Path, kind: FileKind, added: bool) -> ArchiveItem | str:
    """The file as an archive item, or the line saying why it is left out."""
    try:
        if kind == "record":
            session = load_session(path)
            if session.status != FINAL_STATUS[session.kind]:
                return f"skipped {shown_path(path)}: still a draft record; it is archived once {FINAL_STATUS[session.kind]}"
            return ArchiveItem(path.name, kind, added, session.participants.employee.name, session)
        loader = {"evidence": load_evidence, "experiments": load_experiments}.get(kind, load_feedback)
        owner = loader(path)
        return ArchiveItem(path.name, kind, added, owner.employee)
    except LoadError:
        return (
            f"skipped {shown_path(path)}: it does not load; `reviewtui validate {shown_path(path)}` shows why"
        )


Chosen = list[tuple[str, ArchiveItem, Path]]
"""Each file to commit: its root-relative path, what it is, and where it is."""


def _chosen(sessions_dir: Path, root: Path) -> tuple[Chosen, list[str]]:
    folder = _folder(sessions_dir, root)
    chosen: Chosen = []
    skipped = []
    for entry in status(root, folder):
        relative = PurePosixPath(entry.path)
        kind = archive_kind(relative.name)
        # Only files directly in the folder: drafts, exports and the cache live in sub-folders.
        if kind is None or relative.parent != PurePosixPath(folder) or entry.deleted:
            continue
        path = sessions_dir / relative.name
        if entry.unmerged:
            skipped.append(f"skipped {shown_path(path)}: it has unresolved merge conflicts")
            continue
        if path.is_symlink():
            # As in `report`: no record is read through a link, which may point anywhere.
            skipped.append(f"skipped {shown_path(path)}: {LINK_REASON}")
            continue
        if not path.is_file():
            continue
        item = _item(path, kind, entry.new)
        if isinstance(item, str):
            skipped.append(item)
        else:
            chosen.append((entry.path, item, path))
    # git's status never shows a FIFO or a device, so they are looked for here, as report lists them.
    for entry in _record_named_entries(sessions_dir):
        if not entry.is_symlink() and not entry.is_file(follow_symlinks=False):
            skipped.append(f"skipped {shown_path(sessions_dir / entry.name)}: it is not a regular file")
    return chosen, skipped


def _record_named_entries(sessions_dir: Path) -> list[os.DirEntry[str]]:
    try:
        entries = list(os.scandir(sessions_dir))
    except OSError:
        return []
    return sorted(
        (entry for entry in entries if archive_kind(entry.name) is not None and not entry.is_dir()),
        key=lambda entry: entry.name,
    )


def _cited_rubrics(chosen: Chosen, root: Path, rubrics: RubricCatalog) -> Chosen:
    """The repository's rubric files that the records being archived cite, where new or changed.

    Committed with them, so the rubric a record's hash names can be read back from the history.
    Bundled rubrics are left out: they ship with reviewtui, not with the team's repository.
    """
    cited: dict[str, Path] = {}
    for _, item, _ in chosen:
        source = rubrics.get(item.session.rubric.id) if item.session is not None else None
        if source is None or source.origin != "user" or source.path.is_symlink():
            continue
        try:
            relative = source.path.resolve().relative_to(root).as_posix()
        except ValueError:  # a --rubrics folder outside the repository
            continue
        cited[relative] = source.path
    found: Chosen = []
    for relative, path in sorted(cited.items()):
        for entry in status(root, relative):
            if entry.path == relative and not entry.deleted and not entry.unmerged:
                found.append((relative, ArchiveItem(path.name, "rubric", entry.new, ""), path))
    return found


def archive_records(
    sessions_dir: Path, message: str | None = None, push: bool = False, rubrics: RubricCatalog | None = None
) -> ArchiveResult:
    """Commit the new or changed final records, evidence logs and feedback files of a sessions folder,
    and the rubric files in the repository those records cite, where new or changed.

    `rubrics` is the app's rubric discovery (default: the `rubrics` folder beside the sessions
    folder, where `reviewtui init` puts it). Only those files are staged and committed, by explicit
    path, so anything else the user has staged stays staged. The user's hooks, signing and filters
    run. Blocks for as long as git does: up to about 2 minutes for the commit (hooks) and 1 more for
    the push.

    Raises NothingToArchiveError (not a failure: nothing new; `.skipped` lists files left out),
    NotARepositoryError, GitMissingError, GitError (lock held, no identity, a hook refused), and
    PushError after a successful commit (`.result` holds it).
    """
    if message is not None and not message.strip():
        raise GitError("the commit message is empty; give one with words in it, or leave it out")
    require_sessions_folder(sessions_dir)
    root = require_root(sessions_dir)
    detached = detached_head_message(root, "archiving")
    if detached is not None:
        raise GitError(f"nothing was archived: {detached}")
    chosen, skipped = _chosen(sessions_dir, root)
    if not chosen:
        raise NothingToArchiveError(
            f"nothing to archive: every final record, evidence log and feedback file in {shown_path(sessions_dir)} "
            "is committed as it is",
            skipped,
        )
    if rubrics is None:
        rubrics = discover_rubrics([sessions_dir.parent / "rubrics"])
    chosen += _cited_rubrics(chosen, root, rubrics)
    text = message.strip() if message is not None else commit_message([item for _, item, _ in chosen])
    try:
        commit = commit_paths(root, [relative for relative, _, _ in chosen], text)
    except NothingToArchiveError as error:
        error.skipped = skipped
        raise
    result = ArchiveResult(commit, text, [path for _, _, path in chosen], False, skipped)
    if push:
        try:
            push_branch(root, commit)
        except PushError as error:
            error.result = result
            raise
        result = replace(result, pushed=True)
    return result


def _session_or_none(raw: bytes | None, name: str) -> Session | None:
    if raw is None:
        return None
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        data = tomllib.loads(text, parse_float=Decimal)
        return session_from_document(TomlDocument(Path(name), raw, text, data))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, RecursionError, LoadError):
        return None


def record_versions(sessions_dir: Path) -> list[RecordVersion]:
    """Every archived version of every record in the folder, oldest commit first, each parsed.

    One `git log` and one `git cat-file --batch`, whatever the number of versions.
    """
    require_sessions_folder(sessions_dir)
    root = require_root(sessions_dir)
    folder = PurePosixPath(_folder(sessions_dir, root))
    changes = [
        change
        for change in log_changes(root, folder.as_posix())
        if PurePosixPath(change.path).parent == folder
        and archive_kind(PurePosixPath(change.path).name) == "record"
    ]
    wanted = [change for change in changes if change.change != "D"]
    blobs = read_blobs(root, [change.blob for change in wanted], MAX_RECORD_BYTES)
    contents = {id(change): blob for change, blob in zip(wanted, blobs, strict=True)}
    labels = {"A": "added", "D": "removed"}
    return [
        RecordVersion(
            change.short,
            change.committed_at,
            PurePosixPath(change.path).name,
            labels.get(change.change, "changed"),  # type: ignore[arg-type]
            _session_or_none(contents.get(id(change)), change.path),
        )
        for change in changes
    ]
