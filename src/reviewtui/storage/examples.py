"""The example team that ships with reviewtui, copied for `reviewtui demo`."""

from __future__ import annotations

from pathlib import Path

from .atomic import ensure_private_dir
from .reading import read_capped
from .record_names import MAX_RECORD_BYTES
from .safe_files import write_new_file


def example_team_dir() -> Path:
    """The example team's records, evidence logs and feedback, inside the installed package."""
    return Path(__file__).resolve().parent.parent / "examples"


def copy_example_team(target: Path) -> Path:
    """Copy the example team's files (not drafts or exports made while trying it) into `target`."""
    ensure_private_dir(target)
    for path in sorted(example_team_dir().glob("*.toml")):
        if path.is_file():
            # Private (0600) from the start; never through a link.
            write_new_file(
                target / path.name, read_capped(path, max_bytes=MAX_RECORD_BYTES, what="example file")
            )
    return target
