"""The review's rules: starting from a plan, what each section needs, and the signed record.

Pure functions over a `ReviewDraft`, keyed by field like the alignment session's.
"""

from __future__ import annotations

import datetime as dt

from ..checkins.agenda import record_topics, topic_errors
from ..models import PlanMetric, Rubric, Session
from ..models.draft import (
    AlignmentDraft,
    CheckinFigure,
    DraftBullet,
    DraftMetric,
    DraftRating,
    DraftResult,
    ReviewDraft,
)
from ..plan.objectives import carried_objectives, objective_records, objectives_errors
from ..plan.rules import (
    Errors,
    blank,
    format_number,
    impact_map_errors,
    is_whole,
    metrics_errors,
    parse_date,
    parse_number,
    participants_errors,
    plan_fields,
    plan_metric_data,
    targets_errors,
)
from ..plan.sign_offs import sign_offs, with_contributions
from ..score.signed import signed_snapshot
from ..score.weighted import latest_actual

FEEDBACK_SOURCES = ("survey", "support", "narrative", "other")
FEEDBACK_KINDS = ("strength", "gap")
CONTEXT_FACTORS = ("resource_constraints", "competing_priorities", "market_dynamics", "other")
EXAMPLE_KINDS = ("success_story", "example")


def review_from_plan(plan: Session, rubric: Rubric, review_id: str, now: dt.datetime) -> ReviewDraft:
    """A review draft that carries over the plan as it stands: people, period, map, metrics, adjustments."""
    return ReviewDraft(
        kind="review",
        id=review_id,
        created_at=now,
        updated_at=now,
        follows=plan.id,
        adjustments=plan.adjustments,
        last_figures=[
            CheckinFigure(metric=metric.id, value=actual.value, as_of=actual.as_of)
            for metric in plan.metrics
            if (actual := latest_actual(metric)) is not None
        ],
        results=[DraftResult(metric=metric.id, as_of=plan.period.end.isoformat()) for metric in plan.metrics],
        ratings=[DraftRating(competency=competency.id) for competency in rubric.competencies],
        objectives=carried_objectives(plan),  # the development plan as it stood, reviewed here
        **plan_fields(plan),
    )


def review_from_scratch(review_id: str, now: dt.datetime, period: tuple[str, str, str]) -> ReviewDraft:
    """A review draft with no plan behind it: the plan is set up in its first steps."""
    label, start, end = period
    return ReviewDraft(
        kind="review",
        id=review_id,
        created_at=now,
        updated_at=now,
        from_scratch=True,
        period_label=label,
        period_start=start,
        period_end=end,
    )


def fit_to_plan(draft: ReviewDraft, rubric: Rubric) -> ReviewDraft:
    """One result per chosen metric and one rating per competency, keeping what was typed."""
    results = {result.metric: result for result in draft.results}
    ratings = {rating.competency: rating for rating in draft.ratings}
    return draft.model_copy(
        update={
            "results": [
                results.get(m.id) or DraftResult(metric=m.id, as_of=draft.period_end) for m in draft.metrics
            ],
            "ratings": [ratings.get(c.id) or DraftRating(competency=c.id) for c in rubric.competencies],
        }
    )


def prefilled_bullets(draft: ReviewDraft) -> list[DraftBullet]:
    """A bullet per metric with an actual, figures filled in; the pair finish the wording."""
    bullets = []
    metrics = {metric.id: metric for metric in draft.metrics}
    for result in draft.results:
        metric, actual = metrics.get(result.metric), parse_number(result.actual)
        if metric is None or actual is None:
            continue
        outcome = f"{format_number(actual)} {metric.unit} against a target of {metric.target} {metric.unit}"
        if metric.baseline.strip():
            outcome += f", from a baseline of {metric.baseline} {metric.unit}"
        bullets.append(
            DraftBullet(action="Delivered", subject=metric.name, outcome=outcome, metric=metric.id)
        )
    return bullets


def results_errors(draft: ReviewDraft, rubric: Rubric) -> Errors:
    """Actuals that parse, dates, and overrides that come with a reason."""
    errors: Errors = {}
    levels = {str(level.value) for level in rubric.scale}
    for result in draft.results:
        key = f"results.{result.metric}"
        if result.actual.strip() and parse_number(result.actual) is None:
            errors[f"{key}.actual"] = "Type a number, or leave it empty: an empty actual is not scored."
        if result.actual.strip() and parse_date(result.as_of) is None:
            errors[f"{key}.as_of"] = "Type the date of the figure as YYYY-MM-DD."
        if result.override_level.strip():
            if result.override_level.strip() not in levels:
                errors[f"{key}.override_level"] = (
                    f"Choose a level from the scale: {', '.join(sorted(levels))}."
                )
            if blank(result.override_reason):
                errors[f"{key}.override_reason"] = "An override needs a written justification."
    return errors


