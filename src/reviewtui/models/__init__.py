"""Domain models: the rubric and record formats. Pure data, no I/O.

The names below are imported on first use (see `lazy_exports`): `models.text_checks`, which
storage needs for every file it reads, must not bring pydantic with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy_exports import lazy_exports

if TYPE_CHECKING:
    from .base import Problems
    from .envelope import FINAL_STATUS, SCHEMA_VERSION, RubricRef, new_session_id
    from .plan_parts import PlanMetric
    from .rubric import CatalogMetric, ChecklistRule, Competency, Outcome, Rubric, ScaleLevel, Section
    from .session import Session, rubric_problems

_HOMES = {
    "Problems": "base",
    **dict.fromkeys(
        ["CatalogMetric", "ChecklistRule", "Competency", "Outcome", "Rubric", "ScaleLevel", "Section"],
        "rubric",
    ),
    **dict.fromkeys(["FINAL_STATUS", "SCHEMA_VERSION", "RubricRef", "new_session_id"], "envelope"),
    "PlanMetric": "plan_parts",
    **dict.fromkeys(["Session", "rubric_problems"], "session"),
}

__all__ = [
    "FINAL_STATUS",
    "SCHEMA_VERSION",
    "CatalogMetric",
    "ChecklistRule",
    "Competency",
    "Outcome",
    "PlanMetric",
    "Problems",
    "Rubric",
    "RubricRef",
    "ScaleLevel",
    "Section",
    "Session",
    "new_session_id",
    "rubric_problems",
]

__getattr__ = lazy_exports(__name__, _HOMES, globals())
