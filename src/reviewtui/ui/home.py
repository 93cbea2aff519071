"""The home screen: the records in the sessions folder and the rubrics available."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ..errors import LoadError
from ..storage import RubricCatalog, list_record_names, load_session


class HomeScreen(Screen[None]):
    """Lists records, newest first, and the rubrics found."""

    BINDINGS = [
        Binding("q", "app.quit", "Quit", id="home.quit", tooltip="Leave reviewtui"),
        Binding("tab", "app.focus_next", "Next table", show=False),
    ]

    def __init__(self, sessions_dir: Path, catalog: RubricCatalog):
        super().__init__()
        self.sessions_dir = sessions_dir
        self.catalog = catalog

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="records-title", classes="section-title")
        yield DataTable(id="records", cursor_type="row", zebra_stripes=True)
        yield Static("Rubrics", classes="section-title")
        yield DataTable(id="rubrics", cursor_type="row", zebra_stripes=True)
        yield Static(id="problems")
        yield Footer()

    def on_mount(self) -> None:
        self._fill_records()
        self._fill_rubrics()
        self.query_one("#records", DataTable).focus()

    def _fill_records(self) -> None:
        table = self.query_one("#records", DataTable)
        table.add_columns("Date", "Employee", "Kind", "Status", "Period")
        names = list_record_names(self.sessions_dir)
        for name in names:
            try:
                session = load_session(name.path)
            except LoadError:
                table.add_row(name.date, name.slug, name.kind, "unreadable", "run `reviewtui validate`")
                continue
            employee = session.participants.employee.name
            table.add_row(name.date, employee, session.kind, session.status, session.period.label)
        count = len(names)
        title = self.query_one("#records-title", Static)
        if count:
            title.update(f"Records in {self.sessions_dir} ({count})")
        else:
            title.update(f"No records in {self.sessions_dir} yet")

    def _fill_rubrics(self) -> None:
        table = self.query_one("#rubrics", DataTable)
        table.add_columns("Rubric", "Id", "Version", "From")
        for source in self.catalog.sorted():
            rubric = source.rubric
            table.add_row(rubric.title, rubric.id, str(rubric.version), source.origin)
        problems = self.query_one("#problems", Static)
        if self.catalog.errors:
            lines = [str(error) for error in self.catalog.errors]
            problems.update("Rubrics that could not be loaded:\n" + "\n".join(lines))
        else:
            problems.display = False
