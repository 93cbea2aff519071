"""What reviewtui writes it can read back: every file it writes and reads is refused before it passes its read cap.

An evidence log, a feedback file, a draft and the report cache each have the cap their reader has;
a write that would pass it is refused with a message that says what to do, and nothing changes on
disk. A survey export is read row by row and stops at the feedback file's cap, in bounded memory.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from factories import copy_example_team
from reviewtui.cli import main
from reviewtui.errors import SaveError
from reviewtui.models.draft import AlignmentDraft
from reviewtui.models.evidence import EvidenceLog, new_entry
from reviewtui.storage import record_cache, report_cache
from reviewtui.storage.drafts import draft_path, save_draft
from reviewtui.storage.evidence import _checked_bytes, load_evidence
from reviewtui.storage.feedback_import import load_feedback
from reviewtui.storage.records import MAX_RECORD_BYTES, load_session, save_session
from reviewtui.storage.rubrics import discover_rubrics

ROOT = Path(__file__).parent.parent
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
LONG = "Closed the Acme renewal at 12% uplift. " * 500  # 19,500 characters, inside the text limit


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return copy_example_team(tmp_path / "sessions", "evidence_*", "feedback_*")


def survey(path: Path, rows: int, start: int = 0) -> Path:
    """A survey export of `rows` distinct responses, about 30 bytes a row."""
    lines = ["date,account,score,comment"]
    lines += [
        f"2026-{1 + i % 12:02d}-{1 + i % 28:02d},A{i % 50},{i % 11},c{i}" for i in range(start, start + rows)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def import_for_ana(team: Path, export: Path) -> int:
    return main(["--sessions", str(team), "feedback", "import", str(export), "--employee", "Ana Ruiz"])


def test_log_refuses_an_entry_that_would_push_the_log_past_what_reviewtui_reads(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = []
    while True:
        entry, _ = new_entry(LONG, "2026-11-02", "", [], metrics={}, now=NOW)
        data = _checked_bytes(EvidenceLog(employee="Ana Ruiz", entries=[*entries, entry]))
        if len(data) > MAX_RECORD_BYTES - len(LONG.encode()) - 200:
            break
        entries.append(entry)
    path = team / "evidence_ana-ruiz.toml"
    path.write_bytes(_checked_bytes(EvidenceLog(employee="Ana Ruiz", entries=entries)))
    before = path.read_bytes()
    assert main(["--sessions", str(team), "log", LONG, "--employee", "Ana Ruiz"]) == 0  # the last that fits
    assert len(path.read_bytes()) <= MAX_RECORD_BYTES
    full = path.read_bytes()
    capsys.readouterr()

    assert main(["--sessions", str(team), "log", LONG, "--employee", "Ana Ruiz"]) == 1
    assert capsys.readouterr().err == (
        f"reviewtui: the evidence log {path} would pass 2 MiB, the most reviewtui reads, so the entry was "
        "not added; to keep logging, run `reviewtui archive` and then move that file into a sub-folder of "
        "the sessions folder (git keeps it): the next entry starts a new log\n"
    )
    assert path.read_bytes() == full != before
    assert len(load_evidence(path).entries) == len(entries) + 1  # still read, extended and archivable


def test_an_export_too_large_for_a_feedback_file_stops_at_the_row_that_passes_it(
    team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = survey(tmp_path / "year.csv", 15_000)  # 420 KB of CSV, 2.3 MB as a feedback file
    assert import_for_ana(team, export) == 1
    err = capsys.readouterr().err
    line = int(err.split(":")[2])
    assert 13_000 < line < 15_000
    assert err == (
        f"reviewtui: {export}:{line}: a feedback file holds at most 2 MiB of responses (the most reviewtui "
        "reads), and this export has more than that from this line on; nothing was written: export a "
        "shorter period\n"
    )
    assert not list(team.glob("feedback_*"))
    survey(export, line - 2)  # the rows before that line fit
    assert import_for_ana(team, export) == 0
    saved = team / "feedback_ana-ruiz.toml"
    assert len(saved.read_bytes()) <= MAX_RECORD_BYTES
    assert len(load_feedback(saved).responses) == line - 2


def test_an_import_into_a_nearly_full_feedback_file_is_refused_before_writing(
    team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert import_for_ana(team, survey(tmp_path / "first.csv", 13_000)) == 0
    saved = team / "feedback_ana-ruiz.toml"
    before = saved.read_bytes()
    capsys.readouterr()
    assert import_for_ana(team, survey(tmp_path / "second.csv", 1_000, start=13_000)) == 1
    assert capsys.readouterr().err == (
        f"reviewtui: the feedback file {saved} would pass 2 MiB, the most reviewtui reads, with these 1000 "
        "new response(s), so nothing was written; import a shorter period, or move that file into a "
        "sub-folder (after `reviewtui archive`) and import again to start a new one\n"
    )
    assert saved.read_bytes() == before


# The peak is this process's own (VmHWM, reset by exec): Linux keeps ru_maxrss across exec, so
# it reported the forking pytest's size (341 MiB late in a serial run), not the import's.
MEASURE = """
import resource, sys, time
from reviewtui.cli import main
start = time.monotonic()
code = main(sys.argv[1:])
try:
    with open("/proc/self/status") as status:
        hwm = next(line for line in status if line.startswith("VmHWM:"))
    peak_mib = int(hwm.split()[1]) / 1024
