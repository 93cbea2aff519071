"""Who wrote in which field: what the host notes when a participant's edit reaches it."""

from __future__ import annotations

from ..models.draft import AlignmentDraft, DraftContribution


def with_written(draft: AlignmentDraft, fields: set[str], name: str, role: str, via: str) -> AlignmentDraft:
    """The draft noting that this person wrote in these fields (UI field keys) from `via`.

    Each field, person and way is noted once, so a long session of typing adds one entry per field;
    entries stay sorted by field, then name and way, so the draft file stays stable and diff-friendly.
    """
    noted = {(c.field, c.name, c.role, c.via) for c in draft.contributions}
    new = {(field, name, role, via) for field in fields} - noted
    if not new:
        return draft
    entries = [
        DraftContribution(field=field, name=name, role=role, via=via)  # type: ignore[arg-type]
        for field, name, role, via in sorted(noted | new)
    ]
    return draft.model_copy(update={"contributions": entries})
