"""The form for a metric the pair define themselves, with the catalog's fields."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from ..models import Rubric
from ..models.base import SHORT_TEXT_MAX
from ..models.draft import DraftMetric
from ..plan.rules import parse_thresholds
from .widgets import Field, FieldError, show_errors

_CHOICES = {
    "frequency": ["weekly", "biweekly", "monthly", "quarterly", "half-yearly", "yearly"],
    "kind": ["leading", "lagging"],
    "direction": ["higher", "lower"],
    "basis": ["percent_of_target", "points_from_target"],
}
_LABELS = {"frequency": "Measured", "kind": "Kind", "direction": "Better when", "basis": "Bands by"}


def custom_metric_id(name: str, taken: set[str]) -> str:
    """A readable id for a custom metric that no other metric uses."""
    base = "custom_" + (re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40] or "metric")
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    return candidate


class CustomMetricScreen(ModalScreen[DraftMetric | None]):
    """Name, definition, data source, frequency, kind, unit, direction, outcome and bands."""

    BINDINGS = [
        Binding("ctrl+s", "add", "Add metric", priority=True, id="custom.add"),
        Binding("escape", "cancel", "Cancel", id="custom.cancel"),
    ]

    def __init__(self, rubric: Rubric, taken: set[str]) -> None:
        super().__init__()
        self.rubric = rubric
        self.taken = taken

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="custom-box"):
            yield Static("[b]A custom metric[/]  [dim]Ctrl+S adds it · Esc cancels[/]")
            yield Field("Name", "name", "", max_length=SHORT_TEXT_MAX)
            yield Field("Definition", "definition", "", placeholder="what is counted, over what, how often")
            yield Field(
                "Data source",
                "data_source",
                "",
                placeholder="CRM report, support desk...",
                max_length=SHORT_TEXT_MAX,
            )
            yield Field(
                "Unit", "unit", "", placeholder="%, days, USD, accounts...", max_length=SHORT_TEXT_MAX
            )
            for key, values in _CHOICES.items():
                with Horizontal(classes="field-line"):
                    yield Label(_LABELS[key], classes="field-label")
                    yield Select(
                        [(value.replace("_", " "), value) for value in values],
                        value=values[0] if key == "basis" else Select.NULL,
                        id=key,
                        compact=True,
                    )
                yield FieldError(key)
            with Horizontal(classes="field-line"):
                yield Label("Serves", classes="field-label")
                yield Select(
                    [(outcome.name, outcome.id) for outcome in self.rubric.outcomes],
                    id="outcome",
                    compact=True,
                )
            yield FieldError("outcome")
            levels = len(self.rubric.scale) - 1
            yield Field(f"Thresholds ({levels})", "thresholds", "80, 95, 105, 120" if levels == 4 else "")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def _metric(self) -> tuple[DraftMetric, dict[str, str]]:
        values = {
            key: self.query_one(f"#{key}", Input).value
            for key in ("name", "definition", "data_source", "unit", "thresholds")
        }
        for key in (*_CHOICES, "outcome"):
            value = self.query_one(f"#{key}", Select).value
            values[key] = value if isinstance(value, str) else ""
        errors = {
            key: "Fill this in."
            for key in ("name", "definition", "data_source", "unit")
            if not values[key].strip()
        }
        errors |= {key: "Choose one." for key in (*_CHOICES, "outcome") if not values[key]}
        thresholds = parse_thresholds(values["thresholds"])
        levels = len(self.rubric.scale) - 1
        if thresholds is None or len(thresholds) != levels or thresholds != sorted(set(thresholds)):
            errors["thresholds"] = f"Give {levels} rising numbers, separated by commas."
        metric = DraftMetric(id=custom_metric_id(values["name"], self.taken), custom=True, **values)
        return metric, errors

    def action_add(self) -> None:
        metric, errors = self._metric()
        show_errors(self, errors)
        if not errors:
            self.dismiss(metric)

    def action_cancel(self) -> None:
        self.dismiss(None)
