"""The session driver on its own, with no Textual: real files, real locks, a clock the test moves."""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
from pathlib import Path

import pytest

from factories import AGREE_STEP, CREATED, csm_draft, csm_review_draft
from reviewtui.models.draft import DraftFeedback
from reviewtui.session.catalog import CatalogSource
from reviewtui.session.driver import (
    AUTOSAVE_SECONDS,
    RETRY_SECONDS,
    DraftGoneError,
    ReadOnlyError,
    RecordNotSavedError,
    RubricMissingError,
    SessionDriver,
)
from reviewtui.storage import RubricCatalog, discover_rubrics, load_session
from reviewtui.storage.drafts import draft_lock_path, draft_path, list_drafts, load_draft, save_draft
from reviewtui.storage.locks import try_lock


class Ticks:
    """The steady clock the autosave is timed on, moved by the test."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class WallClock:
    """Wall time for `updated_at` and the record: one second later at every reading."""

    def __init__(self) -> None:
        self.now = CREATED

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


@pytest.fixture(scope="module")
def catalog() -> CatalogSource:
    return CatalogSource(discover_rubrics())


def make_driver(sessions: Path, catalog: CatalogSource) -> tuple[SessionDriver, Ticks, list[float]]:
    ticks, due = Ticks(), []
    driver = SessionDriver(sessions, catalog, clock=WallClock(), ticks=ticks, on_save_due=due.append)
    return driver, ticks, due


def resumed(sessions: Path, catalog: CatalogSource, draft=None):
    save_draft(draft or csm_draft(0), sessions)
    driver, ticks, due = make_driver(sessions, catalog)
    opened = driver.resume((draft or csm_draft(0)).id)
    return driver, ticks, due, opened


def test_a_new_draft_is_locked_and_saved_once_the_autosave_is_due(tmp_path: Path, catalog) -> None:
    sessions = tmp_path / "sessions"
    driver, ticks, due = make_driver(sessions, catalog)
    opened = driver.open_draft(driver.new_alignment())
    assert not opened.read_only and driver.draft is not None
    draft_id = driver.draft.id
    assert try_lock(draft_lock_path(sessions, draft_id)) is None  # held by this driver
    assert driver.save_now().written is False  # nothing typed: no empty draft is left behind
    assert not draft_path(sessions, draft_id).exists()

    assert driver.update(driver.draft.model_copy(update={"employee_name": "Ana"}))
    ticks.now += 0.5
    assert driver.update(driver.draft.model_copy(update={"employee_name": "Ana Ruiz"}))
    assert due == [AUTOSAVE_SECONDS]  # one save due, from the first edit, not pushed back
    assert driver.save_due_at == 100.0 + AUTOSAVE_SECONDS
    assert driver.flush() is None and not draft_path(sessions, draft_id).exists()
    ticks.now = driver.save_due_at
    saved = driver.flush()
    assert saved is not None and saved.written and saved.at is not None
    assert load_draft(draft_path(sessions, draft_id)).employee_name == "Ana Ruiz"
    assert driver.save_due_at is None and driver.flush() is None

    driver.close()
    again = try_lock(draft_lock_path(sessions, draft_id))
    assert again is not None  # released on close
    again.release()


def test_an_edit_keeps_the_drivers_id_and_is_stamped(tmp_path: Path, catalog) -> None:
    driver, _, _, _ = resumed(tmp_path, catalog)
    driver.update(csm_draft(0, id="f" * 32, employee_name="Ana R."), source="Bo Li's laptop")
    assert driver.draft.id == csm_draft().id and driver.draft.updated_at > CREATED
    assert driver.last_source == "Bo Li's laptop"


def test_a_second_driver_on_the_same_draft_opens_it_read_only_and_says_who_holds_it(
    tmp_path: Path, catalog
) -> None:
    first, _, _, opened = resumed(tmp_path, catalog)
    assert not opened.read_only
    before = draft_path(tmp_path, csm_draft().id).read_bytes()
    second, _, due = make_driver(tmp_path, catalog)
    opened = second.resume(csm_draft().id)
    assert opened.read_only and opened.why == "open in another reviewtui"
    assert opened.holder == f"pid {os.getpid()} on {socket.gethostname()}"
    assert second.read_only and not second.update(csm_draft(0, employee_name="Someone else"))
    assert second.save_now().written is False and due == []
    with pytest.raises(ReadOnlyError, match=r"shown read-only \(open in another reviewtui\)"):
        second.finish(second.draft)
    assert draft_path(tmp_path, csm_draft().id).read_bytes() == before
    first.close()
    third, _, _ = make_driver(tmp_path, catalog)
    assert not third.resume(csm_draft().id).read_only


def test_a_lock_file_that_is_a_link_opens_read_only_and_is_not_written_through(
    tmp_path: Path, catalog
) -> None:
    save_draft(csm_draft(0), tmp_path)
    target = tmp_path / "signed.toml"
    target.write_text("# a signed review\n")
    draft_lock_path(tmp_path, csm_draft().id).symlink_to(target)
    driver, _, _ = make_driver(tmp_path, catalog)
    opened = driver.resume(csm_draft().id)
    assert opened.read_only and opened.why == "its lock file is a link or not a plain file"
    assert "symbolic link" in str(opened.lock_problem)
    assert target.read_text() == "# a signed review\n"


def test_a_draft_gone_from_disk_cannot_be_resumed(tmp_path: Path, catalog) -> None:
    driver, _, _ = make_driver(tmp_path, catalog)
    with pytest.raises(DraftGoneError):
        driver.resume("0" * 32)
    assert driver.draft is None


def test_a_draft_changed_on_disk_is_kept_and_ours_goes_on_as_a_copy(tmp_path: Path, catalog) -> None:
    driver, _, _, _ = resumed(tmp_path, catalog)
    save_draft(csm_draft(0, employee_name="Ana Ruiz-Lopez"), tmp_path)  # someone else, meanwhile
    driver.update(driver.draft.model_copy(update={"employee_name": "Ana Ruiz (CSM)"}))
    saved = driver.save_now()
    assert saved.written and saved.forked_from == csm_draft().id
    copy_id = driver.draft.id
    assert copy_id != csm_draft().id
    assert try_lock(draft_lock_path(tmp_path, copy_id)) is None  # the copy is ours, locked
    driver.update(driver.draft.model_copy(update={"employee_name": "Ana Ruiz (CSM)!"}))
    assert driver.save_now().forked_from is None  # later saves follow the copy
    drafts = {item.draft.id: item.draft.employee_name for item in list_drafts(tmp_path)[0]}
    assert drafts == {csm_draft().id: "Ana Ruiz-Lopez", copy_id: "Ana Ruiz (CSM)!"}


def test_a_failing_save_is_said_once_retried_later_and_recovers(tmp_path: Path, catalog) -> None:
    driver, ticks, due = make_driver(tmp_path, catalog)
    driver.open_draft(driver.new_alignment())
    blocker = draft_path(tmp_path, driver.draft.id)
    blocker.mkdir(parents=True)  # no draft file can be written where a folder is
    driver.update(driver.draft.model_copy(update={"employee_name": "Ana"}))
    ticks.now += AUTOSAVE_SECONDS
    first = driver.flush()
    assert first is not None and not first.written and first.first_failure and first.error is not None
    assert driver.save_due_at == ticks.now + RETRY_SECONDS and due == [AUTOSAVE_SECONDS, RETRY_SECONDS]
    driver.update(driver.draft.model_copy(update={"employee_name": "Ana Ruiz"}))
    assert due == [AUTOSAVE_SECONDS, RETRY_SECONDS]  # the retry stays due; an edit does not move it
    ticks.now += RETRY_SECONDS
    second = driver.flush()
    assert second is not None and second.error is not None and not second.first_failure
    blocker.rmdir()
    ticks.now += RETRY_SECONDS
    healed = driver.flush()
    assert healed is not None and healed.written and healed.recovered
    assert load_draft(blocker).employee_name == "Ana Ruiz"


def test_moving_between_steps_saves_and_stays_within_the_flow(tmp_path: Path, catalog) -> None:
    driver, _, _, _ = resumed(tmp_path, catalog, csm_draft(AGREE_STEP))
    view = driver.step_view()
    done = set(range(AGREE_STEP))  # every step before it, the optional development plan included
    assert view.flow[view.step] == "agree" and done <= view.done and AGREE_STEP not in view.done
    assert driver.move(view.draft, "next").written  # resumed: saved as it moves on
    assert driver.draft.step == AGREE_STEP  # the last step stays the last
    driver.step_view()
    driver.move(driver.draft, "back")
    assert load_draft(draft_path(tmp_path, csm_draft().id)).step == AGREE_STEP - 1


def agreed(step: int = 4):
    return csm_draft(
        step,
        employee_confirmed=True,
        manager_confirmed=True,
        employee_confirmed_at=CREATED,
        manager_confirmed_at=CREATED,
    )


def test_the_final_save_writes_the_record_and_removes_the_draft(tmp_path: Path, catalog) -> None:
    driver, _, _, _ = resumed(tmp_path, catalog, agreed())
    finished = driver.finish(driver.draft)
    assert finished.what == "Plan agreed" and finished.subject == "Plan agreed: Ana Ruiz, 2026 H2"
    assert finished.path.parent == tmp_path and finished.path.stat().st_mode & 0o777 == 0o600
    record = load_session(finished.path)
    assert record.status == "agreed" and record.participants.employee.name == "Ana Ruiz"
    assert not draft_path(tmp_path, csm_draft().id).exists()
    assert not draft_lock_path(tmp_path, csm_draft().id).exists()
    assert driver.draft is None and driver.update(agreed()) is False


def test_a_refused_record_names_the_field_keeps_and_saves_the_draft(tmp_path: Path, catalog) -> None:
    secret = "CONFIDENTIAL client said " + "x" * 300
    draft = csm_review_draft(0)
    draft = draft.model_copy(update={"feedback": [draft.feedback[0].model_copy(update={"account": secret})]})
    assert isinstance(draft.feedback[0], DraftFeedback)
    driver, _, _, _ = resumed(tmp_path, catalog, draft)
    with pytest.raises(RecordNotSavedError) as refused:
        driver.finish(
            draft.model_copy(update={"employee_confirmed": True, "manager_confirmed": True, "step": 9})
        )
    said = str(refused.value)
    assert "feedback[0].account: is longer than 200 characters; shorten it" in said
    assert "CONFIDENTIAL" not in said and refused.value.refused
    assert refused.value.draft_saved is not None and refused.value.draft_saved.written
    assert driver.draft is not None  # still open, to fix
    assert load_draft(draft_path(tmp_path, draft.id)).step == 9
    assert not list(tmp_path.glob("*_review_*.toml"))


def test_a_draft_whose_rubric_is_gone_is_not_finished(tmp_path: Path) -> None:
    save_draft(agreed(), tmp_path)
    driver, _, _ = make_driver(tmp_path, CatalogSource(RubricCatalog()))
    driver.resume(csm_draft().id)
    with pytest.raises(RubricMissingError, match="no longer found"):
        driver.finish(driver.draft)
    assert draft_path(tmp_path, csm_draft().id).exists() and driver.draft is not None


def test_edits_from_another_thread_and_saves_on_this_one_lose_nothing(tmp_path: Path, catalog) -> None:
    driver, _, _, _ = resumed(tmp_path, catalog)
    names = [f"Ana {index}" for index in range(200)]

    def participant() -> None:
        for name in names:
            driver.update(csm_draft(0, employee_name=name), source="peer")

    other = threading.Thread(target=participant)
    other.start()
    while other.is_alive():
        assert driver.save_now().error is None
    other.join()
    driver.save_now()
    assert load_draft(draft_path(tmp_path, csm_draft().id)).employee_name == "Ana 199"
    assert driver.last_source == "peer"


def test_the_crash_save_keeps_the_draft_and_leaves_no_text_in_the_log(tmp_path: Path, catalog) -> None:
    from reviewtui.session.crash import crash_report

    driver, _, _ = make_driver(tmp_path, catalog)
    driver.open_draft(driver.new_alignment())
    driver.update(driver.draft.model_copy(update={"employee_name": "Ana"}))
    secret = "Confidential remark about Ana"  # the code line is logged, never the message
    try:
        raise RuntimeError(secret)
    except RuntimeError as error:
        message = crash_report(driver, tmp_path, error)
    path = draft_path(tmp_path, driver.draft.id)
    assert message.splitlines()[:2] == [
        "reviewtui stopped on an unexpected error (RuntimeError).",
        f"Your draft is saved in {path}; resume it from the home screen.",
    ]
    assert load_draft(path).employee_name == "Ana"
    [log] = path.parent.glob("crash-*.log")
    assert "RuntimeError (message left out)" in log.read_text() and "Confidential" not in log.read_text()


def test_the_crash_save_of_a_draft_changed_on_disk_writes_a_copy(tmp_path: Path, catalog) -> None:
    driver, _, _, _ = resumed(tmp_path, catalog)
    save_draft(csm_draft(0, employee_name="Theirs"), tmp_path)
    driver.update(driver.draft.model_copy(update={"employee_name": "Ours"}))
    path = driver.crash_save()
    assert path is not None and path != draft_path(tmp_path, csm_draft().id)
    assert load_draft(path).employee_name == "Ours"
    assert load_draft(draft_path(tmp_path, csm_draft().id)).employee_name == "Theirs"


def test_nothing_is_crash_saved_when_read_only_or_closed(tmp_path: Path, catalog) -> None:
    first, _, _, _ = resumed(tmp_path, catalog)
    second, _, _ = make_driver(tmp_path, catalog)
    second.resume(csm_draft().id)
    assert second.crash_save() is None
    first.close()
    assert first.crash_save() is None
