"""A record as Markdown a person reads: for the read-only view (and, later, export)."""

from __future__ import annotations

from .models import Rubric, Session


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _number(value: object) -> str:
    return "–" if value is None else f"{value:f}" if hasattr(value, "is_finite") else str(value)


def record_markdown(session: Session, rubric: Rubric | None) -> str:
    """Participants, period, impact map, metrics and sign-offs as Markdown."""
    people = session.participants
    outcome = {item.id: item.name for item in rubric.outcomes} if rubric else {}
    lines = [
        f"# {session.kind.capitalize()}: {people.employee.name}",
        "",
        f"**Status:** {session.status} · **Period:** {session.period.label} "
        f"({session.period.start:%Y-%m-%d} to {session.period.end:%Y-%m-%d}) · "
        f"**Rubric:** {rubric.title if rubric else session.rubric.id} v{session.rubric.version}",
        "",
        f"**Employee:** {people.employee.name}, {people.employee.role}  ",
        f"**Manager:** {people.manager.name}  ",
    ]
    if people.partners:
        lines.append("**Partners:** " + ", ".join(f"{p.name} ({p.function})" for p in people.partners))
    if session.impact_map:
        lines += ["", "## Role impact map", "", "| Activity | Client outcome | How |", "|---|---|---|"]
        lines += [
            f"| {_cell(row.activity)} | {_cell(outcome.get(row.outcome, row.outcome))} | {_cell(row.how)} |"
            for row in session.impact_map
        ]
    if session.metrics:
        lines += [
            "",
            "## Agreed metrics",
            "",
            "| Metric | Kind | Every | Baseline | Target | Better | Weight |",
            "|---|---|---|---|---|---|---|",
        ]
        for metric in session.metrics:
            lines.append(
                f"| {_cell(metric.name)} | {metric.kind} | {metric.frequency} | {_number(metric.baseline)} | "
                f"{_number(metric.target)} {_cell(metric.unit)} | {metric.direction} | {metric.weight} |"
            )
        lines += ["", "### Definitions and data sources", ""]
        lines += [f"- **{m.name}:** {m.definition} *Source: {m.data_source}.*" for m in session.metrics]
    if session.sign_offs:
        lines += ["", "## Sign-off", ""]
        lines += [f"- {s.name} ({s.role}), {s.at:%Y-%m-%d %H:%M %z}" for s in session.sign_offs]
    return "\n".join(lines) + "\n"
