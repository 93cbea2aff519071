"""The check-in steps: actuals with their trend, plan changes with reasons, actions, record."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Sparkline, Static

from ...checkins.rules import changes, checkin_errors, ensure_changes, history, reading
from ...checkins.summary import summary_lines
from ...models import Rubric
from ...models.draft import CheckinDraft, DraftAction, DraftChange, DraftResult
from ...plan.checks import weight_check
from ...plan.rules import format_number, weights
from ..shown_markup import escape
from ..widgets import FieldError, labelled_input, text_input, widget_id
from .base import EvidenceFromLog, FinalStep, StepScreen
from .cadence_fields import CadenceFields, late_line, show_late_actions
from .entries import LINE, EntryField, EntryListStep

RUNNING = ", a running total over the period"


class CheckinStep(StepScreen):
    """Errors of a check-in step come from checkin.py."""

    def errors(self, draft: CheckinDraft) -> dict[str, str]:
        rubric = self.context.rubric(draft)
        return checkin_errors(self.KEY, draft, rubric) if rubric else {}


def trend_text(draft: CheckinDraft, metric_id: str) -> str:
    """Every earlier actual against the target, as the records hold them."""
    metric = draft.metric(metric_id)
    if metric is None:
        return ""
    target = f"target {escape(metric.target)} {escape(metric.unit)}"
    if metric.accumulates:  # a running total: the target is for the whole period
        target += f" by {escape(draft.period_end)}"
    earlier = history(draft, metric_id)
    if not earlier:
        return f"[dim]No earlier actuals ({target}).[/]"
    figures = "  ".join(f"{actual.as_of:%Y-%m-%d} [b]{format_number(actual.value)}[/]" for actual in earlier)
    return f"{figures}  [dim]({target})[/]"


def reading_markup(draft: CheckinDraft, result: DraftResult, rubric: Rubric) -> str:
    """The figure's track (pro-rated for a running total) and its flags, each on a line."""
    found = reading(draft, result, rubric)
    if found is None:
        return ""
    lines = []
    if found.track:
        colour, mark = ("$success", "✓") if found.on_track else ("$warning", "⚑")
        lines.append(f"[{colour}]{mark} {escape(found.track)}[/]")
    lines += [f"[$warning]⚑ {escape(warning)}[/]" for warning in found.warnings]
    return "\n".join(lines)


class ActualsStep(EvidenceFromLog, CheckinStep):
    """This period's actual per metric, the trend so far, and flags that ask for a note."""

    KEY = "checkin_actuals"
    BINDINGS = [Binding("ctrl+l", "from_log", "Evidence from log", id="step.from_log")]

    def compose_body(self) -> ComposeResult:
        yield FieldError("results")
        for result in self.draft.results:
            metric = self.draft.metric(result.metric)
            if metric is None:
                continue
            key = f"results.{result.metric}"
            earlier = [float(actual.value) for actual in history(self.draft, result.metric)]
            lines: list[Widget] = [
                Static(
                    f"[b]{escape(metric.name)}[/]  [dim]{escape(metric.unit)}, {escape(metric.direction)} is "
                    f"better{RUNNING if metric.accumulates else ''} · {escape(metric.data_source)}[/]",
                    classes="metric-heading",
                ),
                Horizontal(
                    Sparkline(earlier, classes="trend", id=f"spark-{widget_id(result.metric)}"),
                    Static(trend_text(self.draft, result.metric), classes="trend-text"),
                    classes="trend-line",
                ),
            ]
            for part, label, hint in (
                ("actual", "Actual", "this period's figure"),
                ("as_of", "As of", "YYYY-MM-DD"),
                ("data_source", "Data source", "if not the usual one"),
                ("evidence", "Evidence", "report, link or note"),
                ("note", "Discussion", "what you made of it, if flagged"),
            ):
                limit = LINE if part == "data_source" else 0  # one line of the record
                lines.extend(labelled_input(f"{key}.{part}", getattr(result, part), label, hint, limit))
            lines.append(Static(id=f"flags-{widget_id(result.metric)}", classes="level"))
            yield Vertical(*lines, classes="metric-block")

    def collect(self) -> CheckinDraft:
        parts = ("actual", "as_of", "data_source", "evidence", "note")
        return self.draft.model_copy(update={"results": self.results_on_screen(self.draft.results, parts)})

    def refresh_status(self) -> None:
        super().refresh_status()
        rubric = self.context.rubric(self.draft)
        if rubric is None:
            return
        for result in self.draft.results:
            found = self.query(f"#flags-{widget_id(result.metric)}")
            if found:
                found.first(Static).update(reading_markup(self.draft, result, rubric))


