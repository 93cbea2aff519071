"""The calibration report's names and paths as they are shown (pure).

Every text of the report (folder and file names, people's names, periods, rubric titles and
labels, reasons) comes from files that may be hostile. `calibrate` takes its inputs through
here, so the table, the CSV, the Markdown and the team view all show the same escaped text
(`shown.shown_text`) and none of them can forget it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..models import Rubric
from ..shown import shown_text, terminal_text

if TYPE_CHECKING:
    from .summaries import RecordSummary


def _one_line(text: str) -> str:
    return shown_text(" ".join(text.split()))


def shown_summary(summary: RecordSummary) -> RecordSummary:
    """The summary with its file, names, period and free text escaped for showing."""
    return dataclasses.replace(
        summary,
        path=shown_text(summary.path),
        manager=shown_text(summary.manager),
        employee=shown_text(summary.employee),
        period=shown_text(summary.period),
        metrics=tuple((metric_id, shown_text(name), level) for metric_id, name, level in summary.metrics),
        no_evidence=tuple(shown_text(name) for name in summary.no_evidence),
        broken_rules=tuple(
            (check, _one_line(message), _one_line(reason)) for check, message, reason in summary.broken_rules
        ),
    )


def shown_rubric(rubric: Rubric) -> Rubric:
    """The rubric with the title, metric and competency names and scale labels that the report shows escaped."""
    return rubric.model_copy(
        update={
            "title": shown_text(rubric.title),
            "metrics": [m.model_copy(update={"name": shown_text(m.name)}) for m in rubric.metrics],
            "competencies": [c.model_copy(update={"name": shown_text(c.name)}) for c in rubric.competencies],
            "scale": [level.model_copy(update={"label": shown_text(level.label)}) for level in rubric.scale],
        }
    )


def shown_rubrics(rubrics: Mapping[str, Rubric]) -> dict[str, Rubric]:
    """`shown_rubric` of each rubric, by id."""
    return {rubric_id: shown_rubric(rubric) for rubric_id, rubric in rubrics.items()}


def shown_unreadable(unreadable: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(file, reason) pairs escaped; a reason keeps its own line breaks (one per problem)."""
    return [(shown_text(name), terminal_text(reason)) for name, reason in unreadable]
