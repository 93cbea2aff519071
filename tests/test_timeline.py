"""An employee's timeline: alignment → check-ins → review, with figures that match the records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable

from pilot_helpers import make_app, steady
from reviewtui.storage import discover_rubrics, list_record_names, load_session
from reviewtui.team.timeline import timeline
from reviewtui.ui.timeline import TimelineScreen

ROOT = Path(__file__).parent.parent


def test_ana_ruizs_chain_reads_in_order_with_its_key_figures() -> None:
    records = [
        (n.path, load_session(n.path)) for n in list_record_names(ROOT / "src" / "reviewtui" / "examples")
    ]
    mine = [(path, s) for path, s in records if s.participants.employee.name == "Ana Ruiz"]
    rubrics = {rubric_id: source.rubric for rubric_id, source in discover_rubrics().by_id.items()}
    rows = timeline(mine, rubrics)
    assert [(row.date, row.kind, row.status) for row in rows] == [
        ("2026-07-02", "alignment", "agreed"),
        ("2026-09-03", "check-in", "recorded"),
        ("2026-11-05", "check-in", "recorded"),
        ("2027-01-12", "review", "signed"),
    ]
    assert rows[0].figures.startswith("6 metrics agreed: Gross revenue retention (book) 30%")
    # The second check-in holds both check-ins' figures and the one target change so far; its
    # running totals (saves, expansion revenue) are read against their targets pro-rated to November.
    assert rows[1].figures == "2 on track, 4 off track; 0 target/weight change(s) so far; 2 open action(s)"
    assert rows[2].figures == "5 on track, 1 off track; 1 target/weight change(s) so far; 2 open action(s)"
    assert rows[3].figures.startswith("score ")


async def test_t_on_home_opens_the_highlighted_employees_timeline(tmp_path: Path) -> None:
    for path in (ROOT / "src" / "reviewtui" / "examples").glob("*mei-chen*.toml"):
        shutil.copy(path, tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        table = app.screen.query_one(DataTable)
        assert [table.get_row_at(i)[1] for i in range(table.row_count)] == ["alignment", "check-in", "review"]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("screen", ["timeline", "evidence"])
def test_timeline_and_evidence_snapshots(
    snap_compare, tmp_path: Path, screen: str, size: tuple[int, int]
) -> None:
    for path in (ROOT / "src" / "reviewtui" / "examples").glob("*ana-ruiz*.toml"):
        shutil.copy(path, tmp_path)

    async def open_screen(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("t" if screen == "timeline" else "l")
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=open_screen)
