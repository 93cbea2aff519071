"""`reviewtui history` scores an old review with its rubric as it was, read back from git, and says
plainly when it can only use today's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import test_git_archive as shared
import test_git_history as shared_history
from reviewtui.cli import main
from reviewtui.storage import bundled_rubrics_dir, load_session, save_session

git, git_env, repo = shared.git, shared.git_env, shared.repo
REVIEW = shared.REVIEW
RUBRIC = "customer-success-manager.toml"


def unsnapshotted_review(sessions: Path) -> None:
    """The example review as signed before reviews kept their score: scored from its rubric."""
    shared.copy_examples(sessions, REVIEW)
    review = load_session(sessions / REVIEW)
    save_session(review.model_copy(update={"signed_score": None}), sessions)


def reweight(rubrics: Path) -> None:
    """The team changes the rubric: competencies now count for more than metrics."""
    path = rubrics / RUBRIC
    text = path.read_text()
    assert "metrics_weight = 70\ncompetencies_weight = 30" in text
    path.write_text(
        text.replace(
            "metrics_weight = 70\ncompetencies_weight = 30", "metrics_weight = 40\ncompetencies_weight = 60"
        )
    )


def review_line(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(args) == 0
    return next(line for line in capsys.readouterr().out.splitlines() if "review signed" in line)


def test_an_old_review_is_scored_with_its_rubric_as_git_holds_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repo)  # where the team runs reviewtui: ./rubrics is today's rubric
    (repo / "rubrics").mkdir()
    shutil.copy(bundled_rubrics_dir() / RUBRIC, repo / "rubrics" / RUBRIC)
    sessions = repo / "sessions"
    unsnapshotted_review(sessions)
    shared_history.archive_on(monkeypatch, sessions, "2027-01-20")
    assert f"rubrics/{RUBRIC}" in shared.committed_files(repo)  # archived with the review citing it
    before = review_line(["history", "Ana Ruiz", "--sessions", "sessions"], capsys)
    assert before.startswith("2027-01-12  review signed, 2026 H2: score 3.41 of 5  [")

    reweight(repo / "rubrics")
    git(repo, "commit", "--quiet", "-am", "rubric: competencies count for more")
    line = review_line(["history", "Ana Ruiz", "--sessions", "sessions"], capsys)
    assert (
        "score 3.41 of 5, with the rubric as it was then (from git); under today's rubric (changed since): "
        in line
    )
    assert "3.41 of 5  [" not in line  # today's score is said beside, labelled


def test_a_review_whose_rubric_then_is_not_in_git_says_it_is_scored_with_todays(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "team-rubrics"  # a --rubrics folder outside the repository: never archived
    outside.mkdir()
    shutil.copy(bundled_rubrics_dir() / RUBRIC, outside / RUBRIC)
    sessions = repo / "sessions"
    unsnapshotted_review(sessions)
    shared_history.archive_on(monkeypatch, sessions, "2027-01-20")
    reweight(outside)
    line = review_line(
        ["--rubrics", str(outside), "history", "Ana Ruiz", "--sessions", str(sessions)], capsys
    )
    assert (
        "; scored with today's rubric (the rubric changed since, and its version then is not in git)" in line
    )
    assert "score 3.41 of 5" not in line
