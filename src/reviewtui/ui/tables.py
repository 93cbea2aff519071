"""A table whose long columns are cut to the width with `…`, not run off the screen.

At 80 columns the evidence log's "What happened" and the timeline's key figures ran past the
right edge, with only a thin scrollbar to say so. Here the widest columns give way first and
a cut cell ends in `…` (the full text is in the row's detail, or the record it opens).
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual.events import Resize
from textual.widgets import DataTable

from .shown_markup import escape

MIN_WIDTH = 8
"""No column is cut narrower than this (or its header); the table scrolls sideways below it."""


def cut(text: str, width: int) -> str:
    """`text` in at most `width` cells, ending in `…` when something was cut."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)).rstrip() + "…"


def column_widths(headers: list[str], rows: list[list[str]], width: int, padding: int = 1) -> list[int]:
    """Each column's width so the table fits `width`: the widest columns give way first."""
    widths = [
        max([cell_len(header), *(cell_len(row[index]) for row in rows)])
        for index, header in enumerate(headers)
    ]
    floors = [max(cell_len(header), MIN_WIDTH) for header in headers]
    budget = width - 2 * padding * len(headers)
    excess = sum(widths) - budget
    while excess > 0:
        widest = max(range(len(widths)), key=lambda index: widths[index] - floors[index])
        if widths[widest] <= floors[widest]:
            break
        widths[widest] -= 1
        excess -= 1
    return widths


class FittedTable(DataTable):
    """A row table of plain text (never markup) that fits the width, long cells cut with `…`."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._headers: list[str] = []
        self._plain: list[tuple[str, list[str]]] = []
        self._widths: list[int] = []

    def set_rows(self, headers: list[str], rows: list[tuple[str, list[str]]]) -> None:
        """The table's columns, and its rows as (key, cells)."""
        if not self.columns:
            self.add_columns(*headers)
        self._headers, self._plain = headers, rows
        self._fill(force=True)

    def on_resize(self, event: Resize) -> None:
        self._fill()

    def _fill(self, force: bool = False) -> None:
        width = self.scrollable_content_region.width or self.size.width
        if not width:
            return
        widths = column_widths(self._headers, [cells for _, cells in self._plain], width, self.cell_padding)
        if widths == self._widths and not force:
            return
        self._widths = widths
        row = self.cursor_row
        self.clear()
        for key, cells in self._plain:
            # Cut as typed, then escaped: DataTable reads a string as markup.
            self.add_row(
                *(escape(cut(cell, size)) for cell, size in zip(cells, widths, strict=False)), key=key
            )
        if self._plain:
            self.move_cursor(row=min(row, len(self._plain) - 1))
