"""`reviewtui report`: calibration on a folder with a known distribution, its outputs, and its cache."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import CREATED, make_session, metric
from reviewtui.cli import main
from reviewtui.storage import discover_rubrics, save_session, session_to_toml
from reviewtui.storage.fast_records import _Declined, parse
from reviewtui.storage.report_cache import CACHE_DIRNAME, CACHE_VERSION, build_report, cache_path, collect
from reviewtui.team.calibration import calibrate
from reviewtui.team.report_text import render_csv, render_markdown, render_table
from strategies import sessions as session_strategy

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parent.parent / "src" / "reviewtui" / "examples"
NS = 10**9
# Entries read "now" count as racy for 2 s (as in git); a clock 10 s ahead lets a test trust them.
AHEAD = lambda: time.time_ns() + 10 * NS  # noqa: E731

# (manager, metric level, competency level); None = no actual / no rating.
KNOWN = [
    *[("Bo Li", 3, 3)] * 5,
    ("Bo Li", 4, 3),
    ("Hana Sato", 5, 5),
    ("Hana Sato", 5, 4),
    ("Hana Sato", 4, 5),
    ("Kwame Mensah", 1, 1),
    ("Kwame Mensah", 3, 3),
    ("Kwame Mensah", None, None),
]
# With target 100 and thresholds 90/95/100/105, these actuals give levels 1 to 5.
ACTUAL_FOR = {1: "88", 2: "92", 3: "97", 4: "101", 5: "106"}


def _rubrics(folder: Path) -> tuple[Path, str]:
    """The test rubric, and a second one ("other-role") made from it, in their own folder."""
    folder.mkdir()
    text = (DATA / "rubric_minimal.toml").read_text(encoding="utf-8")
    (folder / "test-role.toml").write_text(text, encoding="utf-8")
    other = text.replace('id = "test-role"', 'id = "other-role"').replace(
        'title = "Test role"', 'title = "Other role"'
    )
    (folder / "other-role.toml").write_text(other, encoding="utf-8")
    return folder, hashlib.sha256(text.encode()).hexdigest()


def _review(number: int, manager: str, level: int | None, rating: int | None, sha: str, **changes):
    actuals = [] if level is None else [{"value": Decimal(ACTUAL_FOR[level]), "as_of": dt.date(2026, 12, 31)}]
    data = {
        "id": f"{number:032x}",
        "kind": "review",
        "status": "signed",
        "created_at": CREATED + dt.timedelta(days=number),
        "updated_at": CREATED + dt.timedelta(days=number, hours=1),
        "rubric": {"id": "test-role", "version": 1, "sha256": sha},
        "participants": {
            "employee": {"name": f"Employee {number}", "role": "Tester"},
            "manager": {"name": manager},
        },
        "metrics": [metric(target=Decimal(100), actuals=actuals, evidence="CRM renewal report")],
        "competencies": []
        if rating is None
        else [{"competency": "collaboration", "level": rating, "evidence": "QBRs"}],
        "examples": [{"kind": "success_story", "title": "Acme renewed", "text": "Saved at renewal."}],
        "sign_offs": [
            {"name": f"Employee {number}", "role": "employee", "at": CREATED + dt.timedelta(days=number)},
            {"name": manager, "role": "manager", "at": CREATED + dt.timedelta(days=number, hours=1)},
        ],
    }
    data.update(changes)
    return make_session(**data)


@pytest.fixture
def team(tmp_path: Path) -> tuple[Path, Path]:
    """A sessions folder with KNOWN's signed reviews and a few records of every other sort."""
    rubric_dir, sha = _rubrics(tmp_path / "rubrics")
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    for number, (manager, level, rating) in enumerate(KNOWN, start=1):
        changes = {}
        if number == 2:  # a result without evidence
            changes["metrics"] = [
                metric(
                    target=Decimal(100), actuals=[{"value": Decimal("97"), "as_of": dt.date(2026, 12, 31)}]
                )
            ]
        if number == 8:  # no client success story
            changes["examples"] = []
        if number == 9:  # made with an earlier version of the rubric file
            changes["rubric"] = {"id": "test-role", "version": 1, "sha256": "a" * 64}
        folder = sessions / "team-hana" if manager == "Hana Sato" else sessions
        folder.mkdir(exist_ok=True)
        save_session(_review(number, manager, level, rating, sha, **changes), folder)
    other_sha = hashlib.sha256((rubric_dir / "other-role.toml").read_bytes()).hexdigest()
    save_session(
        _review(20, "Bo Li", 4, 4, other_sha, rubric={"id": "other-role", "version": 1, "sha256": other_sha}),
        sessions,
    )
    save_session(
        _review(21, "Bo Li", 4, 4, sha, rubric={"id": "ghost-role", "version": 1, "sha256": sha}), sessions
    )
    save_session(make_session(id="a" * 32), sessions)  # an agreed alignment
    save_session(_review(22, "Bo Li", 5, 5, sha, status="draft", sign_offs=[]), sessions)
    # A record that does not fit its rubric, and one that is not TOML at all.
    save_session(
        _review(23, "Bo Li", 3, 3, sha, competencies=[{"competency": "charm", "level": 3, "evidence": "x"}]),
        sessions,
    )
    (sessions / "2027-01-01_review_broken_deadbeef.toml").write_text('id = "unterminated\n', encoding="utf-8")
    # Not records, or in folders a report skips.
    (sessions / "notes.toml").write_text("x = 1\n", encoding="utf-8")
    for skipped in (".drafts", "exports", ".git"):
        (sessions / skipped).mkdir()
        save_session(_review(30, "Bo Li", 1, 1, sha), sessions / skipped)
    return sessions, rubric_dir


