"""The home screen: drafts to resume, records grouped by employee, a read-only record view."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, Markdown, Static

from factories import CREATED, make_session
from pilot_helpers import make_app
from reviewtui.storage import discover_rubrics, save_session
from reviewtui.ui.app import ReviewApp
from reviewtui.ui.record import RecordScreen

TESTS = Path(__file__).parent


async def settle(app: ReviewApp, pilot) -> None:
    """Let the background reading of records finish and reach the screen."""
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_records_are_grouped_by_employee_newest_first(tmp_path: Path, data_dir: Path) -> None:
    sessions = tmp_path / "sessions"
    shutil.copytree(data_dir / "sessions", sessions)
    day_two = CREATED.replace(day=2)
    later = make_session(
        id="fedcba9876543210fedcba9876543210",
        status="draft",
        created_at=day_two,
        updated_at=day_two,
        period={"label": "2027 H1", "start": dt.date(2027, 1, 1), "end": dt.date(2027, 6, 30)},
    )
    save_session(later, sessions)
    (sessions / "2026-06-01_review_zed-broken_89abcdef.toml").write_text("not = [valid")
    app = make_app(sessions)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        records = app.screen.query_one("#records", DataTable)
        rows = [records.get_row_at(index) for index in range(records.row_count)]
        assert rows == [
            ["Ana Ruiz", "2026-07-02", "alignment", "draft", "2027 H1"],
            ["", "2026-07-01", "alignment", "agreed", "2026 H2"],
            ["zed-broken", "2026-06-01", "review", "unreadable", "run reviewtui validate"],
        ]
        assert app.focused is records
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordScreen)
        document = app.screen.query_one(Markdown).source
        assert "# Alignment: Ana Ruiz" in document
        assert "| Gross retention | lagging | quarterly | 91.5 | 95 % | higher | 100 |" in document
        await pilot.press("escape")
        await pilot.press("q")
    assert app.return_code == 0


async def test_an_unreadable_record_says_why_instead_of_opening(tmp_path: Path) -> None:
    (tmp_path / "2026-06-01_review_zed_89abcdef.toml").write_text("not = [valid")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, RecordScreen)
        assert any("TOML syntax error" in str(n.message) for n in app._notifications)


async def test_empty_folder_shows_how_to_begin(tmp_path: Path) -> None:
    app = make_app(tmp_path / "none-yet")
    async with app.run_test(size=(80, 24)):
        hint = str(app.screen.query_one("#empty-hint", Static).render())
        assert f"No records in {tmp_path / 'none-yet'} yet." in hint
        assert "Press n to start an alignment session" in hint
        assert not app.screen.query_one("#records", DataTable).display


async def test_broken_user_rubric_is_reported_on_screen(tmp_path: Path, minimal_rubric: Path) -> None:
    (tmp_path / "bad.toml").write_text(minimal_rubric.read_text().replace("version = 1", "version = 0"))
    app = ReviewApp(sessions_dir=tmp_path, catalog=discover_rubrics([tmp_path]))
    async with app.run_test(size=(80, 24)):
        problems = str(app.screen.query_one("#problems", Static).render())
        assert f"{tmp_path / 'bad.toml'}:5: version: must be at least 1" in problems


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("folder", ["sessions", "empty"])
def test_home_snapshot(
    snap_compare, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int], folder: str
) -> None:
    monkeypatch.chdir(TESTS / "data")

    async def settled(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(Path(folder)), terminal_size=size, run_before=settled)


async def test_w_opens_the_team_view_and_escape_comes_back(tmp_path: Path) -> None:
    from reviewtui.storage.examples import copy_example_team
    from reviewtui.ui.home import HomeScreen
    from reviewtui.ui.team import TeamScreen

    sessions = copy_example_team(tmp_path / "sessions")
    app = make_app(sessions)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)
        assert isinstance(app.screen, TeamScreen)
        assert app.screen.report is not None  # read in the background, through the cache
        assert (sessions / ".cache").is_dir()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_names_with_brackets_are_shown_as_typed_not_as_markup(tmp_path: Path) -> None:
    session = make_session(
        participants={"employee": {"name": "Ana [b]Ruiz[/b]", "role": "CSM"}, "manager": {"name": "Bo"}},
    )
    save_session(session, tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.export_screenshot().replace("&#160;", " ")
    assert "Ana [b]Ruiz[/b]" in screen  # not "Ana Ruiz" in bold


async def test_a_record_that_is_a_link_is_listed_unreadable_and_never_read_through(tmp_path: Path) -> None:
    # As report and archive do: a link (perhaps committed into a clone) may point anywhere, so the
    # record it names is not read; the row says so, and opening it says why.
    outside = tmp_path / "elsewhere"
    save_session(make_session(), outside)
    (target,) = outside.glob("*.toml")
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    (sessions / "2026-06-01_review_zed-linked_89abcdef.toml").symlink_to(target)
    app = make_app(sessions)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        records = app.screen.query_one("#records", DataTable)
        rows = [records.get_row_at(index) for index in range(records.row_count)]
        assert rows == [["zed-linked", "2026-06-01", "review", "unreadable", "run reviewtui validate"]]
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, RecordScreen)
        assert any("symbolic link" in str(n.message) for n in app._notifications)


async def test_a_fifo_by_a_records_name_is_listed_unreadable_and_never_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "2026-06-01_review_zed-pipe_89abcdef.toml")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        records = app.screen.query_one("#records", DataTable)
        rows = [records.get_row_at(index) for index in range(records.row_count)]
        assert rows == [["zed-pipe", "2026-06-01", "review", "unreadable", "run reviewtui validate"]]
        await pilot.press("enter")
        await pilot.pause()
        assert any("named pipe (FIFO)" in str(n.message) for n in app._notifications)
