"""The manager's private notes about one employee: list, add, edit and remove them.

Opened from home (`p` on a row) and with F6 from any step of the host's own app, never in a
participant's. What is typed here goes only to the user's data folder (storage/private_notes.py):
never into the draft, so nothing of it reaches a record, an export, the archive or a live room.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Static, TextArea

from ..errors import ReviewtuiError
from ..models.private_notes import PrivateNote, PrivateNotes
from ..storage import private_notes as store
from .confirm_remove import RemoveRowScreen
from .notices import toast_path
from .shown_markup import escape, markup_message, markup_path, markup_text
from .tables import FittedTable

PRIVACY = (
    "[b]Private[/]: only you can read these (file 0600, folder 0700), kept outside the sessions folder. "
    "They never go into a draft, a record, an export, the report cache, the archive or a live room."
)


def note_time(note: PrivateNote) -> str:
    """When a note was written, to the minute, in the time it was written in (the app's local clock)."""
    return note.written_at.strftime("%Y-%m-%d %H:%M")


class PrivateNotesScreen(Screen[None]):
    """One employee's private notes, newest first: `a` adds, `e` or Enter edits, `x` removes."""

    DEFAULT_CSS = """
    #private-where { height: auto; padding: 0 1; color: $text-muted; }
    #private-table { height: 1fr; }
    #private-detail { height: auto; max-height: 8; padding: 0 1; border-top: solid $primary; }
    """

    BINDINGS = [
        Binding("a", "add", "Add note", id="private-notes.add"),
        Binding("e", "edit", "Edit", id="private-notes.edit"),
        Binding("x", "remove", "Remove", id="private-notes.remove"),
        Binding("escape,q,f6", "app.pop_screen", "Back", id="private-notes.back"),
    ]

    def __init__(self, path: Path, notes: PrivateNotes, clock: Callable[[], dt.datetime]) -> None:
        super().__init__()
        self.path = path
        self.notes = notes
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="private-title", classes="section-title")
        yield Static(id="private-where")
        yield FittedTable(id="private-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="private-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.path, self.notes)
        self.query_one(FittedTable).focus()

    def show(self, path: Path, notes: PrivateNotes) -> None:
        self.path, self.notes = path, notes
        rows = [(note.id, [note_time(note), " ".join(note.text.split())]) for note in reversed(notes.notes)]
        self.query_one(FittedTable).set_rows(["Written", "Note"], rows)
        count = len(notes.notes)
        employee = markup_text(notes.employee)
        self.query_one("#private-title", Static).update(
            f"Private notes about {employee} ({count} note{'' if count == 1 else 's'}) · a adds one · e edits"
            if count
            else f"Private notes about {employee}. None yet: press a to write the first."
        )
        self.query_one("#private-where", Static).update(f"{PRIVACY}\nKept in {markup_path(path)}")
        if not notes.notes:
            self.query_one("#private-detail", Static).update("")

    def _highlighted(self) -> PrivateNote | None:
        table = self.query_one(FittedTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((note for note in self.notes.notes if note.id == key), None)

    @on(DataTable.RowHighlighted)
    def _detail(self, event: DataTable.RowHighlighted) -> None:
        # The table cuts a long note to one line; the highlighted one is shown whole below it.
        note = next((n for n in self.notes.notes if n.id == event.row_key.value), None)
        if note is not None:
            self.query_one("#private-detail", Static).update(f"[b]{note_time(note)}[/]\n{escape(note.text)}")

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_edit()

    def action_add(self) -> None:
        self.app.push_screen(PrivateNoteFormScreen(self.notes.employee, ""), self._added)

    def action_edit(self) -> None:
        note = self._highlighted()
        if note is None:
            self.notify("No note to edit yet: press a to write one.", severity="warning")
            return
        self.app.push_screen(
            PrivateNoteFormScreen(self.notes.employee, note.text), lambda text: self._edited(note.id, text)
        )

    def action_remove(self) -> None:
        note = self._highlighted()
        if note is None:
            self.notify("No note to remove.", severity="warning")
            return
        self.app.push_screen(
            RemoveRowScreen("this private note", note.text), lambda yes: self._removed(note.id, yes)
        )

    def _saved(self, save: Callable[[], tuple[Path, PrivateNotes]], said: str) -> None:
        try:
            path, notes = save()
        except ReviewtuiError as error:
            self.notify(markup_message(error), title="Not saved", severity="error", timeout=10)
            return
        self.show(path, notes)
        self.notify(f"{said} privately in\n{toast_path(self.app, path)}", timeout=4)

    def _added(self, text: str | None) -> None:
        if text is not None:
            employee = self.notes.employee
            self._saved(lambda: store.add_private_note(employee, text, self.clock()), "Kept")

    def _edited(self, note_id: str, text: str | None) -> None:
        if text is not None:
            employee = self.notes.employee
            self._saved(lambda: store.edit_private_note(employee, note_id, text, self.clock()), "Changed")

    def _removed(self, note_id: str, remove: bool | None) -> None:
        if remove:
            employee = self.notes.employee
            self._saved(lambda: store.remove_private_note(employee, note_id), "Removed")


class PrivateNoteFormScreen(ModalScreen[str | None]):
    """A private note's text; Ctrl+S keeps it, Esc leaves it unsaved."""

    DEFAULT_CSS = """
    PrivateNoteFormScreen { align: center middle; }
    #private-note-form { width: 90%; max-width: 100; height: auto; max-height: 80%; border: round $primary; background: $surface; padding: 0 1; }
    #private-note-text { height: 10; }
    #private-note-error { height: auto; color: $error; }
    """

    # Not a priority binding: Ctrl+S then waits behind the keys typed before it, none of which is lost.
    BINDINGS = [
        Binding("ctrl+s", "save", "Keep", id="private-note-form.save"),
        Binding("escape", "cancel", "Cancel", id="private-note-form.cancel"),
    ]

    def __init__(self, employee: str, text: str) -> None:
        super().__init__()
        self.employee = employee
        self.text = text
        self.leave_asked = False

    def compose(self) -> ComposeResult:
        verb = "Edit the" if self.text else "New"
        with Vertical(id="private-note-form"):
            yield Static(
                f"[b]{verb} private note about {markup_text(self.employee)}[/]  "
                "[dim]Ctrl+S keeps it · Esc cancels · only you can read it[/]"
            )
            yield TextArea(self.text, id="private-note-text", soft_wrap=True, show_line_numbers=False)
            yield Static(id="private-note-error")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        problem = store.note_problem(text)
        if problem:
            self.query_one("#private-note-error", Static).update(escape(problem))
            return
        self.dismiss(text)

    @on(TextArea.Changed)
    def _typed(self) -> None:
        self.leave_asked = False

    def action_cancel(self) -> None:
        # A note lives nowhere else: what was typed is not thrown away on one stray Esc.
        if self.query_one(TextArea).text != self.text and not self.leave_asked:
            self.leave_asked = True
            self.query_one("#private-note-error", Static).update(
                "Not kept yet: [b]Esc[/] again leaves without it, [b]Ctrl+S[/] keeps it."
            )
            return
        self.dismiss(None)


def private_notes_screen(employee: str, clock: Callable[[], dt.datetime]) -> PrivateNotesScreen:
    """The screen for the employee's notes; raises a ReviewtuiError when their file cannot be read."""
    path, notes = store.read_private_notes(employee)
    return PrivateNotesScreen(path, notes, clock)
