"""The draft as the room shares it, and as each side holds it: each keeps its own step."""

from __future__ import annotations

from typing import Any

from ..models.draft import AlignmentDraft
from ..models.draft_json import draft_from_data

LOCAL_KEYS = ("step", "updated_at")
"""Draft keys each side keeps for itself: everyone moves through the steps freely."""


def shared_data(draft: AlignmentDraft, current: dict[str, Any] | None) -> dict[str, Any]:
    """The draft as the shared document holds it: the local keys as the document has them."""
    data = draft.model_dump(mode="json")
    if current is not None:
        for key in LOCAL_KEYS:
            if key in current:
                data[key] = current[key]
    return data


def local_draft(data: dict[str, Any], mine: AlignmentDraft) -> AlignmentDraft:
    """The shared draft with this side's own step (and last edit time)."""
    merged = {**data, **{key: getattr(mine, key) for key in LOCAL_KEYS}}
    return draft_from_data(merged)
