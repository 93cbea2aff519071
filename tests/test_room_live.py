"""A live shared session with real processes on pseudo-terminals: the host's `reviewtui serve` and
participants' `reviewtui join`, typing at once, dropping out and coming back."""

from __future__ import annotations

import random
import signal
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pty_app import PtyApp
from room_live import SIGN_OFF_STEP, open_room


def reading_of(data: dict) -> str:
    return data.get("reading", "")


def type_together(*typists: tuple[PtyApp, str | list[str]], pause: float = 0.02) -> None:
    """Each participant types their text at the same time as the others, key by key."""
    threads = [threading.Thread(target=app.type, args=(text, pause)) for app, text in typists]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def is_subsequence(part: str, whole: str) -> bool:
    found = iter(whole)
    return all(char in found for char in part)


def area_lines(app: PtyApp, label: str = "The employee's reading of the data") -> list[str]:
    """The lines of the text area under `label` as the terminal shows them now."""
    lines = app.display()
    start = next(i for i, line in enumerate(lines) if label in line)
    end = next((i for i in range(start + 1, len(lines)) if "Comments" in lines[i]), len(lines))
    return lines[start + 1 : end]


def test_edits_cross_both_ways_between_the_host_and_two_participants(tmp_path: Path) -> None:
    room = open_room(tmp_path, reading="")
    ana, priya = room.join("employee"), room.join("partner-1")
    for participant in (ana, priya):
        participant.wait_for_display("Employee's reading")
    ana.type("Ana reads the data")
    for screen in (room.host, priya):
        screen.wait_for_display("Ana reads the data", timeout=10)
    room.host.type(" and Bo agrees")
    for screen in (ana, priya):
        screen.wait_for_display("Ana reads the data and Bo agrees", timeout=10)
    priya.press("tab")  # into the comments
    priya.type("Priya saw it too")
    for screen in (room.host, ana):
        screen.wait_for_display("Priya saw it too", timeout=10)
    data = room.wait_on_disk(lambda d: d.get("comments") == "Priya saw it too")
    assert data["reading"] == "Ana reads the data and Bo agrees"


def test_two_people_typing_in_one_field_at_once_keep_every_character(tmp_path: Path) -> None:
    room = open_room(tmp_path, reading="")
    ana, priya = room.join("employee"), room.join("partner-1")
    for participant in (ana, priya):
        participant.wait_for_display("Employee's reading")
    mine, theirs = "abcdefghij" * 8, "0123456789" * 8
    type_together((ana, mine), (priya, theirs))
    data = room.wait_on_disk(lambda d: len(reading_of(d)) == len(mine) + len(theirs))
    text = reading_of(data)
    assert is_subsequence(mine, text) and is_subsequence(theirs, text)  # each typist's own order kept
    assert sorted(text) == sorted(mine + theirs)
    time.sleep(1)
    assert area_lines(ana) == area_lines(priya)


def test_a_thousand_random_edits_from_two_sides_converge_everywhere(tmp_path: Path) -> None:
    room = open_room(tmp_path, reading="")
    ana, priya = room.join("employee"), room.join("partner-1")
    for participant in (ana, priya):
        participant.wait_for_display("Employee's reading")
    rng = random.Random(14)
    # Backspace, Left, Right, letters: one cell wide each, as the terminal emulator reading the screens
    # (pyte) misplaces double-width characters; CJK and emoji converge in the shared-draft and
    # transport tests (test_room_shared_draft.py, test_room_server.py).
    keys = ["\x7f", "\x1b[D", "\x1b[C", " ", *"abcdefghijkéüñø"]

    def edits(count: int) -> list[str]:
        """Random keys, each written to the terminal whole (an arrow's escape sequence at once)."""
        return [rng.choice(keys) if rng.random() < 0.5 else rng.choice("xyz") for _ in range(count)]

    type_together((ana, edits(500)), (priya, edits(500)), pause=0.01)
    time.sleep(3)  # every key has crossed and the host has autosaved

    def text_rows(participant: PtyApp) -> list[str] | None:
        """The area's rows of text, without its frame and scroll bar; None while it is not in view."""
        try:
            lines = area_lines(participant)
        except StopIteration:
            return None
        rows = [line.strip() for line in lines if line.strip().startswith("┃")]
        return [row.strip("┃ ▁▂▃▄▅▆▇█") for row in rows]

    # Both to the first line, every line drawn afresh (a resize repaints it all), then read back.
    deadline, width = time.monotonic() + 30, 121
    while True:
        for participant in (ana, priya):
            participant.type(["\x1b[A"] * 40, pause=0.005)  # Up, to the first line of the text
            participant.resize((width, 40))
        time.sleep(1.5)
        mine, theirs = text_rows(ana), text_rows(priya)
        if (mine is not None and mine == theirs) or time.monotonic() > deadline:
            break
        width = 241 - width  # 121 and 120 in turn: each try is a fresh repaint
    assert mine is not None and mine == theirs, (mine, theirs)  # the same text on both screens
    shown = "".join(mine).replace(" ", "")
    on_disk = reading_of(room.draft_on_disk())
    assert shown and on_disk.replace(" ", "").startswith(shown)  # and it is what the host saved


