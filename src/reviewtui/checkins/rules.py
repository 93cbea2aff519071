"""Check-ins: actuals over time, anomalies flagged, target and weight changes with reasons, actions.

Pure functions over a `CheckinDraft`, keyed by field like the other sessions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..models import PlanMetric, Rubric, Session
from ..models.draft import CheckinDraft, DraftAction, DraftChange, DraftResult
from ..models.plan_parts import Actual
from ..plan.cadence import cadence_errors, cadence_record, default_next
from ..plan.objectives import carried_objectives, objective_records, objectives_errors
from ..plan.rules import (
    Errors,
    blank,
    parse_date,
    parse_number,
    plan_fields,
    plan_metric_data,
    targets_errors,
)
from ..plan.sign_offs import sign_offs, with_contributions
from .agenda import record_topics, topic_errors
from .flags import Figure, Movement, Reading, read_figure


def checkin_from(base: Session, rubric: Rubric, checkin_id: str, now: dt.datetime) -> CheckinDraft:
    """A check-in on the plan as it stands in `base` (the agreed plan or the last check-in)."""
    open_actions = [
        DraftAction(
            text=action.text,
            owner=action.owner,
            due=action.due.isoformat(),
            carried_from=action.carried_from or base.id,
        )
        for action in base.actions
        if action.status == "open"
    ]
    return CheckinDraft(
        kind="check-in",
        id=checkin_id,
        created_at=now,
        updated_at=now,
        base=base,
        results=[DraftResult(metric=metric.id, as_of=now.date().isoformat()) for metric in base.metrics],
        actions=open_actions,
        # The pair keep their cadence; the next check-in is this one's day plus it, until changed.
        cadence=base.cadence or "",
        next_checkin=default_next(base.cadence or "", now.date()),
        objectives=carried_objectives(base),
        **plan_fields(base),
    )


def history(draft: CheckinDraft, metric_id: str) -> list[Actual]:
    """Earlier actuals of a metric, oldest first, as the records hold them."""
    metric = draft.base.metric(metric_id)
    return sorted(metric.actuals, key=lambda actual: actual.as_of) if metric else []


def _with_actual(draft: CheckinDraft, result: DraftResult) -> PlanMetric | None:
    metric = draft.metric(result.metric)
    value, as_of = parse_number(result.actual), parse_date(result.as_of)
    if metric is None or value is None or as_of is None:
        return None
    try:
        data = plan_metric_data(metric)
    except (ValueError, TypeError):
        return None
    data["actuals"] = [{"value": value, "as_of": as_of}]
    try:
        return PlanMetric.model_validate(data)
    except ValueError:
        return None


def _figure_now(draft: CheckinDraft, metric_id: str) -> tuple[PlanMetric, Figure] | None:
    """A metric as it stands on the draft (target as adjusted) and its figure as typed, if both read."""
    result = next((r for r in draft.results if r.metric == metric_id), None)
    metric = _with_actual(draft, result) if result is not None else None
    if metric is None:
        return None
    return metric, Figure(metric.actuals[0].value, metric.actuals[0].as_of)


def _last(draft: CheckinDraft, metric_id: str) -> Figure | None:
    earlier = history(draft, metric_id)
    return Figure(earlier[-1].value, earlier[-1].as_of) if earlier else None


def reading(draft: CheckinDraft, result: DraftResult, rubric: Rubric) -> Reading | None:
    """How a typed figure reads against the target as adjusted now; None until it reads as a number."""
    now = _figure_now(draft, result.metric)
    if now is None:
        return None
    metric, figure = now
    guard = None
    guarded = _figure_now(draft, metric.guardrail) if metric.guardrail else None
    guard_before = _last(draft, metric.guardrail) if metric.guardrail else None
    if guarded is not None and guard_before is not None:
        guard = Movement(guarded[0], guarded[1], guard_before)
    return read_figure(metric, figure, _last(draft, result.metric), draft.base.period, rubric, guard)


def changes(draft: CheckinDraft) -> list[tuple[str, str, Decimal, Decimal]]:
    """Targets and weights that differ from the plan as it stood: (metric, field, old, new)."""
    found = []
    for metric in draft.metrics:
        before = draft.base.metric(metric.id)
        if before is None:
            continue
        target, weight = parse_number(metric.target), parse_number(metric.weight)
        if target is not None and before.target is not None and target != before.target:
            found.append((metric.id, "target", before.target, target))
        if weight is not None and weight != before.weight:
            found.append((metric.id, "weight", Decimal(before.weight), weight))
    return found


def actuals_errors(draft: CheckinDraft) -> Errors:
    errors: Errors = {}
    for result in draft.results:
        key = f"results.{result.metric}"
        if result.actual.strip() and parse_number(result.actual) is None:
            errors[f"{key}.actual"] = "Type a number, or leave it empty if there is no figure yet."
        if result.actual.strip() and parse_date(result.as_of) is None:
            errors[f"{key}.as_of"] = "Type the date of the figure as YYYY-MM-DD."
    if not any(result.actual.strip() for result in draft.results):
        errors["results"] = "Record at least one actual: a check-in reviews the data."
    return errors


def plan_errors(draft: CheckinDraft, rubric: Rubric) -> Errors:
    errors = targets_errors(draft, rubric)
    reasons = {change.metric: change.reason for change in draft.changes}
    for metric_id, _, _, _ in changes(draft):
        if blank(reasons.get(metric_id, "")):
            errors[f"changes.{metric_id}.reason"] = "A changed target or weight needs its reason."
    return errors


def actions_errors(draft: CheckinDraft) -> Errors:
    errors: Errors = {}
    for index, action in enumerate(draft.actions):
        if blank(action.text):
            errors[f"actions.{index}.text"] = "Say what will be done, or remove the action."
        if blank(action.owner):
            errors[f"actions.{index}.owner"] = "Who does it?"
        if parse_date(action.due) is None:
            errors[f"actions.{index}.due"] = "Type the due date as YYYY-MM-DD."
        if action.status not in ("open", "done"):
            errors[f"actions.{index}.status"] = "Choose open or done."
    return errors


def checkin_errors(step: str, draft: CheckinDraft, rubric: Rubric) -> Errors:
    """What one check-in step still needs; the last step needs all the others."""
    checks = {
        "checkin_agenda": lambda: topic_errors(draft),
        "checkin_actuals": lambda: actuals_errors(draft),
        "checkin_plan": lambda: plan_errors(draft, rubric),
        "checkin_development": lambda: objectives_errors(draft, required=False),
        "checkin_actions": lambda: actions_errors(draft),
    }
    if step == "checkin_record":
        found = {key: message for check in checks.values() for key, message in check().items()}
        return found | cadence_errors(draft, draft.created_at.date())
    return checks[step]() if step in checks else {}


def recorded_session(draft: CheckinDraft, rubric: Rubric, rubric_sha256: str, now: dt.datetime) -> Session:
    """The check-in record: the plan as adjusted, every actual so far, the adjustments and actions."""
    results = {result.metric: result for result in draft.results}
    metrics = []
    for metric in draft.metrics:
        data = plan_metric_data(metric)
        actuals = [actual.model_dump() for actual in history(draft, metric.id)]
        result = results.get(metric.id)
        if result is not None and parse_number(result.actual) is not None:
            actuals.append(
                {
                    "value": parse_number(result.actual),
                    "as_of": parse_date(result.as_of),
                    "data_source": result.data_source,
                    "evidence": result.evidence,
                    "note": result.note,
                }
            )
        data["actuals"] = actuals
        metrics.append(data)
    reasons = {change.metric: change.reason for change in draft.changes}
    adjustments = [*(adjustment.model_dump() for adjustment in draft.base.adjustments)]
    adjustments += [
        {
            "metric": m,
            "field": field,
            "old": old,
            "new": new,
            "reason": reasons[m],
            "by": draft.manager_name,
            "at": now,
        }
        for m, field, old, new in changes(draft)
    ]
    base = draft.base
    people = base.participants
    session = Session.model_validate(
        {
            "id": draft.id,
            "kind": "check-in",
            "status": "recorded",
            "created_at": draft.created_at,
            "updated_at": max(now, draft.created_at),
            "rubric": {"id": rubric.id, "version": rubric.version, "sha256": rubric_sha256},
            "follows": base.id,
            "participants": base.participants.model_dump(),
            "period": base.period.model_dump(),
            **cadence_record(draft, draft.created_at.date()),
            "impact_map": [row.model_dump() for row in base.impact_map],
            "metrics": metrics,
            "adjustments": adjustments,
            "actions": [
                {
                    "text": action.text,
                    "owner": action.owner,
                    "due": parse_date(action.due),
                    "status": action.status,
                    "carried_from": action.carried_from or None,
                }
                for action in draft.actions
            ],
            "agenda": record_topics(draft, now),
            "notes": draft.notes,
            "development": objective_records(draft),
            # Optional at a check-in: whoever confirmed what it records.
            "sign_offs": sign_offs(
                draft,
                now,
                (people.employee.name, people.manager.name),
                {p.name for p in people.partners},
                required=False,
            ),
        }
    )
    return with_contributions(draft, session)


def ensure_changes(draft: CheckinDraft) -> CheckinDraft:
    """One reason field per changed metric, keeping reasons already typed."""
    kept = {change.metric: change for change in draft.changes}
    wanted = {metric_id for metric_id, _, _, _ in changes(draft)}
    ordered = [kept.get(m.id) or DraftChange(metric=m.id) for m in draft.metrics if m.id in wanted]
    return draft.model_copy(
        update={"changes": ordered + [c for c in draft.changes if c.metric not in wanted]}
    )
