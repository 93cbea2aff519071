"""Evidence logs on disk: one TOML file per employee beside the records."""

from __future__ import annotations

import difflib
import tomllib
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from ..errors import LoadError, ReviewtuiError, SaveError
from ..models.evidence import EvidenceEntry, EvidenceLog
from ..names import person_key
from ..shown import shown_path, shown_text
from .atomic import atomic_write
from .employee_files import claimed_employee_file, employee_file
from .messages import validated
from .records import MAX_RECORD_BYTES, list_record_names, load_session
from .sessions_folder import SessionsFolderError, sessions_folder_problem
from .tomlfile import TomlDocument, dumps_toml, read_toml, size_text

LOG_PREFIX = "evidence_"


class UnknownEmployeeError(ReviewtuiError):
    """An employee that no record in the folder names."""


def evidence_from_document(document: TomlDocument) -> EvidenceLog:
    """Validate a parsed document as an evidence log, or raise a LoadError with lines."""
    return validated(EvidenceLog, document)


def load_evidence(path: Path) -> EvidenceLog:
    """Load one evidence log."""
    return evidence_from_document(
        read_toml(path, max_bytes=MAX_RECORD_BYTES, what="evidence log", follow_symlinks=False)
    )


def known_employees(sessions_dir: Path) -> dict[str, str]:
    """Employees named by the records in the folder, keyed by `person_key` (the newest spelling wins)."""
    names: dict[str, str] = {}
    for name in list_record_names(sessions_dir):
        try:
            employee = load_session(name.path).participants.employee.name
        except LoadError:
            continue
        names.setdefault(person_key(employee), employee)
    return names


def resolve_employee(sessions_dir: Path, typed: str) -> str:
    """The employee's name as the records spell it, or an error that suggests the nearest.

    A sessions folder that is missing, a file or a broken link is said as such, never as "no record".
    """
    if (problem := sessions_folder_problem(sessions_dir)) is not None:
        raise SessionsFolderError(problem)
    names = known_employees(sessions_dir)
    found = names.get(person_key(typed))
    if found:
        return found
    close = difflib.get_close_matches(person_key(typed), list(names), n=1, cutoff=0.6)
    hint = f"; did you mean {shown_text(names[close[0]])}?" if close else ""
    listing = ", ".join(shown_text(name) for name in sorted(names.values())) or "none yet"
    raise UnknownEmployeeError(
        f"no record in {shown_path(sessions_dir)} names an employee {typed!r}{hint} (known: {listing})"
    )


def plan_metrics(sessions_dir: Path, employee: str) -> dict[str, str]:
    """Metric ids and names from the employee's records, the latest plan winning."""
    metrics: dict[str, str] = {}
    for name in reversed(list_record_names(sessions_dir)):  # oldest first, so later plans overwrite
        try:
            session = load_session(name.path)
        except LoadError:
            continue
        if person_key(session.participants.employee.name) == person_key(employee):
            metrics |= {metric.id: metric.name for metric in session.metrics}
    return metrics


def log_path(sessions_dir: Path, employee: str) -> Path:
    """The employee's log file: `evidence_<slug>.toml`, numbered if another employee has the slug."""
    return employee_file(sessions_dir, LOG_PREFIX, employee, _log_owner)


def _log_owner(path: Path) -> str:
    return load_evidence(path).employee


def read_log(sessions_dir: Path, employee: str) -> EvidenceLog:
    """The employee's log, empty if none was written yet."""
    path = log_path(sessions_dir, employee)
    return load_evidence(path) if path.exists() else EvidenceLog(employee=employee)


def _checked_bytes(log: EvidenceLog) -> bytes:
    data = log.model_dump(mode="python", exclude_defaults=True)
    text = dumps_toml({"schema_version": 1, "kind": "evidence-log", **data})
    try:
        again = EvidenceLog.model_validate(tomllib.loads(text, parse_float=Decimal))
    except (tomllib.TOMLDecodeError, ValidationError):
        again = None
    if again is None or again.model_dump() != log.model_dump():
        raise SaveError("the evidence log would not read back the same, so nothing was written")
    return text.encode("utf-8")


def append_entry(sessions_dir: Path, employee: str, entry: EvidenceEntry) -> Path:
    """Add an entry to the employee's log, atomically; the old file stays whole on failure."""
    # Read, append and write as one step: another writer's entry is not lost.
    with claimed_employee_file(sessions_dir, LOG_PREFIX, employee, _log_owner) as path:
        log = load_evidence(path) if path.exists() else EvidenceLog(employee=employee)
        updated = log.model_copy(update={"entries": [*log.entries, entry]})
        data = _checked_bytes(EvidenceLog.model_validate(updated.model_dump()))
        if len(data) > MAX_RECORD_BYTES:
            raise SaveError(log_full(path))
        atomic_write(path, data)
    return path


def log_full(path: Path) -> str:
    """Why an entry was not added to a log at its cap, and what to do."""
    return (
        f"the evidence log {shown_path(path)} would pass {size_text(MAX_RECORD_BYTES)}, the most reviewtui "
        "reads, so the entry was not added; to keep logging, run `reviewtui archive` and then move that "
        "file into a sub-folder of the sessions folder (git keeps it): the next entry starts a new log"
    )
