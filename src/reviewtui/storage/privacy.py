"""Whether other users of this machine can read or change the review repository, and making it private.

Reviews are confidential: the sessions folder, its git repository and the records in them should be
readable and writable by their owner only. `git init` and `git clone` follow the umask (0022 leaves
`.git/objects` and checked-out records readable by everyone), so a folder can be open without
anyone having meant it. `exposure_warning` says so in one line with the command that fixes it;
it never changes anything itself. `make_private` is what `reviewtui init` uses on what it made.

Only what another user can reach is reported: a folder they cannot enter hides what is inside it.
Symbolic links are never followed (their own mode means nothing on Linux).
"""

from __future__ import annotations

import errno
import os
import shlex
import stat
from dataclasses import dataclass
from pathlib import Path

from ..shown import shown_path

OTHERS = 0o077
"""Permission bits for the group and for everyone else."""
_ENTER = 0o011
"""Search (enter) bits for the group and for everyone else: without them a folder's contents are hidden."""
MAX_NAMED = 3
PRIVATE_CONFIG = ("core.sharedRepository", "0600")
"""What tells git to create every file in `.git` for its owner only (objects 0400, folders 0700),
whatever the umask: the mode of the review repository."""


def shell_word(path: Path | str) -> str:
    """The path as one word a POSIX shell reads back exactly; safe on a terminal.

    A name with control characters is written in bash's `$'…'` form (`$'team\\nx'`), so the
    command shown can be pasted and run without the terminal ever receiving the raw character.
    """
    text = str(path)
    if all(ch.isprintable() for ch in text):
        return shlex.quote(text)
    # Each byte of what is not printable as `\xHH`: bash's `$'\x9b'` is the single byte 0x9b,
    # so U+009B must be written as its UTF-8 bytes `\xc2\x9b` to name the real file.
    escaped = "".join(
        "\\'"
        if ch == "'"
        else "\\\\"
        if ch == "\\"
        else ch
        if ch.isprintable()
        else "".join(f"\\x{byte:02x}" for byte in ch.encode("utf-8", "surrogateescape"))
        for ch in text
    )
    return f"$'{escaped}'"


@dataclass(frozen=True)
class Exposure:
    """The paths others can read or change, under the folder to make private."""

    top: Path
    """The repository's top folder, or the sessions folder when it is in no repository."""
    in_repository: bool
    paths: tuple[tuple[Path, int], ...]
    """(path, permission bits) of each folder or file open to others, in the order found."""


def _mode(path: Path) -> int | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return None if stat.S_ISLNK(st.st_mode) else stat.S_IMODE(st.st_mode)


def _repository_top(folder: Path) -> Path | None:
    """The nearest folder at or above `folder` holding `.git` (a folder, or a worktree's file)."""
    for candidate in [folder, *folder.parents]:
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


def _walk(folder: Path, found: list[tuple[Path, int]]) -> None:
    """Every folder and file under `folder` open to others, entering only folders others can enter."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return  # a folder that cannot be listed is reported by whatever reads it
    for entry in entries:
        try:
            if entry.is_symlink():
                continue
            mode = stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode)
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            continue
        if mode & OTHERS:
            found.append((Path(entry.path), mode))
        if is_dir and entry.name != ".git" and mode & _ENTER:
            _walk(Path(entry.path), found)


def find_exposure(sessions_dir: Path) -> Exposure | None:
    """What of the sessions folder, its repository's top folder and `.git`, and the records under
    it other users can read or change; None when nothing (or the folder does not exist)."""
    sessions = Path(os.path.realpath(sessions_dir))  # a linked sessions folder: the folder itself
    if _mode(sessions) is None:
        return None
    top = _repository_top(sessions)
    in_repository = top is not None
    top = top or sessions
    found: list[tuple[Path, int]] = []
    # From the top folder down to the sessions folder, then everything in it.
    chain = [top] + [top / part for part in _steps(sessions.relative_to(top))]
    for position, folder in enumerate(chain):
        mode = _mode(folder)
        if mode is None:
            return None
        if mode & OTHERS:
            found.append((folder, mode))
        if position == 0 and in_repository:
            git_mode = _mode(folder / ".git")
            if git_mode is not None and git_mode & OTHERS:
                found.append((folder / ".git", git_mode))
        if not mode & _ENTER:
            break
    else:
        _walk(sessions, found)
    return Exposure(top, in_repository, tuple(found)) if found else None


def _steps(relative: Path) -> list[Path]:
    """`a/b/c` as `a`, `a/b`, `a/b/c`."""
    parts = relative.parts
    return [Path(*parts[: index + 1]) for index in range(len(parts))]


def exposure_warning(sessions_dir: Path) -> str | None:
    """One line for the terminal when others can read or change the review files, with the fix."""
    exposure = find_exposure(sessions_dir)
    if exposure is None:
        return None
    named = [f"{shown_path(path)} ({mode:04o})" for path, mode in exposure.paths[:MAX_NAMED]]
    more = len(exposure.paths) - len(named)
    listing = ", ".join(named) + (f" and {more} more" if more > 0 else "")
    top = shell_word(exposure.top)
    fix = f"`chmod -R go-rwx {top}`"
    if exposure.in_repository:
        key, value = PRIVATE_CONFIG
        fix += f", and keep git making it so with `git -C {top} config {key} {value}`"
    return (
        f"warning: other users of this machine can read or change the review files: {listing}. "
        f"Make them private with {fix}"
    )


def make_private(path: Path) -> None:
    """Take the group's and everyone else's access away from `path` (not following a symbolic link).

    The descriptor opened is the one changed, so a link swapped in meanwhile is never followed.
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return
    except OSError as error:
        if error.errno == errno.ELOOP:  # a symbolic link: left alone
            return
        raise
    try:
        mode = stat.S_IMODE(os.fstat(fd).st_mode)
        if mode & OTHERS:
            os.fchmod(fd, mode & ~OTHERS)
    finally:
        os.close(fd)


def make_tree_private(folder: Path) -> None:
    """`make_private` on `folder` and everything under it (links are left alone, never followed)."""
    make_private(folder)
    for parent, folders, files in os.walk(folder):
        for name in [*folders, *files]:
            path = Path(parent, name)
            if not path.is_symlink():
                make_private(path)
