"""A text field bound to its shared text in a room: every character kept, both ways, at once.

Both directions are synchronous, so the field's value and the shared text are equal after every
event and no edit is ever diffed against a stale value (a deferred binding lost characters when
two people typed in one field, research for issue 14):
- a local edit is pushed inside the field's value setter (FieldInput.watch_value) or inside
  TextArea.edit, as one splice of the shared text;
- a remote edit is applied inside the shared text's observer: the delta on the field's value,
  the cursor moved past what was inserted before it, and the field's undo history rebased on
  it (Ctrl+Z takes back this person's own typing, never what someone else typed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Input, TextArea
from textual.widgets.input import Selection as InputSelection
from textual.widgets.text_area import Selection as AreaSelection

from ...room.text_ops import apply_delta, moved_cursor, push_edit

if TYPE_CHECKING:
    from pycrdt import Subscription, Text, TextEvent

    from ..text_fields import UndoableText

LOCAL_ORIGIN = "reviewtui-local"
"""The origin of this process's own transactions: anything else in the document came from someone else."""


class FieldBinding:
    """Keeps one field (a FieldInput or a WideTextArea) equal to one shared Text."""

    def __init__(self, field: UndoableText, text: Text) -> None:
        self.field = field
        self.text = text
        self.pushing = False
        """True while this field's own edit is written to the text: its echo is not applied again."""
        self.applying = False
        """True while a remote edit is put into the field: it is not pushed back nor undoable."""
        self._subscription: Subscription | None = text.observe(self._on_text_event)

    def local_edit(self, before: str, after: str) -> None:
        """The person changed the field from `before` to `after`: write it to the shared text now."""
        if self.applying or self._subscription is None:
            return
        shared = str(self.text)
        # Equal by the binding's invariant; should they ever differ, the field's value wins whole
        # rather than a splice landing in the wrong place.
        base = before if before == shared else shared
        self.pushing = True
        try:
            with self.text.doc.transaction(origin=LOCAL_ORIGIN):
                push_edit(self.text, base, after)
        finally:
            self.pushing = False

    def _on_text_event(self, event: TextEvent) -> None:
        if self.pushing:
            return
        self.apply_remote(event.delta)

    def apply_remote(self, delta: Any) -> None:
        """Put someone else's change (a Yjs delta, in UTF-8 bytes) into the field, cursor kept in place."""
        widget = self.field
        before = widget._field_text()
        self.applying = True
        try:
            if isinstance(widget, Input):
                _into_input(widget, delta)
            elif isinstance(widget, TextArea):
                _into_text_area(widget, delta)
        finally:
            self.applying = False
        widget.rebase_history(before)

    def unbind(self) -> None:
        if self._subscription is not None:
            self.text.unobserve(self._subscription)
            self._subscription = None
        if self.field.room_binding is self:
            self.field.room_binding = None


def _into_input(field: Input, delta: Any) -> None:
    old = field.value
    start, end = field.selection
    new = apply_delta(old, delta)
    field.value = new
    field.selection = InputSelection(moved_cursor(old, delta, start), moved_cursor(old, delta, end))


def _into_text_area(area: TextArea, delta: Any) -> None:
    from ...session.text_history import change_between

    old = area.text
    document = area.document
    anchor = document.get_index_from_location(area.selection.start)
    cursor = document.get_index_from_location(area.selection.end)
    new = apply_delta(old, delta)
    change = change_between(old, new)
    # One replace of the changed span keeps the scroll and the wrapping of the rest.
    area.replace(
        change.inserted,
        document.get_location_from_index(change.start),
        document.get_location_from_index(change.start + len(change.removed)),
        maintain_selection_offset=False,
    )
    document = area.document
    area.selection = AreaSelection(
        document.get_location_from_index(moved_cursor(old, delta, anchor)),
        document.get_location_from_index(moved_cursor(old, delta, cursor)),
    )


def bind_field(field: UndoableText) -> FieldBinding | None:
    """Bind a mounted field to its text in the app's shared draft; None when it stays local.

    A field stays local when the draft has no such text (a form's field, a row not synced yet)
    or when it shows other text than the draft holds (a one-line field shows line breaks as
    spaces): its edits then reach the room with the step's other edits (live_steps).
    """
    shared = getattr(field.app, "shared_draft", None)  # type: ignore[attr-defined]
    if shared is None or not field.field_key:
        return None
    text = shared.text_at(field.field_key)
    if text is None or str(text) != field._field_text():
        return None
    if field.room_binding is not None:
        field.room_binding.unbind()
    field.room_binding = FieldBinding(field, text)
    return field.room_binding
