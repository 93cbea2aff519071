"""Copies of one record: two files holding the same record id count as one record (pure).

A copied file (a backup in a sub-folder, a second name) would otherwise count as a second
signed review, skewing calibration's means and outliers. Of the copies the first by path
counts, whether or not they differ; the others are listed, saying when they differ.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .summaries import RecordSummary


@dataclass(frozen=True)
class Copy:
    """A file holding the same record (the same id) as another: only the first by path counts."""

    path: str
    kept: str
    """The file that counts: the first of the copies by path."""
    record_id: str
    differs: bool
    """Whether the two say different things (then which one is right is for a person to decide)."""

    @property
    def text(self) -> str:
        differs = "; they differ: keep the right one and remove the other" if self.differs else ""
        return f"{self.path}: a copy of {self.kept} (the same record, id {self.record_id}), counted once{differs}"


def one_per_record(summaries: list[RecordSummary]) -> tuple[list[RecordSummary], list[Copy]]:
    """Each record once: of files holding one id, the first by path counts; the others are copies.

    A copied file would otherwise count as a second signed review, skewing means and outliers.
    """
    first: dict[str, RecordSummary] = {}
    kept, copies = [], []
    for summary in summaries:
        original = first.setdefault(summary.record_id, summary) if summary.record_id else summary
        if original is summary:
            kept.append(summary)
            continue
        differs = dataclasses.replace(summary, path="") != dataclasses.replace(original, path="")
        copies.append(Copy(summary.path, original.path, summary.record_id, differs))
    return kept, copies
