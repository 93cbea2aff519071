"""Markdown building blocks for a record's summary: list items, labelled paragraphs, tables (pure).

Text from the record goes in as typed; these keep it from changing the document's structure
(a leading blank starting a code block, a `|` ending a table cell).
"""

from __future__ import annotations


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _lines(text: str) -> list[str]:
    # Leading blanks would turn a line into a code block (four spaces or a tab) or a list item's body.
    return [line.strip().replace("\t", " ") for line in text.split("\n")]


def list_item(head: str, text: str = "", *, own_line: bool = False) -> list[str]:
    """A list item: `head`, then `text` as the item's own paragraphs (after a line break if `own_line`)."""
    body = _lines(text) if text else []
    if body and own_line:
        head += "\\"  # a hard line break
    elif body:
        head = f"{head} {body.pop(0)}" if head else body.pop(0)
    return [f"- {head}", *(f"  {line}" if line else "" for line in body)]


def labelled(label: str, text: str) -> list[str]:
    """`**label** text` as a paragraph of its own; nothing when there is no text."""
    if not text:
        return []
    first, *rest = _lines(text)
    return ["", f"**{label}** {first}", *rest]


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A table after a blank line; a `|` or a line break in a cell stays inside the cell."""
    lines = ["", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