except OSError:  # no /proc: the rusage peak, which may include the parent's before exec
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{code} {time.monotonic() - start:.1f} {peak_mib:.0f}", file=sys.stderr)
"""


def test_a_160000_row_export_is_refused_quickly_in_bounded_memory(team: Path, tmp_path: Path) -> None:
    export = survey(tmp_path / "big.csv", 160_000)  # 3.9 MB: inside the 5 MiB import cap
    args = ["--sessions", str(team), "feedback", "import", str(export), "--employee", "Ana Ruiz"]
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, timeout=120
    )
    *message, figures = result.stderr.splitlines()
    code, _seconds, peak_mib = figures.split()
    assert code == "1" and "a feedback file holds at most 2 MiB of responses" in message[0]
    # Before: 17-35 s, 740 MB, and a 25 MB file written that could never be read again.
    assert float(peak_mib) < 250
    assert not list(team.glob("feedback_*"))


def test_skipped_rows_beyond_the_first_fifty_are_counted_not_listed(
    team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "bad.csv"
    export.write_text("date,account,score\n" + "yesterday,Acme,9\n" * 10_000 + "2026-09-01,Acme,9\n")
    assert import_for_ana(team, export) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 51
    assert err[0] == f"{export}:2: skipped: the date is not YYYY-MM-DD"
    assert err[-1] == f"{export}: and 9950 more row(s) skipped, not listed"


def test_a_draft_past_what_reviewtui_reads_is_refused_before_writing(team: Path) -> None:
    draft = AlignmentDraft(
        id="c0ffee00c0ffee00c0ffee00c0ffee00",
        created_at=NOW,
        updated_at=NOW,
        employee_name="Ana Ruiz",
        partners=[{"name": "x" * 2_000, "function": "sales"}] * 1_100,
    )
    with pytest.raises(SaveError) as refused:
        save_draft(draft, team)
    assert str(refused.value) == (
        "this draft is larger than 2 MiB, the most reviewtui reads, so it was not saved; shorten the longest texts"
    )
    assert not draft_path(team, draft.id).exists()


def test_a_report_cache_past_its_cap_is_neither_written_nor_read(
    team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = discover_rubrics()
    report_cache.build_report(team, catalog, use_cache=True)
    cache = report_cache.cache_path(team)
    size = len(cache.read_bytes())
    assert record_cache.load_cache(cache)[1] == "loaded"
    monkeypatch.setattr(record_cache, "MAX_CACHE_BYTES", size - 1)
    assert record_cache.load_cache(cache) == ({}, "damaged")  # over the cap: ignored, never read whole
    cache.unlink()
    monkeypatch.setattr(record_cache, "MAX_CACHE_BYTES", 100)
    _, stats = report_cache.build_report(team, catalog, use_cache=True)
    assert not cache.exists() and stats.parsed == 12 and not stats.written
    assert stats.write_error == (
        "it would pass 0.0976562 KiB, the most reviewtui reads back, so every report reads the records "
        "themselves (--no-cache skips the cache)"
    )


def test_a_record_past_what_reviewtui_reads_is_refused_before_writing(tmp_path: Path) -> None:
    # Lists in a record have no length limit, so the largest valid record is larger than the read cap:
    # the save refuses it (as it already did) and the file on disk stays as it was.
    path = tmp_path / "2026-07-02_alignment_ana-ruiz_6513270e.toml"
    shutil.copyfile(ROOT / "src" / "reviewtui" / "examples" / path.name, path)
    session = load_session(path)
    action = {"text": "Call every account " + "x" * 170, "owner": "Ana Ruiz", "due": dt.date(2026, 12, 1)}
    huge = session.model_validate({**session.model_dump(), "actions": [action] * 12_000})
    with pytest.raises(SaveError) as refused:
        save_session(huge, tmp_path, path)
    assert str(refused.value) == (
        "this record is larger than 2 MiB and would not load again; shorten the longest texts"
    )
    assert load_session(path) == session
