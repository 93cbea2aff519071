"""A record as Markdown a person reads, or as JSON: for the read-only view and `reviewtui export`."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..checkins.flags import amount
from ..models import Rubric, Session
from ..models.review_parts import DevelopmentObjective
from ..score.signed import record_score
from ..score.weighted import MetricLevel, ScoreBreakdown, latest_actual
from ..score.words import named
from .markdown import labelled, list_item, table
from .summary_agenda import agenda_markdown
from .summary_checkin import cadence_lines, checkin_actions, checkin_data, checkin_figures, definitions
from .summary_experiments import experiments_markdown
from .summary_people import contribution_lines, sign_off_lines
from .summary_plan import plan_markdown
from .summary_prepared import partner_observation_lines, self_assessment_lines
from .summary_score import score_section, shown_share

FEEDBACK_SOURCE = {
    "survey": "Survey",
    "support": "Support",
    "narrative": "Client narrative",
    "other": "Other",
}
CONTEXT_FACTOR = {
    "resource_constraints": "Resource constraints",
    "competing_priorities": "Competing priorities",
    "market_dynamics": "Market dynamics",
    "other": "Other",
}


def _number(value: object) -> str:
    return "–" if value is None else f"{value:f}" if hasattr(value, "is_finite") else str(value)


def _amount(value: Decimal | None, unit: str) -> str:
    return "–" if value is None else f"{value:f} {unit}"


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M %z}"


def _has_results(session: Session) -> bool:
    return (
        session.kind != "alignment" or bool(session.competencies) or any(m.actuals for m in session.metrics)
    )


def record_markdown(session: Session, rubric: Rubric | None, rubric_sha256: str | None = None) -> str:
    """The whole record as CommonMark (with tables); the score when the rubric is known.

    `rubric_sha256` is the hash of the rubric file as found now, to tell whether it changed since.
    """
    if session.kind == "check-in":  # read for the period so far, not scored
        lines = _heading(session, rubric) + checkin_figures(session, rubric) + _adjustments(session)
        lines += checkin_actions(session) + _development(session) + cadence_lines(session)
        lines += agenda_markdown(session)
        lines += _impact_map(session, rubric) + definitions(session)
        lines += sign_off_lines(session) + contribution_lines(session, rubric)
        return "\n".join(lines) + "\n"
    found = record_score(session, rubric, rubric_sha256) if _has_results(session) else None
    breakdown = found.shown if found else None
    labels = {level.value: level.label for level in rubric.scale} if rubric else {}
    if found and found.signed and session.signed_score:
        labels = {level.value: level.label for level in session.signed_score.scale}
    lines = _heading(session, rubric) + _impact_map(session, rubric) + _metrics(session, breakdown, labels)
    lines += plan_markdown(session) + cadence_lines(session)  # scopes, rules agreed against, cadence
    if _has_results(session):
        lines += score_section(session, rubric, found, labels)
    lines += _feedback(session) + _context(session) + _examples(session)
    lines += _competencies(session, rubric, labels) + experiments_markdown(session, rubric)
    lines += _accomplishments(session) + _development(session)
    lines += _reading(session) + self_assessment_lines(session, rubric, labels)
    lines += partner_observation_lines(session) + agenda_markdown(session) + _adjustments(session)
    lines += sign_off_lines(session) + contribution_lines(session, rubric)
    return "\n".join(lines) + "\n"


def _heading(session: Session, rubric: Rubric | None) -> list[str]:
    people = session.participants
    who = [
        f"**Employee:** {people.employee.name}, {people.employee.role}",
        f"**Manager:** {people.manager.name}",
    ]
    if people.partners:
        who.append("**Partners:** " + ", ".join(f"{p.name} ({p.function})" for p in people.partners))
    return [
        f"# {session.kind.capitalize()}: {people.employee.name}",
        "",
        f"**Status:** {session.status} · **Period:** {session.period.label} "
        f"({session.period.start:%Y-%m-%d} to {session.period.end:%Y-%m-%d}) · "
        f"**Rubric:** {rubric.title if rubric else session.rubric.id} v{session.rubric.version}",
        "",
        "\\\n".join(who),
    ]


def _metrics(session: Session, breakdown: ScoreBreakdown | None, labels: dict[int, str]) -> list[str]:
    if not session.metrics:
        return []
    if not _has_results(session):
        lines = ["", "## Agreed metrics"]
        rows = [
            [
                m.name,
                m.kind,
                m.frequency,
                _number(m.baseline),
                _amount(m.target, m.unit),
                m.direction,
                str(m.weight),
            ]
            for m in session.metrics
        ]
        lines += table(["Metric", "Kind", "Every", "Baseline", "Target", "Better", "Weight"], rows)
    else:
        lines = ["", "## Metric results"]
        results = {result.metric_id: result for result in breakdown.metrics} if breakdown else {}
        header = ["Metric", "Kind", "Baseline", "Target", "Actual (as of)", "Level", "Weight", "Contribution"]
        rows = []
        for m in session.metrics:
            latest, result = latest_actual(m), results.get(m.id)
            rows.append(
                [
                    m.name,
                    m.kind,
                    _amount(m.baseline, m.unit),
                    _amount(m.target, m.unit),
                    f"{_amount(latest.value, m.unit)} ({latest.as_of:%Y-%m-%d})" if latest else "–",
                    _level_text(result, labels),
                    f"{m.weight}%",
                    shown_share(result.contribution if result else None),
                ]
            )
        lines += table(header, rows)
    lines += ["", "### Definitions and data sources", ""]
    lines += [
        f"- **{m.name}:** {' '.join(m.definition.split())} *Source: {m.data_source}.*"
        for m in session.metrics
    ]
    if any(m.evidence for m in session.metrics):
        lines += ["", "### Evidence", ""]
        for m in session.metrics:
            if m.evidence:
                lines += list_item(f"**{m.name}:**", m.evidence)
    return lines


def _level_text(result: MetricLevel | None, labels: dict[int, str]) -> str:
    if result is None:
        return "–"
    if result.level is None or result.banded_level is None:
        return "not scored"
    if result.override_reason is None:
        return named(result.level, labels)
    return f"{named(result.level, labels)} (set by the reviewer; bands give {named(result.banded_level, labels)})"


def _impact_map(session: Session, rubric: Rubric | None) -> list[str]:
    if not session.impact_map:
        return []
    outcome = {item.id: item.name for item in rubric.outcomes} if rubric else {}
    rows = [[row.activity, outcome.get(row.outcome, row.outcome), row.how] for row in session.impact_map]
    return ["", "## Role impact map", *table(["Activity", "Client outcome", "How"], rows)]


def _feedback(session: Session) -> list[str]:
    if not session.feedback:
        return []
    header = ["Source", "Account", "Observed behaviour", "Impact", "Strength or gap"]
    rows = [
        [FEEDBACK_SOURCE[item.source], item.account or "–", item.observed, item.impact or "–", item.kind]
        for item in session.feedback
    ]
    return ["", "## Customer feedback", *table(header, rows)]


def _context(session: Session) -> list[str]:
    if not session.context:
        return []
    lines = ["", "## Context", ""]
    for factor in session.context:
        lines += list_item(f"**{CONTEXT_FACTOR[factor.factor]}:**", factor.note)
    return lines


def _examples(session: Session) -> list[str]:
    if not session.examples:
        return []
    lines = ["", "## Examples and client success stories", ""]
    for example in session.examples:
        kind = "Client success story" if example.kind == "success_story" else "Example"
        where = [example.account] if example.account else []
        where += [f"{example.happened_on:%Y-%m-%d}"] if example.happened_on else []
        head = f"**{kind}: {example.title}**" + (f" ({', '.join(where)})" if where else "")
        lines += list_item(head, example.text, own_line=True)
    return lines


def _competencies(session: Session, rubric: Rubric | None, labels: dict[int, str]) -> list[str]:
    if not session.competencies:
        return []
    lines = ["", "## Competencies", ""]
    known = {competency.id: competency for competency in rubric.competencies} if rubric else {}
    lowest = min(labels, default=0)
    for rating in session.competencies:
        competency = known.get(rating.competency)
        head = f"**{competency.name if competency else rating.competency}:** {named(rating.level, labels)}"
        if competency and labels and 0 <= rating.level - lowest < len(competency.anchors):
            head += f" ({' '.join(competency.anchors[rating.level - lowest].split())})"
        lines += list_item(head, rating.evidence, own_line=True)
    return lines


def _accomplishments(session: Session) -> list[str]:
    if not session.accomplishments:
        return []
    return ["", "## Accomplishments", "", *(f"- {bullet.sentence()}" for bullet in session.accomplishments)]


def _development(session: Session) -> list[str]:
    if not session.development:
        return []
    lines = ["", "## Development plan"]
    for item in session.development:
        # An objective written before statuses existed (no id) has none to show.
        known = item.id is not None or item.status != "not_started"
        status = f" · **Status:** {item.status.replace('_', ' ')}" if known else ""
        lines += [
            "",
            f"### {item.objective}",
            "",
            f"**Owner:** {item.owner} · **Due:** {item.due:%Y-%m-%d}{status}",
        ]
        actions = [action for action in item.actions if action]
        if actions:
            lines.append("")
            for action in actions:
                lines += list_item("", action)
        lines += labelled("Support:", item.support) + labelled("Success measure:", item.success_measure)
        lines += labelled("Progress:", item.progress) + _addresses(session, item)
    return lines


def _addresses(session: Session, item: DevelopmentObjective) -> list[str]:
    """What the objective addresses: the plan metric by name, the feedback gap as observed."""
    metric = session.metric(item.addresses_metric) if item.addresses_metric else None
    lines = labelled("Addresses metric:", metric.name if metric else item.addresses_metric or "")
    return lines + labelled("Addresses feedback gap:", item.addresses_gap)


def _reading(session: Session) -> list[str]:
    reading = session.employee_reading
    if not (reading.reading or reading.comments):
        return []
    lines = ["", "## The employee's reading"]
    return (
        lines
        + labelled("Their reading of the data:", reading.reading)
        + labelled("Comments:", reading.comments)
    )


def _adjustments(session: Session) -> list[str]:
    if not session.adjustments:
        return []
    rows = []
    for change in session.adjustments:
        plan_metric = session.metric(change.metric)
        name = plan_metric.name if plan_metric else change.metric
        if change.field == "weight":
            old, new = f"{change.old:f}%", f"{change.new:f}%"
        else:  # the metric's unit, as the check-in said it
            unit = plan_metric.unit if plan_metric else ""
            old, new = amount(change.old, unit), amount(change.new, unit)
        rows.append(
            [
                name,
                change.field,
                f"{old} → {new}",
                change.reason,
                change.by,
                _when(change.at),
            ]
        )
    return ["", "## Adjustments", *table(["Metric", "Changed", "Old → new", "Reason", "By", "When"], rows)]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def score_data(breakdown: ScoreBreakdown) -> dict[str, Any]:
    """The breakdown as plain JSON data: decimals as exact strings, dates as ISO dates."""
    return _plain(dataclasses.asdict(breakdown))


def record_json(session: Session, rubric: Rubric | None, rubric_sha256: str | None = None) -> str:
    """The record, its score (null without the rubric), the rubric found now and the review bullets."""
    found = record_score(session, rubric, rubric_sha256)
    data = {
        "record": session.model_dump(mode="json"),
        "score": score_data(found.shown) if found else None,
        "score_signed": found.signed if found else False,
        "score_under_todays_rubric": score_data(found.today) if found and found.today else None,
        "rubric": {
            "id": rubric.id if rubric else session.rubric.id,
            "version": rubric.version if rubric else None,
            "title": rubric.title if rubric else None,
            "sha256_now": rubric_sha256 if rubric else None,
        },
        "bullets": [bullet.sentence() for bullet in session.accomplishments],
    }
    if session.kind == "check-in":
        data["check_in"] = checkin_data(session, rubric) if rubric else None
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
