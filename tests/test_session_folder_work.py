"""The session driver's side work in the sessions folder, with no Textual: evidence, feedback,
exports, archiving, and the plans a check-in or a review starts from."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from factories import EXAMPLE_PLAN, copy_example_team
from git_support import empty_repo, git
from reviewtui.errors import LoadError
from reviewtui.models.draft import CheckinDraft, ReviewDraft
from reviewtui.models.evidence import EvidenceEntry
from reviewtui.session.catalog import CatalogSource
from reviewtui.session.driver import RubricMissingError, SessionDriver
from reviewtui.storage import RubricCatalog, discover_rubrics
from reviewtui.storage.archiving import NothingToArchiveError
from reviewtui.storage.settings import settings_path

ROOT = Path(__file__).resolve().parents[1]
EXPORT = (
    "Submitted,Company,Rating,Comment\n"
    "2026-08-03,Acme,9,Quick answers\n"
    "2026-08-20,Acme,6,Slow to escalate\n"
    "2026-09-12,Acme,,\n"
)


@pytest.fixture(scope="module")
def catalog() -> CatalogSource:
    return CatalogSource(discover_rubrics())


def with_plan(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, folder)
    return folder / EXAMPLE_PLAN


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return empty_repo(tmp_path, monkeypatch)


def test_evidence_is_added_and_read_back_with_the_plans_metrics(tmp_path: Path, catalog) -> None:
    with_plan(tmp_path)
    driver = SessionDriver(tmp_path, catalog)
    entry = EvidenceEntry(
        id="a1b2c3d4e5f6",
        logged_at=dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC),
        happened_on=dt.date(2026, 9, 1),
        text="Saved the Acme renewal",
        metric="gross_retention",
    )
    path, log = driver.add_evidence("Ana Ruiz", entry)
    assert path == tmp_path / "evidence_ana-ruiz.toml" and [e.text for e in log.entries] == [entry.text]
    read, metrics = driver.evidence_for("Ana Ruiz")
    assert read.entries == log.entries and metrics["gross_retention"] == "Gross revenue retention (book)"


def test_feedback_is_imported_once_and_offered_to_a_review(tmp_path: Path, catalog) -> None:
    export = tmp_path / "nps.csv"
    export.write_text(EXPORT)
    driver = SessionDriver(tmp_path, catalog)
    assert driver.feedback_responses("Ana Ruiz") == []
    result = driver.import_feedback("Ana Ruiz", str(export), "nps", "survey")
    assert len(result.added) == 2 and result.skipped == [
        f"{export}:4: skipped: neither a score nor a comment"
    ]
    assert driver.import_feedback("Ana Ruiz", str(export), "nps", "survey").duplicates == 2
    assert [r.comment for r in driver.feedback_responses("Ana Ruiz")] == ["Quick answers", "Slow to escalate"]


def test_a_record_is_exported_as_markdown_and_json_into_the_private_exports_folder(
    tmp_path: Path, catalog
) -> None:
    record = with_plan(tmp_path)
    driver = SessionDriver(tmp_path, catalog)
    markdown = driver.export(record, "md")
    assert markdown == tmp_path / "exports" / f"{record.stem}.md"
    assert markdown.read_text() == driver.record_text(record) and "Ana Ruiz" in markdown.read_text()
    assert markdown.stat().st_mode & 0o777 == 0o600 and markdown.parent.stat().st_mode & 0o777 == 0o700
    assert driver.export(record, "json").read_text().lstrip().startswith("{")
    with pytest.raises(LoadError):
        driver.export(tmp_path / "2026-01-01_alignment_nobody_00000000.toml", "md")


def test_the_current_plans_start_a_checkin_and_a_review(tmp_path: Path, catalog) -> None:
    sessions = copy_example_team(tmp_path / "sessions")
    driver = SessionDriver(sessions, catalog)
    plans = driver.current_plans()
    assert plans and all(session.status in ("agreed", "recorded") for _, session in plans)
    employees = [session.participants.employee.name for _, session in plans]
    assert len(employees) == len(set(employees))  # the newest plan of each employee only
    _, plan = plans[0]
    checkin = driver.new_checkin(plan)
    assert isinstance(checkin, CheckinDraft) and checkin.employee_name == plan.participants.employee.name
    review = driver.new_review(plan)
    assert isinstance(review, ReviewDraft) and review.rubric_id == plan.rubric.id
    scratch = driver.new_review(None)
    assert isinstance(scratch, ReviewDraft) and scratch.employee_name == ""
    without = SessionDriver(sessions, CatalogSource(RubricCatalog()))
    with pytest.raises(RubricMissingError, match=f"`{plan.rubric.id}` of this plan is not found"):
        without.new_checkin(plan)


def test_the_employee_and_timeline_behind_a_home_row(tmp_path: Path, catalog) -> None:
    record = with_plan(tmp_path)
    driver = SessionDriver(tmp_path, catalog)
    assert driver.employee_of(str(record), is_draft=False) == "Ana Ruiz"
    assert driver.employee_of("0" * 32, is_draft=True) == ""  # no such draft, or no name yet
    employee, rows = driver.timeline_of(record)
    assert employee == "Ana Ruiz" and len(rows) == 1


def test_outside_a_repository_nothing_is_offered(tmp_path: Path, catalog) -> None:
    assert SessionDriver(tmp_path / "plain" / "sessions", catalog).archive_offer() is None


def test_the_archive_offer_follows_the_settings_and_archiving_commits(repo: Path, catalog) -> None:
    sessions = repo / "sessions"
    record = with_plan(sessions)
    driver = SessionDriver(sessions, catalog)
    offer = driver.archive_offer()
    assert offer is not None and offer.choice == "ask" and offer.root == repo and offer.settings_error is None
    assert driver.remember_archive_choice("always") == settings_path()
    assert driver.archive_offer().choice == "always"
    settings_path().write_text('archive_after_save = "sometimes"\n')
    broken = driver.archive_offer()
    assert broken.choice == "ask" and "archive_after_save" in str(broken.settings_error)
    result = driver.archive()
    assert result.paths == [record] and git(repo, "log", "--format=%s").startswith("plan agreed: Ana Ruiz")
    with pytest.raises(NothingToArchiveError):
        driver.archive()
