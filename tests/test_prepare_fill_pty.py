"""`reviewtui prepare fill` as a real process on a real terminal: killed with -9, the text is in the file."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from prep_factories import employee_preparation, write_preparation
from pty_app import PtyApp
from reviewtui.storage.preparation_file import open_preparation


def test_kill_9_after_the_autosave_leaves_the_typed_reading_in_the_file(tmp_path: Path) -> None:
    path = write_preparation(tmp_path / "prep.toml", employee_preparation())
    app = PtyApp(["prepare", "fill", "prep.toml"], cwd=tmp_path, size=(80, 24))
    app.wait_for_display("Your reading of the data")
    app.type("Retention is up, onboarding lags")
    app.wait_for_display("onboarding lags")  # on screen: the app has every key
    time.sleep(2.5)  # the autosave runs a second after the first edit
    app.signal(signal.SIGKILL)
    code, shown = app.wait()
    assert code == -signal.SIGKILL
    saved = open_preparation(path).preparation
    assert saved.reading == "Retention is up, onboarding lags"
    assert saved.written_at is not None
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")], "no temp file left"
    assert "Traceback" not in shown


def test_a_broken_file_is_one_line_and_exit_2_on_a_terminal(tmp_path: Path) -> None:
    (tmp_path / "prep.toml").write_text('kind = "preparation"\nreading = "unclosed\n')
    app = PtyApp(["prepare", "fill", "prep.toml"], cwd=tmp_path, size=(80, 24))
    code, shown = app.wait()
    assert code == 2
    lines = [line for line in shown.splitlines() if line.strip()]
    assert lines == [lines[-1]] and lines[-1].startswith("reviewtui prepare fill: prep.toml:2")


def test_sigterm_saves_what_was_typed_a_moment_ago_and_leaves(tmp_path: Path) -> None:
    path = write_preparation(tmp_path / "prep.toml", employee_preparation())
    app = PtyApp(["prepare", "fill", "prep.toml"], cwd=tmp_path, size=(80, 24))
    app.wait_for_display("Your reading of the data")
    app.type("Typed just now")
    app.wait_for_display("Typed just now")
    app.signal(signal.SIGTERM)  # well before the autosave
    code, shown = app.wait()
    assert code == 128 + signal.SIGTERM
    assert open_preparation(path).preparation.reading == "Typed just now"
    assert "reviewtui stopped by SIGTERM. Your answers are saved." in shown
