"""What the employee and partners prepared before a review, in the record's Markdown (pure)."""

from __future__ import annotations

from ..models import Rubric, Session
from ..score.words import named
from .markdown import labelled, list_item, table


def self_assessment_lines(session: Session, rubric: Rubric | None, labels: dict[int, str]) -> list[str]:
    """The employee's self-assessment: their reading, their level beside the manager's, objectives, topics."""
    assessment = session.self_assessment
    if assessment is None:
        return []
    lines = [
        "",
        "## The employee's self-assessment",
        "",
        f"Written by the employee on {assessment.written_at:%Y-%m-%d}.",
    ]
    lines += labelled("Their reading of the data:", assessment.reading)
    if assessment.ratings:
        names = {competency.id: competency.name for competency in rubric.competencies} if rubric else {}
        manager = {rating.competency: rating.level for rating in session.competencies}
        rows = [
            [
                names.get(own.competency, own.competency),
                named(own.level, labels),
                named(manager[own.competency], labels) if own.competency in manager else "–",
                own.example,
            ]
            for own in assessment.ratings
        ]
        lines += table(["Competency", "Their own level", "Manager's level", "Their example"], rows)
    if assessment.objectives:
        lines += ["", "**Objectives they proposed:**", ""]
        for item in assessment.objectives:
            lines += list_item(f"**{item.objective}**", item.why, own_line=True)
    if assessment.topics:
        lines += ["", "**Topics they asked to discuss:**", ""]
        for topic in assessment.topics:
            lines += list_item(topic)
    return lines


def partner_observation_lines(session: Session) -> list[str]:
    """The partners' observations as written before the review."""
    if not session.partner_observations:
        return []
    header = ["Partner", "Written", "Account", "Observed behaviour", "Impact", "Strength or gap"]
    rows = [
        [
            item.name,
            f"{item.written_at:%Y-%m-%d}",
            item.account or "–",
            item.observed,
            item.impact or "–",
            item.kind,
        ]
        for item in session.partner_observations
    ]
    return ["", "## Partners' observations", *table(header, rows)]
