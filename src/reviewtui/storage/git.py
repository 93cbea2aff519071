"""The `git` binary, run as the user would run it, so their config, hooks, signing and filters apply.

Every call is an argument list (never a shell) with `-C <dir>`, `--` before paths, no terminal
prompt, no standard input and a time limit. Failures become one line a user can act on; git's own
output is shown only as a short, cleaned tail, never record contents.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..shown import shown_path
from .git_run import GitError, existing_folder, run_git, tail
from .git_state import bare_repository_message

COMMIT_SECONDS = 120  # hooks and signing may run
PUSH_SECONDS = 60


class NotARepositoryError(GitError):
    """The folder is not inside a git repository."""


class NothingToArchiveError(GitError):
    """Every file that would be archived is already committed as it is (not a failure)."""

    def __init__(self, message: str, skipped: list[str] | None = None):
        super().__init__(message)
        self.skipped = skipped or []


class PushError(GitError):
    """The commit was made but could not be pushed."""

    result: object = None
    """From archive_records: the ArchiveResult of the commit that was made."""


def repository_root(path: Path) -> Path | None:
    """The top folder of the git repository holding `path`, or None (no repository, or no git).

    Fast (one `git rev-parse`); safe to call from the UI to decide whether to offer archiving.
    """
    try:
        result = run_git(existing_folder(path.resolve()), "rev-parse", "--show-toplevel", timeout=5)
    except GitError:
        return None
    # Only the line end git adds is taken off: a folder's name may end in a space or a newline.
    top = os.fsdecode(result.stdout).removesuffix("\n")
    return Path(top) if result.returncode == 0 and top else None


def require_git(path: Path) -> None:
    """Raise GitMissingError, before anything is changed, when git cannot be run."""
    run_git(existing_folder(path.resolve()), "--version", timeout=5)


def require_root(path: Path) -> Path:
    """Like repository_root, but explains a missing repository or a missing git."""
    require_git(path)
    root = repository_root(path)
    if root is None and (bare := bare_repository_message(path)) is not None:
        raise NotARepositoryError(bare)
    if root is None:
        raise NotARepositoryError(
            f"{shown_path(path)} is not in a git repository; run `reviewtui init` in the folder that holds it first"
        )
    if (root / ".git").is_symlink():  # git follows it: the records would be committed wherever it points
        raise NotARepositoryError(
            f"{shown_path(root / '.git')} is a symbolic link to {shown_path(os.readlink(root / '.git'))}; "
            "reviewtui commits reviews only into the repository's own .git folder: remove the link, "
            "or clone the repository properly"
        )
    return root


def literal(path: str) -> str:
    """A pathspec git takes as a plain name, even with `*`, `[` or a leading `:` in it."""
    return f":(literal){path}"


@dataclass(frozen=True)
class StatusEntry:
    """One line of `git status --porcelain`: the two status letters and the root-relative path."""

    code: str
    path: str

    @property
    def unmerged(self) -> bool:
        return "U" in self.code or self.code in ("AA", "DD")

    @property
    def new(self) -> bool:
        """Not in the last commit: untracked, or staged as added or renamed."""
        return self.code == "??" or self.code[0] in "AR"

    @property
    def deleted(self) -> bool:
        return "D" in self.code


def status(root: Path, folder: str) -> list[StatusEntry]:
    """New, changed and deleted files under `folder` (relative to `root`), ignored files left out."""
    result = run_git(
        root, "status", "--porcelain", "-z", "--untracked-files=all", "--", literal(folder), what="git status"
    )
    if result.returncode:
        raise GitError(f"git status failed: {tail(result.stderr)}")
    fields = result.stdout.decode("utf-8", "surrogateescape").split("\0")
    entries, index = [], 0
    while index < len(fields) and fields[index]:
        line = fields[index]
        entries.append(StatusEntry(line[:2], line[3:]))
        # A rename or copy is followed by the name it came from.
        index += 2 if line[0] in "RC" else 1
    return entries


def _lock_held(root: Path) -> Path | None:
    result = run_git(root, "rev-parse", "--git-path", "index.lock")
    if result.returncode:
        return None
    lock = Path(result.stdout.decode("utf-8", "surrogateescape").strip())
    lock = lock if lock.is_absolute() else root / lock
    return lock if lock.exists() else None


def _failure(root: Path, action: str, result: subprocess.CompletedProcess[bytes]) -> GitError:
    lock = _lock_held(root)
    if lock is not None:
        return GitError(
            f"another git is working in this repository (its lock file {lock} exists); "
            "wait for it to finish and try again. If no git is running, it crashed: remove that file yourself"
        )
    return GitError(f"{action} failed: {tail(result.stderr) or 'git gave no reason'}")


def check_identity(root: Path) -> None:
    """Refuse early, with the exact commands, when git does not know who is committing."""
    for variable in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
        if run_git(root, "var", variable).returncode:
            raise GitError(
                "git does not know who you are, so it cannot commit; run "
                '`git config --global user.name "Your Name"` and '
                '`git config --global user.email "you@example.com"`'
            )


def commit_paths(root: Path, paths: list[str], message: str) -> str:
    """Stage and commit exactly these root-relative paths; the user's other staged changes stay staged.

    Returns the new commit's short id. Raises NothingToArchiveError when staging them changed nothing.
    """
    check_identity(root)
    specs = [literal(path) for path in paths]
    before = _index_entries(root, specs)
    added = run_git(root, "add", "--", *specs, timeout=COMMIT_SECONDS, what="git add")
    if added.returncode:
        _restore_index(root, paths, before)
        raise _failure(root, "git add", added)
    # A clean filter (e.g. line endings, git-crypt) can make a touched file equal to its committed self.
    same = run_git(root, "diff", "--cached", "--quiet", "--", *specs, what="git diff")
    if same.returncode == 0:
        _restore_index(root, paths, before)
        raise NothingToArchiveError("nothing to archive: the files are as already committed")
    committed = run_git(
        root, "commit", "-m", message, "--", *specs, timeout=COMMIT_SECONDS, what="git commit"
    )
    if committed.returncode:
        if _lock_held(root) is not None:
            raise _failure(root, "git commit", committed)
        _restore_index(root, paths, before)
        raise GitError(
            "git commit was refused, so nothing was archived and nothing is left staged (a hook, such as "
            "pre-commit, or signing can refuse a commit): "
            f"{tail(committed.stderr) or tail(committed.stdout) or 'no reason given'}"
        )
    head = run_git(root, "rev-parse", "--short", "HEAD")
    return head.stdout.decode().strip()


def _index_entries(root: Path, specs: list[str]) -> dict[str, bytes]:
    """Each path's entry in the index as `git update-index --index-info` takes it back."""
    listed = run_git(root, "ls-files", "--stage", "-z", "--", *specs, what="git ls-files")
    if listed.returncode:
        raise _failure(root, "git ls-files", listed)
    entries = {}
    for record in listed.stdout.split(b"\0"):
        if record:
            # `<mode> <object> <stage>\t<path>`, the path exactly as git holds it.
            entries[os.fsdecode(record.partition(b"\t")[2])] = record
    return entries


