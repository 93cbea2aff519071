"""Discarding a draft from the home screen: a confirmation naming it, only `y` removes it, never a locked one."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from factories import CREATED, csm_draft, csm_review_draft
from pilot_helpers import make_app
from reviewtui.storage.drafts import (
    DraftLockedError,
    discard_draft,
    draft_held_elsewhere,
    draft_lock_path,
    draft_path,
    save_draft,
)
from reviewtui.ui.discard import DiscardDraftScreen
from reviewtui.ui.home import HomeScreen

# Another process takes the draft's lock the way a second reviewtui does, and keeps it until told.
LOCKER = (
    "import sys\n"
    "from pathlib import Path\n"
    "from reviewtui.storage.locks import try_lock\n"
    "lock = try_lock(Path(sys.argv[1]))\n"
    "print('locked' if lock else 'busy', flush=True)\n"
    "sys.stdin.read()\n"
)


@contextmanager
def held_by_another_process(lock: Path) -> Iterator[int]:
    process = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(lock)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == b"locked\n"
        yield process.pid
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=10)


def saved(folder: Path, **overrides) -> Path:
    draft = csm_draft(**overrides)
    save_draft(draft, folder)
    return draft_path(folder, draft.id)


def dialog_text(app) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


async def open_dialog(app, pilot, key: str = "d") -> None:
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()


# Storage -----------------------------------------------------------------------------------


def test_discarding_removes_the_draft_and_its_lock(tmp_path: Path) -> None:
    path = saved(tmp_path)
    lock = draft_lock_path(tmp_path, csm_draft().id)
    lock.touch()
    assert discard_draft(tmp_path, csm_draft().id) == path
    assert not path.exists() and not lock.exists()


def test_a_draft_open_in_another_process_is_not_discarded(tmp_path: Path) -> None:
    path = saved(tmp_path)
    lock = draft_lock_path(tmp_path, csm_draft().id)
    with held_by_another_process(lock) as pid:
        assert (
            draft_held_elsewhere(tmp_path, csm_draft().id)
            == f"pid {pid} on {__import__('os').uname().nodename}"
        )
        with pytest.raises(DraftLockedError, match=rf"open in another reviewtui \(pid {pid} on "):
            discard_draft(tmp_path, csm_draft().id)
    assert path.exists()
    assert draft_held_elsewhere(tmp_path, csm_draft().id) is None  # let go when that process ended


# The home screen ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["d", "delete"])
async def test_yes_discards_the_highlighted_draft_and_says_so(tmp_path: Path, key: str) -> None:
    kept = saved(tmp_path, id="1" * 32, employee_name="Mei Chen")
    later = CREATED + dt.timedelta(hours=1)
    gone = saved(tmp_path, id="2" * 32, employee_name="王芳 [b]Li[/b]", updated_at=later)  # newest: first
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(app, pilot, key)
        assert isinstance(app.screen, DiscardDraftScreen)
        text = dialog_text(app)
        assert "Discard this alignment draft?" in text
        assert "王芳 [b]Li[/b]" in text  # shown as typed, never as markup
        assert "2026 H2" in text and "1/6 Who" in text
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not gone.exists() and kept.exists()
        drafts = app.screen.query_one("#drafts", DataTable)
        assert [drafts.get_row_at(i)[0] for i in range(drafts.row_count)] == ["Mei Chen"]
        flash = str(app.screen.query_one("#flash", Static).render())
        assert "Draft discarded: alignment for 王芳 [b]Li[/b], 2026 H2." in flash  # the name, not a file id
        assert ".toml" not in flash


@pytest.mark.parametrize("key", ["n", "escape", "enter", "space"])
async def test_anything_but_yes_keeps_the_draft(tmp_path: Path, key: str) -> None:
    path = saved(tmp_path)
    before = path.read_bytes()
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(app, pilot)
        assert isinstance(app.screen, DiscardDraftScreen)
        await pilot.press(key)
        await pilot.pause()
        if key in ("n", "escape"):
            assert isinstance(app.screen, HomeScreen)
        await pilot.press("escape")
        await pilot.pause()
    assert path.read_bytes() == before


async def test_a_review_draft_is_named_as_one(tmp_path: Path) -> None:
    draft = csm_review_draft(step=1)
    save_draft(draft, tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(app, pilot)
        assert "Discard this review draft?" in dialog_text(app)


async def test_a_draft_open_in_another_reviewtui_is_refused_and_said_so(tmp_path: Path) -> None:
    path = saved(tmp_path)
    app = make_app(tmp_path)
    with held_by_another_process(draft_lock_path(tmp_path, csm_draft().id)) as pid:
        async with app.run_test(size=(100, 30)) as pilot:
            await open_dialog(app, pilot)
            assert isinstance(app.screen, HomeScreen)  # not even asked
            assert any("Not discarded" in n.message and f"pid {pid}" in n.message for n in app._notifications)
    assert path.exists()


async def test_a_draft_opened_elsewhere_while_the_dialog_is_up_is_refused(tmp_path: Path) -> None:
    path = saved(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(app, pilot)
        assert isinstance(app.screen, DiscardDraftScreen)
        with held_by_another_process(draft_lock_path(tmp_path, csm_draft().id)) as pid:
            await pilot.press("y")
            await pilot.pause()
            assert any(f"pid {pid}" in n.message for n in app._notifications)
    assert path.exists()


async def test_on_a_record_d_says_only_drafts_can_be_discarded(tmp_path: Path, data_dir: Path) -> None:
    app = make_app(data_dir / "sessions")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("only drafts can be discarded" in n.message for n in app._notifications)
    assert (data_dir / "sessions" / "2026-07-01_alignment_ana-ruiz_01234567.toml").exists()


# Snapshots ---------------------------------------------------------------------------------


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC, so "last saved" reads the same on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_discard_dialog_snapshot(
    snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, utc: None, size: tuple[int, int]
) -> None:
    monkeypatch.chdir(tmp_path)
    saved(Path("sessions"), employee_name="王芳")

    async def ask(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()

    assert snap_compare(make_app(Path("sessions")), terminal_size=size, run_before=ask)
