"""Text fields: one-line inputs and text areas that lose nothing typed.

Keys land in the order typed (joiners and direction marks included), nothing is selected on
focus, a field holds at most what a draft keeps, Ctrl+Z / Ctrl+Y undo and redo from the app's
history of the field, and an unfocused one-line field that is cut at its right edge ends in `…`.
"""

from __future__ import annotations

import time
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, TextArea
from textual.widgets.text_area import Edit, EditResult, Location

from ..models.base import LONG_TEXT_MAX
from ..session.text_history import Restore, TextHistories, TextHistory


def widget_id(key: str) -> str:
    """A field key (`partners.0.name`) as a widget id (`partners-0-name`)."""
    return key.replace(".", "-")


# Typed characters that draw nothing but change the text: Textual's widgets insert only
# "printable" characters, and these are not (str.isprintable() is False for format
# characters), so a terminal's keys for them were dropped. Without them an emoji ZWJ
# sequence (👩‍💻) falls apart into two emoji, Persian words typed with a non-joiner
# (می‌خواهم) run together, and a direction mark in mixed Arabic or Hebrew text is lost.
KEPT_FORMAT_CHARACTERS = frozenset("\u200c\u200d\u200e\u200f\u061c")


class TypingInOrder:
    """For Input and TextArea: every key lands in the order typed, joiners and marks included.

    Textual inserts a printable character as soon as the field reads its key, but a bound
    key (Backspace, Left, Home...) first bubbles up to the app, which then runs the field's
    action: a character typed right after it, while the app is busy, was inserted first
    (textual#6605; the fix proposed upstream, textual#6631, does the same as here). The
    field's own bindings run here, in order; priority bindings (Ctrl+N, Ctrl+Q...) were
    already checked by the app before the key reached the field.
    """

    async def _on_key(self, event: events.Key) -> None:
        widget: Widget = self  # type: ignore[assignment]
        for binding in widget._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await widget.app.run_action(binding.action, widget):
                event.stop()
                event.prevent_default()
                return
        if event.character in KEPT_FORMAT_CHARACTERS and not getattr(self, "read_only", False):
            event.stop()
            event.prevent_default()
            start, end = self.selection  # type: ignore[attr-defined]
            if isinstance(self, Input):
                self.replace(event.character, start, end)
            elif isinstance(self, TextArea):
                self.replace(event.character, start, end, maintain_selection_offset=False)
            return
        await super()._on_key(event)  # type: ignore[misc]


def text_histories(widget: Widget) -> TextHistories:
    """The app's undo histories (the app starts afresh with each draft)."""
    app = widget.app
    histories = getattr(app, "text_histories", None)
    if histories is None:  # an app other than reviewtui's (a test's): the history lives with it
        histories = app.text_histories = TextHistories()  # type: ignore[attr-defined]
    return histories


def history_key(widget: Widget) -> str:
    """A field's key in the app's histories: the same field on a rebuilt screen finds its history."""
    return f"{type(widget.screen).__name__}/{widget.id}"


def forget_histories(screen: Widget, id_prefix: str) -> None:
    """Forget the undo histories of fields whose id starts with `id_prefix` (rows renumbered)."""
    text_histories(screen).forget(f"{type(screen).__name__}/{id_prefix}")


class UndoableText:
    """Ctrl+Z and Ctrl+Y from the app's history of this field, and the cursor at the end on focus.

    Textual selects an Input's whole text on focus, so the first key replaced it (and the
    change was autosaved); TextArea keeps its own undo, which is lost when the step is rebuilt.
    """

    _text_history: TextHistory | None = None
    field_key: str | None = None
    """The draft field this widget edits (`partners.0.name`): in a room it is bound to that field's shared text."""
    room_binding: Any = None
    """While in a room: the ui.room.binding.FieldBinding that keeps this field and the shared text equal."""

    def _field_text(self) -> str:
        raise NotImplementedError

    def _put_back(self, restore: Restore) -> None:
        raise NotImplementedError

    def _on_mount(self, event: events.Mount) -> None:
        widget: Widget = self  # type: ignore[assignment]
        if widget.id:
            self._text_history = text_histories(widget).of(history_key(widget), self._field_text())
        if self.field_key and getattr(widget.app, "shared_draft", None) is not None:
            from .room.binding import bind_field  # only in a room: pycrdt loads then

            bind_field(self)

    def _on_unmount(self, event: events.Unmount) -> None:
        if self.room_binding is not None:
            self.room_binding.unbind()

    def _text_changed(self) -> None:
        # Someone else's edit is not this person's to undo: the binding rebases the history on it.
        remote = self.room_binding is not None and self.room_binding.applying
        if self._text_history is not None and not remote:
            self._text_history.record(self._field_text(), time.monotonic())

    def _edited_locally(self, before: str, after: str) -> None:
        """In a room: hand a local edit to the shared text at once (before any remote edit lands)."""
        if self.room_binding is not None and before != after:
            self.room_binding.local_edit(before, after)

    def rebase_history(self, before: str) -> None:
        """Someone else changed the text from `before`: Ctrl+Z keeps their change (text_history.rebase)."""
        if self._text_history is not None:
            self._text_history.rebase(before, self._field_text())

    def _step(self, restore: Restore | None) -> None:
        widget: Widget = self  # type: ignore[assignment]
        if restore is None:
            widget.app.bell()  # nothing (more) to undo or redo
        elif not getattr(self, "read_only", False):
            self._put_back(restore)  # the field's Changed message then autosaves it as any edit

    def action_undo(self) -> None:
        if self._text_history is not None:
            self._step(self._text_history.undo())

    def action_redo(self) -> None:
        if self._text_history is not None:
            self._step(self._text_history.redo())


