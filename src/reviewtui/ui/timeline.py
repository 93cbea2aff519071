"""An employee's timeline: alignment → check-ins → review, each with its key figures."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ..team.timeline import TimelineRow
from .shown_markup import markup_text
from .tables import FittedTable


class TimelineScreen(Screen[None]):
    """The chain of one employee's records; Enter opens one."""

    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back", id="timeline.back")]

    def __init__(self, employee: str, rows: list[TimelineRow]) -> None:
        super().__init__()
        self.employee = employee
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            f"Timeline: {markup_text(self.employee)} ({len(self.rows)} records, oldest first) · Enter opens",
            classes="section-title",
        )
        yield FittedTable(id="timeline-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(FittedTable)
        rows = [
            (str(row.path), [row.date, row.kind, row.status, markup_text(row.figures)]) for row in self.rows
        ]
        table.set_rows(["Date", "Kind", "Status", "Key figures"], rows)  # figures cut with … to fit
        table.focus()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.open_record(Path(str(event.row_key.value)))  # type: ignore[attr-defined]
