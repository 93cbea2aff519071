"""`reviewtui archive` against the real git binary: exactly the final files go in, and every way git
can say no comes out as one clear line."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from factories import csm_draft, make_session
from reviewtui.cli import main
from reviewtui.record.commit_message import ArchiveItem, commit_message
from reviewtui.storage import load_session, save_session
from reviewtui.storage.archiving import ArchiveResult, archive_records, repository_root
from reviewtui.storage.drafts import save_draft
from reviewtui.storage.git import NothingToArchiveError, PushError

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "src" / "reviewtui" / "examples"
PLAN = "2026-07-02_alignment_ana-ruiz_6513270e.toml"
CHECKIN = "2026-10-08_check-in_mei-chen_f3a4b5c6.toml"
REVIEW = "2027-01-12_review_ana-ruiz_a1b2c3d4.toml"
# Variables through which a git hook running these tests could point git at another repository.
_LEAKY = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR")


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git configured only by a temporary file: an identity, `main`, nothing from this machine."""
    config = tmp_path / "gitconfig"
    config.write_text(
        "[user]\n\tname = Test Archivist\n\temail = archivist@example.com\n[init]\n\tdefaultBranch = main\n"
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for name in _LEAKY:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return config


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` for the test's own checks; fails the test if git fails."""
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, git_env: Path) -> Path:
    """A plain repository (no reviewtui init, so no .gitignore helps) with one commit."""
    folder = tmp_path / "team"
    (folder / "sessions").mkdir(parents=True)
    git(folder, "init", "--quiet")
    (folder / "notes.txt").write_text("team notes\n")
    git(folder, "add", "notes.txt")
    git(folder, "commit", "--quiet", "-m", "start")
    return folder


def copy_examples(sessions: Path, *names: str) -> None:
    for name in names:
        shutil.copy(EXAMPLES / name, sessions / name)


def archive(sessions: Path, *args: str) -> int:
    return main(["archive", "--sessions", str(sessions), *args])


def committed_files(repo: Path, rev: str = "HEAD") -> list[str]:
    return git(repo, "show", "--name-only", "--format=", rev).splitlines()


def test_only_final_records_logs_and_feedback_are_committed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = repo / "sessions"
    copy_examples(sessions, PLAN, CHECKIN, REVIEW, "evidence_ana-ruiz.toml")
    (sessions / "feedback_ana-ruiz.toml").write_text(
        'schema_version = 1\nkind = "feedback"\nemployee = "Ana Ruiz"\n'
    )
    # Everything that must never reach git, made the way the app makes it.
    save_draft(csm_draft(), sessions)
    draft_record = make_session(status="draft", id="d" * 32)
    draft_path = save_session(draft_record, sessions)
    (sessions / f".{PLAN}.x1y2.tmp").write_text("half a record")
    (sessions / f"{PLAN}.lock").write_text("")
    (sessions / PLAN.replace(".toml", ".conflict-20270101T100000.toml")).write_text("a copy")
    (sessions / "exports").mkdir()
    (sessions / "exports" / "ana.md").write_text("# export")
    (sessions / ".cache").mkdir()
    (sessions / ".cache" / "report.json").write_text("{}")
    broken = sessions / "2026-08-01_alignment_bo-li_0badc0de.toml"
    broken.write_text("not = [toml")

    assert archive(sessions) == 0

    captured = capsys.readouterr()
    expected = sorted(
        f"sessions/{name}"
        for name in (PLAN, CHECKIN, REVIEW, "evidence_ana-ruiz.toml", "feedback_ana-ruiz.toml")
    )
    assert sorted(committed_files(repo)) == expected
    assert sorted(git(repo, "ls-tree", "-r", "--name-only", "HEAD").splitlines()) == sorted(
        ["notes.txt", *expected]
    )
    commit = git(repo, "rev-parse", "--short", "HEAD")
    assert captured.out.splitlines() == [
        f"archived 5 files in commit {commit}:",
        *(f"  {sessions / Path(name).name}" for name in sorted(expected)),
    ]
    assert captured.err.splitlines() == [
        f"skipped {sessions / draft_path.name}: still a draft record; it is archived once agreed",
        f"skipped {broken}: it does not load; `reviewtui validate {broken}` shows why",
    ]
    assert git(repo, "log", "-1", "--format=%B") == "\n".join(
        [
            "archive: 5 files",
            "",
            f"- review signed: Ana Ruiz, 2026 H2 ({REVIEW})",
            f"- check-in recorded: Mei Chen, 2026 H2 ({CHECKIN})",
            f"- plan agreed: Ana Ruiz, 2026 H2 ({PLAN})",
            "- evidence log: Ana Ruiz (evidence_ana-ruiz.toml)",
            "- customer feedback: Ana Ruiz (feedback_ana-ruiz.toml)",
        ]
    )
    # Nothing the records say is printed: only names of files.
    assert "Two competitors" not in captured.out + captured.err


def test_the_message_names_each_record_and_says_when_one_changed(repo: Path) -> None:
    sessions = repo / "sessions"
    copy_examples(sessions, REVIEW, CHECKIN)
    assert archive(sessions) == 0
    assert git(repo, "log", "-1", "--format=%B") == (
        "review signed: Ana Ruiz, 2026 H2; check-in recorded: Mei Chen, 2026 H2"
    )
    review = load_session(sessions / REVIEW)
    save_session(review.model_copy(update={"updated_at": review.updated_at.replace(hour=23)}), sessions)
    copy_examples(sessions, "evidence_mei-chen.toml")
    assert archive(sessions) == 0
    assert (
        git(repo, "log", "-1", "--format=%B") == "review changed: Ana Ruiz, 2026 H2; evidence log: Mei Chen"
    )
    assert archive(sessions, "--message", "Q1 calibration records") == 0  # nothing new: no commit
    copy_examples(sessions, PLAN)
    assert archive(sessions, "-m", "Q1 calibration records") == 0
    assert git(repo, "log", "-1", "--format=%B") == "Q1 calibration records"
    assert committed_files(repo) == [f"sessions/{PLAN}"]


def test_many_files_get_a_counted_subject_and_a_body_listing_each() -> None:
    plan, review = load_session(EXAMPLES / PLAN), load_session(EXAMPLES / REVIEW)
    items = [ArchiveItem(f"{n}_{REVIEW}", "record", True, f"Employee {n}", review) for n in range(3)] + [
        ArchiveItem(PLAN, "record", False, "Ana Ruiz", plan)
    ]
    assert commit_message(items).splitlines() == [
        "archive: 3 reviews signed, 1 plan changed",
        "",
        f"- review signed: Employee 0, 2026 H2 (0_{REVIEW})",
        f"- review signed: Employee 1, 2026 H2 (1_{REVIEW})",
        f"- review signed: Employee 2, 2026 H2 (2_{REVIEW})",
        f"- plan changed: Ana Ruiz, 2026 H2 ({PLAN})",
    ]


def test_a_record_saved_again_unchanged_leaves_nothing_to_archive(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = repo / "sessions"
    record = make_session()
    save_session(record, sessions)
    assert archive(sessions) == 0
    head = git(repo, "rev-parse", "HEAD")
    save_session(load_session(sessions / "2026-07-01_alignment_ana-ruiz_01234567.toml"), sessions)
    capsys.readouterr()
    assert archive(sessions) == 0
    assert capsys.readouterr().out == (
        f"nothing to archive: every final record, evidence log and feedback file in {sessions} "
        "is committed as it is\n"
    )
    assert git(repo, "rev-parse", "HEAD") == head


def test_the_users_other_staged_changes_stay_staged_and_out_of_the_commit(repo: Path) -> None:
    sessions = repo / "sessions"
    (repo / "notes.txt").write_text("half-written minutes\n")
    (repo / "plan.md").write_text("an idea\n")
    git(repo, "add", "notes.txt", "plan.md")
    copy_examples(sessions, PLAN)
    assert archive(sessions) == 0
    assert committed_files(repo) == [f"sessions/{PLAN}"]
    assert git(repo, "diff", "--cached", "--name-only").splitlines() == ["notes.txt", "plan.md"]


def test_the_users_pre_commit_hook_runs(repo: Path) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text('#!/bin/sh\necho ran > "$(git rev-parse --show-toplevel)/hook-ran"\n')
    hook.chmod(0o755)
    copy_examples(repo / "sessions", PLAN)
    assert archive(repo / "sessions") == 0
    assert (repo / "hook-ran").read_text() == "ran\n"
    assert committed_files(repo) == [f"sessions/{PLAN}"]


def test_a_hook_that_refuses_gives_one_short_clean_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    noise = "x" * 500
    hook.write_text(
        f"#!/bin/sh\necho 'checking records' >&2\necho '{noise}' >&2\n"
        "printf '\\033[31mtrailing whitespace in sessions/a.toml\\033[0m\\n' >&2\nexit 1\n"
    )
    hook.chmod(0o755)
    head = git(repo, "rev-parse", "HEAD")
    copy_examples(repo / "sessions", PLAN)
    assert archive(repo / "sessions") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err
    assert err.startswith("reviewtui: git commit was refused, so nothing was archived")
    assert len(err) < 400
    assert err.rstrip().endswith("trailing whitespace in sessions/a.toml")
    assert git(repo, "rev-parse", "HEAD") == head


def test_a_hook_that_hangs_is_stopped_in_time(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("reviewtui.storage.git.COMMIT_SECONDS", 1)
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nsleep 3\n")
    hook.chmod(0o755)
    copy_examples(repo / "sessions", PLAN)
    assert archive(repo / "sessions") == 1
    assert capsys.readouterr().err == (
        "reviewtui: git commit did not finish within 1 s and was stopped; "
        "a hook or a credential helper may be waiting\n"
    )


def test_a_lock_held_by_another_git_is_explained_and_left_alone(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = repo / ".git" / "index.lock"
    lock.write_text("")
    copy_examples(repo / "sessions", PLAN)
    assert archive(repo / "sessions") == 1
    err = capsys.readouterr().err
    assert err == (
        f"reviewtui: another git is working in this repository (its lock file {lock} exists); "
        "wait for it to finish and try again. If no git is running, it crashed: remove that file yourself\n"
    )
    assert lock.exists()


def test_no_identity_says_which_commands_set_it(
    repo: Path, git_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git_env.write_text("[user]\n\tuseConfigOnly = true\n")
    copy_examples(repo / "sessions", PLAN)
    assert archive(repo / "sessions") == 1
    assert capsys.readouterr().err == (
        "reviewtui: git does not know who you are, so it cannot commit; run "
        '`git config --global user.name "Your Name"` and `git config --global user.email "you@example.com"`\n'
    )


def test_outside_a_repository_suggests_init(
    tmp_path: Path, git_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = tmp_path / "loose" / "sessions"
    sessions.mkdir(parents=True)
    assert archive(sessions) == 1
    assert capsys.readouterr().err == (
        f"reviewtui: {sessions} is not in a git repository; "
        "run `reviewtui init` in the folder that holds it first\n"
    )
    assert repository_root(sessions) is None


def test_without_git_on_the_path_one_line_says_so(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert archive(repo / "sessions") == 1
    assert capsys.readouterr().err == (
        "reviewtui: git is not installed or not on PATH; install git (https://git-scm.com) and try again\n"
    )
    assert repository_root(repo) is None


@pytest.fixture
def remote(tmp_path: Path, repo: Path) -> Path:
    """A bare repository the team pushes to, with the repo's branch tracking it."""
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare))
    git(repo, "remote", "add", "origin", str(bare))
    git(repo, "push", "--quiet", "-u", "origin", "main")
    return bare


def test_push_sends_the_commit_to_the_upstream(
    repo: Path, remote: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_examples(repo / "sessions", PLAN)
    assert archive(repo / "sessions", "--push") == 0
    assert git(remote, "rev-parse", "main") == git(repo, "rev-parse", "HEAD")
    assert capsys.readouterr().out.splitlines()[-1] == "pushed to the upstream branch"


def test_a_push_rejected_because_the_remote_moved_on_is_one_line(
    tmp_path: Path, repo: Path, remote: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "colleague"
    git(tmp_path, "clone", "--quiet", str(remote), str(other))
    (other / "notes.txt").write_text("their notes\n")
    git(other, "commit", "--quiet", "-am", "colleague's change")
    git(other, "push", "--quiet")
    copy_examples(repo / "sessions", PLAN)
    assert archive(repo / "sessions", "--push") == 1
    commit = git(repo, "rev-parse", "--short", "HEAD")
    assert capsys.readouterr().err == (
        f"reviewtui: committed {commit}, but did not push it: the remote has commits this copy does not "
        "(push rejected); run `git pull --rebase`, then `git push`\n"
    )
    assert committed_files(repo) == [f"sessions/{PLAN}"]


def test_a_branch_without_upstream_says_how_to_set_one(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_examples(repo / "sessions", PLAN)
    with pytest.raises(PushError) as raised:
        archive_records(repo / "sessions", push=True)
    commit = git(repo, "rev-parse", "--short", "HEAD")
    assert str(raised.value) == (
        f"committed {commit}, but did not push it: the branch has no upstream to push to; "
        "set one once with `git push -u origin main`"
    )
    assert isinstance(raised.value.result, ArchiveResult) and raised.value.result.commit == commit


def test_the_python_api_returns_what_was_committed(repo: Path) -> None:
    sessions = repo / "sessions"
    assert repository_root(sessions) == repo.resolve()
    copy_examples(sessions, PLAN, "evidence_ana-ruiz.toml")
    result = archive_records(sessions)
    assert result == ArchiveResult(
        commit=git(repo, "rev-parse", "--short", "HEAD"),
        message="plan agreed: Ana Ruiz, 2026 H2; evidence log: Ana Ruiz",
        paths=[sessions / PLAN, sessions / "evidence_ana-ruiz.toml"],
        pushed=False,
        skipped=[],
    )
    with pytest.raises(NothingToArchiveError):
        archive_records(sessions)


def test_sessions_at_the_top_of_the_repository(tmp_path: Path, git_env: Path) -> None:
    sessions = tmp_path / "records"
    sessions.mkdir()
    git(sessions, "init", "--quiet")
    copy_examples(sessions, PLAN)
    os.mkdir(sessions / "exports")
    (sessions / "exports" / "a.md").write_text("x")
    assert archive_records(sessions).paths == [sessions / PLAN]
    assert committed_files(sessions) == [PLAN]


def test_an_experiment_log_is_archived_beside_the_evidence_log(repo: Path) -> None:
    import datetime as dt

    from reviewtui.models.experiments import Experiment
    from reviewtui.storage.experiments import add_experiment

    sessions = repo / "sessions"
    copy_examples(sessions, PLAN)
    archive_records(sessions)
    tried = Experiment(
        id="0a1b2c3d4e5f",
        logged_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
        title="Monday triage",
        hypothesis="A fixed triage halves the wait",
        change="Triage every Monday",
        started_on=dt.date(2026, 3, 2),
    )
    path, _ = add_experiment(sessions, "Ana Ruiz", tried)
    result = archive_records(sessions)
    assert (result.message, result.paths) == ("experiment log: Ana Ruiz", [path])
    assert "sessions/experiments_ana-ruiz.toml" in committed_files(repo)
