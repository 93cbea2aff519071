"""The home screen's start: records from file names on the first frame, details after it, from
the report's per-record cache on a second start; the catalog and the drafts off the first frame."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from factories import copy_example_team, csm_draft
from import_probe import modules_loaded_by
from pilot_helpers import make_app
from reviewtui.session.catalog import CatalogSource
from reviewtui.storage import discover_rubrics
from reviewtui.storage.drafts import save_draft
from reviewtui.storage.record_cache import (
    DETAILS,
    READ_AT,
    cache_path,
    load_cache,
    write_cache,
)
from reviewtui.ui.home import HomeScreen

ANA = "2027-01-12_review_ana-ruiz_a1b2c3d4.toml"
STATUSES = {"agreed", "recorded", "signed"}  # the example team's records


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def rows_of(screen) -> list[list[str]]:
    records = screen.query_one("#records", DataTable)
    return [[str(cell) for cell in records.get_row_at(index)] for index in range(records.row_count)]


def row_of(screen, file_name: str) -> list[str]:
    records = screen.query_one("#records", DataTable)
    return [str(cell) for cell in records.get_row(str(screen.sessions_dir / file_name))]


async def test_records_are_listed_from_names_before_the_catalog_and_the_details(tmp_path: Path) -> None:
    # The rubrics are slow to read (a network home folder): the list is there from file names,
    # the drafts, the rubric count and every record's status follow once they are read.
    own = tmp_path / "own"
    own.mkdir()
    save_draft(csm_draft(employee_name="Ana Ruiz"), own)
    team = copy_example_team(tmp_path / "team")
    gate = threading.Event()

    def read_rubrics():
        gate.wait(timeout=30)
        return discover_rubrics()

    source = CatalogSource(read_rubrics)
    app = make_app(own)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        home = HomeScreen(team, source)
        await app.push_screen(home)
        await pilot.pause()
        rows = rows_of(home)
        assert len(rows) == 12
        assert rows[0][:3] == ["mei-chen", "2027-01-14", "review"]  # newest first, by slug
        assert all(row[3] == "" and row[4] == "" for row in rows)  # no detail read yet
        assert source.loaded is None  # the catalog is not read on the first frame
        assert not home.query_one("#drafts", DataTable).display  # drafts need the models: later
        assert app.focused is home.query_one("#records", DataTable)
        gate.set()
        await settle(app, pilot)
        rows = rows_of(home)
        assert all(row[3] in STATUSES for row in rows), rows
        assert row_of(home, ANA)[0] in ("Ana Ruiz", "")  # full names, grouped by person
        drafts = home.query_one("#drafts", DataTable)
        assert drafts.display and drafts.row_count == 1
        assert app.focused is drafts  # as a start with the drafts at once would have it
    assert load_cache(cache_path(team))[1] == "loaded"  # the first start filled the cache


def _vouch_for_every_entry(sessions: Path, count: int = 12, **details: list[str]) -> None:
    """The cache rewritten as if read 10 s from now (past the racy window), some details changed."""
    entries, state = load_cache(cache_path(sessions))
    assert state == "loaded" and len(entries) == count
    for name, entry in entries.items():
        entry[READ_AT] = time.time_ns() + 10**10
        if name in details:
            entry[DETAILS] = details[name]
    write_cache(sessions, entries)


async def test_a_second_start_takes_the_details_from_the_cache_and_rereads_a_changed_record(
    tmp_path: Path,
) -> None:
    sessions = copy_example_team(tmp_path / "sessions")
    app = make_app(sessions)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert row_of(app.screen, ANA)[3:] == ["signed", "2026 H2"]
    cache = cache_path(sessions)
    assert cache.stat().st_mode & 0o777 == 0o600 and (cache.parent.stat().st_mode & 0o777) == 0o700
    # Only the cache can say so: a second start shows what it holds, without opening the record.
    _vouch_for_every_entry(sessions, **{ANA: ["Ana Ruiz", "signed", "From the cache"]})
    app = make_app(sessions)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert row_of(app.screen, ANA)[3:] == ["signed", "From the cache"]
    # The record changed on disk (another key: size, mtime, ctime): it is read again, and cached.
    path = sessions / ANA
    path.write_bytes(path.read_bytes() + b"# edited by hand\n")
    app = make_app(sessions)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert row_of(app.screen, ANA)[3:] == ["signed", "2026 H2"]
    assert load_cache(cache)[0][ANA][DETAILS] == ["Ana Ruiz", "signed", "2026 H2"]


@pytest.mark.parametrize("damage", ["garbage", "other version", "link", "oversized", "folder"])
async def test_a_damaged_linked_or_oversized_cache_is_ignored_and_rebuilt(
    tmp_path: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewtui.storage import record_cache

    sessions = copy_example_team(tmp_path / "sessions")
    cache = cache_path(sessions)
    cache.parent.mkdir(mode=0o700)
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    if damage == "garbage":
        cache.write_bytes(b'{"format": "reviewtui-report-cache"\n[[[')
    elif damage == "other version":
        cache.write_bytes(b'{"format": "reviewtui-report-cache", "version": 4}\n{}')
    elif damage == "link":
        cache.symlink_to(outside)
    elif damage == "oversized":
        cache.write_bytes(b" " * 200)
        monkeypatch.setattr(record_cache, "MAX_CACHE_BYTES", 100)  # a cache past its cap is not read
    else:
        cache.mkdir()
    app = make_app(sessions)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        rows = rows_of(app.screen)
        assert len(rows) == 12 and all(row[3] in STATUSES for row in rows), rows
        assert str(app.screen.query_one("#problems", Static).render()) == ""  # never an error
    if damage in ("garbage", "other version"):
        assert load_cache(cache)[1] == "loaded"  # rebuilt
    elif damage == "link":
        assert cache.is_symlink() and outside.read_text() == "{}"  # never written through
    elif damage == "folder":
        assert cache.is_dir()  # left alone


def test_importing_the_home_screen_loads_no_pydantic() -> None:
    # The first frame is painted before pydantic and the models load (they take about 0.2 s).
    code = "import reviewtui.ui.home, reviewtui.storage.record_cache, reviewtui.storage.record_names"
    heavy = (
        "pydantic",
        "pydantic_core",
        "reviewtui.models.base",
        "reviewtui.storage.drafts",
        "reviewtui.storage.records",
    )
    assert modules_loaded_by(code, heavy) == []


async def test_a_folder_longer_than_the_first_screenful_is_listed_whole_with_every_detail(
    tmp_path: Path,
) -> None:
    # A screenful of rows (at least MIN_FIRST_ROWS) is listed before the first frame, the rest right after it: on a
    # first start from the records, on a second from the cache; each row gets its own details.
    from factories import make_session
    from reviewtui.storage import save_session
    from reviewtui.ui.home import MIN_FIRST_ROWS

    count = MIN_FIRST_ROWS + 40  # past a screenful at the test's 80x24 and at 120x40
    for number in range(count):
        person = {"name": f"Person {number % 7}", "role": "Test specialist"}
        save_session(
            make_session(
                id=f"{number:08x}" + "0" * 24,
                participants={"employee": person, "manager": {"name": "Bo Li"}},
                period={
                    "label": f"Period {number}",
                    "start": dt.date(2026, 7, 1),
                    "end": dt.date(2026, 12, 31),
                },
            ),
            tmp_path,
        )
    for start in ("first", "second"):
        if start == "second":
            _vouch_for_every_entry(tmp_path, count=count)
        app = make_app(tmp_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            records = app.screen.query_one("#records", DataTable)
            assert records.row_count == count
            periods = {str(records.get_row_at(index)[4]) for index in range(count)}
            assert periods == {f"Period {number}" for number in range(count)}, start
            shown = [str(records.get_row_at(index)[0]) for index in range(count)]
            # Grouped: each person's name once, on the first of their rows.
            assert sorted(name for name in shown if name) == [f"Person {number}" for number in range(7)]


def _many_records(folder: Path, count: int) -> None:
    # Enough records that the home worker is still busy with them when the app's own catalog
    # read (started after the first frame) ends: before the fix, the drafts were then never listed.
    from factories import make_session
    from reviewtui.storage.records import record_filename, session_to_toml

    for number in range(count):
        session = make_session(
            id=f"{number:08x}" + "1" * 24,
            participants={
                "employee": {"name": f"Person {number % 9}", "role": "Test"},
                "manager": {"name": "Bo"},
            },
        )
        (folder / record_filename(session)).write_text(session_to_toml(session), encoding="utf-8")


@pytest.mark.parametrize("count", [0, 400])
async def test_drafts_and_rubric_problems_are_listed_whichever_thread_reads_the_rubrics_first(
    tmp_path: Path, minimal_rubric: Path, count: int
) -> None:
    sessions, rubrics = tmp_path / "sessions", tmp_path / "rubrics"
    sessions.mkdir()
    rubrics.mkdir()
    (rubrics / "bad.toml").write_text(minimal_rubric.read_text().replace("version = 1", "version = 0"))
    _many_records(sessions, count)
    save_draft(csm_draft(employee_name="Ana Ruiz"), sessions)
    from reviewtui.ui.app import ReviewApp

    # As the command line starts it: the app and home share one reader, read after the first frame.
    app = ReviewApp(sessions, lambda: discover_rubrics([rubrics]))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        home = app.screen
        drafts = home.query_one("#drafts", DataTable)
        assert drafts.display and drafts.row_count == 1
        assert str(drafts.get_row_at(0)[0]) == "Ana Ruiz"
        assert "bad.toml" in str(home.query_one("#problems", Static).render())
        assert app.focused is drafts


async def test_enter_on_the_first_frame_resumes_the_draft_though_the_models_are_still_loading(
    tmp_path: Path,
) -> None:
    sessions = copy_example_team(tmp_path / "team")
    draft = csm_draft(employee_name="Ana Ruiz")
    save_draft(draft, sessions)
    gate = threading.Event()

    def read_rubrics():
        gate.wait(timeout=30)
        return discover_rubrics()

    from reviewtui.ui.app import ReviewApp

    app = ReviewApp(sessions, CatalogSource(read_rubrics))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        drafts = app.screen.query_one("#drafts", DataTable)
        assert drafts.display and list(drafts.rows) == [draft.id]  # from its file name
        assert app.focused is drafts
        threading.Timer(0.3, gate.set).start()  # the rubrics arrive while Enter waits for them
        await pilot.press("enter")
        for _ in range(100):  # the step loop runs for the session's life: wait for its screen
            if app.draft is not None and type(app.screen).__name__.endswith("Step"):
                break
            await pilot.pause(0.05)
        assert app.draft is not None and app.draft.id == draft.id
        assert type(app.screen).__name__.endswith("Step")
