"""The review's process-improvement competency: experiments pulled from the log, shown under it.

Ctrl+L on the competencies step opens the employee's experiment log; the one chosen is copied
into the draft as it stands (the record keeps the copy), chosen again it is taken out.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from ...models.draft import ReviewDraft
from ...models.experiments import Experiment
from ..experiments import experiment_markup
from ..shown_markup import escape

HINT = "Ctrl+L pulls an experiment from the log (chosen again, it is taken out)"


def is_process_competency(competency_id: str) -> bool:
    """The competency the experiment log backs: `process_improvement`, or any id naming a process."""
    return "process" in competency_id


def _lines(experiments: list[Experiment], metrics: dict[str, str]) -> str:
    if not experiments:
        return (
            "[b]Experiments[/] [dim]none pulled yet: bottlenecks found, changes tried and their results, "
            f"failures included. {HINT}.[/]"
        )
    shown = "\n".join(f"• {experiment_markup(e, metrics)}" for e in experiments)
    return f"[b]Experiments ({len(experiments)})[/] [dim]{HINT}.[/]\n{shown}"


class PulledExperiments(Vertical):
    """The experiments in the review, whole, under the process-improvement competency."""

    DEFAULT_CSS = """
    PulledExperiments { height: auto; padding: 0 1; margin-bottom: 1; border-left: wide $primary; }
    PulledExperiments > Static { height: auto; }
    """

    def __init__(self, draft: ReviewDraft) -> None:
        super().__init__(id="pulled-experiments")
        self.experiments = draft.experiments
        self.metrics = {metric.id: metric.name for metric in draft.metrics}

    def compose(self) -> Any:
        yield Static(_lines(self.experiments, self.metrics), id="pulled-experiments-text")

    def show(self, experiments: list[Experiment]) -> None:
        self.experiments = experiments
        self.query_one("#pulled-experiments-text", Static).update(_lines(experiments, self.metrics))


class ExperimentsFromLog:
    """Mixed into the competencies step: Ctrl+L pulls an experiment for process improvement."""

    BINDINGS = [Binding("ctrl+l", "from_experiments", "From experiments", id="step.from_experiments")]

    def action_from_experiments(self: Any) -> None:
        rubric = self.context.rubric(self.draft)
        if rubric is None or not any(is_process_competency(c.id) for c in rubric.competencies):
            self.notify(
                "This role's rubric has no process-improvement competency for experiments to back.",
                severity="warning",
            )
            return
        pulled = {e.id for e in self.collect().experiments}
        self.app.pick_experiment(self.draft.employee_name, pulled, self._experiment_chosen)

    def _experiment_chosen(self: Any, experiment: Experiment | None) -> None:
        if experiment is None:
            return
        draft: ReviewDraft = self.collect()
        kept = [e for e in draft.experiments if e.id != experiment.id]
        if len(kept) == len(draft.experiments):
            experiments = [*kept, experiment]
            self.notify(f"Pulled into process improvement: {escape(experiment.title)}", timeout=3)
        else:
            experiments = kept
            self.notify(f"Taken out of the review: {escape(experiment.title)}", timeout=3)
        self.draft = draft.model_copy(update={"experiments": experiments})
        if found := self.query("#pulled-experiments"):
            found.first(PulledExperiments).show(experiments)
        self.edited(changed=True)
