"""What the employee and partners prepared before the review, as the review's steps show it.

Shown, never edited here: it is what they wrote, imported from their preparation files
(`reviewtui prepare import`). Each function returns no widget when nothing was prepared, so a
review without preparations looks as it always did.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...models import Rubric
from ...models.draft import DraftFeedback, ReviewDraft
from ...models.preparation import PartnerObservation, SelfRating
from ..shown_markup import escape
from ..text_fields import widget_id


def _day(draft: ReviewDraft) -> str:
    assessment = draft.self_assessment
    return f"{assessment.written_at:%Y-%m-%d}" if assessment else ""


def _own(draft: ReviewDraft, competency_id: str) -> SelfRating | None:
    assessment = draft.self_assessment
    return (
        next((r for r in assessment.ratings if r.competency == competency_id), None) if assessment else None
    )


def _level(rubric: Rubric, value: int) -> str:
    label = next((level.label for level in rubric.scale if level.value == value), "not on this scale")
    return f"[b]{value}[/] {escape(label)}"


def comparison(own: int, chosen: str) -> str:
    """How the manager's level (as chosen so far) stands to the employee's own, in words."""
    if not chosen.isdigit():
        return "[dim]your level: not chosen yet[/]"
    apart = int(chosen) - own
    if apart == 0:
        return "[$success]the same as yours[/]"
    steps = f"{abs(apart)} level{'s' if abs(apart) > 1 else ''}"
    return f"[$warning]{steps} {'below' if apart > 0 else 'above'} yours[/]"


def own_rating_text(draft: ReviewDraft, rubric: Rubric, competency_id: str) -> str:
    """The employee's own level for one competency, set against the manager's, and their example."""
    own = _own(draft, competency_id)
    if own is None:
        return ""
    chosen = next((r.level for r in draft.ratings if r.competency == competency_id), "")
    return (
        f"[b]Employee's own level:[/] {_level(rubric, own.level)}: {comparison(own.level, chosen)}  "
        f"[dim](prepared {_day(draft)})[/]\n[dim]Their example:[/] {escape(own.example)}"
    )


def own_rating_widgets(draft: ReviewDraft, rubric: Rubric, competency_id: str) -> list[Widget]:
    """The employee's own level and example for one competency, to read beside the manager's."""
    if _own(draft, competency_id) is None:
        return []
    text = own_rating_text(draft, rubric, competency_id)
    return [Static(text, classes="own-rating", id=widget_id(f"own-rating.{competency_id}"))]


def refresh_own_ratings(screen: Screen, draft: ReviewDraft, rubric: Rubric | None) -> None:
    """Set each competency's comparison again, as the manager's level changes."""
    if rubric is None or draft.self_assessment is None:
        return
    for own in draft.self_assessment.ratings:
        for widget in screen.query(f"#{widget_id(f'own-rating.{own.competency}')}"):
            if isinstance(widget, Static):
                widget.update(own_rating_text(draft, rubric, own.competency))


def observation_text(item: PartnerObservation) -> str:
    """One partner observation as markup: kind, who, account, what was observed and its impact."""
    account = f" · {escape(item.account)}" if item.account else ""
    impact = f"\n   [dim]Impact:[/] {escape(item.impact)}" if item.impact else ""
    return (
        f"[b]{escape(item.kind)}[/] · {escape(item.name)}{account} "
        f"[dim]({item.written_at:%Y-%m-%d})[/]\n   {escape(item.observed)}{impact}"
    )


def observations_widgets(draft: ReviewDraft) -> list[Widget]:
    """The partners' observations, above the feedback rows, with the key that copies one."""
    if not draft.partner_observations:
        return []
    lines = [
        f"{index}. {observation_text(item)}" for index, item in enumerate(draft.partner_observations, start=1)
    ]
    listed = Static("\n".join(lines), id="partner-observations", classes="prepared")
    listed.styles.margin = (0, 0, 1, 0)
    return [
        Static(
            "[b]Partners' observations[/] [dim](sent before the review · Ctrl+G copies one into a row)[/]",
            classes="section-title",
        ),
        listed,
    ]


def as_feedback(item: PartnerObservation) -> DraftFeedback:
    """A feedback row from a partner's observation, to frame with the client's side in the meeting."""
    return DraftFeedback(
        source="other",
        account=item.account,
        observed=item.observed,
        impact=item.impact,
        kind=item.kind,
    )


def reading_widgets(draft: ReviewDraft) -> list[Widget]:
    """The employee's own reading, proposed objectives and topics from their preparation."""
    assessment = draft.self_assessment
    if assessment is None:
        return []
    lines = [f"[b]From their preparation[/] [dim]({_day(draft)})[/]"]
    if not assessment.reading:
        lines.append("[b]Their reading of the data:[/] [dim](none written)[/]")
    elif assessment.reading.strip() == draft.reading.strip():
        lines.append("[dim]Their reading of the data is in the field below, to go through together.[/]")
    else:
        lines.append("[b]Their reading of the data, as written:[/] " + escape(assessment.reading))
    if assessment.objectives:
        lines.append("[b]Objectives they propose:[/]")
        for item in assessment.objectives:
            why = f" [dim]— {escape(item.why)}[/]" if item.why else ""
            lines.append(f" • {escape(item.objective)}{why}")
    if assessment.topics:
        lines.append("[b]Topics they want to discuss:[/]")
        lines.extend(f" • {escape(topic)}" for topic in assessment.topics)
    shown = Static("\n".join(lines), id="prepared-reading", classes="prepared")
    shown.styles.margin = (0, 0, 1, 0)
    return [shown]


class ObservationPickerScreen(ModalScreen[PartnerObservation | None]):
    """The partners' observations; Enter copies one into a feedback row, Esc cancels."""

    DEFAULT_CSS = """
    ObservationPickerScreen { align: center middle; }
    #observation-picker { width: 90%; max-width: 110; height: auto; max-height: 80%;
        border: round $primary; background: $surface; padding: 0 1; }
    #observation-options { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="observation-pick.cancel")]

    def __init__(self, observations: list[PartnerObservation]) -> None:
        super().__init__()
        self.observations = observations

    def compose(self) -> ComposeResult:
        with Vertical(id="observation-picker"):
            yield Static(
                "[b]Partners' observations[/]  [dim]Enter copies into a feedback row · Esc cancels[/]"
            )
            if self.observations:
                yield OptionList(
                    *[
                        Option(Content.from_markup(observation_text(item)), id=str(index))
                        for index, item in enumerate(self.observations)
                    ],
                    id="observation-options",
                )
            else:
                yield Static(
                    "No partner has sent observations for this review: `reviewtui prepare ask --partner NAME` "
                    "writes their file, `reviewtui prepare import FILE` brings it back before the review starts."
                )

    def on_mount(self) -> None:
        if self.observations:
            self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.observations[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
