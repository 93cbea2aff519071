"""Development objectives that live: agreed in the plan, followed at each check-in, reviewed, carried on.

Pure functions over drafts and records: rows of a record made into draft rows (with an id each,
so an objective stays itself from meeting to meeting), the checks on typed rows, the record's
rows from the typed ones, and what an objective may be linked to (a plan metric, a feedback gap).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import get_args

from ..models.base import clean_line
from ..models.draft import AlignmentDraft, DraftFeedback, DraftObjective
from ..models.evidence import new_entry_id
from ..models.review_parts import DevelopmentObjective, ObjectiveStatus
from ..models.session import Session

Errors = dict[str, str]

OBJECTIVE_STATUSES: tuple[str, ...] = get_args(ObjectiveStatus)
"""not_started, in_progress, done, dropped: in the order an objective moves through them."""
CLOSED_STATUSES = ("done", "dropped")
"""Statuses of an objective that does not carry into the next plan."""


def _id_of(record: Session, index: int, objective: DevelopmentObjective) -> str:
    """The objective's id; one written before ids existed gets one made from its record and place,
    the same each time, so that carrying it twice never makes two of it."""
    if objective.id:
        return objective.id
    return hashlib.sha256(f"{record.id}:development:{index}".encode()).hexdigest()[:12]


def draft_objective(objective: DevelopmentObjective, objective_id: str | None = None) -> DraftObjective:
    """A record's objective as a draft row, with `objective_id` when it has none of its own."""
    return DraftObjective(
        objective=objective.objective,
        actions="; ".join(objective.actions),
        owner=objective.owner,
        due=objective.due.isoformat(),
        support=objective.support,
        success_measure=objective.success_measure,
        id=objective.id or objective_id or new_entry_id(),
        status=objective.status,
        progress=objective.progress,
        addresses_metric=objective.addresses_metric or "",
        addresses_gap=objective.addresses_gap,
    )


def carried_objectives(record: Session) -> list[DraftObjective]:
    """Every objective of the record a check-in or review follows, as it stood there."""
    return [draft_objective(o, _id_of(record, n, o)) for n, o in enumerate(record.development)]


def open_objectives(record: Session, metric_ids: set[str] | None = None) -> list[DraftObjective]:
    """The objectives still open in a record (neither done nor dropped), for the next plan.

    A link to a metric the next plan may not have is kept only when `metric_ids` has it
    (None: the plan's metrics are not chosen yet, so links are kept and checked on the step).
    """
    rows = [row for row in carried_objectives(record) if row.status not in CLOSED_STATUSES]
    if metric_ids is None:
        return rows
    return [
        row if row.addresses_metric in metric_ids else row.model_copy(update={"addresses_metric": ""})
        for row in rows
    ]


def last_open_objectives(records: list[Session]) -> tuple[Session, list[DraftObjective]] | None:
    """The newest record that has open objectives, and them (a review before a check-in of the same day)."""
    order = {"alignment": 0, "check-in": 1, "review": 2}
    for record in sorted(records, key=lambda r: (r.created_at, order[r.kind]), reverse=True):
        if record.development:
            rows = open_objectives(record)
            return (record, rows) if rows else None
    return None


def feedback_gaps(feedback: Sequence[DraftFeedback], records: Sequence[Session] = ()) -> list[str]:
    """The customer-feedback gaps an objective may address: this review's gap rows, then the last review's."""
    gaps = [
        " ".join(row.observed.split()) for row in feedback if row.kind == "gap" and not blank(row.observed)
    ]
    reviews = sorted((r for r in records if r.kind == "review"), key=lambda r: r.created_at)
    if reviews:
        gaps += [" ".join(item.observed.split()) for item in reviews[-1].feedback if item.kind == "gap"]
    return list(dict.fromkeys(gaps))


def blank(text: str) -> bool:
    return not clean_line(text)


def parse_date(text: str) -> dt.date | None:
    """As plan.rules.parse_date, which imports this module (its record builder uses the rows)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def objectives_errors(draft: AlignmentDraft, *, required: bool) -> Errors:
    """What the objectives still need; at a review at least one is required, in a plan or check-in none."""
    errors: Errors = {}
    if required and not draft.objectives:
        errors["objectives"] = "Agree at least one development objective."
    metric_ids = {metric.id for metric in draft.metrics}
    for index, item in enumerate(draft.objectives):
        key = f"objectives.{index}"
        if blank(item.objective):
            errors[f"{key}.objective"] = "Name the objective."
        if blank(item.owner):
            errors[f"{key}.owner"] = "Who owns it?"
        if parse_date(item.due) is None:
            errors[f"{key}.due"] = "Type the due date as YYYY-MM-DD."
        if item.status not in OBJECTIVE_STATUSES:
            errors[f"{key}.status"] = "Choose where it stands: not started, in progress, done or dropped."
        if item.addresses_metric and item.addresses_metric not in metric_ids:
            errors[f"{key}.addresses_metric"] = (
                "The plan has no such metric any more: choose another, or none."
            )
    return errors


def objective_records(draft: AlignmentDraft) -> list[dict[str, object]]:
    """The record's development objectives from the typed rows (valid once `objectives_errors` is empty)."""
    return [
        {
            "objective": o.objective,
            "actions": [a.strip() for a in o.actions.split(";") if a.strip()],
            "owner": o.owner,
            "due": parse_date(o.due),
            "support": o.support,
            "success_measure": o.success_measure,
            "id": o.id or None,
            "status": o.status,
            "progress": o.progress,
            "addresses_metric": o.addresses_metric or None,
            "addresses_gap": " ".join(o.addresses_gap.split()),
        }
        for o in draft.objectives
    ]
