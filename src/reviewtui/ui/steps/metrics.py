"""Step 3: choosing a concise set of metrics, with the plan checked as you choose."""

from __future__ import annotations

from rich.segment import Segment
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.strip import Strip
from textual.widgets import SelectionList, Static
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.selection_list import Selection

from ...models import Rubric
from ...models.draft import AlignmentDraft, DraftMetric
from ...plan.checks import Check, broken_rules, plan_checks
from ...plan.rules import draft_metric, map_outcomes, metrics_errors
from ..more_panel import MorePanel
from ..shown_markup import escape
from ..widgets import FieldError, prompts
from .base import StepScreen

CHOSEN_MARK = "✓"
LEGEND = "✓ chosen  ● serves an outcome on the map  ○ does not"


class MetricChoices(SelectionList[str]):
    """The catalog as a list to choose from; a chosen metric shows ✓ in its box, so it reads without colour."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        # SelectionList draws the box as three segments, its inner mark (an X on every row) second.
        if len(segments) < 3 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        index = self.scroll_offset.y + y
        chosen = index < self.option_count and self.get_option_at_index(index).value in self.selected
        segments[1] = Segment(CHOSEN_MARK if chosen else " ", segments[1].style)
        return Strip(segments, strip.cell_length)


def chosen_count_markup(count: int, low: int, high: int) -> str:
    """`4 chosen of 3–6`, warned when outside the rubric's limits."""
    span = f"{low}" if low == high else f"{low}–{high}"
    colour = "$success" if low <= count <= high else "$warning"
    return f"[b {colour}]{count} chosen[/] of {span}"


def checks_markup(checks: list[Check]) -> str:
    """The checklist as lines: ✓ passed, ✗ must be fixed, ! worth a second look."""
    lines = []
    for check in checks:
        mark = "[$success]✓[/]" if check.passed else ("[$error]✗[/]" if check.blocking else "[$warning]![/]")
        lines.append(f"{mark} {escape(check.message)}")
    return "\n".join(lines)


def metric_details(metric: DraftMetric, rubric: Rubric) -> str:
    """Everything the pair need to judge a metric, as markup."""
    outcome = rubric.outcome(metric.outcome)
    guard = rubric.metric(metric.guardrail) if metric.guardrail else None
    lines = [
        f"[b]{escape(metric.name)}[/]{'  [dim](custom)[/]' if metric.custom else ''}",
        escape(metric.definition),
        f"[dim]Source:[/] {escape(metric.data_source)}  [dim]Every:[/] {escape(metric.frequency)}"
        f"  [dim]Kind:[/] {escape(metric.kind)}",
        f"[dim]Unit:[/] {escape(metric.unit)}, {escape(metric.direction)} is better"
        f"  [dim]Serves:[/] {escape(outcome.name if outcome else metric.outcome)}",
    ]
    if metric.guardrail:
        lines.append(f"[dim]Guardrail:[/] {escape(guard.name if guard else metric.guardrail)}")
    return "\n".join(lines)


