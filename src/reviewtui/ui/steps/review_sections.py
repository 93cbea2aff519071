"""Review sections with their own shape: recap, results, competencies, reading, sign-off."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static, TextArea

from ...models import Rubric
from ...models.base import SHORT_TEXT_MAX
from ...models.draft import DraftResult, ReviewDraft
from ...review.figures import guardrail_note, last_figure
from ...review.rules import metric_with_result, section_errors
from ...review.signing import sign_off_errors
from ...score.weighted import MetricLevel, ScoreBreakdown, metric_level
from ..shown_markup import escape
from ..widgets import FieldError, WideTextArea, labelled_input, prompts, text_input, widget_id
from .base import EvidenceFromLog, FinalStep, StepScreen
from .experiments_pull import ExperimentsFromLog, PulledExperiments, is_process_competency
from .impact import ImpactMapStep
from .prepared import own_rating_widgets, reading_widgets, refresh_own_ratings


def section_prompts(rubric: Rubric | None, section_id: str) -> list[str]:
    """The rubric's questions for a review section."""
    section = next((s for s in rubric.template if s.id == section_id), None) if rubric else None
    return section.prompts if section else []


class ReviewSection(StepScreen):
    """Shared by review sections: prompts from the rubric's template, errors from review.py."""

    def errors(self, draft: ReviewDraft) -> dict[str, str]:
        rubric = self.context.rubric(draft)
        return section_errors(self.KEY, draft, rubric, set(self.context.rubrics)) if rubric else {}


class RecapStep(ImpactMapStep):
    """The role impact map carried over from the plan, editable."""

    KEY = "impact_recap"

    def step_prompts(self) -> list[str]:
        return section_prompts(self.context.rubric(self.draft), self.KEY)


def preview_level(draft: ReviewDraft, result: DraftResult, rubric: Rubric) -> str:
    """The level the bands give for what is typed now, with the rule, as markup."""
    metric = metric_with_result(draft, result.metric)
    if metric is None:
        return "[dim]The level appears once the target and the actual are numbers.[/]"
    return f"[b]Level:[/] {escape(metric_level(metric, rubric).rule)}"


class ResultsStep(EvidenceFromLog, ReviewSection):
    """Per metric: actual, date, source, evidence; the banded level with its rule; an optional override."""

    KEY = "metric_results"
    BINDINGS = [Binding("ctrl+l", "from_log", "Evidence from log", id="step.from_log")]

    def compose_body(self) -> ComposeResult:
        rubric = self.context.rubric(self.draft)
        yield from prompts(section_prompts(rubric, self.KEY))
        metrics = {metric.id: metric for metric in self.draft.metrics}
        for result in self.draft.results:
            metric = metrics.get(result.metric)
            if metric is None:
                continue
            key = f"results.{result.metric}"
            heading = (
                f"[b]{escape(metric.name)}[/]  [dim]target {escape(metric.target)} {escape(metric.unit)}, "
                f"{escape(metric.direction)} is better, weight {escape(metric.weight)} · "
                f"source: {escape(metric.data_source)}[/]"
            )
            fields = [
                ("actual", "Actual", "the figure for the period"),
                ("as_of", "As of", "YYYY-MM-DD"),
                ("data_source", "Data source", "if not the plan's"),
                ("evidence", "Evidence", "report, link or note that backs it"),
                ("override_level", "Override level", "only with a justification"),
                ("override_reason", "Justification", "why the banded level does not fit"),
            ]
            lines: list[Any] = [Static(heading, classes="metric-heading")]
            if last := last_figure(self.draft, result.metric):
                lines.append(
                    Static(
                        f"[dim]Last check-in:[/] [b]{last.value:f}[/] {escape(metric.unit)} "
                        f"[dim]on {last.as_of:%Y-%m-%d}[/]",
                        classes="sentence",
                    )
                )
            for part, label, placeholder in fields:
                limit = SHORT_TEXT_MAX if part == "data_source" else 0  # one line of the record
                lines.extend(
                    labelled_input(f"{key}.{part}", getattr(result, part), label, placeholder, limit)
                )
            lines.append(Static(id=f"level-{widget_id(result.metric)}", classes="level"))
            yield Vertical(*lines, classes="metric-block")

    def collect(self) -> ReviewDraft:
        parts = ("actual", "as_of", "data_source", "evidence", "override_level", "override_reason")
        return self.draft.model_copy(update={"results": self.results_on_screen(self.draft.results, parts)})

    def refresh_status(self) -> None:
        super().refresh_status()
        rubric = self.context.rubric(self.draft)
        if rubric is None:
            return
        for result in self.draft.results:
            found = self.query(f"#level-{widget_id(result.metric)}")
            if found:
                watch = guardrail_note(self.draft, result.metric)
                warning = f"\n[$warning]⚑ {escape(watch)}[/]" if watch else ""
                found.first(Static).update(preview_level(self.draft, result, rubric) + warning)


