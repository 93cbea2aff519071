"""Checking files as `reviewtui validate` does: rubric or record, told apart by content."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..errors import LoadError, Problem
from ..models import rubric_problems
from ..score.signed import signed_score_problems
from ..shown import shown_path
from .agenda import agenda_from_document
from .evidence import evidence_from_document
from .feedback_import import feedback_from_document
from .keylines import key_lines, line_for
from .messages import dotted
from .records import MAX_RECORD_BYTES, session_from_document
from .rubrics import MAX_RUBRIC_BYTES, RubricCatalog, rubric_from_document
from .tomlfile import read_toml, size_text


@dataclass
class FileReport:
    """What validating one file found."""

    path: Path
    kind: Literal["rubric", "record", "evidence log", "feedback", "agenda"] | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _kind_of(data: dict) -> Literal["rubric", "record", "evidence log", "feedback", "agenda"] | None:
    if data.get("kind") == "evidence-log":
        return "evidence log"
    if data.get("kind") == "feedback":
        return "feedback"
    if data.get("kind") == "agenda":
        return "agenda"
    if "schema_version" in data or "participants" in data:
        return "record"
    if "outcomes" in data or "scale" in data or "template" in data:
        return "rubric"
    return None


def validate_path(path: Path, catalog: RubricCatalog) -> FileReport:
    """Validate one rubric or record file; problems are `path:line: message` lines."""
    report = FileReport(path)
    try:
        document = read_toml(path, max_bytes=MAX_RECORD_BYTES, what="rubric or record", follow_symlinks=False)
        report.kind = _kind_of(document.data)
        if report.kind is None:
            message = (
                "is neither a rubric nor a record: a rubric has `outcomes`, `scale` or `template`; "
                "a record has `schema_version` or `participants`"
            )
            raise LoadError(path, [Problem(message, 1)])
        if report.kind == "rubric":
            if len(document.raw) > MAX_RUBRIC_BYTES:
                message = f"is larger than {size_text(MAX_RUBRIC_BYTES)}, too large for a rubric; is it the right file?"
                raise LoadError(path, [Problem(message, 1)])
            rubric_from_document(document)
            return report
        if report.kind == "evidence log":
            evidence_from_document(document)
            return report
        if report.kind == "feedback":
            feedback_from_document(document)
            return report
        if report.kind == "agenda":
            agenda_from_document(document)
            return report
        session = session_from_document(document)
    except LoadError as error:
        report.problems = [problem.render(path) for problem in error.problems]
        return report

    lines = key_lines(document.text)
    for where, message in signed_score_problems(session):
        report.problems.append(Problem(message, line_for(lines, where) or 1, dotted(where)).render(path))
    source = catalog.get(session.rubric.id)
    if source is None:
        report.notes.append(
            f"{shown_path(path)}: rubric `{session.rubric.id}` was not found, so outcomes and levels were not checked"
        )
        return report
    for where, message in rubric_problems(session, source.rubric):
        report.problems.append(Problem(message, line_for(lines, where) or 1, dotted(where)).render(path))
    if source.sha256 != session.rubric.sha256:
        report.notes.append(
            f"{shown_path(path)}: made with a different version of the file of rubric `{session.rubric.id}` "
            + (
                f"(its hash differs); it keeps the score it was signed with, and shows the score under {shown_path(source.path)} beside it when that differs"
                if session.signed_score is not None
                else f"(its hash differs); scores will be computed with {shown_path(source.path)}"
            )
        )
    return report
