"""Picking an imported customer response to frame as a feedback item in a review."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ..models.feedback import Response
from .shown_markup import escape, markup_text
from .widgets import Field, show_errors


def response_label(response: Response) -> Content:
    score = f" · {response.scale.upper()} {response.score}" if response.score is not None else ""
    where = markup_text(response.account or response.cohort or "(no account)")
    comment = escape(response.comment) if response.comment else "[dim](no comment)[/]"
    return Content.from_markup(f"[b]{response.date}[/] {where}[dim]{score} · {response.source}[/]\n{comment}")


class FeedbackPickerScreen(ModalScreen[Response | None]):
    """Imported responses, newest first; Enter picks one, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="feedback-pick.cancel")]

    def __init__(self, employee: str, responses: list[Response]) -> None:
        super().__init__()
        self.employee = employee
        self.responses = responses

    def compose(self) -> ComposeResult:
        with Vertical(id="feedback-picker"):
            yield Static("[b]Imported customer feedback[/]  [dim]Enter picks · Esc cancels[/]")
            if self.responses:
                ordered = sorted(self.responses, key=lambda r: r.date, reverse=True)
                yield OptionList(
                    *[Option(response_label(r), id=r.id) for r in ordered], id="feedback-options"
                )
            else:
                yield Static(
                    f"No feedback imported for {markup_text(self.employee)} yet: run "
                    "`reviewtui feedback import FILE.csv --employee NAME`."
                )

    def on_mount(self) -> None:
        if self.responses:
            self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(next(r for r in self.responses if r.id == event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)


class FeedbackImportScreen(ModalScreen["tuple[str, str, str] | None"]):
    """The export to import for an employee: file, scale and source; Ctrl+S imports."""

    BINDINGS = [
        Binding("ctrl+s", "run", "Import", priority=True, id="feedback-import.run"),
        Binding("escape", "cancel", "Cancel", id="feedback-import.cancel"),
    ]

    def __init__(self, employee: str) -> None:
        super().__init__()
        self.employee = employee

    def compose(self) -> ComposeResult:
        with Vertical(id="feedback-import"):
            yield Static(
                f"[b]Import customer feedback for {markup_text(self.employee)}[/]  [dim]Ctrl+S imports · Esc cancels[/]"
            )
            yield Field("CSV file", "file", "", placeholder="path to the survey or support export")
            with Horizontal(classes="field-line"):
                yield Label("Scale", classes="field-label")
                yield Select(
                    [("NPS (0-10)", "nps"), ("CSAT (1-5)", "csat")], value="nps", id="scale", compact=True
                )
            with Horizontal(classes="field-line"):
                yield Label("Source", classes="field-label")
                yield Select(
                    [("survey", "survey"), ("support", "support")], value="survey", id="source", compact=True
                )

    def on_mount(self) -> None:
        self.query_one("#file", Input).focus()

    def action_run(self) -> None:
        path = self.query_one("#file", Input).value.strip()
        if not path:
            show_errors(self, {"file": "Type the path of the CSV export."})
            return
        scale, source = self.query_one("#scale", Select).value, self.query_one("#source", Select).value
        self.dismiss((path, str(scale), str(source)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ImportResultScreen(ModalScreen[None]):
    """What an import added, what it skipped and why, and the trends."""

    BINDINGS = [Binding("escape,enter", "dismiss", "Close", id="import-result.close")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="import-result"):
            yield Static(self.text)

    def action_dismiss(self) -> None:
        self.dismiss(None)
