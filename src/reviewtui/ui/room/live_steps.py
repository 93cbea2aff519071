"""The step on screen kept live with the room's shared draft, in both the host's and a participant's app.

Text fields are bound one by one (binding.py). The rest of a draft (rows added or removed,
metrics chosen, a level picked, a box ticked, fields not on this step) goes two ways here:
- the step's own edits (its DraftEdited) are merged into the shared draft: only what this person
  changed since the step last matched the room is written, so a value someone else changed
  meanwhile is not put back by a widget still showing the old one;
- someone else's change becomes the step's draft, and when it touches what the step shows, the
  step is rebuilt in place with the focused field, its cursor and the scroll kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.widgets import Input, TextArea

from ...models.draft_json import draft_from_data
from ..text_fields import FieldInput, WideTextArea, widget_id
from .binding import LOCAL_ORIGIN, bind_field

if TYPE_CHECKING:
    from pycrdt import Subscription
    from textual.app import App

    from ...models.draft import AlignmentDraft
    from ...room.shared_draft import SharedDraft
    from ..steps.base import StepScreen

PARTICIPANT_KEEPS_OUT = frozenset(
    {
        "step",  # each person's own step; the host's is room.host_step
        "updated_at",
        "id",
        "kind",
        "created_at",
        "draft_version",
        "base",
        "follows",
        "from_scratch",
        "employee_confirmed",
        "manager_confirmed",
        "employee_confirmed_at",
        "manager_confirmed_at",
        "employee_confirmed_via",
        "manager_confirmed_via",
        "partner_confirmations",
        "contributions",
        *("employee_name", "manager_name", "partners", "rubric_id"),
    }
)
"""Draft keys a participant never writes (room/guard.py refuses them): the room's value always wins."""

QUIET_ORIGINS = frozenset({LOCAL_ORIGIN, "load"})


def merged(base: Any, mine: Any, theirs: Any) -> Any:
    """Three-way merge of plain data: what changed from `base` to `mine`, applied on `theirs`."""
    if mine == base:
        return theirs
    if theirs in (base, mine):
        return mine
    if isinstance(base, dict) and isinstance(mine, dict) and isinstance(theirs, dict):
        keys = [*theirs, *(key for key in mine if key not in theirs)]
        result = {}
        for key in keys:
            if key not in mine and key in base:
                continue  # removed here
            value = merged(base.get(key), mine.get(key), theirs.get(key)) if key in theirs else mine[key]
            result[key] = value
        return result
    if isinstance(base, list) and isinstance(mine, list) and isinstance(theirs, list):
        rows = merged_rows(base, mine, theirs)
        if rows is not None:
            return rows
    return mine  # both changed the same value: this person's latest edit is what they see


ROW_IDS = ("id", "metric", "competency", "check")
"""What names a row in the draft's lists that have identities (metrics, results, ratings, reasons)."""


def _row_id(row: Any) -> Any:
    if isinstance(row, dict):
        return next((("id", key, row[key]) for key in ROW_IDS if isinstance(row.get(key), str)), None)
    return None


def merged_rows(base: list[Any], mine: list[Any], theirs: list[Any]) -> list[Any] | None:
    """Rows both changed: this person's rows added and removed, on the rows as the room has them.

    Two people adding a row at once keep both rows; a row removed here goes without taking back
    what someone else typed in the others meanwhile. None when the change cannot be told apart.
    """
    ids = [_row_id(row) for row in (*base, *mine, *theirs)]
    if all(key is not None for key in ids) and len(set(map(_row_id, base))) == len(base):
        return _merged_by_identity(base, mine, theirs)
    if len(base) == len(mine) == len(theirs):
        return [merged(b, m, t) for b, m, t in zip(base, mine, theirs, strict=True)]
    if len(mine) > len(base) and mine[: len(base)] == base:  # rows added at the end here
        return [*theirs, *mine[len(base) :]]
    if len(mine) == len(base) - 1 and len(theirs) == len(base):  # one row removed here
        gone = next((i for i in range(len(base)) if base[:i] + base[i + 1 :] == mine), None)
        if gone is not None:
            return theirs[:gone] + theirs[gone + 1 :]
    return None


