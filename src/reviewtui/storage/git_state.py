"""What state a git repository is in that reviewtui cannot work with as it is: bare, or a detached HEAD.

Each answer is the sentence to show: what is the case and what to do.
"""

from __future__ import annotations

import os
from pathlib import Path

from .git_run import GitError, existing_folder, run_git
from .privacy import shell_word, shown_path


def bare_repository_message(path: Path) -> str | None:
    """What to do when `path` is a bare repository or inside a `.git` folder; None otherwise.

    There is no working folder there: records cannot be kept, archived or read back.
    """
    try:
        result = run_git(
            existing_folder(path.resolve()),
            "rev-parse",
            "--is-bare-repository",
            "--is-inside-git-dir",
            "--absolute-git-dir",
            timeout=5,
        )
    except GitError:
        return None
    lines = os.fsdecode(result.stdout).split("\n")
    if result.returncode or len(lines) < 3:
        return None
    bare, inside, git_dir = lines[0] == "true", lines[1] == "true", lines[2]
    if bare:
        return (
            f"{shown_path(path)} is in the bare git repository {shown_path(git_dir)}, which has no working "
            f"folder to keep records in; clone it (`git clone {shell_word(git_dir)} reviews`) and run "
            "reviewtui in the clone"
        )
    if inside:
        return (
            f"{shown_path(path)} is inside {shown_path(git_dir)}, git's own folder of a repository; "
            "run reviewtui in the repository's working folder instead"
        )
    return None


def detached_head_message(root: Path, doing: str) -> str | None:
    """What to do when HEAD is detached (on no branch), or None when it is on a branch.

    A commit made on a detached HEAD belongs to no branch, so it is easily lost and never pushed.
    """
    if run_git(root, "symbolic-ref", "--quiet", "HEAD").returncode == 0:
        return None
    head = run_git(root, "rev-parse", "--short", "HEAD")
    at = f" at {head.stdout.decode().strip()}" if head.returncode == 0 else ""
    return (
        f"HEAD is detached{at} (not on a branch); switch to your branch (`git switch main`) "
        f"or make one (`git switch -c reviews`) before {doing}"
    )
