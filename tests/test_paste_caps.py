"""A paste or a key that would pass a field's cap is refused with a notice giving the sizes;
a paste of several lines into a one-line field keeps every line."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual import events
from textual.widgets import Input, TextArea
from textual.widgets._toast import Toast

from factories import EXAMPLE_PLAN, csm_draft, csm_review_draft
from pilot_helpers import Clock, make_app
from reviewtui.models.base import LONG_TEXT_MAX, SHORT_TEXT_MAX
from reviewtui.models.draft import REVIEW_SECTIONS
from reviewtui.storage.drafts import draft_path, load_draft, save_draft
from reviewtui.ui.evidence import EvidenceFormScreen
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.steps.base import StepScreen

ROOT = Path(__file__).parent.parent


async def resume(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, StepScreen)


async def paste(pilot, widget: Input | TextArea, text: str) -> None:
    """A terminal's bracketed paste, as Textual delivers it to the focused field."""
    widget.focus()
    await pilot.pause()
    widget.post_message(events.Paste(text))
    await pilot.pause()


def shown_notices(app) -> list[str]:
    """The text of the notices on the screen (toasts), as the user reads them."""
    return [str(toast.render()) for toast in app.screen.query(Toast)]


async def test_an_over_long_paste_into_a_one_line_field_says_its_size_and_the_cap(tmp_path: Path) -> None:
    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    draft = csm_draft(1)
    save_draft(draft, tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await resume(pilot)
        activity = pilot.app.screen.query_one("#impact_map-0-activity", Input)
        before = activity.value
        pasted = "CONFIDENTIAL " + "x" * 300
        await paste(pilot, activity, pasted)
        await pilot.pause()
        assert activity.value == before  # refused whole: nothing half-pasted into the record
        after = len(before) + len(pasted)
        notices = shown_notices(app)
        assert any(
            f"The paste of {len(pasted):,} characters was not added" in notice
            and f"holds at most {SHORT_TEXT_MAX:,} characters" in notice
            and f"{after - SHORT_TEXT_MAX:,} too many" in notice
            for notice in notices
        ), notices
        assert not any("CONFIDENTIAL" in notice for notice in notices)
        await paste(pilot, activity, "y" * (SHORT_TEXT_MAX - len(before)))  # what fits goes in
        assert len(activity.value) == SHORT_TEXT_MAX
        await pilot.press("z")
        await pilot.pause()
        assert len(activity.value) == SHORT_TEXT_MAX
        assert any(f"full: it holds at most {SHORT_TEXT_MAX:,}" in notice for notice in shown_notices(app))
        await pilot.press("ctrl+q")


async def test_a_key_past_the_cap_of_a_text_area_says_the_field_is_full(tmp_path: Path) -> None:
    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    draft = csm_review_draft(1 + REVIEW_SECTIONS.index("employee_reading"), reading="")
    save_draft(draft, tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await resume(pilot)
        area = pilot.app.screen.query_one("#reading", TextArea)
        await paste(pilot, area, "a" * LONG_TEXT_MAX)
        assert len(area.text) == LONG_TEXT_MAX
        await pilot.press("b")
        await pilot.pause()
        assert len(area.text) == LONG_TEXT_MAX
        notices = shown_notices(app)
        assert any(f"full: it holds at most {LONG_TEXT_MAX:,} characters" in notice for notice in notices), (
            notices
        )
        await paste(pilot, area, "cd")
        assert any("The paste of 2 characters was not added" in notice for notice in shown_notices(app))
        await pilot.press("ctrl+q")


async def test_a_paste_of_several_lines_into_a_one_line_field_keeps_every_line(tmp_path: Path) -> None:
    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    draft = csm_draft(1)
    save_draft(draft, tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await resume(pilot)
        how = pilot.app.screen.query_one("#impact_map-0-how", Input)
        how.clear()
        await paste(pilot, how, "Surfaces risks early\r\nso renewals\nare not a surprise")
        assert how.value == "Surfaces risks early so renewals are not a surprise"
        await pilot.press("ctrl+q")
    saved = load_draft(draft_path(tmp_path, draft.id))
    assert saved.impact_map[0].how == "Surfaces risks early so renewals are not a surprise"


async def test_evidence_of_several_pasted_lines_is_logged_whole(tmp_path: Path) -> None:
    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("l", "a")
        await pilot.pause()
        assert isinstance(app.screen, EvidenceFormScreen)
        await paste(pilot, app.screen.query_one("#text", Input), "QBR held\nsponsor renewed for 2 years")
        assert app.screen.query_one("#text", Input).value == "QBR held sponsor renewed for 2 years"
        await pilot.press("escape", "escape", "escape")
