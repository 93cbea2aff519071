"""Experiment logs on disk: one TOML file per employee beside the records, like the evidence log."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from ..errors import ReviewtuiError, SaveError
from ..models.experiments import Experiment, ExperimentLog
from ..shown import shown_path
from .atomic import atomic_write
from .employee_files import claimed_employee_file, employee_file
from .messages import validated
from .records import MAX_RECORD_BYTES
from .tomlfile import TomlDocument, dumps_toml, read_toml, size_text

LOG_PREFIX = "experiments_"


class UnknownExperimentError(ReviewtuiError):
    """An experiment id that the employee's log does not hold."""


def experiments_from_document(document: TomlDocument) -> ExperimentLog:
    """Validate a parsed document as an experiment log, or raise a LoadError with lines."""
    return validated(ExperimentLog, document)


def load_experiments(path: Path) -> ExperimentLog:
    """Load one experiment log."""
    return experiments_from_document(
        read_toml(path, max_bytes=MAX_RECORD_BYTES, what="experiment log", follow_symlinks=False)
    )


def experiments_path(sessions_dir: Path, employee: str) -> Path:
    """The employee's log: `experiments_<slug>.toml`, numbered if another employee has the slug."""
    return employee_file(sessions_dir, LOG_PREFIX, employee, _owner)


def _owner(path: Path) -> str:
    return load_experiments(path).employee


def read_experiments(sessions_dir: Path, employee: str) -> ExperimentLog:
    """The employee's experiment log, empty if none was written yet."""
    path = experiments_path(sessions_dir, employee)
    return load_experiments(path) if path.exists() else ExperimentLog(employee=employee)


def _checked_bytes(log: ExperimentLog) -> bytes:
    data = log.model_dump(mode="python", exclude_defaults=True)
    text = dumps_toml({"schema_version": 1, "kind": "experiment-log", **data})
    try:
        again = ExperimentLog.model_validate(tomllib.loads(text, parse_float=Decimal))
    except (tomllib.TOMLDecodeError, ValidationError):
        again = None
    if again is None or again.model_dump() != log.model_dump():
        raise SaveError("the experiment log would not read back the same, so nothing was written")
    return text.encode("utf-8")


def _changed(
    sessions_dir: Path, employee: str, change: Callable[[Path, ExperimentLog], list[Experiment]]
) -> tuple[Path, ExperimentLog]:
    # Read, change and write as one locked step: another writer's experiment is not lost.
    with claimed_employee_file(sessions_dir, LOG_PREFIX, employee, _owner) as path:
        log = load_experiments(path) if path.exists() else ExperimentLog(employee=employee)
        updated = ExperimentLog.model_validate(
            log.model_copy(update={"entries": change(path, log)}).model_dump()
        )
        data = _checked_bytes(updated)
        if len(data) > MAX_RECORD_BYTES:
            raise SaveError(
                f"the experiment log {shown_path(path)} would pass {size_text(MAX_RECORD_BYTES)}, the most "
                "reviewtui reads, so nothing was written; run `reviewtui archive`, then move that file into a "
                "sub-folder of the sessions folder (git keeps it): the next experiment starts a new log"
            )
        atomic_write(path, data)
    return path, updated


def add_experiment(sessions_dir: Path, employee: str, experiment: Experiment) -> tuple[Path, ExperimentLog]:
    """Add an experiment at the end of the employee's log, atomically; the old file stays whole on failure."""
    return _changed(sessions_dir, employee, lambda _path, log: [*log.entries, experiment])


def save_experiment(sessions_dir: Path, employee: str, experiment: Experiment) -> tuple[Path, ExperimentLog]:
    """Replace the logged experiment with the same id (edited or ended), keeping its place in the log."""

    def replaced(path: Path, log: ExperimentLog) -> list[Experiment]:
        if not any(entry.id == experiment.id for entry in log.entries):
            raise UnknownExperimentError(
                f"{shown_path(path)} holds no experiment {experiment.id}; nothing was written"
            )
        return [experiment if entry.id == experiment.id else entry for entry in log.entries]

    return _changed(sessions_dir, employee, replaced)


def find_experiment(sessions_dir: Path, employee: str | None, experiment_id: str) -> tuple[str, Experiment]:
    """The employee and experiment with this id: in `employee`'s log, or in any log when None.

    Raises UnknownExperimentError naming where it looked; a log that does not load is an error
    when it is the named employee's, and passed over (said nowhere) when searching every log.
    """
    from ..errors import LoadError

    if employee is not None:
        log = read_experiments(sessions_dir, employee)
        found = next((entry for entry in log.entries if entry.id == experiment_id), None)
        if found is None:
            raise UnknownExperimentError(
                f"the experiment log of this employee in {shown_path(sessions_dir)} holds no experiment "
                f"{experiment_id!r}; `reviewtui experiment list --employee NAME` shows the ids"
            )
        return log.employee, found
    for path in sorted(sessions_dir.glob(f"{LOG_PREFIX}*.toml")):
        try:
            log = load_experiments(path)
        except LoadError:
            continue
        found = next((entry for entry in log.entries if entry.id == experiment_id), None)
        if found is not None:
            return log.employee, found
    raise UnknownExperimentError(
        f"no experiment log in {shown_path(sessions_dir)} holds an experiment {experiment_id!r}; "
        "`reviewtui experiment list --employee NAME` shows the ids"
    )
