"""Removing a row that holds text: a confirmation that quotes its start, and only `y` removes it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from .shown_markup import escape

QUOTED = 60  # characters of the row's first text shown in the question


class RemoveRowScreen(ModalScreen[bool]):
    """Remove the row (`y`) or keep it (`n`, Esc). Ctrl+R next to Ctrl+Z lost typed rows for good."""

    DEFAULT_CSS = """
    RemoveRowScreen { align: center middle; }
    #remove-row { width: 90%; max-width: 72; height: auto; border: round $warning; background: $surface; padding: 0 1; }
    """
    BINDINGS = [
        Binding("y", "choose(True)", "Remove", id="remove-row.yes"),
        Binding("escape,n", "choose(False)", "Keep", id="remove-row.no"),
    ]

    def __init__(self, what: str, text: str) -> None:
        super().__init__()
        self.what = what
        self.text = " ".join(text.split())

    def compose(self) -> ComposeResult:
        quoted = self.text if len(self.text) <= QUOTED else self.text[: QUOTED - 1] + "…"
        with Vertical(id="remove-row"):
            yield Static(
                f"[b]Remove {escape(self.what)}?[/]\n  “{escape(quoted)}”\n"
                "What is typed in it goes with it.\n[b]y[/] removes it · [b]n[/] or [b]Esc[/] keeps it"
            )

    def action_choose(self, remove: bool) -> None:
        self.dismiss(remove)
