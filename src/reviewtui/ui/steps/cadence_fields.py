"""How often the pair meet and the day of the next check-in: on the plan's agree step and a check-in's record step."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from ...checkins.due import late_words
from ...models.cadence import CADENCES
from ...models.draft import AlignmentDraft, CheckinDraft
from ...plan.cadence import default_next
from ..shown_markup import escape
from ..widgets import FieldError, text_input

CADENCE_CHOICES = [(cadence, cadence) for cadence in CADENCES]


def _weekday_words(typed: str, meeting: dt.date) -> str:
    """`Monday, in 4 weeks`: the day typed as the pair will put it in their calendars."""
    try:
        day = dt.date.fromisoformat(typed.strip())
    except ValueError:
        return ""
    days = (day - meeting).days
    if days <= 0:
        return ""
    weeks, rest = divmod(days, 7)
    span = f"in {days} day{'s' if days != 1 else ''}"
    if weeks and not rest:
        span = f"in {weeks} week{'s' if weeks != 1 else ''}"
    return f"{day:%A}, {span}"


class CadenceFields(Vertical):
    """A cadence to choose and the next check-in's day; choosing a cadence fills the day from it.

    The day is filled only while it is empty or still the one the previous cadence gave: a day
    the pair typed themselves stays.
    """

    DEFAULT_CSS = """
    CadenceFields { height: auto; margin: 1 0; }
    CadenceFields > #next-checkin-day { height: 1; padding-left: 20; color: $text-muted; }
    """

    def __init__(self, draft: AlignmentDraft, meeting: dt.date) -> None:
        super().__init__(id="cadence-fields")
        self.cadence = draft.cadence
        self.next_checkin = draft.next_checkin
        self.meeting = meeting

    def compose(self) -> ComposeResult:
        yield Static("[b]Next check-in[/]", classes="section-title")
        cadence = Select(
            CADENCE_CHOICES,
            value=self.cadence if self.cadence in CADENCES else Select.NULL,
            prompt="How often you meet",
            id="cadence",
            compact=True,
        )
        day = text_input("next_checkin", self.next_checkin, placeholder="YYYY-MM-DD", max_length=10)
        # Inline: the app's `.field-line > Select` (a whole line wide) would win over this widget's CSS.
        cadence.styles.width, day.styles.width = 30, 14
        for label, field, key in (("Cadence", cadence, "cadence"), ("Next check-in", day, "next_checkin")):
            line = Horizontal(Label(label, classes="field-label"), field, classes="field-line")
            line.styles.margin = 0
            yield line
            yield FieldError(key)
        yield Static(_weekday_words(self.next_checkin, self.meeting), id="next-checkin-day")

    def values(self) -> dict[str, str]:
        """The draft's `cadence` and `next_checkin` as on screen."""
        chosen = self.query_one("#cadence", Select).value
        day = self.query_one("#next_checkin", Input).value
        return {"cadence": chosen if isinstance(chosen, str) else "", "next_checkin": day}

    @on(Select.Changed, "#cadence")
    def _cadence_chosen(self, event: Select.Changed) -> None:
        chosen = event.value if isinstance(event.value, str) else ""
        day = self.query_one("#next_checkin", Input)
        if day.value.strip() in ("", default_next(self.cadence, self.meeting)):
            day.value = default_next(chosen, self.meeting)
        self.cadence = chosen

    @on(Input.Changed, "#next_checkin")
    def _day_typed(self, event: Input.Changed) -> None:
        self.query_one("#next-checkin-day", Static).update(_weekday_words(event.value, self.meeting))


def late_line(index: int) -> Static:
    """Under action `index`: what says it is overdue at this meeting (empty and hidden while it is not)."""
    line = Static(id=f"actions-{index}-late", classes="sentence late")
    line.display = False
    return line


def show_late_actions(screen: Widget, draft: CheckinDraft) -> None:
    """Each open action past its date on the check-in's day flagged under it, as the pair edit it."""
    meeting = draft.created_at.date()
    for index, action in enumerate(draft.actions):
        found = screen.query(f"#actions-{index}-late")
        if not found:
            continue
        late = late_words(action.due, meeting) if action.status == "open" else ""
        text = f"[$warning]⚑ {late.capitalize()}: it was due {escape(action.due.strip())}.[/]" if late else ""
        line = found.first(Static)
        if line.content != text:
            line.update(text)
        line.display = bool(late)
