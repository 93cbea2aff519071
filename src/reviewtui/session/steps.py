"""The steps of a draft's session: one function, shared by the driver and the home screen's list."""

from __future__ import annotations

from ..models import Rubric
from ..models.draft import AlignmentDraft, steps_of


def flow_of(draft: AlignmentDraft, rubric: Rubric | None) -> list[str]:
    """The steps of this draft's session, review sections in its rubric's template order."""
    return steps_of(draft, [section.id for section in rubric.template] if rubric else None)
