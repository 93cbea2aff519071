"""The rubric a record cites is in git: `init` commits its own files, `archive` a cited rubric file.

Real git in temp folders, configured only by a temp file (see test_git_archive.git_env).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

import test_git_archive as shared
from factories import AGREE_STEP, make_session
from reviewtui.cli import main
from reviewtui.storage import bundled_rubrics_dir, discover_rubrics, load_session, save_session
from reviewtui.storage.archiving import archive_records

git = shared.git
git_env = shared.git_env
committed_files = shared.committed_files
BUNDLED = sorted(path.name for path in bundled_rubrics_dir().glob("*.toml"))
TESTS = Path(__file__).parent


def init(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    capsys.readouterr()
    code = main(["init", str(folder)])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def tracked(repo: Path) -> list[str]:
    return sorted(git(repo, "ls-files").splitlines())


def test_init_commits_its_own_files_when_it_made_the_repository(
    tmp_path: Path, git_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "reviews"
    code, lines, err = init(team, capsys)
    assert code == 0 and err == ""
    head = git(team, "rev-parse", "--short", "HEAD")
    assert lines[-1] == f"git: committed rubrics/, .gitignore and README.md as the first commit {head}"
    assert tracked(team) == sorted([".gitignore", "README.md", *(f"rubrics/{name}" for name in BUNDLED)])
    assert git(team, "status", "--porcelain") == ""
    assert git(team, "log", "--format=%s") == "Set up the review repository (reviewtui init)"
    # Exactly the bytes on disk: a record's rubric hash resolves from the history.
    rubric = f"rubrics/{BUNDLED[0]}"
    blob = subprocess.run(["git", "-C", str(team), "show", f"HEAD:{rubric}"], capture_output=True, check=True)
    assert blob.stdout == (team / rubric).read_bytes()


def test_init_commits_only_what_it_wrote_not_the_teams_own_files(
    tmp_path: Path, git_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "reviews"
    (team / "rubrics").mkdir(parents=True)
    (team / "rubrics" / BUNDLED[0]).write_text("# our own version\n")
    (team / "README.md").write_text("# Our reviews\n")
    (team / "notes.txt").write_text("private notes\n")
    code, lines, _ = init(team, capsys)
    assert code == 0
    assert lines[-1].startswith("git: committed rubrics/ and .gitignore as the first commit ")
    assert tracked(team) == sorted([".gitignore", *(f"rubrics/{name}" for name in BUNDLED[1:])])
    untracked = git(team, "status", "--porcelain").splitlines()
    assert sorted(untracked) == ["?? README.md", "?? notes.txt", f"?? rubrics/{BUNDLED[0]}"]


def test_init_without_a_git_identity_says_how_to_set_one_and_keeps_the_files(
    tmp_path: Path, git_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git_env.write_text("[user]\n\tuseConfigOnly = true\n[init]\n\tdefaultBranch = main\n")
    team = tmp_path / "reviews"
    code, lines, err = init(team, capsys)
    assert code == 1
    assert lines[-1] == "git: initialised a repository here, private to you (core.sharedRepository = 0600)"
    assert err == (
        "reviewtui: git: the first commit was not made: git does not know who you are, so it cannot "
        'commit; run `git config --global user.name "Your Name"` and '
        '`git config --global user.email "you@example.com"`; then run '
        '`git add -- rubrics .gitignore README.md` and `git commit -m "Set up the review repository"`\n'
    )
    assert sorted(path.name for path in (team / "rubrics").iterdir()) == BUNDLED
    assert (team / ".gitignore").is_file() and (team / "README.md").is_file()
    no_commit = subprocess.run(["git", "-C", str(team), "rev-parse", "--verify", "-q", "HEAD"], check=False)
    assert no_commit.returncode != 0


def test_init_inside_an_existing_repository_commits_nothing(
    tmp_path: Path, git_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    company = tmp_path / "company"
    company.mkdir()
    git(company, "init", "--quiet")
    code, lines, _ = init(company / "reviews", capsys)
    assert code == 0 and lines[-1] == f"git: already inside the repository {company.resolve()}"
    assert tracked(company) == []


@pytest.fixture
def team(tmp_path: Path, git_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> Path:
    """A review repository made by `reviewtui init`, the app's working folder."""
    folder = tmp_path / "reviews"
    assert init(folder, capsys)[0] == 0
    monkeypatch.chdir(folder)  # where the team runs reviewtui, so ./rubrics is found
    return folder


