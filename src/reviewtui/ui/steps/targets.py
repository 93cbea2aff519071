"""Step 4: baseline, target and weight for each metric; what is measured opens as a local variant.

Tab goes baseline, target, weight, then the next metric's baseline. Ctrl+T opens the variant
form (definition, data source, frequency, bands, scope) of the metric the focus is in.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from ...models.draft import AlignmentDraft, DraftMetric
from ...plan.checks import scope_rules, weight_check
from ...plan.rules import targets_errors, weights
from ...plan.variants import PART_WORDS, variant_summary
from ..shown_markup import escape
from ..widgets import FieldError, prompts, text_input, widget_id
from .base import StepScreen

_FIGURES = (("baseline", "Baseline"), ("target", "Target"), ("weight", "Weight %"))
_VARIANT_PARTS = ("definition", "data_source", "frequency", "thresholds", "scope")
VARIANT_KEY = "ctrl+t"


class TargetsStep(StepScreen):
    """One block per chosen metric; the weight total updates as you type."""

    KEY = "targets"
    CSS_PATH = "plan.tcss"
    BINDINGS = [
        Binding(
            VARIANT_KEY,
            "variant",
            "Variant",
            id="targets.variant",
            tooltip="What is measured for the metric you are in: definition, source, frequency, bands, scope",
        )
    ]

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
        errors = [FieldError(f"{key}.{part}") for part, _ in _FIGURES]
        return Vertical(
            Static(heading, classes="metric-heading"),
            Horizontal(*figures, classes="figures"),
            Static(self._variant_line(metric), id=f"variant-{widget_id(metric.id)}", classes="variant-line"),
            *errors,
            FieldError(f"{key}.variant"),
            classes="metric-block",
        )

    def _variant_line(self, metric: DraftMetric) -> str:
        rubric = self.context.rubric(self.draft)
        catalog = rubric.metric(metric.id) if rubric and not metric.custom else None
        rules = scope_rules(rubric, metric.id) if rubric else []
        return f"{escape(variant_summary(metric, catalog, rules))} [dim]· Ctrl+T variant[/]"

    def collect(self) -> AlignmentDraft:
        metrics = []
        for metric in self.draft.metrics:
            key = f"metrics.{metric.id}"
            values = {
                part: self.query_one(f"#{widget_id(f'{key}.{part}')}", Input).value for part, _ in _FIGURES
            }
            metrics.append(metric.model_copy(update=values))
        return self.draft.model_copy(update={"metrics": metrics})

    def errors(self, draft: AlignmentDraft) -> dict[str, str]:
        rubric = self.context.rubric(draft)
        if rubric is None:
            return {"weights": "Choose a role on step 1 first."}
        # What is measured is set in the variant form: its errors show on the metric's variant line.
        errors: dict[str, str] = {}
        variant: dict[str, list[str]] = {}
        for key, message in targets_errors(draft, rubric).items():
            head, _, part = key.rpartition(".")
            if head.startswith("metrics.") and part in _VARIANT_PARTS:
                variant.setdefault(head, []).append(f"{PART_WORDS[part]}: {message}")
            else:
                errors[key] = message
        for head, messages in variant.items():
            errors[f"{head}.variant"] = f"{' '.join(messages)} Ctrl+T opens the variant to fix it."
        return errors

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

    def _focused_metric(self) -> DraftMetric | None:
        focused = self.focused
        focused_id = focused.id if focused is not None else ""
        for metric in self.draft.metrics:
            if (focused_id or "").startswith(f"{widget_id(f'metrics.{metric.id}')}-"):
                return metric
        return None

    def action_variant(self) -> None:
        from .variant import VariantScreen

        rubric = self.context.rubric(self.draft)
        metric = self._focused_metric()
        if rubric is None or metric is None:
            self.notify("Move into a metric's figures first: Ctrl+T opens what it measures.", timeout=3)
            return
        catalog = None if metric.custom else rubric.metric(metric.id)
        screen = VariantScreen(
            metric, catalog, len(rubric.scale), scope_rules(rubric, metric.id), read_only=self.read_only
        )
        self.app.push_screen(screen, lambda result: self._variant_kept(metric.id, result))

    def _variant_kept(self, metric_id: str, kept: DraftMetric | None) -> None:
        if kept is None:
            return
        draft = self.collect()
        metrics = [
            metric.model_copy(update=_variant_fields(kept)) if metric.id == metric_id else metric
            for metric in draft.metrics
        ]
        self.draft = draft.model_copy(update={"metrics": metrics})
        changed = next(metric for metric in metrics if metric.id == metric_id)
        self.query_one(f"#variant-{widget_id(metric_id)}", Static).update(self._variant_line(changed))
        self.edited(changed=True)


def _variant_fields(metric: DraftMetric) -> dict[str, str]:
    """The parts the variant form sets; the figures stay as typed on the step."""
    parts = ("definition", "data_source", "frequency", "thresholds", "scope", "scope_name")
    return {part: getattr(metric, part) for part in parts}
