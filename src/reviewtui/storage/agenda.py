"""Agenda files on disk: one per employee beside the records (`agenda_<slug>.toml`), open topics only.

Read capped and never through a link, written atomically under the employee file's lock, like
the evidence log: two reviewtuis adding a topic at once both keep theirs.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from ..checkins.agenda import agenda_after
from ..errors import ReviewtuiError, SaveError
from ..models.agenda import AgendaFile, AgendaTopic, TopicVia
from ..models.envelope import Role
from ..models.evidence import new_entry_id
from ..models.session import Session
from ..shown import shown_path
from .atomic import atomic_write
from .employee_files import claimed_employee_file, employee_file
from .messages import field_problems, validated
from .records import MAX_RECORD_BYTES
from .tomlfile import TomlDocument, dumps_toml, read_toml, size_text

AGENDA_PREFIX = "agenda_"


class TopicRefusedError(ReviewtuiError):
    """A topic that breaks a rule of the format (empty, too long, an unknown role): nothing written."""


def agenda_from_document(document: TomlDocument) -> AgendaFile:
    """Validate a parsed document as an agenda file, or raise a LoadError naming keys and lines."""
    return validated(AgendaFile, document)


def load_agenda(path: Path) -> AgendaFile:
    """Load one agenda file (capped, never through a link)."""
    return agenda_from_document(
        read_toml(path, max_bytes=MAX_RECORD_BYTES, what="agenda file", follow_symlinks=False)
    )


def _owner(path: Path) -> str:
    return load_agenda(path).employee


def agenda_path(sessions_dir: Path, employee: str) -> Path:
    """The employee's agenda file (which may not exist yet), found by the name inside."""
    return employee_file(sessions_dir, AGENDA_PREFIX, employee, _owner)


def read_agenda(sessions_dir: Path, employee: str) -> AgendaFile:
    """The employee's open topics, none when no agenda file was written yet."""
    path = agenda_path(sessions_dir, employee)
    return load_agenda(path) if path.exists() else AgendaFile(employee=employee)


def _checked_bytes(agenda: AgendaFile) -> bytes:
    data = agenda.model_dump(mode="python", exclude_defaults=True)
    text = dumps_toml({"schema_version": 1, "kind": "agenda", **data})
    try:
        again = AgendaFile.model_validate(tomllib.loads(text, parse_float=Decimal))
    except (tomllib.TOMLDecodeError, ValidationError):
        again = None
    if again is None or again.model_dump() != agenda.model_dump():
        raise SaveError("the agenda file would not read back the same, so nothing was written")
    return text.encode("utf-8")


def _write(path: Path, agenda: AgendaFile) -> None:
    data = _checked_bytes(agenda)
    if len(data) > MAX_RECORD_BYTES:
        raise SaveError(
            f"the agenda file {shown_path(path)} would pass {size_text(MAX_RECORD_BYTES)}, the most reviewtui "
            "reads, so nothing was written; cover or remove some of its topics at the next meeting"
        )
    atomic_write(path, data)


def add_topic(
    sessions_dir: Path, employee: str, text: str, raised_by: str, role: Role, via: TopicVia, at: dt.datetime
) -> AgendaTopic:
    """Add one open topic to the employee's agenda, atomically (TopicRefusedError names the field)."""
    try:
        topic = AgendaTopic(
            id=new_entry_id(), text=text, raised_by=raised_by, role=role, raised_at=at, via=via
        )
    except ValidationError as error:  # pydantic's text quotes the values: name the fields only
        raise TopicRefusedError("; ".join(field_problems(AgendaTopic, error))) from None
    if "\n" in topic.text:
        raise TopicRefusedError("text: a topic is one line")
    with claimed_employee_file(sessions_dir, AGENDA_PREFIX, employee, _owner) as path:
        agenda = load_agenda(path) if path.exists() else AgendaFile(employee=employee)
        _write(path, agenda.model_copy(update={"topics": [*agenda.topics, topic]}))
    return topic


def add_prepared_topics(sessions_dir: Path, employee: str, topics: list[str], at: dt.datetime) -> int:
    """The topics of an employee's preparation, added as raised by them (`via = "preparation"`).

    A topic already open with the same words (however spaced or cased) is not added again, so
    importing a newer copy of the same preparation adds only what is new. Returns how many were added.
    """
    with claimed_employee_file(sessions_dir, AGENDA_PREFIX, employee, _owner) as path:
        agenda = load_agenda(path) if path.exists() else AgendaFile(employee=employee)
        open_texts = {_words(topic.text) for topic in agenda.topics}
        added = []
        for text in topics:
            if _words(text) in open_texts:
                continue
            open_texts.add(_words(text))
            added.append(
                AgendaTopic(
                    id=new_entry_id(),
                    text=text,
                    raised_by=employee,
                    role="employee",
                    raised_at=at,
                    via="preparation",
                )
            )
        if added:
            _write(path, agenda.model_copy(update={"topics": [*agenda.topics, *added]}))
    return len(added)


def _words(text: str) -> str:
    return " ".join(text.casefold().split())


def update_after_record(sessions_dir: Path, record: Session) -> Path | None:
    """Once `record` is written: its covered topics leave the agenda file, the others stay carried.

    None when there was nothing to change (no topics in the record and no file).
    """
    employee = record.participants.employee.name
    with claimed_employee_file(sessions_dir, AGENDA_PREFIX, employee, _owner) as path:
        agenda = load_agenda(path) if path.exists() else AgendaFile(employee=employee)
        after = agenda_after(agenda, record)
        if after == agenda:
            return None
        _write(path, after)
    return path


def meeting_people(sessions_dir: Path, employee: str) -> list[tuple[str, Role]]:
    """Who meets with the employee, by the newest record naming them: the manager, the employee,
    then the partners (just the employee when no record reads)."""
    from ..names import person_key
    from .records import list_record_names, load_session

    for name in list_record_names(sessions_dir):  # newest first
        try:
            people = load_session(name.path).participants
        except ReviewtuiError:
            continue
        if person_key(people.employee.name) == person_key(employee):
            found: list[tuple[str, Role]] = [
                (people.manager.name, "manager"),
                (people.employee.name, "employee"),
            ]
            return found + [(partner.name, "partner") for partner in people.partners]
    return [(employee, "employee")]
