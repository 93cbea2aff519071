"""The team view: the calibration report in the app, built in a worker thread, at 80x24 and 120x40."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from pilot_helpers import make_app, steady
from reviewtui.models.envelope import SignOff
from reviewtui.storage import load_session, save_session
from reviewtui.storage.report_cache import build_report
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.team import TeamScreen

EXAMPLES = Path(__file__).parent.parent / "src" / "reviewtui" / "examples"
CS_OPS_REVIEW = "2027-01-14_review_mei-chen_c3d4e5f6.toml"
# (employee, manager, competency levels, success story kept): more reviews on the CS operations
# rubric, so the view has several managers, a spread and a gap to show.
VARIANTS = [
    ("Ines Duarte", "Bo Li", 3, True),
    ("Omar Haddad", "Kwame Mensah", 5, True),
    ("Rita Moreau", "Kwame Mensah", 5, False),
    ("Tariq Aziz", "Bo Li", 2, True),
]


def _team(folder: Path) -> Path:
    """The example team plus four more CS operations reviews by two managers."""
    shutil.copytree(EXAMPLES, folder)
    review = load_session(EXAMPLES / CS_OPS_REVIEW)
    for number, (employee, manager, level, story) in enumerate(VARIANTS, start=1):
        participants = review.participants.model_copy(
            update={
                "employee": review.participants.employee.model_copy(update={"name": employee}),
                "manager": review.participants.manager.model_copy(update={"name": manager}),
            }
        )
        sign_offs = [
            SignOff(name=employee if s.role == "employee" else manager, role=s.role, at=s.at)
            for s in review.sign_offs
        ]
        variant = review.model_copy(
            update={
                "id": f"{number:x}" * 32,
                "participants": participants,
                "sign_offs": sign_offs,
                # Ratings changed after signing would contradict the signed score: these variants
                # stand for reviews signed before signed scores were kept.
                "signed_score": None,
                "competencies": [c.model_copy(update={"level": level}) for c in review.competencies],
                "examples": review.examples
                if story
                else [e for e in review.examples if e.kind != "success_story"],
            }
        )
        save_session(variant, folder)
    return folder


async def _open(pilot) -> TeamScreen:
    app = pilot.app
    await app.workers.wait_for_complete()
    app.push_screen(TeamScreen(app.sessions_dir, app.catalog))
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen


async def test_the_team_view_shows_the_report_and_esc_goes_back(tmp_path: Path) -> None:
    app = make_app(_team(tmp_path / "team"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert isinstance(screen, TeamScreen) and screen.report is not None
        assert screen.stats.files == 16 and screen.report.counts[2] == ("review", 7, 7)
        status = str(screen.query_one("#team-status", Static).render())
        assert "6 alignments (6 agreed), 3 check-ins (3 recorded), 7 reviews (7 signed)" in status
        scores = screen.query(DataTable).first()
        rows = [scores.get_row_at(index) for index in range(scores.row_count)]
        assert [row[0] for row in rows] == ["Bo Li", "Kwame Mensah", "All managers"]
        assert [row[1] for row in rows] == ["3", "2", "5"]
        gaps = screen.query(DataTable).last()
        assert gaps.get_row_at(0)[2] == "no client success story"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_reload_reads_the_folder_again_from_the_cache(tmp_path: Path) -> None:
    app = make_app(_team(tmp_path / "team"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await pilot.press("r")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.stats.files == 16 and screen.stats.parsed + screen.stats.cached == 16
        assert len(screen.query(".team-table")) == 2 * 3 + 1  # scores and levels per rubric, then gaps


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_team_view_snapshots(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    async def open_team(pilot) -> None:
        await _open(pilot)
        await steady(pilot)

    assert snap_compare(make_app(_team(tmp_path / "team")), terminal_size=size, run_before=open_team)


async def test_closing_the_view_before_the_report_is_ready_is_harmless(tmp_path: Path, monkeypatch) -> None:
    from reviewtui.ui import team

    release, shown = threading.Event(), []

    def slow_report(*args, **options):
        release.wait(10)  # still reading when Esc arrives
        return build_report(*args, **options)

    monkeypatch.setattr(team, "build_report", slow_report)
    original = TeamScreen._show

    def show(self, *args) -> None:
        shown.append(self.is_attached)
        original(self, *args)

    monkeypatch.setattr(TeamScreen, "_show", show)
    app = make_app(_team(tmp_path / "team"))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        app.push_screen(TeamScreen(app.sessions_dir, app.catalog))
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        release.set()
        await app.workers.wait_for_complete()
        for _ in range(50):  # the cancelled worker's thread still runs to its end
            await pilot.pause(0.02)
            if shown:
                break
        assert isinstance(app.screen, HomeScreen) and app.is_running
        assert shown == [False]  # the report arrived after the view had gone, and was dropped
