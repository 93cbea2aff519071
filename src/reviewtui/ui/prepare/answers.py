"""What the fill screens hold, as a preparation: complete entries as answers, begun ones kept aside.

Plain data in, a `Preparation` out; no Textual here. A row is an answer once its model takes it
(a level with its example, an objective with its name, an observation with what was observed and
strength or gap); a row with something typed that is not yet complete goes to `unfinished`, so a
save never loses it; a row with nothing in it is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from ...models.base import clean_line, clean_text
from ...models.preparation import (
    Observation,
    Preparation,
    ProposedObjective,
    SelfRating,
    Unfinished,
    UnfinishedObjective,
    UnfinishedObservation,
    UnfinishedRating,
)


@dataclass(frozen=True)
class RatingRow:
    competency: str
    level: int | None
    example: str


@dataclass(frozen=True)
class ObjectiveRow:
    objective: str
    why: str


@dataclass(frozen=True)
class ObservationRow:
    kind: str | None
    observed: str
    impact: str
    account: str


@dataclass(frozen=True)
class Answers:
    """Everything the screen holds; the rows in screen order."""

    reading: str = ""
    ratings: tuple[RatingRow, ...] = ()
    objectives: tuple[ObjectiveRow, ...] = ()
    topics: tuple[str, ...] = ()
    observations: tuple[ObservationRow, ...] = ()


def _typed(*texts: str) -> bool:
    return any(clean_text(text) for text in texts)


def _complete(model: type[BaseModel], values: dict[str, object]) -> BaseModel | None:
    try:
        return model.model_validate(values)
    except ValidationError:
        return None


def with_answers(base: Preparation, answers: Answers) -> Preparation:
    """`base` with the answers on screen (its `written_at` as it was: the save sets it)."""
    ratings, begun_ratings = [], []
    for row in answers.ratings:
        rating = _complete(
            SelfRating, {"competency": row.competency, "level": row.level, "example": row.example}
        )
        if rating is not None:
            ratings.append(rating)
        elif row.level is not None or _typed(row.example):
            begun_ratings.append(
                UnfinishedRating(competency=row.competency, level=row.level, example=row.example)
            )
    objectives, begun_objectives = [], []
    for row in answers.objectives:
        objective = _complete(ProposedObjective, {"objective": row.objective, "why": row.why})
        if objective is not None:
            objectives.append(objective)
        elif _typed(row.objective, row.why):
            begun_objectives.append(UnfinishedObjective(objective=row.objective, why=row.why))
    observations, begun_observations = [], []
    for row in answers.observations:
        values = {"kind": row.kind, "observed": row.observed, "impact": row.impact, "account": row.account}
        observation = _complete(Observation, values)
        if observation is not None:
            observations.append(observation)
        elif row.kind is not None or _typed(row.observed, row.impact, row.account):
            begun_observations.append(UnfinishedObservation.model_validate(values))
    topics = list(dict.fromkeys(topic for topic in map(clean_line, answers.topics) if topic))
    unfinished = Unfinished(
        ratings=begun_ratings, objectives=begun_objectives, observations=begun_observations
    )
    data = base.model_dump()
    if base.role == "employee":
        data |= {
            "reading": answers.reading,
            "ratings": [item.model_dump() for item in ratings],
            "objectives": [item.model_dump() for item in objectives],
            "topics": topics,
        }
    else:
        data["observations"] = [item.model_dump() for item in observations]
    data["unfinished"] = unfinished.model_dump() if unfinished != Unfinished() else None
    return Preparation.model_validate(data)


def answers_of(preparation: Preparation) -> Answers:
    """The rows a screen shows for a file: its answers, then what was begun, each in its place."""
    begun = preparation.unfinished or Unfinished()
    by_competency = {
        rating.competency: RatingRow(rating.competency, rating.level, rating.example)
        for rating in preparation.ratings
    }
    by_competency |= {
        rating.competency: RatingRow(rating.competency, rating.level, rating.example)
        for rating in begun.ratings
    }
    return Answers(
        reading=preparation.reading,
        ratings=tuple(
            by_competency.get(competency.id, RatingRow(competency.id, None, ""))
            for competency in preparation.competencies
        ),
        objectives=tuple(
            ObjectiveRow(item.objective, item.why) for item in [*preparation.objectives, *begun.objectives]
        ),
        topics=tuple(preparation.topics),
        observations=tuple(
            ObservationRow(item.kind, item.observed, item.impact, item.account)
            for item in [*preparation.observations, *begun.observations]
        ),
    )


def unfinished_summary(preparation: Preparation) -> str:
    """What is begun and not complete, in a few words; empty when nothing is."""
    begun = preparation.unfinished or Unfinished()
    names = {competency.id: competency.name for competency in preparation.competencies}
    parts = []
    for rating in begun.ratings:
        missing = "an example" if rating.level is not None else "a level"
        parts.append(f"{names.get(rating.competency, rating.competency)} needs {missing}")
    if begun.objectives:
        parts.append(f"{len(begun.objectives)} objective(s) need a name")
    for observation in begun.observations:
        parts.append(
            "an observation needs " + ("strength or gap" if observation.kind is None else "what you observed")
        )
    return "; ".join(parts)
