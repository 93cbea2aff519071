"""An employee's history as the git log holds it: plans agreed, target and weight changes, review scores.

Pure: the caller reads every archived version of every record (oldest commit first) and passes them in.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal

from ..errors import ReviewtuiError
from ..models import PlanMetric, Rubric, Session
from ..names import person_key
from ..score.signed import record_score, signed_breakdown
from ..score.weighted import score
from ..shown import shown_text

_NOUNS = {"alignment": "plan", "check-in": "check-in", "review": "review"}
_INDENT = " " * 12  # under the text, past the date


class NotInHistoryError(ReviewtuiError):
    """No archived record names the employee asked for."""


@dataclass(frozen=True)
class RecordVersion:
    """A record file as one commit left it."""

    commit: str
    """The commit's short id."""
    committed_at: datetime
    name: str
    """The file name, in the sessions folder."""
    change: Literal["added", "changed", "removed"]
    session: Session | None
    """The record; None when removed, or when this version does not load."""


@dataclass(frozen=True)
class Event:
    """One thing that happened, when it happened, and the commit that archived it."""

    when: datetime
    text: str
    commit: str
    committed_at: datetime
    details: tuple[str, ...] = ()


def resolve_name(versions: Sequence[RecordVersion], typed: str) -> str:
    """The employee's name as the archived records spell it, matched as a person (`names.person_key`)."""
    names: dict[str, str] = {}
    for version in versions:
        if version.session is not None:
            name = version.session.participants.employee.name
            names.setdefault(person_key(name), name)
    if not names:
        raise NotInHistoryError("no record is archived in git yet; `reviewtui archive` commits them")
    if person_key(typed) in names:
        return names[person_key(typed)]
    close = difflib.get_close_matches(person_key(typed), list(names), n=3, cutoff=0.6)
    if close:
        hint = "close names: " + ", ".join(shown_text(names[key]) for key in close)
    else:
        hint = "archived: " + ", ".join(shown_text(name) for name in sorted(names.values())[:10])
    raise NotInHistoryError(f"no archived record names an employee {typed!r}; {hint}")


def _amount(value: Decimal | None, unit: str) -> str:
    return "none" if value is None else f"{value:f} {unit}"


def _plan_line(metric: PlanMetric) -> str:
    return f"{metric.name}: target {_amount(metric.target, metric.unit)}, weight {metric.weight}"


@dataclass(frozen=True)
class Rubrics:
    """The rubrics a history is scored with: today's, and every earlier version git holds."""

    today: Mapping[str, Rubric]
    """By id: the rubrics as found now."""
    today_sha256: Mapping[str, str] = field(default_factory=dict)
    """By id: the hash of each rubric file as found now."""
    past: Mapping[str, Rubric] = field(default_factory=dict)
    """By the hash records cite: every version of the repository's rubric files in git."""


def _score_text(session: Session, rubrics: Rubrics) -> str:
    """The review's score, with its rubric as it was when git holds that version, saying which rubric."""
    rubric_id, cited = session.rubric.id, session.rubric.sha256
    today_sha = rubrics.today_sha256.get(rubric_id)
    changed = today_sha is not None and today_sha != cited
    then = rubrics.past.get(cited)
    if not changed or then is None or then.id != rubric_id:
        text = _scored(session, rubrics.today)
        if changed and session.signed_score is None:
            text += (
                "; scored with today's rubric (the rubric changed since, and its version then is not in git)"
            )
        return text
    text = _scored(session, {rubric_id: then})
    if session.signed_score is None:
        text += ", with the rubric as it was then (from git)"
    today = rubrics.today.get(rubric_id)
    found = record_score(session, then)
    if today is not None and found is not None and (now := score(session, today).total) != found.shown.total:
        text += f"; under today's rubric (changed since): {'none' if now is None else f'{now:f}'}"
    return text


def _scored(session: Session, rubrics: Mapping[str, Rubric]) -> str:
    rubric = rubrics.get(session.rubric.id)
    if rubric is None and session.signed_score is not None:
        signed = signed_breakdown(session)
        assert signed is not None
        total = "none" if signed.total is None else f"{signed.total:f}"
        return f"score {total} of {signed.top_level} (as signed; rubric {session.rubric.id} not found)"
    if rubric is None:
        return f"score not computed: rubric {session.rubric.id} not found"
    found = record_score(session, rubric)
    assert found is not None  # the rubric is known
    breakdown = found.shown
    if breakdown.total is None:
        return "no score: nothing is scored yet"
    text = f"score {breakdown.total:f} of {breakdown.top_level}"
    if not breakdown.complete:
        text += f" (provisional: {len(breakdown.not_scored)} not scored)"
    if found.today is not None and found.today.total != breakdown.total:
        today = "none" if found.today.total is None else f"{found.today.total:f}"
        text += f"; under today's rubric (changed since signing): {today}"
    return text


def _final_when(session: Session) -> datetime:
    """When the record became final: its last signature, or its last change for a check-in."""
    return max((sign_off.at for sign_off in session.sign_offs), default=session.updated_at)


def _final_event(version: RecordVersion, session: Session, rubrics: Rubrics) -> Event:
    period = session.period.label
    if session.kind == "alignment":
        count = len(session.metrics)
        text = f"plan agreed, {period}: {count} metric{'s' if count != 1 else ''}"
        details = tuple(_plan_line(metric) for metric in session.metrics)
    elif session.kind == "check-in":
        text, details = f"check-in recorded, {period}", ()
    else:
        text, details = f"review signed, {period}: {_score_text(session, rubrics)}", ()
    return Event(_final_when(session), text, version.commit, version.committed_at, details)


