"""The example team that ships with reviewtui, copied for `reviewtui demo`."""

from __future__ import annotations

from pathlib import Path

from .atomic import atomic_write, ensure_private_dir
from .reading import read_capped
from .records import MAX_RECORD_BYTES


def example_team_dir() -> Path:
    """The example team's records, evidence logs and feedback, inside the installed package."""
    return Path(__file__).resolve().parent.parent / "examples"


def copy_example_team(target: Path) -> Path:
    """Copy the example team's files (not drafts or exports made while trying it) into `target`."""
    ensure_private_dir(target)
    for path in sorted(example_team_dir().glob("*.toml")):
        if path.is_file():
            copied = target / path.name
            atomic_write(copied, read_capped(path, max_bytes=MAX_RECORD_BYTES, what="example file"))
            copied.chmod(0o600)
    return target
