"""A check-in as Markdown and JSON data: its figures read for the period so far, the pair's notes, the actions.

A check-in is not scored: its figures are read as at the check-in (against the target as
adjusted, pro-rated for running totals), with the flags the pair discussed and what they made of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..checkins.due import late_words, meeting_day
from ..checkins.flags import Reading, amount, latest_two, recorded_readings
from ..models import PlanMetric, Rubric, Session
from ..models.checkin_parts import NextAction
from .markdown import list_item, table


def _track_word(reading: Reading | None) -> str:
    if reading is None or reading.on_track is None:
        return "–"
    return "on track" if reading.on_track else "off track"


def _figure_item(metric: PlanMetric, reading: Reading | None) -> list[str]:
    latest, _ = latest_two(metric)
    if latest is None:
        return [f"- **{metric.name}:** no figure yet"]
    head = f"**{metric.name}:** {amount(latest.value, metric.unit)} on {latest.as_of:%Y-%m-%d}"
    parts = []
    if reading is not None and reading.track:
        parts.append(f"{'' if reading.on_track else '⚑ '}{reading.track}.")
    parts += [f"⚑ {warning}." for warning in (reading.warnings if reading else [])]
    if latest.note:
        parts.append(f"**Discussion:** {' '.join(latest.note.split())}")
    if latest.data_source:
        parts.append(f"**Source:** {latest.data_source}")
    if latest.evidence:
        parts.append(f"**Evidence:** {' '.join(latest.evidence.split())}")
    earlier = [a for a in sorted(metric.actuals, key=lambda a: a.as_of) if a is not latest]
    if earlier:
        figures = ", ".join(f"{amount(a.value, metric.unit)} on {a.as_of:%Y-%m-%d}" for a in earlier)
        parts.append(f"**Earlier:** {figures}")
    # One line each: a hard break (a trailing backslash) ends every line but the last.
    return list_item(head, "\\\n".join(parts), own_line=True) if parts else [f"- {head}"]


def checkin_figures(session: Session, rubric: Rubric | None) -> list[str]:
    """The plan as it stands with each metric's latest figure and its reading, then each reading in full."""
    if not session.metrics:
        return []
    readings = recorded_readings(session, rubric) if rubric else {}
    rows = []
    for metric in session.metrics:
        latest, _ = latest_two(metric)
        rows.append(
            [
                metric.name,
                "–" if metric.target is None else amount(metric.target, metric.unit),
                f"{metric.weight}%",
                f"{amount(latest.value, metric.unit)} ({latest.as_of:%Y-%m-%d})" if latest else "–",
                _track_word(readings.get(metric.id)),
            ]
        )
    lines = ["", "## Figures at this check-in"]
    lines += table(["Metric", "Target", "Weight", "Latest actual (as of)", "Reading"], rows)
    if rubric is None:
        lines += [
            "",
            f"No reading: the rubric `{session.rubric.id}` (version {session.rubric.version}) was not found.",
        ]
    lines += ["", "### Readings, flags and what the pair made of them", ""]
    for metric in session.metrics:
        lines += _figure_item(metric, readings.get(metric.id))
    return lines


def definitions(session: Session) -> list[str]:
    """What each metric counts and where its figure comes from, as agreed."""
    if not session.metrics:
        return []
    lines = ["", "## Definitions and data sources", ""]
    return lines + [
        f"- **{m.name}:** {' '.join(m.definition.split())} *Source: {m.data_source}.*"
        for m in session.metrics
    ]


def _agreed(carried_from: str | None) -> str:
    return "at an earlier check-in (carried over)" if carried_from else "at this check-in"


def _due_cell(action: NextAction, meeting: dt.date) -> str:
    late = late_words(action.due.isoformat(), meeting) if action.status == "open" else ""
    return f"{action.due:%Y-%m-%d}" + (f" ⚑ {late} at this check-in" if late else "")


def checkin_actions(session: Session) -> list[str]:
    """Every action of the check-in, open and done, with its owner, due date and where it was agreed;
    an open action past its date on the check-in's day is flagged."""
    if not session.actions:
        return ["", "## Actions", "", "No actions were agreed."]
    meeting = meeting_day(session)
    rows = [
        [action.text, action.owner, _due_cell(action, meeting), action.status, _agreed(action.carried_from)]
        for action in session.actions
    ]
    return ["", "## Actions", *table(["Action", "Owner", "Due", "Status", "Agreed"], rows)]


def cadence_lines(session: Session) -> list[str]:
    """How often the pair meet and the next check-in, as the record sets them; nothing in older records."""
    if session.cadence is None and session.next_checkin is None:
        return []
    parts = []
    if session.cadence:
        parts.append(f"**Cadence:** {session.cadence}")
    if session.next_checkin:
        parts.append(f"**Next check-in:** {session.next_checkin:%Y-%m-%d}")
    return ["", " · ".join(parts)]


def checkin_data(session: Session, rubric: Rubric) -> dict[str, Any]:
    """Each metric's latest figure as read at the check-in, as plain JSON data."""
    readings = recorded_readings(session, rubric)
    meeting = meeting_day(session)
    return {
        "readings": [
            {
                "metric": metric_id,
                "on_track": reading.on_track,
                "reading": reading.track,
                "flags": reading.flags,
            }
            for metric_id, reading in readings.items()
        ],
        # Open actions already past their date on the check-in's day (days late as of that day).
        "overdue_actions": [
            {"action": index, "due": f"{action.due:%Y-%m-%d}", "days_late": (meeting - action.due).days}
            for index, action in enumerate(session.actions)
            if action.status == "open" and action.due < meeting
        ],
    }
