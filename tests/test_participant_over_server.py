"""A participant's app joined to a real RoomServer on 127.0.0.1 (in this process): edits cross
both ways over the websocket, and a confirmation reaches the host as the link's person."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.widgets import Checkbox, Input

from factories import AGREE_STEP, csm_draft
from pilot_helpers import Clock, type_text
from reviewtui.room.client import RoomClient
from reviewtui.room.people import people_of
from reviewtui.room.server import RoomServer
from reviewtui.room.shared_draft import SharedDraft
from reviewtui.storage import bundled_rubrics_dir, load_rubric
from reviewtui.ui.room.participant_app import ParticipantApp


async def until(pilot: Any, condition: Any, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    assert condition()


async def test_a_joined_participant_types_and_confirms_through_the_server() -> None:
    rubric = load_rubric(bundled_rubrics_dir() / "customer-success-manager.toml").rubric
    host = SharedDraft()
    host.load(csm_draft(AGREE_STEP).model_dump(mode="json"))
    host.set_room(epoch="e1", rubric=rubric.model_dump(mode="json"), host_step=0, people=[], closed=False)
    people = people_of(host.draft_data())
    asked: list[tuple[str, str, dict[str, Any]]] = []
    server = RoomServer(
        host, people, on_ask=lambda person, via, payload: asked.append((person.key, via, payload))
    )
    await server.start()
    try:
        employee = next(person for person in people if person.key == "employee")
        shared = SharedDraft()
        statuses: list[str] = []
        async with RoomClient(
            server.links["employee"], shared, on_status=lambda s, m: statuses.append(s)
        ) as client:
            assert await client.synced()
            app = ParticipantApp(shared, employee, client, clock=Clock())
            async with app.run_test(size=(100, 40)) as pilot:
                await pilot.pause()
                field = app.screen.query_one("#job_title", Input)
                field.focus()
                await pilot.press("end")
                await type_text(pilot, " EMEA")
                await until(pilot, lambda: str(host.text_at("job_title")) == "CSM, Mid-Market EMEA")
                text = host.text_at("manager_name")
                text.insert(0, "Dr ")
                await until(pilot, lambda: field.screen.query_one("#manager_name", Input).value == "Dr Bo Li")
                await until(pilot, lambda: any(p.get("key") == "employee" for p in host.people()))
                host.set_room(host_step=AGREE_STEP)
                await pilot.press("f5")  # follow the host to the agree step
                await until(pilot, lambda: type(app.screen).__name__ == "AgreeStep")
                box = app.screen.query_one("#employee_confirmed", Checkbox)
                box.focus()
                await pilot.press("space")
                await until(pilot, lambda: bool(asked))
        assert asked[0][0] == "employee" and asked[0][2]["value"] is True
        assert host.draft_data()["employee_confirmed"] is False  # the host's to record
    finally:
        await server.close("test over")


async def test_a_link_the_room_does_not_know_is_told_and_no_app_starts() -> None:
    from reviewtui.ui.room.join import run_joined

    host = SharedDraft()
    host.load(csm_draft(0).model_dump(mode="json"))
    people = people_of(host.draft_data())
    server = RoomServer(host, people)
    await server.start()
    try:
        good = server.links["employee"]
        wrong = good.replace(good.split("/j/")[1].split("/")[0], "x" * 43)
        employee = next(person for person in people if person.key == "employee")
        said = await asyncio.wait_for(run_joined(wrong, employee, headless=True), 20)
        assert said and "x" * 43 not in said
    finally:
        await server.close("test over")
