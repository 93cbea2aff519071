"""The experiment log: bottlenecks found, changes tried, their results and what was learned.

It sits beside the evidence log (one file per employee); a review's process-improvement
section copies the entries it rests on, failures included.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from .base import Id, Model, Name, Problems, Text, Timestamp, duplicates
from .evidence import EntryId

ExperimentOutcome = Literal["running", "worked", "mixed", "did_not_work"]
"""`running` until it ends; then `worked`, `mixed` or `did_not_work`."""


class Experiment(Model):
    """One change tried on a process, with its result whether it worked or not."""

    id: EntryId
    """Unique id; a review that uses the entry keeps a copy under the same id."""
    logged_at: Timestamp
    """When it was first logged."""
    title: Name
    """A short name for the experiment."""
    bottleneck: Text = ""
    """The bottleneck or problem found."""
    hypothesis: Text = Field(min_length=1)
    """What was expected to happen, and why."""
    change: Text = Field(min_length=1)
    """The change tried."""
    started_on: dt.date
    """The day the change started."""
    ended_on: dt.date | None = None
    """The day it ended; none while it runs."""
    outcome: ExperimentOutcome = "running"
    """How it turned out."""
    result: Text = ""
    """What happened, with its figures."""
    learned: Text = ""
    """What was learned, above all from a change that did not work."""
    metric: Id | None = None
    """Id of the plan metric it was meant to move, if any."""

    @model_validator(mode="after")
    def _dates_in_order(self) -> Experiment:
        if self.ended_on is not None and self.ended_on < self.started_on:
            raise Problems([(("ended_on",), "an experiment cannot end before it starts")])
        if self.outcome != "running" and self.ended_on is None:
            raise Problems([(("ended_on",), 'give the day it ended, or set outcome = "running"')])
        return self


class ExperimentLog(Model):
    """Every experiment one employee ran, oldest first."""

    schema_version: Literal[1] = 1
    """Version of this format."""
    kind: Literal["experiment-log"] = "experiment-log"
    """Tells an experiment log from an evidence log, a rubric or a record."""
    employee: Name
    """The employee who ran them."""
    entries: list[Experiment] = []
    """The experiments, oldest first."""

    @model_validator(mode="after")
    def _unique_ids(self) -> ExperimentLog:
        repeated = duplicates([entry.id for entry in self.entries])
        if repeated:
            raise Problems(
                [(("entries", index, "id"), "this experiment id is used twice") for index in repeated]
            )
        return self
