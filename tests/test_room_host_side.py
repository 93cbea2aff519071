"""The host's app in a room (ui/room/host_side.py): the step on screen bound to the shared draft,
and what participants change handed to the session driver, which saves it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from factories import csm_draft
from pilot_helpers import make_app, type_text
from reviewtui.room.shared_draft import SharedDraft
from reviewtui.storage.drafts import draft_path, load_draft, save_draft
from reviewtui.ui.room.host_side import close_host_room, host_edited, host_step_shown, open_host_room
from reviewtui.ui.room.presence import RoomBar
from room_relay import linked


async def test_the_host_step_is_bound_and_a_participant_edit_reaches_the_driver(tmp_path: Path) -> None:
    draft = csm_draft(0)
    save_draft(draft, tmp_path)
    app = make_app(tmp_path)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter")  # resume the draft
        await pilot.pause()
        await pilot.pause()
        host = SharedDraft()
        host.load(app.open_session.draft.model_dump(mode="json"))
        participant = SharedDraft()
        _relay = linked(host, participant)
        live = open_host_room(app, host)
        await host_step_shown(live, app.screen, 0)
        assert app.screen.query(RoomBar) and host.room_info()["host_step"] == 0

        field = app.screen.query_one("#job_title", Input)
        field.focus()
        await pilot.press("end")
        await type_text(pilot, " EMEA")
        assert str(participant.text_at("job_title")) == "CSM, Mid-Market EMEA"

        participant.text_at("manager_name").insert(0, "Dr ")  # typed by a participant
        assert app.screen.query_one("#manager_name", Input).value == "Dr Bo Li"
        await pilot.pause()
        await pilot.pause()
        assert app.open_session.draft.manager_name == "Dr Bo Li"
        assert app.open_session.last_source in ("room", "keys")
        assert host_edited(app, live, app.screen.collect()).manager_name == "Dr Bo Li"

        app.save_draft_now()
        assert load_draft(draft_path(tmp_path, draft.id)).manager_name == "Dr Bo Li"
        assert load_draft(draft_path(tmp_path, draft.id)).job_title == "CSM, Mid-Market EMEA"
        close_host_room(app, live)
        await pilot.pause()
        assert not app.screen.query(RoomBar)
