"""The team view: the calibration report of every record in the sessions folder, as `reviewtui report`."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header, Static

from ..errors import ReviewtuiError
from ..session.catalog import CatalogSource, catalog_source
from ..storage import RubricCatalog
from ..storage.report_cache import ScanStats, build_report
from ..team.calibration import Report, RubricReport
from ..team.report_text import cut, level_rows, records_read, rubric_line, scale_legend, score_rows, shown
from .shown_markup import escape, markup_message, markup_path

MAX_SCORES_SHOWN = 8
MANAGER_WIDTH = 20


def _scores(scores: tuple, unscored: int) -> str:
    items = [str(score) for score in scores] + ["-"] * unscored
    more = len(items) - MAX_SCORES_SHOWN
    return " ".join(items[:MAX_SCORES_SHOWN]) + (f" +{more}" if more > 0 else "")


def _table(*columns: str) -> DataTable:
    # The page scrolls as one: the tables show every row and take no focus.
    table: DataTable = DataTable(zebra_stripes=True, show_cursor=False, classes="team-table")
    table.can_focus = False
    table.add_columns(*columns)
    return table


class TeamScreen(Screen[None]):
    """Calibration across the team: scores per manager, level distributions, outliers, gaps."""

    CSS_PATH = "team.tcss"
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="team.back"),
        Binding("r", "reload", "Reload", id="team.reload", tooltip="Read the folder again"),
    ]

    def __init__(self, sessions_dir: Path, catalog: CatalogSource | RubricCatalog) -> None:
        super().__init__()
        self.sessions_dir = sessions_dir
        self.catalog = catalog_source(catalog)
        """Read in the report's worker, if the home screen has not read it yet."""
        self.report: Report | None = None
        self.stats: ScanStats | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            f"Team calibration: {markup_path(self.sessions_dir.name)} (signed reviews only)",
            id="team-title",
            classes="section-title",
        )
        with VerticalScroll(id="team-body"):
            yield Static("Reading the records…", id="team-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#team-body").focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.query_one("#team-status", Static).update("Reading the records…")
        # The app is taken here: a screen closed meanwhile no longer knows it in the worker thread.
        self._build(self.app)

    @work(thread=True, exclusive=True, group="team-report")
    def _build(self, app: App) -> None:
        # Thousands of records take seconds to read the first time; the screen stays responsive.
        try:
            report, stats = build_report(self.sessions_dir, self.catalog.get())
        except ReviewtuiError as error:
            self._from_thread(app, self._failed, str(error))
            return
        self._from_thread(app, self._show, report, stats)

    @staticmethod
    def _from_thread(app: App, callback: Callable[..., None], *args: object) -> None:
        # The app may have quit while the records were read; then there is nothing to show.
        with contextlib.suppress(RuntimeError):
            app.call_from_thread(callback, *args)

    def _failed(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#team-status", Static).update(
                f"The report could not be built: {markup_message(message)}"
            )

    def _show(self, report: Report, stats: ScanStats) -> None:
        if not self.is_attached:  # closed with Esc before the report was ready
            return
        self.report, self.stats = report, stats
        body = self.query_one("#team-body", VerticalScroll)
        for child in list(body.children):
            if child.id != "team-status":
                child.remove()
        cached = f", {stats.cached} of them from the cache" if stats.cached else ""
        self.query_one("#team-status", Static).update(
            escape(f"Records read: {records_read(report)}.") + f" [dim]({stats.files} files{cached})[/]"
        )
        widgets: list[Widget] = []
        if not report.rubrics:
            widgets.append(Static("No signed review to calibrate yet.", classes="team-text"))
        for rubric in report.rubrics:
            widgets += self._rubric_widgets(rubric)
        widgets += self._list_widgets(report)
        body.mount_all(widgets)

    # The report's names, paths and reasons come escaped from `calibrate` (`calibration_shown`);
    # here they are escaped as markup only.
    def _rubric_widgets(self, rubric: RubricReport) -> list[Widget]:
        sd = f"; sd of all scores {rubric.sd}" if rubric.sd is not None else ""
        scores = _table("Manager", "n", "Mean", "Min", "Max", "Scores, lowest first")
        for row in score_rows(rubric):
            name = "All managers" if row is rubric.overall else row.manager
            scores.add_row(
                escape(name),
                str(len(row.scores)),
                shown(row.mean),
                shown(row.minimum),
                shown(row.maximum),
                _scores(row.scores, row.unscored),
            )
        levels = _table("Metric or competency", "Manager", *(str(value) for value, _ in rubric.scale), "-")
        rows = level_rows(rubric)
        # Long names are cut so that the counts stay on screen: each column takes 2 cells of padding.
        manager_width = min(MANAGER_WIDTH, max(len(manager) for _, manager, _ in rows))
        name_width = max(20, self.app.size.width - 4 - (manager_width + 2) - 3 * (len(rubric.scale) + 1) - 2)
        previous = None
        for item, manager, counts in rows:
            name = "" if item is previous else cut(item.name, name_width)
            cells = (escape(name), escape(cut(manager, manager_width)))  # names as typed, not markup
            levels.add_row(*cells, *(str(count) for count in counts))
            previous = item
        outliers = "".join(f"\n• {escape(outlier.text)}" for outlier in rubric.outliers) or ": none"
        return [
            Static(escape(f"{rubric.title}: {rubric_line(rubric)}"), classes="section-title"),
            Static(f"Signed scores by manager{sd}", classes="team-text"),
            scores,
            Static(f"[b]Outliers[/]{outliers}", classes="team-text"),
            Static(escape(f"Levels given: {scale_legend(rubric)}"), classes="team-text"),
            levels,
        ]

    def _list_widgets(self, report: Report) -> list[Widget]:
        widgets: list[Widget] = [
            Static(
                f"Signed reviews missing evidence or a success story ({len(report.gaps)})",
                classes="section-title",
            )
        ]
        if report.gaps:
            gaps = _table("Record", "Manager", "Missing")
            for gap in report.gaps:
                gaps.add_row(escape(gap.path), escape(gap.manager), escape(gap.text))
            widgets.append(gaps)
        else:
            widgets.append(Static("None.", classes="team-text"))
        if report.rule_breaks:  # shown only when there are some: most teams have none
            widgets.append(
                Static(
                    f"Agreed plans that break a checklist rule ({len(report.rule_breaks)})",
                    classes="section-title",
                )
            )
            breaks = _table("Record", "Manager", "Rule", "Reason")
            for item in report.rule_breaks:
                breaks.add_row(
                    escape(item.path), escape(item.manager), escape(item.check), escape(item.reason)
                )
            widgets.append(breaks)
        if report.unknown_rubric:
            widgets.append(Static("Signed reviews whose rubric was not found", classes="section-title"))
            lines = (f"{path}: `{rubric_id}`" for path, rubric_id in report.unknown_rubric)
            widgets.append(Static(escape("\n".join(lines)), classes="team-text"))
        if report.copies:
            widgets.append(
                Static(f"Copies of one record, counted once ({len(report.copies)})", classes="section-title")
            )
            widgets.append(
                Static(escape("\n".join(copy.text for copy in report.copies)), classes="team-text")
            )
        if report.unreadable:
            widgets.append(
                Static(f"Records that could not be read ({len(report.unreadable)})", classes="section-title")
            )
            lines = (reason for _, reason in report.unreadable)
            widgets.append(Static(escape("\n".join(lines)), classes="team-text team-problems"))
        return widgets
