"""Two writers: a second reviewtui opens a locked draft read-only; a draft changed on disk is never overwritten."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from textual.widgets import Input

from factories import csm_draft
from pilot_helpers import make_app, type_text
from pty_app import PtyApp
from reviewtui.errors import SaveError
from reviewtui.models.evidence import EvidenceEntry
from reviewtui.storage.drafts import draft_lock_path, draft_path, list_drafts, lock_file_for, save_draft
from reviewtui.storage.evidence import append_entry, log_path
from reviewtui.storage.locks import holder, locked, try_lock


def _saved_draft(tmp_path: Path) -> Path:
    sessions = tmp_path / "sessions"
    save_draft(csm_draft(step=0), sessions)
    return sessions


async def test_a_draft_open_in_another_reviewtui_opens_read_only(tmp_path: Path) -> None:
    sessions = _saved_draft(tmp_path)
    path = draft_path(sessions, csm_draft().id)
    before = path.read_bytes()
    other = PtyApp([], cwd=tmp_path)  # a real second process resumes the draft first
    try:
        other.wait_for("Drafts")
        other.clear()
        other.press("enter")
        other.wait_for("Cross-functional partners")
        assert (
            holder(draft_lock_path(sessions, csm_draft().id))
            == f"pid {other.process.pid} on {os.uname().nodename}"
        )

        app = make_app(sessions)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert app.read_only
            assert any(
                "shown read-only" in n.message and f"pid {other.process.pid}" in n.message
                for n in app._notifications
            )
            name = app.screen.query_one("#employee_name", Input)
            assert name.disabled and name.value == "Ana Ruiz"
            await type_text(pilot, "xyz")
            await pilot.press("ctrl+n")  # reading on needs no valid draft, and nothing is saved
            await pilot.pause(1.5)
            await pilot.press("ctrl+q")
        assert path.read_bytes() == before
    finally:
        other.press("ctrl+q")
        code, _ = other.wait()
    assert code == 0


async def test_a_draft_changed_on_disk_is_kept_and_ours_goes_on_as_a_copy(tmp_path: Path) -> None:
    sessions = _saved_draft(tmp_path)
    draft_id = csm_draft().id
    app = make_app(sessions)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # resume
        await pilot.pause()
        # Meanwhile someone else (a synced folder, an editor) rewrites the draft file.
        save_draft(csm_draft(employee_name="Ana Ruiz-Lopez"), sessions)
        name = app.screen.query_one("#employee_name", Input)
        name.focus()
        await pilot.press("end")
        await type_text(pilot, " (CSM)")
        await pilot.pause(1.6)  # the autosave
        assert any(n.title == "Draft changed elsewhere" for n in app._notifications)
        await type_text(pilot, "!")
        await pilot.press("ctrl+q")
    drafts = {item.draft.id: item.draft for item in list_drafts(sessions)[0]}
    assert drafts.pop(draft_id).employee_name == "Ana Ruiz-Lopez"  # theirs, untouched
    [ours] = drafts.values()
    assert ours.employee_name == "Ana Ruiz (CSM)!"  # every later keystroke follows the copy


def test_a_lock_is_released_when_its_holder_lets_go_and_is_exclusive_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "sessions" / ".drafts" / "x.lock"
    first = try_lock(path)
    assert first is not None and try_lock(path) is None
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
    first.release()
    again = try_lock(path)
    assert again is not None
    again.release()


def test_an_evidence_log_being_written_elsewhere_is_not_overwritten(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    entry = EvidenceEntry(
        id="a1b2c3d4e5f6",
        logged_at=dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC),
        happened_on=dt.date(2026, 9, 1),
        text="Saved the Acme renewal",
    )
    append_entry(sessions, "Ana Ruiz", entry)
    path = log_path(sessions, "Ana Ruiz")
    before = path.read_bytes()
    other = try_lock(lock_file_for(path))  # another process in the middle of its own append
    assert other is not None
    with (
        pytest.raises(
            SaveError, match=r"evidence_ana-ruiz.toml is being changed by pid \d+ on .*; nothing was written"
        ),
        locked(lock_file_for(path), path.name, wait=0.2),
    ):
        pass
    other.release()
    assert path.read_bytes() == before


async def test_a_draft_whose_lock_file_is_a_link_opens_read_only_and_says_why(tmp_path: Path) -> None:
    # A link committed where the lock goes (a hostile clone) must neither be written through nor
    # leave the draft open for editing without a lock, in silence.
    sessions = _saved_draft(tmp_path)
    path = draft_path(sessions, csm_draft().id)
    before = path.read_bytes()
    signed = tmp_path / "signed-review.toml"
    signed.write_text("# a signed review\n")
    draft_lock_path(sessions, csm_draft().id).symlink_to(signed)
    app = make_app(sessions)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.read_only
        assert any(
            "symbolic link" in n.message and "shown read-only" in n.message for n in app._notifications
        )
        assert app.sub_title == "read-only: its lock file is a link or not a plain file"
        await type_text(pilot, "xyz")
        await pilot.pause(1.5)
        await pilot.press("ctrl+q")
    assert path.read_bytes() == before
    assert signed.read_text() == "# a signed review\n"
