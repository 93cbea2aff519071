"""Confidentiality: private files and folders, no log file or screenshot unless asked, a demo that keeps nothing."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factories import AGREE_STEP, csm_draft, make_session
from pilot_helpers import make_app
from pty_app import PtyApp
from reviewtui.storage import save_session
from reviewtui.storage.atomic import remove_orphaned_temps
from reviewtui.storage.drafts import drafts_dir, save_draft
from reviewtui.storage.examples import copy_example_team, example_team_dir

ROOT = Path(__file__).parent.parent


def _modes(folder: Path) -> tuple[set[str], set[str]]:
    """Files not 0600 and folders not 0700 under `folder` (lock files and caches included)."""
    loose_files, loose_dirs = set(), set()
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        if path.is_dir() and mode != 0o700:
            loose_dirs.add(f"{path.relative_to(folder)} {mode:o}")
        elif path.is_file() and mode != 0o600:
            loose_files.add(f"{path.relative_to(folder)} {mode:o}")
    return loose_files, loose_dirs


async def test_everything_the_app_writes_is_private(tmp_path: Path) -> None:
    sessions = tmp_path / "team" / "sessions"
    copy_example_team(sessions)
    save_draft(csm_draft(AGREE_STEP), sessions)
    app = make_app(sessions)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")  # resume the draft: its lock file is made
        await pilot.pause()
        await pilot.press("tab", "space", "tab", "space", "ctrl+s")  # agree: a record is written
        await pilot.pause()
        app.export_record(sorted(sessions.glob("*review*.toml"))[0], "md")
        app.add_evidence("Ana Ruiz", _entry())
        await pilot.pause()
    assert list(sessions.glob("*_ana-ruiz_c0ffee00.toml"))  # the flow really wrote
    assert (sessions / "exports").is_dir() and (sessions / ".drafts").is_dir()
    assert _modes(tmp_path / "team") == (set(), set())


def _entry():
    import datetime as dt

    from reviewtui.models.evidence import EvidenceEntry

    return EvidenceEntry(
        id="0123456789ab",
        logged_at=dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC),
        happened_on=dt.date(2026, 9, 1),
        text="Ran the Acme QBR",
    )


async def test_orphaned_temp_files_are_removed_at_start(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    save_draft(csm_draft(), sessions)
    (sessions / "exports").mkdir(mode=0o700)
    old = time.time() - 3600
    orphans = []
    for folder in (sessions, drafts_dir(sessions), sessions / "exports"):
        orphan = folder / ".2026-07-01_alignment_ana-ruiz_c0ffee00.toml.k2j3h4.tmp"
        orphan.write_text("half a record")
        os.utime(orphan, (old, old))
        orphans.append(orphan)
    in_progress = sessions / ".another.toml.x1y2z3.tmp"  # another process is saving right now
    in_progress.write_text("being written")
    unrelated = sessions / "notes.tmp"  # not one of ours: no leading dot
    unrelated.write_text("mine")
    os.utime(unrelated, (old, old))
    app = make_app(sessions)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert [path.exists() for path in orphans] == [False, False, False]
    assert in_progress.exists() and unrelated.exists()
    assert remove_orphaned_temps(sessions, min_age=0) == [in_progress]


def test_textual_log_in_the_environment_writes_nothing_unless_asked(tmp_path: Path) -> None:
    log = tmp_path / "textual.log"
    app = PtyApp([], cwd=tmp_path, env={"TEXTUAL_LOG": str(log), "TEXTUAL_SCREENSHOT": "1"})
    app.wait_for("to start an alignment session")
    time.sleep(1.5)  # TEXTUAL_SCREENSHOT=1 would have saved a screenshot and quit by now
    app.press("ctrl+q")
    code, _ = app.wait()
    assert code == 0
    assert not log.exists() and not list(tmp_path.glob("*.svg"))

    asked = PtyApp(["--debug-log", str(log)], cwd=tmp_path)
    asked.wait_for("to start an alignment session")
    asked.press("ctrl+q")
    assert asked.wait()[0] == 0
    assert log.stat().st_size > 0 and stat.S_IMODE(log.stat().st_mode) == 0o600  # it holds the screen


@pytest.mark.parametrize("kind", ["link", "fifo", "record"])
def test_the_debug_log_is_never_written_through_a_link_into_a_fifo_or_a_record(
    tmp_path: Path, kind: str
) -> None:
    # The log holds what is on screen: it gets the rules every write gets, and a FIFO would hang
    # Textual with a blank screen.
    sessions = tmp_path / "sessions"
    save_session(make_session(), sessions)
    (record,) = sessions.glob("*.toml")
    victim = tmp_path / "victim.txt"
    victim.write_text("kept\n")
    before = record.read_bytes()
    log = tmp_path / "debug.log"
    if kind == "link":
        log.symlink_to(victim)
    elif kind == "fifo":
        os.mkfifo(log)
    else:
        log = record
    result = subprocess.run(
        [sys.executable, "-m", "reviewtui", "--sessions", str(sessions), "--debug-log", str(log)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2, result.stderr
    assert "debug log" in result.stderr and "Traceback" not in result.stderr
    assert victim.read_text() == "kept\n" and record.read_bytes() == before


def test_the_demo_opens_a_copy_of_the_example_team_and_keeps_nothing(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    app = PtyApp(["demo"], cwd=tmp_path, env={"TMPDIR": str(temp)})
    app.wait_for("Ana Ruiz")
    app.wait_for("reviewtui demo")
    [copy] = temp.iterdir()
    names = sorted(path.name for path in (copy / "sessions").glob("*.toml"))
    assert names == sorted(path.name for path in example_team_dir().glob("*.toml"))
    app.press("ctrl+q")
    code, shown = app.wait()
    assert code == 0
    assert "The demo's copy is deleted; nothing from it was kept." in shown
    assert list(temp.iterdir()) == []
    assert not (tmp_path / "sessions").exists()  # nothing written where it was started


def test_the_example_team_ships_with_the_package() -> None:
    assert (ROOT / "src" / "reviewtui" / "examples").resolve() == example_team_dir()
    files = list(example_team_dir().glob("*.toml"))
    assert len(files) == 15 and all(path.stat().st_size > 0 for path in files)
