"""A line under a scrolling text that says whether there is more, and how to leave."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Static


def more_text(scroll_y: float, max_scroll_y: float, leave: str) -> str:
    """What the line says: more below, more above, or all of it in view."""
    if max_scroll_y <= 0:
        return leave
    if scroll_y < max_scroll_y:
        where = "more above and below" if scroll_y > 0 else "more below"
        return f"[b]▼ {where}[/] (↓ PgDn, End) · {leave}"
    return f"[b]▲ end; more above[/] (↑ PgUp, Home) · {leave}"


class MoreHint(Static):
    """Says whether the scrolling widget `target` has more text than is in view.

    The scrollbar alone is easy to miss, and without colour (NO_COLOR) it is hardly there.
    """

    DEFAULT_CSS = """
    MoreHint { height: 1; width: 1fr; color: $text-muted; }
    """

    def __init__(self, target: Widget, leave: str, **kwargs: str) -> None:
        super().__init__(**kwargs)
        self.target = target
        self.leave = leave

    def on_mount(self) -> None:
        self.watch(self.target, "scroll_y", self.refresh_hint)
        self.watch(self.target, "virtual_size", self.refresh_hint)

    def on_resize(self) -> None:
        self.call_after_refresh(self.refresh_hint)

    def refresh_hint(self) -> None:
        text = more_text(self.target.scroll_y, self.target.max_scroll_y, self.leave)
        if self.content != text:
            self.update(text)


def scroll_mark(scroll_y: float, max_scroll_y: float) -> str:
    """The status line's short mark: is there more of the step below, or above, what is in view."""
    if max_scroll_y <= 0:
        return ""
    return "[b]▼ more below[/] " if scroll_y < max_scroll_y else "[b]▲ more above[/] "


class ScrollMark(Static):
    """At the end of a step's status line: whether the step has more than is in view.

    The scrollbar is easy to miss and, without colour, hardly there: the confirmations at
    the end of the agree step were found only by tabbing into them.
    """

    DEFAULT_CSS = """
    ScrollMark { width: auto; dock: right; color: $text-muted; }
    """

    def __init__(self, target: Widget, **kwargs: str) -> None:
        super().__init__(**kwargs)
        self.target = target

    def on_mount(self) -> None:
        self.watch(self.target, "scroll_y", self.refresh_mark)
        self.watch(self.target, "virtual_size", self.refresh_mark)

    def on_resize(self) -> None:
        self.call_after_refresh(self.refresh_mark)

    def refresh_mark(self) -> None:
        text = scroll_mark(self.target.scroll_y, self.target.max_scroll_y)
        if self.content != text:
            self.update(text)
