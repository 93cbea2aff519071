"""Who confirmed, when and how: a tick keeps its own moment, so each sign-off carries its own time.

People are named by their key in the room: `employee`, `manager`, `partner-N` (N counted from 1 in
`draft.partners`). The employee's and manager's confirmations are the draft's `<role>_confirmed`,
`<role>_confirmed_at` and `<role>_confirmed_via`; a partner's is an entry of `partner_confirmations`
under the name they confirmed with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..models.draft import AlignmentDraft, DraftPartnerConfirmation

ROLES = ("employee", "manager")
Clock = dt.datetime | Callable[[], dt.datetime]


def partner_key(index: int) -> str:
    """The key of the partner at `index` (from 0) in `draft.partners`: `partner-1` for the first."""
    return f"partner-{index + 1}"


def partner_index(key: str) -> int | None:
    """The index in `draft.partners` of a `partner-N` key; None for another key."""
    prefix, _, number = key.partition("-")
    return int(number) - 1 if prefix == "partner" and number.isdigit() and int(number) > 0 else None


def partner_confirmation(draft: AlignmentDraft, name: str) -> DraftPartnerConfirmation | None:
    """The confirmation a partner gave under this name, if any."""
    return next((c for c in draft.partner_confirmations if c.name == name and name.strip()), None)


def _moment(now: Clock) -> dt.datetime:
    return now() if callable(now) else now


def _with_role(draft: AlignmentDraft, role: str, ticked: bool, now: Clock, via: str) -> dict[str, object]:
    stamped = getattr(draft, f"{role}_confirmed_at")
    update: dict[str, object] = {f"{role}_confirmed": ticked}
    if not ticked:
        update |= {f"{role}_confirmed_at": None, f"{role}_confirmed_via": ""}
    elif stamped is None or not getattr(draft, f"{role}_confirmed"):
        update |= {f"{role}_confirmed_at": _moment(now), f"{role}_confirmed_via": via}
    elif not getattr(draft, f"{role}_confirmed_via"):
        # Ticked before the way was recorded: there was only the host's screen then.
        update[f"{role}_confirmed_via"] = via
    return update


def _with_partner(
    confirmations: list[DraftPartnerConfirmation], name: str, ticked: bool, now: Clock, via: str
) -> list[DraftPartnerConfirmation]:
    if not name.strip():  # a partner row without a name cannot confirm
        return confirmations
    if not ticked:
        return [c for c in confirmations if c.name != name]
    if any(c.name == name for c in confirmations):
        return confirmations  # keeps its first moment and way
    return [*confirmations, DraftPartnerConfirmation(name=name, at=_moment(now), via=via)]  # type: ignore[arg-type]


def with_confirmations(
    draft: AlignmentDraft, ticks: dict[str, bool], now: Clock, via: str = "host_screen"
) -> AlignmentDraft:
    """The draft with the confirmations as ticked: a new tick is stamped `now` and `via`, an untick clears it.

    `now` may be a clock, read only when a new tick needs its moment.

    `ticks` maps a person's key (`employee`, `manager`, `partner-N`) to whether their box is ticked;
    people not in it are left as they are. A tick that stays ticked keeps its first moment and way,
    so autosaves and resuming never move it.
    """
    update: dict[str, object] = {}
    confirmations = draft.partner_confirmations
    for key, ticked in ticks.items():
        if key in ROLES:
            update |= _with_role(draft, key, ticked, now, via)
        elif (index := partner_index(key)) is not None and index < len(draft.partners):
            confirmations = _with_partner(confirmations, draft.partners[index].name, ticked, now, via)
    if confirmations is not draft.partner_confirmations:
        update["partner_confirmations"] = confirmations
    return draft.model_copy(update=update) if update else draft


def confirmed_by(
    draft: AlignmentDraft,
    person_key: str,
    name: str,
    role: str,
    value: bool,
    at: dt.datetime,
    via: str,
) -> AlignmentDraft:
    """The draft with one person's own confirmation given (`value`) or taken back, and nobody else's.

    What the host does when a participant asks to confirm from their own screen: `person_key` and
    `name` are the participant's (the name they joined with, which a partner's sign-off carries),
    `at` their moment and `via` how they are connected. Confirming again keeps the first moment,
    except that a person's own confirmation replaces one ticked for them on the host's screen.
    Refuses a key that does not match the role.
    """
    if person_key in ROLES:
        if role != person_key:
            raise ValueError(f"the person `{person_key}` cannot confirm as {role}")
        on_host_screen = getattr(draft, f"{role}_confirmed_via") in ("", "host_screen")
        if value and getattr(draft, f"{role}_confirmed") and on_host_screen and via != "host_screen":
            draft = draft.model_copy(update=_with_role(draft, role, False, at, via))
        return draft.model_copy(update=_with_role(draft, person_key, value, at, via))
    if partner_index(person_key) is None or role != "partner":
        raise ValueError(f"the person `{person_key}` cannot confirm as {role}")
    confirmations = draft.partner_confirmations
    given = partner_confirmation(draft, name)
    if value and given is not None and given.via == "host_screen" and via != "host_screen":
        confirmations = _with_partner(confirmations, name, False, at, via)
    confirmations = _with_partner(confirmations, name, value, at, via)
    return draft.model_copy(update={"partner_confirmations": confirmations})
