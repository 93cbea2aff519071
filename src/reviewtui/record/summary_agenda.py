"""The agenda a meeting opened with (covered or carried over) and its notes, as Markdown."""

from __future__ import annotations

from ..models import Session
from .markdown import labelled, table


def agenda_markdown(session: Session) -> list[str]:
    """The agenda and the notes; nothing when the record has neither (records made before them)."""
    if not (session.agenda or session.notes):
        return []
    lines = ["", "## Agenda and notes"]
    if session.agenda:
        rows = [
            [
                topic.text,
                f"{topic.raised_by} ({topic.role})",
                f"{topic.raised_at:%Y-%m-%d}",
                "covered" if topic.covered else "carried over to the next meeting",
            ]
            for topic in session.agenda
        ]
        lines += table(["Topic", "Raised by", "Raised", "Outcome"], rows)
    return lines + labelled("Notes:", session.notes)
