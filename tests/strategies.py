"""Hypothesis strategies that build valid records with hostile-looking text."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from reviewtui.models import Session
from reviewtui.models.base import ID_PATTERN, SHORT_TEXT_MAX, clean_line
from reviewtui.models.text_checks import conflict_marker_lines

# Any character but lone surrogates: controls, quotes, backslashes, emoji, RTL marks.
_chars = st.characters(exclude_categories=["Cs"])
# A line that is a merge-conflict marker is refused by the models, so valid text holds none.
texts = st.text(_chars, max_size=80).filter(lambda s: not conflict_marker_lines(s))
names = (
    st.text(_chars, min_size=1, max_size=40)
    .filter(lambda s: 0 < len(clean_line(s)) <= SHORT_TEXT_MAX)
    .filter(lambda s: not conflict_marker_lines(s))
)
ids = st.from_regex(ID_PATTERN, fullmatch=True)
numbers = st.builds(
    lambda digits, places: Decimal(digits).scaleb(-places),
    st.integers(-(10**12), 10**12),
    st.integers(0, 6),
)
zones = st.one_of(
    st.builds(lambda minutes: dt.timezone(dt.timedelta(minutes=minutes)), st.integers(-23 * 60, 23 * 60)),
    st.timezones(),
)
timestamps = st.datetimes(
    min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 1, 1), timezones=zones
)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 1, 1))
hex32 = st.text("0123456789abcdef", min_size=32, max_size=32)
VIAS = ["host_screen", "joined_terminal", "browser"]
# No way at all: a record signed before the way of signing was kept.
ways = st.one_of(st.just({}), st.sampled_from(VIAS).map(lambda via: {"via": via}))
PARTS = [
    "employee_reading.reading",
    "employee_reading.comments",
    "feedback.0",
    "development.0",
    "metrics.1",
    "participants",
]


def later(moment: dt.datetime, elapsed: dt.timedelta) -> dt.datetime:
    """The instant `elapsed` after `moment`, shown in its zone.

    `moment + elapsed` is wall-clock arithmetic in a zone with daylight saving: 01:30 on the
    second pass of a night that falls back, plus ten minutes, is 01:40 on the first pass,
    fifty minutes earlier. The sum is done in UTC, where every hour is one hour.
    """
    return (moment.astimezone(dt.UTC) + elapsed).astimezone(moment.tzinfo)


@st.composite
def plan_metrics(draw: st.DrawFn, metric_id: str, weight: int) -> dict[str, Any]:
    thresholds = sorted(draw(st.sets(st.integers(-50, 200), min_size=4, max_size=4)))
    return {
        "id": metric_id,
        "name": draw(names),
        "definition": draw(names),
        "data_source": draw(names),
        "frequency": draw(st.sampled_from(["weekly", "monthly", "quarterly", "yearly"])),
        "kind": draw(st.sampled_from(["leading", "lagging"])),
        "unit": draw(names),
        "direction": draw(st.sampled_from(["higher", "lower"])),
        "outcome": draw(ids),
        "bands": {
            "basis": draw(st.sampled_from(["percent_of_target", "points_from_target"])),
            "thresholds": thresholds,
        },
        "guardrail": draw(st.none() | ids),
        "accumulates": draw(st.booleans()),
        "custom": draw(st.booleans()),
        "scope": draw(st.none() | st.sampled_from(["book", "account", "cohort", "team"])),
        "scope_name": draw(st.just("") | names),
        "baseline": draw(st.none() | numbers),
        "target": draw(numbers),
        "weight": weight,
        "actuals": draw(
            st.lists(
                st.fixed_dictionaries(
                    {"value": numbers, "as_of": dates, "data_source": names, "evidence": texts}
                ),
                max_size=3,
            )
        ),
        "evidence": draw(texts),
    }


def _weights(draw: st.DrawFn, count: int) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 100]
    return [high - low for low, high in itertools.pairwise(bounds)]


@st.composite
def sessions(draw: st.DrawFn) -> Session:
    kind = draw(st.sampled_from(["alignment", "check-in", "review"]))
    final = draw(st.booleans())
    status = {"alignment": "agreed", "check-in": "recorded", "review": "signed"}[kind] if final else "draft"
    created = draw(timestamps)
    count = draw(st.integers(1, 4))
    metric_ids = draw(st.lists(ids, min_size=count, max_size=count, unique=True))
    metrics = [
        draw(plan_metrics(metric_id, weight))
        for metric_id, weight in zip(metric_ids, _weights(draw, count), strict=True)
    ]
    start = draw(dates)
    employee, manager = draw(names), draw(names)
    partners = draw(st.lists(st.fixed_dictionaries({"name": names, "function": names}), max_size=2))
    people = [(employee, "employee"), (manager, "manager"), *((p["name"], "partner") for p in partners)]
    data: dict[str, Any] = {
        "id": draw(hex32),
        "kind": kind,
        "status": status,
        "created_at": created,
        "updated_at": later(created, draw(st.timedeltas(dt.timedelta(0), dt.timedelta(days=30)))),
        "rubric": {"id": draw(ids), "version": draw(st.integers(1, 50)), "sha256": "f" * 64},
        "participants": {
            "employee": {"name": employee, "role": draw(names)},
            "manager": {"name": manager},
            "partners": partners,
        },
        "period": {
            "label": draw(names),
            "start": start,
            "end": start + dt.timedelta(days=draw(st.integers(0, 400))),
        },
        "cadence": draw(st.sampled_from([None, "weekly", "fortnightly", "monthly", "quarterly"])),
        "next_checkin": draw(st.none() | dates),
        "impact_map": draw(
            st.lists(
                st.fixed_dictionaries({"activity": names, "outcome": ids, "how": names}),
                min_size=1,
                max_size=3,
            )
        ),
        "metrics": metrics,
        "adjustments": [
            {
                "metric": metric_ids[0],
                "field": "target",
                "old": draw(numbers),
                "new": draw(numbers),
                "reason": draw(names),
                "by": draw(names),
                "at": draw(timestamps),
            }
        ],
        "feedback": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "source": st.sampled_from(["survey", "support", "narrative"]),
                        "account": names,
                        "observed": names,
                        "impact": texts,
                        "kind": st.sampled_from(["strength", "gap"]),
                    }
                ),
                max_size=2,
            )
        ),
        "context": [{"factor": "market_dynamics", "note": draw(names)}],
        "examples": [
            {
                "kind": "success_story",
                "title": draw(names),
                "account": draw(names),
                "happened_on": draw(dates),
                "text": draw(names),
            }
        ],
        "competencies": [
            {"competency": draw(ids), "level": draw(st.integers(1, 5)), "evidence": draw(names)}
        ],
        "accomplishments": [
            {
                "action": draw(names),
                "subject": draw(names),
                "outcome": draw(names),
                "contribution": draw(texts),
                "metric": metric_ids[-1],
            }
        ],
        "development": [
            {
                "objective": draw(names),
                "actions": draw(st.lists(names, max_size=3)),
                "owner": draw(names),
                "due": draw(dates),
                "support": draw(texts),
                "success_measure": draw(texts),
            }
        ],
        "employee_reading": {"reading": draw(texts), "comments": draw(texts)},
        "broken_rules": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "check": st.sampled_from(["rule:", "guardrail:"]).flatmap(
                            lambda prefix: ids.map(lambda rule_id: prefix + rule_id)
                        ),
                        "message": texts,
                        "reason": names,
                    }
                ),
                max_size=2,
                unique_by=lambda broken: broken["check"],
            )
        ),
        "sign_offs": [
            # Each sign-off names the person in its role, at its own moment, with how they confirmed.
            {"name": employee, "role": "employee", "at": draw(timestamps), **draw(ways)},
            {"name": manager, "role": "manager", "at": draw(timestamps), **draw(ways)},
            *(
                {"name": p["name"], "role": "partner", "at": draw(timestamps), **draw(ways)}
                for p in partners
                if draw(st.booleans())
            ),
        ],
        "contributions": draw(
            st.lists(
                st.builds(
                    lambda person, via, parts: {
                        "name": person[0],
                        "role": person[1],
                        "via": via,
                        "parts": parts,
                    },
                    st.sampled_from(people),
                    st.sampled_from(VIAS),
                    st.lists(st.sampled_from(PARTS), min_size=1, max_size=3, unique=True),
                ),
                max_size=3,
                unique_by=lambda c: (c["name"], c["role"], c["via"]),
            )
        ),
    }
    return Session.model_validate(data)
