"""Discarding a draft from the home screen: a confirmation that names the draft, and only `y` removes it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..models.draft import AlignmentDraft, CheckinDraft, ReviewDraft
from .shown_markup import escape, markup_text


def draft_kind(draft: AlignmentDraft) -> str:
    """`Review`, `Check-in` or `Alignment`: what the draft will become."""
    if isinstance(draft, ReviewDraft):
        return "Review"
    return "Check-in" if isinstance(draft, CheckinDraft) else "Alignment"


def last_saved(draft: AlignmentDraft) -> str:
    """When the draft was last saved, in local time, as the drafts list shows it."""
    return draft.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")


class DiscardDraftScreen(ModalScreen[bool]):
    """Discard the draft (`y`) or keep it (`n`, Esc); nothing else, Enter included, removes it."""

    DEFAULT_CSS = """
    DiscardDraftScreen { align: center middle; }
    #discard-draft {
        width: 90%; max-width: 80; height: auto;
        border: round $error; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("y", "choose(True)", "Discard", id="discard.yes"),
        Binding("escape,n", "choose(False)", "Keep", id="discard.no"),
    ]

    def __init__(self, draft: AlignmentDraft, step: str) -> None:
        super().__init__()
        self.draft = draft
        self.step = step

    def compose(self) -> ComposeResult:
        draft = self.draft
        # Escaped: names and labels are typed by people, and Static reads markup.
        employee = (
            markup_text(draft.employee_name.strip()) if draft.employee_name.strip() else "(no name yet)"
        )
        period = markup_text(draft.period_label.strip()) if draft.period_label.strip() else "(none yet)"
        with Vertical(id="discard-draft"):
            yield Static(f"[b]Discard this {draft_kind(draft).lower()} draft?[/]", classes="section-title")
            yield Static(
                f"  Employee    [b]{employee}[/]\n"
                f"  Period      {period}\n"
                f"  Last saved  {last_saved(draft)}, at {escape(self.step)}\n\n"
                "Everything typed in it is deleted, and this cannot be undone. "
                "Saved records are not touched.\n\n"
                "[b]y[/] discard it    [b]n[/] / [b]Esc[/] keep it"
            )

    def action_choose(self, discard: bool) -> None:
        self.dismiss(discard)
