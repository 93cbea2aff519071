"""F1 help for each step: what it is for, its keys, and the rubric's own prompts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from ..models import Rubric
from ..models.draft import STEPS

_KEYS = "**Ctrl+N** next step · **Ctrl+B** back · **Esc** home (the draft is kept) · **Ctrl+Q** save and quit"

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
        "Pick a **concise** set from the rubric's catalog (**Space** or **Enter** toggles). Metrics that serve "
        "outcomes on your map come first. The panel shows each metric's definition, data source and frequency; "
        "the hints check the plan as you choose: count, leading and lagging balance, guardrails, and the "
        "rubric's checklist rules.\n\n**Ctrl+O** adds a custom metric with the same fields."
    ),
    "targets": (
        "## Targets and weights\n\n"
        "Agree a **baseline**, a **target** and a **weight** for each metric. Weights are percentage points "
        "and must total **100**; the total updates as you type. You may edit a definition or data source to "
        "agree a local variant: the record keeps what you agreed. Bands turn actual against target into a level."
    ),
    "agree": (
        "## Review and agree\n\n"
        "Read the whole plan together. The checklist says what passes and what does not, and why. When both "
        "agree, each ticks their confirmation (**Space**), then **Ctrl+S** saves the record as `agreed`."
    ),
}

_RUBRIC_PROMPTS = {"impact_map": "impact_map", "metrics": "metric_choice", "targets": "targets"}


def help_markdown(step: int, rubric: Rubric | None) -> str:
    """The help text of a step, with the rubric's prompts where it has some."""
    name = STEPS[step]
    text = STEP_HELP[name]
    prompts = getattr(rubric.prompts, _RUBRIC_PROMPTS[name]) if rubric and name in _RUBRIC_PROMPTS else []
    if prompts:
        text += "\n\n### Questions from the rubric\n\n" + "\n".join(f"- {prompt}" for prompt in prompts)
    return text + "\n\n---\n\n" + _KEYS


class HelpScreen(ModalScreen[None]):
    """Help for the current step; Esc or F1 closes it."""

    BINDINGS = [
        Binding("escape,f1,q", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, step: int, rubric: Rubric | None) -> None:
        super().__init__()
        self.step = step
        self.rubric = rubric

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(help_markdown(self.step, self.rubric))

    def action_dismiss(self) -> None:
        self.dismiss(None)
