"""What a review lacks in evidence: one rule for the sign-off checklist and the calibration report."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Rubric, Session
from ..score.weighted import latest_actual


@dataclass(frozen=True)
class EvidenceGaps:
    """A review's missing evidence and success story."""

    no_evidence: tuple[str, ...] = ()
    """Names of metrics with an actual but no evidence written (for the metric or its actual)."""
    no_success_story: bool = False
    """No client success story, where the rubric asks for one."""

    def __bool__(self) -> bool:
        return bool(self.no_evidence) or self.no_success_story


def evidence_gaps(session: Session, rubric: Rubric) -> EvidenceGaps:
    """The gaps of a review (signed or a preview of one) under its rubric."""
    no_evidence = []
    for metric in session.metrics:
        latest = latest_actual(metric)
        if latest is not None and not metric.evidence.strip() and not latest.evidence.strip():
            no_evidence.append(metric.name)
    return EvidenceGaps(
        no_evidence=tuple(no_evidence),
        no_success_story=rubric.limits.require_success_story
        and not any(example.kind == "success_story" for example in session.examples),
    )
