"""The evidence log in the app: an employee's entries, adding one, and picking one for a review."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ..models.evidence import EvidenceEntry, EvidenceLog, new_entry
from .shown_markup import escape, markup_text
from .tables import FittedTable
from .widgets import Field, FieldError, show_errors


def entry_label(entry: EvidenceEntry, metrics: dict[str, str]) -> Content:
    """One entry on one line or two: date, metric, tags, text."""
    metric = f" · {escape(metrics.get(entry.metric, entry.metric))}" if entry.metric else ""
    tags = f" · {escape(', '.join(entry.tags))}" if entry.tags else ""
    return Content.from_markup(f"[b]{entry.happened_on}[/][dim]{metric}{tags}[/]\n{escape(entry.text)}")


class EvidenceScreen(Screen[None]):
    """An employee's evidence log, newest first; `a` adds an entry."""

    BINDINGS = [
        Binding("a", "add", "Add entry", id="evidence.add"),
        Binding("escape,q", "app.pop_screen", "Back", id="evidence.back"),
    ]

    def __init__(self, log: EvidenceLog, metrics: dict[str, str]) -> None:
        super().__init__()
        self.evidence = log
        self.metrics = metrics

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="evidence-title", classes="section-title")
        yield FittedTable(id="evidence-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="evidence-detail")
        yield Footer()

    @on(DataTable.RowHighlighted)
    def _detail(self, event: DataTable.RowHighlighted) -> None:
        # The table cuts long text at narrow sizes; the highlighted entry is shown whole below it.
        entry = next((e for e in self.evidence.entries if e.id == event.row_key.value), None)
        if entry is not None:
            self.query_one("#evidence-detail", Static).update(entry_label(entry, self.metrics))

    def on_mount(self) -> None:
        table = self.query_one(FittedTable)
        self.show(self.evidence)
        table.focus()

    def show(self, log: EvidenceLog) -> None:
        self.evidence = log
        rows = []
        for entry in reversed(log.entries):
            metric = self.metrics.get(entry.metric, entry.metric) if entry.metric else ""
            # Plain text, never markup; the long text is cut with … to the width, whole below.
            rows.append((entry.id, [str(entry.happened_on), metric, ", ".join(entry.tags), entry.text]))
        self.query_one(FittedTable).set_rows(["Date", "Metric", "Tags", "What happened"], rows)
        count = len(log.entries)
        self.query_one("#evidence-title", Static).update(
            f"Evidence log: {markup_text(log.employee)} ({count} entr{'y' if count == 1 else 'ies'}) · a adds one"
            if count
            else f"Evidence log: {markup_text(log.employee)}. Nothing logged yet: press a to add the first entry."
        )

    def action_add(self) -> None:
        self.app.push_screen(
            EvidenceFormScreen(self.evidence.employee, self.metrics, self.app.clock), self._added
        )  # type: ignore[attr-defined]

    def _added(self, entry: EvidenceEntry | None) -> None:
        if entry is not None:
            log = self.app.add_evidence(self.evidence.employee, entry)  # type: ignore[attr-defined]
            if log is not None:
                self.show(log)


class EvidenceFormScreen(ModalScreen[EvidenceEntry | None]):
    """What happened, when, for which metric, with which tags."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Add", priority=True, id="evidence-form.save"),
        Binding("escape", "cancel", "Cancel", id="evidence-form.cancel"),
    ]

    def __init__(self, employee: str, metrics: dict[str, str], clock) -> None:
        super().__init__()
        self.employee = employee
        self.metrics = metrics
        self.clock = clock

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="evidence-form"):
            yield Static(
                f"[b]New evidence for {markup_text(self.employee)}[/]  [dim]Ctrl+S adds it · Esc cancels[/]"
            )
            yield Field("What happened", "text", "", placeholder="with its figures")
            yield Field(
                "When", "date", self.clock().date().isoformat(), placeholder="YYYY-MM-DD", max_length=10
            )
            with Horizontal(classes="field-line"):
                yield Label("Metric", classes="field-label")
                yield Select(
                    [(name, metric_id) for metric_id, name in self.metrics.items()],
                    prompt="(none)",
                    id="metric",
                    compact=True,
                )
            yield FieldError("metric")
            yield Field("Tags", "tags", "", placeholder="win, qbr, health...")

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    def action_save(self) -> None:
        metric = self.query_one("#metric", Select).value
        entry, errors = new_entry(
            self.query_one("#text", Input).value,
            self.query_one("#date", Input).value,
            metric if isinstance(metric, str) else "",
            self.query_one("#tags", Input).value,
            metrics=self.metrics,
            now=self.clock(),
        )
        show_errors(self, errors)
        if entry is not None:
            self.dismiss(entry)

    def action_cancel(self) -> None:
        self.dismiss(None)


class EvidencePickerScreen(ModalScreen[EvidenceEntry | None]):
    """Choose a logged entry to pull into the review; Enter picks, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="evidence-pick.cancel")]

    def __init__(self, log: EvidenceLog, metrics: dict[str, str], purpose: str) -> None:
        super().__init__()
        self.evidence = log
        self.metrics = metrics
        self.purpose = purpose

    def compose(self) -> ComposeResult:
        with Vertical(id="evidence-picker"):
            yield Static(
                f"[b]From the evidence log[/]: {escape(self.purpose)}  [dim]Enter picks · Esc cancels[/]"
            )
            if self.evidence.entries:
                options = [
                    Option(entry_label(e, self.metrics), id=e.id) for e in reversed(self.evidence.entries)
                ]
                yield OptionList(*options, id="evidence-options")
            else:
                yield Static(
                    f"Nothing logged for {markup_text(self.evidence.employee)} yet. Log as things happen with "
                    "`reviewtui log` or `l` on the home screen."
                )

    def on_mount(self) -> None:
        if self.evidence.entries:
            self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(next(entry for entry in self.evidence.entries if entry.id == event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