def _merged_by_identity(base: list[Any], mine: list[Any], theirs: list[Any]) -> list[Any]:
    before = {_row_id(row): row for row in base}
    here = {_row_id(row): row for row in mine}
    removed = set(before) - set(here)
    result = []
    for row in theirs:
        key = _row_id(row)
        if key in removed:
            continue
        result.append(merged(before[key], here[key], row) if key in before and key in here else row)
    there = {_row_id(row) for row in theirs}
    result.extend(row for row in mine if _row_id(row) not in before and _row_id(row) not in there)
    return result


class LiveSteps:
    """Keeps an app's step screens and the room's shared draft together.

    `on_remote(draft)` hears every change someone else made (the host hands it to its session
    driver); `keeps_out` are draft keys this app never writes (a participant's PARTICIPANT_KEEPS_OUT).
    `own_step` gives the step number this app shows (a participant's own; None: the draft's).
    """

    def __init__(
        self,
        app: App[Any],
        shared: SharedDraft,
        *,
        on_remote: Callable[[AlignmentDraft], None] | None = None,
        keeps_out: frozenset[str] = frozenset(),
        own_step: Callable[[], int] | None = None,
    ) -> None:
        self.app = app
        self.shared = shared
        self.on_remote = on_remote
        self.keeps_out = keeps_out
        self.own_step = own_step
        self._touched: set[str] = set()
        self._due = False
        # The root's object holds the subscription: both are kept, or pycrdt drops the observer.
        self._root = shared.doc["draft"]
        self._subscription: Subscription | None = self._root.observe_deep(self._on_events)

    def stop(self) -> None:
        if self._subscription is not None:
            self._root.unobserve(self._subscription)
            self._subscription = None

    # Local edits -> room -------------------------------------------------------------

    def shown(self, screen: StepScreen) -> None:
        """A step screen is about to show its draft: what it changes from here on is this person's."""
        screen._room_base = screen.draft.model_dump(mode="json")  # type: ignore[attr-defined]

    def local_edit(self, screen: StepScreen) -> AlignmentDraft:
        """Merge what the step holds now into the shared draft; returns the draft as the room has it."""
        theirs = self.shared.draft_data()
        mine = screen.collect().model_dump(mode="json")
        base = getattr(screen, "_room_base", None)
        if base is None:  # not announced with shown(): only what differs from the room is known
            base = theirs
        result = merged(base, mine, theirs)
        written = [key for key in {*result, *theirs} if key not in self.keeps_out]
        if any(result.get(key) != theirs.get(key) for key in written):
            self.shared.reconcile(result, origin=LOCAL_ORIGIN, only=written)
        screen._room_base = mine  # type: ignore[attr-defined]
        now = self.shared.draft_data()
        draft = self._shown(draft_from_data(now))
        screen.draft = draft
        if any(now.get(key) != mine.get(key) for key in written if key in mine):
            # Someone else's rows or picks were kept beside this person's: the step shows them all.
            screen._room_base = now  # type: ignore[attr-defined]
            self.app.call_later(rebuild, screen)
        bind_unbound(screen)  # a row added here: its fields now have their text in the room
        return draft

    def _shown(self, draft: AlignmentDraft) -> AlignmentDraft:
        if self.own_step is None:
            return draft
        return draft.model_copy(update={"step": self.own_step()})

    # Room -> this app --------------------------------------------------------------

    def _on_events(self, events: list[Any], transaction: Any) -> None:
        if transaction.origin in QUIET_ORIGINS:
            return
        self._touched |= self.shared.keys_touched(events)
        if not self._due:
            self._due = True
            self.app.call_later(self._after_remote)

    async def _after_remote(self) -> None:
        from ..steps.base import FinalStep

        self._due = False
        touched, self._touched = self._touched, set()
        data = self.shared.draft_data()
        draft = draft_from_data(data)
        if self.on_remote is not None:
            self.on_remote(self._shown(draft))
        screen = current_step(self.app)
        if screen is None:
            return
        screen.draft = self._shown(draft)
        unabsorbed = touched - bound_keys(screen)
        if unabsorbed and (isinstance(screen, FinalStep) or shows_any(screen, unabsorbed)):
            await rebuild(screen)
        screen._room_base = screen.draft.model_dump(mode="json")  # type: ignore[attr-defined]
        screen.refresh_status()