def test_a_participant_killed_rejoins_and_finds_the_draft_as_it_is(tmp_path: Path) -> None:
    room = open_room(tmp_path, reading="")
    ana, priya = room.join("employee"), room.join("partner-1")
    for participant in (ana, priya):
        participant.wait_for_display("Employee's reading")
    ana.type("typed before the kill")
    room.wait_on_disk(lambda d: reading_of(d) == "typed before the kill")
    ana.signal(signal.SIGKILL)
    ana.close()
    priya.type(" + while Ana was away")
    room.host.wait_for_display("while Ana was away", timeout=10)
    back = room.join("employee")
    back.wait_for_display("typed before the kill + while Ana was away", timeout=20)


def test_a_host_killed_keeps_what_reached_it_and_serve_resumes_the_room(tmp_path: Path) -> None:
    room = open_room(tmp_path, reading="")
    ana = room.join("employee")
    ana.wait_for_display("Employee's reading")
    ana.type("last words")
    room.host.wait_for_display("last words", timeout=10)
    room.host.signal(signal.SIGKILL)  # within the second before the autosave
    room.host.close()
    ana.wait_for_display("lost", timeout=15)  # the participant is told
    old_links = room.links()
    room.links_file.unlink()
    again = PtyApp(
        ["--sessions", str(room.sessions), "serve", "--links", str(room.links_file)],
        room.folder,
        size=(120, 40),
    )
    again.wait_for_display("Ana Ruiz")
    again.press("enter")
    again.wait_for_display("last words", timeout=20)  # taken back from the room's journal
    room.host = again
    room.wait_on_disk(lambda d: reading_of(d) == "last words")
    assert room.links() != old_links  # the old links died with the old room
    rejoined = room.join("employee")
    rejoined.wait_for_display("last words", timeout=20)


@pytest.mark.parametrize(
    "path", ["", "j/", "j/not-a-token/", "j/not-a-token/crdt", "j/not-a-token/ws", "static/x"]
)
def test_a_wrong_or_missing_token_is_refused_on_every_endpoint(tmp_path: Path, path: str) -> None:
    room = open_room(tmp_path)
    link = room.links()["employee"]
    base = link.split("/j/")[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base}/{path}", timeout=5)
    assert refused.value.code == 403 and refused.value.read() == b""


def test_links_die_when_the_room_closes(tmp_path: Path) -> None:
    room = open_room(tmp_path)
    link = room.links()["employee"]
    assert urllib.request.urlopen(link, timeout=5).status == 200
    room.host.press("escape")  # back home: the draft is closed, and its room
    room.host.wait_for_display("Records")
    with pytest.raises(urllib.error.URLError) as refused:  # 403, or nobody listening any more
        urllib.request.urlopen(link, timeout=5)
    assert getattr(refused.value, "code", 403) == 403


def test_each_person_signs_as_themselves_with_their_own_time_and_way_of_taking_part(tmp_path: Path) -> None:
    import tomllib

    room = open_room(tmp_path, step=SIGN_OFF_STEP)  # the review's sign-off
    ana, priya = room.join("employee"), room.join("partner-1")
    for participant in (ana, priya):
        participant.wait_for_display("Ana Ruiz signs")
    ana.press("tab")  # the only box Ana can tick is her own
    ana.type(" ")
    data = room.wait_on_disk(lambda d: d.get("employee_confirmed") is True)
    assert data["employee_confirmed_via"] == "joined_terminal"
    assert not data.get("manager_confirmed")
    priya.press("tab")
    priya.type(" ")
    data = room.wait_on_disk(lambda d: bool(d.get("partner_confirmations")))
    [partner] = data["partner_confirmations"]
    assert partner["name"] == "Priya Nair" and partner["via"] == "joined_terminal"
    room.host.wait_for_display("Ana Ruiz signs")
    room.host.wait_for_display("confirmed from their own")  # their boxes: theirs alone, not the host's
    room.host.press("tab")  # Ana's and Priya's boxes are theirs now: Tab goes to the manager's
    room.host.type(" ")
    room.wait_on_disk(lambda d: d.get("manager_confirmed") is True)
    room.host.type("\x13")  # Ctrl+S: sign
    records = []
    deadline = time.monotonic() + 20
    while not records and time.monotonic() < deadline:
        records = list(room.sessions.glob("*_review_ana-ruiz_*.toml"))
        time.sleep(0.2)
    assert records, "\n".join(room.host.display())
    record = tomllib.loads(records[0].read_text())
    signed = {entry["role"]: entry for entry in record["sign_offs"]}
    assert signed["employee"]["via"] == "joined_terminal" and signed["employee"]["name"] == "Ana Ruiz"
    assert signed["manager"]["via"] == "host_screen"
    assert signed["partner"]["name"] == "Priya Nair" and signed["partner"]["via"] == "joined_terminal"
    assert len({entry["at"] for entry in record["sign_offs"]}) == 3  # each their own moment
