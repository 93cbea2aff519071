"""What an archive commit says: one phrase per file archived, a short subject when there are many.

Pure: the caller has already chosen and loaded the files; nothing here touches git or the disk.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..models import FINAL_STATUS, Session
from ..shown import shown_text

FileKind = Literal["record", "evidence", "experiments", "feedback", "rubric"]
SUBJECT_LIMIT = 72
_NOUNS = {"alignment": "plan", "check-in": "check-in", "review": "review"}
_PLURALS = {
    "plan": "plans",
    "check-in": "check-ins",
    "review": "reviews",
    "evidence log": "evidence logs",
    "experiment log": "experiment logs",
    "rubric": "rubrics",
}
# Reviews first: the commit subject leads with what matters most to the people named.
_ORDER = {
    "review": 0,
    "check-in": 1,
    "alignment": 2,
    "evidence": 3,
    "experiments": 4,
    "feedback": 5,
    "rubric": 6,
}


@dataclass(frozen=True)
class ArchiveItem:
    """One file to archive: its name, what it holds, and whether git has seen it before."""

    name: str
    kind: FileKind
    added: bool
    employee: str
    """Whom the file is about; empty for a rubric."""
    session: Session | None = None
    """The record, for `kind == "record"`."""


def _head(item: ArchiveItem) -> tuple[str, str]:
    """(noun, verb): `("review", "signed")`, `("plan", "changed")`, `("evidence log", "")`."""
    if item.kind == "rubric":
        return "rubric", "added" if item.added else "changed"
    if item.session is None:
        nouns = {"evidence": "evidence log", "experiments": "experiment log"}
        return nouns.get(item.kind, "customer feedback"), ""
    kind = item.session.kind
    return _NOUNS[kind], FINAL_STATUS[kind] if item.added else "changed"


def describe(item: ArchiveItem) -> str:
    """`review signed: Ana Ruiz, 2026 H2`, `check-in changed: Bo Li, 2026 H2`, `evidence log: Ana Ruiz`."""
    noun, verb = _head(item)
    if item.kind == "rubric":  # a record cites it: `rubric added: customer-success-manager`
        return f"{noun} {verb}: {item.name.removesuffix('.toml')}"
    who = item.employee if item.session is None else f"{item.employee}, {item.session.period.label}"
    who = shown_text(who)  # a commit message is read in terminals too: names from files escaped
    return f"{noun} {verb}: {who}" if verb else f"{noun}: {who}"


def _sort_key(item: ArchiveItem) -> tuple[int, str, str]:
    kind = item.session.kind if item.session is not None else item.kind
    return _ORDER[kind], item.employee.casefold(), item.name


def _counted(items: Sequence[ArchiveItem], verbs: bool) -> str:
    """`3 reviews signed, 1 plan changed`, or without the usual verbs: `3 reviews, 1 plan changed`."""
    counts = Counter(_head(item) for item in items)
    parts = []
    for (noun, verb), count in counts.items():
        verb = verb if verbs or verb == "changed" else ""
        if noun == "customer feedback":
            noun = "customer feedback file" if count == 1 else "customer feedback files"
        elif count > 1:
            noun = _PLURALS[noun]
        parts.append(" ".join(part for part in (str(count), noun, verb) if part))
    return ", ".join(parts)


def commit_message(items: Sequence[ArchiveItem]) -> str:
    """The commit message for these files: every phrase on one line when it fits, else a subject
    counting them and a body listing each file."""
    if not items:
        raise ValueError("an archive commit needs at least one file")
    ordered = sorted(items, key=_sort_key)
    one_line = "; ".join(describe(item) for item in ordered)
    if len(one_line) <= SUBJECT_LIMIT:
        return one_line
    subjects = [f"archive: {_counted(ordered, verbs=True)}", f"archive: {_counted(ordered, verbs=False)}"]
    subject = next(
        (text for text in subjects if len(text) <= SUBJECT_LIMIT), f"archive: {len(ordered)} files"
    )
    body = "\n".join(f"- {describe(item)} ({shown_text(item.name)})" for item in ordered)
    return f"{subject}\n\n{body}"
