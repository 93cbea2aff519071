"""On the agree step: each checklist rule or guardrail the plan breaks, with the reason to agree it anyway."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from ...models.draft import AlignmentDraft, DraftRuleReason
from ...plan.checks import Check
from ...plan.rules import reason_for, reason_key
from ..shown_markup import escape
from ..widgets import FieldError, text_input, widget_id


class RuleReasons(Vertical):
    """A reason field under each broken rule; hidden when the plan breaks none."""

    def __init__(self, broken: list[Check], draft: AlignmentDraft) -> None:
        super().__init__(id="rule-reasons")
        self.broken = broken
        self.draft = draft
        self.display = bool(broken)

    def compose(self) -> ComposeResult:
        if not self.broken:
            return
        count = len(self.broken)
        which = "1 rule of the rubric is" if count == 1 else f"{count} rules of the rubric are"
        under = "it" if count == 1 else "each"
        yield Static(
            f"[b]{which} broken[/] [dim]· to agree the plan anyway, write why under {under}; "
            "the record keeps it[/]",
            classes="rule-reason-title",
        )
        for check in self.broken:
            key = reason_key(check.id)
            yield Vertical(
                Static(f"[$warning]![/] {escape(check.message)}", classes="rule-reason-title"),
                Horizontal(
                    Label("Agreed because", classes="field-label"),
                    text_input(
                        key,
                        reason_for(self.draft, check.id),
                        placeholder="why you agree the plan although it breaks this",
                    ),
                    classes="field-line",
                ),
                FieldError(key),
                classes="rule-reason",
            )

    def reasons(self, kept: list[DraftRuleReason]) -> list[DraftRuleReason]:
        """The draft's reasons with what is typed here; reasons for rules not broken now are kept."""
        typed = {
            check.id: self.query_one(f"#{widget_id(reason_key(check.id))}", Input).value
            for check in self.broken
        }
        merged = [
            item.model_copy(update={"reason": typed.pop(item.check)}) if item.check in typed else item
            for item in kept
        ]
        merged += [DraftRuleReason(check=check, reason=reason) for check, reason in typed.items() if reason]
        return merged
