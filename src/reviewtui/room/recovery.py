"""Edits a live session's host received but did not yet autosave, taken back from the room's journal.

The host appends every change that reaches it to the journal beside the draft at once; when it
is killed in the second before an autosave, the journal holds what the draft file does not.
"""

from __future__ import annotations

from pathlib import Path

from ..models.draft import AlignmentDraft
from .draft_sides import local_draft
from .shared_draft import SharedDraft, resumed


def journal_state(sessions_dir: Path, draft: AlignmentDraft, draft_sha: str | None) -> SharedDraft | None:
    """The shared document as the journal of this draft left it; None without a journal that matches
    the draft file (one made for another state of the file is never applied). A journal that cannot
    be used is a RoomJournalError naming it."""
    if not draft_sha:
        return None
    return resumed(sessions_dir, draft.id, draft_sha)


def taken_back(shared: SharedDraft, draft: AlignmentDraft) -> AlignmentDraft:
    """The journal's draft, at the step this side was on."""
    return local_draft(shared.draft_data(), draft)
