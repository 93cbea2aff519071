"""The first step of a check-in or review: the agenda both brought, who raised each topic, and notes.

Topics are named by their id (`agenda.<id>.text`), so an edit made in a live room while someone
else adds or removes a topic lands in the topic it was meant for. Who raised a topic is chosen
among the participants on the host's screen; on a participant's screen a new topic is theirs, and
the host names it from their link (room/host.py), so the choice is not theirs to make.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from ...checkins.agenda import topic_errors
from ...models.draft import AlignmentDraft
from ...models.draft_followups import DraftTopic
from ...models.evidence import new_entry_id
from ..shown_markup import escape
from ..widgets import FieldError, TickBox, WideTextArea, text_input, widget_id
from .base import StepScreen
from .entries import LINE

VIA_WORDS = {
    "command_line": "command line",
    "home": "home screen",
    "host_screen": "host's screen",
    "joined_terminal": "own terminal",
    "browser": "browser",
    "preparation": "preparation",
}
ROLE_WORDS = {"employee": "employee", "manager": "manager", "partner": "partner"}


def people_choices(draft: AlignmentDraft) -> list[tuple[str, str]]:
    """Who can raise a topic here: the participants by name, each as `role|name`."""
    people = [("manager", draft.manager_name), ("employee", draft.employee_name)]
    people += [("partner", partner.name) for partner in draft.partners]
    return [(f"{name.strip()} ({role})", f"{role}|{name.strip()}") for role, name in people if name.strip()]


def provenance_text(topic: DraftTopic) -> str:
    """Where and when a topic was raised, and whether it was carried over, in a few words."""
    parts = [VIA_WORDS.get(topic.via, "")]
    if topic.raised_at is not None:
        parts.append(f"{topic.raised_at:%Y-%m-%d}")
    if topic.carried_from:
        parts.append("carried over")
    return " · ".join(part for part in parts if part)


class AgendaStep(StepScreen):
    """The open topics with a covered tick, topics added in the meeting, and the meeting's notes."""

    KEY = "checkin_agenda"
    DEFAULT_CSS = """
    AgendaStep #agenda-rows { height: auto; }
    AgendaStep .notes-title { margin-top: 1; }
    AgendaStep .topic { height: auto; margin-bottom: 1; border-left: thick $primary; padding-left: 1; }
    AgendaStep .topic-line { height: auto; }
    AgendaStep .topic-line > Input { width: 1fr; }
    AgendaStep .topic-line > Checkbox { width: auto; }
    AgendaStep .raised-line { height: auto; }
    AgendaStep .raised-line > Select { width: 24; }
    AgendaStep .raised-line > Label { width: 10; color: $text-muted; padding-left: 1; }
    AgendaStep .provenance { width: 1fr; color: $text-muted; padding-left: 1; }
    """
    BINDINGS = [
        Binding("ctrl+o", "add_topic", "Add topic", id="step.add_row"),
        Binding("ctrl+r", "remove_topic", "Remove", id="step.remove_row"),
    ]

    @property
    def participant(self) -> Any:
        """The person whose screen this is in a live room (None on the host's screen)."""
        return getattr(self.app, "room_person", None)

    def compose_body(self) -> ComposeResult:
        yield Static(
            "[dim]Topics either of you raised before the meeting. Tick each one you cover; "
            "the others carry over to the next meeting.[/]",
            classes="prompts",
        )
        yield Label("Agenda [dim](Ctrl+O add · Ctrl+R remove)[/]", classes="section-title")
        yield Vertical(*self.topic_widgets(self.draft.agenda), id="agenda-rows")
        yield Label(
            "Notes [dim](blockers, career, workload: what was said beyond the figures)[/]",
            classes="section-title",
        )
        yield WideTextArea(
            self.draft.notes, id="notes", field_key="notes", soft_wrap=True, classes="long-text"
        )
        yield FieldError("notes")

    def topic_widgets(self, topics: list[DraftTopic]) -> list[Widget]:
        if not topics:
            return [Static("[dim]No open topics: Ctrl+O adds one.[/]", id="agenda-empty")]
        choices = people_choices(self.draft)
        blocks: list[Widget] = []
        for index, topic in enumerate(topics):
            key = f"agenda.{topic.id or index}"
            raised: Widget
            if not topic.raised_by:  # a participant's topic, until the host names it
                raised = Static("[dim]the one who adds it (named by the host)[/]", classes="provenance")
            else:
                value = f"{topic.role}|{topic.raised_by}"
                options = (
                    choices
                    if value in {v for _, v in choices}
                    else [
                        *choices,
                        (f"{topic.raised_by} ({ROLE_WORDS.get(topic.role, topic.role)})", value),
                    ]
                )
                raised = Select(
                    options,
                    value=value,
                    allow_blank=False,
                    id=widget_id(f"{key}.raised_by"),
                    compact=True,
                    disabled=self.participant is not None,  # who raised a topic is the host's to say
                )
            blocks.append(
                Vertical(
                    Horizontal(
                        TickBox("Covered", topic.covered, id=widget_id(f"{key}.covered"), compact=True),
                        text_input(
                            f"{key}.text", topic.text, placeholder="The topic, in one line", max_length=LINE
                        ),
                        classes="topic-line",
                    ),
                    FieldError(f"{key}.text"),
                    Horizontal(
                        Label("Raised by"),
                        raised,
                        Static(escape(provenance_text(topic)), classes="provenance"),
                        classes="raised-line",
                    ),
                    FieldError(f"{key}.raised_by"),
                    classes="topic",
                )
            )
        return blocks

    def collect(self) -> AlignmentDraft:
        topics = []
        for index, topic in enumerate(self.draft.agenda):
            key = widget_id(f"agenda.{topic.id or index}")
            if not self.query(f"#{key}-text"):
                topics.append(topic)  # not on screen yet (just arrived from the room): as it came
                continue
            values: dict[str, Any] = {
                "text": self.query_one(f"#{key}-text", Input).value,
                "covered": self.query_one(f"#{key}-covered", Checkbox).value,
            }
            chosen = self.query(f"#{key}-raised_by")
            if chosen and self.participant is None:
                picked = chosen.first(Select).value
                if isinstance(picked, str):
                    role, _, name = picked.partition("|")
                    values |= {"role": role, "raised_by": name}
            topics.append(topic.model_copy(update=values))
        notes = self.query_one("#notes", TextArea).text
        return self.draft.model_copy(update={"agenda": topics, "notes": notes})

    def errors(self, draft: AlignmentDraft) -> dict[str, str]:
        return topic_errors(draft)

    def new_topic(self) -> DraftTopic:
        """A topic raised now: on the host's screen the manager's (choose another below it); on a
        participant's screen with no name, which the host gives it from their link."""
        if self.participant is not None:
            return DraftTopic(id=new_entry_id())
        choices = people_choices(self.draft)
        role, _, name = choices[0][1].partition("|") if choices else ("manager", "", "")
        return DraftTopic(
            id=new_entry_id(),
            raised_by=name,
            role=role,
            via="host_screen",
            raised_at=dt.datetime.now().astimezone().replace(microsecond=0),
        )

    async def _show_topics(self, topics: list[DraftTopic], focus: str | None) -> None:
        self.draft = self.collect().model_copy(update={"agenda": topics})
        container = self.query_one("#agenda-rows")
        await container.remove_children()
        await container.mount_all(self.topic_widgets(topics))
        if focus and self.query(f"#{focus}"):
            self.query_one(f"#{focus}").focus()
        else:
            self.focus_first()
        self.edited(changed=True)

    async def action_add_topic(self) -> None:
        topic = self.new_topic()
        await self._show_topics([*self.collect().agenda, topic], widget_id(f"agenda.{topic.id}.text"))

    async def action_remove_topic(self) -> None:
        """Remove the topic holding the focus, or the last one; one with text is asked about first."""
        topics = self.collect().agenda
        if not topics:
            return
        focused_id = (self.focused.id or "") if self.focused is not None else ""
        found = [topic for topic in topics if focused_id.startswith(widget_id(f"agenda.{topic.id}") + "-")]
        target = found[0] if found else topics[-1]
        rest = [topic for topic in topics if topic is not target]
        if not target.text.strip():
            await self._show_topics(rest, None)
            return
        from ..confirm_remove import RemoveRowScreen

        async def chosen(remove: bool | None) -> None:
            if remove:  # the topics as they are now: others may have changed them meanwhile
                await self._show_topics([t for t in self.collect().agenda if t.id != target.id], None)

        self.app.push_screen(RemoveRowScreen("the topic", target.text), chosen)


class ReviewAgendaStep(AgendaStep):
    """The review opens with its agenda too: the same screen."""

    KEY = "agenda"
