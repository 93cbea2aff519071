"""Picking an imported customer response to frame as a feedback item in a review."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..models.feedback import Response


def response_label(response: Response) -> Content:
    score = f" · {response.scale.upper()} {response.score}" if response.score is not None else ""
    where = escape(response.account or response.cohort or "(no account)")
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
                    f"No feedback imported for {escape(self.employee)} yet: run "
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
