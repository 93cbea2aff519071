"""Driving the app as a user does: typing, Tab, keys; and a clock that does not move by itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select

from reviewtui.storage import discover_rubrics
from reviewtui.ui.app import ReviewApp

START = dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))


class Clock:
    """A clock the test moves: every reading is one second later."""

    def __init__(self, start: dt.datetime = START) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


def make_app(sessions: Path, clock: Clock | None = None) -> ReviewApp:
    return ReviewApp(sessions, discover_rubrics(), clock=clock or Clock())


async def type_text(pilot: Pilot, text: str) -> None:
    """Type text key by key into the focused field."""
    await pilot.press(*["space" if char == " " else char for char in text])


async def fill(pilot: Pilot, field_id: str, text: str) -> None:
    """Click into a field (as a user would), clear it and type."""
    widget = pilot.app.screen.query_one(f"#{field_id}", Input)
    widget.focus()
    await pilot.pause()
    widget.clear()
    await type_text(pilot, text)


async def choose(pilot: Pilot, select_id: str, label: str) -> None:
    """Open a Select with Enter and move to the option with this label."""
    select = pilot.app.screen.query_one(f"#{select_id}", Select)
    select.focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    options = select._options
    target = [str(prompt) for prompt, _ in options].index(label)
    current = [value for _, value in options].index(select.value)
    await pilot.press(*(["down"] * (target - current)))
    await pilot.press("enter")
    await pilot.pause()
    assert select.value is not Select.NULL


async def steady(pilot: Pilot) -> None:
    """Stop cursors blinking, so a snapshot taken late on a busy machine looks the same."""
    from textual.widgets import TextArea

    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, (Input, TextArea)):
            widget.cursor_blink = False
    await pilot.pause()
