"""A live shared session with a participant in a real browser: Debian's headless chromium joins by
link the host's `reviewtui serve` (on a pseudo-terminal), beside a participant in a terminal."""

from __future__ import annotations

import asyncio
from pathlib import Path

from browser_support import ARTIFACTS, chromium_browser, open_app, until
from room_live import open_room

__all__ = ["chromium_browser"]  # the fixture, used by name


async def test_a_browser_participant_and_a_terminal_participant_edit_the_same_draft(
    chromium_browser, tmp_path: Path
) -> None:
    room = await asyncio.to_thread(open_room, tmp_path, reading="")
    ana = room.join("employee")  # Ana in a terminal
    await asyncio.to_thread(ana.wait_for_display, "Employee's reading")
    drawn: list[str] = []  # what the browser's app sent to the page to draw

    page = await open_app(chromium_browser, room.links()["partner-1"])  # Priya in the browser
    page.on("websocket", lambda socket: socket.on("framereceived", lambda frame: drawn.append(_text(frame))))
    await page.reload()  # the socket is watched from its start
    await page.wait_for_selector("body.-first-byte", timeout=20000)
    await until(lambda: "Priya Nair" in "".join(drawn), "the browser's app shows whose screen it is", 20)
    await until(lambda: "Employee's reading" in "".join(drawn), "the browser shows the host's step", 20)

    await page.mouse.click(450, 150)  # the terminal on the page takes the keys
    await page.keyboard.type("Priya from the browser", delay=25)
    await asyncio.to_thread(ana.wait_for_display, "Priya from the browser", 20)
    await asyncio.to_thread(room.host.wait_for_display, "Priya from the browser", 20)

    ana.type(" and Ana from her terminal")
    await until(lambda: "Ana from her terminal" in "".join(drawn), "the terminal's text in the browser", 20)
    await page.wait_for_timeout(500)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "room_browser_participant.png"))

    data = await asyncio.to_thread(
        room.wait_on_disk, lambda d: d.get("reading") == "Priya from the browser and Ana from her terminal"
    )
    people = {entry["name"]: entry for entry in data.get("contributions", [])}
    assert people["Priya Nair"]["via"] == "browser" and people["Ana Ruiz"]["via"] == "joined_terminal"

    await page.keyboard.type(" LAST", delay=20)  # a tab closed within a second of typing loses nothing
    await page.close()
    await asyncio.to_thread(room.wait_on_disk, lambda d: d.get("reading", "").endswith(" LAST"))


def _text(frame: object) -> str:
    data = frame if isinstance(frame, (bytes, str)) else getattr(frame, "payload", b"")
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
