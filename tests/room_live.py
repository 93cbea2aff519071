"""A live shared session of real processes: the host's `reviewtui serve` and participants' `reviewtui join`,
each on its own pseudo-terminal, with the links read from `serve --links FILE`."""

from __future__ import annotations

import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from factories import EXAMPLE_TEAM, csm_review_draft
from pty_app import PtyApp
from reviewtui.models.draft import REVIEW_SECTIONS
from reviewtui.storage.drafts import draft_path, save_draft

READING_STEP = 1 + REVIEW_SECTIONS.index("employee_reading")  # after the agenda
SIGN_OFF_STEP = 1 + REVIEW_SECTIONS.index("sign_off")
"""The review's "Employee's reading" section: two free-text areas, the first focused on entry."""
SIZE = (120, 40)


@dataclass
class Room:
    folder: Path
    sessions: Path
    links_file: Path
    draft_id: str
    host: PtyApp

    def links(self, timeout: float = 30.0) -> dict[str, str]:
        """The join links by person key, once the room is open."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.links_file.exists():
                lines = [line.split("\t") for line in self.links_file.read_text().splitlines() if line]
                if lines:
                    return {key: link for key, _name, link in lines}
            time.sleep(0.1)
        raise AssertionError(f"no links were written; the host shows:\n{chr(10).join(self.host.display())}")

    def join(self, key: str, size: tuple[int, int] = SIZE) -> PtyApp:
        """A participant joins from a terminal with their own link (given in the environment)."""
        link = self.links()[key]
        return PtyApp(["join"], self.folder, size=size, env={"REVIEWTUI_JOIN_LINK": link})

    def draft_on_disk(self) -> dict:
        return tomllib.loads(draft_path(self.sessions, self.draft_id).read_text())

    def wait_on_disk(self, check, timeout: float = 15.0) -> dict:
        """The draft file once `check(data)` holds (the host autosaves a second after an edit)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                data = self.draft_on_disk()
            except (OSError, tomllib.TOMLDecodeError):
                data = {}
            if data and check(data):
                return data
            if time.monotonic() > deadline:
                raise AssertionError(f"the draft on disk never matched; it holds: {data}")
            time.sleep(0.1)


def open_room(tmp_path: Path, step: int = READING_STEP, **draft: object) -> Room:
    """The example plan and a review draft of it at `step`, its room opened by the host."""
    folder = tmp_path / "team"
    sessions = folder / "sessions"
    sessions.mkdir(parents=True)
    plan = "2026-07-02_alignment_ana-ruiz_6513270e.toml"
    (sessions / plan).write_bytes((EXAMPLE_TEAM / plan).read_bytes())
    review = csm_review_draft(step, **draft)
    save_draft(review, sessions)
    links = folder / "links.tsv"
    host = PtyApp(["--sessions", str(sessions), "serve", "--links", str(links)], folder, size=SIZE)
    host.wait_for_display("Ana Ruiz")
    host.press("enter")  # home focuses the drafts: Enter resumes the review
    room = Room(folder, sessions, links, review.id, host)
    room.links()
    return room
