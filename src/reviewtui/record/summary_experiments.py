"""The experiments a review's process-improvement section rests on, in the Markdown export."""

from __future__ import annotations

from ..models import Rubric, Session
from ..models.experiment_input import OUTCOME_LABELS
from .markdown import labelled


def experiments_markdown(session: Session, rubric: Rubric | None) -> list[str]:
    """Each pulled experiment with its hypothesis, change, dates, outcome, result and lesson."""
    if not session.experiments:
        return []
    competency = next((c for c in rubric.competencies if "process" in c.id), None) if rubric else None
    lines = ["", f"### Experiments ({competency.name if competency else 'process improvement'})"]
    metrics = {metric.id: metric.name for metric in session.metrics}
    for experiment in session.experiments:
        ended = (
            f"{experiment.started_on:%Y-%m-%d} to {experiment.ended_on:%Y-%m-%d}"
            if experiment.ended_on
            else (f"since {experiment.started_on:%Y-%m-%d}, still running")
        )
        lines += [
            "",
            f"**{' '.join(experiment.title.split())}** ({ended}; {OUTCOME_LABELS[experiment.outcome]})",
        ]
        if experiment.metric:
            lines += labelled(
                "Metric it was meant to move:", metrics.get(experiment.metric, experiment.metric)
            )
        lines += labelled("Bottleneck:", experiment.bottleneck)
        lines += labelled("Hypothesis:", experiment.hypothesis) + labelled("Change tried:", experiment.change)
        lines += labelled("Result:", experiment.result) + labelled("What was learned:", experiment.learned)
    return lines
