"""The employee's self-assessment: their figures and reading, a level per competency, objectives and topics."""

from __future__ import annotations

from decimal import Decimal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Label, Select, Static, TabbedContent, TabPane, TextArea

from ...models.base import SHORT_TEXT_MAX
from ...models.preparation import Preparation, PrepCompetency, PrepMetric
from ...shown import shown_text
from ..shown_markup import escape
from ..widgets import WideTextArea, text_input, widget_id
from .answers import Answers, ObjectiveRow, RatingRow, answers_of
from .base import ROW, FillScreen, input_value, select_value

SECTIONS = ("reading", "competencies", "objectives")
"""The tabs, in order (Ctrl+N and Ctrl+B move between them)."""


def _figure(value: Decimal | None, unit: str) -> str:
    return "—" if value is None else f"{value:f} {escape(unit)}"  # 1E+3 as 1000


def metric_text(metric: PrepMetric) -> str:
    """A plan metric as the employee reads it: what it is, where it started, where it should go, where it is."""
    better = "higher is better" if metric.direction == "higher" else "lower is better"
    latest = _figure(metric.latest, metric.unit)
    if metric.latest is not None and metric.latest_as_of is not None:
        latest += f" (as of {metric.latest_as_of})"
    elif metric.latest is None:
        latest = "no figure recorded yet"
    lines = [f"[b]{escape(metric.name)}[/]  [dim]{better}[/]"]
    if metric.definition:
        lines.append(f"[dim]{escape(metric.definition)}[/]")
    lines.append(
        f"baseline {_figure(metric.baseline, metric.unit)} · target {_figure(metric.target, metric.unit)} · "
        f"[b]latest {latest}[/]"
    )
    return "\n".join(lines)


