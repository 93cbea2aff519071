"""The development plan's step, in the plan, at each check-in and in the review.

The same objectives (each with its id) are agreed in the plan, followed at every check-in with a
status and the progress made, reviewed at the review and, while open, carried into the next plan.
An objective may name the plan metric or the customer-feedback gap it addresses.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ...models import Session
from ...models.draft import AlignmentDraft, CheckinDraft, DraftObjective, ReviewDraft
from ...models.evidence import new_entry_id
from ...plan.objectives import OBJECTIVE_STATUSES, feedback_gaps, last_open_objectives
from ..shown_markup import escape
from .checkin import CheckinStep
from .entries import LINE, EntryField, EntryListStep

STATUS_CHOICES = tuple((status.replace("_", " "), status) for status in OBJECTIVE_STATUSES)
GAP_LABEL = 48
"""Characters of a gap shown in its choice; the record keeps it whole."""

OBJECTIVE = EntryField("objective", "Objective", "What to develop", max_length=LINE)
STATUS = EntryField("status", "Status", "Choose", STATUS_CHOICES)
PROGRESS = EntryField("progress", "Progress", "What has moved since the last meeting")
DETAILS = (
    EntryField("actions", "Actions", "Concrete steps, separated by ;"),
    EntryField("owner", "Owner", "Who owns it", max_length=LINE),
    EntryField("due", "Due", "YYYY-MM-DD"),
    EntryField("support", "Support needed", "From the manager or others"),
    EntryField("success_measure", "Success measure", "How both will know it is done"),
)
LINKS = (
    EntryField("addresses_metric", "Addresses metric", "No metric"),
    EntryField("addresses_gap", "Addresses gap", "No feedback gap"),
)


def _count(number: int) -> str:
    return f"{number} objective" + ("s" if number != 1 else "")


def _short(text: str) -> str:
    return text if len(text) <= GAP_LABEL else text[: GAP_LABEL - 1] + "…"


class DevelopmentStep(EntryListStep):
    """Development objectives with owners, dates, where each stands and what it addresses."""

    KEY = "development"
    FIELD = "objectives"
    ENTRY = DraftObjective
    EMPTY = "Development objectives"
    FIELDS = (OBJECTIVE, *DETAILS, STATUS, PROGRESS, *LINKS)
    BINDINGS = [
        *EntryListStep.BINDINGS,
        Binding("ctrl+l", "carry_open", "Carry open ones", id="step.carry_open"),
    ]

    _records: list[Session] | None = None

    def blank_row(self) -> DraftObjective:
        # The id is given when the row is made, so that it follows the objective from here on.
        return DraftObjective(id=new_entry_id())

    @staticmethod
    def _is_blank(row: DraftObjective) -> bool:
        return row.model_copy(update={"id": ""}) == DraftObjective()

    async def action_remove_row(self) -> None:
        rows = self.collect().objectives
        focused = self.focused
        index = len(rows) - 1
        if focused is not None and focused.id and focused.id.startswith("objectives-"):
            index = int(focused.id.split("-")[1])
        if rows and self._is_blank(rows[index]):  # nothing typed in it: no question to ask
            await self._replace_rows([row for at, row in enumerate(rows) if at != index], None)
            return
        await super().action_remove_row()

    def earlier_records(self) -> list[Session]:
        """The employee's other records in the folder; none on a participant's screen (no folder there)."""
        if self._records is None:
            driver = getattr(self.app, "session_driver", None)
            employee = self.draft.employee_name.strip()
            self._records = []
            if driver is not None and employee:
                from ...storage.records import records_of

                found = records_of(driver.sessions_dir, employee)
                self._records = [record for _, record in found if record.id != self.draft.id]
        return self._records

    def choices_of(self, spec: EntryField, row: Any) -> tuple[tuple[str, str], ...]:
        current = getattr(row, spec.name)
        if spec.name == "addresses_metric":
            choices = [(metric.name, metric.id) for metric in self.draft.metrics]
            if current and current not in {value for _, value in choices}:
                choices.append((f"{current} (not in the plan)", current))
            return tuple(choices)
        if spec.name == "addresses_gap":
            feedback = self.draft.feedback if isinstance(self.draft, ReviewDraft) else []
            gaps = feedback_gaps(feedback, self.earlier_records())
            if current.strip() and current not in gaps:
                gaps.append(current)
            return tuple((_short(gap), gap) for gap in gaps)
        return spec.choices

    def compose_body(self) -> ComposeResult:
        carry = self._carry()
        if carry is not None:
            record, rows = carry
            yield Static(
                f"[$accent]{_count(len(rows))} still open[/] in the {escape(record.kind)} of "
                f"{record.created_at:%Y-%m-%d}: [b]Ctrl+L[/] carries them into this plan.",
                id="objectives-carry",
                classes="sentence",
            )
        yield from super().compose_body()

    def _carry(self) -> tuple[Session, list[DraftObjective]] | None:
        """The open objectives of the last record, not yet in this plan; only when making a plan."""
        if type(self.draft) is not AlignmentDraft:  # a check-in or review has them from its plan
            return None
        found = last_open_objectives(self.earlier_records())
        if found is None:
            return None
        here = {row.id for row in self.draft.objectives}
        rows = [row for row in found[1] if row.id not in here]
        return (found[0], rows) if rows else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "carry_open" and type(self.draft) is not AlignmentDraft:
            return False
        return super().check_action(action, parameters)

    async def action_carry_open(self) -> None:
        carry = self._carry()
        if carry is None:
            self.notify("No open objectives of an earlier record are left to carry.", timeout=4)
            return
        record, carried = carry
        rows = [*self.collect().objectives, *carried]
        await self._replace_rows(rows, f"objectives-{len(rows) - len(carried)}-objective")
        for hint in self.query("#objectives-carry"):
            await hint.remove()
        self.notify(
            f"Carried {_count(len(carried))} from the {escape(record.kind)} of {record.created_at:%Y-%m-%d}.",
            timeout=4,
        )


class CheckinDevelopmentStep(DevelopmentStep, CheckinStep):
    """The plan's objectives at a check-in: where each stands and the progress since the last one."""

    KEY = "checkin_development"
    EMPTY = "Development plan: where each objective stands"
    FIELDS = (OBJECTIVE, STATUS, PROGRESS, *DETAILS, *LINKS)

    def section_prompts(self) -> list[str]:
        return []

    def errors(self, draft: CheckinDraft) -> dict[str, str]:  # type: ignore[override]
        return CheckinStep.errors(self, draft)
