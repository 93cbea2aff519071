"""The home screen: drafts to resume, and the records grouped by employee, newest first."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import get_current_worker

from ..errors import LoadError, ReviewtuiError
from ..session.catalog import CatalogSource, catalog_source
from ..shown import terminal_text
from ..storage.record_names import RecordName, draft_ids, list_record_names
from .home_details import DetailsFill, Person, RowDetails, fill_by_reading, fill_from_cache, grouped
from .home_due import clear_due, due_cells, show_due
from .home_tables import DraftsTable, RecordsTable, draft_kind
from .shown_markup import markup_message, markup_path, markup_text

# The first frame is painted from file names alone: the drafts, the models (pydantic) and the
# rubric catalog load after it, in the worker, unless the app has read them already.
if TYPE_CHECKING:
    from ..models.draft import AlignmentDraft
    from ..storage.drafts import DraftFile
    from ..storage.rubrics import RubricCatalog

MIN_FIRST_ROWS = 24
"""Rows listed before the first frame: a screenful (the terminal's height, at least this many);
the rest right after it. Each row is measured as it is added, so 120 cost 1,000 records a tenth."""


class HomeScreen(Screen[None]):
    """Where every session starts and ends."""

    _first_rows = MIN_FIRST_ROWS

    BINDINGS = [
        Binding("n", "new", "Plan", id="home.new", tooltip="Start an alignment session: agree a metric plan"),
        Binding("c", "checkin", "Check-in", id="home.checkin", tooltip="Record a check-in on a plan"),
        Binding("r", "review", "Review", id="home.review", tooltip="Start a review from an agreed plan"),
        Binding(
            "l",
            "evidence",
            "Log",
            id="home.evidence",
            tooltip="The highlighted employee's evidence log",
        ),
        # Not in the footer (full at 80 columns): the help and the README list it.
        Binding("x", "experiments", "Experiments", show=False, id="home.experiments"),
        Binding("a", "agenda", "Agenda", show=False, id="home.agenda"),
        # Shown by the records table while it is focused (see RecordsTable); works from the drafts too.
        Binding("t", "timeline", "Timeline", show=False, id="home.timeline"),
        Binding("p", "private_notes", "Private notes", show=False, id="home.private_notes"),
        Binding(
            "f",
            "import_feedback",
            "Feedback",
            id="home.feedback",
            tooltip="Import a survey or support export",
        ),
        # Shown by the drafts table while it is focused (see DraftsTable); on a record it says why not.
        Binding("d,delete", "discard", "Discard", show=False, id="home.discard"),
        Binding("g", "archive", "Archive", id="home.archive", tooltip="Commit new final records to git"),
        Binding("w", "team", "Team", id="home.team", tooltip="Calibration across every record"),
        # Priority, so Enter opens the row although the focused table has its own Enter; not in
        # the footer, which needs the room at 80 columns (Enter on a list is what anyone tries).
        Binding("enter", "open", "Open", id="home.open", priority=True, show=False),
        Binding("q", "app.quit", "Quit", id="home.quit", tooltip="Leave reviewtui", show=False),
    ]

    def __init__(self, sessions_dir: Path, catalog: CatalogSource | RubricCatalog):
        super().__init__()
        self.sessions_dir = sessions_dir
        self.catalog = catalog_source(catalog)
        """Read in the details worker, off the first frame, unless the app has read it already."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="flash")
        yield Static(id="drafts-title", classes="section-title")
        yield DraftsTable(id="drafts", cursor_type="row", zebra_stripes=True)
        yield Static(id="records-title", classes="section-title")
        yield RecordsTable(id="records", cursor_type="row", zebra_stripes=True)
        yield Static(id="empty-hint")
        yield Static(id="problems")
        yield Footer(compact=True)  # every home key fits at 80 columns

    def on_mount(self) -> None:
        self.query_one("#drafts", DataTable).add_columns("Employee", "Role", "Step", "Last saved")
        self.query_one("#records", DataTable).add_columns("Employee", "Date", "Kind", "Status", "Period")
        self.reload()

    def flash(self, message: str) -> None:
        """A message that stays until the next one (e.g. where a record was saved).

        Its markup is the caller's, who escapes names with `shown_markup`; whatever was missed
        still cannot drive the terminal.
        """
        self.query_one("#flash", Static).update(terminal_text(message))

    def reload(self) -> None:
        """Re-read the folder: records from their names at once, then drafts and details."""
        # File names alone give the first grouping at once; the names inside regroup it when read.
        names = grouped(list_record_names(self.sessions_dir), lambda name: name.slug)
        self._first_rows = max(MIN_FIRST_ROWS, self.app.size.height)
        self._fill_records(names)
        drafts_read = self.catalog.loaded is not None
        if drafts_read:  # the models are in memory already: drafts at once
            self._show_drafts(*self.app.list_drafts(), refocus=True)  # type: ignore[attr-defined]
        else:  # their names now, focused as they will be; what they hold once the models load
            ids = draft_ids(self.sessions_dir)
            self.query_one("#drafts", DraftsTable).list_ids(ids)
            self.query_one("#drafts-title", Static).update(f"Drafts in progress ({len(ids)}): Enter resumes")
            self._show_sections([], refocus=True)
        self._read_details(names, drafts_read)

    def _show_drafts(self, drafts: list[DraftFile], draft_errors: list[LoadError], *, refocus: bool) -> None:
        """The drafts, the problems and the hint; `refocus` moves the focus to the drafts if any."""
        catalog = self.catalog.loaded
        drafts_table = self.query_one("#drafts", DraftsTable)
        drafts_table.list_drafts(drafts, catalog, self._step_text)
        self.query_one("#drafts-title", Static).update(f"Drafts in progress ({len(drafts)}): Enter resumes")
        self._show_sections(draft_errors, refocus=refocus)

    def _show_sections(self, draft_errors: list[LoadError], *, refocus: bool) -> None:
        """Which lists, problems and hint show; `refocus` moves the focus to the drafts if any."""
        catalog = self.catalog.loaded
        drafts_table = self.query_one("#drafts", DraftsTable)
        problems = [*(catalog.errors if catalog else []), *draft_errors]
        widget = self.query_one("#problems", Static)
        widget.update("\n".join(markup_message(error) for error in problems))
        widget.display = bool(problems)
        records = self.query_one("#records", DataTable)
        has_drafts, has_records = drafts_table.row_count > 0, records.row_count > 0
        hint = self.query_one("#empty-hint", Static)
        hint.display = not has_records
        rubrics = f" {len(catalog.by_id)} role rubrics are available." if catalog else ""
        hint.update(
            f"No records in {markup_path(self.sessions_dir)} yet.\n\n"
            "Press [b]n[/] to start an alignment session: the employee and the manager agree, together, which "
            f"client outcomes the role drives and the few metrics that will show it. Press [b]r[/] for a review.{rubrics}"
        )
        self.query_one("#drafts", DataTable).display = has_drafts
        self.query_one("#drafts-title", Static).display = has_drafts
        records.display = has_records
        self.query_one("#records-title", Static).display = has_records
        if not has_drafts and self.focused is drafts_table:  # its names were listed, none read
            records.focus()
        if refocus or (has_drafts and self.focused in (None, records) and records.cursor_row == 0):
            # Late drafts take the focus as they would have at once, unless it was moved meanwhile.
            (self.query_one("#drafts", DataTable) if has_drafts else records).focus()

    def _step_text(self, draft: AlignmentDraft) -> str:
        """`3/5 Metrics`: the step the draft is on, of its session's steps."""
        from .widgets import STEP_TITLES  # with the fields' models: only once there is a draft

        flow = self.app.flow(draft)  # type: ignore[attr-defined]
        return f"{draft.step + 1}/{len(flow)} {STEP_TITLES[flow[min(draft.step, len(flow) - 1)]]}"

    def _fill_records(self, names: list[RecordName]) -> None:
        table = self.query_one("#records", DataTable)
        table.clear()
        clear_due(table)
        self._add_rows(names[: self._first_rows], None)
        self.query_one("#records-title", Static).update(
            f"Records in {markup_path(self.sessions_dir)} ({len(names)}): Enter opens"
        )

    def _add_rows(
        self, names: list[RecordName], previous: str | None, fill: DetailsFill | None = None
    ) -> None:
        """Rows listed, with the details `fill` knows (a row is measured once: 10,000 take seconds)."""
        table = self.query_one("#records", DataTable)
        for name in names:
            known = fill.listed(name) if fill else None
            if known is None:
                employee, status, period = name.slug if name.slug != previous else "", "", ""
            else:
                first, (employee, status, period) = known
                employee = employee if first else ""
            table.add_row(employee, name.date, name.kind, status, period, key=name.key)
            previous = name.slug

    @work(thread=True, exclusive=True, group="home-details")
    def _read_details(self, names: list[RecordName], drafts_read: bool) -> None:
        # Names alone list the folder at once; the rest follows once the first frame is on screen
        # (it would compete with painting it): the rows past the first screenful, the details from
        # the cache, the catalog and the drafts if the app has not read them, then the records the
        # cache does not vouch for. Rows are updated in batches: one screen update per batch.
        painted = threading.Event()
        self.app.call_from_thread(self.call_after_refresh, painted.set)
        painted.wait(timeout=1.0)
        worker = get_current_worker()
        # The drafts first: they hold the focus, and any rubric or draft problem is said with them.
        catalog = self.catalog.loaded if drafts_read else self._read_catalog_and_drafts()
        fill = DetailsFill(names, lambda batch: self.app.call_from_thread(self._set_details, batch))
        left = fill_from_cache(self.sessions_dir, fill)
        if worker.is_cancelled:  # a newer reload reads the folder again
            return
        first = self._first_rows
        fill.send_kept(names[:first])
        if len(names) > first:
            self.app.call_from_thread(self._add_rows, names[first:], names[first - 1].slug, fill)
        if left and not fill_by_reading(self.sessions_dir, catalog, left, fill, lambda: worker.is_cancelled):
            return
        regrouped = grouped(fill.finish(), lambda row: row[1])
        if not worker.is_cancelled and [row[0] for row in regrouped] != names:
            # Slugs grouped two people as one (王芳 and 李娜 were both `employee`) or split one.
            self.app.call_from_thread(self._regroup, regrouped)
        due = due_cells(regrouped, self.app.clock().date(), lambda: worker.is_cancelled)  # type: ignore[attr-defined]
        if due is not None and not worker.is_cancelled:
            self.app.call_from_thread(show_due, self.query_one("#records", DataTable), due)

    def _read_catalog_and_drafts(self) -> RubricCatalog | None:
        """In the worker: the rubric catalog read, then the drafts listed (both need the models)."""
        try:
            catalog = self.catalog.get()
        except ReviewtuiError as error:  # said on screen; records are then read without a rubric
            self.app.call_from_thread(self._show_drafts, [], [error], refocus=False)
            return None
        drafts, errors = self.app.list_drafts()  # type: ignore[attr-defined]
        self.app.call_from_thread(self._show_drafts, drafts, errors, refocus=False)
        return catalog

    def _regroup(self, rows: list[Person]) -> None:
        """Show the records grouped by the people they name, keeping the highlighted row."""
        table = self.query_one("#records", DataTable)
        if set(table.rows) != {name.key for name, _, _ in rows}:
            return  # the folder was read again meanwhile
        highlighted = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear()
        previous = None
        for name, person, (employee, status, period) in rows:
            shown = employee if person != previous else ""
            previous = person
            table.add_row(shown, name.date, name.kind, status, period, key=name.key)
        table.move_cursor(row=table.get_row_index(highlighted), animate=False)

    def _set_details(self, batch: list[RowDetails]) -> None:
        table = self.query_one("#records", DataTable)
        columns = table.ordered_columns
        for key, (employee, status, period), first_of_group in batch:
            if key not in table.rows:
                continue
            for column, value in (
                (columns[0], employee if first_of_group else ""),
                (columns[3], status),
                (columns[4], period),
            ):
                if table.get_cell(key, column.key) == value:
                    continue
                # Only a wider value needs the column to grow: asking DataTable to update the width
                # for a narrower one makes it measure every cell of the column again (1,000 records
                # took 45 s to fill that way).
                table.update_cell(key, column.key, value, update_width=cell_len(value) > column.content_width)

    def action_new(self) -> None:
        self.app.start_alignment()  # type: ignore[attr-defined]

    def action_checkin(self) -> None:
        self.app.start_checkin()  # type: ignore[attr-defined]

    def action_review(self) -> None:
        self.app.start_review()  # type: ignore[attr-defined]

    def _highlighted(self, why: str) -> tuple[str, bool] | None:
        """The key of the highlighted row and whether it is a draft; said on screen when there is none."""
        focused = self.focused
        if not isinstance(focused, DataTable) or focused.row_count == 0:
            self.notify(f"Highlight a record or a draft first: {why}.", severity="warning")
            return None
        return str(
            focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value
        ), focused.id == "drafts"

    def action_import_feedback(self) -> None:
        if row := self._highlighted("feedback is per employee"):
            self.app.import_feedback_for(row[0], is_draft=row[1])  # type: ignore[attr-defined]

    def action_timeline(self) -> None:
        table = self.query_one("#records", DataTable)
        if table.row_count == 0:
            self.notify("No records yet: a timeline starts with an agreed plan.", severity="warning")
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self.app.open_timeline(key)  # type: ignore[attr-defined]

    def action_evidence(self) -> None:
        if row := self._highlighted("the log is per employee"):
            self.app.open_employee_evidence(row[0], is_draft=row[1])  # type: ignore[attr-defined]

    def action_private_notes(self) -> None:
        if row := self._highlighted("private notes are per employee"):
            self.app.open_employee_private_notes(row[0], is_draft=row[1])  # type: ignore[attr-defined]

    def action_experiments(self) -> None:
        if row := self._highlighted("the experiment log is per employee"):
            self.app.open_employee_experiments(row[0], is_draft=row[1])  # type: ignore[attr-defined]

    def action_agenda(self) -> None:
        if (row := self._highlighted("the agenda is per employee")) and (
            employee := self.app._employee_of(row[0], is_draft=row[1])  # type: ignore[attr-defined]
        ):
            from .agenda_screen import open_agenda

            open_agenda(self.app, employee)

    def action_discard(self) -> None:
        drafts = self.query_one("#drafts", DataTable)
        if self.focused is not drafts or drafts.row_count == 0:
            self.notify("Highlight a draft first: only drafts can be discarded.", severity="warning")
            return
        key = str(drafts.coordinate_to_cell_key(drafts.cursor_coordinate).row_key.value)
        found = next((item for item in self.app.list_drafts()[0] if item.draft.id == key), None)  # type: ignore[attr-defined]
        if found is None:
            self.notify("That draft is gone; the list is refreshed.", severity="warning")
            self.reload()
            return
        if not self._may_discard(key):
            return
        from .discard import DiscardDraftScreen

        self.app.push_screen(
            DiscardDraftScreen(found.draft, self._step_text(found.draft)),
            lambda discard: self._discard(key, found.draft) if discard else None,
        )

    def _may_discard(self, draft_id: str) -> bool:
        """False, said on screen, while another reviewtui has the draft open (it would save it again)."""
        from ..storage.drafts import draft_held_elsewhere

        try:
            held_by = draft_held_elsewhere(self.sessions_dir, draft_id)
        except ReviewtuiError as error:
            self.notify(f"Not discarded: {markup_message(error)}", severity="error", timeout=8)
            return False
        if held_by is not None:
            self.notify(
                f"Not discarded: this draft is open in another reviewtui ({markup_text(held_by)}). "
                "Leave it there first.",
                title="Draft in use",
                severity="error",
                timeout=10,
            )
        return held_by is None

    def _discard(self, draft_id: str, draft: AlignmentDraft) -> None:
        from ..storage.drafts import discard_draft

        try:
            discard_draft(self.sessions_dir, draft_id)
        except ReviewtuiError as error:
            self.notify(f"Not discarded: {markup_message(error)}", severity="error", timeout=10)
            return
        self.reload()
        who = markup_text(draft.employee_name.strip()) or "(no name yet)"
        period = f", {markup_text(draft.period_label.strip())}" if draft.period_label.strip() else ""
        self.flash(f"Draft discarded: {draft_kind(draft).lower()} for {who}{period}.")

    def action_team(self) -> None:
        from .team import TeamScreen  # the report's modules load pydantic: not before the first frame

        self.app.push_screen(TeamScreen(self.sessions_dir, self.catalog))

    def action_archive(self) -> None:
        self.app.archive_in_background()  # type: ignore[attr-defined]

    def action_open(self) -> None:
        focused = self.focused
        if not isinstance(focused, DataTable) or focused.row_count == 0:
            return
        key = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value
        if focused.id == "drafts":
            self.app.resume_draft(key)  # type: ignore[attr-defined]
        else:
            self.app.open_record(Path(key))  # type: ignore[attr-defined]

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open()
