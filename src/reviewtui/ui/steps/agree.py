"""The last step: the whole plan on one screen, the checklist, both confirmations, and saving."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ...models.draft import ALIGNMENT_STEPS, AlignmentDraft
from ...plan.checks import needs_reason, plan_checks, weight_check
from ...plan.rules import agree_errors, map_outcomes, plan_broken_rules, weights
from ...plan.variants import scope_words
from ..shown_markup import escape
from ..widgets import STEP_TITLES
from .base import FinalStep
from .cadence_fields import CadenceFields
from .metrics import checks_markup
from .rule_reasons import RuleReasons


def plan_markup(draft: AlignmentDraft, outcome_names: dict[str, str], role: str = "") -> str:
    """The plan as both will confirm it; `role` is the rubric's, which the record keeps without a job title."""
    partners = ", ".join(f"{escape(p.name)} ({escape(p.function)})" for p in draft.partners) or "none"
    lines = [
        f"[b]{escape(draft.employee_name)}[/] · {escape(draft.job_title.strip() or role)} · manager "
        f"[b]{escape(draft.manager_name)}[/] · partners: {partners}",
        f"Period [b]{escape(draft.period_label)}[/]: {escape(draft.period_start)} to {escape(draft.period_end)}",
        "",
        "[b]Impact map[/]",
    ]
    for row in draft.impact_map:
        outcome = outcome_names.get(row.outcome, row.outcome)
        lines.append(f"  {escape(row.activity)} → [b]{escape(outcome)}[/]: {escape(row.how)}")
    lines += ["", "[b]Metrics[/]  [dim]baseline → target, weight[/]"]
    for metric in draft.metrics:
        baseline = metric.baseline or "–"
        scope = scope_words(metric.scope, metric.scope_name)
        stated = f", {escape(scope)}" if scope else ""
        lines.append(
            f"  [b]{escape(metric.name)}[/] ({escape(metric.kind)}, {escape(metric.frequency)}{stated}): "
            f"{escape(baseline)} → {escape(metric.target)} {escape(metric.unit)}, weight {escape(metric.weight)}"
        )
        lines.append(f"    [dim]{escape(metric.definition)} Source: {escape(metric.data_source)}.[/]")
    if draft.objectives:  # a plan without a development plan shows no empty heading
        lines += ["", "[b]Development objectives[/]"]
        for objective in draft.objectives:
            status = objective.status.replace("_", " ")
            lines.append(
                f"  [b]{escape(objective.objective)}[/]: {escape(objective.owner)}, due "
                f"{escape(objective.due)} · {escape(status)}"
            )
    return "\n".join(lines)


class AgreeStep(FinalStep):
    """Read it together, tick both confirmations, save."""

    KEY = "agree"
    CSS_PATH = "plan.tcss"
    REFUSED = "The plan cannot be saved yet: see what is marked."
    BINDINGS = [Binding("ctrl+s", "agree", "Save agreed plan", priority=True, id="step.agree")]

    def compose_body(self) -> ComposeResult:
        rubric = self.context.rubric(self.draft)
        names = {outcome.id: outcome.name for outcome in rubric.outcomes} if rubric else {}
        yield Static(plan_markup(self.draft, names, rubric.role if rubric else ""), id="plan")
        yield Static("[b]Checklist[/]", classes="section-title")
        yield Static(id="agree-checks", classes="checks")
        yield RuleReasons(plan_broken_rules(self.draft, rubric) if rubric else [], self.draft)
        yield Static(id="agree-problems")
        yield from self.confirmations("confirms this plan")
        # After the boxes: Tab from the page reaches the confirmations first, as on every last step.
        yield CadenceFields(self.draft, self.draft.created_at.date())

    def errors(self, draft: AlignmentDraft) -> dict[str, str]:
        rubric = self.context.rubric(draft)
        if rubric is None:
            return {"employee_confirmed": "Choose a role on step 1 first."}
        return agree_errors(draft, rubric, set(self.context.rubrics))

    def collect(self) -> AlignmentDraft:
        draft = super().collect()
        found = self.query(RuleReasons)
        if found:
            draft = draft.model_copy(update={"rule_reasons": found.first().reasons(draft.rule_reasons)})
        cadence = self.query(CadenceFields)
        return draft.model_copy(update=cadence.first().values()) if cadence else draft

    def refresh_status(self) -> None:
        super().refresh_status()
        rubric = self.context.rubric(self.draft)
        if rubric is None:
            return
        checks = [
            *plan_checks(rubric, self.draft.metrics, map_outcomes(self.draft)),
            weight_check(weights(self.draft)),
        ]
        checks = [check for check in checks if not needs_reason(check)]  # shown with their reasons
        self.query_one("#agree-checks", Static).update(checks_markup(checks))
        earlier = _earlier_step_errors(self.errors(self.draft))
        self.query_one("#agree-problems", Static).update(earlier)
        status = (
            "Both confirm, then Ctrl+S saves the plan as agreed."
            if not earlier
            else "Go back (Ctrl+B) to finish the steps marked above."
        )
        self.query_one("#step-status", Static).update(status)


THIS_STEP = ("cadence", "next_checkin")


def _earlier_step_errors(errors: dict[str, str]) -> str:
    """Errors that belong to earlier steps, named by step so the pair know where to go."""
    prefixes = {
        "partners": 0,
        "employee": 0,
        "rubric": 0,
        "manager": 0,
        "period": 0,
        "impact": 1,
        "metrics": 3,
        "weights": 3,
        "objectives": 4,
    }
    lines = []
    for key, message in errors.items():
        if key.endswith("_confirmed") or key.startswith("reasons.") or key in THIS_STEP:
            continue
        step = 2 if key == "metrics" else next((s for p, s in prefixes.items() if key.startswith(p)), 0)
        lines.append(
            f"[$error]✗[/] Step {step + 1} ({STEP_TITLES[ALIGNMENT_STEPS[step]]}): {escape(message)}"
        )
    return "\n".join(lines)
