"""The review repository is private: `init` makes it so whatever the umask, git keeps it so, and a
folder left open to other users (a clone, a copy) is reported with the command that fixes it."""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import test_git_archive as shared
from reviewtui.cli import main
from reviewtui.cli.exposure import warn_if_exposed
from reviewtui.storage.privacy import find_exposure

git = shared.git
git_env = shared.git_env
REVIEW = shared.REVIEW


def under_umask(umask: int, *command: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command in a shell whose umask is `umask`, as a user with that setting would."""
    line = f"umask {umask:03o}; " + " ".join(shlex.quote(part) for part in command)
    return subprocess.run(["sh", "-c", line], capture_output=True, text=True, cwd=cwd, check=False)


def reviewtui(*args: str) -> tuple[str, ...]:
    return (sys.executable, "-m", "reviewtui", *args)


def open_to_others(folder: Path) -> list[str]:
    """Every folder or file under `folder` (itself included) with a group or other permission bit."""
    paths = [folder, *folder.rglob("*")]
    return [
        f"{path.relative_to(folder)} {stat.S_IMODE(path.lstat().st_mode):04o}"
        for path in paths
        if not path.is_symlink() and stat.S_IMODE(path.lstat().st_mode) & 0o077
    ]


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_init_makes_the_whole_repository_private_whatever_the_umask(
    tmp_path: Path, git_env: Path, umask: int
) -> None:
    team = tmp_path / "reviews"
    done = under_umask(umask, *reviewtui("init", str(team)))
    assert done.returncode == 0, done.stderr
    assert open_to_others(team) == []
    assert stat.S_IMODE(team.stat().st_mode) == 0o700
    assert stat.S_IMODE((team / ".git").stat().st_mode) == 0o700
    assert git(team, "config", "core.sharedRepository") == "0600"
    assert "warning" not in done.stderr


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_git_keeps_the_repository_private_in_later_commits(tmp_path: Path, git_env: Path, umask: int) -> None:
    team = tmp_path / "reviews"
    assert under_umask(umask, *reviewtui("init", str(team))).returncode == 0
    shutil.copy(shared.EXAMPLES / REVIEW, team / "sessions" / REVIEW)
    (team / "sessions" / REVIEW).chmod(0o600)
    archived = under_umask(umask, *reviewtui("archive"), cwd=team)
    assert archived.returncode == 0, archived.stderr
    git_dir = team / ".git"
    # The objects of the new commit, the index and the refs: the owner's only.
    for path in [*(git_dir / "objects").rglob("*"), git_dir / "index", *(git_dir / "refs").rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
    # git writes COMMIT_EDITMSG by the umask whatever it is told, but nobody else can enter .git.
    assert find_exposure(team / "sessions") is None
    assert "warning" not in archived.stderr


def test_a_clone_open_to_others_is_reported_with_the_fix_and_still_works(
    tmp_path: Path, git_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "reviews"
    assert under_umask(0o077, *reviewtui("init", str(team))).returncode == 0
    shutil.copy(shared.EXAMPLES / REVIEW, team / "sessions" / REVIEW)
    assert main(["archive", "--sessions", str(team / "sessions")]) == 0
    clone = tmp_path / "clone"
    assert under_umask(0o022, "git", "clone", "--quiet", str(team), str(clone)).returncode == 0
    assert stat.S_IMODE((clone / "sessions" / REVIEW).stat().st_mode) == 0o644  # as git checks it out
    capsys.readouterr()

    # A warning, not a refusal: the report is made as before.
    assert main(["report", "--sessions", str(clone / "sessions"), "--no-cache"]) == 0
    err = capsys.readouterr().err
    warning = next(line for line in err.splitlines() if "warning" in line)
    assert f"{clone} (0755)" in warning and f"{clone / '.git'} (0755)" in warning
    assert f"`chmod -R go-rwx {clone}`" in warning
    assert f"`git -C {clone} config core.sharedRepository 0600`" in warning

    # The app, history and log say it too.
    sessions_args = argparse.Namespace(command=None, sessions=clone / "sessions")
    warn_if_exposed(sessions_args)
    assert "chmod -R go-rwx" in capsys.readouterr().err
    assert main(["history", "Ana Ruiz", "--sessions", str(clone / "sessions")]) == 0
    assert "chmod -R go-rwx" in capsys.readouterr().err

    shutil.copy(shared.EXAMPLES / shared.PLAN, clone / "sessions" / shared.PLAN)
    assert main(["archive", "--sessions", str(clone / "sessions")]) == 0
    assert "chmod -R go-rwx" in capsys.readouterr().err
    assert main(["init", str(clone)]) == 0  # init leaves an existing repository as it is, and says so
    assert "chmod -R go-rwx" in capsys.readouterr().err

    # The fix it names is enough.
    subprocess.run(["chmod", "-R", "go-rwx", str(clone)], check=True)
    assert main(["report", "--sessions", str(clone / "sessions"), "--no-cache"]) == 0
    assert "warning" not in capsys.readouterr().err


def test_a_record_open_to_others_in_a_folder_they_can_enter_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = tmp_path / "sessions"
    sessions.mkdir(mode=0o711)  # others may enter, not list: a record's name is enough to read it
    sessions.chmod(0o711)
    record = sessions / REVIEW
    shutil.copy(shared.EXAMPLES / REVIEW, record)
    record.chmod(0o604)
    private = sessions / "2027-01-12_review_bo-li_b2c3d4e5.toml"
    shutil.copy(shared.EXAMPLES / REVIEW, private)
    private.chmod(0o600)
    os.symlink("/etc/passwd", sessions / "link.toml")  # links are not looked through
    hidden = sessions / "old"  # what others cannot enter is not theirs to read, whatever its mode
    hidden.mkdir(mode=0o700)
    shutil.copy(shared.EXAMPLES / REVIEW, hidden / REVIEW)
    (hidden / REVIEW).chmod(0o644)
    exposure = find_exposure(sessions)
    assert exposure is not None and not exposure.in_repository
    assert exposure.paths == ((sessions, 0o711), (record, 0o604))
    assert main(["report", "--sessions", str(sessions), "--no-cache"]) == 0
    assert f"`chmod -R go-rwx {sessions}`" in capsys.readouterr().err


@pytest.mark.parametrize(
    "name",
    [
        "plain",
        "it's",
        "back\\slash",
        "tab\there",
        "new\nline",
        "esc\x1b]52;c;aGk=\x07",
        "c1\x9bm",
        "bidi\u202eevil",
    ],
)
def test_the_fix_command_names_the_real_folder_when_bash_reads_it(tmp_path: Path, name: str) -> None:
    # The warning's `chmod -R go-rwx WORD` must name the folder itself when pasted into bash:
    # `$'\x9b'` is one byte in bash, so U+009B has to be written as its UTF-8 bytes.
    import subprocess

    from reviewtui.storage.privacy import shell_word

    folder = tmp_path / name
    folder.mkdir()
    word = shell_word(folder)
    assert word.isprintable()
    printed = subprocess.run(["bash", "-c", f"printf %s {word}"], capture_output=True, check=True).stdout
    assert printed == os.fsencode(folder)