class PlanChangesStep(CheckinStep):
    """Targets and weights as they stand; a change needs its reason and is recorded."""

    KEY = "checkin_plan"

    def compose_body(self) -> ComposeResult:
        yield Static(
            "[dim]Change a target or a weight only as the client context shifts; each change is recorded "
            "with its reason, who agreed it and when.[/]",
            classes="prompts",
        )
        for metric in self.draft.metrics:
            key = f"metrics.{metric.id}"
            yield Vertical(
                Static(
                    f"[b]{escape(metric.name)}[/]  [dim]{escape(metric.unit)}[/]", classes="metric-heading"
                ),
                Horizontal(
                    Label("Target", classes="figure-label"),
                    text_input(f"{key}.target", metric.target, max_length=24),
                    Label("Weight %", classes="figure-label"),
                    text_input(f"{key}.weight", metric.weight, max_length=3),
                    classes="figures",
                ),
                FieldError(f"{key}.target"),
                FieldError(f"{key}.weight"),
                Horizontal(
                    Label("Reason", classes="field-label"),
                    text_input(
                        f"changes.{metric.id}.reason", self._reason(metric.id), placeholder="only if changed"
                    ),
                    classes="field-line",
                ),
                FieldError(f"changes.{metric.id}.reason"),
                # This check-in's figure read against the target as typed here, so a change shows its effect.
                Static(id=f"plan-reading-{widget_id(metric.id)}", classes="level"),
                classes="metric-block",
            )
        yield FieldError("weights")

    def _reason(self, metric_id: str) -> str:
        return next((change.reason for change in self.draft.changes if change.metric == metric_id), "")

    def collect(self) -> CheckinDraft:
        metrics = []
        for metric in self.draft.metrics:
            key = f"metrics.{metric.id}"
            target = self.query_one(f"#{widget_id(f'{key}.target')}", Input).value
            weight = self.query_one(f"#{widget_id(f'{key}.weight')}", Input).value
            metrics.append(metric.model_copy(update={"target": target, "weight": weight}))
        draft = ensure_changes(self.draft.model_copy(update={"metrics": metrics}))
        reasons = {
            m.id: self.query_one(f"#{widget_id(f'changes.{m.id}.reason')}", Input).value
            for m in self.draft.metrics
        }
        listed = {change.metric for change in draft.changes}
        # A reason typed before its target or weight is changed (or while the figure does not
        # read as a number yet) is kept too: it was typed, so the draft holds it.
        early = [DraftChange(metric=m, reason=r) for m, r in reasons.items() if r and m not in listed]
        return draft.model_copy(
            update={
                "changes": [
                    c.model_copy(update={"reason": reasons.get(c.metric, c.reason)}) for c in draft.changes
                ]
                + early
            }
        )

    def refresh_status(self) -> None:
        super().refresh_status()
        total = weight_check(weights(self.draft))
        changed = len(changes(self.draft))
        colour = "$success" if total.passed else "$warning"
        self.query_one("#step-status", Static).update(
            f"[{colour}]{escape(total.message)}[/] · {changed} change{'s' if changed != 1 else ''} to record"
        )
        rubric = self.context.rubric(self.draft)
        for result in self.draft.results if rubric else []:
            found = self.query(f"#plan-reading-{widget_id(result.metric)}")
            if found:
                markup = reading_markup(self.draft, result, rubric)  # type: ignore[arg-type]
                found.first(Static).update(markup)
                found.first(Static).display = bool(markup)  # no figure: no empty line in the way


