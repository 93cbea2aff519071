"""The experiment log in the app: an employee's experiments, adding, editing and ending one, and picking one.

Like the evidence log (ui/evidence.py): the table cuts long text, the highlighted experiment is
shown whole below it; the App (ui/experiment_screens.py) reads and writes the file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ..models.experiment_input import ENDED_OUTCOMES, OUTCOME_LABELS, OUTCOMES, experiment_from_input
from ..models.experiments import Experiment, ExperimentLog
from .shown_markup import escape, markup_text
from .tables import FittedTable
from .widgets import Field, FieldError, show_errors

FormMode = Literal["add", "edit", "end"]
SavedExperiment = Callable[[Experiment], ExperimentLog | None]
"""Writes an experiment to the log; the log as it now is, or None when it was not written (said)."""


def dates_text(experiment: Experiment) -> str:
    """`2026-10-01 to 2026-11-01`, or `since 2026-10-01` while it runs."""
    if experiment.ended_on is None:
        return f"since {experiment.started_on}"
    return f"{experiment.started_on} to {experiment.ended_on}"


def experiment_markup(experiment: Experiment, metrics: dict[str, str]) -> str:
    """The whole experiment as markup: title, dates, outcome, then each written part."""
    metric = (
        f" · moves {escape(metrics.get(experiment.metric, experiment.metric))}" if experiment.metric else ""
    )
    lines = [
        f"[b]{escape(experiment.title)}[/] [dim]{dates_text(experiment)} · "
        f"{OUTCOME_LABELS[experiment.outcome]}{metric}[/]"
    ]
    parts = (
        ("Bottleneck", experiment.bottleneck),
        ("Hypothesis", experiment.hypothesis),
        ("Change", experiment.change),
        ("Result", experiment.result),
        ("Learned", experiment.learned),
    )
    lines += [f"[b]{label}:[/] {escape(text)}" for label, text in parts if text]
    return "\n".join(lines)


class ExperimentsScreen(Screen[None]):
    """An employee's experiment log, newest first; `a` adds, `e` edits, `o` ends one with its outcome."""

    DEFAULT_CSS = """
    #experiments-table { height: 1fr; }
    #experiments-detail { height: auto; max-height: 9; padding: 0 1; border-top: solid $primary; }
    """
    BINDINGS = [
        Binding("a", "add", "Add", id="experiments.add"),
        Binding("e,enter", "edit", "Edit", id="experiments.edit"),
        Binding("o", "end", "End: outcome", id="experiments.end"),
        Binding("escape,q", "app.pop_screen", "Back", id="experiments.back"),
    ]

    def __init__(
        self, log: ExperimentLog, metrics: dict[str, str], save: SavedExperiment, add: SavedExperiment
    ) -> None:
        super().__init__()
        self.experiments = log
        self.metrics = metrics
        self._save = save
        self._add = add

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="experiments-title", classes="section-title")
        yield FittedTable(id="experiments-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="experiments-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.experiments)
        self.query_one(FittedTable).focus()

    @on(DataTable.RowHighlighted)
    def _detail(self, event: DataTable.RowHighlighted) -> None:
        experiment = self._by_id(event.row_key.value)
        if experiment is not None:
            self.query_one("#experiments-detail", Static).update(experiment_markup(experiment, self.metrics))

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_edit()  # Enter on a row: the table takes the key before the screen's binding

    def _by_id(self, experiment_id: object) -> Experiment | None:
        return next((e for e in self.experiments.entries if e.id == experiment_id), None)

    def show(self, log: ExperimentLog, highlight: str | None = None) -> None:
        self.experiments = log
        rows = [
            (e.id, [str(e.started_on), str(e.ended_on or ""), OUTCOME_LABELS[e.outcome], e.title, e.change])
            for e in reversed(log.entries)
        ]
        table = self.query_one(FittedTable)
        table.set_rows(["Started", "Ended", "Outcome", "Experiment", "Change tried"], rows)
        if highlight is not None and (
            index := next((i for i, r in enumerate(rows) if r[0] == highlight), None)
        ):
            table.move_cursor(row=index)
        count = len(log.entries)
        running = sum(1 for e in log.entries if e.outcome == "running")
        self.query_one("#experiments-title", Static).update(
            f"Experiment log: {markup_text(log.employee)} ({count} experiment{'' if count == 1 else 's'}, "
            f"{running} running) · a adds · e edits · o ends one with its outcome"
            if count
            else f"Experiment log: {markup_text(log.employee)}. No experiment yet: press a to log a change "
            "being tried, with its hypothesis."
        )
        detail = self.query_one("#experiments-detail", Static)
        detail.display = bool(count)
        if not count:
            detail.update("")

    def _highlighted(self) -> Experiment | None:
        table = self.query_one(FittedTable)
        if table.row_count == 0:
            self.notify("No experiment yet: press a to log the first.", severity="warning")
            return None
        return self._by_id(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _form(self, mode: FormMode, experiment: Experiment | None) -> None:
        form = ExperimentFormScreen(self.experiments.employee, self.metrics, self.app.clock, mode, experiment)  # type: ignore[attr-defined]
        self.app.push_screen(form, self._written if mode != "add" else self._added)

    def action_add(self) -> None:
        self._form("add", None)

    def action_edit(self) -> None:
        if (experiment := self._highlighted()) is not None:
            self._form("edit", experiment)

    def action_end(self) -> None:
        if (experiment := self._highlighted()) is not None:
            self._form("end", experiment)

    def _added(self, experiment: Experiment | None) -> None:
        if experiment is not None and (log := self._add(experiment)) is not None:
            self.show(log, experiment.id)

    def _written(self, experiment: Experiment | None) -> None:
        if experiment is not None and (log := self._save(experiment)) is not None:
            self.show(log, experiment.id)


class ExperimentFormScreen(ModalScreen[Experiment | None]):
    """A new experiment, an experiment's every field, or how it ended: Ctrl+S saves, Esc cancels."""

    DEFAULT_CSS = """
    ExperimentFormScreen { align: center middle; }
    #experiment-form { width: 90%; max-width: 110; height: auto; max-height: 90%; border: round $primary;
        background: $surface; padding: 0 1; }
    #experiment-form .field-line Select { width: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="experiment-form.save"),
        Binding("escape", "cancel", "Cancel", id="experiment-form.cancel"),
    ]

    def __init__(
        self, employee: str, metrics: dict[str, str], clock, mode: FormMode, experiment: Experiment | None
    ) -> None:
        super().__init__()
        self.employee = employee
        self.metrics = metrics
        self.clock = clock
        self.mode = mode
        self.experiment = experiment

    def _value(self, key: str) -> str:
        value = getattr(self.experiment, key, None) if self.experiment else None
        return "" if value is None else str(value)

    def compose(self) -> ComposeResult:
        today = self.clock().date().isoformat()
        heading = {
            "add": f"New experiment for {markup_text(self.employee)}",
            "edit": f"Edit the experiment: {escape(self._value('title'))}",
            "end": f"How it ended: {escape(self._value('title'))}",
        }[self.mode]
        with VerticalScroll(id="experiment-form"):
            yield Static(f"[b]{heading}[/]  [dim]Ctrl+S saves · Esc cancels[/]")
            if self.mode != "end":
                yield Field("Title", "title", self._value("title"), placeholder="a short name")
                yield Field(
                    "Bottleneck", "bottleneck", self._value("bottleneck"), placeholder="the problem found"
                )
                yield Field(
                    "Hypothesis",
                    "hypothesis",
                    self._value("hypothesis"),
                    placeholder="what should happen, and why",
                )
                yield Field("Change tried", "change", self._value("change"), placeholder="what was changed")
                yield Field(
                    "Started",
                    "started_on",
                    self._value("started_on") or today,
                    placeholder="YYYY-MM-DD",
                    max_length=10,
                )
                with Horizontal(classes="field-line"):
                    yield Label("Metric it moves", classes="field-label")
                    yield Select(
                        [(name, metric_id) for metric_id, name in self.metrics.items()],
                        prompt="(none)",
                        value=self._value("metric") if self._value("metric") in self.metrics else Select.NULL,
                        id="metric",
                        compact=True,
                    )
                yield FieldError("metric")
            if self.mode != "add":
                choices = ENDED_OUTCOMES if self.mode == "end" else OUTCOMES
                current = self._value("outcome")
                chosen = current if current in choices else Select.NULL
                with Horizontal(classes="field-line"):
                    yield Label("Outcome", classes="field-label")
                    yield Select(
                        [(OUTCOME_LABELS[o], o) for o in choices],
                        prompt="How did it turn out?",
                        value=chosen,
                        id="outcome",
                        compact=True,
                    )
                yield FieldError("outcome")
                ended = self._value("ended_on") or (today if self.mode == "end" else "")
                yield Field(
                    "Ended", "ended_on", ended, placeholder="YYYY-MM-DD (empty while running)", max_length=10
                )
                yield Field(
                    "Result", "result", self._value("result"), placeholder="what happened, with figures"
                )
                yield Field(
                    "Learned",
                    "learned",
                    self._value("learned"),
                    placeholder="what was learned, above all from a failure",
                )

    def on_mount(self) -> None:
        if self.mode == "end":
            self.query_one("#outcome", Select).focus()
        else:
            self.query(Input).first().focus()

    def action_save(self) -> None:
        typed = {field.id or "": field.value for field in self.query(Input)}
        for key in ("metric", "outcome"):
            if found := self.query(f"#{key}"):
                value = found.first(Select).value
                typed[key] = value if isinstance(value, str) else ""
        if self.mode != "add" and not typed.get("outcome"):
            if self.mode == "end":
                show_errors(self, {"outcome": "Choose how it turned out: worked, mixed or did not work."})
                return
            typed["outcome"] = "running"
        experiment, errors = experiment_from_input(
            typed, base=self.experiment, metrics=self.metrics, now=self.clock()
        )
        show_errors(self, errors)
        if experiment is not None:
            self.dismiss(experiment)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ExperimentPickerScreen(ModalScreen[Experiment | None]):
    """Choose a logged experiment for the review's process-improvement section; Enter picks, Esc cancels.

    One already in the review is marked; picking it again takes it out (the step says so).
    """

    DEFAULT_CSS = """
    ExperimentPickerScreen { align: center middle; }
    #experiment-picker { width: 90%; max-width: 110; height: auto; max-height: 85%; border: round $primary;
        background: $surface; padding: 0 1; }
    #experiment-options { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="experiment-pick.cancel")]

    def __init__(self, log: ExperimentLog, metrics: dict[str, str], pulled: set[str]) -> None:
        super().__init__()
        self.experiments = log
        self.metrics = metrics
        self.pulled = pulled

    def compose(self) -> ComposeResult:
        with Vertical(id="experiment-picker"):
            yield Static(
                "[b]From the experiment log[/]: for process improvement  "
                "[dim]Enter picks (✓ in the review: Enter takes it out) · Esc cancels[/]"
            )
            if self.experiments.entries:
                options = []
                for e in reversed(self.experiments.entries):
                    mark = "✓ " if e.id in self.pulled else ""
                    head = (
                        f"{mark}[b]{escape(e.title)}[/] [dim]{dates_text(e)} · {OUTCOME_LABELS[e.outcome]}[/]"
                    )
                    options.append(Option(Content.from_markup(f"{head}\n{escape(e.change)}"), id=e.id))
                yield OptionList(*options, id="experiment-options")
            else:
                yield Static(
                    f"No experiment logged for {markup_text(self.experiments.employee)} yet. Log them as they run "
                    "with `reviewtui experiment add` or x on the home screen."
                )

    def on_mount(self) -> None:
        if self.experiments.entries:
            self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(next(e for e in self.experiments.entries if e.id == event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
