"""A text panel that scrolls when its text does not fit, and says so on a line of its own."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static


class _PanelScroll(VerticalScroll):
    """The scrolling part: focusable only while there is more to see, so Tab skips it otherwise."""

    def allow_focus(self) -> bool:
        return self.max_scroll_y > 0

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if isinstance(self.parent, MorePanel):
            self.parent.show_more()

    def on_resize(self) -> None:
        if isinstance(self.parent, MorePanel):
            self.parent.show_more()


class MorePanel(Vertical):
    """Markup text with a height limit (set in CSS on `.panel-text`); `▼ n more lines` when cut.

    The panel joins the Tab order only while it is cut, so the arrows can scroll it.
    """

    DEFAULT_CSS = """
    MorePanel { height: auto; padding: 0 1; margin-bottom: 1; }
    MorePanel > VerticalScroll { height: auto; max-height: 8; scrollbar-size-vertical: 1; }
    MorePanel > VerticalScroll:focus { background: $boost; }
    MorePanel .panel-text-body { height: auto; }
    MorePanel > .panel-more { height: 1; color: $text-muted; display: none; }
    MorePanel.-cut > .panel-more { display: block; }
    """

    def __init__(self, *, id: str | None = None, classes: str = "") -> None:
        super().__init__(id=id, classes=classes)
        self._text = ""

    def compose(self) -> ComposeResult:
        with _PanelScroll(classes="panel-text"):
            yield Static(self._text, classes="panel-text-body")
        yield Static(classes="panel-more")

    def update(self, markup: str) -> None:
        """Show this text from its top."""
        self._text = markup
        if not self.is_mounted:
            return
        self.query_one(".panel-text-body", Static).update(markup)
        scroll = self.query_one(_PanelScroll)
        scroll.scroll_home(animate=False)
        self.call_after_refresh(self.show_more)

    @property
    def text(self) -> str:
        """The markup shown."""
        return self._text

    def show_more(self) -> None:
        """Say how much is below (or above) what is visible, and let Tab reach the panel when cut."""
        if not self.is_mounted:
            return
        scroll = self.query_one(_PanelScroll)
        below = max(0, round(scroll.max_scroll_y - scroll.scroll_y))
        above = round(scroll.scroll_y)
        self.set_class(scroll.max_scroll_y > 0, "-cut")
        if below:
            hint = "↓ scrolls" if scroll.has_focus else "Tab here, then ↓"
            text = f"▼ {below} more line{'s' if below != 1 else ''} · {hint}"
        elif above:
            text = "▲ end of the text · ↑ goes back up"
        else:
            text = ""
        more = self.query_one(".panel-more", Static)
        if more.content != text:
            more.update(text)

    def on_descendant_focus(self) -> None:
        self.show_more()

    def on_descendant_blur(self) -> None:
        self.show_more()
