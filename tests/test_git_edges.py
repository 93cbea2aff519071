"""git's edge cases with the real binary: a newline in the folder's name, a commit refused after
staging, a bare repository and a detached HEAD each get a clear word, and the index is left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

import test_git_archive as shared
import test_git_history as shared_history
from reviewtui.cli import main

git, git_env, repo = shared.git, shared.git_env, shared.repo
PLAN, REVIEW = shared.PLAN, shared.REVIEW


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_history_of_a_sessions_folder_whose_path_holds_a_newline(
    tmp_path: Path, git_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "team\nreviews"
    sessions = team / "ses\nsions"
    sessions.mkdir(parents=True)
    git(team, "init", "--quiet")
    shared.copy_examples(sessions, PLAN, REVIEW)
    commit = shared_history.archive_on(monkeypatch, sessions, "2027-01-20")
    lines = shared_history.history_lines(sessions, "Ana Ruiz", capsys)
    assert lines[0] == "Ana Ruiz, from 1 commit in git:"
    assert any("plan agreed, 2026 H2: 6 metrics" in line and commit in line for line in lines)
    assert any("review signed, 2026 H2: score 3.41 of 5" in line for line in lines)


def staged(repo: Path) -> dict[str, str]:
    """Each staged path and the object staged for it."""
    names = git(repo, "diff", "--cached", "--name-only", "-z").split("\0")
    return {name: git(repo, "rev-parse", f":{name}") for name in names if name}


def test_a_refused_commit_unstages_what_archive_staged_and_only_that(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = repo / "sessions"
    # The user's own staged work: a note, and an earlier version of the plan.
    (repo / "notes.txt").write_text("team notes, edited\n")
    shared.copy_examples(sessions, PLAN)
    plan = sessions / PLAN
    plan.write_text(plan.read_text().replace('status = "agreed"', 'status = "draft"'))
    git(repo, "add", "notes.txt", f"sessions/{PLAN}")
    before = staged(repo)
    # Then the plan is agreed as it was, and a review signed: archive stages both, then a hook says no.
    shared.copy_examples(sessions, PLAN, REVIEW)
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'records must be checked by HR first' >&2\nexit 1\n")
    hook.chmod(0o700)
    head = git(repo, "rev-parse", "HEAD")

    code, _, err = run(capsys, "archive", "--sessions", str(sessions))
    assert code == 1
    assert "nothing is left staged" in err and "records must be checked by HR first" in err
    assert git(repo, "rev-parse", "HEAD") == head
    assert staged(repo) == before  # the review is not staged; the plan's earlier version still is
    assert git(repo, "status", "--porcelain", "--", f"sessions/{REVIEW}") == f"?? sessions/{REVIEW}"


def test_a_bare_repository_is_named_with_what_to_do(
    tmp_path: Path, git_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = tmp_path / "team.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare))
    before = sorted(path.name for path in bare.iterdir())
    code, _, err = run(capsys, "init", str(bare))
    assert code == 1
    assert f"is in the bare git repository {bare}" in err and f"`git clone {bare} reviews`" in err
    assert sorted(path.name for path in bare.iterdir()) == before  # nothing was changed
    sessions = bare / "sessions"
    sessions.mkdir()
    shared.copy_examples(sessions, REVIEW)
    for command in (["archive"], ["history", "Ana Ruiz"]):
        code, _, err = run(capsys, *command, "--sessions", str(sessions))
        assert code == 1
        assert "bare git repository" in err and "run reviewtui in the clone" in err
        assert "run `reviewtui init`" not in err


def test_a_detached_head_gets_a_clear_word_and_archive_commits_nowhere(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = repo / "sessions"
    shared.copy_examples(sessions, PLAN)
    shared_history.archive_on(monkeypatch, sessions, "2026-07-10")
    git(repo, "checkout", "--quiet", "--detach")
    short = git(repo, "rev-parse", "--short", "HEAD")
    shared.copy_examples(sessions, REVIEW)

    code, out, err = run(capsys, "archive", "--sessions", str(sessions))
    assert code == 1
    assert f"HEAD is detached at {short} (not on a branch)" in err and "`git switch main`" in err
    assert git(repo, "rev-parse", "--short", "HEAD") == short and staged(repo) == {}

    code, out, err = run(capsys, "history", "Ana Ruiz", "--sessions", str(sessions))
    assert code == 0 and "plan agreed" in out
    assert f"note: HEAD is detached at {short}" in err

    code, out, err = run(capsys, "init", str(repo))
    assert code == 0
    assert f"git: already inside the repository {repo}; HEAD is detached at {short}" in out


def test_a_huge_object_under_a_records_name_is_never_read_and_the_rest_are(
    tmp_path: Path, git_env: Path
) -> None:
    import subprocess

    from reviewtui.storage.git import read_blobs

    root = tmp_path / "team"
    root.mkdir()
    git(root, "init", "--quiet")
    small, huge = root / "small.toml", root / "huge.toml"
    small.write_bytes(b"a = 1\n")
    huge.write_bytes(b"x" * (3 * 2**20))  # past the 2 MiB record cap
    ids = [
        subprocess.run(["git", "hash-object", "-w", str(path)], cwd=root, capture_output=True, check=True)
        .stdout.decode()
        .strip()
        for path in (small, huge, small)
    ]
    missing = "0" * len(ids[0])
    # git's --batch-check is asked first: only objects within the cap are then read at all.
    assert read_blobs(root, [ids[0], ids[1], missing, ids[2]], 2**21) == [b"a = 1\n", None, None, b"a = 1\n"]


def test_a_git_folder_that_is_a_link_is_used_by_neither_init_nor_archive(
    tmp_path: Path, git_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A `.git -> elsewhere` in a folder (or a clone) would send the repository, and every review
    # archived into it, wherever the link points.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    team = tmp_path / "team"
    team.mkdir()
    (team / ".git").symlink_to(elsewhere)
    code, _, err = run(capsys, "init", str(team))
    assert code != 0 and "is a symbolic link" in err
    assert list(elsewhere.iterdir()) == [] and not (team / "rubrics").exists()

    linked = tmp_path / "linked"
    linked.mkdir()
    git(elsewhere, "init", "--quiet")  # a real repository behind the link
    (linked / ".git").symlink_to(elsewhere / ".git")
    sessions = linked / "sessions"
    sessions.mkdir()
    shared.copy_examples(sessions, PLAN)
    code, _, err = run(capsys, "archive", "--sessions", str(sessions))
    assert code != 0 and "is a symbolic link" in err
    assert git(elsewhere, "rev-list", "--all").strip() == ""  # nothing committed through the link
