"""A participant's app in a room: the host's draft live on the step screens, no network.

The participant's shared draft is linked to a "host" shared draft in the test, updates relayed
at once both ways (as the room's sync does); the host's side is edited as the host's app would.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Checkbox, Input

from factories import csm_draft
from pilot_helpers import Clock, steady, type_text
from reviewtui.room.people import Person
from reviewtui.room.shared_draft import SharedDraft
from reviewtui.storage import bundled_rubrics_dir, load_rubric
from reviewtui.ui.room.participant_app import ParticipantApp
from reviewtui.ui.room.presence import RoomBar
from room_relay import linked

AGREE = 5  # the alignment flow: participants, impact map, metrics, targets, development, agree


class HostLink:
    """What the participant's app needs of its RoomClient: what it sent is kept for the test."""

    def __init__(self) -> None:
        self.state = "live"
        self.status = "Connected"
        self.presence: list[tuple[int, str, bool]] = []
        self.asked: list[dict[str, Any]] = []

    def send_presence(self, step: int, field: str, follow: bool) -> None:
        self.presence.append((step, field, follow))

    def ask(self, ask: str = "confirm", **values: Any) -> bool:
        self.asked.append({"type": "ask", "ask": ask, **values})
        return True


def people(host_step: int = 0, field: str = "employee_name") -> list[dict[str, Any]]:
    return [
        {
            "key": "manager",
            "name": "Bo Li",
            "role": "manager",
            "connected": ["host_screen"],
            "step": host_step,
            "field": field,
        },
        {
            "key": "employee",
            "name": "Ana Ruiz",
            "role": "employee",
            "connected": ["joined_terminal"],
            "step": 0,
            "field": "",
        },
        {
            "key": "partner-1",
            "name": "Priya Nair",
            "role": "partner",
            "connected": ["browser"],
            "step": 1,
            "field": "impact_map.0.how",
        },
    ]


def open_room(host_step: int = 0, **overrides: Any) -> tuple[SharedDraft, SharedDraft, list[Any]]:
    rubric = load_rubric(bundled_rubrics_dir() / "customer-success-manager.toml").rubric
    host = SharedDraft()
    host.load(csm_draft(host_step, **overrides).model_dump(mode="json"))
    host.set_room(
        epoch="e1",
        rubric=rubric.model_dump(mode="json"),
        host_step=host_step,
        people=people(host_step),
        closed=False,
    )
    participant = SharedDraft()
    return host, participant, linked(host, participant)


def participant_app(shared: SharedDraft, key: str = "employee") -> ParticipantApp:
    names = {"employee": ("Ana Ruiz", "employee"), "partner-1": ("Priya Nair", "partner")}
    name, role = names[key]
    return ParticipantApp(shared, Person(key, name, role), HostLink(), clock=Clock())


async def test_the_participant_starts_on_the_host_step_and_typing_reaches_the_host() -> None:
    host, participant, _relay = open_room(host_step=0)
    app = participant_app(participant)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "ParticipantsStep"
        field = app.screen.query_one("#job_title", Input)
        field.focus()
        await pilot.press("end")
        await type_text(pilot, " (EMEA)")
        assert str(host.text_at("job_title")) == "CSM, Mid-Market (EMEA)"
        assert app.client.presence[-1] == (0, "job_title", False)
        assert host.draft_data()["step"] == 0  # the participant's own step is never written


async def test_a_row_added_by_the_host_appears_with_the_participants_focus_and_typing_kept() -> None:
    host, participant, _relay = open_room(host_step=1)  # the impact map
    app = participant_app(participant)
    async with app.run_test() as pilot:
        await pilot.pause()
        field = app.screen.query_one("#impact_map-0-activity", Input)
        field.focus()
        await pilot.press("end", "left")
        data = host.draft_data()
        data["impact_map"].append({"activity": "Office hours", "outcome": "adoption", "how": ""})
        host.reconcile(data, origin="host-keys")
        await pilot.pause()
        await pilot.pause()
        new_row = app.screen.query_one("#impact_map-2-activity", Input)
        assert new_row.value == "Office hours"
        focused = app.focused
        assert isinstance(focused, Input) and focused.id == "impact_map-0-activity"
        activity = data["impact_map"][0]["activity"]
        assert focused.cursor_position == len(activity) - 1
        await pilot.press("x")
        assert str(host.text_at("impact_map.0.activity")) == activity[:-1] + "x" + activity[-1]
        host.text_at("impact_map.2.activity").insert(0, "Weekly ")  # the new row's field is bound as well
        assert app.screen.query_one("#impact_map-2-activity", Input).value == "Weekly Office hours"


