"""The user's settings file: `$XDG_CONFIG_HOME/reviewtui/settings.toml` (default `~/.config`)."""

from __future__ import annotations

import os
from pathlib import Path

from ..models.settings import ArchiveChoice, Settings
from .atomic import atomic_write
from .messages import validated
from .tomlfile import dumps_toml, read_toml

MAX_SETTINGS_BYTES = 64 * 1024


def settings_path() -> Path:
    """Where the settings live; per user, never inside a review repository."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "reviewtui" / "settings.toml"


def load_settings(path: Path | None = None) -> Settings:
    """The settings, or the defaults when there is no file; a bad file raises a LoadError with its line."""
    path = path or settings_path()
    if not path.exists():
        return Settings()
    return validated(Settings, read_toml(path, max_bytes=MAX_SETTINGS_BYTES, what="settings file"))


def set_archive_after_save(choice: ArchiveChoice, path: Path | None = None) -> Path:
    """Change one setting, keeping the others as they are in the file."""
    path = path or settings_path()
    current = load_settings(path)
    updated = current.model_copy(update={"archive_after_save": choice})
    atomic_write(path, dumps_toml(updated.model_dump(exclude_defaults=False)).encode())
    return path
