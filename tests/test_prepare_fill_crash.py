"""An unexpected error while filling: the answers are saved, one short message, none of their text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from prep_factories import employee_preparation, write_preparation
from reviewtui.storage.preparation_file import open_preparation

SCRIPT = r"""
import sys
from pathlib import Path
from reviewtui.storage.preparation_file import open_preparation
from reviewtui.ui.prepare.app import PrepareApp, run_fill

class FailingApp(PrepareApp):
    BINDINGS = [*PrepareApp.BINDINGS, ("f9", "fail", "")]

    def action_fail(self):
        secret = "Confidential remark about Ana"  # a local that Textual would print
        raise RuntimeError(secret)

async def pilot(pilot):
    await pilot.pause()
    await pilot.press(*"Confidential", "space", *"reading")
    await pilot.press("f9")  # well before the autosave
    await pilot.pause(0.3)
    await pilot.press("ctrl+q")  # reached only if nothing failed: the test then fails, not hangs

opened = open_preparation(Path(sys.argv[1]))
sys.exit(run_fill(opened, app=FailingApp(opened), headless=True, auto_pilot=pilot))
"""


def test_a_crash_saves_the_answers_and_prints_one_short_message(tmp_path: Path) -> None:
    path = write_preparation(tmp_path / "prep.toml", employee_preparation())
    script = tmp_path / "failing_app.py"  # Textual reads an app's source file for its CSS paths
    script.write_text(SCRIPT)
    result = subprocess.run(
        [sys.executable, str(script), str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == (
        f"reviewtui stopped on an unexpected error (RuntimeError). Your answers are saved in {path}."
    )
    assert "Confidential" not in result.stdout
    assert open_preparation(path).preparation.reading == "Confidential reading"
