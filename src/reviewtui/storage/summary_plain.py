"""A record's summary as plain JSON data, as the report cache keeps it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..team.summaries import RecordSummary


def summary_to_plain(summary: RecordSummary) -> list:
    return [
        summary.kind,
        summary.status,
        summary.rubric_id,
        summary.rubric_known,
        summary.rubric_changed,
        summary.manager,
        summary.employee,
        summary.period,
        [list(metric) for metric in summary.metrics],
        [list(competency) for competency in summary.competencies],
        None if summary.score is None else str(summary.score),
        list(summary.no_evidence),
        summary.no_success_story,
        summary.score_signed,
        None if summary.score_today is None else str(summary.score_today),
        [list(broken) for broken in summary.broken_rules],
        summary.record_id,
    ]


def summary_from_plain(name: str, plain: Any) -> RecordSummary:
    """The summary back from the cache; a malformed entry raises TypeError or ValueError."""
    (
        kind,
        status,
        rubric_id,
        known,
        changed,
        manager,
        employee,
        period,
        metrics,
        ratings,
        total,
        gaps,
        story,
        signed,
        today,
        broken,
        record_id,
    ) = plain
    texts = (kind, status, rubric_id, manager, employee, period, record_id)
    if not all(isinstance(text, str) for text in texts) or not isinstance(gaps, list):
        raise TypeError("malformed cache entry")
    return RecordSummary(
        path=name,
        kind=kind,
        status=status,
        rubric_id=rubric_id,
        rubric_known=known is True,
        rubric_changed=changed is True,
        manager=manager,
        employee=employee,
        period=period,
        metrics=tuple((str(m), str(n), _level(level)) for m, n, level in metrics),
        competencies=tuple((str(c), _level(level)) for c, level in ratings),
        score=None if total is None else _decimal(total),
        no_evidence=tuple(str(gap) for gap in gaps),
        no_success_story=story is True,
        score_signed=signed is True,
        score_today=None if today is None else _decimal(today),
        broken_rules=tuple((str(check), str(message), str(reason)) for check, message, reason in broken),
        record_id=record_id,
    )


def _level(value: Any) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise TypeError("malformed level")


def _decimal(text: Any) -> Decimal:
    if not isinstance(text, str):
        raise TypeError("malformed score")
    value = Decimal(text)
    if not value.is_finite():
        raise ValueError("malformed score")
    return value