def _differences(old: Session, new: Session, rubrics: Rubrics) -> list[str]:
    found = []
    for metric in new.metrics:
        before = old.metric(metric.id)
        if before is None:
            found.append(f"metric added: {_plan_line(metric)}")
            continue
        if before.target != metric.target:
            found.append(
                f"{metric.name} target {_amount(before.target, metric.unit)} → {_amount(metric.target, metric.unit)}"
            )
        if before.weight != metric.weight:
            found.append(f"{metric.name} weight {before.weight} → {metric.weight}")
    kept = {metric.id for metric in new.metrics}
    found += [f"metric removed: {metric.name}" for metric in old.metrics if metric.id not in kept]
    if new.kind == "review" and (was := _score_text(old, rubrics)) != (now := _score_text(new, rubrics)):
        found.append(f"{was} → {now}")
    return found


def _adjustment_events(version: RecordVersion, session: Session, seen: set[tuple]) -> list[Event]:
    events = []
    for change in session.adjustments:
        key = (change.metric, change.field, change.old, change.new, change.at)
        if key in seen:  # later records carry earlier changes along
            continue
        seen.add(key)
        metric = session.metric(change.metric)
        name, unit = (metric.name, metric.unit) if metric else (change.metric, "")
        old, new = (
            (_amount(change.old, unit), _amount(change.new, unit))
            if change.field == "target"
            else (f"{change.old:f}", f"{change.new:f}")
        )
        text = f"{change.field} changed, {name}: {old} → {new}, by {change.by}"
        reason = "reason: " + " ".join(change.reason.split())
        events.append(Event(change.at, text, version.commit, version.committed_at, (reason,)))
    return events


def history(
    versions: Sequence[RecordVersion], employee: str, rubrics: Rubrics | Mapping[str, Rubric]
) -> list[Event]:
    """What git holds about the employee, in date order: each final record when it became final,
    each target or weight change once, and each later change to an archived record.

    `rubrics` are today's by id, or a `Rubrics` that also holds their earlier versions from git.
    """
    if not isinstance(rubrics, Rubrics):
        rubrics = Rubrics(rubrics)
    wanted = person_key(employee)
    mine = {
        version.name
        for version in versions
        if version.session is not None and person_key(version.session.participants.employee.name) == wanted
    }
    final: dict[str, Session] = {}
    seen: set[tuple] = set()
    events: list[Event] = []
    holder: dict[str, str] = {}  # record id -> the file in the folder that holds it
    copies: set[str] = set()
    for version in _removals_first(versions):
        if version.name not in mine:
            continue
        session = version.session
        if version.name in copies:  # said once, when the copy came in
            if version.change == "removed":
                copies.discard(version.name)
            continue
        if version.change == "removed":
            holder = {key: name for key, name in holder.items() if name != version.name}
            events.append(
                Event(version.committed_at, f"removed from the folder: {version.name}", *_commit(version))
            )
            final.pop(version.name, None)
            continue
        if session is None:
            events.append(
                Event(
                    version.committed_at,
                    f"a version of {version.name} does not load; left out",
                    *_commit(version),
                )
            )
            continue
        if session.status == "draft" or person_key(session.participants.employee.name) != wanted:
            continue
        original = holder.setdefault(str(session.id), version.name)
        if original != version.name:
            # A second file holding one record (a copy): shown once, from the file archived first.
            copies.add(version.name)
            text = f"{version.name} is a copy of {original} (the same record, id {session.id}); shown once"
            events.append(Event(version.committed_at, text, *_commit(version)))
            continue
        events += _adjustment_events(version, session, seen)
        previous = final.get(version.name)
        if previous is None:
            events.append(_final_event(version, session, rubrics))
        else:
            changes = _differences(previous, session, rubrics) or ["no target, weight or score change"]
            text = f"{_NOUNS[session.kind]} changed, {session.period.label}"
            events.append(Event(version.committed_at, text, *_commit(version), tuple(changes)))
        final[version.name] = session
    return sorted(events, key=lambda event: event.when)


def _removals_first(versions: Sequence[RecordVersion]) -> list[RecordVersion]:
    """The versions in commit order, each commit's removals first: a file renamed in one commit
    (removed under its old name, added under its new) is then never taken for a copy of itself."""
    order: dict[str, int] = {}
    for version in versions:
        order.setdefault(version.commit, len(order))
    return sorted(versions, key=lambda version: (order[version.commit], version.change != "removed"))


def _commit(version: RecordVersion) -> tuple[str, datetime]:
    return version.commit, version.committed_at


def render(events: Sequence[Event]) -> list[str]:
    """Plain-text lines: `2026-07-02  plan agreed, 2026 H2: 4 metrics  [1a2b3c4 2026-07-10]`."""
    lines = []
    for event in events:
        # Names, paths and reasons come from files: one line each, nothing a terminal would obey.
        text = shown_text(event.text)
        lines.append(f"{event.when:%Y-%m-%d}  {text}  [{event.commit} {event.committed_at:%Y-%m-%d}]")
        lines += [f"{_INDENT}{shown_text(detail)}" for detail in event.details]
    return lines
