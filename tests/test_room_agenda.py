"""The agenda in a live room: a participant adds topics, the host names who raised them from the
link they came through; nobody but the host changes who raised a topic."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from pycrdt import Doc, Map, Text

from factories import csm_checkin_draft, csm_review_draft
from pilot_helpers import Clock, type_text
from reviewtui.models.draft_followups import DraftTopic
from reviewtui.room.client import RoomClient
from reviewtui.room.guard import fields_changed, refusal
from reviewtui.room.people import Person, people_of
from reviewtui.room.server import RoomServer
from reviewtui.room.shared_draft import SharedDraft
from reviewtui.room.topics import name_new_topics
from reviewtui.storage import bundled_rubrics_dir, load_rubric
from reviewtui.ui.room.participant_app import ParticipantApp
from reviewtui.ui.steps.agenda import AgendaStep

AT = dt.datetime(2026, 9, 28, 8, 0, tzinfo=dt.UTC)
MANAGERS = DraftTopic(
    id="0000000000a1", text="Team changes", raised_by="Bo Li", role="manager", raised_at=AT, via="home"
)


def _room() -> tuple[SharedDraft, SharedDraft]:
    """The host's SharedDraft (a review with one topic the manager raised) and a participant's, in sync."""
    host = SharedDraft()
    host.load(csm_review_draft(0).model_copy(update={"agenda": [MANAGERS]}).model_dump(mode="json"))
    host.set_room(epoch="e1", host_step=0, closed=False, people=[], rubric={"id": "csm"})
    guest = SharedDraft(Doc())
    guest.doc.apply_update(host.doc.get_update())
    return host, guest


def _update_of(guest: SharedDraft, change: Any) -> bytes:
    state = guest.doc.get_state()
    change()
    return guest.doc.get_update(state)


def _with_topic(guest: SharedDraft, **row: Any) -> bytes:
    data = guest.draft_data()
    data["agenda"].append(DraftTopic(**row).model_dump(mode="json"))
    return _update_of(guest, lambda: guest.reconcile(data))


def test_a_participant_adds_a_topic_without_a_name_and_the_update_names_it() -> None:
    host, guest = _room()
    update = _with_topic(guest, id="0000000000b2", text="My workload")
    assert refusal(host, update) is None
    assert "agenda.0000000000b2" in fields_changed(host, update)


@pytest.mark.parametrize(
    "claimed",
    [
        {"raised_by": "Bo Li"},
        {"role": "manager"},
        {"via": "host_screen"},
        {"raised_at": AT},
        {"carried_from": "0" * 32},
    ],
)
def test_a_participant_may_not_say_who_raised_a_new_topic(claimed: dict[str, Any]) -> None:
    host, guest = _room()
    update = _with_topic(guest, id="0000000000b2", text="Raise for me", **claimed)
    assert refusal(host, update) == "may not say who raised a topic: the host does"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda row: row["raised_by"].__iadd__(" Jr"), "may not change who raised a topic"),
        (lambda row: row.__setitem__("role", Text("employee")), "may not change who raised a topic"),
        (lambda row: row.__setitem__("via", Text("browser")), "may not change who raised a topic"),
        (lambda row: row["id"].__iadd__("0"), "may not change the identity of a row of agenda"),
    ],
)
def test_a_participant_may_not_change_who_raised_an_existing_topic(change: Any, reason: str) -> None:
    host, guest = _room()
    row = guest.draft["agenda"][0]
    assert isinstance(row, Map)
    update = _update_of(guest, lambda: change(row))
    assert refusal(host, update) == reason


def test_a_topic_removed_and_added_again_under_its_id_with_another_name_is_refused() -> None:
    host, guest = _room()
    data = guest.draft_data()
    data["agenda"] = [
        MANAGERS.model_copy(update={"raised_by": "Ana Ruiz", "role": "employee"}).model_dump(mode="json")
    ]
    update = _update_of(guest, lambda: (guest.draft.pop("agenda"), guest.reconcile(data)))
    assert refusal(host, update) is not None


def test_a_participant_may_tick_a_topic_covered_and_edit_its_text() -> None:
    host, guest = _room()
    row = guest.draft["agenda"][0]

    def edit() -> None:
        row["covered"] = True
        row["text"] += " and hiring"

    update = _update_of(guest, edit)
    assert refusal(host, update) is None
    assert fields_changed(host, update) == {"agenda.0000000000a1.covered", "agenda.0000000000a1.text"}


def test_the_host_names_the_topic_from_the_link_not_from_the_row() -> None:
    host, guest = _room()
    update = _with_topic(guest, id="0000000000b2", text="My workload")
    fields = fields_changed(host, update)
    host.doc.apply_update(update)
    employee = Person("employee", "Ana Ruiz", "employee")
    assert name_new_topics(host, employee, "joined_terminal", fields, AT, origin="test")
    mine, theirs = host.draft_data()["agenda"]
    assert (theirs["raised_by"], theirs["role"], theirs["via"]) == ("Ana Ruiz", "employee", "joined_terminal")
    assert mine["raised_by"] == "Bo Li", "the other topics stay as they were"
    assert not name_new_topics(host, employee, "joined_terminal", fields, AT, origin="test"), "named once"


async def until(pilot: Any, condition: Any, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    assert condition()


async def test_a_joined_employee_adds_a_topic_and_the_host_names_them() -> None:
    rubric = load_rubric(bundled_rubrics_dir() / "customer-success-manager.toml").rubric
    host = SharedDraft()
    host.load(csm_checkin_draft(0).model_copy(update={"agenda": [MANAGERS]}).model_dump(mode="json"))
    host.set_room(epoch="e1", rubric=rubric.model_dump(mode="json"), host_step=0, people=[], closed=False)
    people = people_of(host.draft_data())

    def changed(person: Person | None, via: Any, fields: set[str]) -> None:  # as HostRoom._credit does
        if person is not None:
            asyncio.get_running_loop().call_soon(
                name_new_topics, host, person, via, frozenset(fields), AT, "host-ask"
            )

    server = RoomServer(host, people, on_ask=lambda *args: None, on_change=changed)
    await server.start()
    try:
        employee = next(person for person in people if person.key == "employee")
        shared = SharedDraft()
        async with RoomClient(server.links["employee"], shared, on_status=lambda s, m: None) as client:
            assert await client.synced()
            app = ParticipantApp(shared, employee, client, clock=Clock())
            async with app.run_test(size=(100, 40)) as pilot:
                await pilot.pause()
                assert isinstance(app.screen, AgendaStep)
                assert app.screen.query_one("#agenda-0000000000a1-raised_by").disabled, "not theirs to say"
                await pilot.press("ctrl+o")
                await pilot.pause()
                await type_text(pilot, "Career path")
                await until(pilot, lambda: len(host.draft_data()["agenda"]) == 2)
                await until(pilot, lambda: host.draft_data()["agenda"][1]["raised_by"] == employee.name)
                row = host.draft_data()["agenda"][1]
                assert (row["role"], row["via"]) == ("employee", "joined_terminal")
                await until(pilot, lambda: host.draft_data()["agenda"][1]["text"] == "Career path")
                assert host.draft_data()["agenda"][1]["raised_by"] == employee.name, (
                    "typing on keeps the name"
                )
    finally:
        await server.stop()
