"""Preparation files: the form written for one person, the filled ones imported beside the records.

An imported file is kept as `preparation_<employee slug>_<id>.toml` in the sessions folder (the
id is the request's, so importing a newer copy of the same request replaces the earlier one).
The file a person sends back is read as anything from outside: capped, never through a link or
from a special file, and every problem named by key and line without showing what was written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import LoadError, ReviewtuiError
from ..models import Rubric, Session
from ..models.preparation import Preparation, PreparingRole
from ..names import person_key
from ..review.preparations import import_problems, not_a_partner, partner_in_plan, preparation_form
from ..shown import shown_path, shown_text
from .agenda import add_prepared_topics
from .atomic import atomic_write
from .drafts import lock_file_for
from .evidence import known_employees, resolve_employee
from .locks import locked
from .preparation_file import MAX_PREPARATION_BYTES, open_preparation, preparation_bytes
from .record_names import list_record_names
from .records import inside, load_session, slug
from .sessions_folder import SessionsFolderError, sessions_folder_problem
from .tomlfile import size_text

PREFIX = "preparation_"
_STORED_NAME = re.compile(re.escape(PREFIX) + r"[a-z0-9-]{1,40}_([0-9a-f]{12})\.toml")


class PreparationRefusedError(ReviewtuiError):
    """A preparation that cannot be asked for or imported as given; nothing was written."""


@dataclass(frozen=True)
class Imported:
    """What an import did."""

    path: Path
    preparation: Preparation
    replaced: bool
    """An earlier import of the same request was replaced."""
    topics_added: int = 0
    """How many of the employee's topics joined their agenda (those already open are not repeated)."""
    agenda_problem: str | None = None
    """Why the topics could not join the agenda, when they could not (the import itself stands)."""


def load_preparation(path: Path) -> Preparation:
    """One preparation file, validated as `prepare fill` reads it (capped, never through a link, levels on
    its own scale); a LoadError names every problem by key and line."""
    return open_preparation(path).preparation


# The employee's plan ----------------------------------------------------------------------


def current_plan(sessions_dir: Path, employee: str) -> tuple[Path, Session] | None:
    """The employee's plan as it stands: their newest agreed plan or recorded check-in."""
    latest: tuple[Path, Session] | None = None
    for name in list_record_names(sessions_dir):
        if name.kind == "review":
            continue
        try:
            session = load_session(name.path)
        except LoadError:
            continue
        if person_key(session.participants.employee.name) != person_key(employee):
            continue
        if session.status in ("agreed", "recorded") and (
            latest is None or session.created_at > latest[1].created_at
        ):
            latest = (name.path, session)
    return latest


# Asking -----------------------------------------------------------------------------------


def ask_for(
    sessions_dir: Path,
    rubrics: dict[str, Rubric],
    typed_employee: str,
    *,
    partner: str | None,
    ask_id: str,
    now: dt.datetime,
    due: dt.date | None = None,
) -> Preparation:
    """The form for the employee (or one of their partners) from the employee's current plan."""
    employee = resolve_employee(sessions_dir, typed_employee)
    found = current_plan(sessions_dir, employee)
    if found is None:
        raise PreparationRefusedError(
            f"{shown_text(employee)} has no agreed plan or recorded check-in in {shown_path(sessions_dir)}; "
            "a preparation is written from the plan the review builds on"
        )
    plan = found[1]
    rubric = rubrics.get(plan.rubric.id)
    if rubric is None:
        raise PreparationRefusedError(
            f"the rubric `{plan.rubric.id}` of {shown_text(employee)}'s plan is not found; "
            "point --rubrics at the folder that holds it"
        )
    role: PreparingRole = "employee"
    name = employee
    if partner is not None:
        spelt = partner_in_plan(plan, partner)
        if spelt is None:
            raise PreparationRefusedError(not_a_partner(plan, partner))
        role, name = "partner", spelt
    return preparation_form(plan, rubric, role=role, name=name, ask_id=ask_id, now=now, due=due)


# Importing --------------------------------------------------------------------------------


def stored_path(sessions_dir: Path, preparation: Preparation) -> Path:
    """Where an imported preparation is kept: `preparation_<slug>_<id>.toml` in the sessions folder."""
    return inside(sessions_dir, f"{PREFIX}{slug(preparation.employee)}_{preparation.id}.toml")


