"""Private notes with real processes: typed on the host's F6 screen during a live review with a participant
joined, then the review signed, archived, exported and reported. The note is in the user's data folder,
0600, and nowhere else: no file under the sessions folder (git objects included), no commit, no export,
no report or its cache, and never on the participant's terminal."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from git_support import git
from room_live import SIGN_OFF_STEP, open_room

MARKER = "PRIVNOTE-9b1e-do-not-share"
F6 = "\x1b[17~"
CTRL_S = "\x13"


def reviewtui(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A reviewtui command as the user runs it, in the team folder."""
    return subprocess.run(
        [sys.executable, "-m", "reviewtui", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def files_holding(folder: Path, text: str) -> list[str]:
    """Every file under `folder` (hidden ones, .git objects inflated) whose bytes hold `text`."""
    needle = text.encode()
    found = []
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        data = path.read_bytes()
        if "objects" in path.parts:  # loose git objects are zlib-compressed
            with contextlib.suppress(zlib.error):
                data += zlib.decompress(data)
        if needle in data:
            found.append(str(path.relative_to(folder)))
    return found


@pytest.fixture
def git_identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Bo Li\n\temail = bo@example.com\n[init]\n\tdefaultBranch = main\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def test_a_private_note_typed_in_a_live_review_stays_in_the_users_data_folder_alone(
    tmp_path: Path, git_identity: None
) -> None:
    room = open_room(tmp_path, step=SIGN_OFF_STEP)  # the review's sign-off, its room open
    team, sessions = room.folder, room.sessions
    git(team, "init", "-q")
    ana = room.join("employee")
    ana.wait_for_display("Ana Ruiz signs")

    # The host writes a private note from the step, with Ana in the room.
    room.host.type([F6])
    room.host.wait_for_display("Private notes about Ana Ruiz")
    room.host.wait_for_display("only you can read these")
    room.host.type("a")
    room.host.wait_for_display("New private note about Ana Ruiz")
    ana.press("tab")  # the room goes on meanwhile: Ana ticks her own box
    ana.type(" ")
    room.wait_on_disk(lambda d: d.get("employee_confirmed") is True)
    room.host.type(MARKER)
    room.host.type([CTRL_S])
    room.host.wait_for_display("Private notes about Ana Ruiz (1 note)")
    room.host.wait_for_display(MARKER)
    room.host.press("escape")
    room.host.wait_for_display("Ana Ruiz signs")

    # F6 on the participant's terminal does nothing: no notes screen, nothing of the note.
    ana.type([F6])
    time.sleep(1)
    assert "Private notes" not in "\n".join(ana.display())

    # The host signs too and saves the signed review.
    room.host.wait_for_display("confirmed from their own")  # Ana's tick reached the step underneath
    room.host.press("tab")
    room.host.type(" ")
    room.wait_on_disk(lambda d: d.get("manager_confirmed") is True)
    room.host.type([CTRL_S])
    deadline = time.monotonic() + 30
    while not (records := list(sessions.glob("*_review_ana-ruiz_*.toml"))) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert records, "\n".join(room.host.display())
    time.sleep(1)  # whatever the participant's screen draws once the session is saved
    ana_saw = ana.screen_text()
    ana.close()
    room.host.close()
    assert MARKER not in ana_saw

    # Archived, exported and reported as after any review.
    archived = reviewtui(team, "--sessions", "sessions", "archive")
    assert archived.returncode == 0, archived.stderr
    exports = tmp_path / "exports"
    exports.mkdir()
    shown = []
    records = sorted(sessions.glob("*.toml"))
    for record in records:
        for form in ("md", "json"):
            out = exports / f"{record.stem}.{form}"
            done = reviewtui(team, "export", str(record), "--format", form, "--output", str(out))
            assert done.returncode == 0, done.stderr
            shown.append(done.stdout + done.stderr)
    for form in ("table", "md", "csv"):
        done = reviewtui(team, "--sessions", "sessions", "report", "--format", form)
        assert done.returncode == 0, done.stderr
        shown.append(done.stdout + done.stderr)
    history = reviewtui(team, "--sessions", "sessions", "history", "Ana Ruiz")
    shown.append(history.stdout + history.stderr)

    assert "review" in git(team, "log", "--name-only", "--format=%s")  # the signed review was committed
    assert (sessions / ".cache").is_dir()  # the report's cache was written
    assert MARKER not in git(team, "log", "-p", "--all")
    revisions = git(team, "rev-list", "--all").split()
    assert subprocess.run(["git", "-C", str(team), "grep", "-q", MARKER, *revisions]).returncode == 1
    assert files_holding(team, MARKER) == []  # records, drafts, the room's journal, .cache, .git
    [review] = [record for record in records if "_review_" in record.name]
    assert any(  # the walk does read inside git's compressed objects: the review's blob is found there
        name.startswith(".git/objects/") for name in files_holding(team, review.read_text())
    )
    assert len(list(exports.iterdir())) == 2 * len(records) and files_holding(exports, MARKER) == []
    assert not any(MARKER in text for text in shown)

    # ...and it is where the app said: in the user's data folder, readable by the user alone.
    folder = Path(os.environ["XDG_DATA_HOME"]) / "reviewtui" / "private-notes"
    note = folder / "ana-ruiz.toml"
    assert MARKER in note.read_text()
    assert stat.S_IMODE(note.stat().st_mode) == 0o600 and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert files_holding(folder, MARKER) == ["ana-ruiz.toml"]
