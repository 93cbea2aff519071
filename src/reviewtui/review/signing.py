"""What stops a review from being signed: every section, client outcomes scored, evidence, signatures."""

from __future__ import annotations

from ..models import Rubric, Session
from ..models.draft import ReviewDraft
from ..plan.rules import Errors
from ..score.weighted import score
from .evidence_gaps import evidence_gaps
from .rules import review_session, section_errors


def sign_off_errors(draft: ReviewDraft, rubric: Rubric, rubric_ids: set[str], sections: list[str]) -> Errors:
    """Everything that stops the review from being signed."""
    errors: Errors = {}
    for section in sections:
        errors.update(section_errors(section, draft, rubric, rubric_ids))
    errors.update(outcome_and_evidence_errors(draft, rubric))
    if not draft.employee_confirmed:
        errors["employee_confirmed"] = "The employee signs the review."
    if not draft.manager_confirmed:
        errors["manager_confirmed"] = "The manager signs the review."
    return errors


PREVIEW_SHA256 = "0" * 64
"""The rubric hash of a preview record, which is never saved."""


def preview_session(draft: ReviewDraft, rubric: Rubric) -> Session | None:
    """The record the review would be if signed now, unsigned; None while entries do not parse."""
    try:
        return review_session(draft, rubric, PREVIEW_SHA256, draft.updated_at, signed=False)
    except ValueError:  # pydantic's ValidationError is a ValueError
        return None


def outcome_and_evidence_errors(draft: ReviewDraft, rubric: Rubric) -> Errors:
    """A review scores client outcomes (a metric), and backs its figures (the report's gaps too)."""
    preview = preview_session(draft, rubric)
    if preview is None:
        return {}
    errors: Errors = {}
    breakdown = score(preview, rubric)
    if not breakdown.metrics_scored and not rubric.limits.allow_competencies_only:
        errors["metrics_scored"] = (
            "No metric is scored: a review is about client outcomes, so give at least one metric "
            "its actual on the Metric results step."
        )
    gaps = evidence_gaps(preview, rubric)
    if gaps.no_evidence:
        errors["evidence"] = (
            f"No evidence written for {', '.join(gaps.no_evidence)}: say what backs "
            f"{'the figure' if len(gaps.no_evidence) == 1 else 'each figure'} on the Metric results step."
        )
    if gaps.no_success_story:
        errors["examples"] = "The rubric asks for at least one client success story."
    return errors
