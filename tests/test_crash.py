"""An unexpected error mid-session: the draft is saved, one short message, no traceback or review text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reviewtui.storage.drafts import drafts_dir, load_draft

SCRIPT = r"""
import sys
from pathlib import Path
from textual import work
from reviewtui.storage import discover_rubrics
from reviewtui.ui.app import ReviewApp, run_app

WHERE = sys.argv[2]

class FailingApp(ReviewApp):
    BINDINGS = [*ReviewApp.BINDINGS, ("f9", "fail", "")]

    def action_fail(self):
        if WHERE == "key handler":
            self._raise()
        elif WHERE == "timer":
            self.set_timer(0.05, self._raise)
        elif WHERE == "worker":
            self._failing_worker()
        else:  # a message handler: the next edit fails
            self.fail_on_edit = True

    fail_on_edit = False

    def on_draft_edited(self, message):
        if self.fail_on_edit:
            self._raise()
        super().on_draft_edited(message)

    def _raise(self):
        secret = "Confidential remark about Ana"  # a local that Textual would print
        raise RuntimeError(secret)

    @work(thread=True)
    def _failing_worker(self):
        self._raise()

async def pilot(pilot):
    await pilot.press("n")
    await pilot.pause()
    await pilot.press(*"Ana")
    await pilot.press("f9")
    await pilot.pause(0.3)
    await pilot.press("x")  # an edit, for the message handler case
    await pilot.pause(0.3)
    await pilot.press("ctrl+q")  # reached only if nothing failed: the test then fails, not hangs

sessions = Path(sys.argv[1])
code = run_app(sessions, discover_rubrics(), app=FailingApp(sessions, discover_rubrics()),
               headless=True, auto_pilot=pilot)
sys.exit(code)
"""


@pytest.mark.parametrize("where", ["key handler", "timer", "worker", "message handler"])
def test_a_crash_saves_the_draft_and_prints_one_short_message(tmp_path: Path, where: str) -> None:
    script = tmp_path / "failing_app.py"  # Textual reads an app's source file for its CSS paths
    script.write_text(SCRIPT)
    sessions = tmp_path / "sessions"
    result = subprocess.run(
        [sys.executable, str(script), str(sessions), where], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    err = result.stderr
    assert err.startswith("reviewtui stopped on an unexpected error (RuntimeError).")
    assert "Traceback" not in err and "Confidential" not in err and "Confidential" not in result.stdout
    [draft] = drafts_dir(sessions).glob("*.toml")
    assert f"Your draft is saved in {draft}" in err
    assert load_draft(draft).employee_name == "Ana"
    [log] = drafts_dir(sessions).glob("crash-*.log")
    details = log.read_text()
    assert "RuntimeError (message left out)" in details and "in _raise" in details
    assert "Confidential" not in details  # exception messages may quote what was typed
    assert log.stat().st_mode & 0o777 == 0o600
