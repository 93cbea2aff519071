"""The confirmation boxes of a final step: the employee's, the manager's, one per named partner."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Checkbox

from ...models.draft import AlignmentDraft
from ...session.confirmations import partner_confirmation, partner_index, partner_key
from ..widgets import FieldError, TickBox

HOW = {"joined_terminal": "their own terminal", "browser": "their own browser"}


def _from_elsewhere(via: str) -> str:
    """What a box adds when the person confirmed from their own screen, not this one."""
    return f" · confirmed from {HOW[via]}" if via in HOW else ""


def confirmation_keys(draft: AlignmentDraft) -> list[str]:
    """The keys of the people who confirm here: `employee`, `manager`, `partner-N` for named partners."""
    partners = [partner_key(i) for i, partner in enumerate(draft.partners) if partner.name.strip()]
    return ["employee", "manager", *partners]


class ConfirmBox(TickBox):
    """A person's confirmation box; `verb` ("confirms this plan", "signs") rebuilds its label."""

    verb = ""


def given(draft: AlignmentDraft, key: str) -> tuple[bool, str]:
    """Whether this person confirmed, and how (`host_screen`, `joined_terminal`, `browser`, or "")."""
    if key in ("employee", "manager"):
        ticked = getattr(draft, f"{key}_confirmed")
        return ticked, getattr(draft, f"{key}_confirmed_via") if ticked else ""
    index = partner_index(key)
    found = partner_confirmation(draft, draft.partners[index].name) if index is not None else None
    return found is not None, found.via if found else ""


def from_own_screen(draft: AlignmentDraft, key: str) -> bool:
    """True when this person confirmed from their own screen: only they can take it back."""
    return given(draft, key)[1] in HOW


def _label(draft: AlignmentDraft, key: str, verb: str) -> str:
    if key in ("employee", "manager"):
        name = getattr(draft, f"{key}_name") or f"The {key}"
    else:
        name = f"{draft.partners[partner_index(key) or 0].name} (partner)"
    return f"{name} {verb}{_from_elsewhere(given(draft, key)[1])}"


def confirmation_boxes(draft: AlignmentDraft, verb: str) -> ComposeResult:
    """One box per person (`<key>_confirmed`); the employee's and manager's with their error line.

    A box ticked from its person's own screen is shown ticked and cannot be changed here.
    """
    for key in confirmation_keys(draft):
        box = ConfirmBox(_label(draft, key, verb), given(draft, key)[0], id=f"{key}_confirmed", compact=True)
        box.verb = verb
        box.disabled = from_own_screen(draft, key)
        yield box
        if key in ("employee", "manager"):
            yield FieldError(f"{key}_confirmed")


def show_confirmations(screen: Screen, draft: AlignmentDraft) -> None:
    """Make the boxes on `screen` show `draft`'s confirmations, e.g. one a participant just gave.

    Without it a box would still show the old state, and the next collect would undo theirs.
    """
    for key in confirmation_keys(draft):
        for box in screen.query(f"#{key}_confirmed").results(ConfirmBox):
            with box.prevent(Checkbox.Changed):
                box.value = given(draft, key)[0]
            box.label = _label(draft, key, box.verb)
            box.disabled = from_own_screen(draft, key) or bool(getattr(screen.app, "read_only", False))
