"""What every step screen shares: keys, the step indicator, errors, edit reports."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, Header, Input, Select, SelectionList, Static, TextArea

from ...models import Rubric
from ...models.draft import AlignmentDraft
from ...models.evidence import EvidenceEntry
from ...session.confirmations import with_confirmations
from ..more import ScrollMark
from ..widgets import StepIndicator, forget_histories, show_errors, widget_id
from .confirm_boxes import confirmation_boxes, confirmation_keys, from_own_screen, show_confirmations

Action = Literal["next", "back", "home", "agree"]
GROUPS = ("metric-block", "entry", "row")
CONFIRMATION_FIELDS = [
    f"{role}_confirmed{part}" for role in ("employee", "manager") for part in ("", "_at", "_via")
] + ["partner_confirmations"]
"""Classes of the blocks whose heading comes into view with a focused field in them."""


@dataclass(frozen=True)
class StepContext:
    """What a step needs besides the draft: the rubrics it may use."""

    rubrics: dict[str, Rubric]

    def rubric(self, draft: AlignmentDraft) -> Rubric | None:
        return self.rubrics.get(draft.rubric_id)


@dataclass(frozen=True)
class StepResult:
    """How a step ended, and the draft as the pair left it."""

    action: Action
    draft: AlignmentDraft


class DraftEdited(Message):
    """Posted on every edit so the app can autosave; carries the draft as it now is."""

    def __init__(self, draft: AlignmentDraft) -> None:
        super().__init__()
        self.draft = draft


class StepScreen(Screen[StepResult]):
    """Base of the step screens: Next, Back, Home and Help keys; errors beside fields."""

    KEY: ClassVar[str]
    """Which step this is: its title, its help and its place in the rubric's prompts."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next", "Next", priority=True, id="step.next", tooltip="Check this step and go on"),
        Binding("ctrl+b", "back", "Back", priority=True, id="step.back", tooltip="Go back; nothing is lost"),
        Binding("f1", "help", "Help", id="step.help", tooltip="What this step is for"),
        # The host's own notes about the employee; a participant's app has no such action (see below).
        # Priority: a text area would take F6 (select the line) while the manager is in the notes.
        Binding("f6", "private_notes", "Private notes", show=False, priority=True, id="step.private_notes"),
        Binding("escape", "home", "Home", id="step.home", tooltip="Back to the records; the draft is kept"),
    ]

    def __init__(self, draft: AlignmentDraft, context: StepContext, flow: list[str], done: set[int]) -> None:
        super().__init__()
        self.draft = draft
        self.context = context
        self.flow = flow
        self.done = done
        self.show_all_errors = False
        self.outcome: asyncio.Future[StepResult] | None = None
        """Set by the session loop: where the step's result goes instead of a dismiss."""

    # Each step screen overrides these three.
    def compose_body(self) -> ComposeResult:
        """The step's own fields."""
        yield from ()

    def collect(self) -> AlignmentDraft:
        """The draft with what is on screen now."""
        return self.draft

    def errors(self, draft: AlignmentDraft) -> dict[str, str]:
        """What stops this step from being done."""
        return {}

    def results_on_screen(self, results: list[Any], parts: tuple[str, ...]) -> list[Any]:
        """Each metric's result with its `parts` as typed on screen; results not on screen as they were."""
        collected = []
        for result in results:
            key = f"results.{result.metric}"
            if not self.query(f"#{widget_id(f'{key}.{parts[0]}')}"):
                collected.append(result)
                continue
            values = {part: self.query_one(f"#{widget_id(f'{key}.{part}')}", Input).value for part in parts}
            collected.append(result.model_copy(update=values))
        return collected

    def compose(self) -> ComposeResult:
        yield Header()
        yield StepIndicator(self.flow, self.draft.step, self.done)
        with VerticalScroll(id="step-body") as body:
            yield from self.compose_body()
        with Horizontal(id="status-bar"):
            yield Static(id="step-fix")  # "N things to fix", once Next was refused; live
            yield Static(id="step-status")  # each step's own live line
            yield ScrollMark(body, id="step-more")
        yield Footer()

    @property
    def read_only(self) -> bool:
        """True when another reviewtui holds this draft: fields are shown but cannot be changed."""
        return bool(getattr(self.app, "read_only", False))

    def on_mount(self) -> None:
        if self.read_only:
            for field in self.query("Input, TextArea, Select, SelectionList, Checkbox, Button"):
                field.disabled = True
        self.refresh_status()
        self.focus_first()

    def focus_first(self) -> None:
        """The first field has focus when a step opens (not the scroll container)."""
        for widget in self.query("Input, Select, SelectionList, Checkbox, Button, TextArea"):
            if widget.focusable:
                # Textual would centre the field before the step is laid out, its heading cut off:
                # the field comes into view with its heading once there is a layout.
                widget.focus(scroll_visible=False)
                self.call_after_refresh(self._show_heading_of, widget)
                return

    def refresh_status(self) -> None:
        """Update live hints; subclasses extend. Errors show once Next was tried, and go as fixed."""
        if self.show_all_errors:
            errors = self.errors(self.draft)
            show_errors(self, errors)
            self.show_fix_count(len(errors))

    def show_fix_count(self, count: int) -> None:
        """Say how many things stop the step, beside the step's own status; nothing when none."""
        line = self.query_one("#step-fix", Static)
        text = f"[b $error]{count} thing{'s' if count != 1 else ''} to fix[/] · " if count else ""
        if line.content != text:
            line.update(text)
            line.display = bool(count)

    def edited(self, changed: bool = False) -> None:
        """Report the draft as it now is; `changed` when the caller already updated it."""
        draft = self.collect()
        if changed or draft != self.draft:  # widgets also report their first value as they mount
            self.draft = draft
            self.post_message(DraftEdited(draft))
        self.refresh_status()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.call_after_refresh(self._show_heading_of, event.widget)  # after Textual's own scroll

    def _show_heading_of(self, widget: Widget, tries: int = 3) -> None:
        """Scroll a focused field's block (a metric, a competency, an entry) in with its heading.

        Textual scrolls only the field into view: on a short terminal a competency's level then
        sat under the next competency's heading, its own scrolled away.
        """
        if self.focused is not widget:
            return
        group = next((a for a in widget.ancestors if any(a.has_class(c) for c in GROUPS)), None)
        body = self.query("#step-body").first(VerticalScroll) if self.query("#step-body") else None
        if body is not None and not (widget.region.height and body.content_region.height):
            if tries:  # not laid out yet
                self.call_after_refresh(self._show_heading_of, widget, tries - 1)
            return
        if not isinstance(group, Widget) or body is None or group.parent is None:
            if body is not None and not body.can_view_entire(widget):
                body.scroll_to_widget(widget, animate=False)
            return
        view = body.content_region
        if group.region.y >= view.y and widget.region.bottom <= view.bottom:
            return  # heading and field are both in view: moving within a block does not jump
        if widget.region.bottom - group.region.y <= view.height:
            body.scroll_to_widget(group, animate=False, top=True)
        elif not body.can_view_entire(widget):
            body.scroll_to_widget(widget, animate=False)

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(TextArea.Changed)
    @on(SelectionList.SelectedChanged)
    def _on_edit(self) -> None:
        if self.is_mounted:
            self.edited()

    def action_next(self) -> None:
        self.draft = self.collect()
        errors = {} if self.read_only else self.errors(self.draft)  # reading needs no valid draft
        if errors:
            self.show_all_errors = True
            show_errors(self, errors)
            self.show_fix_count(len(errors))
            hint = "" if self.draft.step == 0 else ", or go back with Ctrl+B"
            self.notify(f"Fix what is marked under its field{hint}.", severity="warning", timeout=3)
            return
        self.finish(StepResult("next", self.draft))

    def action_back(self) -> None:
        self.finish(StepResult("back", self.collect()))

    def action_home(self) -> None:
        self.finish(StepResult("home", self.collect()))

    def finish(self, result: StepResult) -> None:
        """Hand the result to the session loop, which swaps the next step in over this one.

        Dismissing first would show the home screen for as long as the next step takes to
        build, a flash of the wrong screen in front of the employee.
        """
        if self.outcome is None:
            self.dismiss(result)
        elif not self.outcome.done():
            self.outcome.set_result(result)

    def action_private_notes(self) -> None:
        # Only the host's ReviewApp has private notes; in a participant's app F6 does nothing.
        if opener := getattr(self.app, "open_private_notes", None):
            opener(self.draft.employee_name.strip())

    def action_help(self) -> None:
        from ..help import HelpScreen

        self.app.push_screen(HelpScreen(self.KEY, self.context.rubric(self.draft)))


