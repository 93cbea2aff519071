"""The home screen's two lists: drafts in progress and records, each with its own key."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.widgets import DataTable

from .shown_markup import markup_text

if TYPE_CHECKING:  # the drafts' models load pydantic; the first frame must not
    from ..models.draft import AlignmentDraft
    from ..storage.drafts import DraftFile
    from ..storage.rubrics import RubricCatalog


class DraftsTable(DataTable):
    """The drafts list; its own key shows in the footer only while a draft is highlighted.

    At 80 columns the footer has room for the home keys and one of discard or timeline.
    """

    BINDINGS = [
        Binding(
            "d,delete",
            "screen.discard",
            "Discard",
            id="home.discard",
            tooltip="Discard the highlighted draft",
        )
    ]

    def list_ids(self, draft_ids: list[str]) -> None:
        """Drafts from their file names, before the models load: Enter resumes one already."""
        self.clear()
        for draft_id in draft_ids:
            self.add_row("…", "…", "reading the draft", "", key=draft_id)

    def list_drafts(
        self,
        drafts: list[DraftFile],
        catalog: RubricCatalog | None,
        step_text: Callable[[AlignmentDraft], str],
    ) -> None:
        """The drafts as read, the highlighted one kept highlighted."""
        highlighted = self._highlighted_key()
        self.clear()
        for item in drafts:
            draft = item.draft
            rubric = catalog.get(draft.rubric_id) if catalog else None
            role = rubric.rubric.title if rubric else "not chosen"
            name = markup_text(draft.employee_name) if draft.employee_name else "(no name yet)"
            step = f"{draft_kind(draft)} {step_text(draft)}"
            self.add_row(name, markup_text(role), step, last_saved(draft), key=draft.id)
        if highlighted in self.rows:
            self.move_cursor(row=self.get_row_index(highlighted), animate=False)

    def _highlighted_key(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value


class RecordsTable(DataTable):
    """The records list; its own key shows in the footer only while a record is highlighted."""

    BINDINGS = [
        Binding(
            "t", "screen.timeline", "Timeline", id="home.timeline", tooltip="The employee's records in order"
        )
    ]


def draft_kind(draft: AlignmentDraft) -> str:
    from .discard import draft_kind as kind  # the drafts' models: imported with the first draft

    return kind(draft)


def last_saved(draft: AlignmentDraft) -> str:
    from .discard import last_saved as saved

    return saved(draft)
