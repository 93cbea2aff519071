"""Every file reviewtui writes is safe against a hostile repository: no link is written through,
no FIFO, device or folder is written into, and a hard-linked lock is never truncated.

A cloned review repository can hold any symbolic link (force-added under `.drafts/`), so these
tests make real links (to a signed record, to a file outside the repository, to /dev/null),
real FIFOs and real hard links, and drive the real commands in real processes where a
command is involved.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import test_git_archive
from factories import copy_example_team, csm_draft
from reviewtui.errors import SaveError
from reviewtui.storage.atomic import atomic_write
from reviewtui.storage.drafts import draft_lock_path, draft_path, lock_file_for, save_draft
from reviewtui.storage.locks import try_lock
from reviewtui.storage.report_cache import build_report
from reviewtui.storage.rubrics import discover_rubrics
from reviewtui.storage.settings import load_settings, set_archive_after_save
from test_faults_app import Fault

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src" / "reviewtui"
SIGNED = "2027-01-12_review_ana-ruiz_a1b2c3d4.toml"
git_env = test_git_archive.git_env  # real git, configured by a temp file


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """The example team, signed reviews and evidence logs included, in a repository folder."""
    return copy_example_team(tmp_path / "repo" / "sessions")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reviewtui", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def kind_of(path: Path) -> str:
    mode = os.lstat(path).st_mode
    return "link" if stat.S_ISLNK(mode) else "fifo" if stat.S_ISFIFO(mode) else "file"


# Locks -----------------------------------------------------------------------------


def test_log_refuses_a_lock_file_linked_to_a_signed_review_and_the_review_is_whole(team: Path) -> None:
    review = team / SIGNED
    before, log_before = review.read_bytes(), (team / "evidence_ana-ruiz.toml").read_bytes()
    (team / ".drafts").mkdir()
    lock = team / ".drafts" / "evidence_ana-ruiz.toml.lock"
    lock.symlink_to(review)
    result = run("--sessions", str(team), "log", "Acme renewed", "--employee", "Ana Ruiz", cwd=team.parent)
    assert result.returncode == 1
    assert result.stderr == (
        f"reviewtui: cannot create the lock file {lock}: it is a symbolic link, and reviewtui never writes "
        "through links: remove the link (it may have come with the repository) and try again\n"
    )
    assert review.read_bytes() == before
    assert (team / "evidence_ana-ruiz.toml").read_bytes() == log_before  # nothing logged unlocked
    assert kind_of(lock) == "link"


def _fifo(path: Path) -> None:
    os.mkfifo(path)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda lock, outside: lock.symlink_to(outside), id="link-outside-the-repository"),
        pytest.param(lambda lock, outside: lock.symlink_to(outside.parent / "new.txt"), id="dangling-link"),
        pytest.param(lambda lock, outside: lock.symlink_to("/dev/null"), id="link-to-dev-null"),
        pytest.param(lambda lock, outside: _fifo(lock), id="fifo"),
        pytest.param(lambda lock, outside: os.link(outside, lock), id="hard-link"),
    ],
)
def test_a_lock_file_that_is_not_a_plain_file_of_its_own_is_refused(tmp_path: Path, make) -> None:
    outside = tmp_path / "outside" / "notes.txt"
    outside.parent.mkdir()
    outside.write_text("the user's own notes\n")
    lock = tmp_path / "repo" / "sessions" / ".drafts" / "draft.lock"
    lock.parent.mkdir(parents=True)
    make(lock, outside)
    with pytest.raises(SaveError, match=r"^cannot create the lock file .*draft\.lock: it "):
        try_lock(lock)
    assert outside.read_text() == "the user's own notes\n"
    assert sorted(path.name for path in outside.parent.iterdir()) == ["notes.txt"]


def test_a_draft_lock_linked_to_the_draft_beside_it_never_truncates_it(team: Path) -> None:
    other = draft_path(team, "0" * 32)
    save_draft(csm_draft(step=2).model_copy(update={"id": "0" * 32}), team)
    before = other.read_bytes()
    lock = draft_lock_path(team, csm_draft().id)
    lock.symlink_to(other.name)  # inside the drafts folder, so the path check alone let it through
    with pytest.raises(SaveError, match="it is a symbolic link"):
        try_lock(draft_lock_path(team, csm_draft().id))
    assert other.read_bytes() == before


def test_a_plain_lock_file_still_locks_and_says_who_holds_it(tmp_path: Path) -> None:
    lock = tmp_path / ".drafts" / "draft.lock"
    held = try_lock(lock)
    assert held is not None and lock.read_text().startswith(f"pid {os.getpid()} on ")
    held.release()


# Atomic saves: the target, the folders reviewtui owns ------------------------------


@pytest.mark.parametrize("target_kind", ["link-to-signed-record", "link-to-dev-null", "fifo"])
def test_an_atomic_save_over_a_link_or_a_fifo_is_refused_and_both_are_left_as_they_are(
    team: Path, target_kind: str
) -> None:
    # The rename would replace a link rather than write through it, but the link was put there by
    # someone: the save is refused, so the user learns of it. A FIFO is never replaced either.
    review = team / SIGNED
    before = review.read_bytes()
    target = team / "2027-02-01_review_ana-ruiz_0badc0de.toml"
    if target_kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to(review if target_kind == "link-to-signed-record" else Path("/dev/null"))
    with pytest.raises(SaveError, match="^" + re.escape(f"cannot save {target}: it is ")):
        atomic_write(target, b"a new record")
    assert kind_of(target) == ("fifo" if target_kind == "fifo" else "link")
    assert review.read_bytes() == before
    assert not [path for path in team.iterdir() if path.name.endswith(".tmp")]


def test_a_draft_linked_to_another_draft_is_not_saved_over(team: Path) -> None:
    other = draft_path(team, "0" * 32)
    save_draft(csm_draft(step=2).model_copy(update={"id": "0" * 32}), team)
    before = other.read_bytes()
    path = draft_path(team, csm_draft().id)
    path.symlink_to(other.name)  # inside the drafts folder: the path check lets it through
    with pytest.raises(SaveError, match="^" + re.escape(f"cannot save {path}: it is a symbolic link")):
        save_draft(csm_draft(), team)
    assert other.read_bytes() == before and kind_of(path) == "link"


def test_a_draft_that_is_a_fifo_is_refused_before_its_hash_is_read(team: Path) -> None:
    import threading

    path = draft_path(team, csm_draft().id)
    path.parent.mkdir()
    os.mkfifo(path)
    outcome: list[BaseException | None] = []

    def save() -> None:  # in a thread: reading a FIFO with no writer would block for ever
        try:
            save_draft(csm_draft(), team, expected_sha256=None)
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    worker = threading.Thread(target=save, daemon=True)
    worker.start()
    worker.join(20)
    assert not worker.is_alive(), "the save hung on the FIFO"
    [error] = outcome
    assert isinstance(error, SaveError) and "it is a FIFO (named pipe), not a regular file" in str(error)
    assert kind_of(path) == "fifo"


@pytest.mark.parametrize("writer", ["draft", "draft lock", "evidence log lock"])
def test_a_drafts_folder_linked_outside_the_repository_is_refused(tmp_path: Path, writer: str) -> None:
    sessions = tmp_path / "repo" / "sessions"
    outside = tmp_path / "home"
    outside.mkdir()
    sessions.mkdir(parents=True)
    (sessions / ".drafts").symlink_to(outside)
    with pytest.raises(SaveError, match=r"cannot use the folder .*\.drafts: it is a symbolic link"):
        if writer == "draft":
            save_draft(csm_draft(), sessions)
        elif writer == "draft lock":  # as the app takes it when a draft is resumed
            try_lock(draft_lock_path(sessions, csm_draft().id))
        else:
            lock_file_for(sessions / "evidence_ana-ruiz.toml")
    assert list(outside.iterdir()) == []  # no draft, lock or .gitignore written into the user's home


def test_the_report_cache_is_never_written_through_a_link(team: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    (team / ".cache").mkdir()
    (team / ".cache" / "report.json").symlink_to(outside)
    _, stats = build_report(team, discover_rubrics())
    assert "report.json: it is a symbolic link" in stats.write_error
    assert kind_of(team / ".cache" / "report.json") == "link" and outside.read_text() == "{}"


def test_the_report_cache_folder_linked_elsewhere_is_refused(team: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (team / ".cache").symlink_to(outside)
    _, stats = build_report(team, discover_rubrics())
    assert stats.write_error.startswith(f"cannot use the folder {team / '.cache'}: it is a symbolic link")
    assert list(outside.iterdir()) == []


def test_an_evidence_log_that_is_a_link_is_not_replaced_by_log(team: Path) -> None:
    outside = team / "ana-log.kept"  # beside it: the folder's own check refuses a link leaving it
    log = team / "evidence_ana-ruiz.toml"
    shutil.move(log, outside)
    log.symlink_to(outside)
    before = outside.read_bytes()
    result = run("--sessions", str(team), "log", "Acme renewed", "--employee", "Ana Ruiz", cwd=team.parent)
    assert result.returncode == 1, result.stderr
    # Refused when read, before any write is tried: a log is never read through a link either.
    assert f"{log}: cannot read this evidence log: it is a symbolic link" in result.stderr
    assert "Traceback" not in result.stderr
    assert kind_of(log) == "link" and outside.read_bytes() == before


async def test_an_export_from_the_app_never_lands_in_a_linked_exports_folder(
    team: Path, tmp_path: Path
) -> None:
    from pilot_helpers import make_app

    outside = tmp_path / "public"
    outside.mkdir()
    (team / "exports").symlink_to(outside)
    app = make_app(team)
    async with app.run_test(size=(100, 40)) as pilot:
        app.export_record(team / SIGNED, "md")
        await pilot.pause()
        [shown] = [n.message for n in app._notifications]
    assert "exports: it is a symbolic link" in shown
    assert list(outside.iterdir()) == []


# Settings ----------------------------------------------------------------------------


def test_choosing_always_keeps_the_comments_and_layout_of_the_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        "# My reviewtui settings, shared across machines.\n"
        "\n"
        "# Ask me each time, until I trust it.\n"
        'archive_after_save = "ask"\n'
    )
    set_archive_after_save("always", path)
    assert path.read_text() == (
        "# My reviewtui settings, shared across machines.\n"
        "\n"
        "# Ask me each time, until I trust it.\n"
        'archive_after_save = "always"\n'
    )
    assert load_settings(path).archive_after_save == "always"
    set_archive_after_save("never", tmp_path / "new" / "settings.toml")  # no file yet: one is made
    assert load_settings(tmp_path / "new" / "settings.toml").archive_after_save == "never"


def test_a_settings_file_that_is_a_link_is_not_replaced(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles-settings.toml"
    dotfiles.write_text('archive_after_save = "ask"\n')
    path = tmp_path / "config" / "settings.toml"
    path.parent.mkdir()
    path.symlink_to(dotfiles)
    with pytest.raises(SaveError, match=r"settings\.toml: it is a symbolic link"):
        set_archive_after_save("never", path)
    assert kind_of(path) == "link" and dotfiles.read_text() == 'archive_after_save = "ask"\n'


# A full disk names the file being saved ----------------------------------------------------


@pytest.mark.parametrize("what", ["draft", "evidence-log-lock"])
def test_a_full_disk_is_reported_on_the_file_being_saved_not_on_a_gitignore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: str
) -> None:
    sessions = tmp_path / "sessions"  # new: its .drafts/.gitignore is the first file written
    Fault(monkeypatch, sessions, "write", errno.ENOSPC)
    saving = draft_path(sessions, csm_draft().id) if what == "draft" else sessions / "evidence_ana-ruiz.toml"
    with pytest.raises(SaveError) as caught:
        save_draft(csm_draft(), sessions) if what == "draft" else lock_file_for(saving)
    assert str(caught.value) == (
        f"cannot save {saving}: the disk is full (writing .gitignore of its folder first); "
        "the previous version is unchanged"
    )


# init ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [".gitignore", "rubrics", "sessions", "README.md"])
def test_init_refuses_to_write_through_a_link_and_changes_nothing(
    tmp_path: Path, git_env: Path, name: str
) -> None:
    repo = tmp_path / "cloned"
    repo.mkdir()
    outside = tmp_path / "home"
    outside.mkdir()
    bashrc = outside / ".bashrc"
    bashrc.write_text("export PATH=$HOME/bin:$PATH\n")
    (repo / name).symlink_to(bashrc if name in (".gitignore", "README.md") else outside)
    before = sorted(path.name for path in repo.iterdir())
    result = run("init", str(repo), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        f"reviewtui: {repo / name} is a symbolic link, and init never writes through links; nothing was "
        "changed: remove the link (it may have come with the repository) and run init again\n"
    )
    assert bashrc.read_text() == "export PATH=$HOME/bin:$PATH\n"
    assert sorted(path.name for path in outside.iterdir()) == [".bashrc"]
    assert sorted(path.name for path in repo.iterdir()) == before  # no .git, no rubrics/