def _report(sessions: Path, rubric_dir: Path, **options):
    return build_report(sessions, discover_rubrics([rubric_dir]), **options)


def test_known_distribution(team) -> None:
    report, stats = _report(*team)
    assert stats.files == 18 and stats.parsed == 18 and stats.unreadable == 2
    assert report.counts == (("alignment", 1, 1), ("check-in", 0, 0), ("review", 15, 14))
    assert [reason.split(":")[0] for _, reason in report.unreadable] == [
        "2026-07-24_review_employee-23_00000000.toml",
        "2027-01-01_review_broken_deadbeef.toml",
    ]
    assert "does not fit rubric `test-role`" in report.unreadable[0][1]
    assert report.unknown_rubric == (("2026-07-22_review_employee-21_00000000.toml", "ghost-role"),)
    assert [r.rubric_id for r in report.rubrics] == ["other-role", "test-role"]

    rubric = report.rubrics[1]
    assert rubric.reviews == 12 and rubric.changed_rubric == 1
    bo, hana, kwame = rubric.managers
    assert (bo.manager, bo.scores, bo.mean, bo.minimum, bo.maximum) == (
        "Bo Li",
        (*[Decimal("3.00")] * 5, Decimal("3.70")),
        Decimal("3.12"),
        Decimal("3.00"),
        Decimal("3.70"),
    )
    assert hana.scores == (Decimal("4.30"), Decimal("4.70"), Decimal("5.00")) and hana.mean == Decimal("4.67")
    assert (kwame.scores, kwame.unscored, kwame.mean) == (
        (Decimal("1.00"), Decimal("3.00")),
        1,
        Decimal("2.00"),
    )
    assert rubric.overall.mean == Decimal("3.34") and rubric.sd == Decimal("1.04")

    (retention,) = rubric.metrics
    (collaboration,) = rubric.competencies
    assert retention.overall == (1, 0, 6, 2, 2, 1)
    assert dict(retention.by_manager) == {
        "Bo Li": (0, 0, 5, 1, 0, 0),
        "Hana Sato": (0, 0, 0, 1, 2, 0),
        "Kwame Mensah": (1, 0, 1, 0, 0, 1),
    }
    assert collaboration.overall == (1, 0, 7, 1, 2, 1)

    assert [(o.rule, o.text) for o in rubric.outliers] == [
        ("manager_mean", "Hana Sato's mean 4.67 over 3 reviews is 1.3 sd above the mean 3.34 (sd 1.04)"),
        ("manager_mean", "Kwame Mensah's mean 2.00 over 2 reviews is 1.3 sd below the mean 3.34 (sd 1.04)"),
        (
            "review",
            "2026-07-11_review_employee-10_00000000.toml (Kwame Mensah): 1.00 is 2.3 sd below the mean 3.34",
        ),
        ("one_level", "Bo Li gave Gross retention 3 Meeting in 5 of 6 ratings (83%)"),
        ("one_level", "Bo Li gave Cross-functional collaboration 3 Meeting in 6 of 6 ratings (100%)"),
    ]
    assert [(g.path, g.manager, g.text) for g in report.gaps] == [
        ("2026-07-03_review_employee-2_00000000.toml", "Bo Li", "no evidence for Gross retention"),
        ("team-hana/2026-07-09_review_employee-8_00000000.toml", "Hana Sato", "no client success story"),
    ]
    other = report.rubrics[0]
    assert other.reviews == 1 and other.sd is None and other.outliers == ()


