"""What a session does in the sessions folder besides editing its draft, with no UI in it.

Evidence, customer feedback, exports, archiving, the plans a check-in or review starts from:
each call returns plain values or raises a `ReviewtuiError` whose text is safe to show, and
the caller (the App, or any other front end) decides how to say it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import LoadError, ReviewtuiError
from ..models import Rubric, Session
from ..models.evidence import EvidenceEntry, EvidenceLog
from ..models.experiments import Experiment, ExperimentLog
from ..models.feedback import Response
from ..names import person_key
from ..record.summary import record_json, record_markdown
from ..storage import atomic_write, list_record_names, load_session
from ..storage.archiving import ArchiveResult, archive_records, repository_root
from ..storage.atomic import private_folder
from ..storage.drafts import DraftFile, list_drafts
from ..storage.evidence import append_entry, load_evidence, plan_metrics, read_log
from ..storage.experiments import add_experiment, read_experiments, save_experiment
from ..storage.feedback_import import ImportResult, feedback_path, import_feedback, load_feedback
from ..storage.records import records_of
from ..storage.settings import load_settings, set_archive_after_save
from ..team.timeline import TimelineRow, timeline
from .catalog import CatalogSource

ExportFormat = Literal["md", "json"]


@dataclass(frozen=True)
class ArchiveOffer:
    """What to do after a final save in a git repository, as the settings say."""

    root: Path
    """The repository the record would be committed in."""
    choice: Literal["ask", "always", "never"]
    settings_error: ReviewtuiError | None = None
    """The settings file could not be read: `choice` is then "ask"."""


class FolderWork:
    """The sessions folder's side work, shared by every session: no draft state here."""

    def __init__(self, sessions_dir: Path, catalog: CatalogSource) -> None:
        self.sessions_dir = sessions_dir
        self.catalog = catalog

    def rubrics(self) -> dict[str, Rubric]:
        """Every known rubric by id (reads the catalog if it is not read yet)."""
        return {rubric_id: source.rubric for rubric_id, source in self.catalog.get().by_id.items()}

    def list_drafts(self) -> tuple[list[DraftFile], list[LoadError]]:
        return list_drafts(self.sessions_dir)

    # Who a home-screen row is about ----------------------------------------------

    def employee_of(self, key: str, *, is_draft: bool) -> str:
        """The employee behind a record path or a draft id; "" for a draft without a name yet.

        Raises LoadError when the record cannot be read.
        """
        if is_draft:
            drafts, _ = self.list_drafts()
            employee = next((d.draft.employee_name for d in drafts if d.draft.id == key), "")
        else:
            employee = load_session(Path(key)).participants.employee.name
        return employee.strip()

    def timeline_of(self, record: Path) -> tuple[str, list[TimelineRow]]:
        """The employee of a record and every record about them, oldest first (LoadError if unreadable)."""
        employee = load_session(record).participants.employee.name
        return employee, timeline(records_of(self.sessions_dir, employee), self.rubrics())

    def current_plans(self) -> list[tuple[Path, Session]]:
        """Each employee's plan as it stands: the newest agreed plan or recorded check-in."""
        latest: dict[str, tuple[Path, Session]] = {}
        for name in list_record_names(self.sessions_dir):
            if name.kind == "review":
                continue
            try:
                session = load_session(name.path)
            except LoadError:
                continue
            employee = person_key(session.participants.employee.name)
            newer = employee not in latest or session.created_at > latest[employee][1].created_at
            if session.status in ("agreed", "recorded") and newer:
                latest[employee] = (name.path, session)
        return sorted(latest.values(), key=lambda item: item[1].created_at, reverse=True)

    # Evidence and customer feedback ------------------------------------------------

    def evidence_for(self, employee: str) -> tuple[EvidenceLog, dict[str, str]]:
        """The employee's evidence log and the metrics of their plan (ReviewtuiError if unreadable)."""
        return read_log(self.sessions_dir, employee), plan_metrics(self.sessions_dir, employee)

    def add_evidence(self, employee: str, entry: EvidenceEntry) -> tuple[Path, EvidenceLog]:
        """Append an entry to the employee's log; where it is kept and the log as it now is."""
        path = append_entry(self.sessions_dir, employee, entry)
        return path, load_evidence(path)

    def experiments_for(self, employee: str) -> tuple[ExperimentLog, dict[str, str]]:
        """The employee's experiment log and the metrics of their plan (ReviewtuiError if unreadable)."""
        return read_experiments(self.sessions_dir, employee), plan_metrics(self.sessions_dir, employee)

    def write_experiment(
        self, employee: str, experiment: Experiment, *, new: bool
    ) -> tuple[Path, ExperimentLog]:
        """Add an experiment to the employee's log (`new`) or replace the one with its id."""
        write = add_experiment if new else save_experiment
        return write(self.sessions_dir, employee, experiment)

    def import_feedback(self, employee: str, file: str, scale: str, source: str) -> ImportResult:
        """Add a survey export's new responses to the employee's feedback file."""
        return import_feedback(
            self.sessions_dir, employee, Path(file).expanduser(), scale=scale, source=source, mapping={}
        )  # type: ignore[arg-type]

    def feedback_responses(self, employee: str) -> list[Response]:
        """The customer responses imported for the employee so far."""
        path = feedback_path(self.sessions_dir, employee)
        return load_feedback(path).responses if path.exists() else []

    # Records ---------------------------------------------------------------------

    def record_text(self, path: Path, fmt: ExportFormat = "md") -> str:
        """A record as Markdown or JSON, with its rubric's names when the rubric is known."""
        session = load_session(path)
        source = self.catalog.get().get(session.rubric.id)
        rubric, sha256 = (source.rubric, source.sha256) if source else (None, None)
        if fmt == "json":
            return record_json(session, rubric, sha256)
        return record_markdown(session, rubric, sha256)

    def export(self, path: Path, fmt: ExportFormat) -> Path:
        """Write a record's export to `<sessions>/exports/`; the file written."""
        text = self.record_text(path, fmt)
        target = private_folder(self.sessions_dir / "exports") / f"{path.stem}.{fmt}"
        atomic_write(target, text.encode("utf-8"))
        return target

    # Archiving in git ------------------------------------------------------------------

    def archive_offer(self) -> ArchiveOffer | None:
        """After a final save: None outside a git repository, else what the settings say to do."""
        root = repository_root(self.sessions_dir)
        if root is None:
            return None
        try:
            return ArchiveOffer(root, load_settings().archive_after_save)
        except ReviewtuiError as error:
            return ArchiveOffer(root, "ask", settings_error=error)

    def remember_archive_choice(self, choice: Literal["always", "never"]) -> Path:
        """Keep "always" or "never" in the user's settings; the settings file."""
        return set_archive_after_save(choice)

    def archive(self) -> ArchiveResult:
        """`reviewtui archive`: commit the new records (NothingToArchiveError when there are none)."""
        return archive_records(self.sessions_dir, rubrics=self.catalog.get())
