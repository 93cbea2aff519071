"""What both fill screens share: the header line, the edit reports, rows that Ctrl+R removes."""

from __future__ import annotations

import itertools
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Select, Static, TextArea

from ...models.preparation import Preparation
from ..confirm_remove import RemoveRowScreen
from ..shown_markup import markup_text
from .answers import Answers

ROW = "prep-row"
"""Class of a removable row (an objective, a topic, an observation)."""


def intro_line(preparation: Preparation) -> str:
    """Who the file is for, about whom, for which review, and by when."""
    period = preparation.period
    about = (
        "your review" if preparation.role == "employee" else f"{markup_text(preparation.employee)}'s review"
    )
    due = f" · [b]due {preparation.due.isoformat()}[/]" if preparation.due else ""
    return (
        f"[b]{markup_text(preparation.name)}[/]: preparing {about} of {markup_text(period.label)} "
        f"with {markup_text(preparation.manager)}{due}"
    )


def input_value(root: Widget, widget_id: str) -> str:
    return root.query_one(f"#{widget_id}", Input).value


def select_value(root: Widget, widget_id: str) -> object | None:
    value = root.query_one(f"#{widget_id}", Select).value
    return None if value is Select.NULL else value


class FillScreen(Screen[None]):
    """A preparation's fields; every edit is reported to the app, which saves a second later."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "remove_row", "Remove row", id="fill.remove_row"),
    ]

    def __init__(self, preparation: Preparation) -> None:
        super().__init__()
        self.preparation = preparation
        self._row_numbers = itertools.count(1)
        """Rows get ids that are never reused, so removing one renumbers nothing."""

    def next_row(self) -> int:
        return next(self._row_numbers)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(intro_line(self.preparation), id="prep-intro")
        yield from self.compose_body()
        yield Static(id="prep-status")
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def answers(self) -> Answers:
        """What the fields hold now."""
        return Answers()

    def show_status(self, text: str) -> None:
        self.query_one("#prep-status", Static).update(text)

    def on_mount(self) -> None:
        for widget in self.query("Input, Select, TextArea"):
            if widget.focusable:
                widget.focus(scroll_visible=False)
                break
        self.app.answers_edited(initial=True)  # type: ignore[attr-defined]

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _edited(self) -> None:
        if self.is_mounted:
            self.app.answers_edited()  # type: ignore[attr-defined]

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._restyle_line_of(event.widget)
        self.call_after_refresh(self._show_block_of, event.widget)  # after Textual's own scroll

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._restyle_line_of(event.widget)

    def _restyle_line_of(self, widget: Widget) -> None:
        # The focused field's label turns reverse (app.tcss, `.field-line:focus-within`); inside
        # the tabs Textual did not restyle the label when the focus moved, so it is done here.
        line = widget.parent
        if line is not None and line.has_class("field-line"):
            self.app.stylesheet.update_nodes(line.walk_children(with_self=True), animate=False)

    def _show_block_of(self, widget: Widget) -> None:
        """Scroll a focused field's block (a competency, an observation) in with its heading when it fits."""
        block = next((a for a in widget.ancestors if a.has_class("prep-block")), None)
        body = next((a for a in widget.ancestors if isinstance(a, VerticalScroll)), None)
        if self.focused is not widget or block is None or body is None or not body.content_region.height:
            return
        view = body.content_region
        if block.region.y >= view.y and widget.region.bottom <= view.bottom:
            return
        if widget.region.bottom - block.region.y <= view.height:
            body.scroll_to_widget(block, animate=False, top=True)

    def focused_row(self) -> Widget | None:
        focused = self.focused
        return next((a for a in focused.ancestors_with_self if a.has_class(ROW)), None) if focused else None

    async def action_remove_row(self) -> None:
        """Remove the row holding the focus (asked first when something is typed in it)."""
        row = self.focused_row()
        if row is None:
            self.notify("Move into the row to remove first (an objective, a topic, an observation).")
            return
        typed = [field.value.strip() for field in row.query(Input) if field.value.strip()]
        if not typed:
            await self._remove(row)
            return

        async def chosen(remove: bool | None) -> None:
            if remove and row.is_attached:
                await self._remove(row)

        self.app.push_screen(RemoveRowScreen(row.name or "this row", typed[0]), chosen)

    async def _remove(self, row: Widget) -> None:
        siblings = list(row.parent.children) if row.parent else []
        position = siblings.index(row)
        await row.remove()
        rest = [sibling for sibling in siblings if sibling is not row]
        if rest:
            target = rest[min(position, len(rest) - 1)]
            next(iter(target.query("Input, Select")), target).focus()
        self.app.answers_edited()  # type: ignore[attr-defined]
