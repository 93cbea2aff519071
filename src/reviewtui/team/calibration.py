"""Team calibration: level distributions, scores per manager side by side, outliers and gaps.

Pure: it works on small per-record summaries (made here from a record and its rubric), so the
report can be built from a cache without opening every record. Only signed reviews count for
scores and distributions; other records are only counted.

Outliers, per rubric, over its signed reviews with a score (`sd` is the population standard
deviation of all those scores, `mean` their mean; none is flagged with fewer than
`MIN_REVIEWS_FOR_SPREAD` scores or when every score is the same):

- a manager with at least `MIN_REVIEWS_PER_MANAGER` scored reviews whose mean is more than
  `MANAGER_SD` sd away from the rubric's mean (a lenient or a severe rater);
- a single review more than `REVIEW_SD` sd away from the mean;
- a manager who gives one level to at least `ONE_LEVEL_SHARE` of their ratings of a metric or
  competency, over at least `MIN_RATINGS_FOR_ONE_LEVEL` ratings (no differentiation).
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from ..models import Rubric, Session
from ..review.evidence_gaps import evidence_gaps
from ..score.signed import record_score
from .calibration_rules import RuleBreak, rule_breaks
from .calibration_shown import shown_rubrics, shown_summary, shown_unreadable
from .record_copies import Copy, one_per_record

MIN_REVIEWS_FOR_SPREAD = 3
MIN_REVIEWS_PER_MANAGER = 2
MANAGER_SD = Decimal(1)
REVIEW_SD = Decimal(2)
ONE_LEVEL_SHARE = Decimal("0.8")
MIN_RATINGS_FOR_ONE_LEVEL = 5
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
KINDS = ("alignment", "check-in", "review")


@dataclass(frozen=True)
class RecordSummary:
    """What the report needs from one record; small enough to cache."""

    path: str
    kind: str
    status: str
    rubric_id: str
    rubric_known: bool
    rubric_changed: bool
    manager: str
    employee: str
    period: str
    metrics: tuple[tuple[str, str, int | None], ...] = ()
    """(metric id, name, level) for each plan metric of a review; level None = not scored."""
    competencies: tuple[tuple[str, int | None], ...] = ()
    """(competency id, level) for each rubric competency of a review."""
    score: Decimal | None = None
    """The weighted total of a review (as signed, when the record holds its signed score); None
    when nothing is scored, or only competencies where the rubric does not allow that."""
    no_evidence: tuple[str, ...] = ()
    """Names of metrics with an actual but no evidence written."""
    no_success_story: bool = False
    """A review without a client success story where its rubric asks for one."""
    score_signed: bool = False
    """Whether `score` is the one the review was signed with (kept in the record)."""
    score_today: Decimal | None = None
    """The score under the rubric as it is today, when that differs from the signed one."""
    broken_rules: tuple[tuple[str, str, str], ...] = ()
    """(check id, what the checklist said, reason) for each rule an agreed plan was agreed against."""
    record_id: str = ""
    """The record's id: two files holding one id are copies of one record, counted once."""

    @property
    def signed_review(self) -> bool:
        """Whether this record counts for scores and distributions."""
        return self.kind == "review" and self.status == "signed"


def summarise(path: str, session: Session, rubric: Rubric | None, rubric_sha256: str | None) -> RecordSummary:
    """A record's summary; levels, score and gaps only for reviews whose rubric is known.

    `rubric_sha256` is the hash of the rubric file as found now, to tell whether it changed since.
    """
    base = RecordSummary(
        path=path,
        kind=session.kind,
        status=session.status,
        rubric_id=session.rubric.id,
        rubric_known=rubric is not None,
        rubric_changed=rubric_sha256 is not None and rubric_sha256 != session.rubric.sha256,
        manager=session.participants.manager.name,
        employee=session.participants.employee.name,
        period=session.period.label,
        record_id=str(session.id),
        broken_rules=tuple((b.check, b.message, b.reason) for b in session.broken_rules)
        if session.kind == "alignment" and session.status == "agreed"
        else (),
    )
    if session.kind != "review" or rubric is None:
        return base
    # The signed score when the record holds it, which a later rubric edit never changes.
    found = record_score(session, rubric, rubric_sha256)
    assert found is not None  # the rubric is known
    breakdown = found.shown
    gaps = evidence_gaps(session, rubric)
    return dataclasses.replace(
        base,
        metrics=tuple((m.metric_id, m.name, m.level) for m in breakdown.metrics),
        competencies=tuple((c.competency_id, c.level) for c in breakdown.competencies),
        # A score on competencies alone counts only where the rubric allows it.
        score=breakdown.total if breakdown.counts else None,
        no_evidence=gaps.no_evidence,
        no_success_story=gaps.no_success_story,
        score_signed=found.signed,
        score_today=found.today.total if found.today and found.today.total != breakdown.total else None,
    )


@dataclass(frozen=True)
class Distribution:
    """How often each level was given for one metric or competency, overall and per manager."""

    item_id: str
    name: str
    kind: str  # "metric" or "competency"
    overall: tuple[int, ...]
    """Counts per scale level, lowest first, then the count not scored."""
    by_manager: tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class ManagerScores:
    """One manager's signed review scores on a rubric."""

    manager: str
    scores: tuple[Decimal, ...]
    """Scores, lowest first."""
    unscored: int
    mean: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None


@dataclass(frozen=True)
class Outlier:
    """Something a calibration meeting should look at, and why."""

    rule: str  # "manager_mean", "review" or "one_level"
    manager: str
    text: str


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
    per_manager = [_scores(m, [r.score for r in reviews if r.manager == m]) for m in managers]
    overall = _scores("all", [r.score for r in reviews])
    sd = _sd(overall.scores)
    metrics, competencies = _distributions(rubric, reviews, managers)
    outliers = _spread_outliers(reviews, per_manager, overall, sd)
    outliers += _one_level_outliers([*metrics, *competencies], managers, scale)
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


