"""Agreed plans that break a checklist rule, for the calibration report (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .summaries import RecordSummary


@dataclass(frozen=True)
class RuleBreak:
    """An agreed plan that breaks a checklist rule or guardrail, and the reason written for it."""

    path: str
    manager: str
    employee: str
    period: str
    check: str
    message: str
    reason: str


def rule_breaks(summaries: Iterable[RecordSummary]) -> tuple[RuleBreak, ...]:
    """One entry per rule an agreed plan was agreed against, in the order of the summaries."""
    return tuple(
        RuleBreak(s.path, s.manager, s.employee, s.period, *broken)
        for s in summaries
        for broken in s.broken_rules
    )
