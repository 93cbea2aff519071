"""A partner's observations: what they saw the employee do, a strength or a gap, its impact, the account."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Label, Select, Static

from ...models.base import SHORT_TEXT_MAX
from ..shown_markup import markup_text
from ..widgets import text_input
from .answers import Answers, ObservationRow, answers_of
from .base import ROW, FillScreen, input_value, select_value

KINDS = [("strength", "strength"), ("gap", "gap")]


class PartnerScreen(FillScreen):
    """The observation rows, one per thing observed; Ctrl+O adds one."""

    BINDINGS = [
        Binding("ctrl+o", "add_observation", "+Observation", id="fill.add_observation"),
        *FillScreen.BINDINGS,
    ]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="prep-body", id="observations"):
            yield Static(
                f"What you observed {markup_text(self.preparation.employee)} do during the period, as "
                "behaviour you saw (not a verdict on character): a strength or a gap, what it did for the "
                "client or the team, and the account it concerns.",
                classes="about",
            )
            with Vertical(id="observation-rows"):
                for row in answers_of(self.preparation).observations or (ObservationRow(None, "", "", ""),):
                    yield self._row(row)

    def _row(self, row: ObservationRow) -> Widget:
        number = self.next_row()
        kind = row.kind if row.kind in ("strength", "gap") else Select.NULL
        return Vertical(
            Horizontal(
                Label("Strength or gap", classes="field-label"),
                Select(KINDS, value=kind, prompt="Choose", id=f"observation-{number}-kind", compact=True),
                classes="field-line",
            ),
            Horizontal(
                Label("Observed", classes="field-label"),
                text_input(f"observation.{number}.observed", row.observed, placeholder="what they did"),
                classes="field-line",
            ),
            Horizontal(
                Label("Impact", classes="field-label"),
                text_input(
                    f"observation.{number}.impact",
                    row.impact,
                    placeholder="what it did for the client or team",
                ),
                classes="field-line",
            ),
            Horizontal(
                Label("Account", classes="field-label"),
                text_input(
                    f"observation.{number}.account",
                    row.account,
                    placeholder="account or cohort, if any",
                    max_length=SHORT_TEXT_MAX,
                ),
                classes="field-line",
            ),
            classes=f"{ROW} prep-block observation-row",
            id=f"observation-{number}",
            name="this observation",
        )

    def answers(self) -> Answers:
        rows = []
        for row in self.query(".observation-row"):
            kind = select_value(row, f"{row.id}-kind")
            rows.append(
                ObservationRow(
                    kind if isinstance(kind, str) else None,
                    input_value(row, f"{row.id}-observed"),
                    input_value(row, f"{row.id}-impact"),
                    input_value(row, f"{row.id}-account"),
                )
            )
        return Answers(observations=tuple(rows))

    async def action_add_observation(self) -> None:
        row = self._row(ObservationRow(None, "", "", ""))
        await self.query_one("#observation-rows").mount(row)
        self.query_one(f"#{row.id}-kind").focus()
        self.query_one(".prep-body", VerticalScroll).scroll_to_widget(row, animate=False)
        self.app.answers_edited()  # type: ignore[attr-defined]
