"""The real git binary for tests: a command runner and an empty repository with its own identity."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


def git(root: Path, *args: str) -> str:
    """Run git in `root` for the test's own checks; fails the test if git fails."""
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def empty_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`tmp_path/team`, a new repository whose commits are Bo Li's (no global or system git config read)."""
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Bo Li\n\temail = bo@example.com\n[init]\n\tdefaultBranch = main\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "team"
    root.mkdir()
    git(root, "init", "-q")
    return root
