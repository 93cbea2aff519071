"""The App's screens over the sessions folder: evidence, customer feedback, timelines, records, exports.

The session driver reads and writes; this mixin pushes the screens and turns errors into toasts.
Each screen's module is imported when it is first shown, not when the app starts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LoadError, ReviewtuiError
from .notices import toast_path
from .shown_markup import markup_message, markup_path, markup_text

if TYPE_CHECKING:
    from ..models.evidence import EvidenceEntry, EvidenceLog
    from ..models.feedback import Response
    from ..session.driver import SessionDriver
    from ..storage.feedback_import import ImportResult


class FolderScreens:
    """Mixed into ReviewApp: what the home screen and the steps open besides a draft."""

    if TYPE_CHECKING:
        session_driver: SessionDriver

        def notify(self, message: str, **options: object) -> None: ...
        def push_screen(self, screen: object, callback: object = None) -> object: ...

    def _employee_of(self, key: str, *, is_draft: bool) -> str:
        """The employee behind a home-screen row; empty (and said on screen) when there is none."""
        try:
            employee = self.session_driver.employee_of(key, is_draft=is_draft)
        except LoadError as error:
            self.notify(markup_message(error), title="This record cannot be read", severity="error")
            return ""
        if not employee:
            self.notify("This draft has no employee name yet.", severity="warning")
        return employee

    def open_timeline(self, key: str) -> None:
        """The timeline of the employee behind a home-screen record row."""
        from .timeline import TimelineScreen

        try:
            employee, rows = self.session_driver.timeline_of(Path(key))
        except LoadError as error:
            self.notify(markup_message(error), title="This record cannot be read", severity="error")
            return
        self.push_screen(TimelineScreen(employee, rows))

    # Private notes: the user's data folder, never the sessions folder ----------------------

    def open_employee_private_notes(self, key: str, *, is_draft: bool) -> None:
        """The private notes about the employee behind a home-screen row."""
        if employee := self._employee_of(key, is_draft=is_draft):
            self.open_private_notes(employee)

    def open_private_notes(self, employee: str) -> None:
        """The user's private notes about `employee` (only the host's own app has this)."""
        from .private_notes import private_notes_screen

        if not employee:
            self.notify("Name the employee first: private notes are per employee.", severity="warning")
            return
        try:
            screen = private_notes_screen(employee, self.clock)  # type: ignore[attr-defined]
        except ReviewtuiError as error:
            self.notify(markup_message(error), title="The private notes cannot be read", severity="error")
            return
        self.push_screen(screen)

    # Evidence ------------------------------------------------------------------------

    def _evidence_for(self, employee: str) -> tuple[EvidenceLog, dict[str, str]] | None:
        """The employee's evidence log and plan metrics, or None (said on screen) if unreadable."""
        try:
            return self.session_driver.evidence_for(employee)
        except ReviewtuiError as error:
            self.notify(
                markup_message(error), title="The evidence log cannot be read", severity="error", timeout=8
            )
            return None

    def open_employee_evidence(self, key: str, *, is_draft: bool) -> None:
        """The evidence log of the employee behind a home-screen row (a record path or a draft id)."""
        employee = self._employee_of(key, is_draft=is_draft)
        if employee:
            self.open_evidence(employee)

    def open_evidence(self, employee: str) -> None:
        from .evidence import EvidenceScreen

        found = self._evidence_for(employee)
        if found is not None:
            self.push_screen(EvidenceScreen(*found))

    def add_evidence(self, employee: str, entry: EvidenceEntry) -> EvidenceLog | None:
        try:
            path, log = self.session_driver.add_evidence(employee, entry)
        except ReviewtuiError as error:
            self.notify(f"Not logged: {markup_message(error)}", severity="error", timeout=8)
            return None
        self.notify(f"Logged in\n{toast_path(self, path)}", timeout=4)  # type: ignore[arg-type]
        return log

    def pick_evidence(
        self, employee: str, purpose: str, chosen: Callable[[EvidenceEntry | None], None]
    ) -> None:
        """Let the pair choose a logged entry; `chosen` receives it (or None)."""
        from .evidence import EvidencePickerScreen

        found = self._evidence_for(employee)
        if found is not None:
            self.push_screen(EvidencePickerScreen(*found, purpose), chosen)

    # Customer feedback ---------------------------------------------------------------------

    def import_feedback_for(self, key: str, *, is_draft: bool) -> None:
        """Ask for an export and import it for the employee behind a home-screen row."""
        from .feedback import FeedbackImportScreen

        employee = self._employee_of(key, is_draft=is_draft)
        if employee:
            self.push_screen(FeedbackImportScreen(employee), lambda choice: self._import(employee, choice))

    def _import(self, employee: str, choice: tuple[str, str, str] | None) -> None:
        from .feedback import ImportResultScreen

        if choice is None:
            return
        file, scale, source = choice
        try:
            result = self.session_driver.import_feedback(employee, file, scale, source)
        except ReviewtuiError as error:
            self.notify(markup_message(error), title="Nothing was imported", severity="error", timeout=10)
            return
        self.push_screen(ImportResultScreen(import_summary(employee, result)))

    def pick_feedback(self, employee: str, chosen: Callable[[Response | None], None]) -> None:
        """Let the pair choose an imported customer response; `chosen` receives it (or None)."""
        from .feedback import FeedbackPickerScreen

        try:
            responses = self.session_driver.feedback_responses(employee)
        except ReviewtuiError as error:
            self.notify(
                markup_message(error), title="The feedback file cannot be read", severity="error", timeout=8
            )
            return
        self.push_screen(FeedbackPickerScreen(employee, responses), chosen)

    # Records ---------------------------------------------------------------------------

    def open_record(self, path: Path) -> None:
        from .record import RecordScreen

        try:
            text = self.session_driver.record_text(path)
        except LoadError as error:
            self.notify(
                markup_message(error), title="This record cannot be read", severity="error", timeout=8
            )
            return
        self.push_screen(RecordScreen(path, text))

    def export_record(self, path: Path, fmt: str) -> None:
        """Write a record's Markdown or JSON export to `<sessions>/exports/` and say where."""
        try:
            target = self.session_driver.export(path, fmt)  # type: ignore[arg-type]
        except ReviewtuiError as error:
            self.notify(markup_message(error), title="Export failed", severity="error", timeout=8)
            return
        self.notify(f"Written to\n{toast_path(self, target)}", title=f"Exported as {fmt.upper()}", timeout=8)  # type: ignore[arg-type]


def import_summary(employee: str, result: ImportResult) -> str:
    """What an import did, as markup: new responses, where, what was skipped, the trend by group."""
    from ..models.feedback import trends

    lines = [f"[b]{len(result.added)} new response(s)[/] for {markup_text(employee)}"]
    if result.path is not None:
        lines.append(f"saved in {markup_path(result.path)}")
    if result.duplicates:
        lines.append(f"{result.duplicates} duplicate(s) or already imported, skipped")
    lines += [markup_message(line) for line in result.skipped]
    for trend in trends(result.added):
        nps_text = "" if trend.nps is None else f", NPS {trend.nps:+d}"
        months = ", ".join(f"{month} {value}" for month, value in trend.by_month)
        lines.append(
            f"  {markup_text(trend.group)}: {trend.responses} response(s), average {trend.average or '-'}{nps_text}; {months}"
        )
    lines.append(
        "\n[dim]Enter or Esc closes. In a review, Ctrl+L on customer feedback uses these responses.[/]"
    )
    return "\n".join(lines)