class RowListStep(StepScreen):
    """A step with a list of rows (partners, impact map) that Ctrl+O and Ctrl+R edit.

    `ROWS` names the draft field, the container's id and the field focused in a
    new row; subclasses build a row's widgets and a blank row.
    """

    ROWS: ClassVar[tuple[str, str, str]]

    def row_widgets(self, rows: list[Any]) -> list[Widget]:
        """The widgets showing these rows."""
        return []

    def blank_row(self) -> Any:
        """A new, empty row."""
        return None

    async def _replace_rows(self, rows: list[Any], focus: str | None) -> None:
        field, container_id, _ = self.ROWS
        self.draft = self.draft.model_copy(update={field: rows})
        container = self.query_one(f"#{container_id}")
        forget_histories(self, f"{field}-")  # rows are renumbered: row 2's history is not row 1's
        await container.remove_children()
        await container.mount_all(self.row_widgets(rows))
        if focus:
            self.query_one(f"#{focus}").focus()
        else:
            self.focus_first()
        self.edited(changed=True)

    async def action_add_row(self) -> None:
        field, _, first = self.ROWS
        rows = [*getattr(self.collect(), field), self.blank_row()]
        await self._replace_rows(rows, f"{field}-{len(rows) - 1}-{first}")

    async def action_remove_row(self) -> None:
        """Remove the row holding the focus, or the last row."""
        field = self.ROWS[0]
        rows = getattr(self.collect(), field)
        if not rows:
            return
        focused = self.focused
        index = len(rows) - 1
        if focused is not None and focused.id and focused.id.startswith(f"{field}-"):
            index = int(focused.id.split("-")[1])
        kept = [row for position, row in enumerate(rows) if position != index]
        typed = [value.strip() for value in rows[index].model_dump().values() if isinstance(value, str)]
        if rows[index] == self.blank_row() or not any(typed):
            await self._replace_rows(kept, None)
            return
        from ..confirm_remove import RemoveRowScreen

        target = rows[index]

        async def chosen(remove: bool | None) -> None:
            if not remove:
                return
            # The rows as they are now: in a live session others may have typed or removed rows meanwhile.
            now = list(getattr(self.collect(), field))
            at = index if index < len(now) and now[index] == target else None
            at = at if at is not None else next((i for i, row in enumerate(now) if row == target), None)
            if at is None:
                self.notify(
                    f"Row {index + 1} changed while you were asked, so it was not removed. Look at it again.",
                    severity="warning",
                    timeout=8,
                )
                return
            await self._replace_rows([row for position, row in enumerate(now) if position != at], None)

        first = next(text for text in typed if text)
        self.app.push_screen(RemoveRowScreen(f"row {index + 1}", first), chosen)


