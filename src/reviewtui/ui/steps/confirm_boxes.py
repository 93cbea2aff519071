"""The confirmation boxes of a final step: the employee's, the manager's, one per named partner."""

from __future__ import annotations

from textual.app import ComposeResult

from ...models.draft import AlignmentDraft
from ...session.confirmations import partner_confirmation, partner_key
from ..widgets import FieldError, TickBox

HOW = {"joined_terminal": "their own terminal", "browser": "their own browser"}


def _from_elsewhere(via: str) -> str:
    """What a box adds when the person confirmed from their own screen, not this one."""
    return f" · confirmed from {HOW[via]}" if via in HOW else ""


def confirmation_keys(draft: AlignmentDraft) -> list[str]:
    """The keys of the people who confirm here: `employee`, `manager`, `partner-N` for named partners."""
    partners = [partner_key(i) for i, partner in enumerate(draft.partners) if partner.name.strip()]
    return ["employee", "manager", *partners]


def confirmation_boxes(draft: AlignmentDraft, verb: str) -> ComposeResult:
    """One box per person (`<key>_confirmed`); the employee's and manager's with their error line."""
    for role in ("employee", "manager"):
        name = getattr(draft, f"{role}_name")
        via = getattr(draft, f"{role}_confirmed_via") if getattr(draft, f"{role}_confirmed") else ""
        yield TickBox(
            f"{name or f'The {role}'} {verb}{_from_elsewhere(via)}",
            getattr(draft, f"{role}_confirmed"),
            id=f"{role}_confirmed",
            compact=True,
        )
        yield FieldError(f"{role}_confirmed")
    for index, partner in enumerate(draft.partners):
        if not partner.name.strip():  # nobody to confirm yet
            continue
        given = partner_confirmation(draft, partner.name)
        yield TickBox(
            f"{partner.name} (partner) {verb}{_from_elsewhere(given.via if given else '')}",
            given is not None,
            id=f"{partner_key(index)}_confirmed",
            compact=True,
        )
