"""Checking files as `reviewtui validate` does: rubric or record, told apart by content."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LoadError, Problem
from ..models import rubric_problems
from ..score.signed import signed_score_problems
from ..shown import shown_path
from .agenda import agenda_from_document
from .evidence import evidence_from_document
from .experiments import experiments_from_document
from .feedback_import import feedback_from_document
from .keylines import key_lines, line_for
from .messages import dotted
from .preparation_file import preparation_from_document
from .private_notes import private_notes_from_document
from .records import MAX_RECORD_BYTES, session_from_document
from .rubrics import MAX_RUBRIC_BYTES, RubricCatalog, rubric_from_document
from .tomlfile import TomlDocument, read_toml, size_text


@dataclass
class FileReport:
    """What validating one file found."""

    path: Path
    kind: str | None = None
    """`rubric`, `record`, or the name of a file kind told by its `kind` key (see FILE_KINDS)."""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# Files told apart by their `kind` key: the name said in messages, and the check of its format.
# Told first: a preparation file has a rubric's `scale`, private notes a record's `schema_version`.
FILE_KINDS: dict[str, tuple[str, Callable[[TomlDocument], object]]] = {
    "agenda": ("agenda", agenda_from_document),
    "evidence-log": ("evidence log", evidence_from_document),
    "experiment-log": ("experiment log", experiments_from_document),
    "feedback": ("feedback", feedback_from_document),
    "preparation": ("preparation", preparation_from_document),
    "private-notes": ("private notes", private_notes_from_document),  # the user's own: checked, never shown
}


def _kind_of(data: dict) -> str | None:
    kind = data.get("kind")
    if isinstance(kind, str) and kind in FILE_KINDS:
        return FILE_KINDS[kind][0]
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
        checks = {name: check for name, check in FILE_KINDS.values()}
        if report.kind in checks:
            checks[report.kind](document)
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
