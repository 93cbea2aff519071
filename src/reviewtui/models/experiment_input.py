"""An experiment from what was typed: shared by `reviewtui experiment` and the app's experiment log.

Every refusal is said per field, in words a person acts on, without repeating long typed text.
"""

from __future__ import annotations

import datetime as dt
from typing import get_args

from .base import LONG_TEXT_MAX, SHORT_TEXT_MAX, clean_line, clean_text
from .evidence import new_entry_id
from .experiments import Experiment, ExperimentOutcome
from .text_checks import conflict_marker_lines

OUTCOMES: tuple[str, ...] = get_args(ExperimentOutcome)
ENDED_OUTCOMES = tuple(outcome for outcome in OUTCOMES if outcome != "running")
OUTCOME_LABELS = {
    "running": "Running",
    "worked": "Worked",
    "mixed": "Mixed",
    "did_not_work": "Did not work",
}
"""How an outcome is said on screen and in exports."""

FIELD_NAMES = {
    "title": "the title",
    "bottleneck": "the bottleneck",
    "hypothesis": "the hypothesis",
    "change": "the change",
    "result": "the result",
    "learned": "what was learned",
}
REQUIRED_TO_START = ("title", "hypothesis", "change")
REQUIRED_TO_END = ("result", "learned")


def _text_error(key: str, value: str, *, required: bool) -> str | None:
    one_line = key == "title"
    stored = clean_line(value) if one_line else clean_text(value)
    limit = SHORT_TEXT_MAX if one_line else LONG_TEXT_MAX
    name = FIELD_NAMES[key]
    if not stored:
        return f"Write {name}." if required else None
    if len(stored) > limit:
        return f"{name.capitalize()} is longer than {limit:,} characters: shorten it."
    if conflict_marker_lines(stored):
        return f"A line of {name} is a merge-conflict marker (<<<<<<<, ======= or >>>>>>>): remove that line."
    return None


def _day(typed: str, what: str, errors: dict[str, str], key: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(typed.strip())
    except ValueError:
        shown = typed.strip()
        errors[key] = (
            f"{what} must be YYYY-MM-DD, not {shown!r}."
            if len(shown) <= 40
            else f"{what} must be YYYY-MM-DD."
        )
        return None


def experiment_from_input(
    typed: dict[str, str],
    *,
    base: Experiment | None,
    metrics: dict[str, str],
    now: dt.datetime,
) -> tuple[Experiment | None, dict[str, str]]:
    """A new experiment (`base` None) or `base` changed by the fields in `typed`, or what is wrong.

    Keys of `typed`: title, bottleneck, hypothesis, change, started_on, metric, outcome, ended_on,
    result, learned; a key left out keeps `base`'s value. Ending one (an outcome other than
    `running`) needs the day it ended (today when left empty), the result and what was learned:
    a failed change is worth logging only with its lesson. Setting `running` again clears the end.
    """
    current = base.model_dump() if base else {"outcome": "running", "ended_on": None}
    values = {**{k: "" for k in FIELD_NAMES}, **{k: v for k, v in current.items() if isinstance(v, str)}}
    values |= {k: v for k, v in typed.items() if k in FIELD_NAMES}
    errors: dict[str, str] = {}

    outcome = typed.get("outcome", current.get("outcome", "running")).strip() or "running"
    if outcome not in OUTCOMES:
        errors["outcome"] = f"The outcome must be one of {', '.join(ENDED_OUTCOMES)} (or running)."
    ending = outcome in ENDED_OUTCOMES
    for key in FIELD_NAMES:
        required = key in REQUIRED_TO_START or (ending and key in REQUIRED_TO_END)
        if (problem := _text_error(key, values[key], required=required)) is not None:
            errors[key] = problem

    started = current.get("started_on")
    if "started_on" in typed:
        started = (
            _day(typed["started_on"], "The start date", errors, "started_on")
            if typed["started_on"].strip()
            else None
        )
    if started is None and "started_on" not in errors:
        errors["started_on"] = "Give the day the change started (YYYY-MM-DD)."

    ended: dt.date | None = None
    if ending:
        ended = current.get("ended_on")
        if "ended_on" in typed:
            ended = (
                _day(typed["ended_on"], "The end date", errors, "ended_on")
                if typed["ended_on"].strip()
                else None
            )
        if ended is None and "ended_on" not in errors:
            ended = now.date()
        if ended is not None and ended > now.date():
            errors["ended_on"] = "The end date is in the future: end an experiment once it is over."
        elif ended is not None and started is not None and ended < started:
            errors["ended_on"] = f"It cannot end before it started ({started})."

    metric = typed.get("metric", current.get("metric") or "").strip()
    if "metric" in typed and metric and metric not in metrics:  # a kept metric is not judged again
        known = ", ".join(sorted(metrics)) or "none"
        shown = repr(metric) if len(metric) <= 64 else "given"
        errors["metric"] = f"The plans have no metric {shown} (their metrics: {known})."
    if errors:
        return None, errors
    experiment = Experiment(
        id=base.id if base else new_entry_id(),
        logged_at=base.logged_at if base else now,
        title=values["title"],
        bottleneck=values["bottleneck"],
        hypothesis=values["hypothesis"],
        change=values["change"],
        started_on=started,  # type: ignore[arg-type]
        ended_on=ended,
        outcome=outcome,  # type: ignore[arg-type]
        result=values["result"],
        learned=values["learned"],
        metric=metric or None,
    )
    return experiment, {}
