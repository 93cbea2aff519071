"""One score everywhere: the terms every surface shows add up exactly to the total it shows."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from factories import make_session, metric
from reviewtui.models import Rubric
from reviewtui.record.summary import record_json, record_markdown
from reviewtui.score.signed import record_score, signed_score_problems, signed_snapshot
from reviewtui.score.weighted import apportion, score
from reviewtui.storage import load_rubric
from reviewtui.team.history import Rubrics, _score_text
from reviewtui.team.summaries import summarise
from reviewtui.ui.steps.review_sections import breakdown_markup

D = Decimal
DAY = dt.date(2026, 12, 1)
BASE = load_rubric(Path(__file__).parent / "data" / "rubric_minimal.toml").rubric


def _split(draw: st.DrawFn, count: int) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 100]
    return [high - low for low, high in itertools.pairwise(bounds)]


@st.composite
def rubrics(draw: st.DrawFn) -> Rubric:
    """The test rubric with a random scale, split and competencies (weights totalling 100)."""
    lowest, levels = draw(st.integers(0, 1)), draw(st.integers(3, 6))
    scale = [
        {"value": lowest + index, "label": f"Level {lowest + index}", "anchor": "Observable behaviour."}
        for index in range(levels)
    ]
    count = draw(st.integers(1, 4))
    competencies = [
        {"id": f"c{index}", "name": f"Competency {index}", "weight": weight, "anchors": ["A."] * levels}
        for index, weight in enumerate(_split(draw, count))
    ]
    metrics_weight = draw(st.integers(0, 100))
    data = BASE.model_dump()
    for catalog_metric in data["metrics"]:  # one threshold per level above the first
        catalog_metric["bands"]["thresholds"] = [D(90 + 5 * step) for step in range(levels - 1)]
    data.update(
        scale=scale,
        competencies=competencies,
        scoring={"metrics_weight": metrics_weight, "competencies_weight": 100 - metrics_weight},
    )
    return Rubric.model_validate(data)


@st.composite
def records(draw: st.DrawFn, rubric: Rubric) -> Any:
    """A signed review on `rubric`: random metrics (some unmeasured, some overridden) and ratings."""
    values = [level.value for level in rubric.scale]
    count = draw(st.integers(1, 5))
    metrics = []
    for index, weight in enumerate(_split(draw, count)):
        steps = len(values) - 1
        thresholds = sorted(draw(st.sets(st.integers(50, 150), min_size=steps, max_size=steps)))
        data = metric(
            f"m{index}",
            weight=weight,
            name=f"Metric {index}",
            target=D(draw(st.integers(1, 200))),
            bands={"basis": "percent_of_target", "thresholds": [D(t) for t in thresholds]},
        )
        if draw(st.booleans()):
            data["actuals"] = [{"value": D(draw(st.integers(0, 400))), "as_of": DAY}]
            data["evidence"] = "CRM report"
        if draw(st.booleans()):
            data["override"] = {"level": draw(st.sampled_from(values)), "reason": "Context."}
        metrics.append(data)
    ratings = [
        {"competency": c.id, "level": draw(st.sampled_from(values)), "evidence": "An example."}
        for c in rubric.competencies
        if draw(st.booleans())
    ]
    session = make_session(kind="review", status="signed", metrics=metrics, competencies=ratings)
    if draw(st.booleans()):
        session = session.model_copy(update={"signed_score": signed_snapshot(session, rubric)})
    return session


def _cents(text: str) -> Decimal:
    return D(text)


def _markdown_numbers(text: str) -> tuple[Decimal | None, list[Decimal]]:
    total = re.search(r"^\*\*Score:\*\* (\d+\.\d\d)", text, re.MULTILINE)
    section = text.split("## Score", 1)[1].split("\n## ", 1)[0]
    terms = [
        _cents(row.rsplit("|", 2)[1].strip())
        for row in section.splitlines()
        if row.startswith("| Metrics (") or row.startswith("| Competencies (")
        if row.rsplit("|", 2)[1].strip() != "–"
    ]
    return (_cents(total[1]) if total else None), terms


def _markup_numbers(markup: str) -> tuple[Decimal | None, list[Decimal]]:
    total = re.search(r"Score (\d+\.\d\d) of", markup)
    terms = [
        _cents(match[1])
        for match in re.finditer(r": level \d+ × [^=\n]+ = [0-9.…]+(?: → (\d+\.\d\d))?", markup)
        if match[1]
    ]
    terms += [
        _cents(match[1])
        for match in re.finditer(r": level \d+ × [^=\n]+ = (\d+\.\d\d)$", markup, re.MULTILINE)
    ]
    return (_cents(total[1]) if total else None), terms


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_every_surface_shows_terms_that_add_up_exactly_to_its_total(data: st.DataObject) -> None:
    rubric = data.draw(rubrics())
    session = data.draw(records(rubric))
    found = record_score(session, rubric, session.rubric.sha256)
    assert found is not None and found.consistent
    breakdown = found.shown
    terms = [item.contribution for item in [*breakdown.metrics, *breakdown.competencies]]
    shown = [term for term in terms if term is not None]
    if breakdown.total is None:
        assert shown == []
        return
    assert sum(shown) == breakdown.total
    assert all(term == term.quantize(D("0.01")) for term in shown)
    # Each term is within a cent of its exact value, and the total is the exact score half up.
    for item in [*breakdown.metrics, *breakdown.competencies]:
        if item.contribution is not None:
            assert abs(item.contribution - item.exact_contribution) < D("0.01")

    markdown_total, markdown_terms = _markdown_numbers(
        record_markdown(session, rubric, session.rubric.sha256)
    )
    assert markdown_total == breakdown.total
    assert sorted(markdown_terms) == sorted(shown) and sum(markdown_terms) == markdown_total

    payload = json.loads(record_json(session, rubric, session.rubric.sha256))["score"]
    json_terms = [
        D(item["contribution"])
        for item in [*payload["metrics"], *payload["competencies"]]
        if item["contribution"] is not None
    ]
    assert D(payload["total"]) == breakdown.total == sum(json_terms)

    markup_total, markup_terms = _markup_numbers(breakdown_markup(breakdown))
    assert markup_total == breakdown.total
    assert sorted(markup_terms) == sorted(shown)

    summary = summarise("r.toml", session, rubric, session.rubric.sha256)
    assert summary.score == (breakdown.total if breakdown.counts else None)
    assert f"score {breakdown.total:f} of" in _score_text(session, Rubrics(today={rubric.id: rubric}))


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(
        st.none() | st.fractions(min_value=0, max_value=10, max_denominator=10_000), min_size=1, max_size=12
    )
)
def test_largest_remainder_makes_the_cents_add_up_and_moves_each_by_under_a_cent(parts) -> None:
    import math
    from fractions import Fraction

    exact = sum((part for part in parts if part is not None), Fraction(0))
    total = D(math.floor(exact * 100 + Fraction(1, 2))).scaleb(-2)
    shown = apportion(parts, total)
    assert [s is None for s in shown] == [p is None for p in parts]
    assert sum(s for s in shown if s is not None) == total
    for part, cents in zip(parts, shown, strict=True):
        if part is not None:
            assert abs(Fraction(cents) - part) < Fraction(1, 100)


def test_ana_ruiz_terms_add_up_to_her_341() -> None:
    from reviewtui.storage import bundled_rubrics_dir, load_session

    source = load_rubric(bundled_rubrics_dir() / "customer-success-manager.toml")
    review = load_session(
        Path(__file__).parent.parent / "src/reviewtui/examples" / "2027-01-12_review_ana-ruiz_a1b2c3d4.toml"
    )
    breakdown = score(review, source.rubric)
    terms = [item.contribution for item in [*breakdown.metrics, *breakdown.competencies]]
    assert breakdown.total == D("3.41") == sum(terms)
    at_risk = breakdown.metrics[1]
    assert at_risk.arithmetic == "level 3 × 15% × 70% = 0.315 → 0.32"
    assert breakdown.competencies[1].arithmetic == "level 4 × 20% × 30% = 0.24"
    # The snapshot the example now holds is what its inputs give.
    assert signed_score_problems(review) == []
    assert review.signed_score is not None and review.signed_score.total == D("3.41")
