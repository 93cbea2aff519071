"""The plain home screen: records and rubrics, at 80x24 and 120x40."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from reviewtui.storage import discover_rubrics
from reviewtui.ui.app import ReviewApp

TESTS = Path(__file__).parent


def build_app(sessions: Path) -> ReviewApp:
    return ReviewApp(sessions_dir=sessions, catalog=discover_rubrics())


async def test_home_lists_records_and_rubrics(tmp_path: Path, data_dir: Path) -> None:
    shutil.copytree(data_dir / "sessions", tmp_path / "sessions")
    (tmp_path / "sessions" / "2026-08-01_review_broken_89abcdef.toml").write_text("not = [valid")
    app = build_app(tmp_path / "sessions")
    async with app.run_test(size=(80, 24)) as pilot:
        records = app.screen.query_one("#records", DataTable)
        assert records.row_count == 2
        assert records.get_row_at(0)[:4] == ["2026-08-01", "broken", "review", "unreadable"]
        assert records.get_row_at(1) == ["2026-07-01", "Ana Ruiz", "alignment", "agreed", "2026 H2"]
        assert app.focused is records
        rubrics = app.screen.query_one("#rubrics", DataTable)
        assert rubrics.row_count == 6
        await pilot.press("q")
    assert app.return_code == 0


async def test_empty_folder_says_so(tmp_path: Path) -> None:
    app = build_app(tmp_path / "none-yet")
    async with app.run_test(size=(80, 24)):
        title = app.screen.query_one("#records-title", Static)
        assert str(title.render()) == f"No records in {tmp_path / 'none-yet'} yet"


async def test_broken_user_rubric_is_reported_on_screen(tmp_path: Path, minimal_rubric: Path) -> None:
    (tmp_path / "bad.toml").write_text(minimal_rubric.read_text().replace("version = 1", "version = 0"))
    app = ReviewApp(sessions_dir=tmp_path, catalog=discover_rubrics([tmp_path]))
    async with app.run_test(size=(80, 24)):
        problems = str(app.screen.query_one("#problems", Static).render())
        assert f"{tmp_path / 'bad.toml'}:5: version: must be at least 1" in problems


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_home_snapshot(snap_compare, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    monkeypatch.chdir(TESTS / "data")
    assert snap_compare(build_app(Path("sessions")), terminal_size=size)
