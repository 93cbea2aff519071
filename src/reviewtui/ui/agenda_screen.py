"""The agenda from the home screen (key `a`): the highlighted employee's open topics, and adding one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, Select, Static

from ..errors import ReviewtuiError
from ..models.agenda import AgendaFile
from ..models.envelope import Role
from ..storage.agenda import add_topic, agenda_path, meeting_people, read_agenda
from .shown_markup import escape, markup_message
from .widgets import text_input


def topic_lines(agenda: AgendaFile) -> str:
    """The open topics, oldest first, each with who raised it and whether it was carried over."""
    if not agenda.topics:
        return "[dim]No open topics: the next check-in or review opens with the ones added here.[/]"
    lines = []
    for index, topic in enumerate(agenda.topics, start=1):
        carried = " · carried over" if topic.carried_from else ""
        lines.append(
            f"{index}. {escape(topic.text)}\n   [dim]{escape(topic.raised_by)} ({topic.role}) · "
            f"{topic.raised_at:%Y-%m-%d}{carried}[/]"
        )
    return "\n".join(lines)


class AgendaScreen(Screen[None]):
    """An employee's open topics for their next meeting; Enter in the field adds one."""

    DEFAULT_CSS = """
    AgendaScreen #agenda-list { height: 1fr; padding: 0 1; }
    AgendaScreen #agenda-add { height: auto; padding: 0 1; }
    AgendaScreen #agenda-add > Input { width: 1fr; }
    AgendaScreen #agenda-add > Select { width: 34; }
    AgendaScreen #agenda-where { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="agenda.back")]

    def __init__(self, sessions_dir: Path, employee: str, agenda: AgendaFile) -> None:
        super().__init__()
        self.sessions_dir = sessions_dir
        self.employee = employee
        self.agenda = agenda
        self.people = meeting_people(sessions_dir, employee)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(f"[b]Agenda for {escape(self.employee)}[/]: open topics for the next check-in or review")
        with VerticalScroll(id="agenda-list"):
            yield Static(topic_lines(self.agenda), id="agenda-topics")
        with Horizontal(id="agenda-add"):
            yield text_input("agenda-new", "", placeholder="A topic, then Enter", max_length=200)
            yield Select(
                [(f"{name} ({role})", f"{role}|{name}") for name, role in self.people],
                value=f"{self.people[0][1]}|{self.people[0][0]}",
                allow_blank=False,
                id="agenda-by",
                compact=True,
            )
        yield Static(
            f"Enter adds the topic. Kept in {escape(agenda_path(self.sessions_dir, self.employee).name)} "
            "beside the records, which both of you read.",
            id="agenda-where",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#agenda-new", Input).focus()

    @on(Input.Submitted, "#agenda-new")
    def _add(self, event: Input.Submitted) -> None:
        text = " ".join(event.value.split())
        if not text:
            self.notify("Type the topic first.", severity="warning")
            return
        chosen = self.query_one("#agenda-by", Select).value
        role, _, name = str(chosen).partition("|")
        now = dt.datetime.now().astimezone().replace(microsecond=0)
        try:
            add_topic(self.sessions_dir, self.employee, text, name, _role(role), "home", now)
            self.agenda = read_agenda(self.sessions_dir, self.employee)
        except ReviewtuiError as error:
            self.notify(f"Not added: {markup_message(error)}", severity="error", timeout=8)
            return
        event.input.clear()
        self.query_one("#agenda-topics", Static).update(topic_lines(self.agenda))
        self.notify(f"Added to {escape(self.employee)}'s agenda.", timeout=3)


def _role(value: str) -> Role:
    return value if value in ("employee", "manager", "partner") else "manager"  # type: ignore[return-value]


def open_agenda(app: Any, employee: str) -> None:
    """Show the employee's agenda, or say why its file cannot be read."""
    sessions_dir = app.session_driver.sessions_dir
    try:
        agenda = read_agenda(sessions_dir, employee)
    except ReviewtuiError as error:
        app.notify(markup_message(error), title="The agenda cannot be read", severity="error", timeout=8)
        return
    app.push_screen(AgendaScreen(sessions_dir, employee, agenda))