class CompetenciesStep(ExperimentsFromLog, ReviewSection):
    """A level for each competency, every level's behavioural anchor in view, and an example."""

    KEY = "competencies"
    BINDINGS = ExperimentsFromLog.BINDINGS

    def compose_body(self) -> ComposeResult:
        rubric = self.context.rubric(self.draft)
        if rubric is None:
            return
        yield from prompts(section_prompts(rubric, self.KEY))
        ratings = {rating.competency: rating for rating in self.draft.ratings}
        for competency in rubric.competencies:
            rating = ratings.get(competency.id)
            key = f"ratings.{competency.id}"
            anchors = "\n".join(
                f"[b]{level.value}[/] {escape(level.label)}: [dim]{escape(anchor)}[/]"
                for level, anchor in zip(rubric.scale, competency.anchors, strict=True)
            )
            options = [(f"{level.value} {level.label}", str(level.value)) for level in rubric.scale]
            level_value = rating.level if rating and rating.level in {v for _, v in options} else Select.NULL
            yield Vertical(
                Static(
                    f"[b]{escape(competency.name)}[/]  [dim]weight {competency.weight}[/]",
                    classes="metric-heading",
                ),
                Static(anchors, classes="anchors"),
                *own_rating_widgets(self.draft, rubric, competency.id),
                Horizontal(
                    Label("Level", classes="field-label"),
                    Select(
                        options,
                        value=level_value,
                        prompt="Choose a level",
                        id=widget_id(f"{key}.level"),
                        compact=True,
                    ),
                    classes="field-line",
                ),
                FieldError(f"{key}.level"),
                Horizontal(
                    Label("Example", classes="field-label"),
                    text_input(
                        f"{key}.evidence",
                        rating.evidence if rating else "",
                        placeholder="a documented example",
                    ),
                    classes="field-line",
                ),
                FieldError(f"{key}.evidence"),
                classes="metric-block",
            )
            if is_process_competency(competency.id):  # the experiments the example may rest on
                yield PulledExperiments(self.draft)

    def collect(self) -> ReviewDraft:
        ratings = []
        for rating in self.draft.ratings:
            key = f"ratings.{rating.competency}"
            found = self.query(f"#{widget_id(f'{key}.level')}")
            if not found:
                ratings.append(rating)
                continue
            level = found.first(Select).value
            evidence = self.query_one(f"#{widget_id(f'{key}.evidence')}", Input).value
            ratings.append(
                rating.model_copy(
                    update={"level": level if isinstance(level, str) else "", "evidence": evidence}
                )
            )
        return self.draft.model_copy(update={"ratings": ratings})

    def refresh_status(self) -> None:
        super().refresh_status()
        refresh_own_ratings(self, self.draft, self.context.rubric(self.draft))


class ReadingStep(ReviewSection):
    """The employee's own reading of the data, and comments."""

    KEY = "employee_reading"

    def compose_body(self) -> ComposeResult:
        yield from prompts(section_prompts(self.context.rubric(self.draft), self.KEY))
        yield from reading_widgets(self.draft)
        yield Label("The employee's reading of the data", classes="section-title")
        yield WideTextArea(
            self.draft.reading, id="reading", field_key="reading", soft_wrap=True, classes="long-text"
        )
        yield FieldError("reading")
        yield Label("Comments", classes="section-title")
        yield WideTextArea(
            self.draft.comments, id="comments", field_key="comments", soft_wrap=True, classes="long-text"
        )

    def collect(self) -> ReviewDraft:
        return self.draft.model_copy(
            update={
                "reading": self.query_one("#reading", TextArea).text,
                "comments": self.query_one("#comments", TextArea).text,
            }
        )


