"""Each person's preparation before a review: the form they are sent, the checks on what comes back.

Pure functions over records and preparation files (`models.preparation`); storage/preparations.py
reads and writes the files. What goes into a form is only what its person may read: for the
employee, the plan's metrics with their latest figures and the rubric's competencies and scale;
for a partner, the competencies. Nothing anyone wrote (manager ratings, feedback rows, evidence,
notes, the names of other partners) is ever copied in.
"""

from __future__ import annotations

import datetime as dt

from ..models import Rubric, Session
from ..models.draft import ReviewDraft
from ..models.preparation import (
    PartnerObservation,
    Preparation,
    PreparingRole,
    PrepCompetency,
    PrepMetric,
    SelfAssessment,
)
from ..names import person_key
from ..score.weighted import latest_actual
from ..shown import shown_text


def preparation_form(
    plan: Session,
    rubric: Rubric,
    *,
    role: PreparingRole,
    name: str,
    ask_id: str,
    now: dt.datetime,
    due: dt.date | None = None,
) -> Preparation:
    """The file to send to `name` (the employee, or one partner of the plan) before the review."""
    competencies = [
        PrepCompetency(
            id=competency.id,
            name=competency.name,
            description=competency.description,
            anchors=competency.anchors,
        )
        for competency in rubric.competencies
    ]
    metrics = [
        PrepMetric(
            id=metric.id,
            name=metric.name,
            definition=metric.definition,
            unit=metric.unit,
            direction=metric.direction,
            baseline=metric.baseline,
            target=metric.target,
            latest=actual.value if (actual := latest_actual(metric)) else None,
            latest_as_of=actual.as_of if actual else None,
        )
        for metric in plan.metrics
    ]
    return Preparation(
        id=ask_id,
        role=role,
        name=name,
        employee=plan.participants.employee.name,
        manager=plan.participants.manager.name,
        rubric_id=rubric.id,
        period=plan.period,
        plan=plan.id,
        asked_at=now.replace(microsecond=0),
        due=due,
        metrics=metrics if role == "employee" else [],
        competencies=competencies,
        scale=rubric.scale if role == "employee" else [],
    )


def partner_in_plan(plan: Session, typed: str) -> str | None:
    """The partner's name as the plan spells it, or None when the plan has no such partner."""
    return next(
        (
            partner.name
            for partner in plan.participants.partners
            if person_key(partner.name) == person_key(typed)
        ),
        None,
    )


def not_a_partner(plan: Session, typed: str) -> str:
    """Why `typed` cannot prepare as a partner of this plan's employee, with who can."""
    employee = plan.participants.employee.name
    partners = ", ".join(shown_text(partner.name) for partner in plan.participants.partners)
    listed = f"its partners are {partners}" if partners else "it names no partners"
    return (
        f"{shown_text(typed)} is not a partner of {shown_text(employee)} in the plan {plan.id} ({listed}); "
        "add them to the plan at a check-in first"
    )


def import_problems(preparation: Preparation, plan: Session | None, rubric: Rubric | None) -> list[str]:
    """Why a filled preparation file does not fit the folder's records; empty when it does.

    `plan` is the employee's plan as it stands; `rubric` the preparation's rubric (None: not found).
    """
    problems = []
    if preparation.written_at is None:
        problems.append(
            f"{shown_text(preparation.name)} has not saved any answers in it yet (no `written_at`); "
            "send it back once filled with `reviewtui prepare fill`"
        )
    if plan is None:
        return [
            *problems,
            f"no agreed plan or check-in of {shown_text(preparation.employee)} is in the folder",
        ]
    if preparation.role == "employee":
        if person_key(preparation.name) != person_key(preparation.employee):
            problems.append(
                f"it is an employee's preparation but names {shown_text(preparation.name)}, "
                f"not the employee {shown_text(preparation.employee)}"
            )
    elif partner_in_plan(plan, preparation.name) is None:
        problems.append(not_a_partner(plan, preparation.name))
    if (preparation.period.start, preparation.period.end) != (plan.period.start, plan.period.end):
        problems.append(
            f"it is for the period {shown_text(preparation.period.label)}, but the plan of "
            f"{shown_text(preparation.employee)} covers {shown_text(plan.period.label)}"
        )
    if rubric is None:
        problems.append(
            f"its rubric `{preparation.rubric_id}` is not found; point --rubrics at the folder that holds it"
        )
        return problems
    competencies = {competency.id for competency in rubric.competencies}
    values = {level.value for level in rubric.scale}
    for index, rating in enumerate(preparation.ratings):
        if rating.competency not in competencies:
            problems.append(f"ratings[{index}].competency: the rubric has no competency with this id")
        elif rating.level not in values:
            problems.append(f"ratings[{index}].level: this level is not on the rubric's scale")
    return problems


def self_assessment_of(preparation: Preparation) -> SelfAssessment:
    """What the employee wrote, as the review keeps it."""
    assert preparation.written_at is not None  # only filled files are imported
    return SelfAssessment(
        written_at=preparation.written_at,
        reading=preparation.reading,
        ratings=preparation.ratings,
        objectives=preparation.objectives,
        topics=preparation.topics,
    )


def observations_of(preparation: Preparation) -> list[PartnerObservation]:
    """What a partner wrote, as the review keeps it, each row under their name."""
    assert preparation.written_at is not None
    return [
        PartnerObservation(
            name=preparation.name,
            written_at=preparation.written_at,
            observed=item.observed,
            impact=item.impact,
            kind=item.kind,
            account=item.account,
        )
        for item in preparation.observations
    ]


def _latest_per_person(preparations: list[Preparation]) -> dict[str, Preparation]:
    """Each person's last saved file (of two saved at the same moment, the later in the list)."""
    filled = [(p.written_at, index, p) for index, p in enumerate(preparations) if p.written_at is not None]
    return {person_key(p.name): p for _, _, p in sorted(filled, key=lambda item: (item[0], item[1]))}


def prepared_parts(
    preparations: list[Preparation],
) -> tuple[SelfAssessment | None, list[PartnerObservation]]:
    """The employee's latest self-assessment and each partner's latest observations, by partner name."""
    employee = _latest_per_person([p for p in preparations if p.role == "employee"])
    partners = _latest_per_person([p for p in preparations if p.role == "partner"])
    assessment = max(employee.values(), key=lambda p: p.written_at or p.asked_at, default=None)
    observations = [row for key in sorted(partners) for row in observations_of(partners[key])]
    return (self_assessment_of(assessment) if assessment else None), observations


def with_preparations(draft: ReviewDraft, preparations: list[Preparation]) -> ReviewDraft:
    """The review draft with what its people prepared copied in (kept as it was when the draft began)."""
    assessment, observations = prepared_parts(preparations)
    update: dict[str, object] = {"self_assessment": assessment, "partner_observations": observations}
    if assessment and assessment.reading and not draft.reading.strip():
        update["reading"] = assessment.reading  # the pair start from what the employee wrote
    return draft.model_copy(update=update)