class EvidenceFromLog:
    """Ctrl+L on a metric's fields: an evidence log entry becomes that metric's evidence, with its id.

    Mixed into steps whose metric fields are `results-<metric>-<part>` (review results, check-ins);
    each such step binds ctrl+l to `from_log`.
    """

    def action_from_log(self: Any) -> None:
        focused = self.focused
        metric_id = next(
            (
                r.metric
                for r in self.draft.results
                if focused is not None and (focused.id or "").startswith(f"results-{widget_id(r.metric)}-")
            ),
            None,
        )
        if metric_id is None:
            self.notify(
                "Move into a metric's fields first: the entry becomes its evidence.", severity="warning"
            )
            return
        metric = self.draft.metric(metric_id)
        purpose = f"evidence for {metric.name if metric else metric_id}"
        self.app.pick_evidence(
            self.draft.employee_name, purpose, lambda entry: self._pulled(metric_id, entry)
        )

    def _pulled(self: Any, metric_id: str, entry: EvidenceEntry | None) -> None:
        if entry is None:
            return
        field = self.query_one(f"#{widget_id(f'results.{metric_id}.evidence')}", Input)
        note = f"{entry.text} (log {entry.id}, {entry.happened_on})"  # keeps the link to the log entry
        field.value = f"{field.value}; {note}" if field.value.strip() else note
        field.focus()


class FinalStep(StepScreen):
    """The last step of a session: read everything, confirm, save with Ctrl+S (or Ctrl+N)."""

    REFUSED: ClassVar[str] = "This cannot be saved yet: see what is marked."

    def confirmations(self, verb: str) -> ComposeResult:
        """The employee's, the manager's and each named partner's confirmation box."""
        yield from confirmation_boxes(self.draft, verb)

    def show_confirmations(self, draft: AlignmentDraft) -> None:
        """Take `draft`'s confirmations (one a participant gave from their screen) and show them."""
        self.draft = self.draft.model_copy(update={k: getattr(draft, k) for k in CONFIRMATION_FIELDS})
        show_confirmations(self, self.draft)
        self.refresh_status()

    def focus_first(self) -> None:
        # Read first: the page scrolls with the arrows, Tab reaches the confirmations.
        body = self.query_one("#step-body")
        body.focus()
        body.scroll_home(animate=False)

    def collect(self) -> AlignmentDraft:
        if getattr(self.app, "room_person", None) is not None:
            # A participant's app: their box asks the host, which records the confirmation as theirs.
            return self.draft
        # A confirmation given from its person's own screen is theirs: this screen leaves it as it is.
        keys = [key for key in confirmation_keys(self.draft) if not from_own_screen(self.draft, key)]
        found = {key: self.query(f"#{key}_confirmed") for key in keys}
        ticks = {key: boxes.first(Checkbox).value for key, boxes in found.items() if boxes}
        # Each tick keeps the moment it was given: that is the time on the person's sign-off.
        return with_confirmations(self.draft, ticks, self.app.clock, via="host_screen")  # type: ignore[attr-defined]

    def action_next(self) -> None:
        self.action_agree()

    def action_agree(self) -> None:
        self.show_all_errors = True
        self.draft = self.collect()
        if self.errors(self.draft):
            self.refresh_status()
            self.notify(self.REFUSED, severity="warning", timeout=3)
            return
        self.finish(StepResult("agree", self.draft))