def _required(errors: Errors, key: str, value: str, message: str) -> None:
    if blank(value):
        errors[key] = message


def feedback_errors(draft: ReviewDraft) -> Errors:
    errors: Errors = {}
    for index, item in enumerate(draft.feedback):
        if item.source not in FEEDBACK_SOURCES:
            errors[f"feedback.{index}.source"] = "Choose where it came from."
        _required(errors, f"feedback.{index}.observed", item.observed, "Describe the behaviour observed.")
        if item.kind not in FEEDBACK_KINDS:
            errors[f"feedback.{index}.kind"] = "Choose strength or gap."
    return errors


def context_errors(draft: ReviewDraft) -> Errors:
    errors: Errors = {}
    for index, item in enumerate(draft.context):
        if item.factor not in CONTEXT_FACTORS:
            errors[f"context.{index}.factor"] = "Choose the kind of context."
        _required(errors, f"context.{index}.note", item.note, "Say what happened and how it bore on results.")
    return errors


def examples_errors(draft: ReviewDraft, rubric: Rubric) -> Errors:
    errors: Errors = {}
    for index, item in enumerate(draft.examples):
        if item.kind not in EXAMPLE_KINDS:
            errors[f"examples.{index}.kind"] = "Choose example or success story."
        _required(errors, f"examples.{index}.title", item.title, "Give it a short title.")
        _required(errors, f"examples.{index}.text", item.text, "Say what happened and the client result.")
        if item.happened_on.strip() and parse_date(item.happened_on) is None:
            errors[f"examples.{index}.happened_on"] = "Type the date as YYYY-MM-DD, or leave it empty."
    stories = [item for item in draft.examples if item.kind == "success_story"]
    if rubric.limits.require_success_story and not stories:
        errors["examples"] = "The rubric asks for at least one client success story."
    return errors


def competencies_errors(draft: ReviewDraft, rubric: Rubric) -> Errors:
    errors: Errors = {}
    levels = {str(level.value) for level in rubric.scale}
    for rating in draft.ratings:
        key = f"ratings.{rating.competency}"
        if rating.level.strip() not in levels:
            errors[f"{key}.level"] = "Choose the level whose description fits best."
        elif blank(rating.evidence):
            errors[f"{key}.evidence"] = "Document an example that shows this level."
    return errors


def accomplishments_errors(draft: ReviewDraft) -> Errors:
    errors: Errors = {}
    for index, bullet in enumerate(draft.bullets):
        _required(
            errors, f"bullets.{index}.action", bullet.action, "What was done: managed, recovered, launched..."
        )
        _required(
            errors, f"bullets.{index}.subject", bullet.subject, "To what: a book, an account, a program."
        )
        _required(errors, f"bullets.{index}.outcome", bullet.outcome, "The outcome, with its figures.")
    return errors


def development_errors(draft: AlignmentDraft) -> Errors:
    """A review agrees at least one objective; a plan may agree none (each row is checked either way)."""
    return objectives_errors(draft, required=isinstance(draft, ReviewDraft))


def reading_errors(draft: ReviewDraft) -> Errors:
    return (
        {} if not blank(draft.reading) else {"reading": "Ask the employee for their own reading of the data."}
    )


def section_errors(section: str, draft: AlignmentDraft, rubric: Rubric, rubric_ids: set[str]) -> Errors:
    """What one step still needs (alignment or review); final steps have their own checks."""
    checks = {
        "participants": lambda: participants_errors(draft, rubric_ids),
        "agenda": lambda: topic_errors(draft),
        "impact_map": lambda: impact_map_errors(draft, rubric),
        "impact_recap": lambda: impact_map_errors(draft, rubric),
        "metrics": lambda: metrics_errors(draft, rubric),
        "targets": lambda: targets_errors(draft, rubric),
        "metric_results": lambda: results_errors(draft, rubric),
        "customer_feedback": lambda: feedback_errors(draft),
        "context": lambda: context_errors(draft),
        "examples": lambda: examples_errors(draft, rubric),
        "competencies": lambda: competencies_errors(draft, rubric),
        "accomplishments": lambda: accomplishments_errors(draft),
        "development": lambda: development_errors(draft),
        "employee_reading": lambda: reading_errors(draft),
    }
    return checks[section]() if section in checks else {}


