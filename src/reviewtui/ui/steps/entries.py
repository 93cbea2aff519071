"""Review sections that are lists of entries: feedback, context, examples, bullets (development: development.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from ...models.base import SHORT_TEXT_MAX, Model
from ...models.draft import DraftBullet, DraftContext, DraftExample, DraftFeedback, ReviewDraft
from ...models.evidence import EvidenceEntry
from ...models.feedback import Response
from ...models.preparation import PartnerObservation
from ...models.review_parts import Accomplishment
from ...review.rules import (
    CONTEXT_FACTORS,
    EXAMPLE_KINDS,
    FEEDBACK_KINDS,
    FEEDBACK_SOURCES,
    prefilled_bullets,
    section_errors,
)
from ..shown_markup import escape
from ..widgets import FieldError, prompts, text_input, widget_id
from .base import RowListStep
from .prepared import ObservationPickerScreen, as_feedback, observations_widgets

LINE = SHORT_TEXT_MAX  # a name, title or account: one line of the record, as in its format


@dataclass(frozen=True)
class EntryField:
    """One field of an entry: a text input, or a choice when `choices` is given."""

    name: str
    label: str
    placeholder: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int = 0
    """For a field that becomes one line of the record (a name, a title): SHORT_TEXT_MAX."""


def _choices(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((value.replace("_", " "), value) for value in values)


class EntryListStep(RowListStep):
    """A list of entries, each a small form; Ctrl+O adds one, Ctrl+R removes the one in focus."""

    FIELD: ClassVar[str]
    ENTRY: ClassVar[type[Model]]
    FIELDS: ClassVar[tuple[EntryField, ...]]
    EMPTY: ClassVar[str]
    BINDINGS = [
        Binding("ctrl+o", "add_row", "Add", id="step.add_row"),
        Binding("ctrl+r", "remove_row", "Remove", id="step.remove_row"),
    ]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if hasattr(cls, "FIELD"):
            cls.ROWS = (cls.FIELD, f"{cls.FIELD}-rows", cls.FIELDS[0].name)

    def section_prompts(self) -> list[str]:
        rubric = self.context.rubric(self.draft)
        section = next((s for s in rubric.template if s.id == self.KEY), None) if rubric else None
        return section.prompts if section else []

    def compose_body(self) -> ComposeResult:
        yield from prompts(self.section_prompts())
        yield Label(f"{self.EMPTY} [dim](Ctrl+O add · Ctrl+R remove)[/]", classes="section-title")
        yield FieldError(self.FIELD)
        yield Vertical(*self.row_widgets(getattr(self.draft, self.FIELD)), id=f"{self.FIELD}-rows")

    def blank_row(self) -> Model:
        return self.ENTRY()

    def row_widgets(self, rows: list[Any]) -> list[Widget]:
        blocks: list[Widget] = []
        for index, row in enumerate(rows):
            parts: list[Widget] = [Label(f"{index + 1}.", classes="entry-number")]
            for spec in self.FIELDS:
                key = f"{self.FIELD}.{index}.{spec.name}"
                value = getattr(row, spec.name)
                if choices := self.choices_of(spec, row):
                    options = list(choices)
                    widget: Widget = Select(
                        options,
                        value=value if value in {v for _, v in options} else Select.NULL,
                        prompt=spec.placeholder or "Choose",
                        id=widget_id(key),
                        compact=True,
                    )
                else:
                    widget = text_input(key, value, placeholder=spec.placeholder, max_length=spec.max_length)
                parts.append(
                    Horizontal(Label(spec.label, classes="field-label"), widget, classes="field-line")
                )
                parts.append(FieldError(key))
            parts.extend(self.extra_widgets(index, row))
            blocks.append(Vertical(*parts, classes="entry"))
        if not blocks:
            blocks.append(Static("[dim]None yet: Ctrl+O adds one.[/]"))
        return blocks

    def extra_widgets(self, index: int, row: Any) -> list[Widget]:
        """Anything shown under an entry's fields."""
        return []

    def choices_of(self, spec: EntryField, row: Any) -> tuple[tuple[str, str], ...]:
        """The choices of a field (none: a text input); a step may make them from the draft."""
        return spec.choices

    def collect(self) -> ReviewDraft:
        rows = []
        for index in range(len(getattr(self.draft, self.FIELD))):
            values = {}
            for spec in self.FIELDS:
                widget = self.query_one(f"#{widget_id(f'{self.FIELD}.{index}.{spec.name}')}")
                value = widget.value if isinstance(widget, (Input, Select)) else ""
                values[spec.name] = value if isinstance(value, str) else ""
            kept = getattr(self.draft, self.FIELD)[index]
            rows.append(kept.model_copy(update=values))
        return self.draft.model_copy(update={self.FIELD: rows})

    def errors(self, draft: ReviewDraft) -> dict[str, str]:
        rubric = self.context.rubric(draft)
        return section_errors(self.KEY, draft, rubric, set(self.context.rubrics)) if rubric else {}


