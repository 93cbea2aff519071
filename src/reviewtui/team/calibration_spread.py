"""How the levels and scores of one rubric's signed reviews spread, and the outliers (pure).

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

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from ..models import Rubric
from .summaries import RecordSummary

MIN_REVIEWS_FOR_SPREAD = 3
MIN_REVIEWS_PER_MANAGER = 2
MANAGER_SD = Decimal(1)
REVIEW_SD = Decimal(2)
ONE_LEVEL_SHARE = Decimal("0.8")
MIN_RATINGS_FOR_ONE_LEVEL = 5
CENT = Decimal("0.01")
TENTH = Decimal("0.1")


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


def manager_scores(manager: str, scores: list[Decimal | None]) -> ManagerScores:
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


def population_sd(values: Sequence[Decimal]) -> Decimal | None:
    """Population standard deviation; None when too few values to speak of a spread."""
    if len(values) < MIN_REVIEWS_FOR_SPREAD:
        return None
    with localcontext(prec=28):
        mean = _mean(values)
        return (sum(((v - mean) ** 2 for v in values), Decimal(0)) / len(values)).sqrt()


def distributions(
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


def spread_outliers(
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


def one_level_outliers(
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