async def test_the_names_of_the_people_in_the_room_are_shown_but_held_on_a_participants_screen() -> None:
    _host, participant, _relay = open_room(host_step=0)
    app = participant_app(participant)
    async with app.run_test() as pilot:
        await pilot.pause()
        for key in ("employee_name", "manager_name", "partners-0-name", "partners-0-function"):
            assert app.screen.query_one(f"#{key}", Input).disabled, key
        assert not app.screen.query_one("#job_title", Input).disabled
        await pilot.press("ctrl+o")  # no partner added from here
        await pilot.pause()
        assert len(app.screen.draft.partners) == 1 and not app.screen.query("#partners-1-name")


async def test_a_row_added_by_the_participant_reaches_the_host() -> None:
    host, participant, _relay = open_room(host_step=1)  # the impact map
    app = participant_app(participant)
    async with app.run_test() as pilot:
        await pilot.pause()
        app.screen.query_one("#impact_map-0-activity", Input).focus()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await type_text(pilot, "Office hours")
        rows = host.draft_data()["impact_map"]
        assert len(rows) == 3 and rows[2]["activity"] == "Office hours"
        host.text_at("impact_map.2.activity").insert(0, "Weekly ")
        assert app.screen.query_one("#impact_map-2-activity", Input).value == "Weekly Office hours"


async def test_rows_added_on_both_sides_at_once_are_both_kept() -> None:
    host, participant, _relay = open_room(host_step=1)
    app = participant_app(participant)
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        mine = screen.collect().model_dump(mode="json")
        base = screen._room_base
        data = host.draft_data()  # the host adds a row, and the participant's screen has not seen it
        data["impact_map"].append({"activity": "Host's row", "outcome": "", "how": ""})
        from reviewtui.ui.room.live_steps import merged

        mine["impact_map"].append({"activity": "Participant's row", "outcome": "", "how": ""})
        rows = merged(base, mine, data)["impact_map"]
        assert [row["activity"] for row in rows[-2:]] == ["Host's row", "Participant's row"]


async def test_next_and_back_move_only_the_participant_and_follow_goes_with_the_host() -> None:
    host, participant, _relay = open_room(host_step=0)
    app = participant_app(participant)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert type(app.screen).__name__ == "ImpactMapStep"
        assert host.room_info()["host_step"] == 0 and host.draft_data()["step"] == 0
        await pilot.press("f5")  # follow the host: back to where the host is
        await pilot.pause()
        assert type(app.screen).__name__ == "ParticipantsStep"
        host.set_room(host_step=3)
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "TargetsStep" and app.step == 3
        assert app.client.presence[-1][0] == 3 and app.client.presence[-1][2] is True
        await pilot.press("f5")  # free again: the host moving on leaves this screen alone
        host.set_room(host_step=1)
        await pilot.pause()
        assert type(app.screen).__name__ == "TargetsStep"


async def test_only_the_own_box_can_be_ticked_and_ticking_asks_the_host() -> None:
    host, participant, _relay = open_room(host_step=AGREE)
    app = participant_app(participant)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "AgreeStep"
        own = app.screen.query_one("#employee_confirmed", Checkbox)
        assert not own.disabled and app.screen.query_one("#manager_confirmed", Checkbox).disabled
        own.focus()
        await pilot.press("space")
        await pilot.pause()
        assert app.client.asked == [{"type": "ask", "ask": "confirm", "value": True}]
        assert host.draft_data()["employee_confirmed"] is False  # only the host records it
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("Only the host saves the record" in str(n.message) for n in app._notifications)
        data = host.draft_data()  # the host records it: the box shows it with its time
        data.update(employee_confirmed=True, employee_confirmed_at="2026-07-01T09:45:00+02:00")
        host.reconcile(data, origin="host-keys")
        await pilot.pause()
        await pilot.pause()
        own = app.screen.query_one("#employee_confirmed", Checkbox)
        assert own.value and "recorded 09:45" in str(own.label)


