"""A record's tables at any width: a table where it fits, one block per row where it does not.

At 80 columns an eight-column table gave each cell a few characters (`Base…`, `Targ…`) and
wrapped a reason into a column eight wide. Where a table does not fit, each row becomes a
block: its first cell as a heading, then `Header: value` pairs, packed on lines as they fit;
a long value (a reason, a how) wraps under its label.
"""

from __future__ import annotations

from textual.containers import Vertical
from textual.content import Content
from textual.events import Resize
from textual.widgets import Markdown, Static
from textual.widgets._markdown import MarkdownTable

SEPARATOR = " · "
INDENT = 2


def table_width(headers: list[Content], rows: list[list[Content]]) -> int:
    """The columns a table needs with no cell wrapped: each padded by one, keylines between.

    Textual's grid squeezes columns to their first letters rather than wrap prose well, so a
    table is kept only where every cell fits on its line.
    """
    columns = [header.cell_length for header in headers]
    for row in rows:
        for index, cell in enumerate(row[: len(columns)]):
            columns[index] = max(columns[index], cell.cell_length)
    return sum(width + 2 for width in columns) + len(columns) + 1


def pack(pairs: list[Content], width: int) -> list[Content]:
    """Pairs on as few lines as keep each line within `width`; a wider pair has its own line."""
    lines: list[Content] = []
    line: Content | None = None
    for pair in pairs:
        if line is not None and line.cell_length + len(SEPARATOR) + pair.cell_length <= width:
            line = line + SEPARATOR + pair
            continue
        if line is not None:
            lines.append(line)
        line = pair
    return [*lines, line] if line is not None else lines


def row_block(headers: list[Content], row: list[Content], width: int) -> Content:
    """One row as a block: the first cell in bold, then the other cells as `Header: value`."""
    if not row:
        return Content("")
    heading = row[0].stylize("bold")
    pairs = [
        Content.assemble((f"{header.plain}: ", "dim"), cell)
        for header, cell in zip(headers[1:], row[1:], strict=False)
    ]
    return Content("\n").join([heading, *pack(pairs, width - INDENT)])


class RecordTable(MarkdownTable):
    """A Markdown table that turns into blocks, one per row, when the screen is too narrow for it."""

    DEFAULT_CSS = """
    RecordTable > .row-blocks { height: auto; display: none; }
    RecordTable > .row-blocks > Static { height: auto; margin-bottom: 1; padding: 0 0 0 2; }
    RecordTable > .row-blocks > Static:last-of-type { margin-bottom: 0; }
    RecordTable.-blocks > .row-blocks { display: block; }
    RecordTable.-blocks > MarkdownTableContent { display: none; }
    """

    def compose(self):  # type: ignore[no-untyped-def]
        yield from super().compose()
        yield Vertical(*(Static(classes="row-block") for _ in self._rows), classes="row-blocks")

    def on_resize(self, event: Resize) -> None:
        self.fit_width(event.size.width)

    def fit_width(self, width: int) -> None:
        """A table if it fits in `width`, else a block per row."""
        blocks = table_width(self._headers, self._rows) > width
        self.set_class(blocks, "-blocks")
        if blocks:
            for static, row in zip(self.query(".row-block").results(Static), self._rows, strict=False):
                static.update(row_block(self._headers, row, width - INDENT))


class RecordMarkdown(Markdown):
    """The record's Markdown, with tables that fit the width."""

    BLOCKS = {**Markdown.BLOCKS, "table_open": RecordTable}
