"""Copies of one record (one id in two files) count once, in calibration and in `history`, with a
warning naming both files; the first by path (in history: the first archived) is the one that counts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import test_git_archive as shared
import test_git_history as shared_history
from reviewtui.cli import main

git, git_env, repo = shared.git, shared.git_env, shared.repo
REVIEW = shared.REVIEW
EXAMPLES = shared.EXAMPLES


def report_words(
    sessions: Path, capsys: pytest.CaptureFixture[str], form: str = "table"
) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["report", "--sessions", str(sessions), "--format", form])
    captured = capsys.readouterr()
    return code, " ".join(captured.out.split()), captured.err


def example_team(tmp_path: Path) -> Path:
    sessions = tmp_path / "sessions"
    shutil.copytree(EXAMPLES, sessions)
    return sessions


def test_a_copied_review_counts_once_in_calibration_and_both_files_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = example_team(tmp_path)
    _, alone, _ = report_words(sessions, capsys)
    (sessions / "backup").mkdir()
    shutil.copy(sessions / REVIEW, sessions / "backup" / REVIEW)
    code, words, err = report_words(sessions, capsys)
    assert code == 0  # a warning: every record was read
    assert "3 reviews (3 signed)" in words
    # Scores, means and outliers are those of the team without the copy.
    assert words.split(" Signed reviews missing")[0] == alone.split(" Signed reviews missing")[0]
    copy = f"backup/{REVIEW}: a copy of {REVIEW} (the same record, id "
    assert f"Copies of one record, counted once (1) {copy}" in words
    assert "they differ" not in words
    assert f"warning: {copy}" in err


def test_of_two_copies_that_differ_the_first_by_path_counts_and_the_difference_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = example_team(tmp_path)
    original = sessions / REVIEW
    # A copy whose file name sorts first, saying something else: it is the one counted.
    copy = sessions / "2027-01-11_review_ana-ruiz_a1b2c3d4.toml"
    text = original.read_text()
    assert "Bo Li" in text
    copy.write_text(text.replace("Bo Li", "Rita Moss"))
    code, words, _ = report_words(sessions, capsys, "md")  # not wrapped
    assert code == 0
    assert "3 reviews (3 signed)" in words
    assert f"{REVIEW}: a copy of {copy.name} (the same record, id " in words
    assert "counted once; they differ: keep the right one and remove the other" in words
    assert "Rita Moss" in words


def test_history_shows_a_copied_record_once_and_a_renamed_one_is_no_copy(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = repo / "sessions"
    shared.copy_examples(sessions, REVIEW)
    first = shared_history.archive_on(monkeypatch, sessions, "2027-01-20")
    copy = sessions / "2027-01-12_review_ana-ruiz_a1b2c3d5.toml"
    shutil.copy(sessions / REVIEW, copy)
    second = shared_history.archive_on(monkeypatch, sessions, "2027-01-21")
    lines = shared_history.history_lines(sessions, "Ana Ruiz", capsys)
    signed = [line for line in lines if "review signed" in line]
    assert len(signed) == 1 and f"[{first} " in signed[0]
    assert any(
        f"{copy.name} is a copy of {REVIEW} (the same record, id " in line and f"[{second} " in line
        for line in lines
    )

    # Renamed in one commit (removed under one name, added under another): not a copy of itself.
    git(repo, "rm", "--quiet", "--cached", f"sessions/{copy.name}")
    copy.unlink()
    git(repo, "commit", "--quiet", "-m", "remove the copy")
    renamed = "2027-01-12_review_ana-ruiz_00000000.toml"
    git(repo, "mv", f"sessions/{REVIEW}", f"sessions/{renamed}")
    git(repo, "commit", "--quiet", "-m", "rename")
    lines = shared_history.history_lines(sessions, "Ana Ruiz", capsys)
    assert sum("is a copy of" in line for line in lines) == 1  # the one copy seen before


async def test_the_team_view_counts_a_copy_once_and_names_it(tmp_path: Path) -> None:
    from textual.widgets import Static

    from pilot_helpers import make_app
    from test_team_view import _open

    sessions = example_team(tmp_path)
    (sessions / "backup").mkdir()
    shutil.copy(sessions / REVIEW, sessions / "backup" / REVIEW)
    app = make_app(sessions)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert screen.report is not None and screen.report.counts[2] == ("review", 3, 3)
        texts = [str(widget.render()) for widget in screen.query(Static)]
        assert "Copies of one record, counted once (1)" in texts
        assert any(f"backup/{REVIEW}: a copy of {REVIEW}" in text for text in texts)