def current_step(app: App[Any]) -> StepScreen | None:
    """The step on screen, also under a question or the help in front of it."""
    from ..steps.base import StepScreen

    return next((screen for screen in reversed(app.screen_stack) if isinstance(screen, StepScreen)), None)


def bound_keys(screen: StepScreen) -> set[str]:
    """The field keys whose text widgets on this step are bound: their remote edits are in already."""
    return {
        field.field_key
        for field in screen.query("FieldInput, WideTextArea")
        if isinstance(field, (FieldInput, WideTextArea))
        and field.room_binding is not None
        and field.field_key
    }


def bind_unbound(screen: StepScreen) -> None:
    for field in screen.query("FieldInput, WideTextArea"):
        if isinstance(field, (FieldInput, WideTextArea)) and field.field_key and field.room_binding is None:
            bind_field(field)


def shows_any(screen: StepScreen, keys: set[str]) -> bool:
    """True when a widget on the step shows one of these keys, or something inside one (a row of a list)."""
    ids = [node.id for node in screen.query("*") if node.id]
    for key in keys:
        wanted = widget_id(key)
        # A key may be a list (`partners`) or a row (`partners.1`): its fields' ids start with it.
        if any(found == wanted or found.startswith(f"{wanted}-") for found in ids):
            return True
        top = wanted.split("-", 1)[0]
        if top != wanted and any(found == top for found in ids):
            return True  # a list shown as one widget (the metrics picker)
    return False


async def rebuild(screen: StepScreen) -> None:
    """Compose the step again from its draft, keeping the focused field, its cursor and the scroll."""
    focused = screen.focused
    focus_id = focused.id if focused is not None else None
    cursor: Any = None
    if isinstance(focused, (Input, TextArea)):
        cursor = focused.selection
    bodies = screen.query("#step-body")
    scroll = bodies.first().scroll_offset if bodies else None
    from .presence import RoomBar, mount_room_bar

    bars = screen.query(RoomBar)
    bar = bars.first() if bars else None
    await screen.recompose()
    if bar is not None:  # the room bar is not part of the step's own compose
        new_bar = await mount_room_bar(screen, bar.shared, me=bar.me, state=bar.state)
        new_bar.set_status(bar.state, bar.status)
    if screen.read_only:
        for field in screen.query("Input, TextArea, Select, SelectionList, Checkbox, Button"):
            field.disabled = True
    found = screen.query(f"#{focus_id}") if focus_id else None
    if found:
        widget = found.first()
        screen.set_focus(widget, scroll_visible=False)  # now: Widget.focus would wait a turn
        if cursor is not None:
            # In the field's own queue, after its Focus (which puts the cursor at the end).
            widget.call_later(_put_cursor, widget, cursor)
    elif focus_id:
        screen.focus_first()
    if scroll is not None:
        body = screen.query_one("#step-body")
        screen.call_after_refresh(body.scroll_to, scroll.x, scroll.y, animate=False)


def _put_cursor(widget: Any, selection: Any) -> None:
    if isinstance(widget, Input):
        length = len(widget.value)
        widget.selection = selection.__class__(min(selection.start, length), min(selection.end, length))
    elif isinstance(widget, TextArea):
        widget.selection = selection  # TextArea clamps a selection to its document
