"""Disk full, read-only folder, permission denied during autosave or the final save: the app stays up,
says what happened, keeps the text, retries, and the file already on disk stays whole.

The tests run as root here, where chmod cannot deny anything, so the operating system's refusals are
injected at the three calls a save makes (write, fsync, replace), for files under the sessions folder only.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from textual.widgets import Input

import reviewtui.session.driver as driver_module
from factories import AGREE_STEP, csm_draft
from pilot_helpers import make_app, type_text
from reviewtui.storage.drafts import draft_path, load_draft, save_draft
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.steps.agree import AgreeStep

REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
}


class Fault:
    """Makes one OS call fail with one errno for files under `folder`, until `heal()`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, folder: Path, call: str, code: int) -> None:
        self.folder, self.code, self.active = str(folder.resolve()), code, True
        self.fd_paths: set[int] = set()
        real_fsync, real_replace = os.fsync, os.replace
        import tempfile

        real_mkstemp = tempfile.mkstemp

        def ours(path: object) -> bool:
            return self.active and str(path).startswith(self.folder)

        def fail() -> None:
            raise OSError(self.code, os.strerror(self.code))

        def mkstemp(*args, **kwargs):  # remembers which descriptors are temp files of ours
            fd, name = real_mkstemp(*args, **kwargs)
            if ours(name):
                self.fd_paths.add(fd)
            return fd, name

        def fsync(fd: int) -> None:
            if self.active and fd in self.fd_paths:
                fail()
            real_fsync(fd)

        def replace(src, dst, *args, **kwargs) -> None:
            if ours(dst):
                fail()
            real_replace(src, dst, *args, **kwargs)

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
        if call == "fsync":
            monkeypatch.setattr(os, "fsync", fsync)
        elif call == "replace":
            monkeypatch.setattr(os, "replace", replace)
        else:  # the write itself: the temp file cannot even be filled
            real_fdopen = os.fdopen

            def fdopen(fd, *args, **kwargs):
                handle = real_fdopen(fd, *args, **kwargs)
                if self.active and fd in self.fd_paths:
                    monkeypatch.setattr(handle, "write", lambda data: fail(), raising=False)
                return handle

            monkeypatch.setattr(os, "fdopen", fdopen)

    def heal(self) -> None:
        self.active = False


@pytest.mark.parametrize("call", ["write", "fsync", "replace"])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
async def test_a_failing_autosave_is_shown_keeps_the_text_and_retries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str, code: int
) -> None:
    sessions = tmp_path / "sessions"
    save_draft(csm_draft(0), sessions)
    path = draft_path(sessions, csm_draft().id)
    before = path.read_bytes()
    monkeypatch.setattr(driver_module, "RETRY_SECONDS", 0.5)
    app = make_app(sessions)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        fault = Fault(monkeypatch, sessions, call, code)
        name = app.screen.query_one("#employee_name", Input)
        name.focus()
        await pilot.press("end")
        await type_text(pilot, " Garcia")
        await pilot.pause(1.4)
        # Said once, although the retries go on; the title bar says it until a save works.
        [shown] = [n.message for n in app._notifications if n.message.startswith("Draft not saved")]
        assert app.sub_title == "draft NOT saved: retrying"
        assert f"cannot save {path}: {REASONS[code]}; the previous version is unchanged" in shown
        assert shown.endswith("Nothing is lost; retrying.")
        assert path.read_bytes() == before  # the old draft is whole
        assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
        assert name.value == "Ana Ruiz Garcia" and app.is_running
        await type_text(pilot, "!")  # typing goes on while the disk is full
        fault.heal()
        await pilot.pause(1.8)  # the retry, or the next autosave, succeeds
        assert load_draft(path).employee_name == "Ana Ruiz Garcia!"
        assert any(n.message == "The draft is saved again." for n in app._notifications)
        assert app.sub_title.startswith("draft saved")


async def test_a_failing_final_save_keeps_the_draft_and_the_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = tmp_path / "sessions"
    save_draft(csm_draft(AGREE_STEP), sessions)
    app = make_app(sessions)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AgreeStep)
        fault = Fault(monkeypatch, sessions, "replace", errno.ENOSPC)
        await pilot.press("tab", "space", "tab", "space", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AgreeStep)
        assert any(n.message.startswith("The record was not saved: cannot save") for n in app._notifications)
        assert not list(sessions.glob("*.toml"))
        fault.heal()
        await pilot.press("ctrl+s")  # once there is room again, the same keys finish the session
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [record] = sessions.glob("*.toml")
    assert record.stat().st_mode & 0o777 == 0o600
    assert not draft_path(sessions, csm_draft().id).exists()


async def test_quitting_while_the_draft_cannot_be_saved_asks_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = tmp_path / "sessions"
    save_draft(csm_draft(0), sessions)
    app = make_app(sessions)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        Fault(monkeypatch, sessions, "write", errno.ENOSPC)
        app.screen.query_one("#employee_name", Input).focus()
        await type_text(pilot, "x")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running
        assert any("Press Ctrl+Q again to quit without saving" in n.message for n in app._notifications)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_record_refused_by_validation_names_the_field_but_never_its_text(tmp_path: Path) -> None:
    from factories import csm_review_draft
    from reviewtui.models.draft import DraftFeedback, steps_of
    from reviewtui.storage import bundled_rubrics_dir, load_rubric
    from reviewtui.ui.steps.review_sections import SignOffStep

    rubric = load_rubric(bundled_rubrics_dir() / "customer-success-manager.toml").rubric
    secret = "CONFIDENTIAL client said " + "x" * 300  # too long for an account, typed in an old version
    draft = csm_review_draft(0)
    draft = draft.model_copy(
        update={
            "step": len(steps_of(draft, [section.id for section in rubric.template])) - 1,
            "feedback": [draft.feedback[0].model_copy(update={"account": secret})],
        }
    )
    assert isinstance(draft.feedback[0], DraftFeedback)
    sessions = tmp_path / "sessions"
    save_draft(draft, sessions)
    app = make_app(sessions)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SignOffStep)
        app.screen.query_one("#employee_confirmed").focus()
        await pilot.press("space", "tab", "space", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SignOffStep)
        [said] = [n.message for n in app._notifications if n.message.startswith("The record was not saved")]
    from textual.content import Content

    shown = Content.from_markup(said).plain  # the markup escapes every `[`: what the user reads
    assert "feedback[0].account: is longer than 200 characters; shorten it" in shown
    assert "CONFIDENTIAL" not in said and "xxx" not in said
    assert not list(sessions.glob("*_review_*.toml"))
