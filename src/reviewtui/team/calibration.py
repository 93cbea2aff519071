"""Team calibration: level distributions, scores per manager side by side, outliers and gaps.

Pure: it works on small per-record summaries (`summaries.summarise`: a record and its rubric), so
the report can be built from a cache without opening every record. Only signed reviews count for
scores and distributions; other records are only counted.

The spread of levels and scores and its outliers are worked out in `calibration_spread`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..models import Rubric
from .calibration_rules import RuleBreak, rule_breaks
from .calibration_shown import shown_rubrics, shown_summary, shown_unreadable
from .calibration_spread import (
    CENT,
    Distribution,
    ManagerScores,
    Outlier,
    distributions,
    manager_scores,
    one_level_outliers,
    population_sd,
    spread_outliers,
)
from .record_copies import Copy, one_per_record
from .summaries import RecordSummary

KINDS = ("alignment", "check-in", "review")


@dataclass(frozen=True)
class RubricReport:
    """Calibration of the signed reviews on one rubric."""

    rubric_id: str
    title: str
    scale: tuple[tuple[int, str], ...]
    reviews: int
    changed_rubric: int
    """Reviews made with an earlier version of the rubric file."""
    changed_rubric_signed: int
    """Of those, how many keep the score they were signed with (the others are scored with it as it is now)."""
    rescored: tuple[tuple[str, str, Decimal | None, Decimal], ...]
    """(file, manager, signed score, score under today's rubric) where the two differ."""
    managers: tuple[ManagerScores, ...]
    overall: ManagerScores
    review_scores: tuple[tuple[str, str, Decimal | None], ...]
    """(file, manager, score) of each signed review, in file order."""
    sd: Decimal | None
    metrics: tuple[Distribution, ...]
    competencies: tuple[Distribution, ...]
    outliers: tuple[Outlier, ...]


@dataclass(frozen=True)
class Gap:
    """A signed review missing evidence or a success story."""

    path: str
    manager: str
    text: str


@dataclass(frozen=True)
class Report:
    """The whole calibration report."""

    counts: tuple[tuple[str, int, int], ...]
    """(kind, records read, of them final: agreed / recorded / signed)."""
    unreadable: tuple[tuple[str, str], ...]
    """(file, one-line reason) for every record that could not be read."""
    unknown_rubric: tuple[tuple[str, str], ...]
    """(file, rubric id) for signed reviews whose rubric was not found."""
    rubrics: tuple[RubricReport, ...]
    gaps: tuple[Gap, ...]
    rule_breaks: tuple[RuleBreak, ...] = ()
    """Agreed plans that break a rule, one entry per rule, in file order."""
    copies: tuple[Copy, ...] = ()
    """Files left out as copies of a record counted from another file."""


def calibrate(
    summaries: Iterable[RecordSummary],
    rubrics: Mapping[str, Rubric],
    unreadable: Sequence[tuple[str, str]] = (),
) -> Report:
    """The calibration report over every record summarised, grouped by rubric; its texts shown escaped."""
    summaries, copies = one_per_record(sorted(map(shown_summary, summaries), key=lambda s: s.path))
    rubrics, unreadable = shown_rubrics(rubrics), shown_unreadable(unreadable)
    final = {"alignment": "agreed", "check-in": "recorded", "review": "signed"}
    read = Counter(s.kind for s in summaries)
    done = Counter(s.kind for s in summaries if s.status == final.get(s.kind))
    signed = [s for s in summaries if s.signed_review]
    by_rubric: dict[str, list[RecordSummary]] = defaultdict(list)
    unknown = []
    for summary in signed:
        if summary.rubric_known and summary.rubric_id in rubrics:
            by_rubric[summary.rubric_id].append(summary)
        else:
            unknown.append((summary.path, summary.rubric_id))
    reports = [_rubric_report(rubrics[rubric_id], group) for rubric_id, group in by_rubric.items()]
    reports.sort(key=lambda r: (r.title.lower(), r.rubric_id))
    return Report(
        counts=tuple((kind, read[kind], done[kind]) for kind in KINDS),
        unreadable=tuple(sorted(unreadable)),
        unknown_rubric=tuple(unknown),
        rubrics=tuple(reports),
        gaps=tuple(_gaps(signed)),
        rule_breaks=rule_breaks(summaries),
        copies=tuple(copies),
    )


def _gaps(signed: list[RecordSummary]) -> list[Gap]:
    gaps = []
    for summary in signed:
        missing = []
        if summary.no_evidence:
            missing.append("no evidence for " + ", ".join(summary.no_evidence))
        if summary.no_success_story:
            missing.append("no client success story")
        if missing:
            gaps.append(Gap(summary.path, summary.manager, "; ".join(missing)))
    return gaps


def _rubric_report(rubric: Rubric, reviews: list[RecordSummary]) -> RubricReport:
    scale = tuple((level.value, level.label) for level in rubric.scale)
    managers = sorted({r.manager for r in reviews})
    per_manager = [manager_scores(m, [r.score for r in reviews if r.manager == m]) for m in managers]
    overall = manager_scores("all", [r.score for r in reviews])
    sd = population_sd(overall.scores)
    metrics, competencies = distributions(rubric, reviews, managers)
    outliers = spread_outliers(reviews, per_manager, overall, sd)
    outliers += one_level_outliers([*metrics, *competencies], managers, scale)
    return RubricReport(
        rubric_id=rubric.id,
        title=rubric.title,
        scale=scale,
        reviews=len(reviews),
        changed_rubric=sum(1 for r in reviews if r.rubric_changed),
        changed_rubric_signed=sum(1 for r in reviews if r.rubric_changed and r.score_signed),
        rescored=tuple(
            (r.path, r.manager, r.score, r.score_today) for r in reviews if r.score_today is not None
        ),
        managers=tuple(per_manager),
        overall=overall,
        review_scores=tuple((r.path, r.manager, r.score) for r in reviews),
        sd=sd.quantize(CENT, ROUND_HALF_UP) if sd is not None else None,
        metrics=metrics,
        competencies=competencies,
        outliers=tuple(outliers),
    )