class MetricsStep(StepScreen):
    """The rubric's catalog (metrics serving mapped outcomes first) plus custom metrics."""

    KEY = "metrics"
    CSS_PATH = "plan.tcss"
    BINDINGS = [Binding("ctrl+o", "add_custom", "Custom", id="metrics.add_custom")]

    def _candidates(self) -> list[DraftMetric]:
        """Every metric on offer, in the order shown: mapped outcomes first, then the rest."""
        rubric = self.context.rubric(self.draft)
        chosen = {metric.id: metric for metric in [*self.draft.set_aside, *self.draft.metrics]}
        catalog = (
            [chosen.get(metric.id) or draft_metric(metric) for metric in rubric.metrics] if rubric else []
        )
        custom = [metric for metric in chosen.values() if metric.custom]
        mapped = map_outcomes(self.draft)
        return sorted([*catalog, *custom], key=lambda metric: metric.outcome not in mapped)

    def compose_body(self) -> ComposeResult:
        rubric = self.context.rubric(self.draft)
        yield from prompts(rubric.prompts.metric_choice if rubric else [])
        chosen = {metric.id for metric in self.draft.metrics}
        mapped = map_outcomes(self.draft)
        selections = []
        for metric in self._candidates():
            outcome = rubric.outcome(metric.outcome) if rubric else None
            tag = "[$success]●[/]" if metric.outcome in mapped else "[dim]○[/]"
            label = Content.from_markup(
                f"{tag} {escape(metric.name)}  [dim]{escape(metric.kind)} · {escape(metric.frequency)}"
                f" · {escape(outcome.name if outcome else metric.outcome)}[/]"
            )
            selections.append(Selection(label, metric.id, metric.id in chosen))
        yield Static(id="metric-legend")
        yield MetricChoices(*selections, id="metric-list")
        yield MorePanel(id="metric-details")
        yield FieldError("metrics")
        yield Static(id="metric-checks", classes="checks")

    def collect(self) -> AlignmentDraft:
        selected = set(self.query_one("#metric-list", SelectionList).selected)
        keep, set_aside = [], {metric.id: metric for metric in self.draft.set_aside}
        current = {metric.id: metric for metric in self.draft.metrics}
        candidates = self._candidates()
        for metric in candidates:
            if metric.id in selected:
                keep.append(current.get(metric.id) or set_aside.pop(metric.id, None) or metric)
            elif metric.id in current:
                set_aside[metric.id] = current[metric.id]  # unchosen: keep what was typed for it
        offered = {metric.id for metric in candidates}
        for metric_id, metric in current.items():
            if metric_id not in offered:  # from a role chosen earlier: kept aside, not dropped
                set_aside[metric_id] = metric
        return self.draft.model_copy(update={"metrics": keep, "set_aside": list(set_aside.values())})

    def errors(self, draft: AlignmentDraft) -> dict[str, str]:
        rubric = self.context.rubric(draft)
        return metrics_errors(draft, rubric) if rubric else {"metrics": "Choose a role on step 1 first."}

    def refresh_status(self) -> None:
        super().refresh_status()
        rubric = self.context.rubric(self.draft)
        if rubric is None:
            return
        checks = plan_checks(rubric, self.draft.metrics, map_outcomes(self.draft))
        markup = checks_markup(checks)
        broken = {check.id for check in broken_rules(checks)}
        if broken:
            scoped = any(
                f"rule:{rule.id}" in broken for rule in rubric.rules if rule.kind == "scope_required"
            )
            where = " A scope is set on step 4 with Ctrl+T." if scoped else ""
            markup += (
                "\n[dim]Rules and guardrails marked ! can be agreed anyway, each with a written reason "
                f"on step 5.{where}[/]"
            )
        self.query_one("#metric-checks", Static).update(markup)
        count = chosen_count_markup(
            len(self.draft.metrics), rubric.limits.min_metrics, rubric.limits.max_metrics
        )
        self.query_one("#metric-legend", Static).update(f"{count} · [dim]{LEGEND}[/]")
        self.query_one("#step-status", Static).update(f"{count} · Space toggles · Ctrl+O custom metric")

    def on_mount(self) -> None:
        super().on_mount()
        self._show_details(0)

    @on(SelectionList.SelectionHighlighted, "#metric-list")
    def _highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        self._show_details(event.selection_index)

    def _show_details(self, index: int) -> None:
        rubric = self.context.rubric(self.draft)
        selection_list = self.query_one("#metric-list", SelectionList)
        if rubric is None or not 0 <= index < selection_list.option_count:
            return
        metric_id = selection_list.get_option_at_index(index).value
        metric = next((metric for metric in self._candidates() if metric.id == metric_id), None)
        if metric is not None:
            self.query_one("#metric-details", MorePanel).update(metric_details(metric, rubric))

    def action_add_custom(self) -> None:
        from ..custom_metric import CustomMetricScreen

        rubric = self.context.rubric(self.draft)
        if rubric is None:
            return
        taken = {metric.id for metric in self._candidates()}
        self.app.push_screen(CustomMetricScreen(rubric, taken), self._custom_added)

    def _custom_added(self, metric: DraftMetric | None) -> None:
        if metric is None:
            return
        self.draft = self.collect()
        self.draft = self.draft.model_copy(update={"metrics": [*self.draft.metrics, metric]})
        selection_list = self.query_one("#metric-list", SelectionList)
        label = Content.from_markup(
            f"[$accent]★[/] {escape(metric.name)}  [dim]custom · {escape(metric.kind)}[/]"
        )
        with self.prevent(SelectionList.SelectedChanged):
            selection_list.add_option(Selection(label, metric.id, True))
        self.edited(changed=True)
