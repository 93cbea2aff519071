"""`reviewtui log`: evidence logged as it happens, and refused cleanly when the input is wrong."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from reviewtui.cli import main
from reviewtui.storage.evidence import load_evidence

ROOT = Path(__file__).parent.parent


@pytest.fixture
def team(tmp_path: Path) -> Path:
    sessions = tmp_path / "sessions"
    shutil.copytree(
        ROOT / "src" / "reviewtui" / "examples", sessions, ignore=shutil.ignore_patterns("evidence_*")
    )  # records only
    return sessions


def log(team: Path, *args: str) -> int:
    return main(["--sessions", str(team), "log", *args])


def test_entries_are_appended_with_their_metric_tags_and_date(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        log(
            team,
            "Renewed Acme flat after a red score",
            "--employee",
            "ana ruiz",
            "--metric",
            "gross_retention",
            "--tag",
            "Win",
            "--date",
            "2026-08-20",
        )
        == 0
    )
    assert log(team, "QBR with Northwind's new sponsor", "--employee", "Ana Ruiz", "--tag", "qbr") == 0
    out = capsys.readouterr().out
    path = team / "evidence_ana-ruiz.toml"
    assert f"logged for Ana Ruiz in {path.resolve()}" in out
    evidence = load_evidence(path)
    assert evidence.employee == "Ana Ruiz"
    first, second = evidence.entries
    assert (first.text, first.metric, first.tags, first.happened_on) == (
        "Renewed Acme flat after a red score",
        "gross_retention",
        ["win"],
        dt.date(2026, 8, 20),
    )
    assert (second.metric, second.tags, second.happened_on) == (None, ["qbr"], dt.date.today())
    assert first.id != second.id and first.logged_at.tzinfo is not None
    assert path.stat().st_mode & 0o777 == 0o600
    assert main(["validate", str(path)]) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["   ", "--employee", "Ana Ruiz"], "The entry is empty: say what happened. Nothing was written."),
        (["x", "--employee", "Anna Ruiz"], "names an employee 'Anna Ruiz'; did you mean Ana Ruiz?"),
        (
            ["x", "--employee", "Nobody At All"],
            "names an employee 'Nobody At All' (known: Ana Ruiz, Dev Patel",
        ),
        (
            ["x", "--employee", "Ana Ruiz", "--metric", "csat"],
            "The plans have no metric 'csat' (their metrics: ",
        ),
        (
            ["x", "--employee", "Ana Ruiz", "--date", "2026-02-30"],
            "The date must be YYYY-MM-DD, not '2026-02-30'.",
        ),
        (["x", "--employee", "Ana Ruiz", "--date", "31/12/2026"], "The date must be YYYY-MM-DD"),
        (["x", "--employee", "Ana Ruiz", "--date", "2999-01-01"], "The date is in the future"),
        (["x", "--employee", "Ana Ruiz", "--tag", "big win!"], "Tag 'big win!' is not a short word"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    team: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert log(team, *args) == 1
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err
    assert not list(team.glob("evidence_*"))


def test_a_damaged_log_is_reported_and_left_as_it_is(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = team / "evidence_ana-ruiz.toml"
    path.write_text('schema_version = 1\nkind = "evidence-log"\nemployee = "Ana Ruiz"\nentries = "oops"\n')
    before = path.read_bytes()
    assert log(team, "x", "--employee", "Ana Ruiz") == 1
    assert f"{path}:4: entries: must be an array" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_two_employees_with_the_same_slug_get_separate_logs(team: Path) -> None:
    from reviewtui.models.evidence import EvidenceEntry
    from reviewtui.storage.evidence import append_entry

    entry = EvidenceEntry(
        id="0" * 12, logged_at=dt.datetime.now(dt.UTC), happened_on=dt.date(2026, 8, 1), text="t"
    )
    first = append_entry(team, "Ana Ruiz", entry)
    second = append_entry(team, "Ana Ruíz", entry)
    assert first.name == "evidence_ana-ruiz.toml" and second.name == "evidence_ana-ruiz_2.toml"
    assert load_evidence(second).employee == "Ana Ruíz"
