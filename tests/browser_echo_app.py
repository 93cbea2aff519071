"""A small Textual app the browser tests serve in place of the participant app.

It shows who it was started as (REVIEWTUI_VIA and the person named by its join link, so a
screenshot proves the identity) and an Input. Into the file named by BROWSER_ECHO_FILE it writes
one JSON line when it starts (its pid, via and join link), one per value the Input takes, and one
when it exits normally, each flushed at once so a test reads what reached the app.
"""

from __future__ import annotations

import json
import os
import sys

from textual.app import App, ComposeResult
from textual.widgets import Input, Static


def person_in(link: str) -> str:
    # The tests' internal links end in /j/internal-<person key>/.
    return link.rstrip("/").rsplit("/", 1)[-1].removeprefix("internal-")


class EchoApp(App[None]):
    def __init__(self, journal_path: str) -> None:
        super().__init__()
        self.journal = open(journal_path, "a", encoding="utf-8")  # noqa: SIM115 (open for the app's life)

    def record(self, **entry: object) -> None:
        self.journal.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.journal.flush()

    def compose(self) -> ComposeResult:
        via = os.environ.get("REVIEWTUI_VIA", "")
        person = person_in(os.environ.get("REVIEWTUI_JOIN_LINK", ""))
        yield Static(f"via={via} person={person}", id="identity")
        yield Input(placeholder="type here", id="echo")

    def on_mount(self) -> None:
        self.record(
            event="start",
            pid=os.getpid(),
            via=os.environ.get("REVIEWTUI_VIA"),
            link=os.environ.get("REVIEWTUI_JOIN_LINK"),
            size=[self.size.width, self.size.height],
            environment=sorted(os.environ),
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        self.record(event="value", value=event.value)

    def on_unmount(self) -> None:
        self.record(event="exit")
        self.journal.close()


if __name__ == "__main__":
    EchoApp(os.environ["BROWSER_ECHO_FILE"]).run()
    sys.exit(0)
