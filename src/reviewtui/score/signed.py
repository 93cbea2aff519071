"""The score a review was signed with: written at signing, shown ever after, checked against itself.

A signed review keeps its score and every input to it (`Session.signed_score`). Every surface
shows that score; when the rubric as it is today gives another, it is shown beside, labelled.
Reviews signed before the snapshot existed are scored from the record and today's rubric.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..models import Rubric, Session
from ..models.envelope import Loc
from ..models.signed import SignedScore
from .weighted import ScoreBreakdown, ScoreRules, score, score_with


@dataclass(frozen=True)
class RecordScore:
    """A record's score as every surface shows it."""

    shown: ScoreBreakdown
    """The record's score: the signed one when the record holds it, else today's."""
    signed: bool
    """Whether `shown` is the score as signed (from the record's own snapshot)."""
    today: ScoreBreakdown | None
    """The score under the rubric as it is today, when it differs from the signed one."""
    consistent: bool = True
    """False when the signed score stored does not agree with its own inputs (validate refuses it)."""


def signed_snapshot(session: Session, rubric: Rubric) -> SignedScore:
    """What the two sign: the score under `rubric` now, its terms as shown, and every input to it."""
    breakdown = score(session, rubric)
    bands = {metric.id: metric.bands for metric in session.metrics}
    return SignedScore.model_validate(
        {
            "total": breakdown.total,
            "metrics_weight": rubric.scoring.metrics_weight,
            "competencies_weight": rubric.scoring.competencies_weight,
            "allow_competencies_only": rubric.limits.allow_competencies_only,
            "scale": [{"value": level.value, "label": level.label} for level in rubric.scale],
            "metrics": [
                {
                    "id": m.metric_id,
                    "level": m.level,
                    "weight": m.weight,
                    "bands": bands[m.metric_id],
                    "contribution": m.contribution,
                }
                for m in breakdown.metrics
            ],
            "competencies": [
                {
                    "id": c.competency_id,
                    "name": c.name,
                    "weight": c.weight,
                    "level": c.level,
                    "contribution": c.contribution,
                }
                for c in breakdown.competencies
            ],
        }
    )


def signed_rules(signed: SignedScore) -> ScoreRules:
    """The rubric's part of the score as it was at signing."""
    return ScoreRules(
        labels={level.value: level.label for level in signed.scale},
        metrics_weight=signed.metrics_weight,
        competencies_weight=signed.competencies_weight,
        competencies=tuple((c.id, c.name, c.weight) for c in signed.competencies),
        allow_competencies_only=signed.allow_competencies_only,
    )


def _signed_session(session: Session, signed: SignedScore) -> Session:
    """The record with each metric on the bands and weight it was signed with."""
    terms = {term.id: term for term in signed.metrics}
    metrics = [
        metric.model_copy(update={"bands": terms[metric.id].bands, "weight": terms[metric.id].weight})
        if metric.id in terms
        else metric
        for metric in session.metrics
    ]
    return session.model_copy(update={"metrics": metrics})


def signed_breakdown(session: Session) -> ScoreBreakdown | None:
    """The signed score worked out from its stored inputs; None for a record without one."""
    signed = session.signed_score
    if signed is None:
        return None
    return score_with(_signed_session(session, signed), signed_rules(signed))


def signed_score_problems(session: Session) -> list[tuple[Loc, str]]:
    """Where a stored signed score disagrees with its own inputs or with the record (no values)."""
    signed = session.signed_score
    if signed is None:
        return []
    where: Loc = ("signed_score",)
    if session.kind != "review" or session.status != "signed":
        return [(where, "only a signed review holds a signed score; remove this table")]
    values = [level.value for level in signed.scale]
    if values != list(range(values[0], values[0] + len(values))):
        return [((*where, "scale"), "the signed scale's values must rise by one from the lowest")]
    problems: list[tuple[Loc, str]] = []
    if signed.metrics_weight + signed.competencies_weight != 100:
        problems.append(((*where, "metrics_weight"), "the signed split must total 100"))
    if signed.competencies and sum(term.weight for term in signed.competencies) != 100:
        problems.append(((*where, "competencies"), "the signed competency weights must total 100"))
    if [term.id for term in signed.metrics] != [metric.id for metric in session.metrics]:
        return [
            (
                (*where, "metrics"),
                "the signed score must hold one term per plan metric, in the record's order",
            )
        ]
    for index, (term, metric) in enumerate(zip(signed.metrics, session.metrics, strict=True)):
        if term.bands != metric.bands:
            problems.append(
                ((*where, "metrics", index, "bands"), "the signed bands differ from the plan metric's bands")
            )
        if term.weight != metric.weight:
            problems.append(
                (
                    (*where, "metrics", index, "weight"),
                    "the signed weight differs from the plan metric's weight",
                )
            )
    rated = {rating.competency for rating in session.competencies}
    known = {term.id for term in signed.competencies}
    if not rated <= known:
        problems.append(
            ((*where, "competencies"), "a competency rated in the record has no term in the signed score")
        )
    if problems:
        return problems
    breakdown = signed_breakdown(session)
    assert breakdown is not None
    given = "the signed contribution is not what the signed inputs give"
    parts = (
        (
            "metrics",
            signed.metrics,
            breakdown.metrics,
            "the signed level is not the one the metric's bands (or override) give on the signed scale",
        ),
        (
            "competencies",
            signed.competencies,
            breakdown.competencies,
            "the signed level differs from the record's rating",
        ),
    )
    for part, terms, results, wrong_level in parts:
        for index, (term, result) in enumerate(zip(terms, results, strict=True)):
            if term.level != result.level:
                problems.append(((*where, part, index, "level"), wrong_level))
            elif term.contribution != result.contribution:
                problems.append(
                    (
                        (*where, part, index, "contribution"),
                        f"{given} (level × weight share × split, in cents adding up to the total)",
                    )
                )
    if signed.total != breakdown.total:
        problems.append(
            (
                (*where, "total"),
                "the signed total is not what the signed inputs give; the score may have been edited after signing",
            )
        )
    return problems


def _same(one: ScoreBreakdown, other: ScoreBreakdown) -> bool:
    def terms(breakdown: ScoreBreakdown) -> list[tuple[object, ...]]:
        items = [(m.metric_id, m.level, m.contribution) for m in breakdown.metrics]
        return items + [(c.competency_id, c.level, c.contribution) for c in breakdown.competencies]

    return one.total == other.total and terms(one) == terms(other)


def record_score(
    session: Session, rubric: Rubric | None, rubric_sha256: str | None = None
) -> RecordScore | None:
    """The score to show for a record: the signed one if it holds it, with today's beside when different.

    Without a snapshot it is today's score (None without the rubric). `rubric_sha256` is the hash
    of the rubric file as found now.
    """
    today = score(session, rubric, rubric_sha256) if rubric is not None else None
    signed = signed_breakdown(session)
    if signed is None:
        return RecordScore(today, signed=False, today=None) if today is not None else None
    changed = rubric_sha256 is not None and rubric_sha256 != session.rubric.sha256
    signed = dataclasses.replace(signed, rubric_changed=changed)
    differs = today if today is not None and not _same(signed, today) else None
    return RecordScore(signed, signed=True, today=differs, consistent=not signed_score_problems(session))
