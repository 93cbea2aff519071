"""Choosing the plan a review or check-in starts from (a review may also start from scratch)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..models import Session
from .shown_markup import escape

SCRATCH = "scratch"


class StartReviewScreen(ModalScreen["Session | bool | None"]):
    """Returns the plan to start from, False for a review from scratch, None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="start-review.cancel")]

    def __init__(self, plans: list[tuple[Path, Session]], title: str, *, scratch: bool = True) -> None:
        super().__init__()
        self.plans = {str(path): session for path, session in plans}
        self.title_text = title
        self.scratch = scratch

    def compose(self) -> ComposeResult:
        options = []
        for key, plan in self.plans.items():
            people = plan.participants
            state = "agreed" if plan.kind == "alignment" else "last check-in"
            label = Content.from_markup(
                f"[b]{escape(people.employee.name)}[/]  {escape(people.employee.role)} · plan "
                f"{escape(plan.period.label)}, {state} {plan.updated_at:%Y-%m-%d}, {len(plan.metrics)} metrics"
            )
            options.append(Option(label, id=key))
        if self.scratch:
            options.append(
                Option(Content.from_markup("[i]From scratch: no agreed plan to start from[/]"), id=SCRATCH)
            )
        with Vertical(id="start-review-box"):
            yield Static(
                f"[b]{escape(self.title_text)}[/]: start from an employee's plan as it stands  "
                "[dim]Enter chooses · Esc cancels[/]"
            )
            yield OptionList(*options, id="start-review-options")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id
        self.dismiss(False if key == SCRATCH else self.plans[key or ""])

    def action_cancel(self) -> None:
        self.dismiss(None)