def test_an_empty_folder_gives_an_empty_report() -> None:
    report = calibrate([], {})
    assert report.rubrics == () and report.counts == (
        ("alignment", 0, 0),
        ("check-in", 0, 0),
        ("review", 0, 0),
    )


def test_outputs(team) -> None:
    report, _ = _report(*team)
    table = render_table(report)
    assert "== Test role (test-role) ==" in table
    assert "  Hana Sato       3   4.67   4.30   5.00  4.30 4.70 5.00" in table
    assert "  Kwame Mensah    2   2.00   1.00   3.00  1.00 3.00 -" in table
    assert all(len(line) <= 80 for line in table.splitlines()), table
    assert "Records that could not be read (2)" in table

    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert list(rows[0]) == ["rubric", "kind", "item", "manager", "level", "value"]
    kwame = {
        r["level"]: r["value"]
        for r in rows
        if r["item"] == "gross_retention" and r["manager"] == "Kwame Mensah"
    }
    assert kwame == {"1": "1", "2": "0", "3": "1", "4": "0", "5": "0", "not_scored": "1"}
    scores = [r for r in rows if r["kind"] == "score" and r["rubric"] == "test-role"]
    assert len(scores) == 12 and sum(1 for r in scores if r["value"] == "") == 1
    assert sum(Decimal(r["value"]) for r in scores if r["value"]) == Decimal("36.70")

    markdown = render_markdown(report)
    assert "## Test role (`test-role`)" in markdown and "## Other role (`other-role`)" in markdown
    assert "| Hana Sato | 3 | 4.67 | 4.30 | 5.00 | 4.30, 4.70, 5.00 |" in markdown
    assert (
        "- `team-hana/2026-07-09_review_employee-8_00000000.toml` (Hana Sato): no client success story"
        in markdown
    )


