"""Setting up a review repository: rubrics to customise, a private sessions folder, ignores, git.

Every step leaves what exists alone, so running it again changes nothing.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import SaveError
from .atomic import ensure_private_dir
from .git import GitError, commit_paths, repository_root, require_git, run_git
from .git_state import bare_repository_message, detached_head_message
from .privacy import PRIVATE_CONFIG, make_private, make_tree_private
from .reading import read_capped
from .rubrics import MAX_RUBRIC_BYTES, bundled_rubrics_dir
from .safe_files import UnsafeFileError, open_for_writing, shown_path, write_all, write_new_file
from .tomlfile import os_reason

MAX_GITIGNORE_BYTES = 2**20  # a team's .gitignore is a few lines; more is not one
IGNORED = [
    ".drafts/",
    "*.tmp",
    "*.lock",
    "*.conflict-*.toml",
    "exports/",
    ".cache/",
]
_IGNORE_COMMENT = (
    "# reviewtui: drafts, temp, lock and conflict files, exports and the report cache "
    "hold unfinished or confidential text"
)
TEAM_README = """\
# Performance reviews

Records of our review conversations, made with
reviewtui and kept in git.

- `rubrics/`: what each role is measured on; edit them to fit the team.
- `sessions/`: one TOML file per plan, check-in and review, with evidence logs
  and customer feedback beside them. Readable by you only; never commit drafts.

## Day to day

- Start the app from this folder: `reviewtui` (`n` new plan, `c` check-in, `r` review).
- Log evidence as it happens:
  `reviewtui log "Acme renewed after a red health score" --employee "Ana Ruiz" --tag win`
- Archive what was agreed, recorded or signed: `reviewtui archive` (add `--push` to share it).
  Only final records, evidence logs and feedback files are committed; drafts never are.
- See what was agreed and changed over time: `reviewtui history "Ana Ruiz"`.
- Export a record: `reviewtui export sessions/<record>.toml` (Markdown, or `--format json`).
- Calibrate across the team: `reviewtui report` (or `w` in the app): levels given per manager,
  signed scores side by side, outliers, reviews missing evidence or a success story.
"""


FIRST_COMMIT_MESSAGE = """\
Set up the review repository (reviewtui init)

