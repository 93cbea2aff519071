"""A final record's sign-offs and contributions, from the draft's confirmations (pure).

Shared by the agreed plan, the check-in and the signed review: each person's sign-off carries
their own moment and how they confirmed; a partner's carries the name they confirmed with.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..models import Session
from ..models.base import clean_line
from ..models.draft import AlignmentDraft

ROLE_ORDER = {"employee": 0, "manager": 1, "partner": 2}

# Lists of the draft whose entries are the record's entries at the same place.
_SAME_PLACE = {
    "feedback": "feedback",
    "context": "context",
    "examples": "examples",
    "bullets": "accomplishments",
    "objectives": "development",
    "actions": "actions",
}
_TOP = {
    "reading": "employee_reading.reading",
    "comments": "employee_reading.comments",
    "notes": "notes",
    **dict.fromkeys(("employee_name", "job_title", "manager_name", "rubric_id"), "participants"),
    **dict.fromkeys(("period_label", "period_start", "period_end"), "period"),
}


def sign_offs(
    draft: AlignmentDraft,
    now: dt.datetime,
    names: tuple[str, str],
    partners: set[str],
    *,
    required: bool = True,
) -> list[dict[str, Any]]:
    """The employee's and the manager's sign-offs, then each partner's who confirmed.

    `names` are the employee's and manager's names as the record lists them, `partners` the names
    of its partners: a confirmation under a name the record no longer lists is not written. With
    `required` both sign (the caller checked they confirmed); without it, only those who did.
    """
    found = []
    for role, name in zip(("employee", "manager"), names, strict=True):
        if required or getattr(draft, f"{role}_confirmed"):
            at = getattr(draft, f"{role}_confirmed_at") or now
            via = getattr(draft, f"{role}_confirmed_via") or None
            found.append({"name": name, "role": role, "at": at} | ({"via": via} if via else {}))
    for confirmation in draft.partner_confirmations:
        if confirmation.name in partners:
            found.append(
                {"name": confirmation.name, "role": "partner", "at": confirmation.at, "via": confirmation.via}
            )
    return found


def _natural(part: str) -> list[tuple[int, Any]]:
    return [(0, int(bit)) if bit.isdigit() else (1, bit) for bit in part.split(".")]


def record_part(draft: AlignmentDraft, field: str, session: Session) -> str | None:
    """The part of the record (a key path) that a draft's field key became; None when it is not in it."""
    if field in _TOP:
        return _TOP[field]
    head, _, rest = field.partition(".")
    item = rest.split(".")[0]
    if head in _SAME_PLACE and item.isdigit():
        target = _SAME_PLACE[head]
        return f"{target}.{item}" if int(item) < len(getattr(session, target)) else None
    if head in ("metrics", "results", "changes"):
        place = next((i for i, metric in enumerate(session.metrics) if metric.id == item), None)
    elif head == "agenda":  # topics are named by id: `agenda.<id>.text`
        place = next((i for i, topic in enumerate(session.agenda) if topic.id == item), None)
    elif head == "ratings":
        place = next((i for i, r in enumerate(session.competencies) if r.competency == item), None)
    elif head == "reasons":
        found = (i for i, b in enumerate(session.broken_rules) if b.check.replace(":", "-") == rest)
        place = next(found, None)
    elif head in ("partners", "impact_map") and item.isdigit() and int(item) < len(getattr(draft, head)):
        place = _matching_row(draft, head, int(item), session)
        head = "participants.partners" if head == "partners" else head
    else:
        return None
    if place is None:
        return None
    return f"{'metrics' if head in ('results', 'changes') else head}.{place}"


def _matching_row(draft: AlignmentDraft, head: str, index: int, session: Session) -> int | None:
    # The record keeps only complete rows: the draft's row is found there by what it says.
    if head == "partners":
        name = clean_line(draft.partners[index].name)
        return next((i for i, p in enumerate(session.participants.partners) if p.name == name), None)
    activity = clean_line(draft.impact_map[index].activity)
    return next((i for i, row in enumerate(session.impact_map) if row.activity == activity), None)


def with_contributions(draft: AlignmentDraft, session: Session) -> Session:
    """The record with the parts each participant wrote from their own screen marked as theirs.

    One entry per person and way of taking part, sorted by role, name and way; parts in record order.
    Contributions under a name the record does not list for that role are left out.
    """
    if not draft.contributions:
        return session
    people = session.participants
    listed = {
        "employee": {people.employee.name},
        "manager": {people.manager.name},
        "partner": {p.name for p in people.partners},
    }
    parts: dict[tuple[str, str, str], set[str]] = {}
    for contribution in draft.contributions:
        part = record_part(draft, contribution.field, session)
        if part is None or contribution.name not in listed[contribution.role]:
            continue
        parts.setdefault((contribution.role, contribution.name, contribution.via), set()).add(part)
    entries = [
        {"name": name, "role": role, "via": via, "parts": sorted(found, key=_natural)}
        for (role, name, via), found in sorted(
            parts.items(), key=lambda item: (ROLE_ORDER[item[0][0]], item[0])
        )
    ]
    if not entries:
        return session
    return Session.model_validate(session.model_dump() | {"contributions": entries})
