"""`reviewtui history`: what the git log holds about one employee, matching the commits made."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import test_git_archive as shared
from factories import make_session
from reviewtui.cli import main
from reviewtui.models import RubricRef
from reviewtui.storage import load_session, save_session
from reviewtui.storage.archiving import archive_records
from reviewtui.team.history import Event, RecordVersion, history, render

git, copy_examples = shared.git, shared.copy_examples
git_env, repo = shared.git_env, shared.repo  # the same fixtures: real git, configured by a temp file
PLAN, REVIEW = shared.PLAN, shared.REVIEW
CHECKINS = ["2026-09-03_check-in_ana-ruiz_d1e2f3a4.toml", "2026-11-05_check-in_ana-ruiz_e2f3a4b5.toml"]
MEI_PLAN = "2026-07-06_alignment_mei-chen_9531985d.toml"


def archive_on(monkeypatch: pytest.MonkeyPatch, sessions: Path, day: str) -> str:
    """Archive with git's clock set to `day`, and return the commit's short id."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", f"{day}T12:00:00+00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", f"{day}T12:00:00+00:00")
    return archive_records(sessions).commit


def history_lines(sessions: Path, employee: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    capsys.readouterr()
    assert main(["history", employee, "--sessions", str(sessions)]) == 0
    return capsys.readouterr().out.splitlines()


def test_history_follows_the_commits(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = repo / "sessions"
    copy_examples(sessions, PLAN, MEI_PLAN)
    agreed = archive_on(monkeypatch, sessions, "2026-07-10")
    copy_examples(sessions, *CHECKINS)
    checked = archive_on(monkeypatch, sessions, "2026-11-06")
    copy_examples(sessions, REVIEW)
    signed = archive_on(monkeypatch, sessions, "2027-01-20")
    # Later, both the plan and the review are corrected.
    plan = load_session(sessions / PLAN)
    metrics = [
        m.model_copy(update={"target": Decimal(97)}) if m.id == "gross_retention" else m for m in plan.metrics
    ]
    save_session(plan.model_copy(update={"metrics": metrics}), sessions)
    review = load_session(sessions / REVIEW)
    ratings = [rating.model_copy(update={"level": 5}) for rating in review.competencies]
    save_session(review.model_copy(update={"competencies": ratings}), sessions)
    corrected = archive_on(monkeypatch, sessions, "2027-02-01")
    assert [agreed, checked, signed, corrected] == [
        git(repo, "rev-parse", "--short", f"HEAD~{back}") for back in (3, 2, 1, 0)
    ]

    assert history_lines(sessions, "ANA  ruiz", capsys) == [
        "Ana Ruiz, from 4 commits in git:",
        f"2026-07-02  plan agreed, 2026 H2: 6 metrics  [{agreed} 2026-07-10]",
        "            Gross revenue retention (book): target 96 %, weight 30",
        "            At-risk saves (accounts): target 5 accounts, weight 15",
        "            Net expansion revenue (book): target 185000 USD, weight 20",
        "            NPS (account or cohort): target 35 points, weight 15",
        "            Proactive outreach to at-risk accounts: target 90 %, weight 10",
        "            Business reviews held with a client sponsor: target 90 %, weight 10",
        f"2026-09-03  check-in recorded, 2026 H2  [{checked} 2026-11-06]",
        "2026-11-05  target changed, Net expansion revenue (book): 185000 USD → 160000 USD, by Bo Li"
        f"  [{checked} 2026-11-06]",
        "            reason: Two competitors cut prices in Q3; expansion budgets frozen at three accounts",
        f"2026-11-05  check-in recorded, 2026 H2  [{checked} 2026-11-06]",
        f"2027-01-12  review signed, 2026 H2: score 3.41 of 5  [{signed} 2027-01-20]",
        f"2027-02-01  plan changed, 2026 H2  [{corrected} 2027-02-01]",
        "            Gross revenue retention (book) target 96 % → 97 %",
        f"2027-02-01  review changed, 2026 H2  [{corrected} 2027-02-01]",
        "            score 3.41 of 5 → score 3.85 of 5",
    ]
    mei = history_lines(sessions, "mei chen", capsys)
    assert mei[:2] == [
        "Mei Chen, from 1 commit in git:",
        f"2026-07-06  plan agreed, 2026 H2: 5 metrics  [{agreed} 2026-07-10]",
    ]
    assert len(mei) == 2 + 5


def test_a_review_whose_rubric_is_gone_says_so(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = repo / "sessions"
    review = load_session(shared.EXAMPLES / REVIEW)
    retired = RubricRef(id="retired-role", version=1, sha256="b" * 64)
    # A review signed before signed scores were kept: its score needs the rubric.
    save_session(review.model_copy(update={"rubric": retired, "signed_score": None}), sessions)
    commit = archive_on(monkeypatch, sessions, "2027-01-20")
    assert history_lines(sessions, "Ana Ruiz", capsys)[1:] == [
        "2026-11-05  target changed, Net expansion revenue (book): 185000 USD → 160000 USD, by Bo Li"
        f"  [{commit} 2027-01-20]",
        "            reason: Two competitors cut prices in Q3; expansion budgets frozen at three accounts",
        f"2027-01-12  review signed, 2026 H2: score not computed: rubric retired-role not found  [{commit} 2027-01-20]",
    ]


def test_a_signed_score_outlives_its_rubric(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = repo / "sessions"
    review = load_session(shared.EXAMPLES / REVIEW)
    retired = RubricRef(id="retired-role", version=1, sha256="b" * 64)
    save_session(review.model_copy(update={"rubric": retired}), sessions)
    commit = archive_on(monkeypatch, sessions, "2027-01-20")
    assert history_lines(sessions, "Ana Ruiz", capsys)[-1] == (
        "2027-01-12  review signed, 2026 H2: score 3.41 of 5 (as signed; rubric retired-role not found)"
        f"  [{commit} 2027-01-20]"
    )


def test_an_unknown_name_gets_one_line_with_close_names(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = repo / "sessions"
    assert main(["history", "Ana Ruiz", "--sessions", str(sessions)]) == 1
    assert capsys.readouterr().err == (
        "reviewtui: no record is archived in git yet; `reviewtui archive` commits them\n"
    )
    copy_examples(sessions, PLAN, MEI_PLAN)
    archive_on(monkeypatch, sessions, "2026-07-10")
    assert main(["history", "Ana Ruis", "--sessions", str(sessions)]) == 1
    assert capsys.readouterr().err == (
        "reviewtui: no archived record names an employee 'Ana Ruis'; close names: Ana Ruiz\n"
    )
    assert main(["history", "Zed", "--sessions", str(sessions)]) == 1
    assert capsys.readouterr().err == (
        "reviewtui: no archived record names an employee 'Zed'; archived: Ana Ruiz, Mei Chen\n"
    )


AT = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def test_drafts_are_passed_over_and_removed_or_unreadable_versions_are_shown() -> None:
    name = "2026-07-01_alignment_ana-ruiz_01234567.toml"
    draft = make_session(status="draft")
    agreed = make_session()
    versions = [
        RecordVersion("aaaaaaa", AT, name, "added", draft),
        RecordVersion("bbbbbbb", AT + dt.timedelta(days=1), name, "changed", agreed),
        RecordVersion("ccccccc", AT + dt.timedelta(days=2), name, "changed", None),
        RecordVersion("ddddddd", AT + dt.timedelta(days=3), name, "removed", None),
    ]
    assert render(history(versions, "ana ruiz", {})) == [
        "2026-07-01  plan agreed, 2026 H2: 1 metric  [bbbbbbb 2027-03-02]",
        "            Gross retention: target 95 %, weight 100",
        f"2027-03-03  a version of {name} does not load; left out  [ccccccc 2027-03-03]",
        f"2027-03-04  removed from the folder: {name}  [ddddddd 2027-03-04]",
    ]
    assert history(versions, "Bo Li", {}) == []
    assert isinstance(history(versions, "Ana Ruiz", {})[0], Event)
