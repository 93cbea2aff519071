"""Text fields bound to a room's shared draft: every character kept both ways, cursor in place,
someone else's edit not in this person's undo; without a room nothing changes."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.widgets import Input, TextArea

from pilot_helpers import type_text
from reviewtui.room.shared_draft import SharedDraft
from reviewtui.session.text_history import TextHistory
from reviewtui.ui.text_fields import WideTextArea, text_input
from room_relay import linked


class FieldsApp(App[None]):
    """Two bound fields, one local field, on the participant's side of a room (or with no room)."""

    def __init__(self, shared: SharedDraft | None) -> None:
        super().__init__()
        self.shared_draft = shared

    def compose(self) -> ComposeResult:
        data = self.shared_draft.draft_data() if self.shared_draft else {"employee_name": "", "reading": ""}
        yield text_input("employee_name", data["employee_name"])
        yield WideTextArea(data["reading"], id="reading", field_key="reading")
        yield WideTextArea("", id="scratch")  # no field key: stays local


def room(**data: Any) -> tuple[SharedDraft, SharedDraft, list[Any]]:
    host = SharedDraft()
    host.load({"employee_name": "", "reading": "", **data})
    participant = SharedDraft()
    return host, participant, linked(host, participant)


def host_text(host: SharedDraft, key: str) -> str:
    return str(host.text_at(key))


async def test_typing_reaches_the_host_at_once_with_any_script() -> None:
    host, participant, _relay = room(employee_name="Ana")
    app = FieldsApp(participant)
    async with app.run_test() as pilot:
        field = app.query_one("#employee_name", Input)
        field.focus()
        await pilot.press("end")
        await type_text(pilot, " é漢")
        field.insert_text_at_cursor("🙂")  # as a paste would: a terminal sends no key for it
        assert host_text(host, "employee_name") == "Ana é漢🙂" == field.value
        await pilot.press("left", "left", "backspace")
        assert host_text(host, "employee_name") == "Ana 漢🙂" == field.value


async def test_host_edits_land_in_the_focused_field_with_the_cursor_where_it_was() -> None:
    host, participant, _relay = room(employee_name="ab")
    app = FieldsApp(participant)
    async with app.run_test() as pilot:
        field = app.query_one("#employee_name", Input)
        field.focus()
        await pilot.press("end", "left")  # between a and b
        host.text_at("employee_name").insert(0, "🙂X")  # before the cursor: it moves right
        assert field.value == "🙂Xab" and field.cursor_position == 3
        text = host.text_at("employee_name")
        text.insert(len(str(text).encode()), "Z")  # after the cursor: it stays
        assert field.value == "🙂XabZ" and field.cursor_position == 3
        await pilot.press("c")
        assert field.value == "🙂XacbZ" == host_text(host, "employee_name")


async def test_keys_typed_between_remote_edits_are_all_kept_in_order() -> None:
    host, participant, _relay = room(employee_name="")
    app = FieldsApp(participant)
    async with app.run_test() as pilot:
        field = app.query_one("#employee_name", Input)
        field.focus()
        text = host.text_at("employee_name")
        for index in range(20):
            await pilot.press("abcdefghijklmnopqrst"[index])
            text.insert(0, str(index % 10))  # the host types at the start while the participant types
        value = host_text(host, "employee_name")
        assert value == field.value == str(participant.text_at("employee_name"))
        assert "".join(char for char in value if char.isalpha()) == "abcdefghijklmnopqrst"
        assert "".join(char for char in value if char.isdigit()) == "9876543210" * 2
        assert field.cursor_position == len(value)  # still after the participant's last key


async def test_ctrl_z_takes_back_only_the_participants_own_typing() -> None:
    host, participant, _relay = room(employee_name="")
    app = FieldsApp(participant)
    async with app.run_test() as pilot:
        field = app.query_one("#employee_name", Input)
        field.focus()
        await type_text(pilot, "mine")
        host.text_at("employee_name").insert(0, "theirs ")
        await pilot.press("ctrl+z")  # the participant's word goes, the host's stays
        assert field.value == "theirs " == host_text(host, "employee_name")
        await pilot.press("ctrl+y")
        assert field.value == "theirs mine" == host_text(host, "employee_name")
        await pilot.press("ctrl+z", "ctrl+z")  # nothing older of the participant's: the host's is kept
        assert field.value == "theirs " == host_text(host, "employee_name")