async def test_leaving_is_asked_and_pickers_of_the_host_files_are_refused() -> None:
    _host, participant, _relay = open_room(host_step=0)
    app = participant_app(participant)
    async with app.run_test() as pilot:
        await pilot.pause()
        app.pick_evidence("Ana Ruiz", "evidence", lambda entry: None)
        await pilot.pause()
        assert any("Only the host's screen can do that." in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "LeaveRoomScreen"
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "ParticipantsStep"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_room_bar_says_who_is_where_and_a_closed_room_turns_read_only() -> None:
    host, participant, _relay = open_room(host_step=0)
    app = participant_app(participant)
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        bar = str(app.screen.query_one(RoomBar).render())
        assert "Bo Li host's screen · Who: employee name" in bar
        assert "Ana Ruiz (you) terminal" in bar and "Priya Nair browser · Impact map: impact map 1 how" in bar
        assert bar.startswith("Connected")
        app.link_status("dropped", "")
        assert str(app.screen.query_one(RoomBar).render()).startswith(
            "Link lost; reconnecting, your edits are kept"
        )
        host.set_room(closed=True)
        await pilot.pause()
        await pilot.pause()
        assert app.read_only
        assert all(field.disabled for field in app.screen.query(Input))
        assert "The host closed the room" in str(app.screen.query_one(RoomBar).render())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_participant_step_snapshot(snap_compare, size: tuple[int, int]) -> None:
    _host, participant, relay = open_room(host_step=0)
    app = participant_app(participant)

    async def settle(pilot) -> None:
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=settle)
    assert relay  # kept alive for the whole run


async def test_an_edit_off_screen_by_the_host_is_kept_when_the_participant_edits_on_screen() -> None:
    host, participant, _relay = open_room(host_step=0)
    app = participant_app(participant)
    async with app.run_test() as pilot:
        await pilot.pause()
        data = host.draft_data()
        data["impact_map"][0]["outcome"] = "expansion"  # not on the participant's step
        data["manager_name"] = "Bo Li-Chen"  # on it, but the participant is not in it
        host.reconcile(data, origin="host-keys")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.draft.impact_map[0].outcome == "expansion"
        app.screen.query_one("#period_label", Input).focus()
        await pilot.press("end")
        await type_text(pilot, "b")
        await pilot.pause()
        after = host.draft_data()
        assert after["period_label"] == "2026 H2b"
        assert after["impact_map"][0]["outcome"] == "expansion" and after["manager_name"] == "Bo Li-Chen"
        assert app.screen.query_one("#manager_name", Input).value == "Bo Li-Chen"


async def test_the_participant_sees_the_score_the_host_would_show() -> None:
    from factories import csm_review_draft
    from reviewtui.session.final_save import preview_score
    from reviewtui.storage import discover_rubrics

    draft = csm_review_draft()
    source = discover_rubrics().get(draft.rubric_id)
    host = SharedDraft()
    host.load(draft.model_dump(mode="json"))
    host.set_room(rubric=source.rubric.model_dump(mode="json"), host_step=0, people=[], closed=False)
    participant = SharedDraft()
    _relay = linked(host, participant)
    app = ParticipantApp(participant, Person("employee", "Ana Ruiz", "employee"), HostLink(), clock=Clock())
    async with app.run_test() as pilot:
        await pilot.pause()
        ours = app.review_score(draft)
        theirs = preview_score(draft, source, Clock()())
        assert ours is not None and theirs is not None
        assert ours.total == theirs.total and ours == theirs


async def test_a_partner_can_tick_only_their_own_box() -> None:
    host, participant, _relay = open_room(host_step=AGREE)
    app = participant_app(participant, "partner-1")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        boxes = {box.id: box for box in app.screen.query(Checkbox) if (box.id or "").endswith("_confirmed")}
        assert set(boxes) == {"employee_confirmed", "manager_confirmed", "partner-1_confirmed"}
        assert [key for key, box in boxes.items() if not box.disabled] == ["partner-1_confirmed"]
        boxes["partner-1_confirmed"].focus()
        await pilot.press("space")
        await pilot.pause()
        assert app.client.asked == [{"type": "ask", "ask": "confirm", "value": True}]
        assert host.draft_data()["partner_confirmations"] == []


