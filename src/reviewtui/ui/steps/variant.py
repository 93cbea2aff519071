"""The local variant of a plan metric: definition, data source, frequency, bands and scope, in a form.

Opened from the targets step; it returns the metric as agreed (or None when cancelled), so the
targets step keeps only the figures (baseline, target, weight) and Tab stays on them.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select, Static, TextArea

from ...models.base import SHORT_TEXT_MAX
from ...models.draft import DraftMetric
from ...models.rubric import CatalogMetric, ChecklistRule
from ...plan.rules import variant_errors
from ...plan.variants import (
    FREQUENCIES,
    NAMED_SCOPES,
    REVERTIBLE,
    SCOPES,
    local_parts,
    rubric_value,
    scope_name_error,
)
from ..shown_markup import escape
from ..widgets import FieldError, WideTextArea, show_errors, text_input

_LABELS = {
    "definition": "Definition",
    "data_source": "Data source",
    "frequency": "Measured",
    "thresholds": "Bands",
    "scope": "Scope",
    "scope_name": "Which one",
}
NO_SCOPE = "none"


class VariantScreen(ModalScreen[DraftMetric | None]):
    """What this plan measures for one metric; each part shows whether it is the rubric's or local."""

    CSS_PATH = "plan.tcss"
    BINDINGS = [
        Binding("ctrl+s", "keep", "Keep variant", priority=True, id="variant.keep", tooltip="Keep these"),
        Binding(
            "ctrl+r",
            "revert",
            "Rubric's text",
            id="variant.revert",
            tooltip="Put the focused field back to the rubric's text",
        ),
        Binding("escape", "cancel", "Cancel", id="variant.cancel", tooltip="Close; nothing changes"),
    ]

    def __init__(
        self,
        metric: DraftMetric,
        catalog: CatalogMetric | None,
        scale_levels: int,
        rules: list[ChecklistRule],
        read_only: bool = False,
    ) -> None:
        super().__init__()
        self.metric = metric
        self.catalog = catalog
        self.scale_levels = scale_levels
        self.rules = rules
        self.read_only = read_only
        self.tried = False

    @property
    def asks_scope(self) -> bool:
        """A rule asks this metric for its scope, or the plan already states one."""
        return bool(self.rules) or bool(self.metric.scope)

    def compose(self) -> ComposeResult:
        metric = self.metric
        basis = "% target" if metric.basis == "percent_of_target" else "points"  # fits the label column
        with Vertical(id="variant-box"):
            yield Static(
                f"[b]What is measured: {escape(metric.name)}[/]\n"
                "[dim]Ctrl+S keep · Ctrl+R the rubric's text for this field · Esc cancel[/]",
                id="variant-title",
            )
            with VerticalScroll(id="variant-fields"):
                yield Label(_LABELS["definition"], classes="variant-label")
                yield WideTextArea(metric.definition, id="definition", soft_wrap=True, compact=True)
                yield from self._below("definition")
                with Horizontal(classes="field-line"):
                    yield Label(_LABELS["data_source"], classes="field-label")
                    yield text_input("data_source", metric.data_source, max_length=SHORT_TEXT_MAX)
                yield from self._below("data_source")
                with Horizontal(classes="field-line"):
                    yield Label(_LABELS["frequency"], classes="field-label")
                    yield Select(
                        [(value, value) for value in FREQUENCIES],
                        value=metric.frequency if metric.frequency in FREQUENCIES else Select.NULL,
                        allow_blank=metric.frequency not in FREQUENCIES,
                        id="frequency",
                        compact=True,
                    )
                yield from self._below("frequency")
                with Horizontal(classes="field-line"):
                    yield Label(f"Bands ({basis})", classes="field-label")
                    yield text_input("thresholds", metric.thresholds, max_length=SHORT_TEXT_MAX)
                yield from self._below("thresholds")
                if self.asks_scope:
                    yield from self._scope_fields()
        yield Footer()

    def _below(self, part: str) -> ComposeResult:
        """Under a field: whether it is the rubric's text or local, and its error."""
        yield Static(id=f"origin-{part}", classes="variant-origin")
        yield FieldError(part)

    def _scope_fields(self) -> ComposeResult:
        asked = sorted({scope for rule in self.rules for scope in rule.scopes}, key=SCOPES.index)
        with Horizontal(classes="field-line"):
            yield Label(_LABELS["scope"], classes="field-label")
            yield Select(
                [("no scope stated", NO_SCOPE), *((scope, scope) for scope in SCOPES)],
                value=self.metric.scope if self.metric.scope in SCOPES else NO_SCOPE,
                allow_blank=False,
                id="scope",
                compact=True,
            )
        if asked:
            words = " or ".join(asked)
            yield Static(f"[dim]The rubric asks for {escape(words)} level.[/]", classes="variant-origin")
        yield FieldError("scope")
        with Horizontal(classes="field-line"):
            yield Label(_LABELS["scope_name"], classes="field-label")
            yield text_input(
                "scope_name",
                self.metric.scope_name,
                placeholder="which account or cohort, e.g. detractor accounts in the recovery program",
                max_length=SHORT_TEXT_MAX,
            )
        yield FieldError("scope_name")

    def on_mount(self) -> None:
        if self.read_only:
            for field in self.query("Input, TextArea, Select"):
                field.disabled = True
        self._show_origins()
        self.query_one("#definition", TextArea).focus()

    def edited_metric(self) -> DraftMetric:
        """The metric with what is in the form now."""
        values = {
            "definition": self.query_one("#definition", TextArea).text,
            "data_source": self.query_one("#data_source", Input).value,
            "thresholds": self.query_one("#thresholds", Input).value,
        }
        frequency = self.query_one("#frequency", Select).value
        values["frequency"] = frequency if isinstance(frequency, str) else ""
        if self.asks_scope:
            scope = self.query_one("#scope", Select).value
            values["scope"] = scope if isinstance(scope, str) and scope != NO_SCOPE else ""
            values["scope_name"] = self.query_one("#scope_name", Input).value if values["scope"] else ""
        return self.metric.model_copy(update=values)

    def errors(self, metric: DraftMetric) -> dict[str, str]:
        errors = variant_errors(metric, self.scale_levels)
        if self.asks_scope and (problem := scope_name_error(metric)):
            errors["scope_name"] = problem
        return errors

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        if not self.is_mounted:
            return
        self._show_origins()
        if self.tried:
            show_errors(self, self.errors(self.edited_metric()))

    def _show_origins(self) -> None:
        metric = self.edited_metric()
        local = local_parts(metric, self.catalog)
        for part in REVERTIBLE:
            line = self.query_one(f"#origin-{part}", Static)
            if self.catalog is None:
                line.update("[dim]Custom metric: no rubric text to go back to.[/]")
            elif part not in local:
                line.update("[dim]= the rubric's[/]")
            elif part == "definition":  # too long to repeat here
                line.update("[b]Local[/] [dim]· Ctrl+R puts back the rubric's text[/]")
            else:
                given = " ".join(rubric_value(self.catalog, part).split())
                short = given if len(given) <= 28 else given[:27] + "…"
                line.update(f"[b]Local[/] [dim]· the rubric's: {escape(short)} (Ctrl+R)[/]")
        if self.asks_scope:
            named = metric.scope in NAMED_SCOPES
            self.query_one("#scope_name", Input).placeholder = (
                f"which {metric.scope}, e.g. the detractor accounts in the recovery program"
                if named
                else "which one (optional)"
            )

    def action_revert(self) -> None:
        focused = self.focused
        part = focused.id if focused is not None else None
        if self.read_only:
            return
        if part not in REVERTIBLE:
            self.notify(
                "Move to the definition, data source, frequency or bands first: Ctrl+R puts that field "
                "back to the rubric's.",
                severity="warning",
                timeout=4,
            )
            return
        if self.catalog is None:
            self.notify("A custom metric has no rubric text to go back to.", severity="warning", timeout=4)
            return
        value = rubric_value(self.catalog, part)
        if isinstance(focused, TextArea):
            focused.text = value
        elif isinstance(focused, (Input, Select)):
            focused.value = value
        self.notify(f"{_LABELS[part]}: the rubric's again (Ctrl+S keeps it).", timeout=3)

    def action_keep(self) -> None:
        if self.read_only:
            self.dismiss(None)
            return
        metric = self.edited_metric()
        errors = self.errors(metric)
        self.tried = True
        show_errors(self, errors)
        if errors:
            self.notify("Fix what is marked in red, or cancel with Esc.", severity="warning", timeout=3)
            return
        self.dismiss(metric)

    def action_cancel(self) -> None:
        self.dismiss(None)
