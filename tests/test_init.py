"""`reviewtui init`: a review repository in one command, and nothing changed the second time."""

from __future__ import annotations

import hashlib
import stat
import subprocess
from pathlib import Path

import pytest

import test_git_archive as shared
from reviewtui.cli import main
from reviewtui.storage import bundled_rubrics_dir
from reviewtui.storage.repository import IGNORED, TEAM_README

git = shared.git
git_env = shared.git_env  # real git, configured by a temp file
BUNDLED = sorted(path.name for path in bundled_rubrics_dir().glob("*.toml"))


def init(folder: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    capsys.readouterr()
    assert main(["init", str(folder)]) == 0
    return capsys.readouterr().out.splitlines()


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file and folder under `folder` with its mode and content hash."""
    return {
        str(path.relative_to(folder)): (
            path.stat().st_mode,
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "",
        )
        for path in sorted(folder.rglob("*"))
    }


def test_init_sets_up_a_review_repository(
    tmp_path: Path, git_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "reviews"
    lines = init(team, capsys)
    assert lines == [
        f"rubrics/: copied {len(BUNDLED)} bundled rubrics to customise",
        "sessions/: created, readable by you only",
        ".gitignore: created with .drafts/, *.tmp, *.lock, *.conflict-*.toml, exports/, .cache/",
        "README.md: written, on how the team uses reviewtui",
        "git: initialised a repository here, private to you (core.sharedRepository = 0600)",
        "git: committed rubrics/, .gitignore and README.md as the first commit "
        + git(team, "rev-parse", "--short", "HEAD"),
    ]
    assert sorted(path.name for path in (team / "rubrics").iterdir()) == BUNDLED
    for name in BUNDLED:
        assert (team / "rubrics" / name).read_bytes() == (bundled_rubrics_dir() / name).read_bytes()
    assert stat.S_IMODE((team / "sessions").stat().st_mode) == 0o700
    assert (team / "README.md").read_text() == TEAM_README
    assert git(team, "rev-parse", "--show-toplevel") == str(team.resolve())
    # What the .gitignore keeps out, asked of git itself.
    for path in (
        "sessions/.drafts/c0ffee.toml",
        "sessions/.2026-07-02_alignment_ana-ruiz_6513270e.toml.ab12.tmp",
        "sessions/2026-07-02_alignment_ana-ruiz_6513270e.toml.lock",
        "sessions/2026-07-02_alignment_ana-ruiz_6513270e.conflict-20270101.toml",
        "sessions/exports/ana-ruiz.md",
        "sessions/.cache/report.json",
    ):
        assert git(team, "check-ignore", "--no-index", path) == path
    record = "sessions/2026-07-02_alignment_ana-ruiz_6513270e.toml"
    kept = subprocess.run(["git", "-C", str(team), "check-ignore", "--no-index", "-q", record], check=False)
    assert kept.returncode == 1  # records are not ignored


def test_init_twice_changes_nothing_and_says_so(
    tmp_path: Path, git_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "reviews"
    init(team, capsys)
    before = snapshot(team)
    assert init(team, capsys) == [
        f"rubrics/: kept all {len(BUNDLED)} rubrics as they are",
        "sessions/: exists, left as it is",
        ".gitignore: already keeps drafts, temp, lock and conflict files, exports out",
        "README.md: exists, left as it is",
        f"git: already inside the repository {team.resolve()}",
        "already set up: nothing changed",
    ]
    assert snapshot(team) == before


def test_init_keeps_what_the_team_already_has(
    tmp_path: Path, git_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "reviews"
    (team / "rubrics").mkdir(parents=True)
    ours = team / "rubrics" / BUNDLED[0]
    ours.write_text("# our own version\n")
    (team / ".gitignore").write_text("node_modules/\n*.tmp\n# our notes\n.env")  # no final newline
    (team / "README.md").write_text("# Our reviews\n")
    lines = init(team, capsys)
    assert (
        lines[0]
        == f"rubrics/: copied {len(BUNDLED) - 1} bundled rubrics to customise; kept your {BUNDLED[0]}"
    )
    assert lines[2] == ".gitignore: added .drafts/, *.lock, *.conflict-*.toml, exports/, .cache/"
    assert lines[3] == "README.md: exists, left as it is"
    assert ours.read_text() == "# our own version\n"
    assert (team / "README.md").read_text() == "# Our reviews\n"
    ignore = (team / ".gitignore").read_text().splitlines()
    assert ignore[:4] == ["node_modules/", "*.tmp", "# our notes", ".env"]
    assert ignore[4].startswith("# reviewtui:")
    assert ignore[5:] == [line for line in IGNORED if line != "*.tmp"]


def test_init_inside_an_existing_repository_does_not_run_git_init(
    tmp_path: Path, git_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    company = tmp_path / "company"
    company.mkdir()
    git(company, "init", "--quiet")
    team = company / "people" / "reviews"
    assert init(team, capsys)[-1] == f"git: already inside the repository {company.resolve()}"
    assert not (team / ".git").exists()
    assert git(team, "rev-parse", "--show-toplevel") == str(company.resolve())


def test_init_without_git_changes_nothing(
    tmp_path: Path, git_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    team = tmp_path / "reviews"
    assert main(["init", str(team)]) == 1
    assert capsys.readouterr().err == (
        "reviewtui: git is not installed or not on PATH; install git (https://git-scm.com) and try again\n"
    )
    assert not team.exists()