async def test_the_help_gives_a_participants_keys() -> None:
    _host, participant, _relay = open_room(host_step=0)
    app = participant_app(participant)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        from textual.widgets import Markdown

        text = app.screen.query_one(Markdown).source
        assert "**F5** follow the host's step" in text and "**Esc** leave the room" in text
        assert "save and quit" not in text


async def test_a_rebuild_keeps_the_scroll_and_the_field_far_down_a_short_screen() -> None:
    host, participant, _relay = open_room(host_step=0)
    app = participant_app(participant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#period_end", Input)
        field.focus()
        await pilot.pause()
        await pilot.pause()
        body = app.screen.query_one("#step-body")
        scrolled = body.scroll_y
        assert scrolled > 0
        data = host.draft_data()
        data["partners"].append({"name": "Sam Ode", "function": "product"})
        host.reconcile(data, origin="host-keys")
        for _ in range(4):
            await pilot.pause()
        assert app.screen.query_one("#partners-1-name", Input).value == "Sam Ode"
        assert app.focused is not None and app.focused.id == "period_end"
        assert app.screen.query_one("#step-body").scroll_y >= scrolled


async def test_the_employee_and_the_host_type_in_the_reading_at_once_and_keep_every_character() -> None:
    from textual.widgets import TextArea

    from factories import csm_review_draft
    from reviewtui.storage import discover_rubrics

    draft = csm_review_draft(9, reading="")  # the employee's reading, after the agenda
    host = SharedDraft()
    host.load(draft.model_dump(mode="json"))
    rubric = discover_rubrics().get(draft.rubric_id).rubric
    host.set_room(rubric=rubric.model_dump(mode="json"), host_step=9, people=[], closed=False)
    participant = SharedDraft()
    _relay = linked(host, participant)
    app = ParticipantApp(participant, Person("employee", "Ana Ruiz", "employee"), HostLink(), clock=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        area = app.screen.query_one("#reading", TextArea)
        area.focus()
        await pilot.pause()
        text = host.text_at("reading")
        for index, key in enumerate("retention"):
            await pilot.press(key)
            text.insert(0, "ABCDEFGHI"[index])  # the host types at the start, between the employee's keys
        value = str(host.text_at("reading"))
        assert value == area.text == "IHGFEDCBAretention"
        await pilot.press("ctrl+z")  # the employee's own word goes; what the host typed stays
        assert str(host.text_at("reading")) == area.text == "IHGFEDCBA"
        await type_text(pilot, "ok")
        assert str(host.text_at("reading")) == area.text == "IHGFEDCBAok"


async def test_edits_made_while_the_link_was_down_are_named_if_the_room_ends_before_they_reach_it() -> None:
    _host, participant, _relay = open_room(host_step=0)
    app = participant_app(participant)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.client.state = "dropped"
        app.link_status("dropped", "")
        app.screen.query_one("#job_title", Input).focus()
        await pilot.press("end")
        await type_text(pilot, " (EMEA)")
        await pilot.pause()
        app.client.state = "refused"
        app.link_status("refused", "This link is not valid any more")
        await pilot.pause()
        said = [note.message for note in app._notifications]
        assert any("did not reach the host" in text and "job title" in text for text in said), said


async def test_edits_made_while_the_link_was_down_are_not_named_once_it_is_back() -> None:
    _host, participant, _relay = open_room(host_step=0)
    app = participant_app(participant)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.client.state = "dropped"
        app.link_status("dropped", "")
        app.screen.query_one("#job_title", Input).focus()
        await type_text(pilot, "x")
        app.client.state = "live"
        app.link_status("live", "Connected to the room")  # the reconnect's sync carried it
        app.client.state = "closed"
        app.link_status("closed", "")
        await pilot.pause()
        assert not any("did not reach the host" in note.message for note in app._notifications)


async def test_a_participant_cannot_open_the_hosts_experiment_log() -> None:
    _host, participant, _relay = open_room(host_step=0)
    app = participant_app(participant)
    async with app.run_test() as pilot:
        await pilot.pause()
        app.pick_experiment("Ana Ruiz", set(), lambda experiment: None)
        await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        assert any("The experiment log is on their machine." in message for message in said)
        assert type(app.screen).__name__ == "ParticipantsStep"  # no picker opened
