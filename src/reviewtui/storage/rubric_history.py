"""Every version of the repository's rubric files that git holds, by the SHA-256 records cite.

A record names its rubric by the hash of the rubric file it was made with; `reviewtui archive`
commits the cited rubric files with the records. So an old review can be scored with its
rubric as it was, read back from git, rather than with today's.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path, PurePosixPath

from ..errors import LoadError
from ..models import Rubric
from .git import log_changes, read_blobs
from .rubrics import MAX_RUBRIC_BYTES, rubric_from_document
from .tomlfile import TomlDocument


def rubrics_in_history(root: Path, folders: Iterable[Path]) -> dict[str, Rubric]:
    """{sha256 of the file: rubric} for every version of every `*.toml` git holds directly in
    these folders (those outside the repository are passed over); files that do not load are left out."""
    relative = []
    for folder in folders:
        try:
            relative.append(Path(folder).resolve().relative_to(root).as_posix())
        except (ValueError, OSError):
            continue
    changes = [
        change
        for folder in dict.fromkeys(relative)
        for change in log_changes(root, folder)
        if change.change != "D"
        and PurePosixPath(change.path).suffix == ".toml"
        and PurePosixPath(change.path).parent == PurePosixPath(folder)
    ]
    found: dict[str, Rubric] = {}
    for change, raw in zip(
        changes, read_blobs(root, [c.blob for c in changes], MAX_RUBRIC_BYTES), strict=True
    ):
        if raw is None:
            continue
        sha = hashlib.sha256(raw).hexdigest()
        if sha in found:
            continue
        try:
            text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
            data = tomllib.loads(text, parse_float=Decimal)
            found[sha] = rubric_from_document(TomlDocument(Path(change.path), raw, text, data))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, RecursionError, LoadError):
            continue
    return found
