"""A sessions folder that cannot be listed is an error, never "0 records"; and no record is read
through a symbolic link, by `report` or by `archive`, each saying so."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import test_git_archive as shared
from reviewtui.cli import main
from reviewtui.storage import report_cache

git_env = shared.git_env
repo = shared.repo
REVIEW = shared.REVIEW


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def not_a_folder(tmp_path: Path, case: str) -> tuple[Path, str]:
    """A sessions path that is no folder, and the words that must say why."""
    plain = tmp_path / "plain.txt"
    plain.write_text("not a folder\n")
    if case == "a file":
        return plain, f"the sessions folder {plain} is a file, not a folder"
    if case == "under a file":
        return plain / "sessions", f"the sessions folder {plain / 'sessions'} cannot exist: {plain} is a file"
    link = tmp_path / "sessions"
    link.symlink_to(tmp_path / "gone")
    return link, f"the sessions folder {link} is a symbolic link to {tmp_path / 'gone'}, which does not exist"


@pytest.mark.parametrize("case", ["a file", "under a file", "a dangling link"])
@pytest.mark.parametrize("command", [["report"], ["history", "Ana Ruiz"], ["archive"]])
def test_a_sessions_path_that_is_no_folder_is_named_as_what_it_is(
    tmp_path: Path, git_env: Path, capsys: pytest.CaptureFixture[str], case: str, command: list[str]
) -> None:
    sessions, words = not_a_folder(tmp_path, case)
    code, out, err = run(capsys, *command, "--sessions", str(sessions))
    assert code == 1
    assert words in err
    assert "Traceback" not in err and out == ""


def test_a_sessions_folder_that_cannot_be_listed_is_an_error_not_an_empty_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    shutil.copy(shared.EXAMPLES / REVIEW, sessions / REVIEW)
    real_scandir = os.scandir

    def refused(path: object = ".") -> object:
        # Root can list any folder, so the refusal an ordinary user meets is made at the OS call.
        if Path(os.fsdecode(path)) == sessions:
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_scandir(path)

    monkeypatch.setattr(report_cache.os, "scandir", refused)
    code, out, err = run(capsys, "report", "--sessions", str(sessions), "--no-cache")
    assert code == 1
    assert f"cannot list the sessions folder {sessions}: permission denied" in err
    assert "all could be read" not in out + err and out == ""


def test_a_record_that_is_a_link_is_read_by_neither_report_nor_archive_and_both_say_so(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(shared.EXAMPLES / REVIEW, outside / REVIEW)
    sessions = repo / "sessions"
    link = sessions / "2027-01-12_review_bo-li_b2c3d4e5.toml"
    link.symlink_to(outside / REVIEW)
    shutil.copy(shared.EXAMPLES / shared.PLAN, sessions / shared.PLAN)

    code, out, err = run(capsys, "report", "--sessions", str(sessions), "--no-cache")
    assert code == 1  # not every record was read
    words = " ".join(out.split())  # the table wraps long lines
    assert f"{link.name}: not read: a symbolic link, which may point outside the folder" in words
    assert "0 reviews (0 signed); 1 could not be read" in words

    code, out, err = run(capsys, "archive", "--sessions", str(sessions))
    assert code == 0
    assert f"skipped {link}: a symbolic link, which may point outside the folder" in err
    assert shared.committed_files(repo) == [f"sessions/{shared.PLAN}"]


async def test_the_team_view_says_a_sessions_folder_cannot_be_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Static

    from pilot_helpers import make_app
    from test_team_view import _open

    sessions = tmp_path / "sessions"
    sessions.mkdir()
    app = make_app(sessions)
    real_scandir = os.scandir

    def refused(path: object = ".") -> object:
        if Path(os.fsdecode(path)) == sessions:
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_scandir(path)

    async with app.run_test(size=(120, 40)) as pilot:
        monkeypatch.setattr(report_cache.os, "scandir", refused)
        screen = await _open(pilot)
        status = str(screen.query_one("#team-status", Static).render())
        assert status.startswith("The report could not be built: cannot list the sessions folder")
        assert "0 records" not in status and "all could be read" not in status


def test_archive_names_a_fifo_by_a_records_name_as_report_does(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # git's status never shows a FIFO, so archive looked past it in silence.
    sessions = repo / "sessions"
    shutil.copy(shared.EXAMPLES / shared.PLAN, sessions / shared.PLAN)
    fifo = sessions / "2026-08-01_alignment_ff_aaaaaaaa.toml"
    os.mkfifo(fifo)
    code, _, err = run(capsys, "archive", "--sessions", str(sessions))
    assert code == 0
    assert f"skipped {fifo}: it is not a regular file" in err
    assert shared.committed_files(repo) == [f"sessions/{shared.PLAN}"]
