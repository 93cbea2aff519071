"""F1 help for each step: what it is for, its keys, and the rubric's own prompts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from ..models import Rubric
from .more import MoreHint

_KEYS = (
    "**Ctrl+N** next step · **Ctrl+B** back · **Esc** home (the draft is kept) · **Ctrl+Q** save and quit · "
    "**Ctrl+Z** / **Ctrl+Y** undo / redo in a field (kept while the draft is open, across steps) · "
    "**F6** your private notes about the employee (also **p** on home): kept only in your own data folder, "
    "never in the record, an export or the room"
)

STEP_HELP = {
    "participants": (
        "## Who takes part\n\n"
        "Name the employee and choose their **role**: the role picks the rubric, whose outcomes, "
        "metrics and prompts the rest of the session uses. Add the **cross-functional partners** who touch "
        "the same clients (sales, product, support), and the **period** the plan covers.\n\n"
        "**Ctrl+O** adds a partner row, **Ctrl+R** removes the row you are in."
    ),
    "impact_map": (
        "## Role impact map\n\n"
        "List what the employee does and which **client outcome** each activity drives, and how. "
        "The map is the theory behind the plan: metrics should follow from it, not from what is easy to count.\n\n"
        "**Ctrl+O** adds a row, **Ctrl+R** removes the row you are in."
    ),
    "metrics": (
        "## Choose metrics\n\n"
        "Pick a **concise** set from the rubric's catalog (**Space** or **Enter** toggles): a chosen metric shows "
        "**✓** in its box. **●** marks a metric serving an outcome on your impact map (these come first), **○** one "
        "that does not. The panel shows each metric's definition, data source and frequency; when it is cut, "
        "**Tab** moves into it and the arrows scroll it. The hints check the plan as you choose: count, leading "
        "and lagging balance, guardrails, and the rubric's checklist rules (marked **!**: a plan may break one "
        "only with a written reason, given on the last step).\n\n**Ctrl+O** adds a custom metric with the same fields."
    ),
    "targets": (
        "## Targets and weights\n\n"
        "Agree a **baseline**, a **target** and a **weight** for each metric. Weights are percentage points "
        "and must total **100**; the total updates as you type. **Tab** goes baseline, target, weight, then the "
        "next metric.\n\n**Ctrl+T** opens what the metric you are in measures: its definition, data source, "
        "frequency, bands (which turn actual against target into a level) and, where the rubric asks, its scope "
        "(account or cohort, and which one). Change them to agree a **local variant**: the line under the figures "
        "says what is local, and the record keeps what you agreed. In that form **Ctrl+R** puts the field you are "
        "in back to the rubric's text, **Ctrl+S** keeps the variant and **Esc** leaves it as it was."
    ),
    "agree": (
        "## Review and agree\n\n"
        "Read the whole plan together. The checklist says what passes and what does not, and why. A rule or "
        "guardrail of the rubric that the plan breaks can be agreed anyway, but only with a **written reason** "
        "under it: the record keeps each reason, and exports and `reviewtui report` show them. When both "
        "agree, each ticks their confirmation (**Space**); partners may confirm too, and each confirmation "
        "becomes that person's sign-off, at its own moment, saying whether it was ticked on this screen or "
        "from their own. Under **Next check-in**, choose how often you meet (weekly, fortnightly, monthly or "
        "quarterly): the day of the next check-in fills in from it, and you may type another. "
        "**Ctrl+S** saves the record as `agreed`."
    ),
}

STEP_HELP |= {
    "impact_recap": (
        "## Role impact recap\n\nThe impact map agreed with the plan, carried over. Correct it if the role changed: "
        "the review judges results against what the role was meant to drive.\n\n"
        "**Ctrl+O** adds a row, **Ctrl+R** removes the row you are in."
    ),
    "metric_results": (
        "## Metric results\n\nFor each metric, the **actual** for the period, the date it was measured, where it "
        "came from and the evidence. The level the rubric's bands give appears with the rule that gave it. A metric "
        "left without an actual is **not scored**; it never counts as zero. To give another level, type it as an "
        "**override** with a written justification: the record keeps both."
    ),
    "customer_feedback": (
        "## Customer feedback\n\nSummarise surveys, support interactions and client narratives as **observable "
        "behaviour**: what the employee did and what it did for the client; never a verdict on character. Mark "
        "each as a strength or a gap.\n\n**Ctrl+O** adds an entry, **Ctrl+R** removes the one you are in. When "
        "partners sent their observations before the review (`reviewtui prepare`), they show above the entries "
        "and **Ctrl+G** copies one into a new entry."
    ),
    "context": (
        "## Context\n\nWhat shaped the results beyond the employee's control: **resource constraints**, "
        "**competing priorities**, **market dynamics**. A fair review reads the figures in their context.\n\n"
        "**Ctrl+O** adds a factor, **Ctrl+R** removes the one you are in."
    ),
    "examples": (
        "## Recent examples and client success stories\n\nConcrete recent examples, and at least one **client "
        "success story** where the rubric asks for it: the situation, what was done, the client result.\n\n"
        "**Ctrl+O** adds one, **Ctrl+R** removes the one you are in."
    ),
    "competencies": (
        "## Competencies\n\nChoose the level whose behavioural description fits best (every level is shown), and "
        "document an example that shows it. Cross-functional collaboration and process improvement are "
        "competencies in their own right. When the employee sent a self-assessment (`reviewtui prepare`), their "
        "own level and example show under each competency's levels, with how yours stands to it.\n\n"
        "Under process improvement, **Ctrl+L** pulls an experiment from the employee's experiment log (the "
        "bottleneck, the change tried, its dates, result and what was learned, failures included); the "
        "review keeps a copy. Chosen again, it is taken out. **x** on the home screen keeps the log."
    ),
    "accomplishments": (
        "## Accomplishment bullets\n\nEach bullet follows the formula: **what I did** (managed, recovered, "
        "launched, improved) **to what** (a book, an account, a program); **the outcome** with its figures; "
        "**my contribution** (health monitoring, QBR leadership, a playbook, escalation management). Bullets start "
        "from the metrics with actuals; the finished sentence shows under each.\n\n"
        "**Ctrl+O** adds one, **Ctrl+R** removes the one you are in."
    ),
    "development": (
        "## Development objectives\n\nEach objective has concrete actions (separated by `;`), an owner, "
        "a due date, the support needed and how both will know it is done; its **status** (not started, in "
        "progress, done, dropped) and **progress** say where it stands. It may name the plan **metric** or the "
        "customer-feedback **gap** (from this review's feedback or the last review) it addresses. In a plan, "
        "objectives are optional and **Ctrl+L** carries the open ones of the last review; each then follows "
        "the pair to every check-in and into the review, which needs at least one.\n\n"
        "**Ctrl+O** adds one, **Ctrl+R** removes the one you are in."
    ),
    "employee_reading": (
        "## The employee's own reading\n\nIn the employee's words: how they read the data, what they would "
        "add, and any comments for the record. What they wrote in their preparation (their reading, the "
        "objectives they propose, the topics they want to discuss) shows above; a review begun after it was "
        "imported starts the reading from their words."
    ),
    "sign_off": (
        "## Score and sign-off\n\nThe first line gives the score and the split between metrics and "
        "competencies. Each term shows its arithmetic (`level 4 × 40% × 70% = 1.12`): its level, its weight's "
        "share of its part and the part's split, rounded to cents so that the terms add up to the score. The "
        "checklist shows what is still missing; a review with no scored metric cannot be signed unless the "
        "rubric allows it. Each person ticks their own signature (**Space**); the record keeps the moment each "
        "ticked, and what was signed stays the record's score if the rubric changes later. **Ctrl+S** saves the "
        "review as `signed`."
    ),
}

STEP_HELP |= {
    "checkin_actuals": (
        "## Actuals\n\nThe figure for this period per metric, its date, source and evidence. The trend shows every "
        "earlier actual from the records. A figure off track by the rubric's bands is flagged; a running total "
        "(a count or revenue over the period) is read against its target pro-rated to the figure's date. A "
        "figure that moved by more than a quarter since the last is flagged as a sudden change (for a running "
        "total, its pace), and so is a metric that improved while its guardrail got worse. Flags use the targets "
        "as changed on the next step. Note what you made of each flag."
    ),
    "checkin_plan": (
        "## Targets and weights\n\nAdjust a target or a weight when the client context has shifted. Each change "
        "needs its reason; it is recorded with who agreed it and when, and later check-ins and the review use the "
        "adjusted plan. Weights still total 100."
    ),
    "checkin_development": (
        "## Development\n\nThe objectives of the development plan, as the last record left them: say where "
        "each stands (not started, in progress, done, dropped) and what progress was made. Each carries to the "
        "next check-in and into the review; open ones carry into the next plan. An objective agreed now is "
        "added with **Ctrl+O**; **Ctrl+R** removes the one you are in."
    ),
    "checkin_actions": (
        "## Actions\n\nOpen actions from the last check-in are carried over: mark them done, or leave them open to "
        "carry them again. Add new ones with an owner and a due date. An open action already past its due "
        "date on the check-in's day is flagged **⚑ Overdue** under it.\n\n**Ctrl+O** adds, **Ctrl+R** removes."
    ),
    **dict.fromkeys(
        ("checkin_agenda", "agenda"),
        "## Agenda and notes\n\nThe meeting opens with the topics either of you raised before it "
        "(`reviewtui agenda add`, **a** on the home screen, or a join link), oldest first, each with who raised it. "
        "Tick **Covered** for each topic you discussed: covered topics leave the agenda when the record is saved, "
        "the others carry over to the next meeting. **Ctrl+O** adds a topic raised now (choose who raised it among "
        "the participants), **Ctrl+R** removes the one you are in. The **notes** keep what was said beyond the "
        "figures (blockers, career, workload) in the record, which both of you read: keep your own private notes "
        "out of it.",
    ),
    "checkin_record": (
        "## Record\n\nWhat the check-in will record. The employee, the manager and partners may confirm it "
        "(optional here): whoever ticks gets a sign-off in the record. **Next check-in** is this check-in's day "
        "plus the cadence; change the day, or the cadence (the day follows it). **Ctrl+S** saves it as `recorded`."
    ),
}

_RUBRIC_PROMPTS = {"impact_map": "impact_map", "metrics": "metric_choice", "targets": "targets"}


def help_markdown(name: str, rubric: Rubric | None) -> str:
    """The help text of a step, with the rubric's prompts where it has some."""
    text = STEP_HELP[name]
    prompts: list[str] = []
    if rubric and name in _RUBRIC_PROMPTS:
        prompts = getattr(rubric.prompts, _RUBRIC_PROMPTS[name])
    elif rubric and name == "checkin_actuals":
        prompts = rubric.prompts.check_in
    elif rubric:
        prompts = next((section.prompts for section in rubric.template if section.id == name), [])
    if prompts:
        text += "\n\n### Questions from the rubric\n\n" + "\n".join(f"- {prompt}" for prompt in prompts)
    return text + "\n\n---\n\n" + _KEYS


class HelpScreen(ModalScreen[None]):
    """Help for the current step; Esc or F1 closes it."""

    BINDINGS = [
        Binding("escape,f1,q", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, step: str, rubric: Rubric | None) -> None:
        super().__init__()
        self.step = step
        self.rubric = rubric

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            with VerticalScroll(id="help-text") as text:
                yield Markdown(help_markdown(self.step, self.rubric))
            yield MoreHint(text, "[b]Esc[/] closes the help", id="help-more")

    def on_mount(self) -> None:
        self.query_one("#help-text").focus()  # the arrows and PgUp/PgDn scroll the help

    def action_dismiss(self) -> None:
        self.dismiss(None)
