"""Step 4: baseline, target and weight for each metric, and the agreed local variant."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.widgets import Input, Label, Static

from ...alignment import targets_errors, weights
from ...checks import weight_check
from ...models.base import SHORT_TEXT_MAX
from ...models.draft import AlignmentDraft, DraftMetric
from ..widgets import FieldError, prompts, text_input, widget_id
from .base import StepScreen

_FIGURES = (("baseline", "Baseline"), ("target", "Target"), ("weight", "Weight %"))
_TEXTS = (("definition", "Definition"), ("data_source", "Data source"), ("thresholds", "Bands"))


class TargetsStep(StepScreen):
    """One block per chosen metric; the weight total updates as you type."""

    KEY = "targets"

    def compose_body(self) -> ComposeResult:
        rubric = self.context.rubric(self.draft)
        yield from prompts(rubric.prompts.targets if rubric else [])
        if not self.draft.metrics:
            yield Static("No metrics chosen yet: go back to step 3 with Ctrl+B.")
        for metric in self.draft.metrics:
            yield self._block(metric)
        yield FieldError("weights")

    def _block(self, metric: DraftMetric) -> Vertical:
        key = f"metrics.{metric.id}"
        basis = "% target" if metric.basis == "percent_of_target" else "points"  # fits the label column
        heading = (
            f"[b]{escape(metric.name)}[/]  [dim]{escape(metric.unit)} · {escape(metric.direction)} is better · "
            f"{escape(metric.kind)}[/]"
        )
        figures = []
        for part, label in _FIGURES:
            figures += [
                Label(label, classes="figure-label"),
                text_input(f"{key}.{part}", getattr(metric, part), max_length=24),
            ]
        texts = [
            Horizontal(
                Label(label if part != "thresholds" else f"Bands ({basis})", classes="field-label"),
                text_input(
                    f"{key}.{part}",
                    getattr(metric, part),
                    max_length=SHORT_TEXT_MAX if part == "data_source" else 0,
                ),
                classes="field-line",
            )
            for part, label in _TEXTS
        ]
        errors = [FieldError(f"{key}.{part}") for part, _ in (*_FIGURES, *_TEXTS)]
        return Vertical(
            Static(heading, classes="metric-heading"),
            Horizontal(*figures, classes="figures"),
            *texts,
            *errors,
            classes="metric-block",
        )

    def collect(self) -> AlignmentDraft:
        metrics = []
        for metric in self.draft.metrics:
            key = f"metrics.{metric.id}"
            values = {
                part: self.query_one(f"#{widget_id(f'{key}.{part}')}", Input).value
                for part, _ in (*_FIGURES, *_TEXTS)
            }
            metrics.append(metric.model_copy(update=values))
        return self.draft.model_copy(update={"metrics": metrics})

    def errors(self, draft: AlignmentDraft) -> dict[str, str]:
        rubric = self.context.rubric(draft)
        return targets_errors(draft, rubric) if rubric else {"weights": "Choose a role on step 1 first."}

    def refresh_status(self) -> None:
        super().refresh_status()
        values = weights(self.draft)
        terms = " + ".join("?" if value is None else str(value) for value in values) or "0"
        check = weight_check(values)
        colour = "$success" if check.passed else "$warning"
        status = f"Weights {escape(terms)} · [{colour}]{escape(check.message)}[/]"
        line = self.query_one("#step-status", Static)
        if line.content != status:  # most keystrokes leave the weights as they were
            # The status line is one line high whatever it says: no layout of the screen needed.
            line.update(status, layout=False)
