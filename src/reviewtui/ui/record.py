"""A record, read-only: what was agreed, in a form both can read."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from ..shown import terminal_text
from .more import MoreHint
from .shown_markup import markup_path


class RecordScreen(Screen[None]):
    """A record rendered as a document; Esc goes back."""

    SUB_TITLE = "read-only record"  # not the app's "draft saved", which is about another thing

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="record.back"),
        Binding("m", "export('md')", "Export Markdown", id="record.export_md"),
        Binding("j", "export('json')", "Export JSON", id="record.export_json"),
    ]

    def __init__(self, path: Path, markdown: str) -> None:
        super().__init__()
        self.path = path
        # The record's text has no control characters (they are dropped on load); bidi overrides
        # and isolates could still reorder what the screen shows, so they are shown escaped.
        self.markdown = terminal_text(markdown)

    def action_export(self, fmt: str) -> None:
        self.app.export_record(self.path, fmt)  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        # Imported here: Markdown (and markdown-it) cost about 30 ms at start-up, before the first
        # frame, for a screen that opens only when a record is.
        from .record_table import RecordMarkdown

        yield Header()
        yield Static(f"[dim]{markup_path(self.path)} · read-only[/]", id="record-path")
        with VerticalScroll(id="record-body") as body:
            yield RecordMarkdown(self.markdown)
        yield MoreHint(body, "[b]Esc[/] back to the records", id="record-more")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#record-body").focus()