def test_command(team, tmp_path: Path, capsys) -> None:
    sessions, rubric_dir = team
    code = main(["--rubrics", str(rubric_dir), "report", "--sessions", str(sessions)])
    out, err = capsys.readouterr()
    assert code == 1  # some records could not be read; they are listed
    assert out.startswith("Calibration report\n") and "18 record file(s)" in err
    # The note counts what was read and what was not; before, it said "18 read" beside the list.
    assert re.search(r"18 record file\(s\) under \S+: 16 read, 2 could not be read\n", err), err
    target = tmp_path / "out" / "report.csv"
    code = main(
        [
            "--rubrics",
            str(rubric_dir),
            "report",
            "--sessions",
            str(sessions),
            "--format",
            "csv",
            "--output",
            str(target),
        ]
    )
    assert code == 1 and target.read_text().startswith("rubric,kind,item,manager,level,value\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert main(["report", "--sessions", str(tmp_path / "nowhere")]) == 1
    assert "there is no sessions folder" in capsys.readouterr().err


def test_example_team_reads_whole(tmp_path: Path, capsys) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "sessions")
    assert main(["report", "--sessions", str(tmp_path / "sessions"), "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert "6 alignments (6 agreed), 3 check-ins (3 recorded), 3 reviews (3 signed); all could be read" in out


# The cache ---------------------------------------------------------------------------------


def test_a_warm_report_reads_no_file_and_writes_nothing(team) -> None:
    sessions, rubric_dir = team
    cold, first = _report(sessions, rubric_dir, clock=AHEAD)
    assert first.written and first.cache == "absent"
    before = cache_path(sessions).stat().st_mtime_ns
    warm, second = _report(sessions, rubric_dir, clock=AHEAD)
    assert (second.parsed, second.cached, second.written, second.cache) == (0, 18, False, "loaded")
    assert warm == cold and cache_path(sessions).stat().st_mtime_ns == before


def test_the_cache_is_private_and_out_of_git(team) -> None:
    sessions, rubric_dir = team
    _report(sessions, rubric_dir)
    folder = sessions / CACHE_DIRNAME
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(cache_path(sessions).stat().st_mode) == 0o600
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"


def test_a_file_changed_within_two_seconds_of_its_reading_is_read_again(team) -> None:
    sessions, rubric_dir = team
    _report(sessions, rubric_dir)  # the files were written just now: racy, as git calls it
    _, stats = _report(sessions, rubric_dir)
    assert stats.parsed == 18 and stats.written
    _, stats = _report(sessions, rubric_dir, clock=AHEAD)
    _, stats = _report(sessions, rubric_dir, clock=AHEAD)
    assert stats.parsed == 0


def _level_path(sessions: Path) -> Path:
    return next(sessions.glob("2026-07-02_review_employee-1_*.toml"))


@pytest.mark.parametrize("how", ["in place", "replaced"])
def test_a_record_changed_with_the_same_size_and_mtime_is_read_again(team, how: str) -> None:
    sessions, rubric_dir = team
    _report(sessions, rubric_dir, clock=AHEAD)
    path = _level_path(sessions)
    before = path.stat()
    text = path.read_text(encoding="utf-8").replace("level = 3", "level = 4")
    time.sleep(0.02)  # ctime moves on at the file system's tick
    if how == "in place":
        with open(path, "r+", encoding="utf-8") as handle:
            handle.write(text)
    else:
        temp = path.with_name(".swap.tmp")
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    report, stats = _report(sessions, rubric_dir, clock=AHEAD)
    assert stats.parsed == 1 and stats.cached == 17
    collaboration = report.rubrics[1].competencies[0]
    assert collaboration.overall == (1, 0, 6, 2, 2, 1)  # one 3 became a 4


def test_deleted_and_added_records_leave_and_join(team) -> None:
    sessions, rubric_dir = team
    _report(sessions, rubric_dir, clock=AHEAD)
    _level_path(sessions).unlink()
    report, stats = _report(sessions, rubric_dir, clock=AHEAD)
    assert (stats.files, stats.parsed, stats.removed, stats.written) == (17, 0, 1, True)
    assert report.rubrics[1].reviews == 11
    assert "2026-07-02_review_employee-1_00000000.toml" not in json.loads(
        cache_path(sessions).read_bytes().partition(b"\n")[2]
    )
    (sessions / "team-new").mkdir()
    sha = hashlib.sha256((rubric_dir / "test-role.toml").read_bytes()).hexdigest()
    save_session(_review(40, "Ola Nordmann", 2, 2, sha), sessions / "team-new")
    report, stats = _report(sessions, rubric_dir, clock=AHEAD)
    assert (stats.files, stats.parsed, stats.cached) == (18, 1, 17)
    assert "Ola Nordmann" in [m.manager for m in report.rubrics[1].managers]


@pytest.mark.parametrize(
    ("damage", "state"),
    [
        (lambda raw: b"not json at all", "damaged"),
        (lambda raw: raw[: len(raw) // 2], "damaged"),
        (lambda raw: raw.replace(b'"Bo Li"', b'"Bo Lu"'), "damaged"),  # the body no longer matches its hash
        (
            lambda raw: raw.replace(f'"version": {CACHE_VERSION}'.encode(), b'"version": 99', 1),
            "other version",
        ),
        (lambda raw: b"\xff\xfe" + raw, "damaged"),
    ],
)
def test_a_damaged_or_foreign_cache_is_ignored_and_rebuilt(team, damage, state: str) -> None:
    sessions, rubric_dir = team
    cold, _ = _report(sessions, rubric_dir, clock=AHEAD)
    path = cache_path(sessions)
    path.write_bytes(damage(path.read_bytes()))
    report, stats = _report(sessions, rubric_dir, clock=AHEAD)
    assert (stats.cache, stats.parsed, stats.written) == (state, 18, True)
    assert report == cold
    _, stats = _report(sessions, rubric_dir, clock=AHEAD)
    assert stats.cache == "loaded" and stats.parsed == 0


def test_a_malformed_entry_with_a_valid_hash_is_read_again(team) -> None:
    sessions, rubric_dir = team
    cold, _ = _report(sessions, rubric_dir, clock=AHEAD)
    path = cache_path(sessions)
    header, _, body = path.read_bytes().partition(b"\n")
    entries = json.loads(body)
    name = "2026-07-02_review_employee-1_00000000.toml"
    entries[name][7][8] = [["gross_retention", "Gross retention", "three"]]  # a level that is not a number
    body = json.dumps(entries).encode()
    header = json.dumps({**json.loads(header), "sha256": hashlib.sha256(body).hexdigest()}).encode()
    path.write_bytes(header + b"\n" + body)
    report, stats = _report(sessions, rubric_dir, clock=AHEAD)
    assert (stats.parsed, stats.cached) == (1, 17) and report == cold


def test_a_changed_rubric_rereads_the_records_made_on_it(team) -> None:
    sessions, rubric_dir = team
    _report(sessions, rubric_dir, clock=AHEAD)
    rubric = rubric_dir / "other-role.toml"
    rubric.write_text(rubric.read_text().replace('label = "Meeting"', 'label = "Meets"'))
    report, stats = _report(sessions, rubric_dir, clock=AHEAD)
    assert stats.parsed == 1  # the one review on other-role
    assert report.rubrics[0].scale[2] == (3, "Meets") and report.rubrics[0].changed_rubric == 1
    rubric.unlink()
    report, stats = _report(sessions, rubric_dir, clock=AHEAD)
    assert stats.parsed == 1 and len(report.unknown_rubric) == 2


def test_a_cache_that_cannot_be_written_is_said_not_fatal(team) -> None:
    sessions, rubric_dir = team
    (sessions / CACHE_DIRNAME).write_text("a file where the folder should be")
    report, stats = _report(sessions, rubric_dir)
    assert stats.write_error and not stats.written and report.rubrics


def test_many_files_are_read_by_worker_processes_with_the_same_result(team) -> None:
    sessions, rubric_dir = team
    catalog = discover_rubrics([rubric_dir])
    source = next(sessions.glob("2026-07-07_review_*.toml"))
    for number in range(1, 261):  # past the pool's threshold
        shutil.copy(source, sessions / source.name.replace("_00000000", f"_{number:08x}"))
    if threading.active_count() > 1:
        pytest.skip("workers are forked only from a process running one thread")
    pooled = collect(sessions, catalog, use_cache=False, workers=2)
    alone = collect(sessions, catalog, use_cache=False, workers=1)
    assert pooled.stats.workers == 2 and alone.stats.workers == 0
    assert pooled.summaries == alone.summaries and pooled.unreadable == alone.unreadable


_TEMPLATES: dict[str, str] = {}


def _templates(sha: str) -> dict[str, str]:
    if not _TEMPLATES:
        for number, (manager, level, rating) in enumerate(KNOWN, start=1):
            session = _review(number, manager, level, rating, sha)
            _TEMPLATES[f"2026-07-{number:02d}_review_e-{number}_{number:08x}.toml"] = session_to_toml(session)
    return _TEMPLATES


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(["delete", "restore", "edit"]), st.integers(0, len(KNOWN) - 1)), max_size=8
    )
)
def test_the_cached_report_always_equals_the_report_without_cache(operations) -> None:
    with tempfile.TemporaryDirectory() as folder:
        rubric_dir, sha = _rubrics(Path(folder) / "rubrics")
        sessions = Path(folder) / "sessions"
        sessions.mkdir()
        templates = _templates(sha)
        names = sorted(templates)
        for name in names:
            (sessions / name).write_text(templates[name], encoding="utf-8")
        catalog = discover_rubrics([rubric_dir])
        build_report(sessions, catalog, clock=AHEAD)
        for step, (operation, index) in enumerate(operations, start=1):
            path = sessions / names[index]
            # Every write makes the file longer than any earlier version: the clock here is 10 s
            # ahead, so the racy-timestamp rule cannot hide a change within one timestamp tick.
            if operation == "delete":
                path.unlink(missing_ok=True)
            elif operation == "restore":
                path.write_text(templates[names[index]] + "\n" * step, encoding="utf-8")
            elif path.exists():
                text = path.read_text(encoding="utf-8")
                path.write_text(text.replace("level = 3", "level = 2") + "\n" * step, encoding="utf-8")
            cached, _ = build_report(sessions, catalog, clock=AHEAD)
            fresh, _ = build_report(sessions, catalog, use_cache=False)
            assert cached == fresh


# The fast reader ---------------------------------------------------------------------------


def _tomllib(text: str):
    return tomllib.loads(text, parse_float=Decimal)


def test_the_fast_reader_reads_every_example_record_as_tomllib_does() -> None:
    for path in sorted(EXAMPLES.glob("20*.toml")):
        text = path.read_text(encoding="utf-8")
        assert parse(text) == _tomllib(text), path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(session_strategy())
def test_the_fast_reader_reads_saved_records_as_tomllib_does(session) -> None:
    text = session_to_toml(session)
    try:
        data = parse(text)
    except _Declined:  # always allowed: tomllib reads it then
        return
    assert data == _tomllib(text)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(sorted(EXAMPLES.glob("20*.toml"))),
    st.integers(0, 400),
    st.sampled_from(["delete", "double", "insert"]),
    st.text(alphabet='[]"=.#\\\n tfe0123-:Z{},x', max_size=6),
)
def test_the_fast_reader_never_reads_what_tomllib_reads_otherwise(path, line, how, junk) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    at = line % len(lines)
    if how == "delete":
        del lines[at]
    elif how == "double":
        lines.insert(at, lines[at])
    else:
        lines[at] = lines[at][: len(lines[at]) // 2] + junk + lines[at][len(lines[at]) // 2 :]
    text = "\n".join(lines)
    try:
        expected = _tomllib(text)
    except tomllib.TOMLDecodeError:
        expected = None
    try:
        data = parse(text)
    except _Declined:
        return
    assert data == expected


def test_calibration_stays_pure() -> None:
    code = (
        "import sys, reviewtui.team.calibration\n"
        "bad = [m for m in sys.modules if m.startswith(('textual', 'reviewtui.storage', 'reviewtui.ui'))]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_the_fast_reader_takes_linear_time_on_long_broken_strings() -> None:
    start = time.perf_counter()
    for text in ('x = "' + "a" * 20_000 + '"y\n', 'x = """\n' + "a" * 20_000 + '\\ """\n'):
        with pytest.raises(_Declined):
            parse(text)
    assert time.perf_counter() - start < 1
