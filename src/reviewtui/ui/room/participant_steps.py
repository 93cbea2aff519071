"""The step screens as a participant has them: free to move, confirming only as themselves."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import cache
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Markdown, Static

from ..help import _KEYS as HOST_KEYS
from ..help import HelpScreen, help_markdown
from ..more import MoreHint

if TYPE_CHECKING:
    from ...models import Rubric
    from ...models.draft import AlignmentDraft, ReviewDraft
    from ...room.people import Person
    from ...score.weighted import ScoreBreakdown
    from ..steps.base import StepScreen

LEAVE_BINDING = Binding(
    "escape", "home", "Leave", id="room.leave", tooltip="Leave the room; the draft stays with the host"
)
"""Escape on a participant's step: there is no home screen, it asks whether to leave the room."""
ONLY_THE_HOST = "Only the host's screen can do that."
SAVED_BY_HOST = "Only the host saves the record"


HOST_FIELDS = ("employee_name", "manager_name", "partners", "rubric_id")
"""Fields only the host's screen changes: who is in the room, by name (room/guard.py refuses the rest)."""


def hold_host_fields(screen: Any) -> None:
    """On a participant's step the names of the people in the room are shown, never changed."""
    rows = getattr(screen, "ROWS", ("",))[0]
    if rows in HOST_FIELDS:  # the partners' rows: no adding or removing them here either
        allowed = screen.check_action

        def check_action(action: str, parameters: tuple[object, ...]) -> bool | None:
            return False if action in ("add_row", "remove_row") else allowed(action, parameters)

        screen.check_action = check_action
        screen.refresh_bindings()
    for widget in screen.query("Input, TextArea, Button, Select"):
        key = getattr(widget, "field_key", None) or (widget.id or "").replace("-", ".")
        if key.split(".")[0] in HOST_FIELDS:
            widget.disabled = True
            widget.tooltip = "Only the host's screen changes who takes part, and the role"


def own_box_id(person: Person) -> str:
    """The id of the confirmation box that is this person's: `employee_confirmed`, `partner-2_confirmed`."""
    return f"{person.key}_confirmed"


def room_rubric(room: dict[str, Any]) -> Rubric | None:
    """The rubric the host put in the room, or None when there is none or it does not read."""
    from pydantic import ValidationError

    from ...models import Rubric
    from ...models.draft_json import revived

    data = room.get("rubric")
    if isinstance(data, str):  # as the room root holds it
        try:
            data = json.loads(data)
        except ValueError:
            return None
    if not isinstance(data, dict):
        return None
    try:
        # JSON mode wrote its exact decimals as strings: revived by the model's own field types.
        return Rubric.model_validate(revived(Rubric, data))
    except ValidationError:
        return None


def preview_score(draft: ReviewDraft, rubric: Rubric | None, now: dt.datetime) -> ScoreBreakdown | None:
    """The score the review would have if signed now, as the host computes it (session/final_save.py)."""
    if rubric is None:
        return None
    from ...review.rules import review_session
    from ...score.weighted import score

    # The hash only pins the record to its rubric file, which is on the host; it does not change the score.
    sha256 = hashlib.sha256(json.dumps(rubric.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()
    try:
        preview = review_session(draft, rubric, sha256, now, signed=False)
    except ValueError:
        return None
    return score(preview, rubric, sha256)


def recorded_confirmation(draft: AlignmentDraft, person: Person) -> tuple[bool, dt.datetime | None]:
    """Whether the host recorded this person's confirmation in the draft, and when."""
    if person.role in ("employee", "manager"):
        return bool(getattr(draft, f"{person.role}_confirmed", False)), getattr(
            draft, f"{person.role}_confirmed_at", None
        )
    for confirmation in getattr(draft, "partner_confirmations", None) or []:
        if getattr(confirmation, "name", None) == person.name:
            return True, getattr(confirmation, "at", None)
    return False, None


class RoomStep:
    """Mixed in before a step screen's class for a participant's app."""

    BINDINGS = [LEAVE_BINDING]  # Textual reads a mixin's keys only from the screen class made below

    def action_next(self: Any) -> None:
        from ..steps.base import FinalStep, StepResult

        if isinstance(self, FinalStep):
            self.action_agree()
            return
        # Each person reads at their own pace: what is marked is the host's to have fixed.
        self.finish(StepResult("next", self.collect()))

    def action_agree(self: Any) -> None:
        person = self.app.room_person
        confirmed, _ = recorded_confirmation(self.draft, person)
        box = self.query(f"#{own_box_id(person)}")
        if confirmed or (box and box.first(Checkbox).value):
            self.notify(f"{SAVED_BY_HOST}; your confirmation is sent.", timeout=5)
        else:
            self.notify(f"{SAVED_BY_HOST}. Tick your own box to confirm.", timeout=5)

    def action_help(self: Any) -> None:
        self.app.push_screen(RoomHelpScreen(self.KEY, self.context.rubric(self.draft)))

    def confirmations(self: Any, verb: str) -> ComposeResult:
        """Everyone's boxes, as the host recorded them; only this person's own can be ticked."""
        person = self.app.room_person
        own = own_box_id(person)
        for widget in super().confirmations(verb):  # type: ignore[misc]
            if isinstance(widget, Checkbox) and (widget.id or "").endswith("_confirmed"):
                if widget.id != own:
                    widget.disabled = True
                else:
                    confirmed, at = recorded_confirmation(self.draft, person)
                    widget.value = confirmed
                    if confirmed and at is not None:
                        widget.label = f"{widget.label} (recorded {at:%H:%M})"
            yield widget


@cache
def room_step_screen(key: str) -> type[StepScreen]:
    """The step screen class for `key` as a participant has it (same name: same styles and histories)."""
    from ..steps.registry import STEP_SCREENS

    base = STEP_SCREENS[key]
    members = {"__module__": base.__module__, "BINDINGS": RoomStep.BINDINGS}  # its CSS_PATH is relative
    return type(base.__name__, (RoomStep, base), members)


ROOM_KEYS = (
    "**Ctrl+N** next step · **Ctrl+B** back (they move only your screen) · **F5** follow the host's step, "
    "or move freely again · **Esc** leave the room · **Ctrl+Z** / **Ctrl+Y** undo / redo your own typing "
    "in a field (not what others typed) · On the last step, tick **your own** box: the host records it"
)
"""The keys of a participant's screen, in place of the host's at the end of each step's help."""


class RoomHelpScreen(HelpScreen):
    """A step's help with a participant's keys at its end."""

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            with VerticalScroll(id="help-text") as text:
                yield Markdown(help_markdown(self.step, self.rubric).replace(HOST_KEYS, ROOM_KEYS))
            yield MoreHint(text, "[b]Esc[/] closes the help", id="help-more")


class LeaveRoomScreen(ModalScreen[bool]):
    """Escape on a participant's step: leave the room (`y`) or stay (`n`, Esc)."""

    DEFAULT_CSS = """
    LeaveRoomScreen { align: center middle; }
    #leave-room { width: 90%; max-width: 64; height: auto; border: round $warning; background: $surface; padding: 0 1; }
    """
    BINDINGS = [
        Binding("y", "choose(True)", "Leave", id="leave-room.yes"),
        Binding("escape,n", "choose(False)", "Stay", id="leave-room.no"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="leave-room"):
            yield Static(
                "[b]Leave the room?[/]\nWhat you typed is with the host already; you can join again "
                "with the same link while the room is open.\n[b]y[/] leaves · [b]n[/] or [b]Esc[/] stays"
            )

    def action_choose(self, leave: bool) -> None:
        self.dismiss(leave)
