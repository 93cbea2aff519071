"""Visible at 80x24: the focus without colour, the step bar, what does not fit, toasts over dialogs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Collapsible, Input, Select, Static

from factories import AGREE_STEP, csm_draft, csm_review_draft
from pilot_helpers import make_app, steady, type_text
from reviewtui.models.draft import REVIEW_SECTIONS
from reviewtui.storage.drafts import save_draft
from reviewtui.ui.help import HelpScreen
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.notices import break_at_slashes
from reviewtui.ui.record import RecordScreen
from reviewtui.ui.record_table import RecordTable
from reviewtui.ui.steps.impact import ImpactMapStep
from reviewtui.ui.tables import column_widths, cut
from reviewtui.ui.widgets import StepIndicator, TickBox

EXAMPLES = Path(__file__).parent.parent / "src" / "reviewtui" / "examples"
REVIEW_RECORD = "2027-01-12_review_ana-ruiz_a1b2c3d4.toml"


async def resume(pilot) -> None:
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("enter")
    await pilot.pause()
    await steady(pilot)


def bar_text(screen) -> str:
    return screen.query_one(StepIndicator).render_str(screen.query_one(StepIndicator).render()).plain


# The focus without colour ---------------------------------------------------------


def test_the_focused_field_shows_in_monochrome(snap_compare, tmp_path: Path, monkeypatch) -> None:
    # NO_COLOR is read when the app is built: set before make_app, for this test only.
    monkeypatch.setenv("NO_COLOR", "1")
    save_draft(csm_review_draft(1 + REVIEW_SECTIONS.index("metric_results")), tmp_path)

    async def second_field(pilot) -> None:
        await resume(pilot)
        await pilot.press("tab")
        await pilot.pause()

    app = make_app(tmp_path)
    assert app.no_color
    assert snap_compare(app, terminal_size=(80, 24), run_before=second_field)


async def test_the_focused_fields_label_is_reverse_and_bold(tmp_path: Path) -> None:
    save_draft(csm_draft(0), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        labels = {label.parent.children[1].id: label for label in app.screen.query(".field-label")}
        focused = labels["employee_name"].styles.text_style
        assert focused.reverse and focused.bold
        assert not labels["manager_name"].styles.text_style.reverse
        assert str(app.focused.styles.border_left[0]) == "outer"
        assert str(app.screen.query_one("#manager_name", Input).styles.border_left[0]) == "blank"


# The step bar and the fix count ---------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_step_bar_names_the_step_and_stars_what_signing_needs(tmp_path: Path, size) -> None:
    draft = csm_review_draft(1 + REVIEW_SECTIONS.index("competencies"), reading="", objectives=[])
    save_draft(draft, tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await resume(pilot)
        text = bar_text(app.screen)
        assert len(text) <= size[0] - 2
        assert " 7 Competencies " in text  # after the agenda, the review's first step
        assert "9* 10*" in text and text.endswith("* needed to sign")
        assert "8✓" in text and "11" in text and "11*" not in text  # optional ticked; signing is last


async def test_the_alignment_bar_has_titles_at_80_columns(tmp_path: Path) -> None:
    save_draft(csm_draft(1, metrics=[]), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        # Six steps' titles no longer all fit in 78 columns: the current step keeps its title.
        assert bar_text(app.screen) == "1✓  2 Impact map  3* 4* 5✓ 6  * needed to agree"


async def test_the_fix_count_goes_down_as_things_are_fixed(tmp_path: Path) -> None:
    rows = csm_draft().impact_map[:2]
    blank = [row.model_copy(update={"how": ""}) for row in rows]
    save_draft(csm_draft(1, impact_map=blank), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        fix = app.screen.query_one("#step-fix", Static)
        assert not fix.display
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ImpactMapStep)
        assert fix.display and str(fix.render()) == "2 things to fix · "
        app.screen.query_one("#impact_map-0-how", Input).focus()
        await type_text(pilot, "Earlier outreach")
        await pilot.pause()
        assert str(fix.render()) == "1 thing to fix · "
        app.screen.query_one("#impact_map-1-how", Input).focus()
        await type_text(pilot, "Sponsors")
        await pilot.pause()
        assert not fix.display


# What does not fit says so ---------------------------------------------------------


async def test_a_focused_level_comes_into_view_with_its_competency(tmp_path: Path) -> None:
    save_draft(csm_review_draft(1 + REVIEW_SECTIONS.index("competencies")), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        body = app.screen.query_one("#step-body")
        first = app.focused  # as the step opens, the first level comes in under its own heading too
        heading = first.parent.parent.query_one(".metric-heading")
        assert body.content_region.y <= heading.region.y and first.region.bottom <= body.content_region.bottom
        for _ in range(2):  # from the first level, past its example, to the second level
            await pilot.press("tab")
            await pilot.pause()
        await pilot.pause()
        level = app.focused
        assert isinstance(level, Select)
        block = level.parent.parent
        heading = block.query_one(".metric-heading")
        view = body.content_region
        assert view.y <= heading.region.y and level.region.bottom <= view.bottom
        assert "Communication clarity" in str(heading.render())


async def test_the_rubric_questions_open_on_a_short_terminal(tmp_path: Path) -> None:
    save_draft(csm_draft(1), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        folded = app.screen.query_one(".prompts-hint", Collapsible)
        assert folded.display and folded.collapsed
        assert not app.screen.query_one(".prompts").display
        await pilot.press("shift+tab")  # from the first field up to the questions' line
        await pilot.press("enter")
        await pilot.pause()
        assert not folded.collapsed
        questions = folded.query_one("Contents > Static", Static)
        assert questions.region.height >= 3  # shown, not only there
        assert "Which activities take most of the CSM's week" in str(questions.render())
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await resume(pilot)
        assert app.screen.query_one(".prompts").display
        assert not app.screen.query_one(".prompts-hint").display


async def test_the_help_says_esc_closes_it_and_when_there_is_more(tmp_path: Path) -> None:
    save_draft(csm_draft(1), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        hint = app.screen.query_one("#help-more", Static)
        assert str(hint.render()).startswith("▼ more below")
        assert "Esc closes the help" in str(hint.render())
        await pilot.press("end")
        await pilot.pause()
        assert str(hint.render()).startswith("▲ end; more above")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ImpactMapStep)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_help_snapshot(snap_compare, tmp_path: Path, size) -> None:
    save_draft(csm_draft(1), tmp_path)

    async def open_help(pilot) -> None:
        await resume(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=open_help)


# Notifications and the record view -------------------------------------------------


def test_paths_break_after_a_slash() -> None:
    path = "/home/manager/reviews/sessions/exports/2027-01-12_review_ana-ruiz_a1b2c3d4.md"
    lines = break_at_slashes(path, 37)
    assert "".join(lines) == path
    assert lines == [
        "/home/manager/reviews/sessions/",
        "exports/",
        "2027-01-12_review_ana-ruiz_a1b2c3d4.md",
    ]
    assert all(line.endswith("/") for line in lines[:-1])


async def test_a_toast_over_a_dialog_leaves_its_text_uncovered(tmp_path: Path) -> None:
    save_draft(csm_draft(1), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await resume(pilot)
        await pilot.press("f1")
        await pilot.pause()
        app.notify("Written to\n/a/long/path/to/the/exports/folder/of/the/records/", timeout=30)
        await pilot.pause()
        await pilot.pause()
        from textual.widgets._toast import Toast

        [toast] = app.screen.query(Toast)
        assert not toast.region.overlaps(app.screen.query_one("#help-box").region)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_record_snapshot(snap_compare, tmp_path: Path, monkeypatch, size) -> None:
    (tmp_path / "sessions").mkdir()
    shutil.copy(EXAMPLES / REVIEW_RECORD, tmp_path / "sessions")
    monkeypatch.chdir(tmp_path)  # the path on screen is the same on every machine

    async def open_record(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("pagedown")  # to the metric results
        await pilot.pause()

    assert snap_compare(make_app(Path("sessions")), terminal_size=size, run_before=open_record)


async def test_the_record_fits_80_columns_in_blocks_and_keeps_tables_that_fit(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "2026-11-05_check-in_ana-ruiz_e2f3a4b5.toml", tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordScreen)
        assert app.screen.sub_title == "read-only record"
        tables = list(app.screen.query(RecordTable))
        assert tables and all(table.has_class("-blocks") for table in tables)
        # The adjustments' table: each change in a block of its own, the reason wrapped in full.
        blocks = [
            str(block.render()) for table in tables for block in table.query(".row-block").results(Static)
        ]
        adjustments = next(block for block in blocks if "Two competitors" in block)
        assert "Reason: Two competitors cut prices in Q3" in adjustments
        assert "When: 2026-11-05 10:40 +0200" in adjustments
        await pilot.resize_terminal(200, 40)
        await pilot.pause()
        await pilot.pause()
        assert not all(table.has_class("-blocks") for table in app.screen.query(RecordTable))


def test_a_table_fits_by_cutting_its_widest_columns_with_an_ellipsis() -> None:
    headers = ["Date", "Metric", "Tags", "What happened"]
    rows = [["2026-10-28", "Business reviews held with a client sponsor", "qbr", "x" * 90]]
    widths = column_widths(headers, rows, 80)
    assert sum(widths) + 2 * len(headers) <= 80
    assert widths[0] == 10 and widths[2] == 4  # short columns keep their width
    assert cut(rows[0][1], widths[1]).endswith("…") and len(cut(rows[0][1], widths[1])) == widths[1]
    assert cut("short", 20) == "short"
    assert column_widths(headers, rows, 400) == [10, 43, 4, 90]


async def test_a_field_cut_at_its_right_edge_ends_in_an_ellipsis_until_focused(tmp_path: Path) -> None:
    save_draft(csm_draft(1), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        how = app.screen.query_one("#impact_map-1-how", Input)
        how.value = "Sponsors see the value delivered against their goals; unmet needs surface as talks"
        await pilot.pause()
        assert len(how.value) > how.content_size.width
        assert how.render_line(0).text.rstrip().endswith("…")
        short = app.screen.query_one("#impact_map-1-activity", Input)
        short.value = "QBRs"
        await pilot.pause()
        assert "…" not in short.render_line(0).text
        how.focus()
        await pilot.pause()
        assert "…" not in how.render_line(0).text


async def test_the_title_bar_says_draft_saved_only_while_a_draft_is_open(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / REVIEW_RECORD, tmp_path)
    save_draft(csm_draft(1), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await resume(pilot)
        await type_text(pilot, "x")
        app.save_draft_now()
        assert app.sub_title.startswith("draft saved")
        await pilot.press("escape")  # home: the draft is saved, the session over
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.sub_title == ""
        app.open_record(tmp_path / REVIEW_RECORD)
        await pilot.pause()
        assert isinstance(app.screen, RecordScreen)
        assert "read-only record" in str(app.screen.query_one("HeaderTitle").render())


async def test_a_ticked_confirmation_reads_without_colour(tmp_path: Path) -> None:
    """Ticked and unticked boxes differ in their text (Textual draws an X on both)."""
    save_draft(csm_draft(AGREE_STEP), tmp_path)  # the agree step
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await resume(pilot)
        box = app.screen.query_one("#employee_confirmed", TickBox)
        assert not box.value and "✓" not in box.render().plain and "X" not in box.render().plain
        box.focus()
        await pilot.press("space")
        await pilot.pause()
        assert box.value and box.render().plain.startswith("▐✓▌")


async def test_removing_a_row_with_text_asks_first(tmp_path: Path) -> None:
    """Ctrl+R sits next to Ctrl+Z: a row that holds text is removed only after `y`."""
    from reviewtui.ui.confirm_remove import RemoveRowScreen

    save_draft(csm_draft(1), tmp_path)  # the impact map, two filled rows
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await resume(pilot)
        assert isinstance(app.screen, ImpactMapStep)
        rows = len(app.screen.draft.impact_map)
        app.screen.query_one("#impact_map-1-activity", Input).focus()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, RemoveRowScreen)
        assert "Remove row 2?" in str(app.screen.query_one(Static).render())
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ImpactMapStep) and len(app.screen.collect().impact_map) == rows
        await pilot.press("ctrl+o")  # a blank row goes without a question
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ImpactMapStep) and len(app.screen.collect().impact_map) == rows
        app.screen.query_one("#impact_map-1-activity", Input).focus()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ImpactMapStep) and len(app.screen.collect().impact_map) == rows - 1