def _stored_with_id(sessions_dir: Path, prep_id: str) -> list[Path]:
    paths = []
    with contextlib.suppress(OSError):
        for path in sorted(sessions_dir.iterdir()):
            match = _STORED_NAME.fullmatch(path.name)
            if match and match.group(1) == prep_id:
                paths.append(path)
    return paths


def import_preparation(sessions_dir: Path, rubrics: dict[str, Rubric], file: Path) -> Imported:
    """Check a filled preparation against the folder's records and keep it beside them.

    The employee must be one the records name; a partner must be a partner of the employee's
    plan; an employee's file must be their own. The file is written atomically under its lock.
    """
    if (problem := sessions_folder_problem(sessions_dir)) is not None:
        raise SessionsFolderError(problem)
    preparation = load_preparation(file)
    employees = known_employees(sessions_dir)
    employee = employees.get(person_key(preparation.employee))
    if employee is None:
        raise PreparationRefusedError(
            f"{shown_path(file)}: no record in {shown_path(sessions_dir)} names an employee "
            f"{shown_text(preparation.employee)}; nothing was imported"
        )
    found = current_plan(sessions_dir, employee)
    plan = found[1] if found else None
    problems = import_problems(preparation, plan, rubrics.get(preparation.rubric_id))
    if problems:
        raise PreparationRefusedError(f"{shown_path(file)} was not imported: " + "; ".join(problems))
    # Kept under the names as the records spell them, whatever case or spacing the file used.
    spelt = {"employee": employee}
    if preparation.role == "partner" and plan is not None:
        spelt["name"] = partner_in_plan(plan, preparation.name) or preparation.name
    else:
        spelt["name"] = employee
    # What the person began and did not finish is not an answer: it stays in their own file only.
    spelt["unfinished"] = None
    preparation = Preparation.model_validate({**preparation.model_dump(), **spelt})
    target = stored_path(sessions_dir, preparation)
    for other in _stored_with_id(sessions_dir, preparation.id):
        if other.name != target.name:
            raise PreparationRefusedError(
                f"{shown_path(file)}: a preparation with the id {preparation.id} is already imported for "
                f"another employee ({shown_path(other)}); nothing was imported"
            )
    data = preparation_bytes(preparation)
    if len(data) > MAX_PREPARATION_BYTES:
        raise PreparationRefusedError(
            f"{shown_path(file)} would be larger than {size_text(MAX_PREPARATION_BYTES)}; nothing was imported"
        )
    with locked(lock_file_for(target), target.name):
        replaced = target.exists() or target.is_symlink()
        if replaced:
            earlier = load_preparation(target)
            if (earlier.role, person_key(earlier.name)) != (preparation.role, person_key(preparation.name)):
                raise PreparationRefusedError(
                    f"{shown_path(file)}: the earlier import of this request was {shown_text(earlier.name)}'s "
                    f"({earlier.role}); a request is answered by the person it was written for"
                )
        atomic_write(target, data)
    if preparation.role != "employee" or not preparation.topics:
        return Imported(target, preparation, replaced)
    try:
        added = add_prepared_topics(
            sessions_dir, employee, preparation.topics, preparation.written_at or dt.datetime.now(dt.UTC)
        )
    except ReviewtuiError as error:  # the import is kept; the topics can still be added by hand
        return Imported(target, preparation, replaced, agenda_problem=str(error))
    return Imported(target, preparation, replaced, topics_added=added)


# Finding them for a review ----------------------------------------------------------------


def stored_preparations(sessions_dir: Path) -> tuple[list[Preparation], list[LoadError]]:
    """Every imported preparation in the folder, and the errors of those that do not load."""
    found: list[Preparation] = []
    errors: list[LoadError] = []
    with contextlib.suppress(OSError):
        for path in sorted(sessions_dir.iterdir()):
            if not _STORED_NAME.fullmatch(path.name):
                continue
            try:
                found.append(load_preparation(path))
            except LoadError as error:
                errors.append(error)
    return found, errors


def preparations_for(sessions_dir: Path, plan: Session) -> list[Preparation]:
    """The imported preparations for a review built on `plan`: its employee's, for its period."""
    employee = person_key(plan.participants.employee.name)
    period = (plan.period.start, plan.period.end)
    preparations, _ = stored_preparations(sessions_dir)
    return [
        item
        for item in preparations
        if person_key(item.employee) == employee and (item.period.start, item.period.end) == period
    ]
