"""An employee's chain of records (alignment → check-ins → review) with each one's key figures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..checkins.flags import recorded_readings
from ..models import Rubric, Session
from ..score.signed import record_score
from ..score.weighted import metric_level


@dataclass(frozen=True)
class TimelineRow:
    """One record in the chain, in words."""

    path: Path
    date: str
    kind: str
    status: str
    figures: str


def _track(session: Session, rubric: Rubric) -> str:
    if session.kind == "check-in":  # read for the period so far, as the check-in itself reads them
        readings = recorded_readings(session, rubric)
        tracks = [readings[m.id].on_track if m.id in readings else None for m in session.metrics]
    else:
        meeting = rubric.scale[len(rubric.scale) // 2].value
        levels = [metric_level(metric, rubric).level for metric in session.metrics]
        tracks = [None if level is None else level >= meeting for level in levels]
    on = sum(1 for tracked in tracks if tracked is True)
    off = sum(1 for tracked in tracks if tracked is False)
    missing = sum(1 for tracked in tracks if tracked is None)
    text = f"{on} on track, {off} off track"
    return text + (f", {missing} without a figure" if missing else "")


def _next(session: Session) -> str:
    """`; next check-in 2026-12-03 (monthly)` when the record sets one; nothing in older records."""
    if session.next_checkin is None:
        return ""
    every = f" ({session.cadence})" if session.cadence else ""
    return f"; next check-in {session.next_checkin:%Y-%m-%d}{every}"


def figures(session: Session, rubric: Rubric | None) -> str:
    """The record's key figures: metrics agreed, on or off track, the score when signed."""
    if rubric is None:
        return f"{len(session.metrics)} metrics (rubric `{session.rubric.id}` not found)"
    if session.kind == "alignment":
        weights = ", ".join(f"{m.name} {m.weight}%" for m in session.metrics)
        return f"{len(session.metrics)} metrics agreed: {weights}{_next(session)}"
    if session.kind == "check-in":
        changed = len(session.adjustments)
        open_actions = sum(1 for action in session.actions if action.status == "open")
        return (
            f"{_track(session, rubric)}; {changed} target/weight change(s) so far; "
            f"{open_actions} open action(s){_next(session)}"
        )
    found = record_score(session, rubric)
    assert found is not None  # the rubric is known
    breakdown = found.shown
    total = "no score yet" if breakdown.total is None else f"score {breakdown.total} of {breakdown.top_level}"
    if found.today is not None and found.today.total != breakdown.total:
        today = "none" if found.today.total is None else f"{found.today.total}"
        total += f" (under today's rubric, changed since signing: {today})"
    return f"{total}{'' if breakdown.complete else ' (provisional)'}; {_track(session, rubric)}"


def timeline(records: list[tuple[Path, Session]], rubrics: dict[str, Rubric]) -> list[TimelineRow]:
    """The employee's records oldest first, each with its key figures."""
    ordered = sorted(records, key=lambda item: item[1].created_at)
    return [
        TimelineRow(
            path,
            f"{session.created_at:%Y-%m-%d}",
            session.kind,
            session.status,
            figures(session, rubrics.get(session.rubric.id)),
        )
        for path, session in ordered
    ]
