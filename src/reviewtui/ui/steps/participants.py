"""Step 1: who takes part, the role that picks the rubric, and the period."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from ...models.base import SHORT_TEXT_MAX
from ...models.draft import AlignmentDraft, DraftPartner
from ...plan.rules import participants_errors
from ..more_panel import MorePanel
from ..shown_markup import escape
from ..widgets import Field, FieldError, text_input
from .base import RowListStep


class PartnersList(Vertical):
    """Partner rows; rebuilt when a row is added or removed."""


class ParticipantsStep(RowListStep):
    """Employee, role (rubric), job title, manager, partners and period."""

    KEY = "participants"
    CSS_PATH = "plan.tcss"
    ROWS = ("partners", "partners", "name")
    BINDINGS = [
        Binding("ctrl+o", "add_row", "Add", id="step.add_row"),
        Binding("ctrl+r", "remove_row", "Remove", id="step.remove_row"),
    ]

    def compose_body(self) -> ComposeResult:
        draft = self.draft
        yield Field(
            "Employee",
            "employee_name",
            draft.employee_name,
            placeholder="Full name",
            max_length=SHORT_TEXT_MAX,
        )
        options = sorted((rubric.title, rubric.id) for rubric in self.context.rubrics.values())
        with Horizontal(classes="field-line"):
            yield Label("Role", classes="field-label")
            yield Select(
                options,
                value=draft.rubric_id if draft.rubric_id in self.context.rubrics else Select.NULL,
                prompt="Choose the employee's role (it picks the rubric)",
                id="rubric_id",
                compact=True,
            )
        yield FieldError("rubric_id")
        yield MorePanel(id="rubric-about")
        yield Field(
            "Job title (optional)",
            "job_title",
            draft.job_title,
            placeholder="the rubric's role",
            max_length=SHORT_TEXT_MAX,
        )
        yield Field(
            "Manager", "manager_name", draft.manager_name, placeholder="Full name", max_length=SHORT_TEXT_MAX
        )
        yield Label("Cross-functional partners [dim](Ctrl+O add · Ctrl+R remove)[/]", classes="section-title")
        yield PartnersList(*self.row_widgets(draft.partners), id="partners")
        yield Label("Period", classes="section-title")
        yield Field(
            "Name", "period_label", draft.period_label, placeholder="2026 H2", max_length=SHORT_TEXT_MAX
        )
        yield Field("First day", "period_start", draft.period_start, placeholder="YYYY-MM-DD", max_length=10)
        yield Field("Last day", "period_end", draft.period_end, placeholder="YYYY-MM-DD", max_length=10)

    def blank_row(self) -> DraftPartner:
        return DraftPartner()

    def row_widgets(self, partners: list[DraftPartner]) -> list[Widget]:
        rows = []
        for index, partner in enumerate(partners):
            name, function = f"partners.{index}.name", f"partners.{index}.function"
            rows.append(
                Vertical(
                    Horizontal(
                        Label(f"{index + 1}.", classes="row-number"),
                        text_input(
                            name, partner.name, placeholder="Partner's name", max_length=SHORT_TEXT_MAX
                        ),
                        text_input(
                            function,
                            partner.function,
                            placeholder="Function: sales, product, support...",
                            max_length=SHORT_TEXT_MAX,
                        ),
                        classes="row-line",
                    ),
                    FieldError(name),
                    FieldError(function),
                    classes="row",
                )
            )
        if not rows:
            rows.append(Vertical(Static("[dim]None yet: Ctrl+O adds a partner.[/]"), classes="row"))
        return rows

    def on_mount(self) -> None:
        super().on_mount()
        self._show_rubric()

    def _value(self, key: str) -> str:
        return self.query_one(f"#{key.replace('.', '-')}", Input).value

    def collect(self) -> AlignmentDraft:
        partners = [
            DraftPartner(
                name=self._value(f"partners.{index}.name"), function=self._value(f"partners.{index}.function")
            )
            for index in range(len(self.draft.partners))
        ]
        role = self.query_one("#rubric_id", Select).value
        return self.draft.model_copy(
            update={
                "employee_name": self._value("employee_name"),
                "rubric_id": role if isinstance(role, str) else "",
                "job_title": self._value("job_title"),
                "manager_name": self._value("manager_name"),
                "partners": partners,
                "period_label": self._value("period_label"),
                "period_start": self._value("period_start"),
                "period_end": self._value("period_end"),
            }
        )

    def errors(self, draft: AlignmentDraft) -> dict[str, str]:
        return participants_errors(draft, set(self.context.rubrics))

    @on(Select.Changed, "#rubric_id")
    def _show_rubric(self) -> None:
        rubric = self.context.rubrics.get(self.collect().rubric_id)
        about = self.query_one("#rubric-about", MorePanel)
        if rubric is None:
            about.update("[dim]The role decides which outcomes, metrics and prompts the session uses.[/]")
            return
        outcomes = ", ".join(outcome.name for outcome in rubric.outcomes)
        about.update(
            f"[b]{escape(rubric.title)}[/] (v{rubric.version}): {escape(rubric.description)}\n"
            f"[dim]Client outcomes: {escape(outcomes)}[/]"
        )
