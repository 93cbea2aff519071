"""Runs one app in this (fresh) process and records when its first frame is painted.

Used by first_frame.py, home_scale.py and memory.py, never on its own:

    python _probe.py reviewtui|minimal SESSIONS_DIR OUT_FILE [--until frame|filled]

`reviewtui` starts the real command line (`reviewtui --sessions SESSIONS_DIR`) so every
import, the rubric catalog and the home screen count; `minimal` is a Textual app with a
Header, a Static and a Footer. The hook wraps `App._display`, the one place where a
compositor update goes to the terminal: the first call with an update while no batch is
open is the first frame. With `--until filled` the app stays until the home screen's
worker has read every record and the screen has been refreshed after it. Times are
`time.monotonic()` (system-wide on Linux, so the parent can subtract its own start time);
they go to OUT_FILE as JSON because stdout is the terminal being measured, with the
process's peak resident memory at exit (`VmHWM`: this program's own, unlike `ru_maxrss`,
which Linux carries over from the parent that forked it).
"""

from __future__ import annotations

import atexit
import json
import sys
import time
from pathlib import Path

from textual.app import App

APP, SESSIONS, OUT = sys.argv[1], sys.argv[2], Path(sys.argv[3])
UNTIL = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--until" else "frame"
marks: dict[str, float] = {}


def _done(app: App) -> None:
    OUT.write_text(json.dumps(marks))
    app.exit()


@atexit.register
def _peak_memory() -> None:
    if OUT.exists():
        status = Path("/proc/self/status").read_text()
        peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
        OUT.write_text(json.dumps({**json.loads(OUT.read_text()), "peak_kib": int(peak)}))


_original_display = App._display


def _display(self: App, screen, renderable) -> None:
    painted = renderable is not None and not self._batch_count
    _original_display(self, screen, renderable)
    wanted = APP == "minimal" or type(screen).__name__ == "HomeScreen"
    if painted and wanted and "frame" not in marks:
        marks["frame"] = time.monotonic()
        if UNTIL == "frame" or APP == "minimal":  # the minimal app has nothing more to fill
            _done(self)


App._display = _display  # type: ignore[method-assign]


def _minimal() -> None:
    from textual.widgets import Footer, Header, Static

    class Minimal(App[None]):
        def compose(self):
            yield Header()
            yield Static("A minimal Textual app: header, text, footer.")
            yield Footer()

    Minimal().run()


def _reviewtui() -> None:
    from textual.worker import Worker, WorkerState

    from reviewtui.cli import main
    from reviewtui.ui.home import HomeScreen

    def on_worker_state_changed(self: HomeScreen, event: Worker.StateChanged) -> None:
        if event.worker.group == "home-details" and event.state == WorkerState.SUCCESS:

            def filled() -> None:
                marks["filled"] = time.monotonic()
                if UNTIL == "filled":
                    _done(self.app)

            self.app.call_after_refresh(filled)

    HomeScreen.on_worker_state_changed = on_worker_state_changed  # type: ignore[attr-defined]
    main(["--sessions", SESSIONS])


if __name__ == "__main__":
    _minimal() if APP == "minimal" else _reviewtui()
