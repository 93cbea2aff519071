"""The Textual application and the driver of its sessions (alignment and review).

The app is built from its folders and rubrics, so tests build it the same way.
Step screens never touch files: they return a `StepResult` or post `DraftEdited`,
and the driver here updates the draft and saves it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from textual import work
from textual.app import App
from textual.binding import Binding
from textual.timer import Timer
from textual.worker import WorkerFailed

from ..checkins.rules import checkin_errors, checkin_from, recorded_session
from ..errors import LoadError, ReviewtuiError, SaveError, UnsafePathError
from ..models import Session, new_session_id
from ..models.draft import AlignmentDraft, CheckinDraft, ReviewDraft, steps_of
from ..models.evidence import EvidenceEntry, EvidenceLog
from ..models.feedback import Response, trends
from ..names import person_key
from ..plan.rules import agreed_session
from ..record.summary import record_json, record_markdown
from ..review.rules import fit_to_plan, review_from_plan, review_from_scratch, review_session, section_errors
from ..score.weighted import ScoreBreakdown, score
from ..session.text_history import TextHistories
from ..shown import shown_path
from ..storage import RubricCatalog, atomic_write, list_record_names, load_session, save_session
from ..storage.archiving import NothingToArchiveError, archive_records, repository_root
from ..storage.atomic import private_folder, remove_orphaned_temps
from ..storage.drafts import (
    DraftChangedError,
    DraftFile,
    delete_draft,
    draft_lock_path,
    drafts_dir,
    list_drafts,
    private_dir,
    save_draft,
)
from ..storage.evidence import append_entry, load_evidence, plan_metrics, read_log
from ..storage.feedback_import import feedback_path, import_feedback, load_feedback
from ..storage.locks import FileLock, holder, try_lock
from ..storage.messages import field_problems
from ..storage.records import records_of
from ..storage.safe_files import UnsafeFileError
from ..storage.settings import load_settings, set_archive_after_save
from ..team.timeline import timeline
from .archive import ArchiveOfferScreen
from .evidence import EvidencePickerScreen, EvidenceScreen
from .feedback import FeedbackImportScreen, FeedbackPickerScreen, ImportResultScreen
from .home import HomeScreen
from .keys import PALETTE_BINDING, PaletteCommands, user_keymap
from .notices import toast_path
from .record import RecordScreen
from .shown_markup import SafeNotifications, escape, markup_message, markup_path, markup_text
from .start_review import StartReviewScreen
from .steps.agree import AgreeStep
from .steps.base import DraftEdited, StepContext, StepScreen
from .steps.checkin import ActionsStep, ActualsStep, PlanChangesStep, RecordStep
from .steps.entries import AccomplishmentsStep, ContextStep, DevelopmentStep, ExamplesStep, FeedbackStep
from .steps.impact import ImpactMapStep
from .steps.metrics import MetricsStep
from .steps.participants import ParticipantsStep
from .steps.review_sections import CompetenciesStep, ReadingStep, RecapStep, ResultsStep, SignOffStep
from .steps.targets import TargetsStep
from .timeline import TimelineScreen

AUTOSAVE_SECONDS = 1.0
RETRY_SECONDS = 5.0
STEP_SCREENS: dict[str, type[StepScreen]] = {
    screen.KEY: screen
    for screen in (
        ParticipantsStep,
        ImpactMapStep,
        MetricsStep,
        TargetsStep,
        AgreeStep,
        RecapStep,
        ResultsStep,
        FeedbackStep,
        ContextStep,
        ExamplesStep,
        CompetenciesStep,
        AccomplishmentsStep,
        DevelopmentStep,
        ReadingStep,
        SignOffStep,
        ActualsStep,
        PlanChangesStep,
        ActionsStep,
        RecordStep,
    )
}
FINAL_STEPS = ("agree", "sign_off", "checkin_record")


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone().replace(microsecond=0)


def current_half(today: dt.date) -> tuple[str, str, str]:
    """The half-year containing `today`: a sensible default period."""
    if today.month <= 6:
        return f"{today.year} H1", f"{today.year}-01-01", f"{today.year}-06-30"
    return f"{today.year} H2", f"{today.year}-07-01", f"{today.year}-12-31"


class ReviewApp(SafeNotifications, PaletteCommands, App[None]):
    """reviewtui: home screen, alignment sessions, read-only records."""

    TITLE = "reviewtui"
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute, so subclasses elsewhere find it
    # Short terminals (80x24) hide the rubric's prompts behind F1 to keep the fields in view.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit", tooltip="Save any draft and leave"),
        PALETTE_BINDING,
    ]

    def __init__(
        self, sessions_dir: Path, catalog: RubricCatalog, *, clock: Callable[[], dt.datetime] = local_now
    ) -> None:
        super().__init__()
        self.sessions_dir = sessions_dir
        self.catalog = catalog
        self.clock = clock
        self.context = StepContext({rubric_id: source.rubric for rubric_id, source in catalog.by_id.items()})
        self.draft: AlignmentDraft | None = None
        self._autosave: Timer | None = None
        self._quit_asked = False
        self._save_failing = False
        self._draft_touched = False
        # The draft file's hash as last read or written: a file changed since is never overwritten.
        self._draft_sha: str | None = None
        self._draft_lock: FileLock | None = None
        self.read_only = False
        self._read_only_why = ""
        """True while the open draft is locked by another reviewtui: shown, never saved."""
        self.text_histories = TextHistories()
        """Undo and redo of every text field, for the open draft's life (steps are rebuilt)."""
        self.handle_signals = False
        """run_app sets this: SIGTERM and SIGHUP then save the draft and leave."""
        self.stopped_by: signal.Signals | None = None
        self.crash: BaseException | None = None

    def on_mount(self) -> None:
        self.push_screen(HomeScreen(self.sessions_dir, self.catalog))
        if self.handle_signals:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(signum, self._leave_on_signal, signum)
        self.call_after_refresh(self._clean_orphans)  # after the first frame, which it would slow

    @work(thread=True, exit_on_error=False)
    def _clean_orphans(self) -> None:
        # Temp files left by a save that was killed hold confidential text.
        for folder in (self.sessions_dir, drafts_dir(self.sessions_dir), self.sessions_dir / "exports"):
            remove_orphaned_temps(folder)

    def _leave_on_signal(self, signum: signal.Signals) -> None:
        """SIGTERM or SIGHUP (terminal closed, system shutting down): keep the draft, then leave."""
        self.stopped_by = signum
        self._take_screen_edits()
        self.save_draft_now()
        self.exit(return_code=128 + signum)

    def _take_screen_edits(self) -> None:
        """What the step on screen holds now, including text typed since the last autosave."""
        if self.draft is None or self.read_only or not isinstance(self.screen, StepScreen):
            return
        collected = self.screen.collect().model_copy(update={"id": self.draft.id})
        if collected != self.draft:
            self.draft = collected
            self._draft_touched = True

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        # A screenshot is a file holding the whole confidential screen: not from a key press.
        self.notify("Screenshots are turned off in reviewtui: records are confidential.", severity="warning")

    def _fatal_error(self) -> None:
        # Textual's own report prints local variables, which would put review text on the
        # terminal; run_app prints a short message instead and keeps the draft.
        self.crash = self._exception
        self.bell()
        self._close_messages_no_wait()

    # Drafts ----------------------------------------------------------------

    def list_drafts(self) -> tuple[list[DraftFile], list[LoadError]]:
        return list_drafts(self.sessions_dir)

    def save_draft_now(self) -> bool:
        """Save the draft; on failure say so, keep everything in memory, and retry."""
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None
        if self.draft is None or not self._draft_touched or self.read_only:
            return True
        try:
            self._draft_sha = save_draft(self.draft, self.sessions_dir, self._draft_sha)
        except DraftChangedError:
            self._fork_draft()
            return self.save_draft_now()
        except ReviewtuiError as error:
            if not self._save_failing:  # said once; the title bar keeps saying it until a save works
                self.notify(
                    f"Draft not saved: {markup_message(error)}. Nothing is lost; retrying.",
                    severity="error",
                    timeout=8,
                )
            self._save_failing = True
            self.sub_title = "draft NOT saved: retrying"
            self._autosave = self.set_timer(RETRY_SECONDS, self.save_draft_now)
            return False
        if self._save_failing:
            self._save_failing = False
            self.notify("The draft is saved again.", timeout=4)
        self.sub_title = f"draft saved {self.clock():%H:%M:%S}"
        return True

    def _fork_draft(self) -> None:
        """The draft file changed on disk since we read it: ours goes on as a separate draft."""
        assert self.draft is not None
        self.draft = self.draft.model_copy(update={"id": new_session_id()})
        if isinstance(self.screen, StepScreen):
            self.screen.draft = self.screen.draft.model_copy(update={"id": self.draft.id})
        self._hold_lock(self.draft.id)
        self._draft_sha = None
        self.notify(
            "The draft was changed on disk since it was opened (by another reviewtui, or by hand). "
            "Nothing was overwritten: your version goes on as a separate draft, and both are on the home screen.",
            title="Draft changed elsewhere",
            severity="warning",
            timeout=12,
        )

    def save_draft_now_or_raise(self) -> bool:
        """Save the draft once, raising instead of retrying (after a crash there is no event loop)."""
        if self.draft is None or self.read_only:
            return False
        try:
            self._draft_sha = save_draft(self.draft, self.sessions_dir, self._draft_sha)
        except DraftChangedError:
            self.draft = self.draft.model_copy(update={"id": new_session_id()})
            self._draft_sha = save_draft(self.draft, self.sessions_dir, None)
        return True

    def on_draft_edited(self, message: DraftEdited) -> None:
        if self.draft is None or self.read_only:
            return
        # The id is the app's: it changes when a conflicting draft is forked.
        self.draft = message.draft.model_copy(update={"updated_at": self.clock(), "id": self.draft.id})
        self._draft_touched = True
        if self._autosave is None:
            self._autosave = self.set_timer(AUTOSAVE_SECONDS, self.save_draft_now)

    # The alignment session ---------------------------------------------------

    def start_alignment(self) -> None:
        now = self.clock()
        label, start, end = current_half(now.date())
        self.draft = AlignmentDraft(
            id=new_session_id(),
            created_at=now,
            updated_at=now,
            period_label=label,
            period_start=start,
            period_end=end,
        )
        # Saved from the first edit on: starting and leaving at once leaves no empty draft behind.
        self._begin_session(self.draft)

    def resume_draft(self, draft_id: str) -> None:
        drafts, _ = self.list_drafts()
        found = next((item for item in drafts if item.draft.id == draft_id), None)
        if found is None:
            self.notify("That draft is gone; the list is refreshed.", severity="warning")
            self._home().reload()
            return
        self._begin_session(found.draft, on_disk_sha=found.sha256)

    def _hold_lock(self, draft_id: str) -> bool:
        """Lock the draft for this process; False when another process holds it."""
        self._release_lock()
        try:
            path = draft_lock_path(self.sessions_dir, draft_id)
            self._draft_lock = try_lock(path)
        except (UnsafeFileError, UnsafePathError) as error:  # a link or FIFO where the lock goes
            self.notify(
                f"{markup_text(str(error))}. The draft is shown read-only.",
                title="Read-only",
                severity="warning",
                timeout=15,
            )
            self._read_only_why = "its lock file is a link or not a plain file"
            return False
        except ReviewtuiError:
            return True  # no lock file can be made (read-only folder): saving will say what is wrong
        if self._draft_lock is None:
            self.notify(
                f"This draft is open in another reviewtui ({markup_text(holder(path))}). It is shown read-only: "
                "nothing you change here is saved.",
                title="Read-only",
                severity="warning",
                timeout=12,
            )
            self._read_only_why = "open in another reviewtui"
            return False
        return True

    def _release_lock(self) -> None:
        if self._draft_lock is not None:
            self._draft_lock.release()
            self._draft_lock = None

    def _begin_session(self, draft: AlignmentDraft, on_disk_sha: str | None = None) -> None:
        """Open a draft: new ones are saved from the first edit, resumed ones compared before each save."""
        self.draft = draft
        self.text_histories = TextHistories()
        self._draft_sha = on_disk_sha
        self._draft_touched = on_disk_sha is not None  # a resumed draft is saved as it moves on
        self.read_only = not self._hold_lock(draft.id)
        self.sub_title = f"read-only: {self._read_only_why}" if self.read_only else ""
        self._run_session()

    def _end_session(self) -> None:
        self.draft = None
        self.read_only = False
        self.sub_title = ""  # "draft saved" is not said over the home screen or a record
        self._release_lock()

    def flow(self, draft: AlignmentDraft) -> list[str]:
        """The steps of this draft's session, review sections in its rubric's template order."""
        rubric = self.context.rubric(draft)
        return steps_of(draft, [section.id for section in rubric.template] if rubric else None)

    def _done_steps(self, draft: AlignmentDraft, flow: list[str]) -> set[int]:
        rubric = self.context.rubric(draft)
        ids = set(self.context.rubrics)

        def errors(key: str) -> dict[str, str]:
            if isinstance(draft, CheckinDraft):
                return checkin_errors(key, draft, rubric)  # type: ignore[arg-type]
            return section_errors(key, draft, rubric, ids)  # type: ignore[arg-type]

        return {
            index
            for index, key in enumerate(flow)
            if key not in FINAL_STEPS and (rubric is not None or key == "participants") and not errors(key)
        }

    @work(exclusive=True, group="session")
    async def _run_session(self) -> None:
        shown = False  # a step is on screen: the next one replaces it, so home never shows between
        while self.draft is not None:
            rubric = self.context.rubric(self.draft)
            if isinstance(self.draft, ReviewDraft) and rubric is not None:
                self.draft = fit_to_plan(self.draft, rubric)
            flow = self.flow(self.draft)
            step = min(self.draft.step, len(flow) - 1)
            self.draft = self.draft.model_copy(update={"step": step})
            screen = STEP_SCREENS[flow[step]](
                self.draft, self.context, flow, self._done_steps(self.draft, flow)
            )
            screen.outcome = asyncio.get_running_loop().create_future()
            await (self.switch_screen(screen) if shown else self.push_screen(screen))
            shown = True
            result = await screen.outcome
            draft = result.draft.model_copy(update={"updated_at": self.clock(), "id": self.draft.id})
            if result.action == "agree" and self.read_only:
                self.notify(
                    f"This draft is shown read-only ({self._read_only_why}): it cannot be saved from here."
                )
                continue
            if result.action == "agree":
                self.draft = draft
                if self._save_final(draft):
                    self.pop_screen()  # before the archive offer, which a thread pushes later
                    return
                continue
            moves = {"next": step + 1, "back": max(step - 1, 0), "home": step}
            self.draft = draft.model_copy(update={"step": min(moves[result.action], len(flow) - 1)})
            self.save_draft_now()
            if result.action == "home":
                self.pop_screen()
                self._end_session()
                self._home().reload()
                return

    def _save_final(self, draft: AlignmentDraft) -> bool:
        """Save the agreed plan or the signed review; the draft goes once the record is safe."""
        source = self.catalog.get(draft.rubric_id)
        if source is None:
            self.notify("The rubric of this draft is no longer found.", severity="error")
            return False
        now = self.clock()
        try:
            if isinstance(draft, ReviewDraft):
                session = review_session(draft, source.rubric, source.sha256, now, signed=True)
            elif isinstance(draft, CheckinDraft):
                session = recorded_session(draft, source.rubric, source.sha256, now)
            else:
                session = agreed_session(draft, source.rubric, source.sha256, now)
            path = save_session(session, self.sessions_dir)
        except ValidationError as error:
            # pydantic's text quotes the values (confidential): name the fields and the rule only.
            problems = "; ".join(field_problems(Session, error))
            self.notify(
                f"The record was not saved: {escape(problems)}. The draft is kept.",
                severity="error",
                timeout=12,
            )
            self.save_draft_now()
            return False
        except (SaveError, ValueError) as error:
            self.notify(
                f"The record was not saved: {markup_message(error)}. The draft is kept.",
                severity="error",
                timeout=8,
            )
            self.save_draft_now()
            return False
        delete_draft(self.sessions_dir, draft.id)
        self._end_session()
        self.sub_title = ""
        home = self._home()
        home.reload()
        what = {"review": "Review signed", "check-in": "Check-in recorded"}.get(session.kind, "Plan agreed")
        home.flash(f"[b $success]{what} and saved:[/] {markup_path(path)}")
        self.notify(f"Saved to\n{toast_path(self, path)}", title=what, timeout=8)
        self._after_final_save(f"{what}: {session.participants.employee.name}, {session.period.label}")
        return True

    # Git -------------------------------------------------------------------------

    @work(thread=True, group="archive", exit_on_error=False)
    def _after_final_save(self, what: str) -> None:
        """In a git repository, archive the new record as the settings say: ask, always or never."""
        root = repository_root(self.sessions_dir)
        if root is None:
            return
        try:
            choice = load_settings().archive_after_save
        except ReviewtuiError as error:
            self.call_from_thread(
                self.notify, markup_message(error), title="Settings not read: asking", severity="warning"
            )
            choice = "ask"
        if choice == "always":
            self._archive()
        elif choice == "ask":
            self.call_from_thread(self.push_screen, ArchiveOfferScreen(what, str(root)), self._archive_chosen)

    def _archive_chosen(self, choice: str | None) -> None:
        if choice in ("always", "never"):
            try:
                where = set_archive_after_save(choice)  # type: ignore[arg-type]
                self.notify(
                    f"From now on: {choice}. Kept in {markup_path(where)}.", title="Archive after saving"
                )
            except ReviewtuiError as error:
                self.notify(
                    markup_message(error), title="The setting was not saved", severity="error", timeout=8
                )
        if choice in ("now", "always"):
            self.archive_in_background()

    def archive_in_background(self) -> None:
        """`reviewtui archive`, off the event loop: git may run hooks for a while."""
        if any(worker.group == "archive" and worker.is_running for worker in self.workers):
            # A second git would only find the first one's lock.
            self.notify("Archiving is already under way.", title="Archive")
            return
        self._archive_worker()

    @work(thread=True, group="archive", exit_on_error=False)
    def _archive_worker(self) -> None:
        self._archive()

    def _archive(self) -> None:
        # Runs in a worker thread: everything it says goes through call_from_thread.
        say = self.call_from_thread
        try:
            result = archive_records(self.sessions_dir, rubrics=self.catalog)
        except NothingToArchiveError as error:
            say(self.notify, markup_message(error), title="Archive")
            return
        except ReviewtuiError as error:
            say(self.notify, markup_message(error), title="Not archived", severity="error", timeout=12)
            return
        files = f"{len(result.paths)} file{'s' if len(result.paths) != 1 else ''}"
        subject = result.message.splitlines()[0]
        say(
            self.notify,
            f"{escape(subject)} ({files}, commit {result.commit})",
            title="Archived in git",
            timeout=8,
        )

    def review_score(self, draft: ReviewDraft) -> ScoreBreakdown | None:
        """The score the review would have if signed now, or None while its entries do not parse."""
        source = self.catalog.get(draft.rubric_id)
        if source is None:
            return None
        try:
            preview = review_session(draft, source.rubric, source.sha256, self.clock(), signed=False)
        except ValueError:
            return None
        return score(preview, source.rubric, source.sha256)

    # Reviews -------------------------------------------------------------------

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

    def start_review(self) -> None:
        self.push_screen(StartReviewScreen(self.current_plans(), "New review"), self._begin_review)

    def start_checkin(self) -> None:
        plans = self.current_plans()
        if not plans:
            self.notify(
                "A check-in follows an agreed plan: start with an alignment session (n).", severity="warning"
            )
            return
        self.push_screen(StartReviewScreen(plans, "New check-in", scratch=False), self._begin_checkin)

    def _begin_checkin(self, plan: Session | bool | None) -> None:
        if not isinstance(plan, Session):
            return
        source = self.catalog.get(plan.rubric.id)
        if source is None:
            self.notify(f"The rubric `{plan.rubric.id}` of this plan is not found.", severity="error")
            return
        self._begin_session(checkin_from(plan, source.rubric, new_session_id(), self.clock()))

    def _begin_review(self, plan: Session | bool | None) -> None:
        if plan is None:  # cancelled
            return
        now = self.clock()
        if isinstance(plan, Session):
            source = self.catalog.get(plan.rubric.id)
            if source is None:
                self.notify(f"The rubric `{plan.rubric.id}` of this plan is not found.", severity="error")
                return
            draft = review_from_plan(plan, source.rubric, new_session_id(), now)
        else:
            draft = review_from_scratch(new_session_id(), now, current_half(now.date()))
        self._begin_session(draft)  # as for an alignment: no draft until something is typed

    def _home(self) -> HomeScreen:
        return next(screen for screen in self.screen_stack if isinstance(screen, HomeScreen))

    # Evidence ------------------------------------------------------------------

    def evidence_for(self, employee: str) -> tuple[EvidenceLog, dict[str, str]] | None:
        """The employee's evidence log and plan metrics, or None (said on screen) if unreadable."""
        try:
            return read_log(self.sessions_dir, employee), plan_metrics(self.sessions_dir, employee)
        except ReviewtuiError as error:
            self.notify(
                markup_message(error), title="The evidence log cannot be read", severity="error", timeout=8
            )
            return None

    def open_employee_evidence(self, key: str, *, is_draft: bool) -> None:
        """The evidence log of the employee behind a home-screen row (a record path or a draft id)."""
        employee = self._employee_of(key, is_draft=is_draft)
        if employee:
            self.open_evidence(employee)

    def _employee_of(self, key: str, *, is_draft: bool) -> str:
        """The employee behind a home-screen row; empty (and said on screen) when there is none."""
        if is_draft:
            drafts, _ = self.list_drafts()
            employee = next((d.draft.employee_name for d in drafts if d.draft.id == key), "")
        else:
            try:
                employee = load_session(Path(key)).participants.employee.name
            except LoadError as error:
                self.notify(markup_message(error), title="This record cannot be read", severity="error")
                return ""
        if not employee.strip():
            self.notify("This draft has no employee name yet.", severity="warning")
        return employee.strip()

    def open_timeline(self, key: str) -> None:
        """The timeline of the employee behind a home-screen record row."""
        try:
            employee = load_session(Path(key)).participants.employee.name
        except LoadError as error:
            self.notify(markup_message(error), title="This record cannot be read", severity="error")
            return
        records = records_of(self.sessions_dir, employee)
        self.push_screen(TimelineScreen(employee, timeline(records, self.context.rubrics)))

    def open_evidence(self, employee: str) -> None:
        found = self.evidence_for(employee)
        if found is not None:
            self.push_screen(EvidenceScreen(*found))

    def add_evidence(self, employee: str, entry: EvidenceEntry) -> EvidenceLog | None:
        try:
            path = append_entry(self.sessions_dir, employee, entry)
            log = load_evidence(path)
        except ReviewtuiError as error:
            self.notify(f"Not logged: {markup_message(error)}", severity="error", timeout=8)
            return None
        self.notify(f"Logged in\n{toast_path(self, path)}", timeout=4)
        return log

    def import_feedback_for(self, key: str, *, is_draft: bool) -> None:
        """Ask for an export and import it for the employee behind a home-screen row."""
        employee = self._employee_of(key, is_draft=is_draft)
        if employee:
            self.push_screen(FeedbackImportScreen(employee), lambda choice: self._import(employee, choice))

    def _import(self, employee: str, choice: tuple[str, str, str] | None) -> None:
        if choice is None:
            return
        file, scale, source = choice
        try:
            result = import_feedback(
                self.sessions_dir, employee, Path(file).expanduser(), scale=scale, source=source, mapping={}
            )  # type: ignore[arg-type]
        except ReviewtuiError as error:
            self.notify(markup_message(error), title="Nothing was imported", severity="error", timeout=10)
            return
        lines = [f"[b]{len(result.added)} new response(s)[/] for {markup_text(employee)}"]
        if result.path is not None:
            lines.append(f"saved in {markup_path(result.path)}")
        if result.duplicates:
            lines.append(f"{result.duplicates} duplicate(s) or already imported, skipped")
        lines += [markup_message(line) for line in result.skipped]
        for trend in trends(result.added):
            nps_text = "" if trend.nps is None else f", NPS {trend.nps:+d}"
            months = ", ".join(f"{month} {value}" for month, value in trend.by_month)
            lines.append(
                f"  {markup_text(trend.group)}: {trend.responses} response(s), average {trend.average or '-'}{nps_text}; {months}"
            )
        lines.append(
            "\n[dim]Enter or Esc closes. In a review, Ctrl+L on customer feedback uses these responses.[/]"
        )
        self.push_screen(ImportResultScreen("\n".join(lines)))

    def pick_feedback(self, employee: str, chosen: Callable[[Response | None], None]) -> None:
        """Let the pair choose an imported customer response; `chosen` receives it (or None)."""
        try:
            path = feedback_path(self.sessions_dir, employee)
            responses = load_feedback(path).responses if path.exists() else []
        except ReviewtuiError as error:
            self.notify(
                markup_message(error), title="The feedback file cannot be read", severity="error", timeout=8
            )
            return
        self.push_screen(FeedbackPickerScreen(employee, responses), chosen)

    def pick_evidence(
        self, employee: str, purpose: str, chosen: Callable[[EvidenceEntry | None], None]
    ) -> None:
        """Let the pair choose a logged entry; `chosen` receives it (or None)."""
        found = self.evidence_for(employee)
        if found is not None:
            self.push_screen(EvidencePickerScreen(*found, purpose), chosen)

    # Records -------------------------------------------------------------------

    def open_record(self, path: Path) -> None:
        try:
            session = load_session(path)
        except LoadError as error:
            self.notify(
                markup_message(error), title="This record cannot be read", severity="error", timeout=8
            )
            return
        source = self.catalog.get(session.rubric.id)
        rubric, sha256 = (source.rubric, source.sha256) if source else (None, None)
        self.push_screen(RecordScreen(path, record_markdown(session, rubric, sha256)))

    def export_record(self, path: Path, fmt: str) -> None:
        """Write a record's Markdown or JSON export to `<sessions>/exports/` and say where."""
        try:
            session = load_session(path)
            source = self.catalog.get(session.rubric.id)
            rubric, sha256 = (source.rubric, source.sha256) if source else (None, None)
            text = (
                record_json(session, rubric, sha256)
                if fmt == "json"
                else record_markdown(session, rubric, sha256)
            )
            target = private_folder(self.sessions_dir / "exports") / f"{path.stem}.{fmt}"
            atomic_write(target, text.encode("utf-8"))
        except ReviewtuiError as error:
            self.notify(markup_message(error), title="Export failed", severity="error", timeout=8)
            return
        self.notify(f"Written to\n{toast_path(self, target)}", title=f"Exported as {fmt.upper()}", timeout=8)

    # Leaving ---------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Ctrl+Q: keep what is on screen in the draft, save it, then leave."""
        self._take_screen_edits()
        if self.save_draft_now() or self._quit_asked:
            self.exit()
            return
        # The draft could not be saved: leaving now would lose it, so ask once more.
        self._quit_asked = True
        self.notify("Press Ctrl+Q again to quit without saving the draft.", severity="warning", timeout=8)


