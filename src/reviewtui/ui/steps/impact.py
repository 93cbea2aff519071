"""Step 2: the role impact map, activity by activity."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select

from ...models.base import SHORT_TEXT_MAX
from ...models.draft import AlignmentDraft, DraftImpactRow
from ...plan.rules import impact_map_errors
from ..widgets import FieldError, prompts, text_input
from .base import RowListStep


class ImpactRows(Vertical):
    """The map's rows; rebuilt when a row is added or removed."""


class ImpactMapStep(RowListStep):
    """Rows of activity → client outcome → how."""

    KEY = "impact_map"
    ROWS = ("impact_map", "impact-rows", "activity")
    BINDINGS = [
        Binding("ctrl+o", "add_row", "Add", id="step.add_row"),
        Binding("ctrl+r", "remove_row", "Remove", id="step.remove_row"),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not self.draft.impact_map:  # an empty map opens with one row to type in
            self.draft = self.draft.model_copy(update={"impact_map": [DraftImpactRow()]})

    def compose_body(self) -> ComposeResult:
        yield from prompts(self.step_prompts())
        yield Label(
            "Activities and the client outcomes they drive [dim](Ctrl+O add · Ctrl+R remove)[/]",
            classes="section-title",
        )
        yield FieldError("impact_map")
        yield ImpactRows(*self.row_widgets(self.draft.impact_map), id="impact-rows")

    def step_prompts(self) -> list[str]:
        """The rubric's questions shown above the rows."""
        rubric = self.context.rubric(self.draft)
        return rubric.prompts.impact_map if rubric else []

    def blank_row(self) -> DraftImpactRow:
        return DraftImpactRow()

    def row_widgets(self, rows: list[DraftImpactRow]) -> list[Widget]:
        rubric = self.context.rubric(self.draft)
        options = [(outcome.name, outcome.id) for outcome in rubric.outcomes] if rubric else []
        outcome_ids = {value for _, value in options}
        widgets = []
        for index, row in enumerate(rows):
            activity, outcome, how = (f"impact_map.{index}.{part}" for part in ("activity", "outcome", "how"))
            widgets.append(
                Vertical(
                    Horizontal(
                        Label(f"{index + 1}.", classes="row-number"),
                        text_input(activity, row.activity, placeholder="Activity", max_length=SHORT_TEXT_MAX),
                        Select(
                            options,
                            value=row.outcome if row.outcome in outcome_ids else Select.NULL,
                            prompt="Client outcome",
                            id=f"impact_map-{index}-outcome",
                            compact=True,
                            classes="outcome",
                        ),
                        classes="row-line",
                    ),
                    Horizontal(
                        Label("→", classes="row-number"),
                        text_input(how, row.how, placeholder="How the activity drives that outcome"),
                        classes="row-line",
                    ),
                    FieldError(activity),
                    FieldError(outcome),
                    FieldError(how),
                    classes="row",
                )
            )
        return widgets

    def collect(self) -> AlignmentDraft:
        rows = []
        for index in range(len(self.draft.impact_map)):
            outcome = self.query_one(f"#impact_map-{index}-outcome", Select).value
            rows.append(
                DraftImpactRow(
                    activity=self.query_one(f"#impact_map-{index}-activity", Input).value,
                    outcome=outcome if isinstance(outcome, str) else "",
                    how=self.query_one(f"#impact_map-{index}-how", Input).value,
                )
            )
        return self.draft.model_copy(update={"impact_map": rows})

    def errors(self, draft: AlignmentDraft) -> dict[str, str]:
        rubric = self.context.rubric(draft)
        return (
            impact_map_errors(draft, rubric) if rubric else {"impact_map": "Choose a role on step 1 first."}
        )
