"""The user's settings file: `$XDG_CONFIG_HOME/reviewtui/settings.toml` (default `~/.config`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SaveError
from .atomic import atomic_write
from .safe_files import shown_path
from .tomlfile import read_toml

if TYPE_CHECKING:  # the settings model loads pydantic: only once a settings file is read
    from ..models.settings import ArchiveChoice, Settings

MAX_SETTINGS_BYTES = 64 * 1024


def settings_path() -> Path:
    """Where the settings live; per user, never inside a review repository."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "reviewtui" / "settings.toml"


def load_settings(path: Path | None = None) -> Settings:
    """The settings, or the defaults when there is no file; a bad file raises a LoadError with its line."""
    from ..models.settings import Settings
    from .messages import validated

    path = path or settings_path()
    if not path.exists():
        return Settings()
    return validated(Settings, read_toml(path, max_bytes=MAX_SETTINGS_BYTES, what="settings file"))


def set_archive_after_save(choice: ArchiveChoice, path: Path | None = None) -> Path:
    """Change one setting in place: the file's other keys, its comments and its layout stay as they are."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    from ..models.settings import Settings
    from .messages import validated

    path = path or settings_path()
    if path.exists():
        document = read_toml(path, max_bytes=MAX_SETTINGS_BYTES, what="settings file")
        validated(Settings, document)  # a bad file is reported, never rewritten
        text = document.text
    else:
        text = ""
    try:
        edited = tomlkit.parse(text)
        edited["archive_after_save"] = choice
        updated = edited.as_string()
    except TOMLKitError as error:  # tomllib read it; tomlkit should too, but never a traceback
        raise SaveError(
            f"cannot change {shown_path(path)}: {error}; set archive_after_save by hand"
        ) from None
    atomic_write(path, updated.encode("utf-8"))
    return path
