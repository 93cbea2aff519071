"""Nothing typed is lost to a stray key: no select on focus, undo and redo in every text field."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input, TextArea

from factories import csm_draft, csm_review_draft
from pilot_helpers import make_app, type_text
from reviewtui.models.draft import REVIEW_SECTIONS
from reviewtui.session.text_history import PAUSE_SECONDS, TextHistories, TextHistory
from reviewtui.storage.drafts import draft_path, load_draft, save_draft
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.steps.impact import ImpactMapStep
from reviewtui.ui.steps.participants import ParticipantsStep

ACTIVITY = "impact_map-0-activity"


async def resume(pilot) -> None:
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("enter")
    await pilot.pause()


def field(pilot, field_id: str) -> Input:
    return pilot.app.screen.query_one(f"#{field_id}", Input)


# The history on its own -----------------------------------------------------------


def typed(history: TextHistory, text: str, start: float = 0.0, gap: float = 0.1) -> float:
    """Type `text` at the end of the field, one key every `gap` seconds; the time after."""
    now = start
    for char in text:
        history.record(history.text + char, now)
        now += gap
    return now


def test_a_quick_run_of_typing_is_undone_a_word_at_a_time() -> None:
    history = TextHistory("Weekly")
    typed(history, " health review")
    assert history.text == "Weekly health review"
    assert history.undo().text == "Weekly health "
    assert history.undo().text == "Weekly "
    assert history.undo().text == "Weekly"
    assert history.undo() is None
    assert history.redo().text == "Weekly "
    assert history.redo().text == "Weekly health "


def test_a_pause_ends_an_undo_step() -> None:
    history = TextHistory("")
    later = typed(history, "abc")
    typed(history, "def", start=later + PAUSE_SECONDS)
    assert history.undo().text == "abc"


def test_replacing_a_selection_and_deleting_are_steps_of_their_own() -> None:
    history = TextHistory("Weekly health-score review")
    history.record("xy", 0.0)  # the whole text pasted over
    history.record("x", 0.1)
    assert history.undo().text == "xy"
    history.record("", 0.2)  # a delete after the undo: a new step, and no redo any more
    assert history.redo() is None
    assert history.undo().text == "xy"
    restored = history.undo()
    assert (restored.text, restored.cursor) == ("Weekly health-score review", 26)


def test_keys_typed_over_a_selection_are_undone_with_it() -> None:
    history = TextHistory("Ana Ruiz")
    history.record("2", 0.0)
    history.record("20", 0.1)
    assert history.undo().text == "Ana Ruiz"


def test_backspaces_in_a_row_are_one_step() -> None:
    history = TextHistory("retention")
    for count, now in ((1, 0.0), (2, 0.1), (3, 0.2)):
        history.record("retention"[:-count], now)
    assert history.text == "retent"
    assert history.undo().text == "retention"


def test_a_field_showing_other_text_starts_a_new_history() -> None:
    histories = TextHistories()
    first = histories.of("Step/rows-0-name", "Ana")
    first.record("Ana R", 0.0)
    assert histories.of("Step/rows-0-name", "Ana R") is first
    assert histories.of("Step/rows-0-name", "Bo").undo() is None
    histories.of("Step/rows-1-name", "Cy").record("Cy P", 0.0)
    histories.forget("Step/rows-")
    assert histories.of("Step/rows-1-name", "Cy P").undo() is None


@given(st.lists(st.tuples(st.text(max_size=8), st.floats(0, 3)), max_size=20), st.text(max_size=8))
def test_undo_all_then_redo_all_gives_back_every_text(edits: list[tuple[str, float]], start: str) -> None:
    history = TextHistory(start)
    now = 0.0
    for text, gap in edits:
        now += gap
        history.record(text, now)
    final = history.text
    while (restored := history.undo()) is not None:
        assert 0 <= restored.cursor <= len(restored.text)
    assert history.text == start
    while history.redo() is not None:
        pass
    assert history.text == final


# In the app ------------------------------------------------------------------------


async def test_entering_a_step_selects_nothing_and_one_key_adds_to_the_text(tmp_path: Path) -> None:
    save_draft(csm_draft(1), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        assert isinstance(app.screen, ImpactMapStep)
        activity = field(pilot, ACTIVITY)
        assert app.focused is activity
        assert activity.selection.is_empty and activity.cursor_position == len(activity.value)
        await type_text(pilot, "x")
        assert activity.value == "Weekly health-score reviewx"
        await pilot.press("tab")  # into the next filled field: the same
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        how = app.focused
        assert isinstance(how, Input) and how.id == "impact_map-0-how"
        assert how.selection.is_empty and how.cursor_position == len(how.value) > 0


async def test_ctrl_z_restores_what_was_typed_over_and_ctrl_y_redoes_it(tmp_path: Path) -> None:
    save_draft(csm_draft(1), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        activity = field(pilot, ACTIVITY)
        await type_text(pilot, " now")
        assert activity.value == "Weekly health-score review now"
        await pilot.press("ctrl+z")
        assert activity.value == "Weekly health-score review "
        await pilot.press("ctrl+z")
        assert activity.value == "Weekly health-score review"
        await pilot.press("ctrl+shift+a")  # select all, then one stray key
        await type_text(pilot, "x")
        assert activity.value == "x"
        await pilot.press("ctrl+z")
        assert activity.value == "Weekly health-score review"
        assert activity.cursor_position == len(activity.value)
        await pilot.press("ctrl+y")
        assert activity.value == "x"


async def test_undo_survives_leaving_the_step_and_coming_back(tmp_path: Path) -> None:
    save_draft(csm_draft(0), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        assert isinstance(app.screen, ParticipantsStep)
        name = field(pilot, "employee_name")
        name.focus()
        await pilot.press("ctrl+shift+a")
        await type_text(pilot, "20")
        await pilot.press("ctrl+n")  # the step is done: on to the next, then back
        await pilot.pause()
        assert isinstance(app.screen, ImpactMapStep)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantsStep)
        name = field(pilot, "employee_name")
        name.focus()
        await pilot.pause()
        assert name.value == "20"
        await pilot.press("ctrl+z")
        assert name.value == "Ana Ruiz"
        await pilot.press("ctrl+y")
        assert name.value == "20"


async def test_undo_after_autosave_restores_and_is_autosaved(tmp_path: Path) -> None:
    save_draft(csm_draft(1), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        draft_id = app.draft.id
        await pilot.press("ctrl+shift+a")
        await type_text(pilot, "x")
        await pilot.pause(1.3)  # the autosave timer (1 s) writes the draft
        assert load_draft(draft_path(tmp_path, draft_id)).impact_map[0].activity == "x"
        await pilot.press("ctrl+z")
        assert field(pilot, ACTIVITY).value == "Weekly health-score review"
        await pilot.pause(1.3)
        assert load_draft(draft_path(tmp_path, draft_id)).impact_map[0].activity == (
            "Weekly health-score review"
        )


async def test_a_text_area_undoes_with_the_same_history_across_steps(tmp_path: Path) -> None:
    save_draft(csm_review_draft(1 + REVIEW_SECTIONS.index("employee_reading")), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        reading = app.screen.query_one("#reading", TextArea)
        assert app.focused is reading
        before = reading.text
        assert reading.selection.is_empty and reading.cursor_location == reading.document.end
        await type_text(pilot, " Agreed")
        assert reading.text == before + " Agreed"
        await pilot.press("ctrl+b")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        reading = app.screen.query_one("#reading", TextArea)
        reading.focus()
        await pilot.pause()
        await pilot.press("ctrl+z")
        assert reading.text == before + " "
        await pilot.press("ctrl+z")
        assert reading.text == before
        await pilot.press("ctrl+y", "ctrl+y")
        assert reading.text == before + " Agreed"
