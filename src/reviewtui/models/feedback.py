"""Customer feedback imported from survey or support exports, kept per employee."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pydantic import Field

from .base import Line, Model, Name, Number, Text

Scale = Literal["nps", "csat"]
SCALE_RANGE = {"nps": (Decimal(0), Decimal(10)), "csat": (Decimal(1), Decimal(5))}


class Response(Model):
    """One survey answer or support rating, as exported."""

    id: str = Field(pattern=r"^[0-9a-f]{12}$")
    """Stable id made from the response's content, so a re-import finds duplicates."""
    source: Literal["survey", "support"]
    """Where it came from."""
    scale: Scale
    """`nps` (0–10) or `csat` (1–5)."""
    date: dt.date
    """When it was given."""
    account: Line = ""
    """The client account."""
    cohort: Line = ""
    """The cohort or segment, if the export has one."""
    score: Number | None = None
    """The score given, if any."""
    comment: Text = ""
    """The client's words."""
    imported_from: Line = ""
    """Name of the file it came from."""


class FeedbackFile(Model):
    """Every imported response about one employee's clients."""

    schema_version: Literal[1] = 1
    """Version of this format."""
    kind: Literal["feedback"] = "feedback"
    """Tells a feedback file from the other formats."""
    employee: Name
    """The employee whose clients answered."""
    responses: list[Response] = []
    """The responses, in the order imported."""


@dataclass(frozen=True)
class Trend:
    """One account's or cohort's responses in figures."""

    group: str
    responses: int
    average: Decimal | None
    nps: int | None
    by_month: list[tuple[str, Decimal]]


def nps(scores: list[Decimal]) -> int | None:
    """Promoters (9–10) minus detractors (0–6), as a percentage of answers."""
    if not scores:
        return None
    promoters = sum(1 for score in scores if score >= 9)
    detractors = sum(1 for score in scores if score <= 6)
    return round((promoters - detractors) * 100 / len(scores))


def trends(responses: list[Response], by: Literal["account", "cohort"] = "account") -> list[Trend]:
    """Responses summarised per account (or cohort): count, average, NPS, and the average per month."""
    groups: dict[str, list[Response]] = defaultdict(list)
    for response in responses:
        groups[getattr(response, by) or "(none)"].append(response)
    found = []
    for group, items in sorted(groups.items()):
        scores = [r.score for r in items if r.score is not None]
        months: dict[str, list[Decimal]] = defaultdict(list)
        for r in items:
            if r.score is not None:
                months[f"{r.date:%Y-%m}"].append(r.score)
        by_month = [(m, (sum(v) / len(v)).quantize(Decimal("0.1"))) for m, v in sorted(months.items())]
        average = (sum(scores) / len(scores)).quantize(Decimal("0.1")) if scores else None
        is_nps = any(r.scale == "nps" for r in items)
        found.append(Trend(group, len(items), average, nps(scores) if is_nps else None, by_month))
    return found