def _scores(manager: str, scores: list[Decimal | None]) -> ManagerScores:
    given = sorted(s for s in scores if s is not None)
    return ManagerScores(
        manager=manager,
        scores=tuple(given),
        unscored=len(scores) - len(given),
        mean=_mean(given).quantize(CENT, ROUND_HALF_UP) if given else None,
        minimum=given[0] if given else None,
        maximum=given[-1] if given else None,
    )


def _mean(values: Sequence[Decimal]) -> Decimal:
    with localcontext(prec=28):
        return sum(values, Decimal(0)) / len(values)


def _sd(values: Sequence[Decimal]) -> Decimal | None:
    """Population standard deviation; None when too few values to speak of a spread."""
    if len(values) < MIN_REVIEWS_FOR_SPREAD:
        return None
    with localcontext(prec=28):
        mean = _mean(values)
        return (sum(((v - mean) ** 2 for v in values), Decimal(0)) / len(values)).sqrt()


def _distributions(
    rubric: Rubric, reviews: list[RecordSummary], managers: list[str]
) -> tuple[tuple[Distribution, ...], tuple[Distribution, ...]]:
    values = [level.value for level in rubric.scale]
    slot = {value: index for index, value in enumerate(values)}
    # Catalog order first, then custom metrics in the order they first appear.
    order = {metric.id: index for index, metric in enumerate(rubric.metrics)}
    names = {metric.id: metric.name for metric in rubric.metrics}
    # One tally per (kind, item, manager, level): a report over thousands of reviews stays quick.
    tally: Counter[tuple[str, str, str, int | None]] = Counter()
    for review in reviews:
        manager = review.manager
        for metric_id, name, level in review.metrics:
            if metric_id not in order:
                order[metric_id] = len(order)
                names.setdefault(metric_id, name)
            tally["metric", metric_id, manager, level] += 1
        for competency_id, level in review.competencies:
            tally["competency", competency_id, manager, level] += 1
    counts: dict[tuple[str, str], dict[str, list[int]]] = {}
    for (kind, item_id, manager, level), number in tally.items():
        table = counts.setdefault((kind, item_id), {})
        index = slot.get(level, len(values)) if level is not None else len(values)
        for who in ("", manager):
            table.setdefault(who, [0] * (len(values) + 1))[index] += number

    def distribution(kind: str, item_id: str, name: str) -> Distribution:
        table = counts[(kind, item_id)]
        return Distribution(
            item_id=item_id,
            name=name,
            kind=kind,
            overall=tuple(table[""]),
            by_manager=tuple((m, tuple(table[m])) for m in managers if m in table),
        )

    metric_ids = sorted((key[1] for key in counts if key[0] == "metric"), key=order.__getitem__)
    metrics = tuple(distribution("metric", item_id, names[item_id]) for item_id in metric_ids)
    competencies = tuple(
        distribution("competency", c.id, c.name)
        for c in rubric.competencies
        if ("competency", c.id) in counts
    )
    return metrics, competencies


def _spread_outliers(
    reviews: list[RecordSummary],
    managers: list[ManagerScores],
    overall: ManagerScores,
    sd: Decimal | None,
) -> list[Outlier]:
    if sd is None or not sd:
        return []
    mean = _mean(overall.scores)
    shown_mean, shown_sd = mean.quantize(CENT, ROUND_HALF_UP), sd.quantize(CENT, ROUND_HALF_UP)
    outliers = []
    with localcontext(prec=28):
        for manager in managers:
            if len(manager.scores) < MIN_REVIEWS_PER_MANAGER:
                continue
            distance = (_mean(manager.scores) - mean) / sd
            if abs(distance) > MANAGER_SD:
                outliers.append(
                    Outlier(
                        "manager_mean",
                        manager.manager,
                        f"{manager.manager}'s mean {manager.mean} over {len(manager.scores)} reviews is "
                        f"{_sds(distance)} the mean {shown_mean} (sd {shown_sd})",
                    )
                )
        for review in reviews:
            if review.score is None:
                continue
            distance = (review.score - mean) / sd
            if abs(distance) > REVIEW_SD:
                outliers.append(
                    Outlier(
                        "review",
                        review.manager,
                        f"{review.path} ({review.manager}): {review.score} is {_sds(distance)} "
                        f"the mean {shown_mean}",
                    )
                )
    return outliers


def _sds(distance: Decimal) -> str:
    side = "above" if distance > 0 else "below"
    return f"{abs(distance).quantize(TENTH, ROUND_HALF_UP)} sd {side}"


def _one_level_outliers(
    items: list[Distribution], managers: list[str], scale: tuple[tuple[int, str], ...]
) -> list[Outlier]:
    outliers = []
    for manager in managers:
        for item in items:
            row = dict(item.by_manager).get(manager)
            if row is None:
                continue
            rated = sum(row[:-1])
            if rated < MIN_RATINGS_FOR_ONE_LEVEL:
                continue
            top = max(row[:-1])
            if Decimal(top) / rated >= ONE_LEVEL_SHARE:
                value, label = scale[row.index(top)]
                share = (Decimal(100) * top / rated).quantize(Decimal(1), ROUND_HALF_UP)
                outliers.append(
                    Outlier(
                        "one_level",
                        manager,
                        f"{manager} gave {item.name} {value} {label} in {top} of {rated} ratings ({share}%)",
                    )
                )
    return outliers
