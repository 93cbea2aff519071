"""What the team view needs from one record: its summary, made from the record and its rubric (pure).

Small enough to cache (storage/report_cache.py keeps one per file), so the report is built
without opening every record again.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from ..models import Rubric, Session
from ..review.evidence_gaps import evidence_gaps
from ..score.signed import record_score


@dataclass(frozen=True)
class RecordSummary:
    """What the report needs from one record; small enough to cache."""

    path: str
    kind: str
    status: str
    rubric_id: str
    rubric_known: bool
    rubric_changed: bool
    manager: str
    employee: str
    period: str
    metrics: tuple[tuple[str, str, int | None], ...] = ()
    """(metric id, name, level) for each plan metric of a review; level None = not scored."""
    competencies: tuple[tuple[str, int | None], ...] = ()
    """(competency id, level) for each rubric competency of a review."""
    score: Decimal | None = None
    """The weighted total of a review (as signed, when the record holds its signed score); None
    when nothing is scored, or only competencies where the rubric does not allow that."""
    no_evidence: tuple[str, ...] = ()
    """Names of metrics with an actual but no evidence written."""
    no_success_story: bool = False
    """A review without a client success story where its rubric asks for one."""
    score_signed: bool = False
    """Whether `score` is the one the review was signed with (kept in the record)."""
    score_today: Decimal | None = None
    """The score under the rubric as it is today, when that differs from the signed one."""
    broken_rules: tuple[tuple[str, str, str], ...] = ()
    """(check id, what the checklist said, reason) for each rule an agreed plan was agreed against."""
    record_id: str = ""
    """The record's id: two files holding one id are copies of one record, counted once."""

    @property
    def signed_review(self) -> bool:
        """Whether this record counts for scores and distributions."""
        return self.kind == "review" and self.status == "signed"


def summarise(path: str, session: Session, rubric: Rubric | None, rubric_sha256: str | None) -> RecordSummary:
    """A record's summary; levels, score and gaps only for reviews whose rubric is known.

    `rubric_sha256` is the hash of the rubric file as found now, to tell whether it changed since.
    """
    base = RecordSummary(
        path=path,
        kind=session.kind,
        status=session.status,
        rubric_id=session.rubric.id,
        rubric_known=rubric is not None,
        rubric_changed=rubric_sha256 is not None and rubric_sha256 != session.rubric.sha256,
        manager=session.participants.manager.name,
        employee=session.participants.employee.name,
        period=session.period.label,
        record_id=str(session.id),
        broken_rules=tuple((b.check, b.message, b.reason) for b in session.broken_rules)
        if session.kind == "alignment" and session.status == "agreed"
        else (),
    )
    if session.kind != "review" or rubric is None:
        return base
    # The signed score when the record holds it, which a later rubric edit never changes.
    found = record_score(session, rubric, rubric_sha256)
    assert found is not None  # the rubric is known
    breakdown = found.shown
    gaps = evidence_gaps(session, rubric)
    return dataclasses.replace(
        base,
        metrics=tuple((m.metric_id, m.name, m.level) for m in breakdown.metrics),
        competencies=tuple((c.competency_id, c.level) for c in breakdown.competencies),
        # A score on competencies alone counts only where the rubric allows it.
        score=breakdown.total if breakdown.counts else None,
        no_evidence=gaps.no_evidence,
        no_success_story=gaps.no_success_story,
        score_signed=found.signed,
        score_today=found.today.total if found.today and found.today.total != breakdown.total else None,
    )
