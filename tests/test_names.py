"""Employees are people, not slugs: records, logs and feedback files are matched by the name inside."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import DataTable, OptionList

import test_git_archive as shared
from factories import CREATED, make_session
from pilot_helpers import make_app
from reviewtui.cli import main
from reviewtui.models.evidence import EvidenceEntry, EvidenceLog
from reviewtui.names import person_key, same_person
from reviewtui.storage import save_session, slug
from reviewtui.storage.archiving import archive_records
from reviewtui.storage.evidence import append_entry, load_evidence, log_path, read_log, resolve_employee
from reviewtui.storage.feedback_import import feedback_path, import_feedback, load_feedback
from reviewtui.storage.records import RECORD_NAME, inside, records_of
from reviewtui.ui.timeline import TimelineScreen

ROOT = Path(__file__).parent.parent
PEOPLE = ("王芳", "李娜", "Zoë Smith", "Zoe Smith")


def entry(text: str, number: int = 0) -> EvidenceEntry:
    return EvidenceEntry(
        id=f"{number:012x}",
        logged_at=dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC),
        happened_on=dt.date(2026, 9, 1),
        text=text,
    )


def record_for(name: str, number: int, *, day: int = 1, legacy_name: bool = False, folder: Path) -> Path:
    """An agreed plan for `name`; `legacy_name` saves it under the slug older versions gave (`employee`)."""
    when = CREATED.replace(day=day)
    session = make_session(
        id=f"{number:x}" * 32,
        created_at=when,
        updated_at=when,
        participants={"employee": {"name": name, "role": "CSM"}, "manager": {"name": "Bo Li"}},
    )
    path = save_session(session, folder)
    if legacy_name:
        old = path.with_name(f"{when:%Y-%m-%d}_alignment_employee_{session.id[:8]}.toml")
        path.rename(old)
        return old
    return path


# Matching names --------------------------------------------------------------------------


def test_one_person_however_the_name_is_typed() -> None:
    composed, decomposed = "Zo\u00eb Smith", "Zoe\u0308 Smith"
    assert same_person(composed, decomposed)  # NFC and NFD
    assert same_person("Ana Ruiz", "  ana   RUIZ ")
    assert same_person("Ana Ruiz", "ＡＮＡ\u3000ＲＵＩＺ")  # full-width letters and an ideographic space
    assert same_person("Strauß", "STRAUSS")  # case folding, not lower()
    assert person_key("王芳") == "王芳"


def test_different_people_stay_apart_even_with_one_slug() -> None:
    assert slug("Zoë Smith") == slug("Zoe Smith") == "zoe-smith"
    assert not same_person("Zoë Smith", "Zoe Smith")
    assert not same_person("王芳", "李娜")


# Slugs -----------------------------------------------------------------------------------


def test_slugs_are_readable_in_any_script() -> None:
    assert slug("王芳") == "wang-fang"
    assert slug("李娜") == "li-nuo"
    assert slug("Zoë Smith") == "zoe-smith"


@given(st.text(max_size=300))
def test_any_name_slugs_to_a_short_safe_file_name_part(name: str) -> None:
    text = slug(name)
    assert 1 <= len(text) <= 40
    file_name = f"2026-07-01_alignment_{text}_01234567.toml"
    assert RECORD_NAME.match(file_name)  # the home screen lists it
    folder = Path("/nonexistent-folder")
    assert inside(folder, file_name).parent == folder


# Evidence logs and feedback files --------------------------------------------------------


def test_two_people_with_one_old_slug_get_their_own_logs(tmp_path: Path) -> None:
    first = append_entry(tmp_path, "王芳", entry("Renewed Acme"))
    second = append_entry(tmp_path, "李娜", entry("Saved Globex", 1))
    assert (first.name, second.name) == ("evidence_wang-fang.toml", "evidence_li-nuo.toml")
    assert [e.text for e in read_log(tmp_path, "王芳").entries] == ["Renewed Acme"]
    assert [e.text for e in read_log(tmp_path, "李娜").entries] == ["Saved Globex"]


def test_two_people_with_one_slug_never_share_a_log(tmp_path: Path) -> None:
    zoe_accent = append_entry(tmp_path, "Zoë Smith", entry("first"))
    zoe_plain = append_entry(tmp_path, "Zoe Smith", entry("second", 1))
    again = append_entry(tmp_path, "zoë  SMITH", entry("third", 2))  # the same Zoë, typed loosely
    assert zoe_accent.name == again.name == "evidence_zoe-smith.toml"
    assert zoe_plain.name == "evidence_zoe-smith_2.toml"
    accent_log = load_evidence(zoe_accent)
    assert accent_log.employee == "Zoë Smith"  # as first written, not as typed later
    assert [e.text for e in accent_log.entries] == ["first", "third"]
    assert [e.text for e in load_evidence(zoe_plain).entries] == ["second"]


def _write_log(path: Path, employee: str, text: str) -> None:
    log = EvidenceLog(employee=employee, entries=[entry(text)])
    data = log.model_dump(mode="python", exclude_defaults=True)
    from reviewtui.storage.tomlfile import dumps_toml

    path.write_text(dumps_toml({"schema_version": 1, "kind": "evidence-log", **data}))


def test_a_log_saved_under_the_old_slug_is_still_found_and_only_by_its_person(tmp_path: Path) -> None:
    # Older versions saved every non-Latin name's log as evidence_employee.toml.
    old = tmp_path / "evidence_employee.toml"
    _write_log(old, "王芳", "Renewed Acme")
    assert log_path(tmp_path, "王芳") == old.resolve()
    assert append_entry(tmp_path, "王芳", entry("Expanded Acme", 1)) == old.resolve()
    assert [e.text for e in load_evidence(old).entries] == ["Renewed Acme", "Expanded Acme"]
    assert read_log(tmp_path, "李娜").entries == []
    assert append_entry(tmp_path, "李娜", entry("Saved Globex", 2)).name == "evidence_li-nuo.toml"
    assert [e.text for e in load_evidence(old).entries] == ["Renewed Acme", "Expanded Acme"]


def test_a_log_renamed_by_hand_is_found_by_the_name_inside(tmp_path: Path) -> None:
    moved = tmp_path / "evidence_ana.toml"
    _write_log(moved, "Ana Ruiz", "Renewed Acme")
    (tmp_path / "evidence_broken.toml").write_text("not = [toml")  # someone else's, unreadable: passed over
    assert log_path(tmp_path, "Ana Ruiz") == moved.resolve()


def test_first_entries_for_two_people_with_one_slug_at_once_land_apart(tmp_path: Path) -> None:
    for round_number in range(8):
        folder = tmp_path / f"round-{round_number}"
        start = threading.Barrier(2)

        def first_entry(
            name: str, number: int, folder: Path = folder, start: threading.Barrier = start
        ) -> None:
            start.wait()
            append_entry(folder, name, entry(name, number))

        threads = [
            threading.Thread(target=first_entry, args=(name, number))
            for number, name in enumerate(("Zoë Smith", "Zoe Smith"))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for name in ("Zoë Smith", "Zoe Smith"):
            log = read_log(folder, name)
            assert log.employee == name
            assert [e.text for e in log.entries] == [name]


def test_feedback_for_two_people_with_one_slug_goes_to_two_files(tmp_path: Path) -> None:
    export = tmp_path / "survey.csv"
    export.write_text("date,company,rating,comment\n2026-09-01,Acme,9,Great onboarding\n")
    sessions = tmp_path / "sessions"
    first = import_feedback(sessions, "Zoë Smith", export, scale="nps", source="survey", mapping={})
    second = import_feedback(sessions, "Zoe Smith", export, scale="nps", source="survey", mapping={})
    assert first.path is not None and second.path is not None
    assert (first.path.name, second.path.name) == ("feedback_zoe-smith.toml", "feedback_zoe-smith_2.toml")
    assert load_feedback(second.path).employee == "Zoe Smith"
    assert feedback_path(sessions, "ZOË SMITH") == first.path
    assert len(second.added) == 1  # not counted as a duplicate of Zoë's response


# The command line --------------------------------------------------------------------------


def test_the_log_command_finds_a_non_latin_name_and_writes_its_own_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for number, name in enumerate(PEOPLE, start=1):
        record_for(name, number, legacy_name=name in ("王芳", "李娜"), folder=tmp_path)
    assert resolve_employee(tmp_path, "李娜") == "李娜"
    assert resolve_employee(tmp_path, " zoe   smith") == "Zoe Smith"
    assert main(["log", "Renewed Acme", "--employee", "王芳", "--sessions", str(tmp_path)]) == 0
    assert "logged for 王芳" in capsys.readouterr().out
    assert main(["log", "Saved Globex", "--employee", "李娜", "--sessions", str(tmp_path)]) == 0
    assert [e.text for e in load_evidence(tmp_path / "evidence_wang-fang.toml").entries] == ["Renewed Acme"]
    assert [e.text for e in load_evidence(tmp_path / "evidence_li-nuo.toml").entries] == ["Saved Globex"]


def test_the_example_teams_files_keep_their_names(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    shutil.copytree(ROOT / "src" / "reviewtui" / "examples", sessions)
    assert log_path(sessions, "Ana Ruiz") == (sessions / "evidence_ana-ruiz.toml").resolve()
    assert len(read_log(sessions, "ana ruiz").entries) > 0
    assert [path.name for path, _ in records_of(sessions, "Mei Chen")] == [
        "2027-01-14_review_mei-chen_c3d4e5f6.toml",
        "2026-10-08_check-in_mei-chen_f3a4b5c6.toml",
        "2026-07-06_alignment_mei-chen_9531985d.toml",
    ]


# The app -----------------------------------------------------------------------------------


async def _settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_home_shows_two_people_who_shared_a_slug_as_two(tmp_path: Path) -> None:
    record_for("王芳", 1, day=4, legacy_name=True, folder=tmp_path)
    record_for("李娜", 2, day=3, legacy_name=True, folder=tmp_path)
    record_for("王芳", 3, day=2, legacy_name=True, folder=tmp_path)
    record_for("Zoë Smith", 4, day=1, folder=tmp_path)
    record_for("Zoe Smith", 5, day=1, folder=tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        records = app.screen.query_one("#records", DataTable)
        rows = [records.get_row_at(index)[:3] for index in range(records.row_count)]
    assert rows == [
        ["王芳", "2026-07-04", "alignment"],
        ["", "2026-07-02", "alignment"],
        ["李娜", "2026-07-03", "alignment"],
        ["Zoe Smith", "2026-07-01", "alignment"],  # same day: the later file name first
        ["Zoë Smith", "2026-07-01", "alignment"],
    ]


async def test_one_person_typed_two_ways_is_one_group_on_home(tmp_path: Path) -> None:
    record_for("Ana Ruiz", 1, day=3, folder=tmp_path)
    record_for("Mei Chen", 2, day=2, folder=tmp_path)
    record_for("ana  ruiz", 3, day=1, folder=tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        records = app.screen.query_one("#records", DataTable)
        rows = [records.get_row_at(index)[:2] for index in range(records.row_count)]
    assert rows == [["Ana Ruiz", "2026-07-03"], ["", "2026-07-01"], ["Mei Chen", "2026-07-02"]]


async def test_the_timeline_of_one_of_two_people_with_one_slug_shows_only_theirs(tmp_path: Path) -> None:
    record_for("李娜", 1, day=3, legacy_name=True, folder=tmp_path)
    record_for("王芳", 2, day=2, legacy_name=True, folder=tmp_path)
    record_for("王芳", 3, day=1, legacy_name=True, folder=tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        await pilot.press("down", "t")  # the row below 李娜's: 王芳's newest
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        shown = app.export_screenshot().replace("&#160;", " ")
    assert "王芳" in shown and "李娜" not in shown
    assert "2026-07-02" in shown and "2026-07-01" in shown and "2026-07-03" not in shown


async def test_the_check_in_picker_offers_each_person_once(tmp_path: Path) -> None:
    record_for("王芳", 1, day=3, legacy_name=True, folder=tmp_path)
    record_for("李娜", 2, day=2, legacy_name=True, folder=tmp_path)
    record_for("Zoë Smith", 3, day=2, folder=tmp_path)
    record_for("zoë smith", 4, day=1, folder=tmp_path)  # an older plan of the same Zoë
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    assert len(prompts) == 3
    assert [sum(name in prompt for prompt in prompts) for name in ("王芳", "李娜", "Zoë Smith")] == [1, 1, 1]


# History in git ----------------------------------------------------------------------------

repo = shared.repo
git_env = shared.git_env


def test_history_keeps_two_people_with_one_slug_apart(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sessions = repo / "sessions"
    record_for("Zoë Smith", 1, day=2, folder=sessions)
    record_for("Zoe Smith", 2, day=3, folder=sessions)
    record_for("王芳", 3, day=4, legacy_name=True, folder=sessions)
    record_for("李娜", 4, day=5, legacy_name=True, folder=sessions)
    archive_records(sessions)
    for typed, name in (("zoë smith", "Zoë Smith"), ("ZOE  SMITH", "Zoe Smith"), ("李娜", "李娜")):
        capsys.readouterr()
        assert main(["history", typed, "--sessions", str(sessions)]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0] == f"{name}, from 1 commit in git:"
        events = [line for line in lines[1:] if not line.startswith(" ")]
        assert len(events) == 1 and "plan agreed" in events[0]  # their own plan, not the other's too
