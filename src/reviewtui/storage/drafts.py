"""Drafts of sessions in progress, kept beside the records but out of git."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import LoadError
from ..models.draft import AlignmentDraft, CheckinDraft, ReviewDraft
from .atomic import atomic_write, ensure_private_dir
from .messages import validated
from .records import MAX_RECORD_BYTES, inside
from .tomlfile import dumps_toml, read_toml

DRAFTS_DIRNAME = ".drafts"
# Ignores the folder's whole content, itself included, without touching the team's own .gitignore.
_IGNORE_ALL = b"# Drafts hold unfinished, confidential text: never commit them.\n*\n"


@dataclass(frozen=True)
class DraftFile:
    """A draft and where it is kept."""

    path: Path
    draft: AlignmentDraft


def drafts_dir(sessions_dir: Path) -> Path:
    """The drafts folder inside a sessions folder."""
    return sessions_dir / DRAFTS_DIRNAME


def draft_path(sessions_dir: Path, draft_id: str) -> Path:
    """Where the draft with this id is kept."""
    return inside(drafts_dir(sessions_dir), f"{draft_id}.toml")


def save_draft(draft: AlignmentDraft, sessions_dir: Path) -> Path:
    """Save a draft atomically; the drafts folder is private and git-ignored."""
    folder = drafts_dir(sessions_dir)
    ensure_private_dir(folder)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        atomic_write(ignore, _IGNORE_ALL)
    path = draft_path(sessions_dir, draft.id)
    data = draft.model_dump(mode="python", exclude_defaults=True)
    atomic_write(path, dumps_toml({"draft_version": 1, **data}).encode())
    return path


def load_draft(path: Path) -> AlignmentDraft:
    """Load one draft file: an alignment draft, or a review draft (`kind = "review"`)."""
    document = read_toml(path, max_bytes=MAX_RECORD_BYTES, what="draft")
    kinds = {"review": ReviewDraft, "check-in": CheckinDraft}
    model = kinds.get(document.data.get("kind"), AlignmentDraft)
    return validated(model, document)


def list_drafts(sessions_dir: Path) -> tuple[list[DraftFile], list[LoadError]]:
    """Drafts in progress, most recently changed first, and those that could not be read."""
    drafts, errors = [], []
    folder = drafts_dir(sessions_dir)
    try:
        paths = sorted(path for path in folder.iterdir() if path.suffix == ".toml")
    except OSError:
        return [], []
    for path in paths:
        try:
            drafts.append(DraftFile(path, load_draft(path)))
        except LoadError as error:
            errors.append(error)
    drafts.sort(key=lambda item: item.draft.updated_at, reverse=True)
    return drafts, errors


def delete_draft(sessions_dir: Path, draft_id: str) -> None:
    """Remove a draft once its record is saved (or the pair discard it)."""
    with contextlib.suppress(FileNotFoundError):
        draft_path(sessions_dir, draft_id).unlink()
