"""The shared agenda in the app: a check-in opens with the open topics, covers some, carries the rest."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from textual.widgets import Checkbox, TextArea

from factories import EXAMPLE_PLAN
from pilot_helpers import Clock, choose, fill, make_app, type_text
from reviewtui.storage import load_session
from reviewtui.storage.agenda import add_topic, agenda_path, load_agenda, read_agenda
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.steps.agenda import AgendaStep
from reviewtui.ui.steps.checkin import ActualsStep, RecordStep

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "src" / "reviewtui" / "examples"
BEFORE = dt.datetime(2026, 9, 28, 8, 0, tzinfo=dt.UTC)
MEETING = dt.datetime(2026, 10, 1, 10, 0, tzinfo=dt.UTC)


def folder_with_topics(tmp_path: Path) -> tuple[str, str]:
    shutil.copy(EXAMPLES / EXAMPLE_PLAN, tmp_path)
    workload = add_topic(
        tmp_path,
        "Ana Ruiz",
        "Workload after the Contoso renewal",
        "Ana Ruiz",
        "employee",
        "command_line",
        BEFORE,
    )
    career = add_topic(tmp_path, "Ana Ruiz", "Path to senior CSM", "Ana Ruiz", "employee", "home", BEFORE)
    return workload.id, career.id


async def to_record(pilot) -> None:
    for _ in range(5):  # agenda, actuals, targets, development, actions: the figures are left for another day
        await pilot.press("ctrl+n")
        await pilot.pause()
        if isinstance(pilot.app.screen, ActualsStep):
            await fill(pilot, "results-gross_retention-actual", "95")
            await fill(pilot, "results-nps-actual", "40")
    assert isinstance(pilot.app.screen, RecordStep)


async def test_a_check_in_opens_with_the_agenda_covers_a_topic_and_carries_the_others(tmp_path: Path) -> None:
    workload, career = folder_with_topics(tmp_path)
    app = make_app(tmp_path, Clock(MEETING))
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgendaStep), "a check-in opens with its agenda"
        assert screen.query_one(f"#agenda-{workload}-text").value == "Workload after the Contoso renewal"
        screen.query_one(f"#agenda-{workload}-covered", Checkbox).value = True
        await pilot.press("ctrl+o")
        await pilot.pause()
        [new] = [topic for topic in app.screen.draft.agenda if topic.id not in (workload, career)]
        assert app.screen.focused.id == f"agenda-{new.id}-text"
        await type_text(pilot, "Hiring a second CSM")
        await choose(pilot, f"agenda-{new.id}-raised_by", "Ana Ruiz (employee)")
        app.screen.query_one("#notes", TextArea).focus()
        await pilot.pause()
        await type_text(pilot, "Blocked on the data warehouse access")
        await to_record(pilot)
        summary = str(app.screen.query_one("#checkin-summary").render())
        assert "Agenda" in summary and "Path to senior CSM" in summary
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

    [path] = tmp_path.glob("*_check-in_*.toml")
    record = load_session(path)
    assert [(t.text, t.covered, t.raised_by, t.role) for t in record.agenda] == [
        ("Workload after the Contoso renewal", True, "Ana Ruiz", "employee"),
        ("Path to senior CSM", False, "Ana Ruiz", "employee"),
        ("Hiring a second CSM", False, "Ana Ruiz", "employee"),
    ]
    assert record.agenda[2].via == "host_screen" and record.agenda[1].via == "home"
    assert record.notes == "Blocked on the data warehouse access"
    left = read_agenda(tmp_path, "Ana Ruiz")
    assert [(t.text, t.carried_from) for t in left.topics] == [
        ("Path to senior CSM", record.id),
        ("Hiring a second CSM", record.id),
    ]
    assert career in {t.id for t in left.topics}, "a carried topic keeps its id"


async def test_a_topic_needs_its_text_before_the_step_is_done(tmp_path: Path) -> None:
    folder_with_topics(tmp_path)
    app = make_app(tmp_path, Clock(MEETING))
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, AgendaStep), "an empty topic stops the step"
        [empty] = [t for t in app.screen.draft.agenda if not t.text]
        assert "Say the topic" in str(app.screen.query_one(f"#err-agenda-{empty.id}-text").render())
        await pilot.press("ctrl+r")  # an empty topic goes without asking
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ActualsStep)


async def test_home_key_a_shows_the_open_topics_and_adds_one_for_the_highlighted_employee(
    tmp_path: Path,
) -> None:
    from reviewtui.ui.agenda_screen import AgendaScreen

    folder_with_topics(tmp_path)
    app = make_app(tmp_path, Clock(MEETING))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        shown = str(app.screen.query_one("#agenda-topics").render())
        assert "Workload after the Contoso renewal" in shown and "Ana Ruiz (employee)" in shown
        await type_text(pilot, "Quarterly business review prep")
        await pilot.press("enter")
        await pilot.pause()
        assert "Quarterly business review prep" in str(app.screen.query_one("#agenda-topics").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    topics = load_agenda(agenda_path(tmp_path, "Ana Ruiz")).topics
    assert (topics[-1].text, topics[-1].via, topics[-1].role) == (
        "Quarterly business review prep",
        "home",
        "manager",
    )
    assert topics[-1].raised_by == load_session(tmp_path / EXAMPLE_PLAN).participants.manager.name


async def test_a_broken_agenda_file_does_not_stop_the_meeting_and_f6_works_from_the_notes(
    tmp_path: Path,
) -> None:
    shutil.copy(EXAMPLES / EXAMPLE_PLAN, tmp_path)
    (tmp_path / "agenda_ana-ruiz.toml").write_text('kind = "agenda"\n[[topics]\n')
    app = make_app(tmp_path, Clock(MEETING))
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AgendaStep), "the check-in starts without the topics"
        assert app.screen.draft.agenda == []
        [notice] = [n for n in app._notifications if n.title == "Agenda not read"]
        assert (
            "agenda_ana-ruiz.toml:2" in notice.message
            and "opens without the agenda's topics" in notice.message
        )
        notes = app.screen.query_one("#notes", TextArea)
        notes.focus()
        await type_text(pilot, "Blocked on legal")
        await pilot.press("f6")  # the text area's own F6 (select the line) gives way to the private notes
        await pilot.pause()
        from reviewtui.ui.private_notes import PrivateNotesScreen

        assert isinstance(app.screen, PrivateNotesScreen)