class WideTextArea(UndoableText, TypingInOrder, TextArea):
    """A TextArea whose keys land in the order typed, joiners and direction marks included.

    Like the one-line fields, it holds at most what a draft keeps (LONG_TEXT_MAX characters):
    a longer paste is refused and said so, instead of making a draft that cannot be read back.
    Its undo (Ctrl+Z, Ctrl+Y; bound by TextArea) uses the app's history, as the one-line fields do.
    """

    max_length = LONG_TEXT_MAX

    def __init__(self, *args: Any, field_key: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.field_key = field_key

    def _replace_via_keyboard(self, insert: str, start: Location, end: Location) -> EditResult | None:
        # Every typed key and paste goes through here; deleting never grows the text.
        kept = len(self.text) - len(self.get_text_range(*sorted((start, end))))
        if kept + len(insert) > self.max_length:
            too_long(self, self.max_length, insert, kept + len(insert))
            return None
        return super()._replace_via_keyboard(insert, start, end)

    def edit(self, edit: Edit) -> EditResult:
        # Every change of the text, typed or not, goes through here.
        before = self.text
        result = super().edit(edit)
        self._text_changed()
        self._edited_locally(before, self.text)
        return result

    def _undo_batch(self, edits: Any) -> None:
        before = self.text  # TextArea's own undo (not bound to a key here) changes the text too
        super()._undo_batch(edits)
        self._edited_locally(before, self.text)

    def _redo_batch(self, edits: Any) -> None:
        before = self.text
        super()._redo_batch(edits)
        self._edited_locally(before, self.text)

    def _field_text(self) -> str:
        return self.text

    def _put_back(self, restore: Restore) -> None:
        self.replace(restore.text, (0, 0), self.document.end, maintain_selection_offset=False)
        self.move_cursor(self.document.get_location_from_index(restore.cursor))

    def _on_focus(self, event: events.Focus) -> None:
        if not event.from_app_focus:  # a click then puts the cursor where it was clicked
            self.move_cursor(self.document.end)


def too_long(widget: Widget, limit: int, insert: str, length: int) -> None:
    """Say why a paste or a key did nothing: it would take the field past its cap, by how much."""
    widget.app.bell()
    over = length - limit
    if len(insert) <= 1:
        message = f"This field is full: it holds at most {limit:,} characters, so the key was not added."
    else:
        message = (
            f"The paste of {len(insert):,} characters was not added: this field holds at most {limit:,} "
            f"characters and it would have made {length:,}, {over:,} too many. Shorten it and paste again."
        )
    widget.notify(message, severity="warning", timeout=8)


class FieldInput(UndoableText, TypingInOrder, Input):
    """A one-line input whose typing repaints the input alone.

    Textual's Input asks for a layout of the whole screen whenever its text changes length
    (its virtual size is a layout reactive): on the targets step with ten metrics, some 200
    widgets, that layout was most of the time from a keystroke to the screen (about 40 ms).
    The virtual size only sets how far the input scrolls; the input's own size never depends
    on its text (an auto-sized input still asks for a layout itself), so here it is kept
    without a layout.
    """

    BINDINGS = [
        Binding("ctrl+z", "undo", "Undo", show=False, id="text.undo"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="text.redo"),
    ]

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("select_on_focus", False)  # one key would replace the whole field
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def watch_value(self, old: str, new: str) -> None:
        self._text_changed()  # at once, not from the Changed message: undo sets the value too
        self._edited_locally(old, new)  # in the setter, so no remote edit lands in between

    def _field_text(self) -> str:
        return self.value

    def _put_back(self, restore: Restore) -> None:
        self.value = restore.text
        self.cursor_position = restore.cursor

    def _on_focus(self, event: events.Focus) -> None:
        if not event.from_app_focus:  # a click then puts the cursor where it was clicked
            self.cursor_position = len(self.value)

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        width = self.scrollable_content_region.width
        if y or self.has_focus or width < 2 or cell_len(self.value) - self.scroll_offset.x <= width:
            return strip
        # The text goes on past the right edge: say so, as a cut table cell does.
        more = Strip([Segment("…", self.rich_style)])
        return Strip.join([strip.crop(0, width - 1), more]).extend_cell_length(strip.cell_length)

    def replace(self, text: str, start: int, end: int) -> None:
        # Textual only rings the bell when text would pass max_length: say so, with the sizes.
        start, end = sorted((max(0, start), min(len(self.value), end)))
        length = len(self.value) - (end - start) + len(text)
        if self.max_length and length > self.max_length:
            too_long(self, self.max_length, text, length)
            return
        super().replace(text, start, end)

    def _on_paste(self, event: events.Paste) -> None:
        # Textual keeps the first line of a paste and drops the others without a word; a one-line
        # field keeps them all, each line break a space (as for line breaks in a record's text).
        event.prevent_default()
        event.stop()
        text = " ".join(event.text.splitlines())
        if text:
            self.replace(text, *self.selection)


def text_input(key: str, value: str, *, placeholder: str = "", max_length: int = 0) -> Input:
    """A compact one-line input whose id comes from its field key."""
    # A one-line input cannot show line breaks (text from a record may hold some): they become spaces.
    one_line = " ".join(value.splitlines()) if "\n" in value or "\r" in value else value
    # Without a limit of its own a field holds what a draft keeps: a longer paste used to
    # crash the step (or write a draft that could not be read back).
    field = FieldInput(
        one_line,
        placeholder=placeholder,
        id=widget_id(key),
        max_length=max_length or LONG_TEXT_MAX,
        compact=True,
    )
    field.field_key = key
    return field
