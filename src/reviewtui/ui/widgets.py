"""Small reusable widgets: the step indicator and fields with their error line."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Checkbox, Collapsible, Label, Static

from .shown_markup import escape
from .text_fields import (  # noqa: F401 (the steps import the fields from here)
    KEPT_FORMAT_CHARACTERS,
    FieldInput,
    TypingInOrder,
    WideTextArea,
    forget_histories,
    text_input,
    too_long,
    widget_id,
)

STEP_TITLES = {
    "participants": "Who",
    "impact_map": "Impact map",
    "metrics": "Metrics",
    "targets": "Targets",
    "agree": "Agree",
    "impact_recap": "Impact recap",
    "metric_results": "Metric results",
    "customer_feedback": "Customer feedback",
    "context": "Context",
    "examples": "Examples & stories",
    "competencies": "Competencies",
    "accomplishments": "Accomplishments",
    "development": "Development",
    "employee_reading": "Employee's reading",
    "sign_off": "Score & sign-off",
    "checkin_agenda": "Agenda and notes",
    "agenda": "Agenda and notes",
    "checkin_actuals": "Actuals",
    "checkin_plan": "Targets & weights",
    "checkin_development": "Development",
    "checkin_actions": "Actions",
    "checkin_record": "Record",
}


FINAL_STEP_VERBS = {"agree": "agree", "sign_off": "sign", "checkin_record": "record"}
"""What the last step of each flow does: the step bar says what is needed before it."""


class StepIndicator(Static):
    """Where the pair are: the current step named, done steps ticked, the steps still needed starred.

    A step is needed (`*`) while it has something to fix: the last step (agree, sign, record)
    checks them all. Steps with nothing required (optional sections) are ticked from the start.
    The bar uses the longest form that fits the terminal's width.
    """

    DEFAULT_CSS = """
    StepIndicator { height: 1; padding: 0 1; background: $boost; }
    """

    def __init__(self, keys: list[str], current: int, done: set[int]) -> None:
        super().__init__(id="step-indicator")
        self.keys = keys
        self.current = current
        self.done = done

    def needed(self, index: int) -> bool:
        """True when the step must still be completed before the last step."""
        last = len(self.keys) - 1
        return (
            index != self.current
            and index not in self.done
            and not (index == last and self.keys[index] in FINAL_STEP_VERBS)
        )

    def forms(self) -> list[tuple[str, str]]:
        """The bar as (plain text, markup), longest first."""
        verb = FINAL_STEP_VERBS.get(self.keys[-1], "finish")
        any_needed = any(self.needed(index) for index in range(len(self.keys)))
        legend = f"  * needed to {verb}" if any_needed else ""
        found: list[tuple[str, str]] = []
        for titled in (True, False):
            plain, markup = [], []
            for index, key in enumerate(self.keys):
                title = f"{index + 1} {STEP_TITLES[key]}"
                mark = "✓" if index in self.done else "*" if self.needed(index) else ""
                if index == self.current:
                    plain.append(f" {title} ")
                    markup.append(f"[reverse b] {escape(title)} [/]")
                    continue
                text = f"{title}{' ' if mark == '✓' else ''}{mark}" if titled else f"{index + 1}{mark}"
                plain.append(text)
                style = "$success" if mark == "✓" else "b" if mark else "dim"
                markup.append(f"[{style}]{escape(text)}[/]")
            gap = "  " if titled else " "
            found.append((gap.join(plain) + legend, gap.join(markup) + f"[dim]{legend}[/]"))
            found.append((gap.join(plain), gap.join(markup)))
        # The legend says what `*` means: a shorter bar with it reads better than a longer without.
        return [found[0], found[2], found[1], found[3]]

    def render(self) -> str:
        width = self.content_size.width or 80
        forms = self.forms()
        return next((markup for plain, markup in forms if len(plain) <= width), forms[-1][1])


class TickBox(Checkbox):
    """A confirmation box that reads without colour: a tick when ticked, blank when not.

    Textual's checkbox draws the same X both ways and tells them apart by colour alone.
    """

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual's name
        return "✓" if self.value else " "


class FieldError(Label):
    """The plain-words error shown under a field; hidden while there is none."""

    DEFAULT_CSS = """
    FieldError { color: $error; height: auto; padding: 0 0 0 1; display: none; }
    FieldError.-shown { display: block; }
    """

    def __init__(self, key: str) -> None:
        super().__init__(id=f"err-{widget_id(key)}")
        self.key = key

    def show(self, message: str | None) -> None:
        if self.content != (message or ""):  # an unchanged error costs no layout of the screen
            self.update(message or "")
        self.set_class(bool(message), "-shown")


class Field(Vertical):
    """A labelled one-line input with its error line below."""

    DEFAULT_CSS = """
    Field { height: auto; }
    Field > .field-line { height: 1; margin-bottom: 1; }
    Field > .field-line > .field-label { width: 19; color: $text-muted; }
    Field > .field-line > Input { width: 1fr; }
    """

    def __init__(
        self, label: str, key: str, value: str, *, placeholder: str = "", max_length: int = 0
    ) -> None:
        super().__init__(classes="field")
        self.label = label
        self.key = key
        self.value = value
        self.placeholder = placeholder
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-line"):
            yield Label(self.label, classes="field-label")
            yield text_input(self.key, self.value, placeholder=self.placeholder, max_length=self.max_length)
        yield FieldError(self.key)


def labelled_input(
    key: str, value: str, label: str, placeholder: str = "", max_length: int = 0
) -> list[Widget]:
    """A label and a one-line input on one line, with the field's error line below."""
    return [
        Horizontal(
            Label(label, classes="field-label"),
            text_input(key, value, placeholder=placeholder, max_length=max_length),
            classes="field-line",
        ),
        FieldError(key),
    ]


def show_errors(root: Widget, errors: dict[str, str]) -> None:
    """Show each error under its field and clear the others."""
    for error in root.query(FieldError):
        error.show(errors.get(error.key))


def prompts(questions: list[str]) -> list[Widget]:
    """The rubric's guiding questions: in full on tall terminals, one line to open on short ones."""
    if not questions:
        return []
    text = "\n".join(f"[dim]• {escape(question)}[/]" for question in questions)
    title = f"The rubric's questions for this step ({len(questions)}) · Enter shows or hides them"
    return [
        Static(text, classes="prompts"),
        Collapsible(Static(text), title=title, collapsed=True, classes="prompts-hint"),
    ]