def run_app(sessions_dir: Path, catalog: RubricCatalog, app: ReviewApp | None = None, **run: Any) -> int:
    """Run the app in the terminal; after a crash or a signal, keep the draft and say so briefly."""
    app = app or ReviewApp(sessions_dir, catalog)
    app.handle_signals = True
    app.set_keymap(user_keymap())  # a bad [keys] entry stops here, before the screen is taken
    app.run(**run)
    if app.crash is not None:
        print(crash_message(app, sessions_dir, app.crash), file=sys.stderr)
        return 1
    if app.stopped_by is not None:
        with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
            kept = " Your draft is saved; resume it from the home screen." if app.draft is not None else ""
            print(f"reviewtui stopped by {app.stopped_by.name}.{kept}", file=sys.stderr)
    return app.return_code or 0


def crash_message(app: ReviewApp, sessions_dir: Path, error: BaseException) -> str:
    """Save what can be saved after a crash, and say where, without any review text."""
    if isinstance(error, WorkerFailed):  # a background task failed: name what went wrong in it
        error = error.error
    lines = [f"reviewtui stopped on an unexpected error ({type(error).__name__})."]
    if app.draft is not None and not app.read_only:
        app._draft_touched = True  # whatever happened, the text on record is worth keeping
        try:
            if app.save_draft_now_or_raise():
                path = drafts_dir(sessions_dir) / f"{app.draft.id}.toml"
                lines.append(f"Your draft is saved in {shown_path(path)}; resume it from the home screen.")
        except ReviewtuiError as save_error:
            lines.append(f"The draft could not be saved: {save_error}.")
    try:
        # The details stay in the private, git-ignored drafts folder: code lines only, neither
        # local variables nor exception messages, which may quote what was typed.
        log = private_dir(sessions_dir) / f"crash-{local_now():%Y%m%d-%H%M%S}.log"
        atomic_write(log, safe_traceback(error).encode())
        lines.append(f"Details for a bug report: {log}")
    except ReviewtuiError:
        pass
    return "\n".join(lines)


def safe_traceback(error: BaseException) -> str:
    """The traceback of an error and its causes, with code lines but without any message text."""
    parts, seen = [], set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_list(traceback.extract_tb(current.__traceback__)))
        name = f"{type(current).__module__}.{type(current).__qualname__}"
        parts.append(f"Traceback (most recent call last):\n{frames}{name} (message left out)\n")
        current = current.__cause__ or current.__context__
    return "\nwhile handling this error, another happened:\n\n".join(reversed(parts))
