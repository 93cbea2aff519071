"""Shared fixtures: a clean environment for every test, and paths to test data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
sys.path.insert(0, str(TESTS))  # lets tests import factories


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The user's own settings file (e.g. archive after saving) must not steer tests.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user-config"))
    # Private notes go to the user's data folder: never the real one of whoever runs the tests.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))
    # NO_COLOR turns snapshots monochrome; animations and a user's own
    # Textual settings would make runs differ from machine to machine.
    for name in ("NO_COLOR", "TEXTUAL", "TEXTUAL_LOG", "TEXTUAL_THEME", "COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(autouse=True)
def _private_umask():
    # As a careful user works with confidential records: folders and repositories a test makes are
    # private, so reviewtui's warning about files open to others is only met where a test means it.
    previous = os.umask(0o077)
    yield
    os.umask(previous)


@pytest.fixture
def data_dir() -> Path:
    return TESTS / "data"


@pytest.fixture
def minimal_rubric(data_dir: Path) -> Path:
    return data_dir / "rubric_minimal.toml"


@pytest.fixture(autouse=True)
def _no_app_left_running():
    # A test that fails while a real reviewtui runs on a pty must not leave it running.
    from pty_app import PtyApp

    yield
    for app in list(PtyApp.running):
        app.close()
