"""Private notes in the app: `p` on home and F6 on the host's steps; never in a participant's app."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, Markdown, Static, TextArea

from factories import EXAMPLE_PLAN, csm_draft
from pilot_helpers import START, Clock, make_app, steady, type_text
from reviewtui.models.private_notes import PrivateNote, PrivateNotes
from reviewtui.storage import private_notes as store
from reviewtui.storage.drafts import draft_path, save_draft
from reviewtui.ui.help import help_markdown
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.private_notes import PrivateNoteFormScreen, PrivateNotesScreen
from reviewtui.ui.steps.base import StepScreen
from test_participant_app import open_room, participant_app

ROOT = Path(__file__).parent.parent
MARKER = "PRIVATE-MARKER-7f3a"


def shown(screen: PrivateNotesScreen) -> str:
    return "\n".join(str(static.render()) for static in screen.query(Static))


async def test_p_on_home_adds_edits_and_removes_a_note_kept_only_in_the_data_folder(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, sessions)
    app = make_app(sessions)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        before = sorted(path.relative_to(sessions) for path in sessions.rglob("*"))  # with home's cache
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PrivateNotesScreen)
        text = shown(screen)
        assert "Private" in text and "only you can read these" in text
        assert "None yet" in text
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PrivateNoteFormScreen)
        await pilot.press("ctrl+s")  # empty: said in the form, which stays
        await pilot.pause()
        assert isinstance(app.screen, PrivateNoteFormScreen)
        assert "empty" in str(app.screen.query_one("#private-note-error", Static).render())
        await type_text(pilot, f"{MARKER} first")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one(DataTable).row_count == 1
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == f"{MARKER} first"
        await type_text(pilot, " rewritten")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "left unsaved")
        await pilot.press("escape")  # typed text is not dropped on one Esc: it asks
        await pilot.pause()
        assert isinstance(app.screen, PrivateNoteFormScreen)
        assert "Esc again" in str(app.screen.query_one("#private-note-error", Static).render())
        await pilot.press("escape")  # the second leaves without it
        await pilot.pause()
        assert app.screen is screen and screen.query_one(DataTable).row_count == 1
        await pilot.press("a")
        await type_text(pilot, "to remove")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.query_one(DataTable).row_count == 2
        await pilot.press("x")  # the newest is highlighted first
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert screen.query_one(DataTable).row_count == 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    path, notes = store.read_private_notes("Ana Ruiz")
    assert [note.text for note in notes.notes] == [f"{MARKER} first rewritten"]
    assert path.stat().st_mode & 0o777 == 0o600
    after = sorted(path.relative_to(sessions) for path in sessions.rglob("*"))
    assert after == before  # nothing new in the sessions folder, not even a lock
    assert not any(MARKER in p.read_text(errors="replace") for p in sessions.rglob("*") if p.is_file())


async def test_f6_on_a_step_opens_the_notes_and_leaves_the_draft_as_it_was(tmp_path: Path) -> None:
    draft = csm_draft(1)
    save_draft(draft, tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # resume the draft on its step
        await pilot.pause()
        step = app.screen
        assert isinstance(step, StepScreen)
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, PrivateNotesScreen)
        assert app.screen.notes.employee == draft.employee_name
        await pilot.press("a")
        await type_text(pilot, MARKER)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("f6")  # F6 again goes back to the step, as Esc does
        await pilot.pause()
        assert app.screen is step
        await pilot.press("ctrl+n")  # the session goes on, and autosaves
        await pilot.pause()
    assert MARKER not in draft_path(tmp_path, draft.id).read_text()
    assert [note.text for note in store.read_private_notes(draft.employee_name)[1].notes] == [MARKER]


async def test_a_step_without_an_employee_name_says_so(tmp_path: Path) -> None:
    save_draft(csm_draft(0, employee_name=""), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        assert any("Name the employee first" in str(n.message) for n in app._notifications)


async def test_f6_does_nothing_in_a_participants_app_and_no_note_is_reachable() -> None:
    store.add_private_note("Ana Ruiz", MARKER, START)
    _host, participant, _relay = open_room(host_step=1)
    app = participant_app(participant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before, stack = app.screen, list(app.screen_stack)
        assert isinstance(before, StepScreen)
        assert not hasattr(app, "open_private_notes")
        await pilot.press("f6")
        await pilot.pause()
        assert app.screen is before and app.screen_stack == stack
        assert not any(isinstance(screen, PrivateNotesScreen) for screen in app.screen_stack)
        await pilot.press("f1")  # the room's help never offers F6
        await pilot.pause()
        assert "F6" not in app.screen.query_one(Markdown).source
        assert "F6" in help_markdown("impact_map", None)  # as the host's help has it
        assert MARKER not in str(app.export_screenshot())


async def test_an_unreadable_notes_file_is_said_and_nothing_opens(tmp_path: Path) -> None:
    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    folder = store.private_notes_dir()
    folder.mkdir(parents=True)
    (folder / "ana-ruiz.toml").write_text(f'employee = "Ana Ruiz"\nnote = "{MARKER}\n')
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        [note] = list(app._notifications)
        assert "ana-ruiz.toml:2" in str(note.message) and MARKER not in str(note.message)


def sample_notes() -> PrivateNotes:
    at = dt.datetime(2026, 11, 5, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    return PrivateNotes(
        employee="Ana Ruiz",
        notes=[
            PrivateNote(
                id="0123456789ab",
                written_at=at,
                text="Seems tired since the Acme escalation; ask about workload before the QBR season.",
            ),
            PrivateNote(
                id="0123456789ac",
                written_at=at + dt.timedelta(days=14, hours=2),
                text="Wants to lead the onboarding revamp. Check with Priya whether sales would back it.\n"
                "Raise promotion timing with HR before the review, not in it.",
            ),
        ],
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_private_notes_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    # A fixed path on screen, so the snapshot is the same on every machine; nothing is written there.
    path = Path("/home/bo/.local/share/reviewtui/private-notes/ana-ruiz.toml")

    async def open_notes(pilot) -> None:
        await pilot.app.push_screen(PrivateNotesScreen(path, sample_notes(), Clock()))
        await pilot.pause()

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=open_notes)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_private_note_form_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    path = Path("/home/bo/.local/share/reviewtui/private-notes/ana-ruiz.toml")

    async def open_form(pilot) -> None:
        await pilot.app.push_screen(PrivateNotesScreen(path, sample_notes(), Clock()))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await steady(pilot)  # no blinking cursor, however late the snapshot is taken
        # TextArea caches lines drawn in either blink phase under one key once blinking stops:
        # drawn afresh, the cursor looks the same on a busy machine as on an idle one.
        area = pilot.app.screen.query_one(TextArea)
        area.notify_style_update()
        area.refresh()
        await pilot.pause()

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=open_form)


async def test_the_folder_is_shown_escaped_and_enter_edits_the_highlighted_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data [red]x[/] \x1b]0;pwned\x07"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    store.add_private_note("Ana Ruiz", "older", START)
    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("p")
        await pilot.pause()
        where = str(app.screen.query_one("#private-where", Static).render())
        assert "data [red]x[/] \\x1b]0;pwned\\x07/reviewtui/private-notes/ana-ruiz.toml" in where
        assert "\x1b" not in where and "\x07" not in where
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PrivateNoteFormScreen)
        assert app.screen.query_one(TextArea).text == "older"
