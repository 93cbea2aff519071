"""Who signed, when and how, and who wrote which parts: the record's last sections (pure)."""

from __future__ import annotations

from datetime import datetime

from ..models import Rubric, Session
from .markdown import list_item

HOW_SIGNED = {
    "host_screen": "confirmed on the host's screen",
    "joined_terminal": "from their own screen (a terminal joined to the session)",
    "browser": "from their own screen (browser)",
}
HOW_WRITTEN = {
    "host_screen": "on the host's screen",
    "joined_terminal": "from their own screen (a terminal joined to the session)",
    "browser": "from their own screen (browser)",
}
_PARTS = {
    "employee_reading.reading": "reading of the data",
    "employee_reading.comments": "comments",
    "participants": "who takes part",
    "period": "the period",
}
_ENTRIES = {
    "participants.partners": "partner",
    "impact_map": "impact map row",
    "feedback": "customer feedback",
    "context": "context factor",
    "examples": "example",
    "accomplishments": "accomplishment",
    "development": "development objective",
    "actions": "next action",
    "broken_rules": "reason for a broken rule",
}


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M %z}"


def part_words(part: str, session: Session, rubric: Rubric | None) -> str:
    """A record part's key path in words: `feedback.1` -> "customer feedback 2"."""
    if part in _PARTS:
        return _PARTS[part]
    head, _, number = part.rpartition(".")
    index = int(number) if number.isdigit() else -1
    if head == "metrics" and 0 <= index < len(session.metrics):
        return f"metric {session.metrics[index].name}"
    if head == "competencies" and 0 <= index < len(session.competencies):
        rating = session.competencies[index]
        known = {competency.id: competency.name for competency in rubric.competencies} if rubric else {}
        return f"competency {known.get(rating.competency, rating.competency)}"
    if head in _ENTRIES and index >= 0:
        return f"{_ENTRIES[head]} {index + 1}"
    return part


def sign_off_lines(session: Session) -> list[str]:
    """`## Sign-off`: each person, in their role, at their own moment, and how they confirmed."""
    if not session.sign_offs:
        return []
    lines = ["", "## Sign-off", ""]
    for sign_off in session.sign_offs:
        how = f", {HOW_SIGNED[sign_off.via]}" if sign_off.via else ""
        lines += list_item(f"{sign_off.name} ({sign_off.role}), {_when(sign_off.at)}{how}")
    return lines


def contribution_lines(session: Session, rubric: Rubric | None) -> list[str]:
    """`## Written by`: the parts each participant wrote themselves in a live session."""
    if not session.contributions:
        return []
    lines = ["", "## Written by", ""]
    for entry in session.contributions:
        parts = ", ".join(part_words(part, session, rubric) for part in entry.parts)
        lines += list_item(f"{entry.name} ({entry.role}), {HOW_WRITTEN[entry.via]}: {parts}")
    return lines
