"""The app offers to archive a final record in git, as the settings say; `g` on home archives on demand."""

from __future__ import annotations

from pathlib import Path

import pytest

from factories import AGREE_STEP, csm_draft
from git_support import empty_repo, git
from pilot_helpers import make_app
from reviewtui.storage.drafts import save_draft
from reviewtui.storage.settings import load_settings, settings_path
from reviewtui.ui.archive import ArchiveOfferScreen
from reviewtui.ui.home import HomeScreen


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return empty_repo(tmp_path, monkeypatch)


async def settle(app, pilot) -> None:
    """Let git, which runs in the background, finish and its result reach the screen."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _agree(app, pilot) -> None:
    await pilot.press("enter")  # resume the finished draft on its agree step
    await pilot.pause()
    await pilot.press("tab", "space", "tab", "space", "ctrl+s")
    await settle(app, pilot)


async def press(app, pilot, key: str) -> None:
    await pilot.press(key)
    await settle(app, pilot)


async def test_after_agreeing_the_app_offers_to_archive_and_commits_the_record(repo: Path) -> None:
    sessions = repo / "sessions"
    save_draft(csm_draft(AGREE_STEP), sessions)
    app = make_app(sessions)
    async with app.run_test(size=(100, 40)) as pilot:
        await _agree(app, pilot)
        assert isinstance(app.screen, ArchiveOfferScreen)
        await press(app, pilot, "a")
        assert isinstance(app.screen, HomeScreen)
        [archived] = [n for n in app._notifications if n.title == "Archived in git"]
    [record] = sessions.glob("*.toml")
    assert git(repo, "log", "--format=%s") == "plan agreed: Ana Ruiz, 2026 H2\n"
    assert git(repo, "show", "--name-only", "--format=") == f"sessions/{record.name}\n"
    assert archived.message.startswith("plan agreed: Ana Ruiz, 2026 H2 (1 file, commit ")
    assert not settings_path().exists()  # "now" is not remembered


async def test_always_is_remembered_and_the_next_save_archives_without_asking(repo: Path) -> None:
    sessions = repo / "sessions"
    save_draft(csm_draft(AGREE_STEP), sessions)
    app = make_app(sessions)
    async with app.run_test(size=(100, 40)) as pilot:
        await _agree(app, pilot)
        await press(app, pilot, "A")
    assert load_settings().archive_after_save == "always"
    assert settings_path().stat().st_mode & 0o777 == 0o600

    save_draft(
        csm_draft(AGREE_STEP, id="facade00facade00facade00facade00", employee_name="Mei Chen"), sessions
    )
    app = make_app(sessions)
    async with app.run_test(size=(100, 40)) as pilot:
        await _agree(app, pilot)
        assert isinstance(app.screen, HomeScreen)  # nothing asked
    assert git(repo, "log", "--format=%s").splitlines() == [
        "plan agreed: Mei Chen, 2026 H2",
        "plan agreed: Ana Ruiz, 2026 H2",
    ]


async def test_outside_a_repository_nothing_is_offered_and_g_says_why(tmp_path: Path) -> None:
    sessions = tmp_path / "plain" / "sessions"
    save_draft(csm_draft(AGREE_STEP), sessions)
    app = make_app(sessions)
    async with app.run_test(size=(100, 40)) as pilot:
        await _agree(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        await press(app, pilot, "g")
        [said] = [n for n in app._notifications if n.title == "Not archived"]
    assert (
        said.message
        == f"{sessions} is not in a git repository; run `reviewtui init` in the folder that holds it first"
    )


async def test_g_with_everything_committed_says_there_is_nothing_to_archive(repo: Path) -> None:
    sessions = repo / "sessions"
    save_draft(csm_draft(AGREE_STEP), sessions)
    (Path(settings_path()).parent).mkdir(parents=True)
    settings_path().write_text('archive_after_save = "never"\n')
    app = make_app(sessions)
    async with app.run_test(size=(100, 40)) as pilot:
        await _agree(app, pilot)
        assert isinstance(app.screen, HomeScreen)  # never: not asked
        await press(app, pilot, "g")
        await press(app, pilot, "g")
        titles = [
            (n.title, n.message.split(":")[0])
            for n in app._notifications
            if n.title in ("Archive", "Archived in git")
        ]
    assert titles == [("Archived in git", "plan agreed"), ("Archive", "nothing to archive")]


async def test_a_broken_settings_file_is_named_and_the_app_asks(repo: Path) -> None:
    sessions = repo / "sessions"
    save_draft(csm_draft(AGREE_STEP), sessions)
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text('archive_after_save = "sometimes"\n')
    app = make_app(sessions)
    async with app.run_test(size=(100, 40)) as pilot:
        await _agree(app, pilot)
        assert isinstance(app.screen, ArchiveOfferScreen)
        [said] = [n for n in app._notifications if n.title == "Settings not read: asking"]
    assert f"{settings_path()}:1: archive_after_save:" in said.message


async def test_a_second_archive_while_one_runs_is_not_started(repo: Path) -> None:
    sessions = repo / "sessions"
    save_draft(csm_draft(AGREE_STEP), sessions)
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nsleep 1\n")  # a slow hook keeps the first archive running
    hook.chmod(0o755)
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text('archive_after_save = "never"\n')
    app = make_app(sessions)
    async with app.run_test(size=(100, 40)) as pilot:
        await _agree(app, pilot)
        await pilot.press("g", "g")
        await settle(app, pilot)
        titles = [n.message for n in app._notifications if n.title in ("Archive", "Archived in git")]
    assert titles[0] == "Archiving is already under way."
    assert titles[1].startswith("plan agreed: Ana Ruiz, 2026 H2 (1 file, commit ")
    assert git(repo, "log", "--format=%s") == "plan agreed: Ana Ruiz, 2026 H2\n"
