"""The Score section of a record's Markdown: the signed or today's score, every term, and its notes."""

from __future__ import annotations

from decimal import Decimal

from ..models import Rubric, Session
from ..score.signed import RecordScore
from ..score.words import named
from .markdown import table


def shown_share(contribution: Decimal | None) -> str:
    """A term's contribution as every surface shows it, or `–` when not scored."""
    # Already in cents, apportioned so the terms add up to the total: shown as they are.
    return "–" if contribution is None else f"{contribution:f}"


def score_section(
    session: Session,
    rubric: Rubric | None,
    found: RecordScore | None,
    labels: dict[int, str],
) -> list[str]:
    """The record's Score section: the total, its notes, the terms and how each was worked out."""
    lines = ["", "## Score", ""]
    if found is None:
        pinned = session.rubric
        return [*lines, f"No score: the rubric `{pinned.id}` (version {pinned.version}) was not found."]
    breakdown = found.shown
    scale = f"on a {breakdown.lowest_level}–{breakdown.top_level} scale"
    if breakdown.total is None:
        line = "**Score:** none yet"
    else:
        line = f"**Score:** {breakdown.total:f} {scale}"
        if found.signed:
            line += " (as signed)"
        if not breakdown.complete:
            count = len(breakdown.not_scored)
            line += f" (provisional: {count} item{'s' if count != 1 else ''} not scored yet)"
    lines.append(line)
    if not breakdown.counts and breakdown.total is not None:
        lines += ["", "**Note:** no metric is scored, so this score (on competencies alone) does not count."]
    lines += _score_notes(session, rubric, found)
    rows = []
    for part, weight, items in (
        ("Metrics", breakdown.metrics_weight, breakdown.metrics),
        ("Competencies", breakdown.competencies_weight, breakdown.competencies),
    ):
        for item in items:
            level = named(item.level, labels) if item.level is not None else "not scored"
            rows.append(
                [f"{part} ({weight}%)", item.name, level, f"{item.weight}%", shown_share(item.contribution)]
            )
    lines += table(["Part", "Item", "Level", "Weight", "Contribution"], rows)
    worked = [item for item in [*breakdown.metrics, *breakdown.competencies] if item.arithmetic]
    if worked:
        lines += [
            "",
            "Each term is the level × its weight's share of its part × the part's split, rounded to cents "
            "so that the terms add up to the score:",
            "",
        ]
        lines += [f"- **{item.name}:** {item.arithmetic}" for item in worked]
    lines += ["", breakdown.formula]
    if breakdown.metrics:
        lines += ["", "How each metric's level was reached:", ""]
        lines += [f"- **{item.name}:** {item.rule}" for item in breakdown.metrics]
    return lines


def _score_notes(session: Session, rubric: Rubric | None, found: RecordScore) -> list[str]:
    """Where the score comes from when that is not simply today's rubric: signed, changed, unchecked."""
    lines = []
    if not found.consistent:
        lines += [
            "",
            "**Warning:** the signed score stored in this record does not agree with its own inputs "
            "(`reviewtui validate` shows where); shown here as its inputs give it.",
        ]
    if found.today is not None and found.today.total != found.shown.total:
        today = "none" if found.today.total is None else f"{found.today.total:f}"
        lines += ["", f"**Under today's rubric (changed since signing):** {today}"]
    elif found.today is not None:
        lines += ["", "**Note:** today's rubric gives the same total, with different terms."]
    if found.shown.rubric_changed and rubric is not None:
        then, now = session.rubric.version, rubric.version
        versions = f"version {then} then, {now} now" if then != now else f"still version {now}, but edited"
        lines += [
            "",
            f"**Note:** the rubric has changed since this record was made ({versions}), "
            + (
                "so the score above is the one signed, with its inputs as they were."
                if found.signed
                else "so this score uses the rubric as it is now."
            ),
        ]
    return lines