def _metric_data(metric: DraftMetric, result: DraftResult | None) -> dict[str, object]:
    data = plan_metric_data(metric)
    if result is not None:
        actual, as_of = parse_number(result.actual), parse_date(result.as_of)
        if actual is not None and as_of is not None:
            data["actuals"] = [
                {
                    "value": actual,
                    "as_of": as_of,
                    "data_source": result.data_source,
                    "evidence": result.evidence,
                }
            ]
        data["evidence"] = result.evidence
        if is_whole(result.override_level.strip()) and result.override_reason.strip():
            data["override"] = {"level": int(result.override_level), "reason": result.override_reason}
    return data


def _metrics_with_results(draft: ReviewDraft) -> list[dict[str, object]]:
    results = {result.metric: result for result in draft.results}
    return [_metric_data(metric, results.get(metric.id)) for metric in draft.metrics]


def metric_with_result(draft: ReviewDraft, metric_id: str) -> PlanMetric | None:
    """The plan metric with the typed result applied; None while something does not parse yet."""
    metric = draft.metric(metric_id)
    result = next((r for r in draft.results if r.metric == metric_id), None)
    if metric is None:
        return None
    try:
        return PlanMetric.model_validate(_metric_data(metric, result))
    except ValueError:  # pydantic's ValidationError is a ValueError
        return None


def review_session(
    draft: ReviewDraft, rubric: Rubric, rubric_sha256: str, now: dt.datetime, *, signed: bool
) -> Session:
    """The review record: signed by both when `signed`, else a draft-status preview for scoring."""
    employee, manager = draft.employee_name, draft.manager_name
    session = Session.model_validate(
        {
            "id": draft.id,
            "kind": "review",
            "status": "signed" if signed else "draft",
            "created_at": draft.created_at,
            "updated_at": max(now, draft.created_at),
            "rubric": {"id": rubric.id, "version": rubric.version, "sha256": rubric_sha256},
            "follows": draft.follows,
            "participants": {
                "employee": {
                    "name": employee or "(not named)",
                    "role": draft.job_title.strip() or rubric.role,
                },
                "manager": {"name": manager or "(not named)"},
                "partners": [
                    {"name": p.name, "function": p.function} for p in draft.partners if p.name.strip()
                ],
            },
            "period": {
                "label": draft.period_label or "(no period)",
                "start": parse_date(draft.period_start) or draft.created_at.date(),
                "end": parse_date(draft.period_end)
                or parse_date(draft.period_start)
                or draft.created_at.date(),
            },
            "impact_map": [
                {"activity": r.activity, "outcome": r.outcome, "how": r.how}
                for r in draft.impact_map
                if r.activity.strip() and r.outcome and r.how.strip()
            ],
            "metrics": _metrics_with_results(draft),
            "adjustments": draft.adjustments,
            "feedback": [
                {
                    "source": f.source,
                    "account": f.account,
                    "observed": f.observed,
                    "impact": f.impact,
                    "kind": f.kind,
                }
                for f in draft.feedback
            ],
            "context": [{"factor": c.factor, "note": c.note} for c in draft.context],
            "examples": [
                {
                    "kind": e.kind,
                    "title": e.title,
                    "account": e.account,
                    "happened_on": parse_date(e.happened_on),
                    "text": e.text,
                    "log_entry": e.log_entry,
                }
                for e in draft.examples
            ],
            "competencies": [
                {"competency": r.competency, "level": int(r.level), "evidence": r.evidence}
                for r in draft.ratings
                if is_whole(r.level.strip()) and r.evidence.strip()
            ],
            "accomplishments": [
                {
                    "action": b.action,
                    "subject": b.subject,
                    "outcome": b.outcome,
                    "contribution": b.contribution,
                    "metric": b.metric or None,
                }
                for b in draft.bullets
            ],
            "development": objective_records(draft),
            "experiments": [experiment.model_dump() for experiment in draft.experiments],
            "employee_reading": {"reading": draft.reading, "comments": draft.comments},
            "self_assessment": draft.self_assessment,
            "partner_observations": draft.partner_observations,
            "agenda": record_topics(draft, now),
            "notes": draft.notes,
            "sign_offs": sign_offs(
                draft, now, (employee, manager), {p.name for p in draft.partners if p.name.strip()}
            )
            if signed
            else [],
        }
    )
    if not signed:
        return session
    session = with_contributions(draft, session)
    # What the two sign: the score as shown now, with every input to it, kept in the record.
    return session.model_copy(update={"signed_score": signed_snapshot(session, rubric)})