async def test_an_undo_step_overlapping_someone_elses_edit_is_dropped() -> None:
    host, participant, _relay = room(employee_name="")
    app = FieldsApp(participant)
    async with app.run_test() as pilot:
        field = app.query_one("#employee_name", Input)
        field.focus()
        await type_text(pilot, "draft")
        text = host.text_at("employee_name")
        del text[1:4]  # the host deletes inside the participant's word: "dt"
        assert field.value == "dt"
        await pilot.press("ctrl+z")  # undoing the word would bring back what the host deleted
        assert field.value == "dt" == host_text(host, "employee_name")


async def test_a_text_area_is_bound_both_ways_with_line_breaks_and_undo() -> None:
    host, participant, _relay = room(reading="line one")
    app = FieldsApp(participant)
    async with app.run_test() as pilot:
        area = app.query_one("#reading", TextArea)
        area.focus()
        await pilot.press("end", "enter")
        await type_text(pilot, "wörld")
        assert host_text(host, "reading") == "line one\nwörld" == area.text
        host.text_at("reading").insert(0, "🙂 ")
        assert area.text == "🙂 line one\nwörld"
        assert area.cursor_location == (1, 5)  # the insert was on another line: the cursor stays
        await pilot.press("!")
        assert host_text(host, "reading") == "🙂 line one\nwörld!"
        area.select_all()
        await pilot.press("x")  # typing over a selection is one splice
        assert host_text(host, "reading") == "x" == area.text
        await pilot.press("ctrl+z")
        assert host_text(host, "reading") == "🙂 line one\nwörld!" == area.text


async def test_a_field_without_a_key_stays_local_and_an_unmounted_field_lets_go() -> None:
    host, participant, _relay = room(reading="r")
    app = FieldsApp(participant)
    async with app.run_test() as pilot:
        scratch = app.query_one("#scratch", WideTextArea)
        scratch.focus()
        await type_text(pilot, "note")
        assert scratch.room_binding is None and host_text(host, "reading") == "r"
        area = app.query_one("#reading", WideTextArea)
        binding = area.room_binding
        assert binding is not None
        await area.remove()
        assert area.room_binding is None
        host.text_at("reading").insert(1, "2")  # nobody listens any more: nothing breaks
        assert str(participant.text_at("reading")) == "r2"


async def test_without_a_room_the_fields_are_not_bound() -> None:
    app = FieldsApp(None)
    async with app.run_test() as pilot:
        field = app.query_one("#employee_name", Input)
        field.focus()
        await type_text(pilot, "abc")
        await pilot.press("ctrl+z")
        assert field.value == "" and field.room_binding is None


@given(
    st.text("ab", max_size=6),
    st.text("xy", min_size=1, max_size=6),
    st.integers(0, 6),
    st.text("ZW", max_size=3),
)
def test_a_remote_change_before_or_after_the_own_typing_survives_undoing_it_all(
    start: str, typed: str, where: int, inserted: str
) -> None:
    history = TextHistory(start)
    at = min(where, len(start))
    mine = start[:at] + typed + start[at:]
    history.record(mine, 0.0)
    # Someone else inserts before or after the typed run (not inside it).
    for position in (0, at, at + len(typed), len(mine)):
        other = TextHistory(start)
        other.record(mine, 0.0)
        after = mine[:position] + inserted + mine[position:]
        other.rebase(mine, after)
        restored = other.undo()
        if position <= at:
            assert restored is not None and restored.text == start[:position] + inserted + start[position:]
        else:
            shifted = position - len(typed)
            assert restored is not None and restored.text == start[:shifted] + inserted + start[shifted:]