def split_text(breakdown: ScoreBreakdown) -> str:
    """`metrics 70% / competencies 30%`, or which part counts in full while the other has nothing."""
    parts = [
        ("metrics", breakdown.metrics_weight, breakdown.metrics_average),
        ("competencies", breakdown.competencies_weight, breakdown.competencies_average),
    ]
    counted = [(name, weight) for name, weight, average in parts if average is not None and weight]
    if len(counted) != 1:
        return " / ".join(f"{name} {weight}%" for name, weight, _ in parts)
    name = counted[0][0]
    other, weight = next((n, w) for n, w, _ in parts if n != name)
    return f"{name} 100% (the {other} part, {weight}%, has nothing scored yet)"


def breakdown_markup(breakdown: ScoreBreakdown) -> str:
    """The score with every term's arithmetic where it stands, as both read it before signing."""
    total = "–" if breakdown.total is None else f"{breakdown.total}"
    state = "" if breakdown.complete else " [$warning](provisional)[/]"
    lines = [
        f"[b]Score {total} of {breakdown.top_level}[/]{state} · split: {escape(split_text(breakdown))}",
        "[dim]Each term: level × its weight's share of its part × the part's split, rounded to cents "
        "so that the terms add up to the score (leftover cents go to the largest remainders).[/]",
    ]
    if breakdown.rubric_changed:
        lines.append(
            "[$warning]The rubric file has changed since this review began; the score uses it as it is now.[/]"
        )
    averages = (breakdown.metrics_average, breakdown.competencies_average)
    weights = (breakdown.metrics_weight, breakdown.competencies_weight)
    counted = [
        bool(weight) and average is not None for weight, average in zip(weights, averages, strict=True)
    ]
    parts = [
        ("Metrics", weights[0], counted[0], breakdown.metrics),
        ("Competencies", weights[1], counted[1], breakdown.competencies),
    ]
    for title, weight, scored, items in parts:
        if not items:
            continue
        subtotal = sum((item.contribution for item in items if item.contribution is not None), Decimal(0))
        share = weight if all(counted) else (100 if scored else 0)
        lines.append(f"[b]{title}[/] ({share}% of the score): {subtotal:f}")
        for item in items:
            if item.arithmetic:
                lines.append(f"  {escape(item.name)}: {escape(item.arithmetic)}")
            else:
                lines.append(f"  {escape(item.name)}: [$warning]not scored[/]")
            if isinstance(item, MetricLevel):
                lines.append(f"    [dim]{escape(item.rule)}[/]")
    lines.append(f"[dim]{escape(breakdown.formula)}[/]")
    return "\n".join(lines)


class SignOffStep(FinalStep, ReviewSection):
    """The weighted score with its full breakdown, the checklist, both signatures."""

    KEY = "sign_off"
    REFUSED = "The review cannot be signed yet: see what is marked."
    BINDINGS = [Binding("ctrl+s", "agree", "Sign & save", priority=True, id="step.sign")]

    def compose_body(self) -> ComposeResult:
        yield Static("[b]Score[/]", classes="section-title")
        yield Static(id="score")
        yield Static("[b]Checklist[/]", classes="section-title")
        yield Static(id="sign-problems")
        yield from self.confirmations("signs")

    def errors(self, draft: ReviewDraft) -> dict[str, str]:
        rubric = self.context.rubric(draft)
        if rubric is None:
            return {"employee_confirmed": "The rubric of this review is not found."}
        return sign_off_errors(draft, rubric, set(self.context.rubrics), self.flow[:-1])

    def refresh_status(self) -> None:
        super().refresh_status()
        breakdown = self.app.review_score(self.draft)  # type: ignore[attr-defined]
        self.query_one("#score", Static).update(
            breakdown_markup(breakdown)
            if breakdown
            else "[dim]The score appears once the results are complete.[/]"
        )
        problems = {k: v for k, v in self.errors(self.draft).items() if not k.endswith("_confirmed")}
        lines = [f"[$error]✗[/] {escape(message)}" for message in problems.values()]
        self.query_one("#sign-problems", Static).update(
            "\n".join(lines) or "[$success]✓[/] Every section is complete."
        )
        status = (
            "Both sign, then Ctrl+S saves the signed review."
            if not problems
            else "Go back (Ctrl+B) to finish what is marked."
        )
        self.query_one("#step-status", Static).update(status)
