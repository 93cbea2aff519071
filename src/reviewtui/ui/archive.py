"""After a final save in a git repository: offer to commit the record, as `reviewtui archive` would."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from .shown_markup import markup_path, markup_text


class ArchiveOfferScreen(ModalScreen[str | None]):
    """Archive now (`a`), always from now on (`A`), never from now on (`N`), or not now (Esc)."""

    BINDINGS = [
        Binding("a", "choose('now')", "Archive now", id="archive.now"),
        Binding("A", "choose('always')", "Always", id="archive.always"),
        Binding("N", "choose('never')", "Never", id="archive.never"),
        Binding("escape,n", "choose('later')", "Not now", id="archive.later"),
    ]

    def __init__(self, what: str, repository: str) -> None:
        super().__init__()
        self.what = what
        self.repository = repository

    def compose(self) -> ComposeResult:
        with Vertical(id="archive-offer"):
            yield Static(f"[b]{markup_text(self.what)}.[/] Commit it to git now?", classes="section-title")
            yield Static(
                f"The sessions folder is in the git repository {markup_path(self.repository)}. Archiving commits "
                "the new final records and evidence logs by name (never drafts), with a message that says "
                "what happened; your hooks and signing apply.\n\n"
                "[b]a[/] archive now    [b]n[/] / [b]Esc[/] not now\n"
                "[b]A[/] always archive after saving    [b]N[/] never offer again\n\n"
                "[dim]The choice for always or never is kept in your settings file; "
                "`reviewtui archive` commits whatever is left at any time.[/]"
            )

    def action_choose(self, choice: str) -> None:
        self.dismiss(None if choice == "later" else choice)  # type: ignore[arg-type]
