"""Domain models: the rubric and record formats. Pure data, no I/O."""

from .base import Problems
from .rubric import CatalogMetric, ChecklistRule, Competency, Outcome, Rubric, ScaleLevel, Section
from .session import (
    FINAL_STATUS,
    SCHEMA_VERSION,
    PlanMetric,
    RubricRef,
    Session,
    new_session_id,
    rubric_problems,
)

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