The rubrics that records cite (by hash, so a score can be recomputed from the
history), the ignores that keep drafts, temp, lock and conflict files, exports
and the report cache out of git, and the team's README.
"""


@dataclass(frozen=True)
class InitStep:
    """One thing init looked at: what it did (or found), and whether it changed anything."""

    text: str
    changed: bool
    files: tuple[str, ...] = ()
    """The files this step wrote, relative to the folder: what the first commit holds."""
    failed: bool = False
    """The step could not be done (the text says why and what to run); the others stand."""


# What init writes into or through, by name in the folder: a link at any of them is refused.
_WRITTEN_FOLDERS = ("rubrics", "sessions")
_WRITTEN_FILES = (".gitignore", "README.md")
_PRIVATE = 0o600  # the team's files: a review repository is its owner's only (see privacy.py)


def _refuse_links(directory: Path) -> None:
    """Before init changes anything: none of what it writes may be a link or the wrong kind of file.

    A cloned repository can hold `.gitignore -> ~/.bashrc` or `rubrics -> ~/somewhere`; init
    would append to the one and copy rubrics into the other.
    """
    if (directory / ".git").is_symlink():  # git would make the repository wherever it points
        raise UnsafeFileError(
            f"{shown_path(directory / '.git')} is a symbolic link, and init never makes a repository "
            "through one; nothing was changed: remove the link and run init again"
        )
    for name in (*_WRITTEN_FOLDERS, *_WRITTEN_FILES):
        path = directory / name
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(mode):
            problem = "is a symbolic link, and init never writes through links"
            fix = "remove the link (it may have come with the repository)"
        elif name in _WRITTEN_FOLDERS and not stat.S_ISDIR(mode):
            problem, fix = "is not a folder", "move it away"
        elif name in _WRITTEN_FILES and not stat.S_ISREG(mode):
            problem, fix = "is not a regular file", "move it away"
        else:
            continue
        raise UnsafeFileError(f"{shown_path(path)} {problem}; nothing was changed: {fix} and run init again")


def _rubrics(directory: Path) -> InitStep:
    folder = directory / "rubrics"
    if not folder.is_dir():
        folder.mkdir()
        make_private(folder)
    copied, kept = [], []
    for source in sorted(bundled_rubrics_dir().glob("*.toml")):
        try:
            # O_EXCL never replaces a file, even one made a moment ago, and never follows a link.
            rubric = read_capped(source, max_bytes=MAX_RUBRIC_BYTES, what="rubric")
            write_new_file(folder / source.name, rubric, mode=_PRIVATE)
            copied.append(source.name)
        except FileExistsError:
            kept.append(source.name)
    if not copied:
        return InitStep(f"rubrics/: kept all {len(kept)} rubrics as they are", False)
    text = f"rubrics/: copied {len(copied)} bundled rubrics to customise"
    files = tuple(f"rubrics/{name}" for name in copied)
    return InitStep(text + (f"; kept your {', '.join(kept)}" if kept else ""), True, files)


def _sessions(directory: Path) -> InitStep:
    folder = directory / "sessions"
    if folder.is_dir():
        return InitStep("sessions/: exists, left as it is", False)
    ensure_private_dir(folder)
    return InitStep("sessions/: created, readable by you only", True)


def _gitignore(directory: Path) -> InitStep:
    path = directory / ".gitignore"
    # Read and appended through one descriptor, checked to be a regular file with no other names.
    fd = open_for_writing(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, mode=_PRIVATE, in_place=True)
    try:
        # Bytes, not text: the user's lines are kept exactly, whatever their encoding.
        existing = os.read(fd, MAX_GITIGNORE_BYTES + 1)
        if len(existing) > MAX_GITIGNORE_BYTES:
            raise SaveError(
                f"{shown_path(path)} is larger than 1 MiB, too large for a .gitignore; is it the right file?"
            )
        present = {line.strip() for line in existing.decode("utf-8", "replace").splitlines()}
        missing = [line for line in IGNORED if line not in present]
        if not missing:
            return InitStep(
                ".gitignore: already keeps drafts, temp, lock and conflict files, exports out", False
            )
        addition = "\n".join([_IGNORE_COMMENT, *missing, ""]).encode("utf-8")
        write_all(fd, (b"\n" if existing and not existing.endswith(b"\n") else b"") + addition)
    finally:
        os.close(fd)
    verb = "added" if existing else "created with"
    return InitStep(f".gitignore: {verb} {', '.join(missing)}", True, (".gitignore",))


def _readme(directory: Path) -> InitStep:
    path = directory / "README.md"
    try:
        write_new_file(path, TEAM_README.encode("utf-8"), mode=_PRIVATE)
    except FileExistsError:
        return InitStep("README.md: exists, left as it is", False)
    return InitStep("README.md: written, on how the team uses reviewtui", True, ("README.md",))


def _git(directory: Path) -> InitStep:
    root = repository_root(directory)
    if root is not None:
        detached = detached_head_message(root, "archiving")
        return InitStep(
            f"git: already inside the repository {root}" + (f"; {detached}" if detached else ""), False
        )
    # Every file git makes in .git for its owner only (objects 0400, folders 0700), whatever the
    # umask, now and in every later commit; `--shared` also sets receive.denyNonFastForwards,
    # so a push into this repository cannot rewrite its history.
    key, value = PRIVATE_CONFIG
    result = run_git(directory, "init", "--quiet", f"--shared={value}", what="git init")
    if result.returncode:
        raise GitError(
            f"git init failed; the folders above are ready, run `git init --shared={value}` yourself"
        )
    return InitStep(f"git: initialised a repository here, private to you ({key} = {value})", True)


def _first_commit(directory: Path, files: list[str]) -> InitStep:
    """Commit what init wrote into the repository it has just made, so records' rubrics are in git."""
    folders = list(dict.fromkeys(path.split("/")[0] for path in files))
    try:
        commit = commit_paths(directory, files, FIRST_COMMIT_MESSAGE)
    except GitError as error:
        # The files stay in place; what to run is said in full.
        return InitStep(
            f"git: the first commit was not made: {error}; then run "
            f'`git add -- {" ".join(folders)}` and `git commit -m "Set up the review repository"`',
            False,
            failed=True,
        )
    shown = [f"{name}/" if name == "rubrics" else name for name in folders]
    listing = ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]
    return InitStep(f"git: committed {listing} as the first commit {commit}", True)


def init_repository(directory: Path) -> list[InitStep]:
    """Make `directory` a review repository; each step says what it did. Safe to run again.

    When it makes the repository, its own files (the rubrics it copied, .gitignore, README.md)
    are the first commit: a record's rubric must be in git for its hash to be resolved later.
    """
    require_git(directory)  # no git: stop before changing anything
    bare = bare_repository_message(directory)
    if bare is not None:
        raise GitError(bare)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _refuse_links(directory)
        # Private before anything goes in: nothing made inside is then reachable by others.
        make_private(directory)
        steps = [_rubrics(directory), _sessions(directory), _gitignore(directory), _readme(directory)]
        made = _git(directory)
        steps.append(made)
    except OSError as error:
        raise SaveError(f"cannot set up {directory}: {os_reason(error)}") from None
    files = [path for step in steps for path in step.files]
    if made.changed and files:
        steps.append(_first_commit(directory, files))
    if made.changed:
        # git makes a few files (COMMIT_EDITMSG) by the umask whatever it is told; none stays open.
        try:
            make_tree_private(directory / ".git")
        except OSError as error:
            raise SaveError(f"cannot make {directory / '.git'} private: {os_reason(error)}") from None
    return steps
