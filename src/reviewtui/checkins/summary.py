"""What a check-in will record, line by line in words: figures with their readings, changes, actions.

Names, not ids, and every figure with its unit, so the employee can read along. Pure: the
record step turns each line's kind into its look.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..models import Rubric
from ..models.draft import CheckinDraft
from ..plan.rules import parse_date, parse_number
from .due import late_words
from .flags import amount
from .rules import changes, reading

LineKind = Literal["heading", "figure", "on_track", "flag", "note", "change", "action", "plain"]


@dataclass(frozen=True)
class SummaryLine:
    kind: LineKind
    text: str


def _figure_lines(draft: CheckinDraft, rubric: Rubric | None) -> list[SummaryLine]:
    lines = []
    for result in draft.results:
        metric = draft.metric(result.metric)
        name, unit = (metric.name, metric.unit) if metric else (result.metric, "")
        value, as_of = parse_number(result.actual), parse_date(result.as_of)
        if value is None:
            lines.append(SummaryLine("figure", f"{name}: no figure this time"))
            continue
        when = f" on {as_of:%Y-%m-%d}" if as_of else ""
        lines.append(SummaryLine("figure", f"{name}: {amount(value, unit)}{when}"))
        read = reading(draft, result, rubric) if rubric else None
        if read is not None and read.track:
            lines.append(SummaryLine("on_track" if read.on_track else "flag", read.track))
        lines += [SummaryLine("flag", warning) for warning in (read.warnings if read else [])]
        if result.note.strip():
            lines.append(SummaryLine("note", f"Discussion: {' '.join(result.note.split())}"))
    return lines


def _change_lines(draft: CheckinDraft) -> list[SummaryLine]:
    reasons = {change.metric: " ".join(change.reason.split()) for change in draft.changes}
    lines = []
    for metric_id, field, old, new in changes(draft):
        metric = draft.metric(metric_id)
        name = metric.name if metric else metric_id
        unit = "%" if field == "weight" else (metric.unit if metric else "")
        before, after = (
            (f"{old:f}%", f"{new:f}%") if field == "weight" else (amount(old, unit), amount(new, unit))
        )
        reason = reasons.get(metric_id) or "no reason given yet"
        lines.append(SummaryLine("change", f"Change {name} {field}: {before} → {after} (reason: {reason})"))
    return lines


def _action_lines(draft: CheckinDraft) -> list[SummaryLine]:
    lines = []
    for action in draft.actions:
        origin = "carried over" if action.carried_from else "new"
        owner = action.owner.strip() or "no owner yet"
        due = action.due.strip() or "no due date yet"
        text = action.text.strip() or "(not described yet)"
        lines.append(SummaryLine("action", f"{text}: {owner}, due {due} · {action.status}, {origin}"))
        late = late_words(action.due, draft.created_at.date()) if action.status == "open" else ""
        if late:
            lines.append(SummaryLine("flag", f"{late.capitalize()} at this check-in"))
    done = sum(1 for action in draft.actions if action.status == "done")
    lines.append(SummaryLine("plain", f"{len(draft.actions) - done} open, {done} done"))
    return lines


def summary_lines(draft: CheckinDraft, rubric: Rubric | None) -> list[SummaryLine]:
    """The whole check-in as it will be recorded."""
    lines = [
        SummaryLine("heading", f"Check-in for {draft.employee_name} on the plan {draft.period_label}"),
        SummaryLine("heading", "Figures"),
        *_figure_lines(draft, rubric),
    ]
    changed = _change_lines(draft)
    lines += [
        SummaryLine("heading", "Targets and weights"),
        *(changed or [SummaryLine("plain", "No changes.")]),
    ]
    lines += [SummaryLine("heading", "Actions"), *_action_lines(draft)]
    if draft.objectives:  # a plan without a development plan gets no empty heading
        lines += [SummaryLine("heading", "Development"), *_objective_lines(draft)]
    return lines + agenda_lines(draft)


def _objective_lines(draft: CheckinDraft) -> list[SummaryLine]:
    lines = []
    for objective in draft.objectives:
        text = " ".join(objective.objective.split()) or "(not named yet)"
        progress = " ".join(objective.progress.split())
        status = objective.status.replace("_", " ")
        lines.append(SummaryLine("plain", f"{text}: {status}" + (f" · {progress}" if progress else "")))
    return lines


def agenda_lines(draft: CheckinDraft) -> list[SummaryLine]:
    """The agenda (covered, or carried over to the next meeting) and the notes; none when both are empty."""
    lines = []
    for topic in draft.agenda:
        text = " ".join(topic.text.split()) or "(not said yet)"
        who = topic.raised_by.strip() or "not named yet"
        outcome = "covered" if topic.covered else "carries over"
        lines.append(SummaryLine("action", f"{text} (raised by {who}) · {outcome}"))
    if draft.notes.strip():
        lines.append(SummaryLine("note", f"Notes: {' '.join(draft.notes.split())}"))
    return [SummaryLine("heading", "Agenda and notes"), *lines] if lines else []
