"""The review beside the last check-in: each metric's last check-in figure, and guardrails that slipped.

Pure functions over a `ReviewDraft`, whose `last_figures` carry the plan's latest actuals.
"""

from __future__ import annotations

from ..checkins.flags import Figure, Movement, guardrail_warning
from ..models.draft import CheckinFigure, ReviewDraft
from ..models.envelope import Period
from ..plan.rules import parse_date
from .rules import metric_with_result


def last_figure(draft: ReviewDraft, metric_id: str) -> CheckinFigure | None:
    """The metric's latest actual as the plan stood when the review started, if it had one."""
    return next((figure for figure in draft.last_figures if figure.metric == metric_id), None)


def _movement(draft: ReviewDraft, metric_id: str) -> Movement | None:
    """The metric's review figure as typed against its last check-in figure; None unless both read."""
    metric, before = metric_with_result(draft, metric_id), last_figure(draft, metric_id)
    if metric is None or not metric.actuals or before is None:
        return None
    now = metric.actuals[0]
    return Movement(metric, Figure(now.value, now.as_of), Figure(before.value, before.as_of))


def guardrail_note(draft: ReviewDraft, metric_id: str) -> str | None:
    """Whether this metric improved since the last check-in while its guardrail got worse, in words."""
    watched = _movement(draft, metric_id)
    if watched is None or not watched.metric.guardrail:
        return None
    guard = _movement(draft, watched.metric.guardrail)
    start, end = parse_date(draft.period_start), parse_date(draft.period_end)
    if guard is None or start is None or end is None or end < start:
        return None
    period = Period(label=draft.period_label or "period", start=start, end=end)
    return guardrail_warning(watched, guard, period)
