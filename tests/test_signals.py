"""The real app on a real terminal: SIGTERM, SIGHUP and kill -9 lose nothing older than ~2 seconds."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from pty_app import PtyApp
from reviewtui.storage.drafts import drafts_dir, list_drafts


def _start_alignment(tmp_path: Path) -> PtyApp:
    app = PtyApp([], cwd=tmp_path)
    app.wait_for("to start an alignment session")
    app.type("n")
    app.wait_for("Cross-functional partners")  # the first step is on screen, its first field focused
    return app


def _only_draft(sessions: Path):
    drafts, errors = list_drafts(sessions)
    assert not errors
    [found] = drafts
    return found.draft


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_saves_what_was_typed_a_moment_ago_and_leaves(tmp_path: Path, signum: int) -> None:
    app = _start_alignment(tmp_path)
    app.type("Ana Ruiz")
    app.wait_for("Ana Ruiz")  # on screen, so the app has every key
    app.signal(signum)  # well before the 1-second autosave
    code, shown = app.wait()
    assert code == 128 + signum
    assert _only_draft(tmp_path / "sessions").employee_name == "Ana Ruiz"
    if signum == signal.SIGTERM:  # after SIGHUP there is no terminal left to read it
        message = shown[shown.rindex("reviewtui stopped") :]  # printed after the app left the screen
        assert message.strip() == (
            "reviewtui stopped by SIGTERM. Your draft is saved; resume it from the home screen."
        )
    assert "Traceback" not in shown


def test_kill_9_loses_at_most_the_last_two_seconds(tmp_path: Path) -> None:
    app = _start_alignment(tmp_path)
    app.type("Ana Ruiz")
    time.sleep(2.5)  # the autosave runs 1 s after the last key
    app.type(" Extra")
    app.wait_for("Ana Ruiz Extra")
    app.signal(signal.SIGKILL)
    app.wait()
    sessions = tmp_path / "sessions"
    saved = _only_draft(sessions).employee_name
    assert saved.startswith("Ana Ruiz") and "Ana Ruiz Extra".startswith(saved)
    assert not [p for p in drafts_dir(sessions).iterdir() if p.name.endswith(".tmp")]

    # Restart, resume the draft from the home screen, and find the text in its field.
    again = PtyApp([], cwd=tmp_path)
    again.wait_for("Drafts")
    again.clear()
    again.press("enter")
    again.wait_for("Cross-functional partners")
    again.wait_for(saved)
    again.press("ctrl+q")
    code, err = again.wait()
    assert code == 0, err
    assert _only_draft(sessions).employee_name == saved