class FeedbackStep(EntryListStep):
    """Customer feedback framed as observed behaviour."""

    KEY = "customer_feedback"
    FIELD = "feedback"
    ENTRY = DraftFeedback
    EMPTY = "Feedback entries"
    FIELDS = (
        EntryField("source", "Source", "Where it came from", _choices(FEEDBACK_SOURCES)),
        EntryField("account", "Account/cohort", "e.g. Acme Corp, or Q3 enterprise cohort", max_length=LINE),
        EntryField("observed", "Observed", "What the client saw the employee do"),
        EntryField("impact", "Impact", "What it did for the client"),
        EntryField("kind", "Strength or gap", "Choose", _choices(FEEDBACK_KINDS)),
    )

    BINDINGS = [
        *EntryListStep.BINDINGS,
        Binding("ctrl+l", "from_import", "From import", id="step.from_import"),
        Binding("ctrl+g", "from_partners", "From partners", id="step.from_partners"),
    ]

    def compose_body(self) -> ComposeResult:
        yield from observations_widgets(self.draft)
        yield from super().compose_body()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "from_partners" and not self.draft.partner_observations:
            return False  # no key for what nobody sent
        return super().check_action(action, parameters)

    def action_from_partners(self) -> None:
        self.app.push_screen(ObservationPickerScreen(self.draft.partner_observations), self._copied)

    async def _copied(self, item: PartnerObservation | None) -> None:
        if item is not None:
            rows = [*self.collect().feedback, as_feedback(item)]
            await self._replace_rows(rows, f"feedback-{len(rows) - 1}-source")

    def action_from_import(self) -> None:
        self.app.pick_feedback(self.draft.employee_name, self._pulled)  # type: ignore[attr-defined]

    async def _pulled(self, response: Response | None) -> None:
        if response is None:
            return
        high = response.score is not None and response.score >= (9 if response.scale == "nps" else 4)
        low = response.score is not None and response.score <= (6 if response.scale == "nps" else 2)
        score = f", {response.scale.upper()} {response.score}" if response.score is not None else ""
        item = DraftFeedback(
            source=response.source,
            account=response.account or response.cohort,
            # The client's words and score stay as the impact; the pair write the behaviour they point to.
            impact=f"{response.comment} ({response.date}{score})".strip(),
            kind="strength" if high else "gap" if low else "",
        )
        rows = [*self.collect().feedback, item]
        await self._replace_rows(rows, f"feedback-{len(rows) - 1}-observed")


class ContextStep(EntryListStep):
    """Resource constraints, competing priorities, market dynamics."""

    KEY = "context"
    FIELD = "context"
    ENTRY = DraftContext
    EMPTY = "Context factors"
    FIELDS = (
        EntryField("factor", "Kind", "Choose", _choices(CONTEXT_FACTORS)),
        EntryField("note", "What happened", "and how it bore on the results"),
    )


class ExamplesStep(EntryListStep):
    """Recent examples and client success stories; Ctrl+L pulls one from the evidence log."""

    BINDINGS = [*EntryListStep.BINDINGS, Binding("ctrl+l", "from_log", "From log", id="step.from_log")]

    def action_from_log(self) -> None:
        self.app.pick_evidence(  # type: ignore[attr-defined]
            self.draft.employee_name, "a client success story", self._pulled
        )

    async def _pulled(self, entry: EvidenceEntry | None) -> None:
        if entry is None:
            return
        title = " ".join(entry.text.split()[:6])
        story = DraftExample(
            kind="success_story",
            title=title if len(title) <= 60 else title[:57] + "...",
            happened_on=entry.happened_on.isoformat(),
            text=entry.text,
            log_entry=entry.id,  # the link back to the log
        )
        rows = [*self.collect().examples, story]
        await self._replace_rows(rows, f"examples-{len(rows) - 1}-title")

    KEY = "examples"
    FIELD = "examples"
    ENTRY = DraftExample
    EMPTY = "Examples and client success stories"
    FIELDS = (
        EntryField("kind", "Kind", "Choose", _choices(EXAMPLE_KINDS)),
        EntryField("title", "Title", "A short title", max_length=LINE),
        EntryField("account", "Account", "The client", max_length=LINE),
        EntryField("happened_on", "When", "YYYY-MM-DD (optional)"),
        EntryField("text", "Story", "The situation, what was done, the client result"),
    )


class AccomplishmentsStep(EntryListStep):
    """Bullets on the formula: did what, to what; the outcome with figures; my contribution."""

    KEY = "accomplishments"
    FIELD = "bullets"
    ENTRY = DraftBullet
    EMPTY = "Accomplishment bullets"
    FIELDS = (
        EntryField("action", "I ...", "managed, recovered, launched, improved...", max_length=LINE),
        EntryField("subject", "... what", "a book of business, an account, a program", max_length=LINE),
        EntryField("outcome", "Outcome", "retention rate, NPS change, expansion revenue, time-to-value..."),
        EntryField("contribution", "My contribution", "health monitoring, QBR leadership, a playbook..."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prefilled = not self.draft.bullets
        if self.prefilled:  # start from the figures already recorded
            self.draft = self.draft.model_copy(update={"bullets": prefilled_bullets(self.draft)})

    def on_mount(self) -> None:
        super().on_mount()
        if self.prefilled:
            self.edited(changed=True)  # the prefilled bullets belong in the draft at once

    def extra_widgets(self, index: int, row: Any) -> list[Widget]:
        return [Static(self._sentence(row), id=f"bullets-{index}-sentence", classes="sentence")]

    @staticmethod
    def _sentence(row: DraftBullet) -> str:
        if not (row.action.strip() and row.subject.strip()):
            return "[dim]The finished sentence appears here.[/]"
        bullet = Accomplishment.model_construct(
            action=" ".join(row.action.split()),
            subject=" ".join(row.subject.split()),
            outcome=row.outcome.strip(),
            contribution=row.contribution.strip(),
        )
        return f"[i]{escape(bullet.sentence())}[/]"

    def refresh_status(self) -> None:
        super().refresh_status()
        for index, row in enumerate(self.draft.bullets):
            sentences = self.query(f"#bullets-{index}-sentence")
            if sentences:
                sentences.first(Static).update(self._sentence(row))
