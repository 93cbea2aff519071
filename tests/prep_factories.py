"""Preparation files built in code (models.preparation), as `reviewtui prepare ask` would write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from reviewtui.models.preparation import Preparation, PrepCompetency, PrepMetric
from reviewtui.storage import discover_rubrics
from reviewtui.storage.preparation_file import preparation_bytes

ASKED = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def csm_competencies() -> tuple[list[PrepCompetency], list[Any]]:
    rubric = discover_rubrics().get("customer-success-manager").rubric
    competencies = [
        PrepCompetency(id=c.id, name=c.name, description=c.description, anchors=c.anchors)
        for c in rubric.competencies
    ]
    return competencies, rubric.scale


def employee_preparation(**overrides: Any) -> Preparation:
    competencies, scale = csm_competencies()
    data: dict[str, Any] = {
        "id": "a1b2c3d4e5f6",
        "role": "employee",
        "name": "Ana Ruiz",
        "employee": "Ana Ruiz",
        "manager": "Mei Chen",
        "rubric_id": "customer-success-manager",
        "period": {"label": "2026 H2", "start": dt.date(2026, 7, 1), "end": dt.date(2026, 12, 31)},
        "asked_at": ASKED,
        "due": dt.date(2026, 12, 15),
        "metrics": [
            PrepMetric(
                id="gross_retention",
                name="Gross retention",
                definition="Renewed contract value as a share of value up for renewal.",
                unit="%",
                direction="higher",
                baseline=Decimal("91.5"),
                target=Decimal("95"),
                latest=Decimal("93.2"),
                latest_as_of=dt.date(2026, 11, 5),
            ).model_dump(),
            PrepMetric(
                id="time_to_value",
                name="Time to first value",
                unit="days",
                direction="lower",
                baseline=Decimal("45"),
                target=Decimal("30"),
            ).model_dump(),
        ],
        "competencies": [c.model_dump() for c in competencies],
        "scale": [level.model_dump() for level in scale],
    }
    data.update(overrides)
    return Preparation.model_validate(data)


def partner_preparation(**overrides: Any) -> Preparation:
    competencies, _ = csm_competencies()
    data: dict[str, Any] = {
        "id": "0f1e2d3c4b5a",
        "role": "partner",
        "name": "Jonas Berg",
        "employee": "Ana Ruiz",
        "manager": "Mei Chen",
        "rubric_id": "customer-success-manager",
        "period": {"label": "2026 H2", "start": dt.date(2026, 7, 1), "end": dt.date(2026, 12, 31)},
        "asked_at": ASKED,
        "competencies": [c.model_dump() for c in competencies],
    }
    data.update(overrides)
    return Preparation.model_validate(data)


def write_preparation(path: Path, preparation: Preparation) -> Path:
    path.write_bytes(preparation_bytes(preparation))
    return path