class ActionsStep(EntryListStep, CheckinStep):
    """Actions carried over from the last check-in (tick them done or carry them) and new ones."""

    KEY = "checkin_actions"
    FIELD = "actions"
    ENTRY = DraftAction
    EMPTY = "Next actions (open ones carry over to the next check-in)"
    FIELDS = (
        EntryField("text", "Action", "What will be done", max_length=LINE),
        EntryField("owner", "Owner", "Who does it", max_length=LINE),
        EntryField("due", "Due", "YYYY-MM-DD"),
        EntryField("status", "Status", "Choose", (("open", "open"), ("done", "done"))),
    )

    def section_prompts(self) -> list[str]:
        return []

    def extra_widgets(self, index: int, row: Any) -> list[Widget]:
        carried = [Static("[dim]Carried over from an earlier check-in.[/]", classes="sentence")]
        # Filled (and kept live) by refresh_status: an open action past its date at this check-in.
        return [*(carried if row.carried_from else []), late_line(index)]

    def errors(self, draft: CheckinDraft) -> dict[str, str]:
        return CheckinStep.errors(self, draft)

    def refresh_status(self) -> None:
        super().refresh_status()
        show_late_actions(self, self.draft)


class RecordStep(FinalStep, CheckinStep):
    """What the check-in will record; Ctrl+S saves it as `recorded`."""

    KEY = "checkin_record"
    REFUSED = "The check-in cannot be recorded yet: see what is marked."
    BINDINGS = [Binding("ctrl+s", "agree", "Record", priority=True, id="step.record")]

    def compose_body(self) -> ComposeResult:
        yield Static(id="checkin-summary")
        # Optional here: whoever ticks is recorded as having confirmed what the check-in records.
        yield Static("[b]Confirmations[/] [dim](optional at a check-in)[/]", classes="section-title")
        yield from self.confirmations("confirms this check-in")
        # After the boxes: Tab from the page reaches the confirmations first, as on every last step.
        yield CadenceFields(self.draft, self.draft.created_at.date())

    def collect(self) -> CheckinDraft:
        draft = super().collect()
        found = self.query(CadenceFields)
        return draft.model_copy(update=found.first().values()) if found else draft  # type: ignore[return-value]

    def refresh_status(self) -> None:
        super().refresh_status()
        looks = {
            "heading": "\n[b]{}[/]",
            "figure": "  {}",
            "on_track": "    [$success]✓ {}[/]",
            "flag": "    [$warning]⚑ {}[/]",
            "note": "    [i]{}[/]",
            "change": "  {}",
            "action": "  {}",
            "plain": "  [dim]{}[/]",
        }
        lines = [
            looks[line.kind].format(escape(line.text)) for line in summary_lines(self.draft, self.rubric)
        ]
        lines[0] = lines[0].lstrip("\n")
        problems = self.errors(self.draft)
        if problems:
            lines.append("")
        lines += [f"[$error]✗[/] {escape(message)}" for message in problems.values()]
        self.query_one("#checkin-summary", Static).update("\n".join(lines))
        here = {"cadence", "next_checkin"} & set(problems)  # this step's own fields, below the summary
        self.query_one("#step-status", Static).update(
            "Ctrl+S records the check-in."
            if not problems
            else "Fix the next check-in below, then Ctrl+S."
            if here == set(problems)
            else "Go back (Ctrl+B) to finish what is marked."
        )

    @property
    def rubric(self) -> Rubric | None:
        return self.context.rubric(self.draft)
