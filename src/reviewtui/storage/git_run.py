"""Running the `git` binary: one call, its time limit, and its failures as a line a user can act on.

Every call is an argument list (never a shell) with `-C <dir>`, no terminal prompt, no standard
input and a time limit. `git` (what reviewtui asks of a repository) and `git_state` (the states
it cannot work with) both run git through here.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from ..errors import ReviewtuiError

QUICK_SECONDS = 30
_TAIL_LINES = 2
_LINE_CHARS = 100
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class GitError(ReviewtuiError):
    """A git operation that could not be done; the text says what to do."""


class GitMissingError(GitError):
    """The `git` program is not installed or not on PATH."""


def _env() -> dict[str, str]:
    # Never wait for a password typed into a terminal nobody is watching.
    return {**os.environ, "GIT_TERMINAL_PROMPT": "0"}


def tail(output: bytes) -> str:
    """The last line(s) git or a hook wrote, cleaned of terminal escapes and shortened.

    Hook output can hold anything, so only a little of it is shown.
    """
    text = _ESCAPES.sub("", output.decode("utf-8", "replace"))
    lines = [line.strip() for line in text.splitlines() if line.strip()][-_TAIL_LINES:]
    return " / ".join(line if len(line) <= _LINE_CHARS else line[: _LINE_CHARS - 1] + "…" for line in lines)


def run_git(
    folder: Path, *args: str, timeout: float = QUICK_SECONDS, what: str = "git", stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run `git -C folder args...` and return the finished process, whatever its exit code.

    Raises GitMissingError when git is not installed, GitError when it does not finish in time.
    """
    try:
        return subprocess.run(
            ["git", "-C", str(folder), *args],
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            env=_env(),
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        raise GitMissingError(
            "git is not installed or not on PATH; install git (https://git-scm.com) and try again"
        ) from None
    except subprocess.TimeoutExpired:
        raise GitError(
            f"{what} did not finish within {timeout:g} s and was stopped; "
            "a hook or a credential helper may be waiting"
        ) from None
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror or 'the system refused'}") from None


def existing_folder(path: Path) -> Path:
    """The path itself, or its nearest folder that exists (git needs a real folder to start from)."""
    for candidate in [path, *path.parents]:
        if candidate.is_dir():
            return candidate
    return path