def test_archive_commits_a_changed_rubric_a_record_cites_and_no_other(team: Path) -> None:
    cited, other = (
        team / "rubrics" / "customer-success-manager.toml",
        team / "rubrics" / "support-engineer.toml",
    )
    cited.write_bytes(cited.read_bytes() + b"# Tuned for the enterprise book.\n")
    other.write_bytes(other.read_bytes() + b"# Not cited by anything archived.\n")
    shutil.copy(shared.EXAMPLES / shared.PLAN, team / "sessions" / shared.PLAN)  # cites the CSM rubric
    assert main(["archive", "--sessions", "sessions"]) == 0
    assert committed_files(team) == ["rubrics/customer-success-manager.toml", f"sessions/{shared.PLAN}"]
    assert git(team, "log", "-1", "--format=%s") == (
        "plan agreed: Ana Ruiz, 2026 H2; rubric changed: customer-success-manager"
    )
    assert git(team, "status", "--porcelain") == "M rubrics/support-engineer.toml"  # stripped: " M"


def test_archive_commits_a_new_rubric_so_the_records_hash_resolves_from_history(team: Path) -> None:
    rubric = team / "rubrics" / "test-role.toml"
    shutil.copy(TESTS / "data" / "rubric_minimal.toml", rubric)
    sha256 = hashlib.sha256(rubric.read_bytes()).hexdigest()
    session = make_session(rubric={"id": "test-role", "version": 1, "sha256": sha256})
    path = save_session(session, team / "sessions")
    result = archive_records(team / "sessions", rubrics=discover_rubrics([team / "rubrics"]))
    assert result.paths == [path, team / "rubrics" / "test-role.toml"]
    assert result.message == "plan agreed: Ana Ruiz, 2026 H2; rubric added: test-role"
    blob = subprocess.run(
        ["git", "-C", str(team), "show", f"{result.commit}:rubrics/test-role.toml"],
        capture_output=True,
        check=True,
    )
    assert hashlib.sha256(blob.stdout).hexdigest() == session.rubric.sha256


def test_an_unchanged_committed_rubric_is_not_archived_again(team: Path) -> None:
    shutil.copy(shared.EXAMPLES / shared.PLAN, team / "sessions" / shared.PLAN)
    assert archive_records(team / "sessions").paths == [team / "sessions" / shared.PLAN]
    assert committed_files(team) == [f"sessions/{shared.PLAN}"]


def test_a_rubric_outside_the_repository_is_never_committed(team: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(TESTS / "data" / "rubric_minimal.toml", outside / "test-role.toml")
    save_session(make_session(), team / "sessions")
    result = archive_records(team / "sessions", rubrics=discover_rubrics([outside]))
    assert [path.parent.name for path in result.paths] == ["sessions"]


async def test_archiving_from_the_app_commits_the_rubric_the_new_plan_cites(team: Path) -> None:
    import test_archive_app as app_tests
    from factories import csm_draft
    from pilot_helpers import Clock
    from reviewtui.storage.drafts import save_draft
    from reviewtui.ui.app import ReviewApp

    rubric = team / "rubrics" / "customer-success-manager.toml"
    rubric.write_bytes(rubric.read_bytes() + b"# Our enterprise book.\n")  # the team's own version
    sessions = team / "sessions"
    save_draft(csm_draft(AGREE_STEP), sessions)
    app = ReviewApp(sessions, discover_rubrics([team / "rubrics"]), clock=Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await app_tests._agree(app, pilot)
        await app_tests.press(app, pilot, "a")
    [record] = sessions.glob("*.toml")
    assert committed_files(team) == ["rubrics/customer-success-manager.toml", f"sessions/{record.name}"]
    cited = load_session(record).rubric.sha256
    blob = subprocess.run(
        ["git", "-C", str(team), "show", "HEAD:rubrics/customer-success-manager.toml"],
        capture_output=True,
        check=True,
    )
    assert hashlib.sha256(blob.stdout).hexdigest() == cited