def _restore_index(root: Path, paths: list[str], before: dict[str, bytes]) -> None:
    """Put the index back as it was for these paths: what the user had staged stays, ours goes."""
    sha256 = run_git(root, "rev-parse", "--show-object-format").stdout.strip() == b"sha256"
    absent = b"0 " + b"0" * (64 if sha256 else 40) + b"\t"  # mode 0 takes a path out of the index
    lines = [before.get(path) or absent + os.fsencode(path) for path in paths]
    run_git(root, "update-index", "-z", "--index-info", stdin=b"".join(line + b"\0" for line in lines))


def push(root: Path, commit: str) -> None:
    """Push the current branch to its upstream; the commit is already made whatever happens here."""
    made = f"committed {commit}, but did not push it"
    upstream = run_git(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    if upstream.returncode:
        branch = run_git(root, "branch", "--show-current").stdout.decode().strip() or "<branch>"
        raise PushError(
            f"{made}: the branch has no upstream to push to; set one once with `git push -u origin {branch}`"
        )
    try:
        result = run_git(root, "push", "--porcelain", timeout=PUSH_SECONDS, what="git push")
    except GitError as error:
        raise PushError(f"{made}: {error}; push later with `git push`") from None
    if result.returncode == 0:
        return
    # In --porcelain output a rejected ref is a line starting with "!", whatever the language.
    if any(line.startswith(b"!") for line in result.stdout.splitlines()):
        raise PushError(
            f"{made}: the remote has commits this copy does not (push rejected); "
            "run `git pull --rebase`, then `git push`"
        )
    raise PushError(f"{made}: {tail(result.stderr) or 'git push failed'}; push later with `git push`")


@dataclass(frozen=True)
class FileChange:
    """One file touched by one commit: `A`dded, `M`odified or `D`eleted."""

    commit: str
    short: str
    committed_at: datetime
    change: str
    path: str
    blob: str = ""
    """The file's content as this commit left it: a (unique, abbreviated) git object id."""


def log_changes(root: Path, folder: str) -> list[FileChange]:
    """Every change to files under `folder` (root-relative), oldest commit first."""
    if run_git(root, "rev-parse", "--verify", "--quiet", "HEAD").returncode:
        return []  # no commit yet
    result = run_git(
        root,
        "log",
        "--reverse",
        "--no-renames",
        "--raw",
        "-z",
        "--format=%x1e%H%x1f%h%x1f%cI",
        "--",
        literal(folder),
        what="git log",
    )
    if result.returncode:
        raise GitError(f"git log failed: {tail(result.stderr)}")
    changes = []
    for chunk in result.stdout.decode("utf-8", "surrogateescape").split("\x1e")[1:]:
        header, _, files = chunk.partition("\0")
        commit, short, when = header.split("\x1f")
        fields = files.lstrip("\n").split("\0")
        # `:<old mode> <new mode> <old blob> <new blob> <status>` then the path, each ended by NUL,
        # so any name (a newline in it too) comes through whole.
        for meta, path in zip(fields[0::2], fields[1::2], strict=False):
            parts = meta.split()
            if len(parts) == 5:
                at = datetime.fromisoformat(when)
                changes.append(FileChange(commit, short, at, parts[4][0], path, parts[3]))
    return changes


def _batch(root: Path, names: list[str], batch: str) -> bytes:
    request = "".join(f"{name}\n" for name in names).encode("utf-8", "surrogateescape")
    result = run_git(
        root,
        "cat-file",
        f"{batch}=%(objecttype) %(objectsize)",
        stdin=request,
        timeout=COMMIT_SECONDS,
        what="git cat-file",
    )
    if result.returncode:
        raise GitError(f"git cat-file failed: {tail(result.stderr)}")
    return result.stdout


def read_blobs(root: Path, names: list[str], max_bytes: int) -> list[bytes | None]:
    """The content of each object (a blob id, as `FileChange.blob`), through `git cat-file`; None when
    missing, not a blob or past `max_bytes`. Ids, not `commit:path`: a path may hold a newline, which
    would end the request early. Sizes are asked first, so a huge object committed under a record's
    name is never read into memory (the cap holds for git's copies as for files)."""
    if not names:
        return []
    fits: list[bool] = []
    for header in _batch(root, names, "--batch-check").splitlines():
        kind, _, size = header.partition(b" ")
        fits.append(kind == b"blob" and size.isdigit() and int(size) <= max_bytes)
    wanted = [name for name, fit in zip(names, fits, strict=True) if fit]
    out, position, found = _batch(root, wanted, "--batch") if wanted else b"", 0, []
    for _ in wanted:
        end = out.index(b"\n", position)
        size = int(out[position:end].split()[1])
        position = end + 1
        found.append(out[position : position + size])
        position += size + 1
    contents = iter(found)
    return [next(contents) if fit else None for fit in fits]