class EmployeeScreen(FillScreen):
    """Three tabs: figures and reading; competencies; objectives and topics."""

    BINDINGS = [
        Binding("ctrl+n", "section(1)", "Next", priority=True, id="fill.next"),
        Binding("ctrl+b", "section(-1)", "Back", priority=True, id="fill.back"),
        Binding("ctrl+o", "add_objective", "+Objective", id="fill.add_objective"),
        Binding("ctrl+t", "add_topic", "+Topic", id="fill.add_topic"),
        *FillScreen.BINDINGS,
    ]

    def __init__(self, preparation: Preparation) -> None:
        super().__init__(preparation)
        self.shown = answers_of(preparation)

    def compose_body(self) -> ComposeResult:
        with TabbedContent(id="sections"):
            with TabPane("1 Figures & reading", id="reading"), VerticalScroll(classes="prep-body"):
                yield from self._reading()
            with TabPane("2 Competencies", id="competencies"), VerticalScroll(classes="prep-body"):
                yield from self._competencies()
            with TabPane("3 Objectives & topics", id="objectives"), VerticalScroll(classes="prep-body"):
                yield from self._objectives_and_topics()

    # The tabs -------------------------------------------------------------------------------

    def _reading(self) -> ComposeResult:
        metrics = self.preparation.metrics
        if metrics:
            yield Static("Your plan's metrics", classes="section-title")
            for metric in metrics:
                yield Static(metric_text(metric), classes="prep-metric")
        else:
            yield Static("[dim]This file lists no plan metrics.[/]", classes="about")
        yield Label(
            "Your reading of the data: what the figures say, and what they leave out", classes="section-title"
        )
        yield WideTextArea(
            self.shown.reading, id="reading-text", field_key="reading", soft_wrap=True, classes="prep-long"
        )

    def _competencies(self) -> ComposeResult:
        yield Static(
            "For each competency, the level that fits you and an example that shows it.", classes="about"
        )
        rows = {row.competency: row for row in self.shown.ratings}
        for competency in self.preparation.competencies:
            yield self._competency(competency, rows.get(competency.id, RatingRow(competency.id, None, "")))

    def _competency(self, competency: PrepCompetency, row: RatingRow) -> Widget:
        scale = self.preparation.scale
        anchors = "\n".join(
            f"[b]{level.value} {escape(level.label)}[/]: [dim]{escape(anchor)}[/]"
            for level, anchor in zip(scale, competency.anchors, strict=False)
        )
        # Plain content, not markup: a label from the file shows as written, controls escaped.
        options = [(Content(shown_text(f"{level.value} {level.label}")), level.value) for level in scale]
        level = row.level if row.level in {value for _, value in options} else Select.NULL
        key = widget_id(f"rating.{competency.id}")
        parts: list[Widget] = [Static(f"[b]{escape(competency.name)}[/]", classes="prep-heading")]
        if competency.description:
            parts.append(Static(f"[dim]{escape(competency.description)}[/]", classes="prep-description"))
        # The fields under the heading, the anchors below them: with the focus on the level, the
        # competency's name and what each level looks like are both in view, even at 80x24.
        parts += [
            Horizontal(
                Label("Your level", classes="field-label"),
                Select(options, value=level, prompt="Choose a level", id=f"{key}-level", compact=True),
                classes="field-line",
            ),
            Horizontal(
                Label("Example", classes="field-label"),
                text_input(f"{key}.example", row.example, placeholder="what you did that shows this level"),
                classes="field-line",
            ),
            Static(anchors, classes="anchors"),
        ]
        return Vertical(*parts, classes="prep-block")

    def _objectives_and_topics(self) -> ComposeResult:
        yield Label("Development objectives you propose  [dim](Ctrl+O adds one)[/]", classes="section-title")
        with Vertical(id="objective-rows"):
            for row in self.shown.objectives or (ObjectiveRow("", ""),):
                yield self._objective_row(row)
        yield Label("Topics for the review's agenda  [dim](Ctrl+T adds one)[/]", classes="section-title")
        with Vertical(id="topic-rows"):
            for topic in self.shown.topics or ("",):
                yield self._topic_row(topic)

    def _objective_row(self, row: ObjectiveRow) -> Widget:
        number = self.next_row()
        return Vertical(
            Horizontal(
                Label("Objective", classes="field-label"),
                text_input(
                    f"objective.{number}.objective",
                    row.objective,
                    placeholder="what you want to develop",
                    max_length=SHORT_TEXT_MAX,
                ),
                classes="field-line",
            ),
            Horizontal(
                Label("Why, support", classes="field-label"),
                text_input(f"objective.{number}.why", row.why, placeholder="why, and what support you need"),
                classes="field-line",
            ),
            classes=f"{ROW} prep-block objective-row",
            id=f"objective-{number}",
            name="this objective",
        )

    def _topic_row(self, topic: str) -> Widget:
        number = self.next_row()
        return Horizontal(
            Label("Topic", classes="field-label"),
            text_input(
                f"topic.{number}.text", topic, placeholder="something to discuss", max_length=SHORT_TEXT_MAX
            ),
            classes=f"{ROW} field-line topic-row",
            id=f"topic-{number}",
            name="this topic",
        )

    # What is on screen ------------------------------------------------------------------------

    def answers(self) -> Answers:
        ratings = []
        for competency in self.preparation.competencies:
            key = widget_id(f"rating.{competency.id}")
            level = select_value(self, f"{key}-level")
            example = input_value(self, f"{key}-example")
            ratings.append(RatingRow(competency.id, level if isinstance(level, int) else None, example))
        objectives = tuple(
            ObjectiveRow(input_value(row, f"{row.id}-objective"), input_value(row, f"{row.id}-why"))
            for row in self.query(".objective-row")
        )
        topics = tuple(input_value(row, f"{row.id}-text") for row in self.query(".topic-row"))
        return Answers(
            reading=self.query_one("#reading-text", TextArea).text,
            ratings=tuple(ratings),
            objectives=objectives,
            topics=topics,
        )

    # Keys ---------------------------------------------------------------------------------

    def action_section(self, step: int) -> None:
        tabs = self.query_one("#sections", TabbedContent)
        index = SECTIONS.index(tabs.active) if tabs.active in SECTIONS else 0
        tabs.active = SECTIONS[(index + step) % len(SECTIONS)]
        self.call_after_refresh(self._focus_in, tabs.active)

    def _focus_in(self, pane_id: str) -> None:
        pane = self.query_one(f"#{pane_id}", TabPane)
        field = next((w for w in pane.query("Input, Select, TextArea") if w.focusable), None)
        if field is not None:
            field.focus()

    async def _add(self, container_id: str, row: Widget, first_field: str) -> None:
        self.query_one("#sections", TabbedContent).active = "objectives"
        await self.query_one(f"#{container_id}").mount(row)
        self.query_one(f"#{row.id}-{first_field}").focus()
        self.app.answers_edited()  # type: ignore[attr-defined]

    async def action_add_objective(self) -> None:
        await self._add("objective-rows", self._objective_row(ObjectiveRow("", "")), "objective")

    async def action_add_topic(self) -> None:
        rows = list(self.query(".topic-row"))
        if rows and not input_value(rows[-1], f"{rows[-1].id}-text").strip():  # the last one is still empty
            self.query_one("#sections", TabbedContent).active = "objectives"
            self.query_one(f"#{rows[-1].id}-text").focus()
            return
        await self._add("topic-rows", self._topic_row(""), "text")
