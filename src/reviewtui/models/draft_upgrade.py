"""Drafts saved before the between-meetings steps, brought to today's format when they are read.

A draft keeps the step it was on as a number. Version 2 (December 2026) put new steps in the
flows: every check-in and review opens with its agenda, a check-in follows the development
objectives after its targets, and a plan agrees them before the last step. So a version 1
draft's number counts the steps of then; `upgraded` turns it into the same step of today's flow.
"""

from __future__ import annotations

from .draft import AlignmentDraft, CheckinDraft, ReviewDraft

# Version 1's check-in steps (actuals, plan, actions, record), by where each is now.
_CHECKIN_NOW = (1, 2, 4, 5)
_ALIGNMENT_AGREE_THEN = 4  # participants, impact map, metrics, targets, agree: agree moved one on


def upgraded_step(draft: AlignmentDraft) -> int:
    """Where a version 1 draft's `step` is in today's flow of the same draft."""
    step = draft.step
    if isinstance(draft, CheckinDraft):
        return _CHECKIN_NOW[min(step, len(_CHECKIN_NOW) - 1)]
    if isinstance(draft, ReviewDraft):
        # Today: the agenda first; from scratch, the agenda right after the participants.
        return step if draft.from_scratch and step == 0 else step + 1
    return step + 1 if step >= _ALIGNMENT_AGREE_THEN else step


def upgraded(draft: AlignmentDraft) -> AlignmentDraft:
    """The draft in today's format (version 2): unchanged when it already is."""
    if draft.draft_version == 2:
        return draft
    return draft.model_copy(update={"draft_version": 2, "step": upgraded_step(draft)})
